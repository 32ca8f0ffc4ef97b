"""What users do with calls: hold and resume, cancel while ringing, busy, no answer, and a
callee with two devices. Each checks what the phones see and the call records Starling keeps."""

import json
import time
import unittest

from call_fixture import CallTestCase


class CallFlows(CallTestCase):
    SIP_CONFIG = ""
    EXTRA_CONFIG = "[pbx]\nno_answer_timeout = 4\n"
    EXTRA_DEVICES = {"bob-desk": "bob"}

    def records(self, active=False):
        args = ["calls", "--json"] + (["--active"] if active else [])
        listed = self.starling.run(*args)
        self.assertEqual(listed.returncode, 0, listed.stderr)
        return json.loads(listed.stdout)

    def wait_for_record(self, leg, predicate, timeout=10):
        deadline = time.monotonic() + timeout
        rows = []
        while time.monotonic() < deadline:
            rows = [row for row in self.records() if row["leg"] == leg]
            if rows and predicate(rows[0]):
                return rows[0]
            time.sleep(0.2)
        self.fail(f"no matching record for leg {leg}: {rows}\n{self.starling.server_output()[1][-2000:]}")

    def closed_reason(self, phone):
        return phone.wait_for_event("CALL_CLOSED", timeout=15).get("param", "")

    def test_hold_and_resume_keep_the_call_and_audio_returns(self):
        alice = self.phone("alice", 1000)
        bob = self.phone("bob", 440, auto_answer=True)
        alice.dial(self.dial_uri("1002"))
        alice.wait_for_event("CALL_ESTABLISHED", timeout=15)
        alice.wait_for_media(20)
        alice.hold()
        self.wait_for_record("a", lambda row: row["state"] == "held")
        alice.resume()
        self.wait_for_record("a", lambda row: row["state"] == "connected")
        before = bob.media_status()["rtp_packets_received"]
        time.sleep(2)
        after = bob.media_status()["rtp_packets_received"]
        self.assertGreater(after - before, 50, self.report(alice, bob))
        bob.hangup()
        self.closed_reason(alice)
        record = self.wait_for_record("a", lambda row: row["state"] == "ended")
        self.assertEqual((record["hangup_cause"], record["hangup_side"]), ("normal", "callee"))

    def test_caller_cancels_while_ringing(self):
        alice = self.phone("alice", 1000)
        bob = self.phone("bob", 440)
        alice.dial(self.dial_uri("1002"))
        bob.wait_for_event("CALL_INCOMING", timeout=15)
        alice.hangup()
        self.closed_reason(bob)
        record = self.wait_for_record("a", lambda row: row["state"] == "ended")
        self.assertEqual((record["hangup_cause"], record["hangup_side"]), ("cancelled", "caller"))
        self.assertIsNone(record["answered_at"])

    def test_busy_callee_gives_the_caller_486(self):
        alice = self.phone("alice", 1000)
        bob = self.phone("bob", 440)
        alice.dial(self.dial_uri("1002"))
        bob.wait_for_event("CALL_INCOMING", timeout=15)
        bob.hangup()  # baresip rejects a ringing call with 486 Busy Here
        self.assertIn("486", self.closed_reason(alice))
        record = self.wait_for_record("a", lambda row: row["state"] == "ended")
        self.assertEqual(record["hangup_cause"], "busy")

    def test_unanswered_call_ends_with_480_after_the_timeout(self):
        alice = self.phone("alice", 1000)
        bob = self.phone("bob", 440)
        alice.dial(self.dial_uri("1002"))
        bob.wait_for_event("CALL_INCOMING", timeout=15)
        self.assertIn("480", self.closed_reason(alice))
        self.closed_reason(bob)
        record = self.wait_for_record("a", lambda row: row["state"] == "ended")
        self.assertEqual((record["hangup_cause"], record["hangup_side"]), ("no_answer", "system"))

    def test_unknown_number_gives_404(self):
        alice = self.phone("alice", 1000)
        alice.dial(self.dial_uri("4999"))
        self.assertIn("404", self.closed_reason(alice))

    def test_both_devices_ring_and_the_other_stops_when_one_answers(self):
        alice = self.phone("alice", 1000)
        bob_mobile = self.phone("bob", 440)
        bob_desk = self.phone("bob-desk", 660)
        alice.dial(self.dial_uri("1002"))
        bob_mobile.wait_for_event("CALL_INCOMING", timeout=15)
        bob_desk.wait_for_event("CALL_INCOMING", timeout=15)
        bob_desk.answer()
        alice.wait_for_event("CALL_ESTABLISHED", timeout=15)
        self.closed_reason(bob_mobile)
        alice.wait_for_media(20)
        desk = self.wait_for_record("b2", lambda row: row["state"] == "connected")
        self.assertEqual(desk["device"], "bob-desk")
        mobile = self.wait_for_record("b1", lambda row: row["state"] == "ended")
        self.assertEqual(mobile["hangup_cause"], "answered_elsewhere")
        alice.hangup()
        self.closed_reason(bob_desk)


if __name__ == "__main__":
    unittest.main()
