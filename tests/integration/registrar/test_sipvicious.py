"""SIPVicious, the attacker's toolkit: it learns no valid user name and gets banned."""

import os
import socket
import subprocess
import unittest

from starling_harness import Starling, free_port

PASSWORD = "carol-Secret-99"


class Sipvicious(unittest.TestCase):
    def setUp(self):
        self.starling = Starling(sip_config="ban_failures = 5\nban_window = 60\nban_time = 600\n")
        self.starling.run("user", "add", "carol", "--ext", "201")
        self.starling.run("device", "add", "carol", "--name", "201", "--password-stdin", stdin=PASSWORD + "\n")
        self.starling.start()
        self.starling.wait_for_log("listening on udp")

    def tearDown(self):
        self.starling.close()

    def run_tool(self, tool, *arguments, timeout=120):
        # -P: SIPVicious would bind 5060, which other tests' servers may hold.
        return subprocess.run([tool, "-P", str(free_port(socket.SOCK_DGRAM)), *arguments],
                              capture_output=True, text=True, timeout=timeout,
                              cwd=self.starling.directory, check=False)

    def test_svwar_learns_no_extension(self):
        port = str(self.starling.ports["sip"])
        for method in ("REGISTER", "INVITE", "OPTIONS"):
            with self.subTest(method=method):
                # --force: scan on although every extension, real or not, gets the same 401.
                result = self.run_tool("svwar", "--force", "-e", "190-210", "-m", method, "-p", port,
                                       "127.0.0.1")
                output = result.stdout + result.stderr
                self.assertNotIn("socket error", output)
                self.assertNotRegex(output, r"\|\s*201\s*\|", output[-2000:])

    def test_svcrack_is_banned_before_it_finds_the_password(self):
        dictionary = os.path.join(self.starling.directory, "words.txt")
        with open(dictionary, "w", encoding="utf-8") as words:
            words.write("".join(f"guess{n}\n" for n in range(30)) + PASSWORD + "\n")
        result = self.run_tool("svcrack", "-u", "201", "-d", dictionary, "-p",
                               str(self.starling.ports["sip"]), "127.0.0.1")
        output = result.stdout + result.stderr
        self.assertNotIn(PASSWORD, output)
        self.starling.wait_for_log("banning 127.0.0.1")

    def test_svmap_sees_a_sip_server_but_no_version(self):
        result = self.run_tool("svmap", "-p", str(self.starling.ports["sip"]), "127.0.0.1")
        self.assertIn("127.0.0.1", result.stdout)
        self.assertNotIn("0.1.0", result.stdout)


if __name__ == "__main__":
    unittest.main()
