"""A SIP provider for trunk tests: Kamailio (kamailio_provider.cfg) on a loopback port, and
SIPp standing for the public telephone network behind it."""

import os
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


class Provider:
    """Kamailio as registrar and proxy. Calls from the public network come from
    `pstn_caller_port`; calls to it go to a SIPp callee on `pstn_callee_port`."""

    def __init__(self, directory, password=PASSWORD):
        self.directory = directory
        self.port = free_port(socket.SOCK_DGRAM)
        self.pstn_caller_port = free_port(socket.SOCK_DGRAM)
        self.pstn_callee_port = free_port(socket.SOCK_DGRAM)
        self.domain = f"127.0.0.1:{self.port}"
        self.callee = None
        with open(os.path.join(HERE, "kamailio_provider.cfg"), encoding="utf-8") as template:
            config = template.read()
        # PSTN_CALLER_PORT before PSTN, which it contains.
        for name, value in (("LISTEN", f"udp:127.0.0.1:{self.port}"), ("ACCOUNT", ACCOUNT),
                            ("PASSWORD", password), ("DOMAIN", "127.0.0.1"),
                            ("PSTN_CALLER_PORT", str(self.pstn_caller_port)),
                            ("PSTN", f"127.0.0.1:{self.pstn_callee_port}")):
            config = config.replace(name, value)
        self.config_path = os.path.join(directory, "provider.cfg")
        with open(self.config_path, "w", encoding="utf-8") as out:
            out.write(config)
        self.log_path = os.path.join(directory, "provider.log")
        self._log = open(self.log_path, "w+", encoding="utf-8")
        # A session of its own: Kamailio forks workers, and all of them must go at the end.
        self.process = subprocess.Popen(
            ["kamailio", "-DD", "-E", "-f", self.config_path, "-Y", directory],
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
