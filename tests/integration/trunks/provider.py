"""A SIP provider for trunk tests: Kamailio (kamailio_provider.cfg) on a loopback port, and
SIPp standing for the public telephone network behind it."""

import os
import re
import signal
import socket
import subprocess
import time

from starling_harness import free_port

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")
CALL_SCENARIOS = os.path.join(HERE, "..", "calls", "scenarios")
ACCOUNT = "starling"
PASSWORD = "trunk-secret-42"


class Certificates:
    """A CA of the provider's own and a server certificate it issued for `name`, made by the
    openssl command in `directory`: Starling is told to trust the CA (tls.ca_file)."""

    def __init__(self, directory, name):
        self.ca = os.path.join(directory, "provider-ca.pem")
        self.certificate = os.path.join(directory, "provider-cert.pem")
        self.key = os.path.join(directory, "provider-key.pem")
        ca_key = os.path.join(directory, "provider-ca-key.pem")
        request = os.path.join(directory, "provider.csr")
        extensions = os.path.join(directory, "provider-ext.cnf")
        with open(extensions, "w", encoding="utf-8") as out:
            out.write(f"subjectAltName = DNS:{name}\nextendedKeyUsage = serverAuth\n")
        for command in (
                ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                 "-nodes", "-keyout", ca_key, "-out", self.ca, "-days", "2",
                 "-subj", "/CN=Test Provider CA"],
                ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", self.key, "-out", request, "-subj", f"/CN={name}"],
                ["x509", "-req", "-in", request, "-CA", self.ca, "-CAkey", ca_key,
                 "-CAcreateserial", "-out", self.certificate, "-days", "2",
                 "-extfile", extensions]):
            subprocess.run(["openssl", *command], check=True, capture_output=True, cwd=directory)


class Dnsmasq:
    """dnsmasq on 127.0.0.1:`port` answering only from `records` (its --*-record options)."""

    def __init__(self, port, records):
        self.process = subprocess.Popen(
            ["dnsmasq", "--no-daemon", "--no-resolv", "--no-hosts", "--bind-interfaces",
             "--listen-address=127.0.0.1", f"--port={port}", *records],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def close(self):
        self.process.kill()
        self.process.wait()
        self.process.stderr.close()


class Provider:
    """Kamailio as registrar and proxy. Calls from the public network come from
    `pstn_caller_port`; calls to it go to a SIPp callee on `pstn_callee_port`."""

    def __init__(self, directory, password=PASSWORD, tls=None):
        """`tls`: a Certificates the provider's TLS port presents; without it, no TLS."""
        self.directory = directory
        self.port = free_port(socket.SOCK_DGRAM)  # UDP and TCP
        self.tls_port = free_port() if tls else None
        self.pstn_caller_port = free_port(socket.SOCK_DGRAM)
        self.pstn_callee_port = free_port(socket.SOCK_DGRAM)
        self.domain = f"127.0.0.1:{self.port}"
        self.callee = None
        with open(os.path.join(HERE, "kamailio_provider.cfg"), encoding="utf-8") as template:
            config = template.read()
        values = {"PORT": str(self.port), "ACCOUNT": ACCOUNT, "PASSWORD": password,
                  "DOMAIN": "127.0.0.1", "PSTN_CALLER_PORT": str(self.pstn_caller_port),
                  "PSTN": f"127.0.0.1:{self.pstn_callee_port}"}
        defines = []
        if tls:
            values.update({"TLS_PORT": str(self.tls_port), "TLS_CERTIFICATE": tls.certificate,
                           "TLS_KEY": tls.key})
            defines = ["-A", "WITH_TLS"]
        config = re.sub(r"\b(" + "|".join(values) + r")\b", lambda found: values[found[1]],
                        config)
        self.config_path = os.path.join(directory, "provider.cfg")
        with open(self.config_path, "w", encoding="utf-8") as out:
            out.write(config)
        self.log_path = os.path.join(directory, "provider.log")
        self._log = open(self.log_path, "w+", encoding="utf-8")
        # A session of its own: Kamailio forks workers, and all of them must go at the end.
        self.process = subprocess.Popen(
            ["kamailio", "-DD", "-E", *defines, "-f", self.config_path, "-Y", directory],
            stdout=self._log, stderr=subprocess.STDOUT, cwd=directory, start_new_session=True)
        self.wait_for_log("INFO: <core>")

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return log.read()

    def wait_for_log(self, text, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"kamailio exited: {self.log()[-3000:]}")
            time.sleep(0.1)
        raise AssertionError(f"no '{text}' in kamailio's log: {self.log()[-3000:]}")

    def sipp(self, scenario, port, extra, timeout=30):
        return ["sipp", "-sf", scenario, "-i", "127.0.0.1", "-p", str(port), "-t", "u1",
                "-nostdin", "-timeout", f"{timeout}s", "-timeout_error", "-trace_err", *extra]

    def start_callee(self, calls=1, echo=False, scenario="pstn_answer.xml"):
        """The public network's callee: answers `calls` calls as `scenario` (a file in
        scenarios/) says; echoes their RTP if `echo`."""
        media = ["-mi", "127.0.0.1", "-mp", str(free_port(socket.SOCK_DGRAM)), "-rtp_echo"] if echo else []
        self.callee = subprocess.Popen(
            self.sipp(os.path.join(SCENARIOS, scenario), self.pstn_callee_port,
                      ["-m", str(calls), *media], timeout=60),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=self.directory)
        return self.callee

    def call_from_public_network(self, caller, called, to=None, scenario="pstn_call.xml"):
        """A SIPp caller on the public network dials `called` at the provider (or at `to`,
        an address:port such as an IP-authenticated trunk's), as `scenario` says."""
        injection = os.path.join(self.directory, "pstn.csv")
        with open(injection, "w", encoding="utf-8") as out:
            out.write(f"SEQUENTIAL\n{caller};{called}\n")
        return subprocess.run(
            self.sipp(os.path.join(SCENARIOS, scenario), self.pstn_caller_port,
                      [to or f"127.0.0.1:{self.port}", "-inf", injection, "-m", "1"]),
            capture_output=True, text=True, cwd=self.directory, timeout=60, check=False)

    def close(self):
        if self.callee is not None and self.callee.poll() is None:
            self.callee.kill()
            self.callee.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self._log.close()
