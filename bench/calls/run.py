#!/usr/bin/env python3
"""Call benchmark: Starling's B2BUA and media relay side by side with Kamailio + rtpengine.

Usage: python3 bench/calls/run.py [--systems starling,kamailio,floor] [--starling PATH]
       [--seconds 10] [--rates 250,500,...] [--media-calls 100,500] [--keep]

Every system gets the same callers and callees, all SIPp on 127.0.0.1:
- a callee SIPp that registers its own socket ("callee", number 2002) and answers calls with
  its out-of-call scenario (register.xml + uas.xml or uas_media.xml);
- a caller SIPp (uac.xml, uac_media.xml) calling 2002 as "caller", answering a 407 challenge.

Signalling: full calls (INVITE, 407, ACK, INVITE, 100/180, 200, ACK, BYE) with the media relay
allocated in both SDPs but no RTP, at rising rates (--seconds each); per rate, the calls that
succeeded and failed and the server's CPU time (utime + stime of all its processes, from
/proc/PID/stat; Kamailio and rtpengine summed) per successful call. The steps stop at the
first rate with a failed call.

Media: --media-calls concurrent calls each sending G.711 (160 bytes every 20 ms) both ways
through the relay (SIPp rtp_stream). Over --seconds of steady state: the packets the relay
delivered per second and its CPU time per delivered packet. SIPp never reads its RTP sockets,
so every packet the relay delivers ends as a receive drop of a SIPp socket: the drop counters
of /proc/net/udp count the relayed packets the same way for every relay.

Latency: beside that load, one more call whose two ends are latency_probe.py: one-way
latency of its packets through the relay (p50, p99), then straight between its two sockets;
the difference is what the relay adds.

Floor: udp_forwarder.cpp (built here with g++), the least a per-call relay does, under the
same media load from rtp_load.py: its CPU per packet and latency.

Systems: "kamailio" (Kamailio 5.6 as a stateful proxy, kamailio.cfg, with rtpengine in
userspace), "starling" (build/release/starling serve; needs its B2BUA), "floor".
Each step is bounded in time; everything listens on 127.0.0.1 only.
"""

import argparse
import glob
import json
import math
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PASSWORD = "benchpass"
ADDRESS = "127.0.0.1"

# Who calls whom. kamailio.cfg has the same numbers and users.
CALLER = ("caller", "2001")
CALLEE = ("callee", "2002")
PROBE = ("probe", "2003")  # the latency probe's callee

# Fixed port layout below Linux's ephemeral range (32768-60999), so that no outgoing
# connection of another program takes them; SIP ports are picked at random in SIP_PORTS.
RELAY_PORTS = (10000, 19999)  # the relay's RTP/RTCP ports: rtpengine, Starling, udp_forwarder
CALLER_MEDIA = 20000          # SIPp -mp of the callers; rtp_stream sockets count up from it
CALLEE_MEDIA = 22000          # the same for the callees
PROBE_CALLER_MEDIA = 24000    # the probe's sockets are -mp + 4 (see uac.xml)
PROBE_CALLEE_MEDIA = 24010
SIP_PORTS = (25000, 32000)
MAX_MEDIA_CALLS = 1000

PACKETS_PER_CALL = 100  # 50 packets/s in each direction
RAMP_RATE = 100         # calls/s while the media calls are set up


# ---- processes and their CPU ---------------------------------------------------------------

def process_tree(pid):
    """pid and all its descendants (Kamailio's workers, for one)."""
    children = {}
    for stat_file in glob.glob("/proc/[0-9]*/stat"):
        try:
            with open(stat_file, encoding="ascii", errors="replace") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat_file.split("/")[2]))
    pids, index = [pid], 0
    while index < len(pids):
        pids.extend(children.get(pids[index], []))
        index += 1
    return pids


def cpu_seconds(pids):
    """utime + stime of the processes and their descendants."""
    total = 0
    for root in pids:
        for pid in process_tree(root):
            try:
                with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])
            except (FileNotFoundError, ProcessLookupError):
                pass
    return total / CLOCK_TICKS


