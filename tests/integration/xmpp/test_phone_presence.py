"""Telephony presence: a user in a call through Starling shows "On the phone" to colleagues'
XMPP clients, and their earlier presence once the call is over; a user who sets do not
disturb in a chat client gets no calls until it is off."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "calls"))

from call_fixture import CallTestCase  # noqa: E402
from xmpp_client import XmppClient  # noqa: E402

DOMAIN = "localhost"
NS_CALL = "urn:starling:call"
NS_ACTIVITY = "http://jabber.org/protocol/activity"
PHONE_RESOURCE = "starling-phone"


class PhonePresence(CallTestCase):
    USERS = {"alice": "1001", "bob": "1002", "carol": "1003"}
    XMPP_CONFIG = f'domain = "{DOMAIN}"'

    def chat_client(self, user):
        password = f"{user} chats a lot"
        changed = self.starling.run("user", "passwd", user, "--password-stdin",
                                    stdin=password + "\n")
        self.assertEqual(changed.returncode, 0, changed.stderr)
        client = XmppClient(f"{user}@{DOMAIN}", password, "127.0.0.1", self.starling.ports["xmpp"],
                            ca_file=os.path.join(self.starling.directory, "var", "tls", "cert.pem"),
                            resource="desk")
        self.addCleanup(client.close)
        client.connect()
        client.roster()
        return client

    def test_a_call_shows_on_the_phone_until_it_ends(self):
        carol = self.chat_client("carol")
        carol.send_presence()
        alice_chat = self.chat_client("alice")
        alice_chat.send_presence(show="chat", status="ask me anything")
        alice_desk = f"alice@{DOMAIN}/desk"
        carol.wait_for_presence(f"alice@{DOMAIN}", lambda p: p.from_jid == alice_desk
                                and p.show == "chat")

        alice = self.phone("alice", 1000)
        bob = self.phone("bob", 440, auto_answer=True)
        before_call = len(carol.presences)
        alice.dial(self.dial_uri("1002"))
        alice.wait_for_event("CALL_ESTABLISHED", timeout=15)
        report = lambda: self.report(alice, bob)  # noqa: E731

        # Every client: alice's own resource turns busy, her priority kept.
        busy = carol.wait_for_presence(f"alice@{DOMAIN}", lambda p: p.from_jid == alice_desk
                                       and p.status == "On the phone", after=before_call)
        self.assertEqual(busy.show, "dnd", report())
        self.assertIn(f"{{{NS_CALL}}}call", busy.payload)
        # Richer clients: the server's phone resource, with user activity and the call state.
        phone = carol.wait_for_presence(f"alice@{DOMAIN}",
                                        lambda p: p.from_jid.endswith("/" + PHONE_RESOURCE))
        self.assertEqual((phone.show, phone.priority), ("dnd", -1))
        self.assertIn(f"{{{NS_ACTIVITY}}}activity", phone.payload)
        self.assertIn("state='connected'", phone.xml.replace('"', "'"))
        # bob has no chat client, and still shows as on the phone.
        carol.wait_for_presence(f"bob@{DOMAIN}", lambda p: p.from_jid.endswith("/" + PHONE_RESOURCE))

        after_call = len(carol.presences)
        alice.hangup()
        bob.wait_for_event("CALL_CLOSED")
        back = carol.wait_for_presence(f"alice@{DOMAIN}", lambda p: p.from_jid == alice_desk
                                       and p.status == "ask me anything", after=after_call)
        self.assertEqual(back.show, "chat")
        self.assertNotIn(f"{{{NS_CALL}}}call", back.payload)
        carol.wait_for_presence(f"alice@{DOMAIN}", lambda p: p.from_jid.endswith(
            "/" + PHONE_RESOURCE) and p.type == "unavailable", after=after_call)
        carol.wait_for_presence(f"bob@{DOMAIN}", lambda p: p.from_jid.endswith(
            "/" + PHONE_RESOURCE) and p.type == "unavailable", after=after_call)

    def test_do_not_disturb_in_a_chat_client_answers_calls_busy_until_it_ends(self):
        alice_chat = self.chat_client("alice")
        alice_chat.send_presence()
        bob_chat = self.chat_client("bob")
        bob_desk = f"bob@{DOMAIN}/desk"
        bob_chat.send_presence(show="dnd", status="Writing the quarterly report")
        # The router tells call routing before the presence leaves for alice.
        alice_chat.wait_for_presence(f"bob@{DOMAIN}", lambda p: p.from_jid == bob_desk
                                     and p.show == "dnd")

        alice = self.phone("alice", 1000)
        bob = self.phone("bob", 440, auto_answer=True)
        alice.dial(self.dial_uri("1002"))
        refused = alice.wait_for_event("CALL_CLOSED", timeout=15)
        self.assertIn("486", refused.get("param", ""), self.report(alice, bob))
        self.assertFalse(bob.saw_event("CALL_INCOMING"), self.report(alice, bob))

        seen = len(alice_chat.presences)
        bob_chat.send_presence(status="Back")
        alice_chat.wait_for_presence(f"bob@{DOMAIN}", lambda p: p.from_jid == bob_desk
                                     and p.status == "Back", after=seen)
        alice.dial(self.dial_uri("1002"))
        alice.wait_for_event("CALL_ESTABLISHED", timeout=15)
        bob.wait_for_event("CALL_ESTABLISHED", timeout=5)


if __name__ == "__main__":
    unittest.main()
