"""A private ejabberd (Debian's 23.01) for the XMPP benchmark: its own config, Mnesia spool and
logs in a temp dir, direct TLS on a free loopback port, accounts stored as SCRAM-SHA-1 and
registered in-band (XEP-0077) once it listens.

It runs the Erlang VM directly, not through ejabberdctl or the system service: no node name,
so no epmd and nothing but the client port listens; as root, so the temp dir needs no owner."""

import os
import shutil
import signal
import subprocess
import tempfile
import time

ERL = "/usr/bin/erl"
# Where Debian installs ejabberd's Erlang applications (ejabberdctl sets the same).
ERL_LIBS = "/usr/lib/x86_64-linux-gnu"

# The modules with a counterpart in Starling and in the benchmark's Prosody; the default c2s
# shaper (3,000 bytes/s) is off, as Prosody and Starling do not throttle an authenticated
# client that far below the benchmark's rate.
_CONFIG = """\
# Written by bench/xmpp/ejabberd_server.py; the whole server lives in {root}.
hosts:
  - {domain}
loglevel: error
log_rotate_count: 0
certfiles:
  - {root}/server.pem
listen:
  -
    port: {port}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    tls: true
    shaper: none
    access: c2s
auth_method: internal
auth_password_format: scram
auth_scram_hash: sha
c2s_protocol_options:
  - no_sslv3
  - no_tlsv1
  - no_tlsv1_1
  - cipher_server_preference
  - no_compression
registration_timeout: infinity
access_rules:
  c2s:
    allow: all
  register:
    allow: all
shaper_rules:
  c2s_shaper: none
modules:
  mod_roster: {{}}
  mod_disco: {{}}
  mod_carboncopy: {{}}
  mod_ping: {{}}
  mod_offline: {{}}
  mod_mam:
    default: always
  mod_register:
    ip_access: all
    access: register
"""


class Ejabberd:
    """`cert_file` and `key_file` are PEM files; ejabberd reads both from one file."""

    def __init__(self, domain, port, cert_file, key_file):
        self.root = tempfile.mkdtemp(prefix="starling-bench-ejabberd-")
        self.domain, self.port = domain, port
        with open(os.path.join(self.root, "server.pem"), "w", encoding="ascii") as pem:
            for name in (cert_file, key_file):
                with open(name, encoding="ascii") as part:
                    pem.write(part.read())
        self.config = os.path.join(self.root, "ejabberd.yml")
        with open(self.config, "w", encoding="utf-8") as config:
            config.write(_CONFIG.format(root=self.root, domain=domain, port=port))
        for directory in ("spool", "log"):
            os.makedirs(os.path.join(self.root, directory))
        self.process = None

    def start(self, max_ports):
        environment = dict(os.environ, ERL_LIBS=ERL_LIBS, EJABBERD_CONFIG_PATH=self.config,
                           EJABBERD_LOG_PATH=os.path.join(self.root, "log", "ejabberd.log"),
                           ERL_CRASH_DUMP=os.path.join(self.root, "log", "erl_crash.dump"),
                           ERL_MAX_PORTS=str(max_ports))
        # +K: epoll; +P: processes, two per connection at most.
        self.process = subprocess.Popen(
            [ERL, "+K", "true", "+P", "250000", "-noshell", "-noinput",
             "-mnesia", "dir", f'"{self.root}/spool"', "-s", "ejabberd"],
            cwd=self.root, env=environment, stdin=subprocess.DEVNULL,
            stdout=open(os.path.join(self.root, "log", "stdout.log"), "w", encoding="utf-8"),
            stderr=subprocess.STDOUT)
        return self

    @property
    def pid(self):
        return self.process.pid

    def log_tail(self, lines=30):
        text = ""
        for name in ("stdout.log", "ejabberd.log", "error.log"):
            try:
                with open(os.path.join(self.root, "log", name), encoding="utf-8",
                          errors="replace") as log:
                    text += f"--- {name}\n" + "".join(log.readlines()[-lines:])
            except OSError:
                pass
        return text

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the VM's init:stop()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        time.sleep(0.1)
        shutil.rmtree(self.root, ignore_errors=True)
