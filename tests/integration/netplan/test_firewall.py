"""`starling firewall`: the nftables output loads with `nft -c -f` for both scenarios, and the
rules follow the configuration."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest

from starling_harness import Starling


def nft_check(rules):
    """(exit code, stderr) of `nft -c -f` on `rules`: checked by the kernel's nftables, not
    loaded."""
    with tempfile.NamedTemporaryFile("w", suffix=".nft", delete=False) as out:
        out.write(rules)
    try:
        checked = subprocess.run(["nft", "-c", "-f", out.name], capture_output=True, text=True,
                                 check=False)
        return checked.returncode, checked.stderr
    finally:
        os.unlink(out.name)


def edit_config(starling, old, new):
    """Replaces the first `old` in the harness's starling.toml with `new`."""
    with open(starling.config_path, encoding="utf-8") as config:
        text = config.read()
    assert old in text, text
    with open(starling.config_path, "w", encoding="utf-8") as config:
        config.write(text.replace(old, new, 1))


class FirewallTest(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()
        self.addCleanup(self.starling.close)

    def firewall(self, *args):
        result = self.starling.run("firewall", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_public_scenario_loads_with_nft(self):
        rules = self.firewall("--format", "nftables", "--scenario", "public")
        code, errors = nft_check(rules)
        self.assertEqual(code, 0, errors + rules)
        ports = self.starling.ports
        self.assertIn("policy drop;", rules)
        self.assertIn(f"udp dport {ports['sip']} accept", rules)
        self.assertIn(f"tcp dport {ports['sip_tls']} accept", rules)
        self.assertIn(f"tcp dport {ports['https']} accept", rules)
        self.assertRegex(rules, r"udp dport \d+-\d+ accept comment \"media")
        self.assertNotIn("starling_router", rules)

    def test_nat_scenario_loads_with_nft_and_forwards_the_listed_ports(self):
        rules = self.firewall("--format", "nftables", "--scenario", "nat",
                              "--pbx-address", "192.168.1.10", "--wan-interface", "eth0")
        code, errors = nft_check(rules)
        self.assertEqual(code, 0, errors + rules)
        forwarded = re.findall(r'iifname "eth0" (udp|tcp) dport (\S+) dnat to 192\.168\.1\.10',
                               rules)
        ports = self.starling.ports
        expected = {("udp", str(ports["sip"])), ("tcp", str(ports["sip_tls"])),
                    ("tcp", str(ports["https"])), ("tcp", str(ports["xmpp"])),
                    ("tcp", str(ports["xmpp_tls"])), ("tcp", str(ports["prov_http"])),
                    ("tcp", str(ports["prov_https"]))}
        self.assertTrue(expected.issubset(set(forwarded)), forwarded)
        self.assertEqual(len(forwarded), len(expected) + 1)  # and the RTP range
        self.assertNotIn(("tcp", str(ports["http"])), forwarded)

    def test_trunk_provider_is_allowed_out_and_the_rules_still_load_with_nft(self):
        added = self.starling.run("trunk", "add", "carrier", "--domain", "sip.carrier.test",
                                  "--username", "pbx", "--password-stdin", stdin="secret\n")
        self.assertEqual(added.returncode, 0, added.stdout + added.stderr)
        for scenario in (["--scenario", "public"],
                         ["--scenario", "nat", "--pbx-address", "192.168.1.10"]):
            rules = self.firewall("--format", "nftables", *scenario)
            code, errors = nft_check(rules)
            self.assertEqual(code, 0, errors + rules)
            self.assertIn('udp dport 5060 accept comment "sip: SIP trunk carrier '
                          '(sip.carrier.test)"', rules)
        ports = self.starling.run("ports").stdout
        self.assertRegex(ports, r"sip +udp +out +sip\.carrier\.test +5060 +SIP trunk carrier")

    def test_nat_text_lists_forwardings_and_outgoing_traffic(self):
        text = self.firewall("--scenario", "nat")
        # The harness listens on 127.0.0.1, which becomes the forwarding target.
        self.assertIn("forward these ports from the internet to 127.0.0.1 (same port)", text)
        self.assertIn("let the PBX reach the internet for", text)
        self.assertIn("1025-65535", text)
        self.assertNotIn("NTP", text)  # none configured, none contacted

    def test_disabled_services_get_no_forwarding(self):
        starling = self.starling
        edit_config(starling, "[xmpp]\n", "[xmpp]\nenabled = false\n")
        result = starling.run("firewall", "--scenario", "nat", "--format", "nftables",
                              "--pbx-address", "10.0.0.2")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn(f"dport {starling.ports['xmpp']} ", result.stdout)
        self.assertEqual(nft_check(result.stdout)[0], 0)

    def test_nat_rules_need_the_pbx_address(self):
        result = self.starling.run("firewall", "--scenario", "nat", "--format", "nftables")
        # The harness listens on 127.0.0.1, which is one IPv4 address: it is taken.
        self.assertEqual(result.returncode, 0, result.stderr)
        edit_config(self.starling, 'address = "127.0.0.1"', 'address = "::"')
        result = self.starling.run("firewall", "--scenario", "nat", "--format", "nftables")
        self.assertEqual(result.returncode, 2)
        self.assertIn("--pbx-address", result.stderr)

    @unittest.skipUnless(shutil.which("iptables-restore"), "iptables-restore not installed")
    def test_iptables_output_passes_iptables_restore_test(self):
        rules = self.firewall("--format", "iptables", "--scenario", "public")
        checked = subprocess.run(["iptables-restore", "--test"], input=rules, capture_output=True,
                                 text=True, check=False)
        if "Permission denied" in checked.stderr or "can't initialize" in checked.stderr:
            self.skipTest(checked.stderr.strip())
        self.assertEqual(checked.returncode, 0, checked.stderr + rules)

    def test_help_says_what_each_option_does(self):
        result = self.starling.run("firewall", "--help")
        self.assertEqual(result.returncode, 0)
        for option in ("--format", "--scenario", "--pbx-address", "--wan-interface"):
            self.assertIn(option, result.stdout)
        self.assertIn("nft -f", result.stdout)


if __name__ == "__main__":
    unittest.main()
