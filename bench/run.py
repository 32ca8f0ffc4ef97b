#!/usr/bin/env python3
"""Side-by-side benchmarks of Starling and the peers the issues name. Prints a table.

Usage: python3 bench/run.py [--starling build/release/starling] [--seconds 5] [--users 2000]

Registration: SIPp sends digest-authenticated registrations (REGISTER, 401, REGISTER, 200)
for distinct users from an injection file at rising rates, against Starling and against
Kamailio set up as an equivalent registrar (bench/registration/kamailio.cfg). Both servers
run at once and take turns at each rate (Starling's step, then Kamailio's, --repeat times),
so that both see the same machine: on a shared VM the CPU a step costs drifts by a tenth
or more within minutes. For each system it reports the highest rate with no failed
registration and the server's CPU time (utime + stime of all its processes) per successful
registration, the median of the repeats, and the ratio of the two. Then it registers
100,000 contacts with Starling and reports its resident memory.

Everything runs on 127.0.0.1. Each step is bounded in count and time.
"""

import argparse
import hashlib
import os
import shutil
import signal
import statistics
import sqlite3
import subprocess
import sys
import tempfile
import time

from process_stats import cpu_seconds, resident_mib

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIO = os.path.join(HERE, "registration", "scenario.xml")
PASSWORD = "benchpass"
REALM = "starling"
RATES = [1000, 2000, 4000, 6000, 8000, 10000, 12000, 15000, 18000, 20000]
# SIPp stands for thousands of phones on one socket, so it gets the answers a server sends
# them in a burst on one queue; its default of 64 KiB dropped them (on loopback each
# datagram takes about 2 KiB of it) and the retransmissions counted as server failures.
SIPP_SOCKET_BUFFER = 4 * 1024 * 1024


def free_port():
    import socket
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_users(directory, count, prefix):
    path = os.path.join(directory, f"{prefix}-users.csv")
    with open(path, "w", encoding="ascii") as users:
        users.write("SEQUENTIAL\n")
        for n in range(count):
            users.write(f"{prefix}{n};[authentication username={prefix}{n} password={PASSWORD}]\n")
    return path


def seed_starling_devices(starling, config, data_dir, count, prefix):
    """Creates one user through the CLI (which runs the migrations), then `count` devices by
    direct insertion: `starling device add` hashes an argon2id login password per user on
    purpose, which would make seeding 100,000 accounts take hours."""
    subprocess.run([starling, "-c", config, "user", "add", "benchowner"], check=True, capture_output=True)
    database = sqlite3.connect(os.path.join(data_dir, "starling.db"))
    owner = database.execute("SELECT id FROM users WHERE name = 'benchowner'").fetchone()[0]
    rows = []
    for n in range(count):
        name = f"{prefix}{n}"
        secret = f"{name}:{REALM}:{PASSWORD}".encode()
        rows.append((owner, name, REALM, hashlib.md5(secret).hexdigest(), hashlib.sha256(secret).hexdigest()))
    database.executemany(
        "INSERT INTO devices (user_id, auth_name, realm, ha1_md5, ha1_sha256) VALUES (?, ?, ?, ?, ?)", rows)
    database.commit()
    database.close()


def sipp(port, users, rate, count, seconds_limit, workdir, run=0):
    """Runs SIPp; returns (successful, failed)."""
    stats = os.path.join(workdir, f"stats-{port}-{rate}-{run}.csv")
    command = ["sipp", f"127.0.0.1:{port}", "-sf", SCENARIO, "-inf", users, "-i", "127.0.0.1",
               "-r", str(rate), "-m", str(count), "-l", str(max(rate * 2, 1000)), "-nostdin",
               "-timeout", f"{seconds_limit}s", "-trace_stat", "-stf", stats, "-fd", "1",
               "-max_socket", "1000", "-watchdog_minor_threshold", "100000",
               "-buff_size", str(SIPP_SOCKET_BUFFER)]
    subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=seconds_limit + 30)
    with open(stats, encoding="ascii") as table:
        lines = table.read().strip().splitlines()
    header = lines[0].split(";")
    last = lines[-1].split(";")
    success = int(last[header.index("SuccessfulCall(C)")])
    failed = int(last[header.index("FailedCall(C)")])
    return success, count - success if failed == 0 and success < count else failed


def measure(servers, users, seconds, repeat, workdir):
    """servers: (name, pid, port) each. Returns rows (name, rate, ok, failed, median CPU us per
    registration). A system leaves the steps after its first rate with a failure."""
    rows = []
    running = list(servers)
    for rate in RATES:
        results = {name: [] for name, _, _ in running}
        for run in range(repeat):
            for name, pid, port in running:
                before = cpu_seconds(pid)
                success, failed = sipp(port, users, rate, rate * seconds, seconds * 4, workdir, run)
                spent = cpu_seconds(pid) - before
                per_registration = spent / success * 1e6 if success else float("nan")
                results[name].append((success, failed, per_registration))
                print(f"  {name}: {rate}/s -> {success} ok, {failed} failed, {per_registration:.1f} us CPU each",
                      flush=True)
        for name, _, _ in running:
            steps = results[name]
            rows.append((name, rate, sum(s for s, _, _ in steps), sum(f for _, f, _ in steps),
                         statistics.median(cpu for _, _, cpu in steps)))
        running = [server for server in running if sum(f for _, f, _ in results[server[0]]) == 0]
        if not running:
            break
    return rows


