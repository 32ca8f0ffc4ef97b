#!/usr/bin/env python3
"""Starling's XMPP service against Prosody on this machine, under the same load generator
(xmpp_load.py): logins per second, messages per second between online users, and resident
memory per idle authenticated TLS connection. Each figure comes with the server's CPU time
per operation (utime + stime from /proc), which does not depend on how fast the generator is.

Usage: python3 bench/xmpp/run.py [--starling build/release/starling] [--connections 10000]
Runs on 127.0.0.1 only. Needs prosody (Debian package; installed when missing, as root) and
Debian's python3; Starling gets a fresh data directory with --users users."""

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

from process_stats import cpu_seconds, resident_mib  # noqa: E402
from prosody import Prosody  # noqa: E402
from starling_harness import free_port  # noqa: E402
import xmpp_load  # noqa: E402

DOMAIN = "localhost"
PASSWORD = "bench-password-1"
# Prosody modules with a Starling counterpart, so both do the same work per stanza.
PROSODY_MODULES = ("roster", "saslauth", "tls", "disco", "carbons", "ping", "offline")


def raise_file_limit(count):
    wanted = count * 2 + 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))


class StarlingServer:
    def __init__(self, binary, users):
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
    def __init__(self, users):
        self.prosody = Prosody({user: PASSWORD for user in users}, domain=DOMAIN,
                               modules=PROSODY_MODULES, log_level="error")
        self.port = self.prosody.direct_tls_port

    def start(self):
        raise_file_limit(60000)  # inherited by the Prosody process
        self.prosody.start()
        return self

    @property
    def pid(self):
        return self.prosody._process.pid

    def close(self):
        self.prosody.close()


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
        before = resident_mib(server.pid)
        clients = await xmpp_load.open_idle_connections(server.port, DOMAIN, credentials,
                                                        args.connections, args.login_concurrency)
        await asyncio.sleep(2)  # let allocators settle
        after = resident_mib(server.pid)
        await asyncio.gather(*(client.close() for client in clients))
        return before, after

    before, after = asyncio.run(idle())
    figures["rss_mib_before"] = before
    figures["rss_mib_with_connections"] = after
    figures["kib_per_connection"] = (after - before) * 1024 / args.connections
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starling", default="build/release/starling")
    parser.add_argument("--systems", default="starling,prosody")
    parser.add_argument("--users", type=int, default=100, help="accounts on each server")
    parser.add_argument("--seconds", type=float, default=10, help="length of each timed step")
    parser.add_argument("--login-concurrency", type=int, default=16)
    parser.add_argument("--pairs", type=int, default=20, help="chatting sender/receiver pairs")
    parser.add_argument("--window", type=int, default=20, help="messages in flight per pair")
    parser.add_argument("--connections", type=int, default=10000,
                        help="idle connections for the memory step")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if shutil.which("prosody") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "prosody"], check=True)
        # Debian starts its own Prosody on 5222; the benchmark runs its own.
        subprocess.run(["systemctl", "disable", "--now", "prosody"], check=False)
    raise_file_limit(args.connections + 1000)
    users = [f"user{n}" for n in range(args.users)]
    results = {}
    for system in args.systems.split(","):
        print(f"== {system}", flush=True)
        server = (StarlingServer(args.starling, users) if system == "starling"
                  else ProsodyServer(users)).start()
        try:
            results[system] = run_steps(server, users, args)
        finally:
            server.close()
        for name, value in results[system].items():
            print(f"  {name:26} {value:12.2f}")
    if {"starling", "prosody"} <= results.keys():
        s, p = results["starling"], results["prosody"]
        print("== starling / prosody")
        print(f"  logins/s            {s['logins_per_s'] / p['logins_per_s']:.2f}x")
        print(f"  messages/s          {s['messages_per_s'] / p['messages_per_s']:.2f}x")
        print(f"  CPU per message     {s['cpu_us_per_message'] / p['cpu_us_per_message']:.2f}x")
        print(f"  memory/connection   {s['kib_per_connection'] / p['kib_per_connection']:.2f}x")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
