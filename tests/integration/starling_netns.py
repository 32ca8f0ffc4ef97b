"""Starling inside the network namespaces of netns.py: its configuration for an address there,
the router rules it prints for them, and calls between baresip phones in the namespaces."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "calls"))

import tone  # noqa: E402
from baresip_phone import BaresipPhone  # noqa: E402
from call_fixture import PASSWORD  # noqa: E402
from starling_harness import Starling  # noqa: E402

SIP_PORT = 5060  # each namespace has its own ports: the documented defaults are free there
TLS_PORT = 5061
TALK_SECONDS = 3
ROUTER_MARKER = "# The router in front of the PBX"


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
    """(first, last) RTP port of the harness's configuration."""
    with open(starling.config_path, encoding="utf-8") as config:
        text = config.read()
    low = int(text.split("rtp_port_min = ")[1].split()[0])
    high = int(text.split("rtp_port_max = ")[1].split()[0])
    return low, high


def router_rules(starling, pbx_address):
    """The router half of `starling firewall --scenario nat --format nftables` for a PBX at
    pbx_address behind the router's "wan" interface (the other half is the PBX's host
    firewall)."""
    result = starling.run("firewall", "--scenario", "nat", "--format", "nftables",
                          "--pbx-address", pbx_address, "--wan-interface", "wan")
    assert result.returncode == 0, result.stderr
    return result.stdout[result.stdout.index(ROUTER_MARKER):]


@unittest.skipUnless(os.geteuid() == 0, "network namespaces need root")
class NamespaceCallTestCase(unittest.TestCase):
    """A Starling (not started: configure() it for its namespace first) with users alice
    (1001) and bob (1002), one device each, and baresip phones in namespaces."""

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

    def phone(self, name, namespace, registrar, tone_hz, auto_answer=False, transport="udp"):
        """A baresip in `namespace` registered as `name` at registrar (an address) over
        `transport` (udp or tls), sending a sine of tone_hz."""
        phone = BaresipPhone(name)
        self.phones.append(phone)
        home = os.path.join(self.starling.directory, f"phone-{name}")
        phone.start(home, tone_hz=tone_hz, auto_answer=auto_answer, netns=namespace.name,
                    sip_listen=f"{namespace.address}:0",
                    account_line=f"<sip:{name}@{registrar}:{sip_port(transport)};"
                                 f"transport={transport}>;auth_pass={PASSWORD};regint=600")
        phone.wait_registered(timeout=15)
        return phone

    def talk(self, caller, callee, callee_number, registrar, transport="udp"):
        """Calls, talks for TALK_SECONDS and hangs up; returns the logs for failure messages."""
        # baresip adds the account's ;transport= itself.
        caller.dial(f"sip:{callee_number}@{registrar}:{sip_port(transport)}")
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


def sip_port(transport):
    return TLS_PORT if transport == "tls" else SIP_PORT
