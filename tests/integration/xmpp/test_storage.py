"""Private XML storage (XEP-0049), bookmarks (XEP-0402) kept in step with the legacy ones
(XEP-0048) and STUN/TURN discovery (XEP-0215), with slixmpp's xep_0049/xep_0048/xep_0060
plugins and raw IQs where slixmpp has none."""

import base64
import hashlib
import hmac
import os
import sys
import time
import unittest
from xml.etree import ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from slixmpp.plugins.xep_0004 import Form  # noqa: E402
from slixmpp.plugins.xep_0048 import Bookmarks  # noqa: E402
from test_xmpp import DOMAIN, OwnStarlingTestCase, jid  # noqa: E402
from xmpp_client import XmppError  # noqa: E402

NS_BOOKMARKS = "urn:xmpp:bookmarks:1"
NS_EXTDISCO = "urn:xmpp:extdisco:2"
NS_PUBSUB_EVENT = "http://jabber.org/protocol/pubsub#event"
PLUGINS = ("xep_0045", "xep_0049", "xep_0060", "xep_0163", "xep_0223", "xep_0048", "xep_0115")
TURN_SECRET = "north-wind"


def raw_iq(client, type_, payload, to=None):
    """Sends an iq with `payload` (XML text) and returns the answer's XML."""
    def send(xmpp):
        iq = xmpp.make_iq(ito=to, itype=type_)
        iq.append(ElementTree.fromstring(payload))
        return iq.send(timeout=5)
    return client.call(send).xml


