"""Push notifications (XEP-0357) with raw IQs (slixmpp 1.8 has no push plugin): Carol's client
plays the app server Alice's phone registered; it is notified when a message waits for Alice
and, once it answers with an error, is not notified again."""

import os
import sys
import threading
import unittest
from xml.etree import ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from slixmpp.xmlstream.handler import Callback  # noqa: E402
from slixmpp.xmlstream.matcher import MatchXPath  # noqa: E402
from test_xmpp import PASSWORDS, OwnStarlingTestCase, jid  # noqa: E402

NS_PUSH = "urn:xmpp:push:0"
NS_PUBSUB = "http://jabber.org/protocol/pubsub"
NS_DATA = "jabber:x:data"


class AppServer:
    """Collects the publish requests reaching a client and answers them as told."""

    def __init__(self, client):
        self.requests = []
        self.refuse = False
        self._changed = threading.Condition()
        client.call(lambda xmpp: xmpp.register_handler(Callback(
            "push publish", MatchXPath(f"{{jabber:client}}iq/{{{NS_PUBSUB}}}pubsub"),
            self._on_publish)))

    def _on_publish(self, iq):
        # Answered before it is counted: a test that saw it counted knows the answer left.
        if self.refuse:
            reply = iq.reply(clear=True)
            reply["type"] = "error"
            reply["error"]["type"] = "cancel"
            reply["error"]["condition"] = "item-not-found"
            reply.send()
        else:
            iq.reply(clear=True).send()
        with self._changed:
            self.requests.append(iq)
            self._changed.notify_all()

    def wait(self, count, timeout=10.0):
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} notifications, wanted {count}")
            return self.requests[count - 1]


def fields(publish):
    form = publish.xml.find(f".//{{{NS_PUSH}}}notification/{{{NS_DATA}}}x")
    return {field.get("var"): field.findtext(f"{{{NS_DATA}}}value")
            for field in form.iter(f"{{{NS_DATA}}}field")}


class PushNotifications(OwnStarlingTestCase):
    def _start_with_app_server(self):
        """Starling with alice, bob and carol, and Carol's client playing the app server."""
        starling = self.start_starling()
        starling.run("user", "add", "carol", "--password-stdin", stdin=PASSWORDS["carol"] + "\n")
        carol = self.client(starling, "carol", resource="push",
                            plugins=("xep_0030", "xep_0199"))
        carol.connect()
        return starling, carol, AppServer(carol)

    def test_a_message_for_an_offline_user_reaches_the_app_server_until_it_refuses(self):
        starling, carol, app_server = self._start_with_app_server()
        app_jid = f"{jid('carol')}/push"

        alice = self.client(starling, "alice", resource="phone", plugins=("xep_0030",))
        alice.connect()
        self.assertIn(NS_PUSH, alice.disco_info(jid("alice")).features)
        alice.call(lambda xmpp: self._enable(xmpp, app_jid))
        alice.close()

        bob = self.client(starling, "bob", resource="desk")
        bob.connect()
        bob.send_presence()
        bob.send_message(jid("alice"), "Lunch at noon?")
        first = app_server.wait(1)
        self.assertEqual(first["from"].full, jid("alice"))
        self.assertEqual(first.xml.find(f".//{{{NS_PUBSUB}}}publish").get("node"), "node-1")
        summary = fields(first)
        self.assertEqual(summary["FORM_TYPE"], "urn:xmpp:push:summary")
        self.assertEqual(summary["message-count"], "1")
        self.assertEqual(summary["last-message-sender"], jid("bob"))
        self.assertNotIn("last-message-body", summary)  # bodies stay on the server
        self.assertEqual(first.xml.findtext(f".//{{{NS_DATA}}}field[@var='secret']/"
                                            f"{{{NS_DATA}}}value"), "app-secret")

        # The app server refuses the next one (XEP-0357 §7.1): the registration is disabled.
        app_server.refuse = True
        bob.send_message(jid("alice"), "Hello?")
        self.assertEqual(fields(app_server.wait(2))["message-count"], "2")
        # The server has read the refusal once it answers what Carol sent after it.
        carol.ping()
        bob.send_message(jid("alice"), "Anyone?")
        with self.assertRaises(AssertionError):
            app_server.wait(3, timeout=2)

        # All three wait offline for Alice all the same.
        alice = self.client(starling, "alice", resource="phone")
        alice.connect()
        alice.send_presence()
        alice.wait_for_message(lambda m: m.body == "Anyone?")

    def test_a_message_the_phone_did_not_acknowledge_before_its_connection_went_wakes_it(self):
        starling, _, app_server = self._start_with_app_server()

        alice = self.client(starling, "alice", resource="phone", plugins=("xep_0030", "xep_0198"))
        alice.connect()
        self.assertTrue(alice.sm_enabled)
        alice.call(lambda xmpp: self._enable(xmpp, f"{jid('carol')}/push"))
        alice.send_presence()
        phone = alice.bound_jid
        # The phone's radio sleeps: it reads nothing, so it acknowledges nothing (XEP-0198).
        alice.call(lambda xmpp: xmpp.transport.pause_reading())

        bob = self.client(starling, "bob", resource="desk", plugins=("xep_0199",))
        bob.connect()
        bob.send_message(phone, "Are you there?")
        bob.ping()  # the server has passed the message on to the phone's connection
        with self.assertRaises(AssertionError):
            app_server.wait(1, timeout=1)  # a connected client took it: no push yet

        alice.cut_connection()
        starling.wait_for_log("xmpp: lost the connection of alice@")
        summary = fields(app_server.wait(1))
        self.assertEqual(summary["message-count"], "1")
        self.assertEqual(summary["last-message-sender"], jid("bob"))

    @staticmethod
    def _enable(xmpp, app_jid):
        iq = xmpp.make_iq_set()
        iq.append(ElementTree.fromstring(
            f"<enable xmlns='{NS_PUSH}' jid='{app_jid}' node='node-1'>"
            f"<x xmlns='{NS_DATA}' type='submit'>"
            f"<field var='FORM_TYPE'><value>{NS_PUBSUB}#publish-options</value></field>"
            "<field var='secret'><value>app-secret</value></field></x></enable>"))
        return iq.send(timeout=5)


if __name__ == "__main__":
    unittest.main()
