"""Runs the built starling binary in a private directory, for integration tests."""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

BINARY = os.environ.get("STARLING_BINARY", "starling")


def free_port(kind=socket.SOCK_STREAM):
    """A port that is free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Starling:
    """One starling installation: a working directory, a config on loopback ports."""

    def __init__(self, extra_config=""):
        self.directory = tempfile.mkdtemp(prefix="starling-it-")
        self.config_path = os.path.join(self.directory, "starling.toml")
        self.ports = {
            "sip": free_port(),
            "sip_tls": free_port(),
            "http": free_port(),
            "https": free_port(),
            "xmpp": free_port(),
            "xmpp_tls": free_port(),
            "prov_http": free_port(),
            "prov_https": free_port(),
        }
        rtp = 40000 + (os.getpid() % 500) * 40
        with open(self.config_path, "w", encoding="utf-8") as config:
            config.write(
                f"""data_dir = "{self.directory}/var"
[network]
address = "127.0.0.1"
[sip]
udp_port = {self.ports["sip"]}
tcp_port = {self.ports["sip"]}
tls_port = {self.ports["sip_tls"]}
[media]
rtp_port_min = {rtp}
rtp_port_max = {rtp + 39}
[http]
http_port = {self.ports["http"]}
https_port = {self.ports["https"]}
[xmpp]
starttls_port = {self.ports["xmpp"]}
tls_port = {self.ports["xmpp_tls"]}
[provisioning]
http_port = {self.ports["prov_http"]}
https_port = {self.ports["prov_https"]}
multicast_pnp = false
{extra_config}"""
            )
        self.server = None

    def command(self, *args, config=True):
        """The argument list for one starling invocation."""
        prefix = [BINARY, "--config", self.config_path] if config else [BINARY]
        return prefix + list(args)

    def run(self, *args, stdin=None, config=True, timeout=60):
        """Runs a command to completion; returns the CompletedProcess."""
        return subprocess.run(
            self.command(*args, config=config),
            input=stdin,
            capture_output=True,
            text=True,
            cwd=self.directory,
            timeout=timeout,
            check=False,
        )

    def start(self, config=True):
        """Starts `starling serve`; output goes to files read by server_output()."""
        self._stdout = open(os.path.join(self.directory, "serve.out"), "w+", encoding="utf-8")
        self._stderr = open(os.path.join(self.directory, "serve.err"), "w+", encoding="utf-8")
        self.server = subprocess.Popen(
            self.command("serve", config=config),
            stdout=self._stdout,
            stderr=self._stderr,
            cwd=self.directory,
        )
        return self.server

    def wait_for_log(self, text, timeout=20):
        """Waits until the server's stderr contains `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.server_output()[1]:
                return
            if self.server.poll() is not None:
                raise AssertionError(f"starling exited early: {self.server_output()}")
            time.sleep(0.05)
        raise AssertionError(f"no '{text}' in the log within {timeout}s: {self.server_output()}")

    def stop(self, signal_number=signal.SIGTERM, timeout=10):
        """Sends a signal; returns (exit code, seconds it took to exit)."""
        started = time.monotonic()
        self.server.send_signal(signal_number)
        code = self.server.wait(timeout=timeout)
        return code, time.monotonic() - started

    def server_output(self):
        """(stdout, stderr) of the server so far."""
        with open(os.path.join(self.directory, "serve.out"), encoding="utf-8") as out, open(
            os.path.join(self.directory, "serve.err"), encoding="utf-8"
        ) as err:
            return out.read(), err.read()

    def close(self):
        if self.server and self.server.poll() is None:
            self.server.kill()
            self.server.wait()
        shutil.rmtree(self.directory, ignore_errors=True)
