"""The XMPP test clients (slixmpp wrapper and @xmpp/client script) work against Prosody, a
reference server, so a failing Starling XMPP test points at Starling and not at the clients.

Not part of CTest; run: /usr/bin/python3 tests/integration/xmpp/test_clients_against_prosody.py
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from js_client import JsChat  # noqa: E402
from prosody import Prosody  # noqa: E402
from xmpp_client import AuthenticationFailed, XmppClient  # noqa: E402

USERS = {"alice": "alice-secret", "bob": "bob-secret"}


class ClientsAgainstProsody(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Prosody(USERS).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def client(self, user, *, direct_tls=False, password=None, **kwargs):
        server = self.server
        port = server.direct_tls_port if direct_tls else server.c2s_port
        client = XmppClient(server.jid(user), password or USERS[user], server.host, port,
                            direct_tls=direct_tls, ca_file=server.ca_file, **kwargs)
        self.addCleanup(client.close)
        return client

    def test_logs_in_with_each_scram_mechanism_over_starttls_and_direct_tls(self):
        for mechanism in ("SCRAM-SHA-1", "SCRAM-SHA-256"):
            for direct_tls in (False, True):
                with self.subTest(mechanism=mechanism, direct_tls=direct_tls):
                    alice = self.client("alice", mechanism=mechanism, direct_tls=direct_tls)
                    alice.connect()
                    self.assertEqual(alice.mechanism, mechanism)
                    self.assertTrue(alice.bound_jid.startswith("alice@localhost/"))
                    self.assertIsNotNone(alice.tls_version)
                    alice.close()

    def test_scram_plus_binds_to_the_tls_channel_on_tls_1_2(self):
        alice = self.client("alice", mechanism="SCRAM-SHA-256-PLUS", max_tls_version="1.2")
        alice.connect()
        self.assertEqual(alice.mechanism, "SCRAM-SHA-256-PLUS")
        self.assertEqual(alice.tls_version, "TLSv1.2")

    def test_wrong_password_is_reported_as_an_authentication_failure(self):
        alice = self.client("alice", password="not-her-password", mechanism="SCRAM-SHA-1")
        with self.assertRaisesRegex(AuthenticationFailed, "not-authorized"):
            alice.connect()

    def test_alice_and_bob_exchange_messages(self):
        alice = self.client("alice", mechanism="SCRAM-SHA-1").connect()
        bob = self.client("bob", mechanism="SCRAM-SHA-256").connect()
        alice.send_presence()
        bob.send_presence()

        alice.send_message(bob.bound_jid, "hello bob")
        received = bob.wait_for_message(lambda m: m.body == "hello bob")
        self.assertEqual(received.from_jid, alice.bound_jid)
        self.assertEqual(received.type, "chat")

        bob.send_message("alice@localhost", "hello alice")
        self.assertEqual(alice.wait_for_message().body, "hello alice")

    def test_subscribed_contacts_see_each_others_presence(self):
        alice = self.client("alice", resource="presence").connect()
        bob = self.client("bob", resource="presence").connect()
        alice.send_presence()
        bob.send_presence()

        alice.subscribe("bob@localhost")
        bob.wait_for_presence("alice@localhost", lambda p: p.type == "subscribe")
        bob.approve_subscription("alice@localhost")
        bob.subscribe("alice@localhost")
        alice.wait_for_presence("bob@localhost", lambda p: p.type == "subscribe")
        alice.approve_subscription("bob@localhost")

        self.assertEqual(alice.roster()["bob@localhost"].subscription, "both")
        self.assertEqual(bob.roster()["alice@localhost"].subscription, "both")

        bob.send_presence(show="away", status="in a meeting", priority=5)
        seen = alice.wait_for_presence("bob@localhost", lambda p: p.show == "away")
        self.assertEqual((seen.status, seen.priority), ("in a meeting", 5))
        alice.send_presence(show="dnd")
        bob.wait_for_presence("alice@localhost", lambda p: p.show == "dnd")

    def test_carbons_copy_chats_to_alices_other_resource(self):
        plugins = ("xep_0280",)
        phone = self.client("alice", resource="phone", plugins=plugins).connect()
        laptop = self.client("alice", resource="laptop", plugins=plugins).connect()
        bob = self.client("bob", resource="carbons").connect()
        for client in (phone, laptop, bob):
            client.send_presence()
        laptop.enable_carbons()

        phone.send_message("bob@localhost", "sent from the phone")
        bob.wait_for_message(lambda m: m.body == "sent from the phone")
        sent_copy = laptop.wait_for_message(lambda m: m.carbon == "sent")
        self.assertEqual((sent_copy.body, sent_copy.from_jid),
                         ("sent from the phone", phone.bound_jid))

        bob.send_message(phone.bound_jid, "reply to the phone")
        phone.wait_for_message(lambda m: m.body == "reply to the phone")
        received_copy = laptop.wait_for_message(lambda m: m.carbon == "received")
        self.assertEqual(received_copy.body, "reply to the phone")

    def test_ping_and_disco_reach_the_server(self):
        alice = self.client("alice", plugins=("xep_0030", "xep_0199")).connect()
        self.assertLess(alice.ping(), 2.0)
        info = alice.disco_info()
        self.assertIn(("server", "im", "Prosody"), info.identities)
        self.assertIn("urn:xmpp:carbons:2", info.features)
        self.assertIn("urn:xmpp:ping", info.features)

    def test_offline_message_arrives_with_a_delay_stamp_and_is_archived(self):
        alice = self.client("alice", resource="mam", plugins=("xep_0313",)).connect()
        alice.send_presence()
        alice.send_message("bob@localhost", "while you were out")
        bob = self.client("bob", resource="mam").connect()
        bob.send_presence()  # offline messages are flushed on initial presence
        offline = bob.wait_for_message(lambda m: m.body == "while you were out")
        self.assertIsNotNone(offline.delay)

        archived = alice.mam_query(with_jid="bob@localhost")
        self.assertIn("while you were out", [m.body for m in archived])
        self.assertTrue(all(m.delay is not None for m in archived))

    def test_stream_management_resumes_after_a_cut_connection(self):
        alice = self.client("alice", resource="sm", plugins=("xep_0198",)).connect()
        self.assertTrue(alice.sm_enabled)
        jid = alice.bound_jid
        alice.cut_connection()
        alice.connect()
        self.assertTrue(alice.resumed)
        self.assertEqual(alice.bound_jid, jid)
        self.assertTrue(alice.sm_enabled)

    def test_alice_and_bob_chat_in_a_muc_room(self):
        room = "lobby@conference.localhost"
        alice = self.client("alice", resource="muc", plugins=("xep_0045",)).connect()
        bob = self.client("bob", resource="muc", plugins=("xep_0045",)).connect()
        alice.join_muc(room, "Alice")
        bob.join_muc(room, "Bob")
        alice.wait_for_presence(room, lambda p: p.from_jid == f"{room}/Bob")

        alice.send_message(room, "hello room", type="groupchat")
        heard = bob.wait_for_message(lambda m: m.body == "hello room")
        self.assertEqual((heard.from_jid, heard.type), (f"{room}/Alice", "groupchat"))

    def test_js_client_logs_in_with_scram_sha_1_and_chats_with_slixmpp(self):
        bob = self.client("bob", resource="slixmpp").connect()
        bob.send_presence()
        server = self.server
        with JsChat(f"xmpp://{server.host}:{server.c2s_port}", server.domain, "alice",
                    USERS["alice"], resource="js", send_to="bob@localhost",
                    body="hello from node", expect_from="bob@localhost",
                    ca_file=server.ca_file) as chat:
            online = chat.wait_for_event("online")
            self.assertEqual(online["mechanism"], "SCRAM-SHA-1")
            self.assertTrue(online["jid"].startswith("alice@localhost/"))
            received = bob.wait_for_message(lambda m: m.body == "hello from node")
            bob.send_message(received.from_jid, "hello from python")
            # Only this reply: earlier tests may have left alice offline messages.
            chat.wait_for_event("message", lambda event: event["body"] == "hello from python")
            self.assertEqual(chat.wait(), 0, chat.stderr())

    def test_js_client_reports_a_wrong_password(self):
        server = self.server
        with JsChat(f"xmpp://{server.host}:{server.c2s_port}", server.domain, "alice", "wrong",
                    ca_file=server.ca_file) as chat:
            self.assertEqual(chat.wait(), 1)
            self.assertEqual(chat.events[-1]["condition"], "not-authorized")


if __name__ == "__main__":
    unittest.main()
