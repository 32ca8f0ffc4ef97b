"""Calls across NAT, in network namespaces this test creates: a phone behind a masquerading
router calls a phone on the outside; then Starling sits behind a router that forwards its
ports (docs/nat.md) and a phone on the outside calls a phone next to Starling. Audio must
flow both ways in each."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "calls"))

import netns  # noqa: E402
import tone  # noqa: E402
from baresip_phone import BaresipPhone  # noqa: E402
from call_fixture import PASSWORD  # noqa: E402
from starling_harness import Starling  # noqa: E402

SIP_PORT = 5060  # each namespace has its own ports: the documented defaults are free there
TLS_PORT = 5061
TALK_SECONDS = 3


def configure(starling, address, public_address=None):
    """Points the harness's configuration at an address inside a namespace."""
    with open(starling.config_path, encoding="utf-8") as config:
        text = config.read()
    text = text.replace('address = "127.0.0.1"', f'address = "{address}"', 1)
    if public_address:
        text = text.replace("[network]\n", f'[network]\npublic_address = "{public_address}"\n', 1)
    text = text.replace(f"udp_port = {starling.ports['sip']}", f"udp_port = {SIP_PORT}")
    text = text.replace(f"tcp_port = {starling.ports['sip']}", f"tcp_port = {SIP_PORT}")
    text = text.replace(f"tls_port = {starling.ports['sip_tls']}", f"tls_port = {TLS_PORT}")
    with open(starling.config_path, "w", encoding="utf-8") as config:
        config.write(text)


def media_range(starling):
    with open(starling.config_path, encoding="utf-8") as config:
        text = config.read()
    low = int(text.split("rtp_port_min = ")[1].split()[0])
    high = int(text.split("rtp_port_max = ")[1].split()[0])
    return low, high


@unittest.skipUnless(os.geteuid() == 0, "network namespaces need root")
class NatCalls(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()
        for name, extension in (("alice", "1001"), ("bob", "1002")):
            self.assertEqual(self.starling.run("user", "add", name, "--ext", extension).returncode, 0)
            added = self.starling.run("device", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
            self.assertEqual(added.returncode, 0, added.stderr)
        self.phones = []

    def tearDown(self):
        for phone in self.phones:
            phone.stop()
        self.starling.close()

    def phone(self, name, namespace, registrar, tone_hz, auto_answer=False):
        phone = BaresipPhone(name)
        self.phones.append(phone)
        home = os.path.join(self.starling.directory, f"phone-{name}")
        phone.start(home, tone_hz=tone_hz, auto_answer=auto_answer, netns=namespace.name,
                    sip_listen=f"{namespace.address}:0",
                    account_line=f"<sip:{name}@{registrar}:{SIP_PORT};transport=udp>;"
                                 f"auth_pass={PASSWORD};regint=600")
        phone.wait_registered(timeout=15)
        return phone

    def talk(self, caller, callee, callee_number, registrar):
        caller.dial(f"sip:{callee_number}@{registrar}:{SIP_PORT}")
        caller.wait_for_event("CALL_ESTABLISHED", timeout=15)
        callee.wait_for_event("CALL_ESTABLISHED", timeout=15)
        time.sleep(TALK_SECONDS)
        caller.hangup()
        callee.wait_for_event("CALL_CLOSED", timeout=10)
        report = "\n".join([self.starling.server_output()[1][-3000:], caller.failure_report(),
                            callee.failure_report()])
        return report

    def assert_heard(self, phone, hz, report):
        self.assertTrue(tone.has_tone(phone.received_wav(), hz),
                        f"{phone.name} heard {tone.describe(phone.received_wav())}\n{report}")

    def test_phone_behind_nat_calls_a_phone_outside(self):
        with netns.phone_behind_nat() as net:
            configure(self.starling, net.pbx.address)
            self.starling.start(prefix=net.pbx.command([]))
            self.starling.wait_for_log("listening on udp")
            alice = self.phone("alice", net.phone1, net.pbx.address, 1000)
            bob = self.phone("bob", net.phone2, net.pbx.address, 440, auto_answer=True)
            report = self.talk(alice, bob, "1002", net.pbx.address)
            self.assert_heard(bob, 1000, report)
            self.assert_heard(alice, 440, report)

    def test_phone_outside_calls_in_to_a_pbx_behind_port_forwarding(self):
        with netns.pbx_behind_port_forward(udp_range=media_range(self.starling)) as net:
            configure(self.starling, net.pbx.address, public_address=net.public_address)
            self.starling.start(prefix=net.pbx.command([]))
            self.starling.wait_for_log("listening on udp")
            # bob's phone is on the LAN next to Starling; alice is out on the internet.
            bob = self.phone("bob", net.pbx, net.pbx.address, 440, auto_answer=True)
            alice = self.phone("alice", net.phone, net.public_address, 1000)
            report = self.talk(alice, bob, "1002", net.public_address)
            self.assert_heard(bob, 1000, report)
            self.assert_heard(alice, 440, report)


if __name__ == "__main__":
    unittest.main()
