"""Runs a private Prosody on loopback: the reference server the XMPP test clients are proven
against, and the baseline for the XMPP benchmark."""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

# starling_harness lives one folder up; CTest puts it on PYTHONPATH, a direct run does not.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from starling_harness import free_port  # noqa: E402  (needs the path above)

PROSODY = os.environ.get("STARLING_PROSODY", "/usr/bin/prosody")

# Prosody 0.12 offers SCRAM-SHA-1, SCRAM-SHA-256 and PLAIN only when it can read the plain
# password (internal_plain); internal_hashed stores one hash and so offers one SCRAM variant.
_CONFIG = """\
-- Written by tests/integration/xmpp/prosody.py; the whole server lives in {root}.
run_as_root = true  -- CI containers run as root; Prosody would otherwise switch to 'prosody'
pidfile = "{root}/prosody.pid"
data_path = "{root}/data"
plugin_paths = {{}}
log = {{ {log_level} = "{root}/prosody.log", error = "{root}/prosody.err" }}

interfaces = {{ "127.0.0.1", "::1" }}
local_interfaces = {{ "127.0.0.1", "::1" }}
c2s_ports = {{ {c2s_port} }}
c2s_direct_tls_ports = {{ {direct_tls_port} }}
s2s_ports = {{}}
http_ports = {{}}
https_ports = {{}}

authentication = "internal_plain"
storage = "internal"
c2s_require_encryption = true
allow_registration = false
certificates = "{root}"  -- no certs/ dir to index; the ssl line below names the cert
ssl = {{ certificate = "{root}/cert.pem", key = "{root}/key.pem" }}
{ssl_extra}
modules_enabled = {{ {modules} }}
modules_disabled = {{ "s2s" }}
archive_expires_after = "never"
default_archive_policy = true  -- so MAM tests see messages without configuring prefs first
smacks_hibernation_time = 30

VirtualHost "{domain}"
{extra}
-- Unlocked, so a room is usable as soon as its first occupant has joined (XEP-0045 §10.1.3).
Component "conference.{domain}" "muc"
muc_room_locking = false
modules_enabled = {{ "muc_mam" }}
"""


# What the tests use; the benchmark passes only the modules Starling has counterparts of.
TEST_MODULES = ("roster", "saslauth", "tls", "disco", "carbons", "ping", "mam", "smacks",
                "blocklist", "vcard_legacy", "private", "version", "time", "uptime", "offline")


def make_self_signed_cert(directory, domain):
    """Writes cert.pem and key.pem for `domain` (also valid for localhost and the loopback
    addresses); the cert is its own CA, so clients can trust exactly it."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", key, "-out", cert, "-subj", f"/CN={domain}",
         "-addext", f"subjectAltName=DNS:{domain},DNS:localhost,IP:127.0.0.1,IP:::1",
         "-addext", "basicConstraints=critical,CA:TRUE"],
        check=True, capture_output=True, timeout=60)
    return cert, key


class Prosody:
    """A Prosody in a temp dir with its own cert, on free loopback ports.

    `users` maps local part to password. `extra_config` goes inside the VirtualHost block;
    `ssl_extra` into the global section (e.g. to pin the TLS version). The benchmark turns
    the log down to "error" and picks its `modules`."""

    def __init__(self, users, domain="localhost", extra_config="", ssl_extra="",
                 modules=TEST_MODULES, log_level="debug"):
        self.domain = domain
        self.users = dict(users)
        self.root = tempfile.mkdtemp(prefix="starling-prosody-")
        self.c2s_port = free_port()
        self.direct_tls_port = free_port()
        self.host = "127.0.0.1"
        self.ca_file, _ = make_self_signed_cert(self.root, domain)
        self.config_path = os.path.join(self.root, "prosody.cfg.lua")
        with open(self.config_path, "w", encoding="utf-8") as config:
            config.write(_CONFIG.format(
                root=self.root, domain=domain, c2s_port=self.c2s_port,
                direct_tls_port=self.direct_tls_port, extra=extra_config, ssl_extra=ssl_extra,
                modules=" ".join(f'"{name}";' for name in modules), log_level=log_level))
        self._process = None
        self._output = None

    def jid(self, user):
        return f"{user}@{self.domain}"

    def register_users(self):
        """Writes the accounts as internal_plain keeps them (data/HOST/accounts/USER.dat), which
        is what `prosodyctl register` does, without starting Lua once per user. Names and the
        domain are plain lowercase ASCII here, so Prosody's %-encoding of paths changes nothing."""
        accounts = os.path.join(self.root, "data", self.domain, "accounts")
        os.makedirs(accounts, exist_ok=True)
        for user, password in self.users.items():
            quoted = password.replace("\\", "\\\\").replace('"', '\\"')
            with open(os.path.join(accounts, f"{user}.dat"), "w", encoding="utf-8") as account:
                account.write(f'return {{\n\t["password"] = "{quoted}";\n}};\n')

    def start(self, timeout=20):
        """Registers the users, starts Prosody in the foreground and waits until both c2s
        ports accept connections."""
        self.register_users()
        atexit.register(self.close)  # no stray Prosody if a test run dies before tearDown
        self._output = open(os.path.join(self.root, "stdout.log"), "w", encoding="utf-8")
        self._process = subprocess.Popen(
            [PROSODY, "--config", self.config_path, "-F"], stdout=self._output,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        for port in (self.c2s_port, self.direct_tls_port):
            while not self._accepts(port):
                if self._process.poll() is not None:
                    raise RuntimeError(f"prosody exited with {self._process.returncode}:\n"
                                       + self.log_tail())
                if time.monotonic() > deadline:
                    raise TimeoutError(f"prosody did not listen on {port} within {timeout}s:\n"
                                       + self.log_tail())
                time.sleep(0.05)
        return self

    def _accepts(self, port):
        try:
            with socket.create_connection((self.host, port), timeout=1):
                return True
        except OSError:
            return False

    def log_tail(self, lines=40):
        text = ""
        for name in ("stdout.log", "prosody.err", "prosody.log"):
            try:
                with open(os.path.join(self.root, name), encoding="utf-8",
                          errors="replace") as log:
                    text += f"--- {name}\n" + "".join(log.readlines()[-lines:])
            except OSError:
                pass
        return text

    def stop(self, timeout=10):
        if self._process is None:
            return
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=timeout)
        self._process = None
        self._output.close()

    def close(self):
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()


def _stop_on_signal(*_):
    raise KeyboardInterrupt


if __name__ == "__main__":
    # Manual use and the benchmark: serve alice/bob until Ctrl-C or SIGTERM, then clean up.
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, _stop_on_signal)  # a background job starts with it ignored
    with Prosody({"alice": "secret", "bob": "secret"}) as server:
        print(f"prosody on {server.host}: STARTTLS {server.c2s_port}, direct TLS "
              f"{server.direct_tls_port}, CA {server.ca_file}, dir {server.root}", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
