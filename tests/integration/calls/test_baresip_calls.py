"""Two baresip softphones call each other through Starling and hear each other."""

import time
import unittest

import tone
from call_fixture import CallTestCase

TALK_SECONDS = 3


class BaresipCalls(CallTestCase):
    def call_and_check_audio(self, transport):
        alice = self.phone("alice", 1000, transport)
        bob = self.phone("bob", 440, transport, auto_answer=True)
        alice.dial(self.dial_uri("1002", transport))
        alice.wait_for_event("CALL_ESTABLISHED", timeout=15)
        bob.wait_for_event("CALL_ESTABLISHED")
        time.sleep(TALK_SECONDS)
        # RFC 4733 telephone-events pass through the relay unchanged.
        alice.send_dtmf("5")
        digit = bob.wait_for_event("CALL_DTMF_START")
        self.assertEqual(digit.get("param"), "5", digit)
        calls = self.starling.run("calls", "--active")
        self.assertIn("alice", calls.stdout)
        alice.hangup()
        bob.wait_for_event("CALL_CLOSED")
        report = self.report(alice, bob)
        self.assertTrue(tone.has_tone(bob.received_wav(), 1000),
                        f"bob heard {tone.describe(bob.received_wav())}\n{report}")
        self.assertTrue(tone.has_tone(alice.received_wav(), 440),
                        f"alice heard {tone.describe(alice.received_wav())}\n{report}")

    def test_call_over_udp_carries_audio_both_ways(self):
        self.call_and_check_audio("udp")

    def test_call_over_tls_carries_audio_both_ways(self):
        self.call_and_check_audio("tls")


if __name__ == "__main__":
    unittest.main()
