#!/usr/bin/env python3
"""Starling's XMPP service against Prosody and ejabberd on this machine, under the same load
generator (xmpp_load.py): logins per second, messages per second between online users, and
resident memory per idle authenticated TLS connection. Each figure comes with the server's
CPU time per operation (utime + stime from /proc), which does not depend on how fast the
generator is.

Usage: python3 bench/xmpp/run.py [--starling build/release/starling] [--connections 10000]
Runs on 127.0.0.1 only. Needs prosody and ejabberd (Debian packages; installed when missing,
as root, without starting their system services) and Debian's python3. Every server gets a
fresh data directory with --users users and the same certificate."""

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # bench/: process_stats
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "integration", "xmpp"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "integration"))

from ejabberd_server import Ejabberd  # noqa: E402
from process_stats import cpu_seconds, process_tree, resident_mib  # noqa: E402
from prosody import Prosody  # noqa: E402
from starling_harness import free_port  # noqa: E402
import xmpp_load  # noqa: E402

DOMAIN = "localhost"
PASSWORD = "bench-password-1"
# Prosody modules with a Starling counterpart, so all do the same work per stanza: each
# server archives every chat message (XEP-0313) as Starling does.
PROSODY_MODULES = ("roster", "saslauth", "tls", "disco", "carbons", "ping", "offline", "mam")
SYSTEMS = ("starling", "prosody", "ejabberd")


