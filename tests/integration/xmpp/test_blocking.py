"""Blocking Command (XEP-0191) with slixmpp's xep_0191 plugin: the blocklist, what a block
stops in each direction, and the list surviving a restart."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_xmpp import OwnStarlingTestCase, jid  # noqa: E402

NS_BLOCKING_ERRORS = "urn:xmpp:blocking:errors"


class Blocking(OwnStarlingTestCase):
    def connect(self, starling, user):
        client = self.client(starling, user, resource="desk", plugins=("xep_0030", "xep_0191"))
        client.connect()
        client.roster()
        client.send_presence()
        return client

    def blocklist(self, client):
        return {str(item) for item in
                client.call(lambda xmpp: xmpp["xep_0191"].get_blocked())["blocklist"]["items"]}

    def test_a_block_stops_both_directions_until_unblocked_and_survives_a_restart(self):
        starling = self.start_starling()
        bob = self.connect(starling, "bob")
        alice = self.connect(starling, "alice")
        bob.wait_for_presence(jid("alice"))
        self.assertIn("urn:xmpp:blocking", alice.disco_info().features)
        self.assertEqual(self.blocklist(alice), set())

        alice.call(lambda xmpp: xmpp["xep_0191"].block(jid("bob")))
        self.assertEqual(self.blocklist(alice), {jid("bob")})
        # §3.3: Bob sees Alice go offline.
        bob.wait_for_presence(jid("alice"), lambda p: p.type == "unavailable")

        # §3.5: Bob's message comes back as if Alice were offline, and never reaches her.
        bob.send_message(jid("alice"), "are you there?")
        refused = bob.wait_for_message(lambda m: m.type == "error")
        self.assertIn("service-unavailable", refused.xml)
        # §3.6: Alice's own message to Bob is refused as blocked.
        alice.send_message(jid("bob"), "never mind")
        blocked = alice.wait_for_message(lambda m: m.type == "error")
        self.assertIn(NS_BLOCKING_ERRORS, blocked.xml)
        self.assertFalse([m for m in alice.messages if m.body == "are you there?"])
        self.assertFalse([m for m in bob.messages if m.body == "never mind"])

        time.sleep(0.5)  # the store is written behind the router
        alice.close()
        bob.close()
        starling.stop()
        starling.start()
        starling.wait_for_log("xmpp: serving")
        alice = self.connect(starling, "alice")
        self.assertEqual(self.blocklist(alice), {jid("bob")})

        alice.call(lambda xmpp: xmpp["xep_0191"].unblock(jid("bob")))
        self.assertEqual(self.blocklist(alice), set())
        bob = self.connect(starling, "bob")
        bob.send_message(jid("alice"), "hello again")
        self.assertEqual(alice.wait_for_message(lambda m: m.body == "hello again").type, "chat")


if __name__ == "__main__":
    unittest.main()
