#!/usr/bin/env python3
"""G.711 call media without SIP, for the floor forwarder (udp_forwarder.cpp): for each call, a
caller socket and a callee socket each send a 172-byte RTP packet (payload type 0, 160 bytes
of u-law) every 20 ms to their side of the call on the forwarder, like SIPp's rtp_stream does
through a real relay. Like SIPp, it never reads what comes back, so the driver counts the
relayed packets the same way for every relay: as the receive drops of these sockets.

Usage: rtp_load.py ADDRESS LOCAL_FIRST_PORT RELAY_FIRST_PORT CALLS SECONDS
Socket i (i = 0 .. 2*CALLS-1) is bound to LOCAL_FIRST_PORT + 2i and sends to
RELAY_FIRST_PORT + 2i: even i are callers, odd i callees, as the forwarder's legs.
"""

import socket
import struct
import sys
import time

PACKET_INTERVAL = 0.020
SLOT = 0.001  # sends are spread over the 20 ms in 1 ms slots, not sent in one burst
PAYLOAD = bytes([0xFF]) * 160  # u-law silence


def main():
    address, local_first, relay_first, calls, seconds = sys.argv[1], *map(int, sys.argv[2:6])
    streams = []
    for i in range(2 * calls):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # A small receive buffer fills in a second; after that every relayed packet is a drop.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        sock.bind((address, local_first + 2 * i))
        streams.append((sock, (address, relay_first + 2 * i), 0x10000 + i))
    slots = round(PACKET_INTERVAL / SLOT)
    per_slot = [streams[s::slots] for s in range(slots)]
    header = struct.Struct("!BBHII")
    sequence = 0
    start = time.monotonic()
    end = start + seconds
    slot = 0
    while time.monotonic() < end:
        for sock, target, ssrc in per_slot[slot % slots]:
            packet = header.pack(0x80, 0, sequence & 0xFFFF, (sequence * 160) & 0xFFFFFFFF, ssrc) + PAYLOAD
            try:
                sock.sendto(packet, target)
            except OSError:
                pass  # a refused port (ICMP) before the forwarder is up
        slot += 1
        if slot % slots == 0:
            sequence += 1
        delay = start + slot * SLOT - time.monotonic()
        if delay > 0:
            time.sleep(delay)


if __name__ == "__main__":
    main()