def start_starling(binary, workdir, port, prefix, count):
    data_dir = os.path.join(workdir, "starling-var")
    config = os.path.join(workdir, "starling.toml")
    with open(config, "w", encoding="ascii") as out:
        out.write(f'data_dir = "{data_dir}"\n[log]\nlevel = "warn"\n[network]\naddress = "127.0.0.1"\n'
                  f"[sip]\nudp_port = {port}\ntcp_port = {port}\ntls_port = {free_port()}\n"
                  f"ban_failures = 100000\n[http]\nenabled = false\n[xmpp]\nenabled = false\n"
                  "[provisioning]\nenabled = false\n")
    seed_starling_devices(binary, config, data_dir, count, prefix)
    server = subprocess.Popen([binary, "-c", config, "serve"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    return server


def start_kamailio(workdir, port, workers):
    config = os.path.join(workdir, "kamailio.cfg")
    with open(os.path.join(HERE, "registration", "kamailio.cfg"), encoding="ascii") as template:
        text = template.read().replace("WORKERS", str(workers)).replace("LISTEN_ADDRESS", f"udp:127.0.0.1:{port}")
    with open(config, "w", encoding="ascii") as out:
        out.write(text)
    server = subprocess.Popen(["/usr/sbin/kamailio", "-DD", "-E", "-f", config, "-m", "256", "-M", "16"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    return server


def stop(server):
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def best_rate(rows):
    clean = [rate for (_, rate, _, failed, _) in rows if failed == 0]
    return max(clean) if clean else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--starling", default="build/release/starling")
    parser.add_argument("--seconds", type=int, default=5, help="length of each rate step")
    parser.add_argument("--users", type=int, default=2000, help="distinct users registering")
    parser.add_argument("--contacts", type=int, default=100000, help="contacts for the memory step")
    parser.add_argument("--kamailio-workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="turns per rate and system (median taken)")
    args = parser.parse_args()
    for tool in ("sipp", "/usr/sbin/kamailio"):
        if not shutil.which(tool):
            sys.exit(f"bench: {tool} is missing; apt-get install sip-tester kamailio")
    starling = os.path.abspath(args.starling)
    workdir = tempfile.mkdtemp(prefix="starling-bench-")
    users = write_users(workdir, args.users, "u")
    try:
        starling_port = free_port()
        starling_server = start_starling(starling, workdir, starling_port, "u", args.users)
        kamailio_port = free_port()
        kamailio_server = start_kamailio(workdir, kamailio_port, args.kamailio_workers)
        print(f"Starling and Kamailio ({args.kamailio_workers} workers), taking turns", flush=True)
        results = measure([("starling", starling_server.pid, starling_port),
                           ("kamailio", kamailio_server.pid, kamailio_port)],
                          users, args.seconds, max(args.repeat, 1), workdir)
        stop(starling_server)
        stop(kamailio_server)

        print("Starling memory", flush=True)
        shutil.rmtree(os.path.join(workdir, "starling-var"), ignore_errors=True)
        port = free_port()
        server = start_starling(starling, workdir, port, "m", args.contacts)
        # The first start hashes the new administrator's password (argon2id, 64 MiB); start
        # again so the figure is that of a running PBX, not of its first minute.
        stop(server)
        server = subprocess.Popen([starling, "-c", os.path.join(workdir, "starling.toml"), "serve"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        baseline = resident_mib(server.pid)
        many = write_users(workdir, args.contacts, "m")
        success, failed = sipp(port, many, 5000, args.contacts, args.contacts // 1000 + 60, workdir)
        loaded = resident_mib(server.pid)
        stop(server)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(f"{'system':10} {'rate/s':>8} {'ok':>8} {'failed':>7} {'CPU us/reg':>11}")
    for name, rate, ok, bad, cpu in sorted(results, key=lambda row: (row[0] != "starling", row[1])):
        print(f"{name:10} {rate:>8} {ok:>8} {bad:>7} {cpu:>11.1f}")
    print()
    kamailio_cpu = {rate: cpu for name, rate, _, bad, cpu in results if name == "kamailio" and bad == 0}
    ratios = [(rate, cpu / kamailio_cpu[rate]) for name, rate, _, bad, cpu in results
              if name == "starling" and bad == 0 and rate in kamailio_cpu]
    print("CPU per registration, Starling / Kamailio: " +
          ", ".join(f"{ratio:.2f} at {rate}/s" for rate, ratio in ratios))
    for name in ("starling", "kamailio"):
        rows = [r for r in results if r[0] == name]
        clean = [r[4] for r in rows if r[3] == 0]
        print(f"{name}: highest rate without failures {best_rate(rows)}/s, "
              f"CPU per registration {min(clean) if clean else float('nan'):.1f}-{max(clean) if clean else float('nan'):.1f} us")
    print(f"starling memory: {success} contacts registered ({failed} failed), resident {baseline:.1f} MiB idle, "
          f"{loaded:.1f} MiB with the contacts ({(loaded - baseline) * 1024 * 1024 / max(success, 1):.0f} bytes each)")


if __name__ == "__main__":
    main()
