"""Client State Indication (XEP-0352) with slixmpp's xep_0352 plugin: an inactive client gets
only the latest presence of each contact, and only once something urgent arrives."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_xmpp import OwnStarlingTestCase, jid  # noqa: E402

CSI_FEATURE = "{urn:xmpp:csi:0}csi"


class ClientStateIndication(OwnStarlingTestCase):
    def test_inactive_client_gets_the_latest_presence_with_the_next_message(self):
        starling = self.start_starling()
        alice = self.client(starling, "alice", resource="phone", plugins=("xep_0352",))
        alice.connect()
        self.assertIn(CSI_FEATURE, alice.stream_features)
        alice.roster()
        alice.send_presence()
        bob = self.client(starling, "bob", resource="desk").connect()
        bob.roster()
        bob.send_presence()
        alice.wait_for_presence(jid("bob"))

        alice.call(lambda xmpp: xmpp["xep_0352"].send_inactive())
        time.sleep(0.3)  # the nonza is read before Bob's presence changes
        seen = len(alice.presences)
        for show in ("away", "dnd", "xa"):
            bob.send_presence(show=show)
        time.sleep(1)
        self.assertEqual(len(alice.presences), seen, "presence reached an inactive client")

        bob.send_message(jid("alice"), "lunch?")
        alice.wait_for_message(lambda m: m.body == "lunch?")
        held = [p for p in alice.presences[seen:] if p.from_jid.startswith(jid("bob"))]
        self.assertEqual([p.show for p in held], ["xa"])

        bob.send_presence(show="chat")
        time.sleep(0.5)
        self.assertEqual(len(alice.presences), seen + 1)
        alice.call(lambda xmpp: xmpp["xep_0352"].send_active())
        alice.wait_for_presence(jid("bob"), lambda p: p.show == "chat")


if __name__ == "__main__":
    unittest.main()
