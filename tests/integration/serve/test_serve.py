"""`starling serve`: first start, administrator password, clean stop on signals."""

import json
import re
import signal
import unittest

from starling_harness import Starling

# The promise: SIGTERM to exit within 2 seconds.
STOP_DEADLINE_SECONDS = 2.0


class Serve(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()

    def tearDown(self):
        self.starling.close()

    def test_first_start_without_config_prints_admin_password_once_and_stops_on_sigterm(self):
        self.starling.start(config=False)
        self.starling.wait_for_log("ready")
        code, seconds = self.starling.stop(signal.SIGTERM)
        self.assertEqual(code, 0)
        self.assertLess(seconds, STOP_DEADLINE_SECONDS)

        stdout, stderr = self.starling.server_output()
        password = re.search(r"password: (\S+)", stdout)
        self.assertIsNotNone(password, stdout)
        self.assertIn("user:     admin", stdout)
        self.assertNotIn(password.group(1), stderr, "the password must never be logged")

        # The default data directory is var/ below the working directory.
        listing = self.starling.run("user", "list", config=False)
        self.assertRegex(listing.stdout, r"admin\s+admin")

        self.starling.start(config=False)
        self.starling.wait_for_log("ready")
        self.assertEqual(self.starling.stop(signal.SIGINT)[0], 0)
        self.assertNotIn("password:", self.starling.server_output()[0])

    def test_stops_on_sigint_within_the_deadline(self):
        self.starling.start()
        self.starling.wait_for_log("ready")
        code, seconds = self.starling.stop(signal.SIGINT)
        self.assertEqual(code, 0)
        self.assertLess(seconds, STOP_DEADLINE_SECONDS)
        self.assertIn("stopped", self.starling.server_output()[1])

    def test_json_log_format_writes_one_object_per_line(self):
        self.starling.close()
        self.starling = Starling('[log]\nformat = "json"\n')
        self.starling.start()
        self.starling.wait_for_log("ready")
        self.assertEqual(self.starling.stop()[0], 0)
        lines = self.starling.server_output()[1].strip().splitlines()
        self.assertGreaterEqual(len(lines), 3)
        for line in lines:
            entry = json.loads(line)
            self.assertEqual(set(entry), {"time", "level", "logger", "message"})

    def test_unusable_data_directory_fails_with_a_clear_message(self):
        self.starling.close()
        self.starling = Starling()
        with open(self.starling.config_path, "a", encoding="utf-8") as config:
            config.write('[store]\nurl = "sqlite:/proc/forbidden/starling.db"\n')
        result = self.starling.run("serve", timeout=20)
        self.assertEqual(result.returncode, 1)
        self.assertIn("/proc/forbidden", result.stderr)


if __name__ == "__main__":
    unittest.main()