def children_cpu():
    """CPU time of this driver's finished (waited-for) child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def socket_inodes(pids):
    """The inodes of the sockets these processes and their descendants hold."""
    inodes = set()
    for root in pids:
        for pid in process_tree(root):
            for fd in glob.glob(f"/proc/{pid}/fd/*"):
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def udp_drops(inodes):
    """Receive drops summed over these UDP sockets (/proc/net/udp)."""
    total = 0
    with open("/proc/net/udp", encoding="ascii") as table:
        next(table)
        for line in table:
            fields = line.split()
            if fields[9] in inodes:
                total += int(fields[12])
    return total


def cpu_pressure():
    """A reading of the kernel's CPU pressure (/proc/pressure/cpu): microseconds in which some
    runnable task waited for a CPU, and when. None without PSI."""
    try:
        with open("/proc/pressure/cpu", encoding="ascii") as pressure:
            total = int(pressure.readline().rsplit("total=", 1)[1])
    except (OSError, IndexError, ValueError):
        return None
    return total, time.monotonic()


def pressure_share(before, after):
    """The share of the time between two cpu_pressure() readings in which a task waited for a
    CPU: other people's builds (or SIPp itself) competing with the server inflate CPU per call
    and latency, so every step reports it. NaN without PSI."""
    if before is None or after is None:
        return float("nan")
    return (after[0] - before[0]) / 1e6 / max(after[1] - before[1], 1e-3)


def finish(process, timeout):
    """Waits for a process to end by itself; stops it if it has not after `timeout` seconds."""
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(process)


def difference(after, before):
    return {name: after[name] - before.get(name, 0.0) for name in after}


def split_text(values, decimals):
    return ", ".join(f"{name} {value:.{decimals}f}" for name, value in values.items())


def stop(process, timeout=10):
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port(taken=()):
    for _ in range(200):
        port = random.randrange(*SIP_PORTS)
        if port in taken:
            continue
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, \
                 socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                udp.bind((ADDRESS, port))
                tcp.bind((ADDRESS, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


def wait_for_sip(port, seconds=15):
    """Sends OPTIONS until the server answers anything."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((ADDRESS, 0))
        probe.settimeout(0.5)
        local = probe.getsockname()[1]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            probe.sendto((f"OPTIONS sip:{ADDRESS}:{port} SIP/2.0\r\n"
                          f"Via: SIP/2.0/UDP {ADDRESS}:{local};branch=z9hG4bK{random.getrandbits(32)}\r\n"
                          f"Max-Forwards: 70\r\nFrom: <sip:bench@{ADDRESS}>;tag=1\r\nTo: <sip:{ADDRESS}>\r\n"
                          f"Call-ID: {random.getrandbits(64)}@bench\r\nCSeq: 1 OPTIONS\r\n"
                          "Content-Length: 0\r\n\r\n").encode(), (ADDRESS, port))
            try:
                probe.recv(65535)
                return
            except socket.timeout:
                continue
    raise RuntimeError(f"nothing answers SIP on port {port}")


# ---- the systems under test ----------------------------------------------------------------

