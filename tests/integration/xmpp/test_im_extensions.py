"""Extensions the server only routes, end to end between two slixmpp clients with their own
plugins: chat states (XEP-0085), delivery receipts (XEP-0184) and direct MUC invitations
(XEP-0249)."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from test_xmpp import DOMAIN, OwnStarlingTestCase, jid  # noqa: E402

NS_CHAT_STATES = "http://jabber.org/protocol/chatstates"
NS_RECEIPTS = "urn:xmpp:receipts"
NS_CONFERENCE = "jabber:x:conference"
PLUGINS = ("xep_0030", "xep_0045", "xep_0085", "xep_0184", "xep_0249")


class RoutedExtensions(OwnStarlingTestCase):
    def setUp(self):
        starling = self.start_starling()
        self.alice = self.client(starling, "alice", resource="desk", plugins=PLUGINS).connect()
        self.bob = self.client(starling, "bob", resource="phone", plugins=PLUGINS).connect()
        for client in (self.alice, self.bob):
            client.roster()
            client.send_presence()

    def test_chat_states_arrive_with_and_without_a_body(self):
        def send(xmpp, state, body=None):
            message = xmpp.make_message(mto=jid("bob"), mbody=body, mtype="chat")
            message["chat_state"] = state
            message.send()

        self.alice.call(lambda xmpp: send(xmpp, "composing"))
        composing = self.bob.wait_for_message(lambda m: m.body is None and "composing" in m.xml)
        self.assertIn(NS_CHAT_STATES, composing.xml)
        self.alice.call(lambda xmpp: send(xmpp, "active", "there you go"))
        with_body = self.bob.wait_for_message(lambda m: m.body == "there you go")
        self.assertIn(NS_CHAT_STATES, with_body.xml)
        self.assertEqual(with_body.from_jid, f"{jid('alice')}/desk")

    def test_a_receipt_request_is_answered_by_the_recipients_client(self):
        def send(xmpp):
            message = xmpp.make_message(mto=jid("bob"), mbody="did you get this?", mtype="chat")
            message["request_receipt"] = True
            message.send()
            return message["id"]

        sent_id = self.alice.call(send)
        self.bob.wait_for_message(lambda m: m.body == "did you get this?")
        receipt = self.alice.wait_for_message(lambda m: NS_RECEIPTS in m.xml)
        self.assertIn(f'id="{sent_id}"', receipt.xml)
        self.assertEqual(receipt.from_jid, f"{jid('bob')}/phone")

    def test_a_direct_invitation_reaches_the_invitee_who_can_join(self):
        room = f"lunch@conference.{DOMAIN}"
        self.alice.join_muc(room, "Alice")
        self.alice.call(lambda xmpp: xmpp["xep_0249"].send_invitation(
            jid("bob"), room, reason="lunch plans"))
        invitation = self.bob.wait_for_message(lambda m: NS_CONFERENCE in m.xml)
        self.assertIn(room, invitation.xml)
        self.assertIn("lunch plans", invitation.xml)
        self.bob.join_muc(room, "Bob")


if __name__ == "__main__":
    unittest.main()
