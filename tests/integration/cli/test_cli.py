"""The starling command line: help, version, users, devices, extensions, groups, ports, calls."""

import json
import re
import unittest

from starling_harness import Starling

COMMANDS = [
    [],
    ["serve"],
    ["user"], ["user", "add"], ["user", "list"], ["user", "passwd"], ["user", "del"],
    ["device"], ["device", "add"], ["device", "list"], ["device", "del"],
    ["ext"], ["ext", "add"], ["ext", "list"], ["ext", "del"],
    ["group"], ["group", "add"], ["group", "list"], ["group", "del"],
    ["group", "add-member"], ["group", "remove-member"],
    ["ports"], ["firewall"], ["doctor"],
    ["registrations"],
    ["calls"],
    ["version"],
]


class CommandLine(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()

    def tearDown(self):
        self.starling.close()

    def test_every_command_has_help(self):
        for command in COMMANDS:
            with self.subTest(command=command):
                result = self.starling.run(*command, "--help")
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("Usage:", result.stdout)

    def test_version_names_the_program(self):
        result = self.starling.run("version", config=False)
        self.assertEqual(result.returncode, 0)
        self.assertRegex(result.stdout, r"^starling \d+\.\d+\.\d+ ")

    def test_unknown_command_or_option_is_a_usage_error(self):
        self.assertEqual(self.starling.run("frobnicate").returncode, 2)
        self.assertEqual(self.starling.run("user", "add").returncode, 2)
        self.assertEqual(self.starling.run("ports", "--bogus").returncode, 2)

    def test_user_lifecycle(self):
        added = self.starling.run("user", "add", "alice", "--ext", "201", "--display-name", "Alice Liddell")
        self.assertEqual(added.returncode, 0, added.stderr)
        password = re.search(r"Password \(shown only this once\): (\S+)", added.stdout)
        self.assertIsNotNone(password, added.stdout)

        listing = self.starling.run("user", "list")
        self.assertRegex(listing.stdout, r"alice\s+user\s+201\s+Alice Liddell")

        duplicate = self.starling.run("user", "add", "alice")
        self.assertEqual(duplicate.returncode, 1)
        self.assertIn("already exists", duplicate.stderr)

        changed = self.starling.run("user", "passwd", "alice", "--password-stdin", stdin="a new password\n")
        self.assertEqual(changed.returncode, 0, changed.stderr)
        self.assertNotIn("a new password", changed.stdout)

        removed = self.starling.run("user", "del", "alice")
        self.assertEqual(removed.returncode, 0)
        self.assertNotIn("alice", self.starling.run("user", "list").stdout)
        self.assertEqual(self.starling.run("user", "del", "alice").returncode, 1)

    def test_invalid_names_are_usage_errors_that_say_why(self):
        result = self.starling.run("user", "add", "Not Valid")
        self.assertEqual(result.returncode, 2)
        self.assertIn("invalid user name", result.stderr)
        short = self.starling.run("user", "add", "bob", "--password-stdin", stdin="short\n")
        self.assertEqual(short.returncode, 2)
        self.assertIn("at least 8 characters", short.stderr)

    def test_device_lifecycle_stores_no_plain_password(self):
        self.starling.run("user", "add", "bob")
        first = self.starling.run("device", "add", "bob", "--description", "desk phone")
        self.assertEqual(first.returncode, 0, first.stderr)
        self.assertIn("SIP username: bob", first.stdout)
        secret = re.search(r"SIP password \(shown only this once\): (\S+)", first.stdout).group(1)
        second = self.starling.run("device", "add", "bob", "--password-stdin", stdin="given password\n")
        self.assertIn("SIP username: bob-2", second.stdout)
        self.assertNotIn("password (shown", second.stdout)

        listing = self.starling.run("device", "list").stdout
        self.assertRegex(listing, r"bob\s+bob\s+starling\s+desk phone")
        self.assertIn("bob-2", listing)

        with open(f"{self.starling.directory}/var/starling.db", "rb") as database:
            content = database.read()
        for plain in (secret.encode(), b"given password"):
            self.assertNotIn(plain, content)

        self.assertEqual(self.starling.run("device", "del", "bob-2").returncode, 0)
        self.assertNotIn("bob-2", self.starling.run("device", "list").stdout)
        self.assertEqual(self.starling.run("device", "add", "nobody").returncode, 1)

    def test_extensions_and_groups(self):
        self.starling.run("user", "add", "carol")
        self.assertEqual(self.starling.run("group", "add", "sales", "--display-name", "Sales").returncode, 0)
        self.assertEqual(self.starling.run("group", "add-member", "sales", "carol").returncode, 0)
        self.assertRegex(self.starling.run("group", "list").stdout, r"sales\s+Sales\s+carol")

        self.assertEqual(self.starling.run("ext", "add", "300", "--group", "sales").returncode, 0)
        self.assertEqual(self.starling.run("ext", "add", "301", "--user", "carol").returncode, 0)
        self.assertEqual(self.starling.run("ext", "add", "301", "--user", "carol").returncode, 1)
        self.assertEqual(self.starling.run("ext", "add", "302", "--user", "carol", "--group", "sales").returncode, 2)
        listing = self.starling.run("ext", "list").stdout
        self.assertRegex(listing, r"300\s+group\s+sales")
        self.assertRegex(listing, r"301\s+user\s+carol")
        self.assertEqual(self.starling.run("ext", "del", "300").returncode, 0)
        self.assertEqual(self.starling.run("group", "remove-member", "sales", "carol").returncode, 0)
        self.assertEqual(self.starling.run("group", "del", "sales").returncode, 0)

    def test_ports_follow_the_configuration(self):
        result = self.starling.run("ports")
        self.assertEqual(result.returncode, 0, result.stderr)
        sip = self.starling.ports["sip"]
        self.assertRegex(result.stdout, rf"sip\s+udp\s+in\s+127\.0\.0\.1\s+{sip}\s")
        self.assertRegex(result.stdout, rf"http\s+tcp\s+in\s+127\.0\.0\.1\s+{self.starling.ports['https']}\s.*TLS 1\.2\+")
        defaults = self.starling.run("ports", config=False).stdout
        for port in ("5060", "5061", "10000-20000", "443", "5222", "5223", "50080", "50081"):
            self.assertIn(port, defaults)

    def test_calls_on_an_empty_database(self):
        result = self.starling.run("calls")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout, r"Active calls\nCALL\s+LEG\s+CALLER")
        self.assertRegex(result.stdout, r"Recent calls\nCALL\s+LEG\s+CALLER")
        self.assertNotIn("Recent calls", self.starling.run("calls", "--active").stdout)
        self.assertEqual(json.loads(self.starling.run("calls", "--json").stdout), [])
        self.assertEqual(self.starling.run("calls", "--limit", "0").returncode, 2)


if __name__ == "__main__":
    unittest.main()
