"""Starling's XMPP service (RFC 6120, RFC 6121) with real clients: slixmpp, and @xmpp/client
as a second, independent implementation; hostile input over raw sockets."""

import os
import socket
import ssl
import sys
import time
import unittest
from xml.etree import ElementTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from js_client import JsChat  # noqa: E402
from starling_harness import Starling  # noqa: E402
from xmpp_client import AuthenticationFailed, XmppClient, XmppError  # noqa: E402

# Starling's self-signed certificate names localhost, so clients check it against the domain.
DOMAIN = "localhost"
PASSWORDS = {"alice": "alice in chains 1", "bob": "bob the builder 2", "carol": "carol sings 3"}
DISPLAY_NAMES = {"alice": "Alice Archer", "bob": "Bob Baker", "carol": "Carol Cook"}


def jid(user):
    return f"{user}@{DOMAIN}"


def occupant_id(stanza):
    """The XEP-0421 occupant id of a group chat presence or message; None without one."""
    found = ElementTree.fromstring(stanza.xml).find("{urn:xmpp:occupant-id:0}occupant-id")
    return None if found is None else found.get("id")


def has_status(presence, code):
    """Whether a group chat presence carries XEP-0045 status `code`."""
    return f'code="{code}"' in presence.xml.replace("'", '"')


class XmppServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.starling = Starling(xmpp_config=f'domain = "{DOMAIN}"')
        for user, password in PASSWORDS.items():
            added = cls.starling.run("user", "add", user, "--display-name", DISPLAY_NAMES[user],
                                     "--password-stdin", stdin=password + "\n")
            assert added.returncode == 0, added.stderr
        cls.start_starling()

    @classmethod
    def start_starling(cls):
        cls.starling.start()
        cls.starling.wait_for_log("xmpp: serving")
        cls.ca_file = os.path.join(cls.starling.directory, "var", "tls", "cert.pem")

    @classmethod
    def tearDownClass(cls):
        cls.starling.close()

    def client(self, user, *, direct_tls=False, password=None, **kwargs):
        port = self.starling.ports["xmpp_tls" if direct_tls else "xmpp"]
        client = XmppClient(jid(user), password or PASSWORDS[user], "127.0.0.1", port,
                            direct_tls=direct_tls, ca_file=self.ca_file, **kwargs)
        self.addCleanup(client.close)
        return client

    def test_logs_in_with_scram_over_starttls_and_direct_tls(self):
        for mechanism in ("SCRAM-SHA-1", "SCRAM-SHA-256"):
            for direct_tls in (False, True):
                with self.subTest(mechanism=mechanism, direct_tls=direct_tls):
                    alice = self.client("alice", mechanism=mechanism, direct_tls=direct_tls)
                    alice.connect()
                    self.assertEqual(alice.mechanism, mechanism)
                    self.assertTrue(alice.bound_jid.startswith(f"{jid('alice')}/"))
                    self.assertEqual(alice.tls_version, "TLSv1.3")
                    alice.close()

    def test_scram_plus_binds_to_tls_unique_on_tls_1_2(self):
        # slixmpp binds with tls-unique only, which exists up to TLS 1.2 (RFC 9266).
        alice = self.client("alice", mechanism="SCRAM-SHA-256-PLUS", max_tls_version="1.2")
        alice.connect()
        self.assertEqual((alice.mechanism, alice.tls_version), ("SCRAM-SHA-256-PLUS", "TLSv1.2"))

    def test_the_best_mechanism_is_chosen_without_help(self):
        alice = self.client("alice").connect()
        self.assertTrue(alice.mechanism.startswith("SCRAM-SHA-"), alice.mechanism)

    def test_wrong_password_and_unknown_user_fail_alike(self):
        for user, password in (("alice", "not her password"), ("nobody", "any password")):
            with self.subTest(user=user):
                client = self.client(user, password=password, mechanism="SCRAM-SHA-256")
                with self.assertRaisesRegex(AuthenticationFailed, "not-authorized"):
                    client.connect()
        self.starling.wait_for_log("xmpp: login from 127.0.0.1")

    def test_before_tls_only_starttls_is_offered(self):
        with socket.create_connection(("127.0.0.1", self.starling.ports["xmpp"]), 5) as raw:
            raw.sendall(open_stream())
            features = read_until(raw, b"</stream:features>")
        self.assertIn(b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>", features)
        self.assertNotIn(b"mechanisms", features)

    def test_roster_lists_colleagues_in_a_shared_group(self):
        alice = self.client("alice").connect()
        roster = alice.roster()
        self.assertEqual(roster[jid("bob")].name, DISPLAY_NAMES["bob"])
        self.assertEqual(roster[jid("bob")].subscription, "both")
        self.assertEqual(list(roster[jid("carol")].groups), ["Colleagues"])
        self.assertIn(jid("admin"), roster)

    def test_presence_flows_both_ways(self):
        alice = self.client("alice", resource="presence").connect()
        bob = self.client("bob", resource="presence").connect()
        alice.roster()
        bob.roster()
        alice.send_presence()
        bob.send_presence(show="away", status="at lunch", priority=3)
        seen = alice.wait_for_presence(jid("bob"), lambda p: p.show == "away")
        self.assertEqual((seen.status, seen.priority), ("at lunch", 3))
        bob.wait_for_presence(jid("alice"), lambda p: p.type in (None, "available"))
        alice.send_presence(show="dnd", status="focus time")
        self.assertEqual(bob.wait_for_presence(jid("alice"), lambda p: p.show == "dnd").status,
                         "focus time")
        alice.disconnect()
        bob.wait_for_presence(jid("alice"), lambda p: p.type == "unavailable")

    def test_live_messages_go_both_ways(self):
        alice = self.client("alice", mechanism="SCRAM-SHA-1").connect()
        bob = self.client("bob", direct_tls=True).connect()
        alice.send_presence()
        bob.send_presence()
        alice.send_message(jid("bob"), "hello bob")
        received = bob.wait_for_message(lambda m: m.body == "hello bob")
        self.assertEqual(received.from_jid, alice.bound_jid)
        bob.send_message(received.from_jid, "hello alice")
        self.assertEqual(alice.wait_for_message(lambda m: m.body == "hello alice").from_jid,
                         bob.bound_jid)

    def test_carbons_copy_chats_to_alices_other_resource(self):
        plugins = ("xep_0280",)
        phone = self.client("alice", resource="phone", plugins=plugins).connect()
        laptop = self.client("alice", resource="laptop", plugins=plugins).connect()
        bob = self.client("bob", resource="carbons").connect()
        for client in (phone, laptop, bob):
            client.send_presence()
        laptop.enable_carbons()

        phone.send_message(jid("bob"), "sent from the phone")
        bob.wait_for_message(lambda m: m.body == "sent from the phone")
        sent_copy = laptop.wait_for_message(lambda m: m.carbon == "sent")
        self.assertEqual((sent_copy.body, sent_copy.from_jid),
                         ("sent from the phone", phone.bound_jid))

        bob.send_message(phone.bound_jid, "reply to the phone")
        phone.wait_for_message(lambda m: m.body == "reply to the phone")
        received_copy = laptop.wait_for_message(lambda m: m.carbon == "received")
        self.assertEqual(received_copy.body, "reply to the phone")

    def test_archive_returns_the_conversation_in_order_with_stamps(self):
        alice = self.client("alice", resource="archive", plugins=("xep_0313",)).connect()
        alice.send_presence()
        started = time.time()
        alice.send_message(jid("bob"), "archive 1: while bob is out")
        bob = self.client("bob", resource="archive").connect()
        bob.send_presence()
        bob.wait_for_message(lambda m: m.body == "archive 1: while bob is out")
        alice.send_message(jid("bob"), "archive 2: hello bob")
        received = bob.wait_for_message(lambda m: m.body == "archive 2: hello bob")
        bob.send_message(received.from_jid, "archive 3: hello alice")
        alice.wait_for_message(lambda m: m.body == "archive 3: hello alice")
        time.sleep(0.5)  # the archive is written behind the router

        found = [m for m in alice.mam_query(with_jid=jid("bob"))
                 if (m.body or "").startswith("archive ")]
        self.assertEqual([m.body for m in found], ["archive 1: while bob is out",
                                                   "archive 2: hello bob",
                                                   "archive 3: hello alice"])
        self.assertEqual([bare_of(m.from_jid) for m in found],
                         [jid("alice"), jid("alice"), jid("bob")])
        for message in found:
            self.assertIsNotNone(message.delay)
            self.assertLess(abs(message.delay.timestamp() - started), 10)

    def test_ping_and_disco_reach_the_server(self):
        alice = self.client("alice", plugins=("xep_0030", "xep_0199")).connect()
        self.assertLess(alice.ping(), 2.0)
        info = alice.disco_info(DOMAIN)
        self.assertIn("urn:xmpp:ping", info.features)
        self.assertIn("urn:xmpp:carbons:2", info.features)
        self.assertTrue(any(identity[0] == "server" for identity in info.identities))

    def test_group_chat_reaches_every_occupant_and_a_late_comer_gets_the_history(self):
        room = f"lobby@conference.{DOMAIN}"
        alice = self.client("alice", plugins=("xep_0030", "xep_0045", "xep_0313")).connect()
        items = alice.call(lambda xmpp: xmpp["xep_0030"].get_items(jid=DOMAIN, timeout=5), 6)
        self.assertIn(f"conference.{DOMAIN}", [item[0] for item in items["disco_items"]["items"]])

        alice.join_muc(room, "Alice")
        bob = self.client("bob", plugins=("xep_0045",)).connect()
        bob.join_muc(room, "Bob")
        alice.send_message(room, "hello lobby", type="groupchat")
        for occupant in (alice, bob):
            message = occupant.wait_for_message(lambda m: m.body == "hello lobby")
            self.assertEqual(message.from_jid, f"{room}/Alice")
            self.assertEqual(message.type, "groupchat")

        # XEP-0054 in a room, as clients fetch occupants' avatars (XEP-0153): the room answers
        # for Bob from the vCard he keeps on the server.
        async def set_vcard(xmpp):
            iq = xmpp.make_iq_set()
            iq.append(ElementTree.fromstring("<vCard xmlns='vcard-temp'><FN>Bob B.</FN></vCard>"))
            await iq.send(timeout=5)

        async def occupants_vcard(xmpp):
            iq = xmpp.make_iq_get(ito=f"{room}/Bob")
            iq.append(ElementTree.fromstring("<vCard xmlns='vcard-temp'/>"))
            return (await iq.send(timeout=5)).xml
        bob.call(set_vcard, 6)
        answer = alice.call(occupants_vcard, 6)
        self.assertEqual(answer.get("from"), f"{room}/Bob")
        self.assertEqual(answer.findtext("{vcard-temp}vCard/{vcard-temp}FN"), "Bob B.")

        # Carol asks for history (join_muc asks for none), so she gets Alice's message.
        carol = self.client("carol").connect()
        carol.send_raw(f"<presence to='{room}/Carol'>"
                       "<x xmlns='http://jabber.org/protocol/muc'/></presence>")
        carol.wait_for_presence(room, lambda p: p.from_jid == f"{room}/Carol")
        history = carol.wait_for_message(lambda m: m.body == "hello lobby")
        self.assertEqual(history.from_jid, f"{room}/Alice")
        self.assertIsNotNone(history.delay)
        bob.wait_for_presence(room, lambda p: p.from_jid == f"{room}/Carol")

        carol.send_message(room, "hi, I am late", type="groupchat")
        for occupant in (alice, bob, carol):
            message = occupant.wait_for_message(lambda m: m.body == "hi, I am late")
            self.assertEqual(message.from_jid, f"{room}/Carol")

        # XEP-0313 §5: the room's archive has both, from the speakers' nicks.
        self.assertIn("urn:xmpp:mam:2", alice.disco_info(room).features)
        deadline = time.monotonic() + 5  # the archive is written behind the room
        while True:
            archived = [(m.from_jid, m.body) for m in alice.mam_query(archive=room)]
            if len(archived) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(archived, [(f"{room}/Alice", "hello lobby"),
                                    (f"{room}/Carol", "hi, I am late")])

    def test_the_owner_names_a_room_and_an_occupant_changes_nick(self):
        room = f"team@conference.{DOMAIN}"
        alice = self.client("alice", plugins=("xep_0030", "xep_0045")).connect()
        alice.join_muc(room, "Alice")
        bob = self.client("bob", plugins=("xep_0030", "xep_0045")).connect()
        bob.join_muc(room, "Bob")

        # What a client's room settings do: fetch the form, change the name, send it back.
        async def name_the_room(xmpp):
            form = await xmpp["xep_0045"].get_room_config(room)
            form.set_values({"muc#roomconfig_roomname": "Release team"})
            await xmpp["xep_0045"].set_room_config(room, form)
        alice.call(name_the_room, 10)
        self.assertIn(("conference", "text", "Release team"), bob.disco_info(room).identities)

        # Bob may not configure it.
        async def configure(xmpp, values):
            form = xmpp["xep_0004"].make_form(ftype="submit")
            for var, value in values.items():
                form.add_field(var=var, value=value)
            await xmpp["xep_0045"].set_room_config(room, form)
        with self.assertRaisesRegex(XmppError, "forbidden"):
            bob.call(lambda xmpp: configure(xmpp, {"muc#roomconfig_roomname": "Bob's"}), 10)

        # §7.2.6: with a password, Carol enters only when she gives it.
        alice.call(lambda xmpp: configure(xmpp, {
            "muc#roomconfig_passwordprotectedroom": "1",
            "muc#roomconfig_roomsecret": "open sesame"}), 10)
        self.assertIn("muc_passwordprotected", bob.disco_info(room).features)
        carol = self.client("carol", plugins=("xep_0030", "xep_0045")).connect()
        with self.assertRaisesRegex(XmppError, "not-authorized"):
            carol.join_muc(room, "Carol")
        carol.join_muc(room, "Carol", password="open sesame")
        carol.close()
        alice.call(lambda xmpp: configure(xmpp, {"muc#roomconfig_passwordprotectedroom": "0"}), 10)

        # What Conversations sends for a public channel: only moderators see addresses. Carol,
        # a participant, sees Alice's nick only; Alice, the owner, sees Carol's address.
        seen = len(bob.presences)
        alice.call(lambda xmpp: configure(xmpp, {
            "muc#roomconfig_persistentroom": "1", "muc#roomconfig_membersonly": "0",
            "muc#roomconfig_publicroom": "1", "muc#roomconfig_whois": "moderators",
            "muc#roomconfig_changesubject": "0", "muc#roomconfig_enablearchiving": "1"}), 10)
        bob.wait_for_message(lambda m: m.from_jid == room and "173" in m.xml)
        self.assertIn("muc_semianonymous", bob.disco_info(room).features)
        carol = self.client("carol", plugins=("xep_0030", "xep_0045")).connect()
        entered = carol.join_muc(room, "Carol")
        self.assertFalse(has_status(entered, 100))
        of_alice = carol.wait_for_presence(room, lambda p: p.from_jid == f"{room}/Alice")
        self.assertNotIn(jid("alice"), of_alice.xml)
        self.assertTrue(occupant_id(of_alice))  # XEP-0421: who it is, without the address
        self.assertIn("urn:xmpp:occupant-id:0", carol.disco_info(room).features)
        of_carol = alice.wait_for_presence(room, lambda p: p.from_jid == f"{room}/Carol")
        self.assertIn(f"jid=\"{jid('carol')}/", of_carol.xml.replace("'", '"'))
        carol.close()

        # §7.6: Bob becomes Robert; Alice sees the change and his next message under it.
        # XEP-0421: the same occupant id before and after, whatever Bob's client claims.
        seen = len(alice.presences)
        bobs_id = occupant_id(alice.wait_for_presence(room, lambda p: p.from_jid == f"{room}/Bob"))
        bob.send_raw(f"<presence to='{room}/Robert'/>")
        robert = alice.wait_for_presence(room, lambda p: p.from_jid == f"{room}/Robert",
                                         after=seen)
        bob.send_raw(f"<message to='{room}' type='groupchat'><body>call me Robert</body>"
                     "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='not-bob'/></message>")
        said = alice.wait_for_message(lambda m: m.body == "call me Robert")
        self.assertEqual(said.from_jid, f"{room}/Robert")
        self.assertIsNotNone(bobs_id)
        self.assertEqual(occupant_id(robert), bobs_id)
        self.assertEqual(occupant_id(said), bobs_id)

    def test_a_private_group_admits_members_and_its_owner_kicks_bans_and_destroys(self):
        room = f"private@conference.{DOMAIN}"
        plugins = ("xep_0030", "xep_0045")
        alice = self.client("alice", plugins=plugins).connect()
        bob = self.client("bob", plugins=plugins).connect()
        carol = self.client("carol", plugins=plugins + ("xep_0199",)).connect()
        carol.send_presence()  # the room's invitation reaches available clients
        alice.join_muc(room, "Alice")

        # What Conversations asks for when it creates a private group.
        async def make_private(xmpp):
            form = await xmpp["xep_0045"].get_room_config(room)
            form.set_values({"muc#roomconfig_membersonly": "1", "muc#roomconfig_publicroom": "0",
                             "muc#roomconfig_whois": "anyone",
                             "muc#roomconfig_changesubject": "0",
                             "muc#roomconfig_allowinvites": "0"})
            await xmpp["xep_0045"].set_room_config(room, form)
        alice.call(make_private, 10)
        self.assertIn("muc_membersonly", bob.disco_info(room).features)
        with self.assertRaisesRegex(XmppError, "registration-required"):
            carol.join_muc(room, "Carol")

        # Bob is made a member, Carol is invited by the owner: both may enter.
        alice.call(lambda xmpp: xmpp["xep_0045"].set_affiliation(room, "member", jid=jid("bob")),
                   10)
        bob.join_muc(room, "Bob")
        alice.call(lambda xmpp: xmpp["xep_0045"].invite(room, jid("carol")), 10)
        carol.wait_for_message(lambda m: m.from_jid == room and "invite" in m.xml)
        carol.join_muc(room, "Carol")
        members = bob.call(lambda xmpp: xmpp["xep_0045"].get_affiliation_list(room, "member"), 10)
        self.assertEqual(sorted(str(member) for member in members), [jid("bob"), jid("carol")])

        # A kick sends Carol out (307) but lets her back; a ban (301) keeps Bob out.
        def left_with(client, nick, code, seen):
            client.wait_for_presence(room, lambda p: p.from_jid == f"{room}/{nick}"
                                     and p.type == "unavailable" and has_status(p, code),
                                     after=seen)
        seen = len(carol.presences)
        alice.call(lambda xmpp: xmpp["xep_0045"].set_role(room, "Carol", "none",
                                                          reason="cool off"), 10)
        left_with(carol, "Carol", 307, seen)
        # XEP-0410: Carol's client learns that it is out by pinging itself in the room.
        def self_ping(xmpp):
            return xmpp["xep_0199"].send_ping(f"{room}/Carol", timeout=5)
        with self.assertRaisesRegex(XmppError, "not-acceptable"):
            carol.call(self_ping, 10)
        carol.join_muc(room, "Carol")
        carol.call(self_ping, 10)
        seen = len(bob.presences)
        alice.call(lambda xmpp: xmpp["xep_0045"].set_affiliation(room, "outcast", jid=jid("bob")),
                   10)
        left_with(bob, "Bob", 301, seen)
        with self.assertRaisesRegex(XmppError, "forbidden"):
            bob.join_muc(room, "Bob")

        # The owner destroys the room: Carol is told, and the address is free again.
        seen = len(carol.presences)
        alice.call(lambda xmpp: xmpp["xep_0045"].destroy(room, reason="done"), 10)
        carol.wait_for_presence(room, lambda p: p.type == "unavailable" and "destroy" in p.xml,
                                after=seen)
        self.assertTrue(has_status(bob.join_muc(room, "Bob"), 201))

    def test_js_client_logs_in_with_scram_sha_1_and_chats_with_slixmpp(self):
        bob = self.client("bob", resource="slixmpp").connect()
        bob.send_presence()
        with JsChat(f"xmpp://127.0.0.1:{self.starling.ports['xmpp']}", DOMAIN, "alice",
                    PASSWORDS["alice"], resource="js", send_to=jid("bob"),
                    body="hello from node", expect_from=jid("bob"), ca_file=self.ca_file) as chat:
            online = chat.wait_for_event("online")
            self.assertEqual(online["mechanism"], "SCRAM-SHA-1")
            received = bob.wait_for_message(lambda m: m.body == "hello from node")
            bob.send_message(received.from_jid, "hello from python")
            # Only this reply: earlier tests may have left alice offline messages.
            chat.wait_for_event("message", lambda event: event["body"] == "hello from python")
            self.assertEqual(chat.wait(), 0, chat.stderr())

    def test_cut_session_resumes_and_gets_what_was_sent_meanwhile_exactly_once(self):
        alice = self.client("alice", resource="tunnel", plugins=("xep_0198", "xep_0199"))
        alice.connect()
        self.assertTrue(alice.sm_enabled)
        bob = self.client("bob", resource="resume").connect()
        alice.send_presence()
        bob.send_presence()
        bound = alice.bound_jid
        alice.cut_connection()
        self.starling.wait_for_log("xmpp: lost the connection of alice@")
        bob.send_message(bound, "while you were in the tunnel")
        alice.connect()
        self.assertTrue(alice.resumed)
        self.assertEqual(alice.bound_jid, bound)
        alice.wait_for_message(lambda m: m.body == "while you were in the tunnel")
        alice.ping()  # a round trip: a duplicate would have arrived by now
        self.assertEqual([m.body for m in alice.messages].count("while you were in the tunnel"),
                         1)
        # The server asked for an acknowledgement after resending, so once alice has left, the
        # message is not kept for her as undelivered either.
        alice.close()
        again = self.client("alice", resource="home", plugins=("xep_0199",)).connect()
        again.send_presence()
        again.ping()  # offline messages come with the answer to the first presence
        self.assertNotIn("while you were in the tunnel", [m.body for m in again.messages])

    def test_hostile_input_gets_stream_errors_and_other_sessions_keep_working(self):
        bob = self.client("bob", resource="bystander", plugins=("xep_0199",)).connect()
        # (before the stream header, after it): RFC 6120 §11.1 forbids DTDs, comments,
        # processing instructions and entity references other than the predefined ones.
        laughs = (b"<!DOCTYPE s [<!ENTITY a 'lol'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>")
        attacks = [
            (laughs, b"", b"<restricted-xml"),
            (b"", b"<message><!-- a comment --></message>", b"<restricted-xml"),
            (b"", b"<?pi data?>", b"<restricted-xml"),
            (b"", b"<message>&lol;</message>", b"<restricted-xml"),
            (b"", b"<!DOCTYPE late><message/>", b"<not-well-formed"),
            (b"", b"<message><unclosed></message>", b"<not-well-formed"),
            (b"", b"\xff\xfe not utf-8", b"<not-well-formed"),
            (b"", b"<message><body>" + b"A" * 20000 + b"</body></message>", b"<policy-violation"),
            (b"", b"<a>" * 40, b"<policy-violation"),
        ]
        for prolog, attack, condition in attacks:
            with self.subTest(attack=(prolog + attack)[:40]):
                with socket.create_connection(("127.0.0.1", self.starling.ports["xmpp"]), 5) as raw:
                    raw.sendall(open_stream(prolog))
                    if not prolog:
                        read_until(raw, b"</stream:features>")
                        raw.sendall(attack)
                    answer = read_until(raw, b"</stream:stream>")
                    self.assertIn(condition, answer)
                    self.assertEqual(read_rest(raw), b"", "the server closes the connection")
        self.assertLess(bob.ping(), 2.0)


class SessionResumptionTimeout(unittest.TestCase):
    """A cut XEP-0198 session that nobody resumes ends after xmpp.resumption_timeout."""

    def test_unresumed_session_goes_unavailable_and_its_messages_wait_offline(self):
        starling = Starling(xmpp_config=f'domain = "{DOMAIN}"\nresumption_timeout = 1')
        self.addCleanup(starling.close)
        for user in ("alice", "bob"):
            starling.run("user", "add", user, "--password-stdin", stdin=PASSWORDS[user] + "\n")
        starling.start()
        starling.wait_for_log("xmpp: serving")
        ca_file = os.path.join(starling.directory, "var", "tls", "cert.pem")

        def client(user, **kwargs):
            made = XmppClient(jid(user), PASSWORDS[user], "127.0.0.1", starling.ports["xmpp"],
                              ca_file=ca_file, **kwargs)
            self.addCleanup(made.close)
            return made

        alice = client("alice", plugins=("xep_0198",)).connect()
        self.assertTrue(alice.sm_enabled)
        bob = client("bob").connect()
        alice.send_presence()
        bob.send_presence()
        bob.wait_for_presence(jid("alice"), lambda p: p.type in (None, "available"))
        alice.cut_connection()
        starling.wait_for_log("xmpp: lost the connection of alice@")
        bob.send_message(jid("alice"), "nobody came back for this")
        bob.wait_for_presence(jid("alice"), lambda p: p.type == "unavailable", timeout=5)
        starling.wait_for_log("was not resumed in time")

        again = client("alice").connect()
        self.assertFalse(again.resumed)
        again.send_presence()  # offline messages come after initial presence (RFC 6121 §4.2)
        self.assertEqual(again.wait_for_message(lambda m: m.body == "nobody came back for this")
                         .from_jid.split("/")[0], jid("bob"))


class OwnStarlingTestCase(unittest.TestCase):
    """Tests that restart or reconfigure Starling get one of their own, with alice and bob."""

    def start_starling(self, xmpp_config=""):
        starling = Starling(xmpp_config=f'domain = "{DOMAIN}"\n{xmpp_config}')
        self.addCleanup(starling.close)
        for user in ("alice", "bob"):
            starling.run("user", "add", user, "--password-stdin", stdin=PASSWORDS[user] + "\n")
        starling.start()
        starling.wait_for_log("xmpp: serving")
        return starling

    def client(self, starling, user, **kwargs):
        made = XmppClient(jid(user), PASSWORDS[user], "127.0.0.1", starling.ports["xmpp"],
                          ca_file=os.path.join(starling.directory, "var", "tls", "cert.pem"),
                          **kwargs)
        self.addCleanup(made.close)
        return made


class OfflineMessages(OwnStarlingTestCase):
    """Messages for a user with no session wait in the store, across a restart."""

    def test_offline_message_is_delivered_at_next_login_even_after_a_restart(self):
        starling = self.start_starling()

        def client(user):
            return self.client(starling, user)

        alice = client("alice").connect()
        alice.send_presence()
        sent_at = time.time()
        alice.send_message(jid("bob"), "while you were out")
        alice.send_message(jid("bob"), "and a second one")
        alice.disconnect()
        time.sleep(0.5)  # the store is written behind the router
        starling.stop()
        starling.start()
        starling.wait_for_log("xmpp: 2 offline messages waiting for 1 users")

        bob = client("bob").connect()
        bob.send_presence()  # offline messages come after initial presence (RFC 6121 §4.2)
        first = bob.wait_for_message(lambda m: m.body == "while you were out")
        second = bob.wait_for_message(lambda m: m.body == "and a second one")
        self.assertEqual(bare_of(first.from_jid), jid("alice"))
        self.assertIsNotNone(first.delay)
        self.assertLess(abs(first.delay.timestamp() - sent_at), 5)
        self.assertIsNotNone(second.delay)
        bob.close()

        # Delivered once: the next login finds nothing waiting.
        again = client("bob").connect()
        again.send_presence()
        with self.assertRaises(TimeoutError):
            again.wait_for_message(timeout=1.5)


class MessageArchive(OwnStarlingTestCase):
    """The message archive (XEP-0313) is in the store: a restart keeps it."""

    def test_archived_messages_are_found_after_a_restart(self):
        starling = self.start_starling()

        def client(user):
            return self.client(starling, user, plugins=("xep_0313",))

        alice = client("alice").connect()
        alice.send_presence()
        alice.send_message(jid("bob"), "kept across a restart")
        alice.send_message(jid("bob"), "and this one too")
        alice.disconnect()
        time.sleep(0.5)  # the store is written behind the router
        starling.stop()
        starling.start()
        starling.wait_for_log("xmpp: serving")

        for user, other in (("alice", "bob"), ("bob", "alice")):
            with self.subTest(user=user):
                reader = client(user).connect()
                found = reader.mam_query(with_jid=jid(other))
                self.assertEqual([m.body for m in found],
                                 ["kept across a restart", "and this one too"])
                self.assertTrue(all(m.delay is not None for m in found))
                reader.close()


def open_stream(prolog=b""):
    """The XML declaration, `prolog` (e.g. a DTD), then a client's stream header."""
    return b"<?xml version='1.0'?>" + prolog + (
        f"<stream:stream to='{DOMAIN}' version='1.0' xmlns='jabber:client' "
        "xmlns:stream='http://etherx.jabber.org/streams'>").encode()


def read_until(connection, marker, timeout=5):
    data = b""
    connection.settimeout(timeout)
    while marker not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def read_rest(connection, timeout=5):
    connection.settimeout(timeout)
    data = b""
    while chunk := connection.recv(4096):
        data += chunk
    return data


def bare_of(full):
    return full.split("/", 1)[0]


if __name__ == "__main__":
    unittest.main()
