"""Brute-force protection for XMPP logins: an address that keeps sending wrong passwords is
banned, whichever account it tries next, while other addresses log in as usual."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from starling_harness import Starling  # noqa: E402
from xmpp_client import AuthenticationFailed, XmppClient, XmppError  # noqa: E402

DOMAIN = "localhost"
PASSWORDS = {"alice": "alice in chains 1", "bob": "bob the builder 2"}
BAN_FAILURES = 3


class LoginBan(unittest.TestCase):
    def setUp(self):
        self.starling = Starling(xmpp_config=f'domain = "{DOMAIN}"\n'
                                 f"ban_failures = {BAN_FAILURES}\nban_window = 60\n"
                                 "ban_time = 600\n")
        self.addCleanup(self.starling.close)
        for user, password in PASSWORDS.items():
            added = self.starling.run("user", "add", user, "--password-stdin",
                                      stdin=password + "\n")
            self.assertEqual(added.returncode, 0, added.stderr)
        self.starling.start()
        self.starling.wait_for_log("xmpp: serving")
        self.ca_file = os.path.join(self.starling.directory, "var", "tls", "cert.pem")

    def client(self, user, password=None, source="127.0.0.1", **kwargs):
        client = XmppClient(f"{user}@{DOMAIN}", password or PASSWORDS[user], "127.0.0.1",
                            self.starling.ports["xmpp"], ca_file=self.ca_file,
                            source_address=source, timeout=5, **kwargs)
        self.addCleanup(client.close)
        return client

    def guess(self, user="alice", source="127.0.0.1"):
        client = self.client(user, "a wrong guess", source, mechanism="SCRAM-SHA-256")
        with self.assertRaisesRegex(AuthenticationFailed, "not-authorized"):
            client.connect()
        client.close()

    def test_wrong_passwords_ban_the_address_for_every_account(self):
        for _ in range(BAN_FAILURES):
            self.guess()
        self.starling.wait_for_log("xmpp: banning 127.0.0.1")
        for user in PASSWORDS:
            with self.subTest(user=user):
                # Closed before the stream starts: no SASL failure, nothing to learn.
                with self.assertRaisesRegex(XmppError, "disconnected|cannot connect") as refused:
                    self.client(user).connect()
                self.assertNotIsInstance(refused.exception, AuthenticationFailed)
        # Another machine (another loopback address) is not affected.
        self.client("alice", source="127.0.0.2").connect()
        self.assertEqual(self.starling.server_output()[1].count("banning 127.0.0.1"), 1)

    def test_failed_channel_binding_is_no_guess(self):
        # slixmpp binds with tls-unique only, which TLS 1.3 lacks: -PLUS fails before any
        # password is checked. Were that counted, this address would be banned below.
        for _ in range(BAN_FAILURES - 1):
            self.guess()
        plus = self.client("alice", mechanism="SCRAM-SHA-256-PLUS")
        with self.assertRaises(AuthenticationFailed):
            plus.connect()
        plus.close()
        self.client("alice").connect()
        self.assertNotIn("banning", self.starling.server_output()[1])

    def test_a_login_clears_the_failures_of_its_address(self):
        for _ in range(BAN_FAILURES - 1):
            self.guess()
        self.client("bob").connect().close()
        for _ in range(BAN_FAILURES - 1):
            self.guess()
        self.client("alice").connect()
        self.assertNotIn("banning", self.starling.server_output()[1])


if __name__ == "__main__":
    unittest.main()