class Kamailio:
    """Kamailio (kamailio.cfg) with rtpengine in userspace, controlled over ng on loopback."""

    name = "kamailio"

    def __init__(self, workdir, workers, auth):
        self.kamailio = self.rtpengine = None
        try:
            self._start(workdir, workers, auth)
        except Exception:
            self.stop()
            raise

    def _start(self, workdir, workers, auth):
        self.sip_port = free_port()
        self.ng_port = free_port({self.sip_port})
        log = open(os.path.join(workdir, "rtpengine.log"), "a", encoding="utf-8")
        self.rtpengine = subprocess.Popen(
            ["rtpengine", "--config-file=none", "--foreground", "--log-stderr", "--log-level=4",
             f"--interface={ADDRESS}", f"--listen-ng={ADDRESS}:{self.ng_port}",
             f"--port-min={RELAY_PORTS[0]}", f"--port-max={RELAY_PORTS[1]}",
             "--table=-1",        # no kernel forwarding: userspace only
             "--delete-delay=0",  # free a call's ports at BYE, not 30 s later
             "--timeout=60"], stdout=log, stderr=log)
        self._wait_for_ng()
        config = os.path.join(workdir, "kamailio.cfg")
        with open(os.path.join(HERE, "kamailio.cfg"), encoding="ascii") as template:
            text = (template.read().replace("LISTEN_ADDRESS", f"udp:{ADDRESS}:{self.sip_port}")
                    .replace("WORKERS", str(workers)).replace("NG_SOCKET", f"udp:{ADDRESS}:{self.ng_port}"))
        with open(config, "w", encoding="ascii") as out:
            out.write(text)
        log = open(os.path.join(workdir, "kamailio.log"), "a", encoding="utf-8")
        defines = ["-A", "WITH_AUTH"] if auth else []
        self.kamailio = subprocess.Popen(["kamailio", "-DD", "-E", "-f", config, *defines, "-m", "1024", "-M", "32"],
                                         stdout=log, stderr=log)
        wait_for_sip(self.sip_port)

    def _wait_for_ng(self, seconds=10):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as ng:
            ng.settimeout(0.3)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                ng.sendto(b"ping d7:command4:pinge", (ADDRESS, self.ng_port))
                try:
                    if b"pong" in ng.recv(1000):
                        return
                except (socket.timeout, ConnectionRefusedError):
                    time.sleep(0.2)
        raise RuntimeError("rtpengine does not answer ng ping")

    def pids(self):
        return [self.kamailio.pid, self.rtpengine.pid]

    def cpu_split(self):
        return {"kamailio": cpu_seconds([self.kamailio.pid]), "rtpengine": cpu_seconds([self.rtpengine.pid])}

    def stop(self):
        stop(self.kamailio)
        stop(self.rtpengine)


class Starling:
    """starling serve with a caller, a callee and the probe's callee in its directory."""

    name = "starling"

    def __init__(self, workdir, binary):
        self.server = None
        try:
            self._start(workdir, binary)
        except Exception:
            self.stop()
            raise

    def _start(self, workdir, binary):
        self.sip_port = free_port()
        directory = tempfile.mkdtemp(prefix="starling-", dir=workdir)
        config = os.path.join(directory, "starling.toml")
        with open(config, "w", encoding="ascii") as out:
            out.write(f'data_dir = "{directory}/var"\n[log]\nlevel = "warn"\n'
                      f'[network]\naddress = "{ADDRESS}"\n'
                      f"[sip]\nudp_port = {self.sip_port}\ntcp_port = {self.sip_port}\n"
                      f"tls_port = {free_port({self.sip_port})}\nban_failures = 100000\n"
                      f"[media]\nrtp_port_min = {RELAY_PORTS[0]}\nrtp_port_max = {RELAY_PORTS[1]}\n"
                      "[http]\nenabled = false\n[xmpp]\nenabled = false\n"
                      "[provisioning]\nenabled = false\nmulticast_pnp = false\n")
        for user, number in (CALLER, CALLEE, PROBE):
            self._cli(binary, config, ["user", "add", user, "--ext", number, "--password-stdin"], PASSWORD)
            self._cli(binary, config, ["device", "add", user, "--name", user, "--password-stdin"], PASSWORD)
        log = open(os.path.join(directory, "serve.log"), "w", encoding="utf-8")
        self.server = subprocess.Popen([binary, "-c", config, "serve"], stdout=log, stderr=log, cwd=directory)
        wait_for_sip(self.sip_port)

    @staticmethod
    def _cli(binary, config, arguments, stdin):
        done = subprocess.run([binary, "-c", config, *arguments], input=stdin + "\n", capture_output=True,
                              text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"starling {' '.join(arguments)}: {done.stderr.strip()}")

    def pids(self):
        return [self.server.pid]

    def cpu_split(self):
        return {"starling": cpu_seconds(self.pids())}

    def stop(self):
        stop(self.server)


# ---- SIPp ----------------------------------------------------------------------------------

