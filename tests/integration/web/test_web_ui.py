"""The web UI end to end in headless Chromium (playwright-core): an admin creates a user, an
extension and a device through the forms, then watches a SIPp phone register and call live on
the dashboard, and adds a trunk and an outbound route. Screenshots of every page are kept under
STARLING_ARTEFACTS_DIR."""

import os
import subprocess
import tempfile
import time
import unittest

from starling_harness import Starling, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "web_ui_driver.mjs")
CALL_SCENARIOS = os.path.join(HERE, "..", "calls", "scenarios")
REGISTER = os.path.join(HERE, "..", "registrar", "scenarios", "register.xml")
ADMIN_PASSWORD = "web-admin-secret-1"
# The driver creates alice's device with this password (kDevicePassword there).
ALICE_PASSWORD = "web-ui-device-secret-1"
BOB_PASSWORD = "web-bob-secret-1"
# The trunk's numbers (DIDs) are checked against the numbering plan: Berlin, Germany.
NUMBERING_PLAN = '[pbx]\ncountry_code = "49"\narea_code = "30"\n'
# A little more than the second after which a device added over the API can register.
CREDENTIALS_RELOAD_SECONDS = 1.5


class WebUi(unittest.TestCase):
    def setUp(self):
        self.starling = Starling(extra_config=NUMBERING_PLAN)
        self.processes = []
        added = self.starling.run("user", "add", "admin", "--role", "admin", "--password-stdin",
                                  stdin=ADMIN_PASSWORD + "\n")
        self.assertEqual(added.returncode, 0, added.stderr)
        # bob answers alice's call: a SIPp UAS, set up without the UI.
        self.assertEqual(self.starling.run("user", "add", "bob", "--ext", "1002").returncode, 0)
        added = self.starling.run("device", "add", "bob", "--password-stdin", stdin=BOB_PASSWORD + "\n")
        self.assertEqual(added.returncode, 0, added.stderr)
        self.starling.start()
        self.starling.wait_for_log("http: serving HTTPS")
        self.artefacts = os.environ.get("STARLING_ARTEFACTS_DIR") or tempfile.mkdtemp(prefix="starling-web-")

    def tearDown(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        self.starling.close()

    def sipp(self, scenario, port, rows, extra=()):
        injection = os.path.join(self.starling.directory, f"{os.path.basename(scenario)}.csv")
        with open(injection, "w", encoding="utf-8") as out:
            out.write("SEQUENTIAL\n" + "".join(";".join(row) + "\n" for row in rows))
        return ["sipp", "-sf", scenario, "-i", "127.0.0.1", "-p", str(port), "-t", "u1",
                "-nostdin", "-timeout", "30s", "-timeout_error", "-trace_err",
                "-inf", injection, "-m", str(len(rows)), *extra]

    def run_sipp(self, command):
        result = subprocess.run(command, capture_output=True, text=True,
                                cwd=self.starling.directory, timeout=60, check=False)
        self.assertEqual(result.returncode, 0, result.stdout[-2000:])

    def register(self, user, password, port):
        starling = f"127.0.0.1:{self.starling.ports['sip']}"
        row = (user, f"[authentication username={user} password={password}]", "600")
        self.run_sipp(self.sipp(REGISTER, port, [row], [starling]))

    def call_alice_to_bob(self):
        """bob answers as a SIPp UAS on the port he registered from; alice calls 1002."""
        bob_port = free_port()
        self.register("bob", BOB_PASSWORD, bob_port)
        callee = subprocess.Popen(
            ["sipp", "-sf", os.path.join(CALL_SCENARIOS, "uas_answer.xml"), "-i", "127.0.0.1",
             "-p", str(bob_port), "-t", "u1", "-nostdin", "-m", "1", "-timeout", "30s", "-timeout_error"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=self.starling.directory)
        self.processes.append(callee)
        sip = self.starling.ports["sip"]
        caller = subprocess.Popen(
            self.sipp(os.path.join(CALL_SCENARIOS, "uac_call.xml"), free_port(),
                      [("alice", "1002", f"[authentication username=alice password={ALICE_PASSWORD}]")],
                      [f"127.0.0.1:{sip}", "-auth_uri", f"1002@127.0.0.1:{sip}"]),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=self.starling.directory)
        self.processes.append(caller)
        return caller, callee

    def test_admin_creates_a_user_and_watches_its_phone_register_and_call(self):
        environment = dict(os.environ)
        self.assertIn("STARLING_WEB_NODE_MODULES", environment, "run this test through ctest")
        base = f"https://127.0.0.1:{self.starling.ports['https']}"
        driver = subprocess.Popen(["node", DRIVER, base, ADMIN_PASSWORD, self.artefacts],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, env=environment, bufsize=1)
        self.processes.append(driver)
        steps, screenshots, calls = [], [], []
        for line in driver.stdout:
            line = line.strip()
            if line.startswith("screenshot "):
                screenshots.append(line.split(" ", 1)[1])
                continue
            steps.append(line)
            if line == "step register waiting":
                # The SIP side reloads device credentials from the store once a second.
                time.sleep(CREDENTIALS_RELOAD_SECONDS)
                self.register("alice", ALICE_PASSWORD, free_port())
            elif line == "step call waiting":
                calls = self.call_alice_to_bob()
            else:
                continue
            driver.stdin.write("go\n")
            driver.stdin.flush()
        driver.wait(timeout=60)
        for process in calls:
            process.wait(timeout=30)
        print(f"\nweb UI screenshots: {self.artefacts}")
        self.assertEqual(driver.returncode, 0,
                         f"{steps}\n{driver.stderr.read()[-3000:]}\n{self.starling.server_output()[1][-3000:]}")
        for process in calls:
            self.assertEqual(process.returncode, 0, process.stdout.read()[-2000:])
        self.assertEqual(steps[-1], "step done")
        self.assertIn("step call-ended", steps)
        self.assertIn("step trunk-field-error-shown", steps)
        self.assertIn("step route-created", steps)
        listed = self.starling.run("trunks").stdout
        self.assertIn("+4930555000=1001", listed)
        self.assertGreaterEqual(len(screenshots), 10)


if __name__ == "__main__":
    unittest.main()
