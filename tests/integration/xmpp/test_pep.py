"""Personal eventing (XEP-0163) with slixmpp's own PEP plugins: a user tune (XEP-0118)
published by one client reaches a contact whose entity capabilities (XEP-0115) ask for it,
is kept across a restart and is sent again when the contact comes back online."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_xmpp import OwnStarlingTestCase, jid  # noqa: E402

NS_TUNE = "http://jabber.org/protocol/tune"
NS_PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event"
# Registered on the raw slixmpp client: xmpp_client.py's plugin list is for the common ones.
PEP_PLUGINS = ("xep_0060", "xep_0115", "xep_0163", "xep_0118")


class PersonalEventing(OwnStarlingTestCase):
    def connect(self, starling, user):
        client = self.client(starling, user, resource="desk", plugins=("xep_0030",))
        for plugin in PEP_PLUGINS:
            client.call(lambda xmpp, plugin=plugin: xmpp.register_plugin(plugin))
        client.connect()
        client.roster()
        client.send_presence()
        return client

    def wait_for_tune(self, client, title):
        return client.wait_for_message(
            lambda m: NS_PUBSUB_EVENT in m.xml and f"<title>{title}</title>" in m.xml)

    def test_a_published_tune_reaches_a_contact_and_survives_a_restart(self):
        starling = self.start_starling()
        alice = self.connect(starling, "alice")
        bob = self.connect(starling, "bob")
        bob.wait_for_presence(jid("alice"))
        info = alice.disco_info(jid("alice"))
        self.assertIn("http://jabber.org/protocol/pubsub#publish-options", info.features)
        time.sleep(0.5)  # Bob's client answers the server's caps query

        alice.call(lambda xmpp: xmpp["xep_0118"].publish_tune(artist="The Beatles",
                                                              title="Yesterday"))
        event = self.wait_for_tune(bob, "Yesterday")
        self.assertEqual(event.from_jid, jid("alice"))
        self.assertEqual(event.type, "headline")
        self.assertIn(NS_TUNE, event.xml)

        items = bob.call(lambda xmpp: xmpp["xep_0060"].get_items(jid("alice"), NS_TUNE))
        self.assertIn("Yesterday", str(items))

        time.sleep(0.5)  # the store is written behind the router
        alice.close()
        bob.close()
        starling.stop()
        starling.start()
        starling.wait_for_log("xmpp: serving")
        # XEP-0163 §4.3.2: the last item comes with the contact's next presence.
        bob = self.connect(starling, "bob")
        self.wait_for_tune(bob, "Yesterday")


if __name__ == "__main__":
    unittest.main()