def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as text:
            return text.read()
    except FileNotFoundError:
        return ""


def logged_relays(log):
    """(address, port) of the relay in each call's SDP, as uac.xml and uas.xml log them."""
    return re.findall(r"^relay ([0-9.]+) ([0-9]+) ", read_text(log), re.M)


def injection_file(workdir, user):
    path = os.path.join(workdir, f"{user}.csv")
    with open(path, "w", encoding="ascii") as out:
        out.write(f"SEQUENTIAL\n{user};[authentication username={user} password={PASSWORD}]\n")
    return path


class Callee:
    """A SIPp that registers `user` from its own socket and answers calls with `scenario`
    for `lifetime` seconds."""

    def __init__(self, workdir, server, user, sip_port, media_port, scenario, lifetime):
        self.workdir = workdir
        self.process = subprocess.Popen(
            ["sipp", f"{ADDRESS}:{server.sip_port}", "-sf", os.path.join(HERE, "register.xml"),
             "-oocsf", os.path.join(HERE, scenario), "-inf", injection_file(workdir, user),
             "-i", ADDRESS, "-mi", ADDRESS, "-p", str(sip_port), "-mp", str(media_port),
             "-m", "1", "-d", str(int(lifetime * 1000)), "-rtp_buffsize", "16384",
             "-nostdin", "-trace_logs", "-trace_err", "-timeout", f"{int(lifetime) + 30}s"],
            cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.log = os.path.join(workdir, f"register_{self.process.pid}_logs.log")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if "registered" in read_text(self.log):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{user} could not register (see {workdir})")

    def stop(self):
        stop(self.process)


def caller(workdir, server, scenario, number, rate, count, limit, hold_ms, media_port, seconds_limit, tag):
    """Starts a caller SIPp placing `count` calls at `rate` per second, at most `limit` at once;
    returns (process, stat file, log file)."""
    stats = os.path.join(workdir, f"stats-{tag}.csv")
    process = subprocess.Popen(
        ["sipp", f"{ADDRESS}:{server.sip_port}", "-sf", os.path.join(HERE, scenario), "-s", number,
         # SIPp digests over sip:remote_ip:port unless told the Request-URI; Starling checks it.
         "-auth_uri", f"{number}@{ADDRESS}:{server.sip_port}",
         "-inf", injection_file(workdir, CALLER[0]), "-i", ADDRESS, "-mi", ADDRESS,
         "-p", str(free_port({server.sip_port})), "-mp", str(media_port),
         "-r", str(rate), "-m", str(count), "-l", str(limit),
         "-d", str(hold_ms), "-rtp_buffsize", "16384", "-nostdin", "-timeout", f"{int(seconds_limit)}s",
         # A call still waiting for an answer after 10 s fails (and is logged) rather than
         # hanging until SIPp's -timeout, where it would count as neither success nor failure.
         "-recv_timeout", "10000", "-watchdog_minor_threshold", "100000",
         "-trace_stat", "-stf", stats, "-fd", "1", "-trace_logs", "-trace_err"],
        cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, stats, os.path.join(workdir, f"{os.path.splitext(scenario)[0]}_{process.pid}_logs.log")


def last_stats(stats):
    """The last row of a SIPp statistics file as a dict, or {}."""
    try:
        with open(stats, encoding="ascii") as table:
            lines = table.read().strip().splitlines()
    except FileNotFoundError:
        return {}
    if len(lines) < 2:
        return {}
    return dict(zip(lines[0].split(";"), lines[-1].split(";")))


# ---- signalling: calls per second ----------------------------------------------------------

def measure_calls(system, workdir, args, callee_port):
    rows = []
    callee = Callee(workdir, system, CALLEE[0], callee_port, CALLEE_MEDIA, "uas.xml",
                    lifetime=len(args.rates) * (args.seconds * 3 + 15))
    try:
        for rate in args.rates:
            count = rate * args.seconds
            before, pressure = system.cpu_split(), cpu_pressure()
            # The load generators' CPU, to see when they rather than the server are the limit.
            sipp_before = cpu_seconds([callee.process.pid]) + children_cpu()
            # Calls last hold_ms plus their set-up: three times the rate never limits a server
            # that keeps up, and stops SIPp piling up calls on one that does not.
            process, stats, _ = caller(workdir, system, "uac.xml", CALLEE[1], rate, count, rate * 3,
                                       args.hold_ms, CALLER_MEDIA, args.seconds * 3 + 10, f"{system.name}-{rate}")
            finish(process, args.seconds * 3 + 40)
            time.sleep(1.0)  # the BYEs' last transactions and relay deletes
            spent, waited = difference(system.cpu_split(), before), pressure_share(pressure, cpu_pressure())
            sipp = cpu_seconds([callee.process.pid]) + children_cpu() - sipp_before
            last = last_stats(stats)
            ok = int(last.get("SuccessfulCall(C)", 0))
            failed = max(int(last.get("FailedCall(C)", 0)), count - ok)
            per_call = {name: seconds / ok * 1e6 if ok else float("nan") for name, seconds in spent.items()}
            rows.append({"system": system.name, "rate": rate, "ok": ok, "failed": failed,
                         "cpu_us_per_call": sum(per_call.values()), "cpu_us_per_call_split": per_call,
                         "retransmissions": int(last.get("Retransmissions(C)", 0)), "cpu_pressure": waited,
                         "sipp_us_per_call": sipp / ok * 1e6 if ok else float("nan")})
            print(f"  {system.name}: {rate} calls/s -> {ok} ok, {failed} failed, "
                  f"{rows[-1]['cpu_us_per_call']:.0f} us CPU per call ({split_text(per_call, 0)}), "
                  f"{rows[-1]['retransmissions']} retransmissions; SIPp {rows[-1]['sipp_us_per_call']:.0f} us per call, "
                  f"CPU pressure {waited * 100:.0f}%", flush=True)
            if failed:
                break
    finally:
        callee.stop()
    return rows


# ---- media: relayed packets, CPU per packet, latency ---------------------------------------

def run_probe(arguments, seconds):
    done = subprocess.run([sys.executable, os.path.join(HERE, "latency_probe.py"), *arguments,
                           "--seconds", str(seconds)], capture_output=True, text=True, timeout=seconds + 30)
    if done.returncode != 0:
        raise RuntimeError(f"latency probe: {done.stderr.strip()}")
    return json.loads(done.stdout)["both"]


def probe_latency(to_callee, to_caller, seconds):
    """The probe through the relay (to the relay's ports for each end), then directly; returns
    both summaries and the CPU pressure while it went through the relay."""
    ends = ["--caller-port", str(PROBE_CALLER_MEDIA + 4), "--callee-port", str(PROBE_CALLEE_MEDIA + 4)]
    pressure = cpu_pressure()
    relay = run_probe(ends + ["--to-callee", to_callee, "--to-caller", to_caller], seconds)
    relay["cpu_pressure"] = pressure_share(pressure, cpu_pressure())
    return relay, run_probe(ends + ["--direct"], seconds)


def window(cpu_split, endpoint_pids, seconds):
    """Over `seconds`: the CPU of the relay's processes (a dict by process), the packets it
    delivered to the endpoints, the seconds it took and the CPU pressure."""
    inodes = socket_inodes(endpoint_pids)
    pressure, cpu = cpu_pressure(), cpu_split()
    started, drops = time.monotonic(), udp_drops(inodes)
    time.sleep(seconds)
    packets, elapsed = udp_drops(inodes) - drops, time.monotonic() - started
    return difference(cpu_split(), cpu), packets, elapsed, pressure_share(pressure, cpu_pressure())


def media_row(name, calls, cpu, packets, elapsed, waited, relay, direct):
    per_packet = {process: seconds / packets * 1e6 if packets else float("nan") for process, seconds in cpu.items()}
    row = {"system": name, "calls": calls, "offered_pps": calls * PACKETS_PER_CALL,
           "relayed_pps": packets / elapsed, "cpu_us_per_packet": sum(per_packet.values()),
           "cpu_us_per_packet_split": per_packet, "cpu_share": sum(cpu.values()) / elapsed,
           "relay_p50": relay["p50_us"], "relay_p99": relay["p99_us"],
           "direct_p50": direct["p50_us"], "direct_p99": direct["p99_us"],
           "probe_lost": relay["sent"] - relay["received"], "cpu_pressure": waited,
           "probe_cpu_pressure": relay["cpu_pressure"]}
    print(f"  {name}: {calls} calls -> {row['relayed_pps']:.0f} packets/s relayed (of {row['offered_pps']}), "
          f"{row['cpu_us_per_packet']:.2f} us CPU per packet ({split_text(per_packet, 2)}; "
          f"{row['cpu_share'] * 100:.0f}% of a core, CPU pressure {waited * 100:.0f}%); "
          f"latency p50/p99 {relay['p50_us']:.0f}/{relay['p99_us']:.0f} us through the relay, "
          f"{direct['p50_us']:.0f}/{direct['p99_us']:.0f} us direct, {row['probe_lost']} probe packets lost, "
          f"CPU pressure {relay['cpu_pressure'] * 100:.0f}%",
          flush=True)
    return row


def measure_media(system, workdir, args, callee_port, probe_port, calls):
    ramp = calls / RAMP_RATE
    settle = 3.0
    probe_time = 2 * args.probe_seconds + 6
    hold = ramp + settle + args.seconds + probe_time + 5
    lifetime = ramp + hold + 20
    callee = Callee(workdir, system, CALLEE[0], callee_port, CALLEE_MEDIA, "uas_media.xml", lifetime)
    probe_callee = Callee(workdir, system, PROBE[0], probe_port, PROBE_CALLEE_MEDIA, "uas.xml", lifetime)
    load = probe_call = None
    try:
        load, stats, _ = caller(workdir, system, "uac_media.xml", CALLEE[1], RAMP_RATE, calls, calls,
                                int(hold * 1000), CALLER_MEDIA, lifetime + 10, f"{system.name}-media-{calls}")
        deadline = time.monotonic() + ramp + 15
        while time.monotonic() < deadline:
            last = last_stats(stats)
            if int(last.get("FailedCall(C)", 0)):
                raise RuntimeError(f"media calls failed: {last.get('FailedCall(C)')}")
            if int(last.get("OutgoingCall(C)", 0)) >= calls:
                break
            time.sleep(0.5)
        else:
            raise RuntimeError(f"{calls} media calls not set up within {ramp + 15:.0f} s")
        time.sleep(settle)  # answers, ACKs, and SIPp's receive buffers filling up
        cpu, packets, elapsed, waited = window(system.cpu_split, [load.pid, callee.process.pid], args.seconds)

        probe_call, _, probe_log = caller(workdir, system, "uac.xml", PROBE[1], 1, 1, 1, int(probe_time * 1000),
                                          PROBE_CALLER_MEDIA, probe_time + 20, f"{system.name}-probe-{calls}")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not (logged_relays(probe_log) and logged_relays(probe_callee.log)):
            time.sleep(0.1)
        answer, offer = logged_relays(probe_log), logged_relays(probe_callee.log)
        if not answer or not offer:
            raise RuntimeError("the probe call was not set up")
        relay, direct = probe_latency(":".join(answer[-1]), ":".join(offer[-1]), args.probe_seconds)
        row = media_row(system.name, calls, cpu, packets, elapsed, waited, relay, direct)
        finish(load, ramp + 30)  # the calls end with their BYEs
        finish(probe_call, 30)
        return row
    finally:
        for process in (load, probe_call):
            stop(process)
        callee.stop()
        probe_callee.stop()


def measure_floor(workdir, args, calls):
    """udp_forwarder under rtp_load.py's media, with the probe as call number `calls`."""
    binary = os.path.join(workdir, "udp_forwarder")
    if not os.path.exists(binary):
        subprocess.run(["g++", "-std=c++20", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary,
                        os.path.join(HERE, "udp_forwarder.cpp")], check=True)
    settle = 3.0
    lifetime = settle + args.seconds + 2 * args.probe_seconds + 10
    forwarder = subprocess.Popen([binary, ADDRESS, str(RELAY_PORTS[0]), str(calls + 1), str(int(lifetime) + 10)],
                                 stdout=subprocess.DEVNULL)
    load = subprocess.Popen([sys.executable, os.path.join(HERE, "rtp_load.py"), ADDRESS, str(CALLER_MEDIA),
                             str(RELAY_PORTS[0]), str(calls), str(int(lifetime))])
    try:
        time.sleep(settle)
        cpu, packets, elapsed, waited = window(lambda: {"udp_forwarder": cpu_seconds([forwarder.pid])},
                                             [load.pid], args.seconds)
        probe_leg = RELAY_PORTS[0] + 4 * calls
        relay, direct = probe_latency(f"{ADDRESS}:{probe_leg}", f"{ADDRESS}:{probe_leg + 2}", args.probe_seconds)
        return media_row("floor", calls, cpu, packets, elapsed, waited, relay, direct)
    finally:
        stop(load)
        stop(forwarder)


# ---- main ----------------------------------------------------------------------------------

def ensure_tools(systems):
    needed = {"sipp": "sip-tester", "g++": "g++"}
    if "kamailio" in systems:
        needed.update({"kamailio": "kamailio", "rtpengine": "rtpengine-daemon"})
    missing = [package for tool, package in needed.items() if not shutil.which(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"bench: missing {' '.join(missing)}; apt-get install {' '.join(missing)}")
    print(f"installing {' '.join(missing)}", flush=True)
    subprocess.run(["apt-get", "install", "-y", "--no-install-recommends", *missing], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def write_tone(workdir):
    """One second of a 440 Hz tone as raw G.711 u-law, for SIPp's rtp_stream."""
    def ulaw(sample):
        sign = 0x80 if sample < 0 else 0
        sample = min(abs(sample), 32635) + 0x84
        exponent = max(0, sample.bit_length() - 8)
        return ~(sign | (exponent << 4) | ((sample >> (exponent + 3)) & 0x0F)) & 0xFF
    with open(os.path.join(workdir, "g711u.raw"), "wb") as out:
        out.write(bytes(ulaw(int(8000 * math.sin(2 * math.pi * 440 * n / 8000))) for n in range(8000)))


def print_tables(call_rows, media_rows):
    if call_rows:
        print()
        print(f"{'system':10} {'rate/s':>7} {'ok':>7} {'failed':>7} {'CPU us/call':>12}")
        for r in call_rows:
            print(f"{r['system']:10} {r['rate']:>7} {r['ok']:>7} {r['failed']:>7} {r['cpu_us_per_call']:>12.0f}")
        for name in dict.fromkeys(r["system"] for r in call_rows):
            clean = [r for r in call_rows if r["system"] == name and r["failed"] == 0]
            if clean:
                cpu = [r["cpu_us_per_call"] for r in clean]
                print(f"{name}: highest rate without failures {max(r['rate'] for r in clean)} calls/s, "
                      f"CPU per call {min(cpu):.0f}-{max(cpu):.0f} us")
            else:
                print(f"{name}: no rate without failures")
    if media_rows:
        print()
        print(f"{'system':10} {'calls':>6} {'relayed/s':>10} {'offered/s':>10} {'CPU us/pkt':>11} "
              f"{'relay p50/p99 us':>17} {'direct p50/p99':>15} {'added p50/p99':>14}")
        for r in media_rows:
            print(f"{r['system']:10} {r['calls']:>6} {r['relayed_pps']:>10.0f} {r['offered_pps']:>10} "
                  f"{r['cpu_us_per_packet']:>11.2f} {r['relay_p50']:>8.0f}/{r['relay_p99']:<8.0f} "
                  f"{r['direct_p50']:>7.0f}/{r['direct_p99']:<7.0f} "
                  f"{r['relay_p50'] - r['direct_p50']:>6.0f}/{r['relay_p99'] - r['direct_p99']:<7.0f}")


def start_system(name, workdir, args):
    if name == "starling":
        return Starling(workdir, os.path.abspath(args.starling))
    return Kamailio(workdir, args.kamailio_workers, not args.kamailio_no_auth)


def run_system(name, workdir, args):
    """Every benchmark step for one system; returns (signalling rows, media rows). The media
    steps get a freshly started server: the last signalling step overloaded the first one on
    purpose, and its leftovers (retransmissions, timers) would count as media work. A system
    that fails (Starling before its B2BUA lands) is reported and leaves the others running."""
    call_rows, media_rows = [], []
    media_calls = [] if args.skip_media else args.media_calls
    if name == "floor":
        for calls in media_calls:
            try:
                media_rows.append(measure_floor(workdir, args, calls))
            except (RuntimeError, subprocess.SubprocessError) as error:
                print(f"  floor: {calls} calls: {error}", flush=True)
        return call_rows, media_rows
    phases = ([] if args.skip_calls else ["calls"]) + (["media"] if media_calls else [])
    for phase in phases:
        try:
            system = start_system(name, workdir, args)
        except (RuntimeError, OSError, subprocess.SubprocessError) as error:
            print(f"  {name}: does not start: {error}", flush=True)
            break
        callee_port = free_port({system.sip_port})
        probe_port = free_port({system.sip_port, callee_port})
        try:
            if phase == "calls":
                call_rows += measure_calls(system, workdir, args, callee_port)
            for calls in media_calls if phase == "media" else []:
                try:
                    media_rows.append(measure_media(system, workdir, args, callee_port, probe_port, calls))
                except (RuntimeError, subprocess.SubprocessError) as error:
                    print(f"  {name}: {calls} media calls: {error}", flush=True)
        except (RuntimeError, subprocess.SubprocessError) as error:
            print(f"  {name}: {error}", flush=True)
        finally:
            system.stop()
    return call_rows, media_rows


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", default="starling,kamailio,floor",
                        help="comma-separated: starling, kamailio, floor")
    parser.add_argument("--starling", default="build/release/starling")
    parser.add_argument("--seconds", type=int, default=10, help="length of each rate step and media window (<= 20)")
    parser.add_argument("--rates", default="250,500,750,1000,1500,2000,3000", help="calls/s, comma-separated")
    parser.add_argument("--hold-ms", type=int, default=500, help="how long each signalling-benchmark call lasts")
    parser.add_argument("--media-calls", default="100,500", help="concurrent media calls, comma-separated")
    parser.add_argument("--probe-seconds", type=int, default=8, help="latency probe length, per path")
    parser.add_argument("--kamailio-workers", type=int, default=4)
    parser.add_argument("--kamailio-no-auth", action="store_true", help="Kamailio relays INVITEs without a 407")
    parser.add_argument("--skip-calls", action="store_true", help="only the media benchmark")
    parser.add_argument("--skip-media", action="store_true", help="only the signalling benchmark")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the working directory (logs, SIPp traces)")
    args = parser.parse_args()
    args.rates = [int(rate) for rate in args.rates.split(",")]
    args.media_calls = [int(calls) for calls in args.media_calls.split(",")]
    args.seconds = min(max(args.seconds, 1), 20)
    systems = [name.strip() for name in args.systems.split(",")]
    if any(calls > MAX_MEDIA_CALLS for calls in args.media_calls):
        sys.exit(f"bench: at most {MAX_MEDIA_CALLS} media calls (the port layout)")
    ensure_tools(systems)
    # SIPp, rtp_load.py and udp_forwarder open two sockets per media call; they inherit this.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    workdir = tempfile.mkdtemp(prefix="starling-calls-")
    write_tone(workdir)
    call_rows, media_rows = [], []
    try:
        for name in systems:
            print(name, flush=True)
            calls, media = run_system(name, workdir, args)
            call_rows += calls
            media_rows += media
    finally:
        if args.keep:
            print(f"working directory: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_tables(call_rows, media_rows)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump({"calls": call_rows, "media": media_rows}, out, indent=1)


if __name__ == "__main__":
    main()
