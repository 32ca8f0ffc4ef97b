#!/usr/bin/env python3
"""One-way latency of RTP packets through a relay, measured beside the benchmark's load.

The probe owns both ends of one call: a caller socket and a callee socket. Each sends a
172-byte RTP packet every 20 ms (a G.711 stream) whose payload starts with the time it was
sent; the other end reads it with the kernel's receive timestamp (SO_TIMESTAMPNS), so the
figure is the time from send() to arrival in the receiving socket: the relay's queueing,
scheduling and forwarding, and not the probe's own wake-up delay. Both clocks are the same
CLOCK_REALTIME of this machine.

Run it once with the relay's ports as targets (the call's SDP: the caller sends to the port
the relay put in the answer, the callee to the one in the offer), and once sending directly
to the other end (--direct): the difference is what the relay adds.

Usage: latency_probe.py --caller-port X --callee-port Y [--to-callee HOST:PORT
       --to-caller HOST:PORT | --direct] [--seconds 8]
Prints one JSON object: per direction, the packets sent and received and the latency
percentiles in microseconds.
"""

import argparse
import json
import select
import socket
import struct
import time

PACKET_INTERVAL = 0.020
RTP = struct.Struct("!BBHII")
STAMP = struct.Struct("!QI")  # send time in ns, sequence number
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def endpoint(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def open_socket(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    sock.bind(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


def receive(sock, samples):
    """Reads what is queued; appends (sequence, latency in µs) per packet."""
    while True:
        try:
            data, ancillary, _, _ = sock.recvmsg(2048, 64)
        except BlockingIOError:
            return
        if len(data) < RTP.size + STAMP.size:
            continue
        sent_ns, sequence = STAMP.unpack_from(data, RTP.size)
        arrived_ns = None
        for level, kind, value in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = struct.unpack("qq", value[:16])
                arrived_ns = seconds * 1_000_000_000 + nanoseconds
        if arrived_ns is not None:
            samples.append((sequence, (arrived_ns - sent_ns) / 1000))


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(sent, samples):
    latencies = [latency for _, latency in samples]
    return {"sent": sent, "received": len(samples),
            "p50_us": round(percentile(latencies, 0.50), 1),
            "p99_us": round(percentile(latencies, 0.99), 1),
            "max_us": round(max(latencies), 1) if latencies else float("nan")}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--caller-port", type=int, required=True)
    parser.add_argument("--callee-port", type=int, required=True)
    parser.add_argument("--to-callee", type=endpoint, help="where the caller sends (the relay's port in the answer)")
    parser.add_argument("--to-caller", type=endpoint, help="where the callee sends (the relay's port in the offer)")
    parser.add_argument("--direct", action="store_true", help="send straight to the other end, no relay")
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    if args.direct:
        args.to_callee = ("127.0.0.1", args.callee_port)
        args.to_caller = ("127.0.0.1", args.caller_port)
    elif not (args.to_callee and args.to_caller):
        parser.error("give --to-callee and --to-caller, or --direct")

    caller, callee = open_socket(args.caller_port), open_socket(args.callee_port)
    forward, backward = [], []  # samples arriving at the callee, at the caller
    payload_pad = bytes(160 - STAMP.size)
    sent = 0
    start = time.monotonic()
    # A last packet interval after the sending ends lets the last packets arrive.
    end = start + args.seconds
    while True:
        now = time.monotonic()
        if now >= end + 0.1:
            break
        if now < end and now >= start + sent * PACKET_INTERVAL:
            # The first send after a sleep is tens of µs slower on this kind of machine (a VM
            # leaving idle): a one-byte packet, ignored by the receiver, takes that cost. The
            # two streams take turns going first so neither direction gets the rest of it.
            caller.sendto(b"w", ("127.0.0.1", args.callee_port))
            ends = ((caller, args.to_callee, 0xCA11), (callee, args.to_caller, 0xCA1E))
            for sock, target, ssrc in ends if sent % 2 == 0 else reversed(ends):
                header = RTP.pack(0x80, 0, sent & 0xFFFF, (sent * 160) & 0xFFFFFFFF, ssrc)
                sock.sendto(header + STAMP.pack(time.time_ns(), sent) + payload_pad, target)
            sent += 1
        timeout = max(0.0, min(start + sent * PACKET_INTERVAL, end + 0.1) - time.monotonic())
        readable, _, _ = select.select([caller, callee], [], [], timeout)
        if callee in readable:
            receive(callee, forward)
        if caller in readable:
            receive(caller, backward)
    both = forward + backward
    print(json.dumps({"caller_to_callee": summary(sent, forward), "callee_to_caller": summary(sent, backward),
                      "both": summary(2 * sent, both)}))


if __name__ == "__main__":
    main()
