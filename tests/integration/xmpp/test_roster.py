"""User-managed rosters (RFC 6121 §2, §3) with slixmpp: contacts added and removed, roster
pushes to every resource, subscription requests and answers, and presence that follows them.
The site turns the shared colleague roster off, so users build their rosters themselves."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from starling_harness import Starling  # noqa: E402
from xmpp_client import XmppClient  # noqa: E402

DOMAIN = "localhost"
USERS = ("alice", "bob", "carol", "dave", "erin", "frank", "grace")


def jid(user):
    return f"{user}@{DOMAIN}"


def password(user):
    return f"{user} keeps a roster"


def available(presence):
    return presence.type == "available"


class UserManagedRoster(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.starling = Starling(xmpp_config=f'domain = "{DOMAIN}"\ncolleagues_roster = false')
        for user in USERS:
            added = cls.starling.run("user", "add", user, "--password-stdin",
                                     stdin=password(user) + "\n")
            assert added.returncode == 0, added.stderr
        cls.starling.start()
        cls.starling.wait_for_log("xmpp: serving")
        cls.ca_file = os.path.join(cls.starling.directory, "var", "tls", "cert.pem")

    @classmethod
    def tearDownClass(cls):
        cls.starling.close()

    def online(self, user, resource="desk", presence=True):
        """Logged in, roster fetched (so it gets pushes), initial presence sent."""
        client = XmppClient(jid(user), password(user), "127.0.0.1", self.starling.ports["xmpp"],
                            ca_file=self.ca_file, resource=resource)
        self.addCleanup(client.close)
        client.connect()
        client.roster()
        if presence:
            client.send_presence()
        return client

    def test_a_contact_added_on_one_resource_is_pushed_to_the_other(self):
        phone = self.online("alice", "phone")
        laptop = self.online("alice", "laptop")
        self.assertEqual(phone.roster(), {}, "no colleagues: the shared roster is off")
        phone.roster_set("partner@example.org", name="Partner", groups=("Suppliers",))
        pushed = laptop.wait_for_roster_push("partner@example.org")
        self.assertEqual((pushed.name, pushed.groups, pushed.subscription),
                         ("Partner", ("Suppliers",), "none"))
        self.assertIn("partner@example.org", laptop.roster())
        phone.roster_remove("partner@example.org")
        self.assertIsNone(laptop.wait_for_roster_push("partner@example.org",
                                                      lambda item: item is None))
        self.assertNotIn("partner@example.org", laptop.roster())

    def test_request_and_approval_make_presence_flow(self):
        bob = self.online("bob")
        carol = self.online("carol")
        bob.subscribe(jid("carol"))
        self.assertTrue(bob.wait_for_roster_push(jid("carol"), lambda item: item.ask).ask)
        carol.wait_for_presence(jid("bob"), lambda p: p.type == "subscribe")
        carol.approve_subscription(jid("bob"))
        self.assertEqual(bob.wait_for_roster_push(
            jid("carol"), lambda item: item.subscription == "to").ask, False)
        bob.wait_for_presence(jid("carol"), available)  # RFC 6121 §3.1.5
        carol.send_presence(show="away", status="lunch")
        self.assertEqual(bob.wait_for_presence(jid("carol"), lambda p: p.show == "away").status,
                         "lunch")
        self.assertEqual(carol.roster()[jid("bob")].subscription, "from")
        # One way only: carol does not see bob.
        bob.send_presence(show="dnd")
        with self.assertRaises(TimeoutError):
            carol.wait_for_presence(jid("bob"), lambda p: p.show == "dnd", timeout=1)

    def test_a_request_to_an_offline_user_arrives_at_login(self):
        dave = self.online("dave")
        dave.subscribe(jid("erin"))
        dave.wait_for_roster_push(jid("erin"), lambda item: item.ask)
        erin = self.online("erin")
        request = erin.wait_for_presence(jid("dave"), lambda p: p.type == "subscribe")
        self.assertEqual(request.from_jid, jid("dave"))
        erin.approve_subscription(jid("dave"))
        dave.wait_for_roster_push(jid("erin"), lambda item: item.subscription == "to")
        dave.wait_for_presence(jid("erin"), available)

    def test_removing_a_contact_unsubscribes_both_ways(self):
        frank = self.online("frank")
        grace = self.online("grace")
        for asker, answerer, other in ((frank, grace, "frank"), (grace, frank, "grace")):
            asker.subscribe(answerer.jid.split("/")[0])
            answerer.wait_for_presence(jid(other), lambda p: p.type == "subscribe")
            answerer.approve_subscription(jid(other))
        frank.wait_for_roster_push(jid("grace"), lambda item: item.subscription == "both")
        grace.wait_for_presence(jid("frank"), available)

        seen = len(grace.presences)
        frank.roster_remove(jid("grace"))
        for kind in ("unsubscribe", "unsubscribed", "unavailable"):
            grace.wait_for_presence(jid("frank"), lambda p, kind=kind: p.type == kind, after=seen)
        grace.wait_for_roster_push(jid("frank"), lambda item: item and item.subscription == "none")
        self.assertNotIn(jid("grace"), frank.roster())
        self.assertEqual(grace.roster()[jid("frank")].subscription, "none")


class RosterAcrossRestarts(unittest.TestCase):
    def test_contacts_and_pending_requests_survive_a_restart(self):
        starling = Starling(xmpp_config=f'domain = "{DOMAIN}"\ncolleagues_roster = false')
        self.addCleanup(starling.close)
        for user in ("alice", "bob"):
            self.assertEqual(starling.run("user", "add", user, "--password-stdin",
                                          stdin=password(user) + "\n").returncode, 0)
        ca_file = os.path.join(starling.directory, "var", "tls", "cert.pem")

        def login(user):
            client = XmppClient(jid(user), password(user), "127.0.0.1", starling.ports["xmpp"],
                                ca_file=ca_file)
            self.addCleanup(client.close)
            return client.connect()

        starling.start()
        starling.wait_for_log("xmpp: serving")
        alice = login("alice")
        alice.roster_set("partner@example.org", name="Partner")
        alice.subscribe(jid("bob"))
        alice.roster()  # the answer comes after the request was handled
        alice.close()
        starling.stop()
        starling.start()
        starling.wait_for_log("xmpp: serving")
        alice = login("alice")
        roster = alice.roster()
        self.assertEqual(roster["partner@example.org"].name, "Partner")
        self.assertTrue(roster[jid("bob")].ask)
        bob = login("bob")
        bob.roster()
        bob.send_presence()
        bob.wait_for_presence(jid("alice"), lambda p: p.type == "subscribe")


if __name__ == "__main__":
    unittest.main()
