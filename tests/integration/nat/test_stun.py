"""Starling learns its public address from a real STUN server (coturn) on loopback."""

import os
import secrets
import signal
import socket
import struct
import subprocess
import time
import unittest

from starling_harness import Starling, free_port

MAGIC_COOKIE = 0x2112A442
STOP_DEADLINE_SECONDS = 2.0


def binding_request(transaction_id):
    return struct.pack("!HHI", 0x0001, 0, MAGIC_COOKIE) + transaction_id


def xor_mapped_address(response, transaction_id):
    """The (address, port) of XOR-MAPPED-ADDRESS in a Binding success response, or None."""
    if len(response) < 20 or response[:2] != b"\x01\x01" or response[8:20] != transaction_id:
        return None
    offset = 20
    while offset + 4 <= len(response):
        kind, length = struct.unpack("!HH", response[offset:offset + 4])
        value = response[offset + 4:offset + 4 + length]
        if kind == 0x0020 and value[1] == 0x01:
            port = struct.unpack("!H", value[2:4])[0] ^ (MAGIC_COOKIE >> 16)
            address = struct.unpack("!I", value[4:8])[0] ^ MAGIC_COOKIE
            return socket.inet_ntoa(struct.pack("!I", address)), port
        offset += 4 + (length + 3) // 4 * 4
    return None


class CoturnStunServer:
    """coturn's turnserver as a plain STUN server on 127.0.0.1:<port>: no TURN relay, no
    authentication, no config file, every file it writes in `directory`."""

    def __init__(self, directory):
        self.port = free_port(socket.SOCK_DGRAM)
        self.directory = directory
        self.log = open(os.path.join(directory, "turnserver.log"), "w+", encoding="utf-8")
        self.process = subprocess.Popen(
            ["turnserver", "-n", "--listening-ip=127.0.0.1", f"--listening-port={self.port}",
             "--stun-only", "--no-cli", "--no-tls", "--no-dtls", "--no-tcp", "--no-rfc5780",
             "--no-auth", "--log-file=stdout", "--simple-log",
             f"--pidfile={directory}/turnserver.pid", f"--userdb={directory}/turndb"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=directory)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def ask(self, timeout=0.5):
        """One Binding request from an ephemeral port: (mapped address, our socket's address),
        or None without an answer."""
        transaction_id = secrets.token_bytes(12)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.settimeout(timeout)
            client.bind(("127.0.0.1", 0))
            client.sendto(binding_request(transaction_id), ("127.0.0.1", self.port))
            try:
                response = client.recv(2048)
            except socket.timeout:
                return None
            return xor_mapped_address(response, transaction_id), client.getsockname()

    def wait_until_answering(self, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"turnserver exited: {self.output()}")
            if self.ask():
                return
        raise AssertionError(f"turnserver does not answer STUN: {self.output()}")

    def output(self):
        self.log.seek(0)
        return self.log.read()[-3000:]

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def with_network_settings(starling, settings):
    """Adds lines to the [network] table of the harness's configuration (a second [network]
    table would be a TOML error)."""
    with open(starling.config_path, encoding="utf-8") as config:
        text = config.read()
    text = text.replace("[network]\n", "[network]\n" + settings, 1)
    with open(starling.config_path, "w", encoding="utf-8") as config:
        config.write(text)


class Stun(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()
        self.stun = CoturnStunServer(self.starling.directory)
        self.addCleanup(self.starling.close)
        self.addCleanup(self.stun.close)

    def test_coturn_answers_a_binding_request_with_our_address(self):
        self.stun.wait_until_answering()
        mapped, ours = self.stun.ask()
        self.assertEqual(mapped, ours)

    def test_serve_logs_the_public_address_learned_from_the_stun_server(self):
        self.stun.wait_until_answering()
        with_network_settings(self.starling, f'stun_server = "{self.stun.address}"\n')
        self.starling.start()
        # Starling asks from loopback, so loopback is what the STUN server sees.
        self.starling.wait_for_log(
            f"network: public address 127.0.0.1 learned from STUN server {self.stun.address}")
        code, seconds = self.starling.stop(signal.SIGTERM)
        self.assertEqual(code, 0)
        self.assertLess(seconds, STOP_DEADLINE_SECONDS)

    def test_serve_does_not_wait_for_a_stun_server_that_never_answers(self):
        # Nothing listens on this port: the STUN client retransmits for 39.5 s meanwhile.
        self.stun.close()
        with_network_settings(self.starling, f'stun_server = "{self.stun.address}"\n')
        self.starling.start()
        self.starling.wait_for_log("ready")
        self.assertNotIn("learned from STUN server", self.starling.server_output()[1])
        code, seconds = self.starling.stop(signal.SIGTERM)
        self.assertEqual(code, 0)
        self.assertLess(seconds, STOP_DEADLINE_SECONDS)


if __name__ == "__main__":
    unittest.main()