class Storage(OwnStarlingTestCase):
    def connect(self, starling, user, resource="desk", interests=()):
        client = self.client(starling, user, resource=resource, plugins=("xep_0030",))
        for plugin in PLUGINS:
            client.call(lambda xmpp, plugin=plugin: xmpp.register_plugin(plugin))
        client.connect()
        client.roster()
        client.send_presence()
        for node in interests:
            client.call(lambda xmpp, node=node: xmpp["xep_0163"].add_interest(node))
        if interests:
            # slixmpp updates its caps (XEP-0115) in the background; once more, awaited, so
            # the presence carries the hash of the features with the interest.
            client.call(lambda xmpp: xmpp["xep_0115"].update_caps(broadcast=True))
        return client

    def test_private_storage_is_per_user_and_refused_for_others(self):
        starling = self.start_starling()
        alice = self.connect(starling, "alice")
        self.assertIn("jabber:iq:private", alice.disco_info(jid("alice")).features)
        raw_iq(alice, "set", "<query xmlns='jabber:iq:private'><prefs xmlns='urn:test:prefs'>"
                             "<theme>dark</theme></prefs></query>")
        answer = raw_iq(alice, "get", "<query xmlns='jabber:iq:private'>"
                                      "<prefs xmlns='urn:test:prefs'/></query>")
        self.assertEqual(answer.find(".//{urn:test:prefs}theme").text, "dark")

        bob = self.connect(starling, "bob")
        answer = raw_iq(bob, "get", "<query xmlns='jabber:iq:private'>"
                                    "<prefs xmlns='urn:test:prefs'/></query>")
        self.assertIsNone(answer.find(".//{urn:test:prefs}theme"))
        with self.assertRaises(XmppError) as refused:
            raw_iq(bob, "get", "<query xmlns='jabber:iq:private'><prefs xmlns='urn:test:prefs'/>"
                               "</query>", to=jid("alice"))
        self.assertIn("forbidden", str(refused.exception))

    def test_legacy_bookmarks_and_pep_bookmarks_are_the_same_rooms(self):
        starling = self.start_starling()
        desk = self.connect(starling, "alice")
        phone = self.connect(starling, "alice", resource="phone", interests=(NS_BOOKMARKS,))
        bob = self.connect(starling, "bob", interests=(NS_BOOKMARKS,))
        features = desk.disco_info(jid("alice")).features
        self.assertIn("urn:xmpp:bookmarks:1#compat", features)
        self.assertIn("urn:xmpp:bookmarks:1#compat-pep", features)
        time.sleep(0.5)  # the clients answer the server's caps queries (XEP-0115)

        # A legacy client stores its list in private storage (XEP-0048 §3.2) ...
        bookmarks = Bookmarks()
        bookmarks.add_conference(f"team@conference.{DOMAIN}", "Al", name="Team", autojoin=True)
        desk.call(lambda xmpp: xmpp["xep_0048"].set_bookmarks(bookmarks, method="xep_0049"))
        # ... the phone's client, on XEP-0402, is told of the new room ...
        event = phone.wait_for_message(lambda m: NS_PUBSUB_EVENT in m.xml and NS_BOOKMARKS in m.xml)
        self.assertIn(f"team@conference.{DOMAIN}", event.xml)
        # ... and finds it as a PEP item; Bob, not on the whitelist, neither hears nor reads it.
        items = phone.call(lambda xmpp: xmpp["xep_0060"].get_items(jid("alice"), NS_BOOKMARKS))
        self.assertIn(f"team@conference.{DOMAIN}", str(items))
        with self.assertRaises(XmppError):
            bob.call(lambda xmpp: xmpp["xep_0060"].get_items(jid("alice"), NS_BOOKMARKS))
        self.assertFalse([m for m in bob.messages if NS_BOOKMARKS in m.xml])

        # The phone adds a room the XEP-0402 way; the legacy client reads it back.
        options = Form()
        options.add_field(var="FORM_TYPE", ftype="hidden",
                          value="http://jabber.org/protocol/pubsub#publish-options")
        options.add_field(var="pubsub#persist_items", value="true")
        options.add_field(var="pubsub#max_items", value="max")
        options.add_field(var="pubsub#send_last_published_item", value="never")
        options.add_field(var="pubsub#access_model", value="whitelist")
        conference = ElementTree.fromstring(
            f"<conference xmlns='{NS_BOOKMARKS}' name='Sales' autojoin='true'>"
            "<nick>Al</nick></conference>")
        phone.call(lambda xmpp: xmpp["xep_0060"].publish(
            jid("alice"), NS_BOOKMARKS, id=f"sales@conference.{DOMAIN}", payload=conference,
            options=options))
        legacy = desk.call(lambda xmpp: xmpp["xep_0048"].get_bookmarks(method="xep_0049"))
        rooms = {str(conf["jid"]) for conf in legacy["private"]["bookmarks"]["conferences"]}
        self.assertEqual(rooms, {f"team@conference.{DOMAIN}", f"sales@conference.{DOMAIN}"})

    def test_external_services_give_stun_and_turn_with_rest_credentials(self):
        starling = self.start_starling(
            'stun = ["stun.example.test:3478"]\n'
            'turn = ["turn.example.test:3479"]\n'
            f'turn_secret = "{TURN_SECRET}"\n')
        alice = self.connect(starling, "alice")
        self.assertIn(NS_EXTDISCO, alice.disco_info().features)
        answer = raw_iq(alice, "get", f"<services xmlns='{NS_EXTDISCO}'/>", to=DOMAIN)
        services = answer.findall(f".//{{{NS_EXTDISCO}}}service")
        self.assertIn(("stun", "stun.example.test", "3478"),
                      {(s.get("type"), s.get("host"), s.get("port")) for s in services})
        turn = [s for s in services if s.get("type") == "turn"]
        self.assertTrue(turn)
        username, password = turn[0].get("username"), turn[0].get("password")
        self.assertTrue(username.endswith(":alice"))
        # What coturn with use-auth-secret checks: base64(HMAC-SHA1(secret, username)).
        expected = base64.b64encode(hmac.new(TURN_SECRET.encode(), username.encode(),
                                             hashlib.sha1).digest()).decode()
        self.assertEqual(password, expected)

    def test_external_services_are_not_announced_without_servers(self):
        starling = self.start_starling()
        alice = self.connect(starling, "alice")
        self.assertNotIn(NS_EXTDISCO, alice.disco_info().features)


if __name__ == "__main__":
    unittest.main()
