"""Dialogs through a SIP trunk beyond the plain call, with a real provider (Kamailio) and
Starling's media relay: early media from the public network, and the re-INVITEs, UPDATE and
BYE sent once the call is up, in calls out and in. The SIPp scenarios check every SDP each
side gets (Starling's address, never the other side's media)."""

import glob
import os
import re
import unittest

from provider import SCENARIOS
from test_trunk_calls import TrunkTestCase


def relay_ports(starling):
    """The range of RTP ports Starling's config gives its relay."""
    with open(starling.config_path, encoding="utf-8") as config:
        text = config.read()
    return range(int(re.search(r"rtp_port_min = (\d+)", text).group(1)),
                 int(re.search(r"rtp_port_max = (\d+)", text).group(1)) + 1)


def received_audio_ports(messages_log):
    """(start line, audio port) of each message with SDP that SIPp received, from the file
    its -trace_msg writes."""
    with open(messages_log, encoding="utf-8", errors="replace") as log:
        blocks = re.split(r"^-{20,}.*$", log.read(), flags=re.MULTILINE)
    seen = []
    for block in blocks:
        head, _, message = block.strip().partition("\n\n")
        audio = re.search(r"^m=audio (\d+) ", message, re.MULTILINE)
        if "message received" in head and audio:
            seen.append((message.splitlines()[0], int(audio.group(1))))
    return seen


def received_retransmissions(sipp_output, message):
    """How many retransmissions of each `message` it received, from a SIPp scenario screen
    (of a scenario that starts by receiving, where "----------> 200" is a 200 received)."""
    screen = sipp_output.rpartition("Scenario Screen")[2]
    return [int(row.group(1))
            for row in re.finditer(rf"^\s*-+> {message}\s+\d+\s+(\d+)", screen, re.MULTILINE)]


class TrunkDialogTestCase(TrunkTestCase):
    def setUp(self):
        super().setUp()
        self.add_trunk()
        self.start()
        self.wait_registered()

    def logs(self):
        """Also why SIPp failed a call (a check of a scenario's, an unexpected message)."""
        errors = ""
        for path in sorted(glob.glob(os.path.join(self.starling.directory, "*_errors.log"))):
            with open(path, encoding="utf-8", errors="replace") as log:
                errors += f"--- {os.path.basename(path)}\n{log.read()[-2000:]}\n"
        return errors + super().logs()

    def assert_ended_normally_by(self, side):
        legs = {leg["leg"]: leg for leg in self.call_legs()}
        for leg in legs.values():
            self.assertEqual((leg["state"], leg["hangup_cause"], leg["hangup_side"]),
                             ("ended", "normal", side), legs)
            self.assertNotEqual(leg["answered_at"], 0, legs)
        return legs


class OutboundTrunkDialog(TrunkDialogTestCase):
    def test_early_media_and_the_providers_reinvite_update_and_bye_reach_the_phone(self):
        callee = self.provider.start_callee(scenario="pstn_answer_early_media.xml")
        result = self.device_call("alice", "0301234567", "phone_call_early_media.xml", SCENARIOS,
                                  extra=["-trace_msg"])
        self.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{self.logs()}")
        screen = self.wait_done(callee)
        # Starling took the callee's ACK for its 200 to the re-INVITE (RFC 3261 §13.3.1.4):
        # that 200 came once, not again every T1.
        self.assertEqual(received_retransmissions(screen, "200")[:1], [0], screen)

        # What the phone got, in this order: the early media and the answer, then the
        # callee's re-INVITE and UPDATE, each naming a port of the relay.
        messages = glob.glob(os.path.join(self.starling.directory,
                                          "phone_call_early_media_*_messages.log"))
        self.assertEqual(len(messages), 1, messages)
        seen = received_audio_ports(messages[0])
        kinds = [start.split()[1 if start.startswith("SIP/2.0") else 0] for start, _ in seen]
        self.assertEqual(kinds, ["183", "200", "INVITE", "UPDATE"], seen)
        relay = relay_ports(self.starling)
        for start, port in seen:
            self.assertIn(port, relay, f"{start}: SDP names port {port}, not the relay's")

        # The callee's requests within the dialog went through the provider, as its
        # Record-Route demands (RFC 3261 §12.2.1.1).
        callee_address = f"127.0.0.1:{self.provider.pstn_callee_port}"
        for method in ("INVITE", "ACK", "UPDATE", "BYE"):
            self.assertRegex(self.provider.log(),
                             f"provider: received {method} sip:\\S+ from {callee_address}\n")
        legs = self.assert_ended_normally_by("callee")
        self.assertEqual(legs["b1"]["device"], "provider")


class InboundTrunkDialog(TrunkDialogTestCase):
    def test_reinvites_from_the_public_caller_and_from_the_phone_cross_the_trunk(self):
        bob = self.sipp_phone("bob", os.path.join(SCENARIOS, "phone_answer_offers.xml"))
        result = self.provider.call_from_public_network("+4989555000", "+4930123402",
                                                        scenario="pstn_call_offers.xml")
        self.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{self.logs()}")
        self.wait_done(bob)
        # Both re-INVITEs went through the provider: the caller's to Starling's Contact, the
        # phone's from Starling to the caller's.
        caller = re.escape(f"127.0.0.1:{self.provider.pstn_caller_port}")
        starling = re.escape(f"127.0.0.1:{self.starling.ports['sip']}")
        self.assertRegex(self.provider.log(),
                         f"provider: received INVITE sip:{starling} from {caller}\n")
        self.assertRegex(self.provider.log(),
                         f"provider: received INVITE sip:\\+4989555000@{caller}\\S* "
                         f"from {starling}\n")
        legs = self.assert_ended_normally_by("caller")
        self.assertEqual(legs["a"]["caller"], "+4989555000")
        self.assertEqual(legs["b1"]["device"], "bob")


if __name__ == "__main__":
    unittest.main()
