"""Calls through the router rules of `starling firewall --scenario nat`: with only those rules
in the router namespace, a phone on the internet registers with the Starling behind it over
UDP and over TLS and calls a phone on the PBX's LAN, with audio both ways. That the rules
forward nothing else is test_router_netns.py's part."""

import unittest

import netns
from starling_netns import NamespaceCallTestCase, configure, media_range, router_rules


class RouterPhoneCallTest(NamespaceCallTestCase):
    def test_phone_outside_calls_in_over_udp(self):
        self.call_in_through_the_firewall_rules("udp")

    def test_phone_outside_calls_in_over_tls(self):
        self.call_in_through_the_firewall_rules("tls")

    def call_in_through_the_firewall_rules(self, transport):
        # No forwards of the lab's own: the router gets Starling's rules and nothing else.
        with netns.pbx_behind_port_forward(forwards=(), udp_range=None) as net:
            # SDP and Contact carry the router's public address; the RTP range, and so what
            # the router forwards, is the harness's.
            configure(self.starling, net.pbx.address, public_address=net.public_address)
            rules = router_rules(self.starling, net.pbx.address)
            first, last = media_range(self.starling)
            self.assertIn(f"udp dport {first}-{last} dnat to {net.pbx.address}", rules)
            net.router.nft("flush ruleset\n")
            net.router.nft(rules)
            self.starling.start(prefix=net.pbx.command([]))
            self.starling.wait_for_log("listening on udp")
            # bob's phone is on the LAN next to Starling; alice is out on the internet, where
            # the router's public address is all she can reach.
            bob = self.phone("bob", net.pbx, net.pbx.address, 440, auto_answer=True)
            alice = self.phone("alice", net.phone, net.public_address, 1000, transport=transport)
            report = self.talk(alice, bob, "1002", net.public_address, transport=transport)
            report += "\n" + net.router.ruleset()
            self.assert_heard(bob, 1000, report)
            self.assert_heard(alice, 440, report)


if __name__ == "__main__":
    unittest.main()
