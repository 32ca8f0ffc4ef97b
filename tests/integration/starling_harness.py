"""Runs the built starling binary in a private directory, for integration tests."""

import atexit
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time

BINARY = os.environ.get("STARLING_BINARY", "starling")


# Below Linux's ephemeral range (32768-60999): a port the kernel picked for us with bind(0)
# may be handed to another test's outgoing connection before starling binds it.
_PORT_RANGE = (20000, 32000)
_random = random.Random(os.getpid())


def _bindable(port, kind):
    for family, address in ((socket.AF_INET6, "::"), (socket.AF_INET, "127.0.0.1")):
        try:
            with socket.socket(family, kind) as probe:
                probe.bind((address, port))
        except OSError:
            return False
    return True


# Tests run in parallel, and a port is free only until its program binds it: two test
# processes could pick the same one in that gap. Each port handed out is claimed by a file
# named after it, holding the claimer's pid, until that process exits.
_CLAIMS = os.path.join(tempfile.gettempdir(), "starling-test-ports")
_claimed = []


def _release_claims():
    for path in _claimed:
        try:
            os.unlink(path)
        except OSError:
            pass


atexit.register(_release_claims)


def _claimed_by_live_process(path):
    try:
        with open(path, encoding="ascii") as claim:
            os.kill(int(claim.read() or "0"), 0)
        return True
    except (OSError, ValueError):
        return False


def _claim(port):
    os.makedirs(_CLAIMS, exist_ok=True)
    path = os.path.join(_CLAIMS, str(port))
    for _ in range(2):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            if _claimed_by_live_process(path):
                return False
            try:
                os.unlink(path)  # left by a test process that died
            except OSError:
                pass
            continue
        with os.fdopen(descriptor, "w", encoding="ascii") as claim:
            claim.write(str(os.getpid()))
        _claimed.append(path)
        return True
    return False


def free_port(kind=socket.SOCK_STREAM):
    """A port free right now on every address, for TCP and UDP alike, and claimed from the
    other test processes (`kind` is kept for callers that name it)."""
    del kind
    for _ in range(200):
        port = _random.randrange(*_PORT_RANGE)
        if (_bindable(port, socket.SOCK_STREAM) and _bindable(port, socket.SOCK_DGRAM)
                and _claim(port)):
            return port
    raise RuntimeError("no free port found for the test")


class Starling:
    """One starling installation: a working directory, a config on loopback ports."""

    def __init__(self, extra_config="", sip_config="", network_config="", xmpp_config=""):
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
        # Below the ephemeral range, like the signalling ports; the relay skips ports in use.
        rtp = 10000 + (os.getpid() % 25) * 400
        with open(self.config_path, "w", encoding="utf-8") as config:
            config.write(
                f"""data_dir = "{self.directory}/var"
[network]
address = "127.0.0.1"
{network_config}
[sip]
udp_port = {self.ports["sip"]}
tcp_port = {self.ports["sip"]}
tls_port = {self.ports["sip_tls"]}
{sip_config}
[media]
rtp_port_min = {rtp}
rtp_port_max = {rtp + 399}
[http]
http_port = {self.ports["http"]}
https_port = {self.ports["https"]}
[xmpp]
starttls_port = {self.ports["xmpp"]}
tls_port = {self.ports["xmpp_tls"]}
{xmpp_config}
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

    def start(self, config=True, prefix=()):
        """Starts `starling serve`; output goes to files read by server_output(). `prefix`
        runs it through another command, e.g. `ip netns exec NAME`."""
        self._close_output_files()
        self._stdout = open(os.path.join(self.directory, "serve.out"), "w+", encoding="utf-8")
        self._stderr = open(os.path.join(self.directory, "serve.err"), "w+", encoding="utf-8")
        self.server = subprocess.Popen(
            [*prefix, *self.command("serve", config=config)],
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

    def sipp(self, scenario, rows, transport="u1", timeout=30, extra=()):
        """Runs one SIPp scenario against this starling; rows go to its injection file
        (one call per row). Returns the CompletedProcess; exit code 0 means every call passed."""
        port = self.ports["sip_tls"] if transport.startswith("l") else self.ports["sip"]
        injection = os.path.join(self.directory, "sipp.csv")
        with open(injection, "w", encoding="utf-8") as out:
            out.write("SEQUENTIAL\n" + "".join(";".join(map(str, row)) + "\n" for row in rows))
        command = ["sipp", f"127.0.0.1:{port}", "-sf", scenario, "-inf", injection,
                   "-m", str(len(rows)), "-t", transport, "-i", "127.0.0.1", "-nostdin",
                   # SIPp's own port would be 5060, which `serve` without a config also wants.
                   "-p", str(free_port(socket.SOCK_DGRAM if transport.startswith("u") else socket.SOCK_STREAM)),
                   "-timeout", f"{timeout}s", "-timeout_error", "-trace_err", *extra]
        if transport.startswith("l"):
            self._make_sipp_tls_files()
        return subprocess.run(command, capture_output=True, text=True, cwd=self.directory,
                              timeout=timeout + 15, check=False)

    def _make_sipp_tls_files(self):
        """SIPp's TLS client loads cacert.pem and cakey.pem from its working directory."""
        if os.path.exists(os.path.join(self.directory, "cacert.pem")):
            return
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-subj", "/CN=sipp", "-days", "2", "-keyout", "cakey.pem",
                        "-out", "cacert.pem"], cwd=self.directory, capture_output=True, check=True)

    def registrations(self):
        """The rows of `starling registrations` as dicts."""
        listing = self.run("registrations")
        assert listing.returncode == 0, listing.stderr
        rows = []
        for line in listing.stdout.splitlines()[1:]:
            aor, contact, transport, source, expires, *agent = line.split()
            rows.append({"aor": aor, "contact": contact, "transport": transport, "source": source,
                         "expires": int(expires.rstrip("s")), "user_agent": " ".join(agent)})
        return rows

    def _close_output_files(self):
        for output in (getattr(self, "_stdout", None), getattr(self, "_stderr", None)):
            if output is not None:
                output.close()

    def close(self):
        if self.server and self.server.poll() is None:
            self.server.kill()
            self.server.wait()
        self._close_output_files()
        shutil.rmtree(self.directory, ignore_errors=True)
