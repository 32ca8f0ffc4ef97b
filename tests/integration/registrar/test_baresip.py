"""baresip, a real softphone, registers with Starling and stays registered over UDP and TLS."""

import os
import subprocess
import time
import unittest

from starling_harness import Starling

PASSWORD = "bob-secret-123"
REGISTRATION_INTERVAL = 10  # seconds; short so the test sees baresip refresh


class Baresip(unittest.TestCase):
    def setUp(self):
        self.starling = Starling(sip_config="min_expires = 5\n")
        self.starling.run("user", "add", "bob")
        added = self.starling.run("device", "add", "bob", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(added.returncode, 0, added.stderr)
        self.starling.start()
        self.starling.wait_for_log("listening on udp")
        self.phones = []

    def tearDown(self):
        for phone, log in self.phones:
            phone.terminate()
            try:
                phone.wait(timeout=5)
            except subprocess.TimeoutExpired:
                phone.kill()
            log.close()
        self.starling.close()

    def start_baresip(self, transport):
        """A baresip with no audio modules and one account on the given transport."""
        home = os.path.join(self.starling.directory, f"baresip-{transport}")
        os.makedirs(home, exist_ok=True)
        port = self.starling.ports["sip_tls" if transport == "tls" else "sip"]
        with open(os.path.join(home, "config"), "w", encoding="utf-8") as config:
            config.write("sip_listen 127.0.0.1:0\nsip_verify_server no\n"
                         "module_path /usr/lib/baresip/modules\nmodule account.so\n")
        with open(os.path.join(home, "accounts"), "w", encoding="utf-8") as accounts:
            accounts.write(f"<sip:bob@127.0.0.1:{port};transport={transport}>;auth_pass={PASSWORD};"
                           f"regint={REGISTRATION_INTERVAL}\n")
        log = open(os.path.join(home, "log"), "w+", encoding="utf-8")
        phone = subprocess.Popen(["baresip", "-f", home], stdin=subprocess.DEVNULL, stdout=log,
                                 stderr=subprocess.STDOUT, cwd=home)
        self.phones.append((phone, log))
        return phone

    def wait_for_binding(self, transport, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            rows = [r for r in self.starling.registrations() if r["transport"] == transport]
            if rows:
                return rows[0]
            time.sleep(0.25)
        self.fail(f"baresip did not register over {transport}: {self.starling.server_output()[1][-2000:]}")

    def test_registers_and_stays_registered_over_udp_and_tls(self):
        for transport in ("udp", "tls"):
            with self.subTest(transport=transport):
                self.start_baresip(transport)
                first = self.wait_for_binding(transport)
                self.assertIn("baresip", first["user_agent"])
                # Past one registration interval baresip has refreshed; the binding is still there.
                time.sleep(REGISTRATION_INTERVAL + 2)
                again = self.wait_for_binding(transport)
                self.assertEqual(again["contact"], first["contact"])
                self.assertIn(f"bob refreshed", self.starling.server_output()[1])


if __name__ == "__main__":
    unittest.main()
