"""Bad configuration stops starling with one line that names the file, line and key."""

import os
import unittest

from starling_harness import Starling


class ConfigurationErrors(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()

    def tearDown(self):
        self.starling.close()

    def run_with(self, text, command=("serve",)):
        path = os.path.join(self.starling.directory, "bad.toml")
        with open(path, "w", encoding="utf-8") as config:
            config.write(text)
        return self.starling.run("--config", path, *command, config=False, timeout=20)

    def assert_one_line_error(self, result, expected):
        self.assertEqual(result.returncode, 2, result)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn(expected, lines[0])

    def test_unknown_key(self):
        result = self.run_with("[sip]\nudp_port = 5060\nudp_prot = 5070\n")
        self.assert_one_line_error(result, "bad.toml:3: sip.udp_prot: unknown key")

    def test_bad_value(self):
        result = self.run_with("\n\n[media]\nrtp_port_min = -1\n")
        self.assert_one_line_error(result, "bad.toml:4: media.rtp_port_min: expected an integer from 1 to 65535, got -1")

    def test_wrong_type(self):
        result = self.run_with('[log]\nlevel = 3\n')
        self.assert_one_line_error(result, "bad.toml:2: log.level: expected a string, got 3")

    def test_syntax_error(self):
        result = self.run_with("[sip\nudp_port = 1\n")
        self.assert_one_line_error(result, "bad.toml:1:")

    def test_missing_file(self):
        result = self.starling.run("--config", "/nonexistent.toml", "ports", config=False)
        self.assert_one_line_error(result, "/nonexistent.toml: cannot read the configuration file")

    def test_every_command_that_needs_configuration_checks_it(self):
        for command in (("ports",), ("user", "list"), ("device", "list")):
            with self.subTest(command=command):
                result = self.run_with("bogus = 1\n", command)
                self.assert_one_line_error(result, "bad.toml:1: bogus: unknown key")


if __name__ == "__main__":
    unittest.main()