def raise_file_limit(count):
    """Raises the soft limit on open files (and the hard one, as root) to count*2 + 1024."""
    wanted = count * 2 + 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(hard, wanted)))
        except (ValueError, PermissionError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


def make_certificate(directory):
    """One ECDSA P-256 certificate for every server: the handshake's cost must not depend on
    each server's default key."""
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-keyout", key,
                    "-out", cert, "-subj", f"/CN={DOMAIN}",
                    "-addext", f"subjectAltName=DNS:{DOMAIN},IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def install(package, service):
    """apt-get install without letting the package start its system service (policy-rc.d
    101: 'action forbidden'), then make sure it is not enabled either."""
    policy = "/usr/sbin/policy-rc.d"
    had_policy = os.path.exists(policy)
    if not had_policy:
        with open(policy, "w", encoding="ascii") as script:
            script.write("#!/bin/sh\nexit 101\n")
        os.chmod(policy, 0o755)
    try:
        subprocess.run(["apt-get", "install", "-y", "-q", package], check=True)
    finally:
        if not had_policy:
            os.remove(policy)
    subprocess.run(["systemctl", "disable", "--now", service], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def resident_tree_mib(pid):
    return sum(resident_mib(p) for p in process_tree(pid))


class StarlingServer:
    def __init__(self, binary, users, certificate):
        self.root = tempfile.mkdtemp(prefix="starling-bench-xmpp-")
        self.port = free_port()
        self.config = os.path.join(self.root, "starling.toml")
        with open(self.config, "w", encoding="utf-8") as config:
            config.write(f'''data_dir = "{self.root}/var"
[log]
level = "warn"
[network]
address = "127.0.0.1"
[sip]
enabled = false
[http]
enabled = false
[provisioning]
enabled = false
[tls]
certificate = "{certificate[0]}"
private_key = "{certificate[1]}"
[xmpp]
domain = "{DOMAIN}"
starttls_port = {free_port()}
tls_port = {self.port}
''')
        self.binary = binary
        for user in users:
            subprocess.run([binary, "--config", self.config, "user", "add", user,
                            "--password-stdin"], input=PASSWORD + "\n", text=True, check=True,
                           capture_output=True)
        self.process = None

    def start(self):
        self.process = subprocess.Popen([self.binary, "--config", self.config, "serve"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        preexec_fn=lambda: raise_file_limit(60000))
        wait_for_port(self.port, self.process)
        return self

    @property
    def pid(self):
        return self.process.pid

    def close(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        shutil.rmtree(self.root, ignore_errors=True)


class ProsodyServer:
    def __init__(self, users, certificate):
        self.prosody = Prosody({user: PASSWORD for user in users}, domain=DOMAIN,
                               modules=PROSODY_MODULES, log_level="error")
        self.port = self.prosody.direct_tls_port
        for source, name in zip(certificate, ("cert.pem", "key.pem")):
            shutil.copy(source, os.path.join(self.prosody.root, name))

    def start(self):
        raise_file_limit(60000)  # inherited by the Prosody process
        self.prosody.start()
        return self

    @property
    def pid(self):
        return self.prosody._process.pid

    def close(self):
        self.prosody.close()


class EjabberdServer:
    def __init__(self, users, certificate):
        self.users = users
        self.ejabberd = Ejabberd(DOMAIN, free_port(), *certificate)
        self.port = self.ejabberd.port

    def start(self):
        self.ejabberd.start(max_ports=65536)
        try:
            # The VM loads ejabberd's applications first: a minute on a busy machine.
            wait_for_port(self.port, self.ejabberd.process, timeout=300)
        except (RuntimeError, TimeoutError):
            print(self.ejabberd.log_tail(), file=sys.stderr)
            raise
        asyncio.run(xmpp_load.register_accounts(self.port, DOMAIN,
                                                [(user, PASSWORD) for user in self.users]))
        return self

    @property
    def pid(self):
        return self.ejabberd.pid

    def close(self):
        self.ejabberd.close()


def wait_for_port(port, process, timeout=30):
    import socket
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on {port}")


def run_steps(server, users, args):
    credentials = [(user, PASSWORD) for user in users]
    figures = {}
    cpu = cpu_seconds(server.pid)
    logins, elapsed, failures = asyncio.run(xmpp_load.measure_logins(
        server.port, DOMAIN, credentials, args.login_concurrency, args.seconds))
    figures["logins_per_s"] = logins / elapsed
    figures["cpu_ms_per_login"] = 1000 * (cpu_seconds(server.pid) - cpu) / max(logins, 1)
    figures["login_failures"] = len(failures)
    if failures:
        print(f"  first login failure: {failures[0]}", file=sys.stderr)

    cpu = cpu_seconds(server.pid)
    delivered, elapsed = asyncio.run(xmpp_load.measure_messages(
        server.port, DOMAIN, credentials, args.pairs, args.seconds, args.window))
    figures["messages_per_s"] = delivered / elapsed
    figures["cpu_us_per_message"] = 1e6 * (cpu_seconds(server.pid) - cpu) / max(delivered, 1)

    async def idle():
        before = resident_tree_mib(server.pid)
        clients = await xmpp_load.open_idle_connections(server.port, DOMAIN, credentials,
                                                        args.connections, args.login_concurrency)
        await asyncio.sleep(2)  # let allocators settle
        after = resident_tree_mib(server.pid)
        await asyncio.gather(*(client.close() for client in clients))
        return before, after

    before, after = asyncio.run(idle())
    figures["rss_mib_before"] = before
    figures["rss_mib_with_connections"] = after
    figures["kib_per_connection"] = (after - before) * 1024 / args.connections
    return figures


ROWS = (("logins/s", "logins_per_s"), ("CPU ms per login", "cpu_ms_per_login"),
        ("messages/s", "messages_per_s"), ("CPU µs per message", "cpu_us_per_message"),
        ("KiB per idle TLS connection", "kib_per_connection"))


def print_table(results):
    """The figures side by side, with Starling's ratio to each other server."""
    others = [name for name in results if name != "starling"]
    header = ["", *results, *(f"starling/{name}" for name in others if "starling" in results)]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, key in ROWS:
        cells = [label, *(f"{figures[key]:.2f}" for figures in results.values())]
        if "starling" in results:
            cells += [f"{results['starling'][key] / results[name][key]:.2f}x"
                      if results[name][key] else "-" for name in others]
        print("| " + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starling", default="build/release/starling")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--users", type=int, default=100, help="accounts on each server")
    parser.add_argument("--seconds", type=float, default=10, help="length of each timed step")
    parser.add_argument("--login-concurrency", type=int, default=16)
    parser.add_argument("--pairs", type=int, default=20, help="chatting sender/receiver pairs")
    parser.add_argument("--window", type=int, default=20, help="messages in flight per pair")
    parser.add_argument("--connections", type=int, default=10000,
                        help="idle connections for the memory step")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    systems = args.systems.split(",")
    if unknown := set(systems) - set(SYSTEMS):
        parser.error(f"unknown systems {sorted(unknown)}; choose from {SYSTEMS}")
    # Debian starts its own Prosody on 5222 and ejabberd on 5222 and 5280; the benchmark
    # runs its own.
    for system, binary in (("prosody", "prosody"), ("ejabberd", "/usr/sbin/ejabberdctl")):
        if system in systems and shutil.which(binary) is None:
            install(system, system)
    raise_file_limit(args.connections + 1000)
    users = [f"user{n}" for n in range(args.users)]
    work = tempfile.mkdtemp(prefix="starling-bench-xmpp-cert-")
    certificate = make_certificate(work)
    results = {}
    try:
        for system in systems:
            print(f"== {system}", flush=True)
            server = {"starling": lambda: StarlingServer(args.starling, users, certificate),
                      "prosody": lambda: ProsodyServer(users, certificate),
                      "ejabberd": lambda: EjabberdServer(users, certificate)}[system]()
            try:
                server.start()
                results[system] = run_steps(server, users, args)
            finally:
                server.close()
            for name, value in results[system].items():
                print(f"  {name:26} {value:12.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(results)
    print(f"load average while it ran: {os.getloadavg()}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
