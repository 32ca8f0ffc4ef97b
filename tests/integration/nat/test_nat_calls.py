"""Calls across NAT, in network namespaces this test creates: a phone behind a masquerading
router calls a phone on the outside; then Starling sits behind a router that forwards its
ports (docs/nat.md) and a phone on the outside calls a phone next to Starling. Audio must
flow both ways in each."""

import unittest

import netns
from starling_netns import NamespaceCallTestCase, configure, media_range


class NatCalls(NamespaceCallTestCase):
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
