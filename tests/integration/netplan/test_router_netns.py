"""The router rules of `starling firewall --scenario nat --format nftables`, loaded into a
router namespace: exactly the listed ports reach the PBX namespace, everything else from the
internet is dropped, and the PBX gets out only for what it needs."""

import unittest

import netns
from starling_harness import Starling
from starling_netns import media_range, router_rules


class RouterNamespaceTest(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()
        self.addCleanup(self.starling.close)

    def test_router_forwards_exactly_the_listed_ports(self):
        ports = self.starling.ports
        rtp_first, rtp_last = media_range(self.starling)
        forwarded = [("udp", ports["sip"]), ("tcp", ports["sip_tls"]), ("tcp", ports["https"]),
                     ("tcp", ports["xmpp"]), ("tcp", ports["xmpp_tls"]),
                     ("tcp", ports["prov_http"]), ("tcp", ports["prov_https"]),
                     ("udp", rtp_first), ("udp", rtp_last)]
        # Listening on the PBX, but not for the internet: plain HTTP and SIP over TCP.
        kept_inside = [("tcp", ports["http"]), ("tcp", ports["sip"])]
        with netns.pbx_behind_port_forward(forwards=(), udp_range=None) as net:
            net.router.nft("flush ruleset\n")
            net.router.nft(router_rules(self.starling, net.pbx.address))
            listening = {port for _, port in forwarded + kept_inside}
            for port in listening:
                netns._start_echo(net.pbx, "0.0.0.0", port)
            source_port = 41000
            for protocol, port in forwarded:
                source_port += 1
                reply, _ = netns._echo(net.phone, protocol, net.public_address, port, source_port)
                self.assertEqual(reply, f"{net.public_address}:{port}",
                                 f"{protocol}/{port} not forwarded\n{net.router.ruleset()}")
            for protocol, port in kept_inside:
                source_port += 1
                reply, _ = netns._echo(net.phone, protocol, net.public_address, port, source_port)
                # The router itself refuses it (nothing listens there): the PBX never sees it.
                self.assertNotEqual(reply, f"{net.public_address}:{port}",
                                    f"{protocol}/{port} forwarded")
                self.assertIn(reply, ("timeout", "error"))

    def test_pbx_gets_out_only_for_what_it_needs(self):
        with netns.pbx_behind_port_forward(forwards=(), udp_range=None) as net:
            net.router.nft("flush ruleset\n")
            net.router.nft(router_rules(self.starling, net.pbx.address))
            phone = net.phone.address
            for port in (53, 8080):
                netns._start_echo(net.phone, "0.0.0.0", port)
            # DNS (udp and tcp) and RTP to any unprivileged port go out, masqueraded.
            self.assertEqual(netns._echo(net.pbx, "udp", phone, 53, 42001),
                             (f"{phone}:53", f"{net.public_address}:42001"))
            self.assertEqual(netns._echo(net.pbx, "tcp", phone, 53, 42002)[0], f"{phone}:53")
            self.assertEqual(netns._echo(net.pbx, "udp", phone, 8080, 42003)[0], f"{phone}:8080")
            # Anything else, such as TCP to 8080, is dropped.
            self.assertEqual(netns._echo(net.pbx, "tcp", phone, 8080, 42004)[0], "timeout")


if __name__ == "__main__":
    unittest.main()
