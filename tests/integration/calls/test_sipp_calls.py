"""SIPp callers and callees through Starling: calls at load with zero failures, reliable
provisionals (PRACK), session-timer and hop-count refusals."""

import json
import os
import subprocess
import unittest

from starling_harness import Starling, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")
REGISTER = os.path.join(HERE, "..", "registrar", "scenarios", "register.xml")
PASSWORD = "sipp-secret-123"
LOAD_CALLS = 300
LOAD_RATE = 30  # calls per second


class SippCalls(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()
        for name, extension in (("alice", "1001"), ("bob", "1002")):
            self.assertEqual(self.starling.run("user", "add", name, "--ext", extension).returncode, 0)
            added = self.starling.run("device", "add", name, "--password-stdin", stdin=PASSWORD + "\n")
            self.assertEqual(added.returncode, 0, added.stderr)
        self.starling.start()
        self.starling.wait_for_log("listening on udp")
        self.callee = None

    def tearDown(self):
        if self.callee and self.callee.poll() is None:
            self.callee.kill()
            self.callee.wait()
        self.starling.close()

    def injection(self, name, rows):
        path = os.path.join(self.starling.directory, name)
        with open(path, "w", encoding="utf-8") as out:
            out.write("SEQUENTIAL\n" + "".join(";".join(row) + "\n" for row in rows))
        return path

    def sipp(self, scenario, port, extra, timeout=60):
        return ["sipp", "-sf", scenario, "-i", "127.0.0.1", "-p", str(port), "-t", "u1",
                "-nostdin", "-timeout", f"{timeout}s", "-timeout_error", "-trace_err", *extra]

    def start_callee(self, calls):
        """bob as a SIPp UAS: registers from the port it then answers on."""
        port = free_port()
        rows = [("bob", f"[authentication username=bob password={PASSWORD}]", "600")]
        registered = subprocess.run(
            self.sipp(REGISTER, port, [f"127.0.0.1:{self.starling.ports['sip']}",
                                       "-inf", self.injection("register.csv", rows), "-m", "1"]),
            capture_output=True, text=True, cwd=self.starling.directory, timeout=30, check=False)
        self.assertEqual(registered.returncode, 0, registered.stdout[-2000:])
        self.callee = subprocess.Popen(
            self.sipp(os.path.join(SCENARIOS, "uas_answer.xml"), port, ["-m", str(calls)]),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=self.starling.directory)

    def call(self, scenario, calls=1, rate=10):
        rows = [("alice", "1002", f"[authentication username=alice password={PASSWORD}]")] * calls
        return subprocess.run(
            self.sipp(os.path.join(SCENARIOS, scenario), free_port(),
                      [f"127.0.0.1:{self.starling.ports['sip']}",
                       # SIPp digests over sip:remote_ip:port unless told the Request-URI.
                       "-auth_uri", f"1002@127.0.0.1:{self.starling.ports['sip']}", "-inf",
                       self.injection("calls.csv", rows), "-m", str(calls), "-r", str(rate),
                       "-l", str(rate * 3)]),
            capture_output=True, text=True, cwd=self.starling.directory, timeout=120, check=False)

    def failure(self, result):
        errors = [name for name in os.listdir(self.starling.directory) if name.endswith("errors.log")]
        text = "".join(open(os.path.join(self.starling.directory, name), encoding="utf-8",
                            errors="replace").read()[-3000:] for name in errors)
        return f"{result.stdout[-1500:]}\n{text}\n{self.starling.server_output()[1][-2000:]}"

    def test_calls_at_load_complete_without_failures(self):
        self.start_callee(LOAD_CALLS)
        result = self.call("uac_call.xml", LOAD_CALLS, LOAD_RATE)
        self.assertEqual(result.returncode, 0, self.failure(result))
        self.callee.wait(timeout=30)
        self.assertEqual(self.callee.returncode, 0, self.callee.stdout.read()[-2000:])
        legs = json.loads(self.starling.run("calls", "--json", "--limit", str(4 * LOAD_CALLS)).stdout)
        normal = [leg for leg in legs if leg["leg"] == "a" and leg["hangup_cause"] == "normal"]
        self.assertEqual(len(normal), LOAD_CALLS)

    def test_caller_requiring_100rel_gets_a_reliable_ringing(self):
        self.start_callee(1)
        result = self.call("uac_100rel.xml")
        self.assertEqual(result.returncode, 0, self.failure(result))

    def test_call_with_a_late_offer_completes(self):
        self.start_callee(1)
        result = self.call("uac_late_offer.xml")
        self.assertEqual(result.returncode, 0, self.failure(result))

    def test_too_short_session_interval_gets_422_with_min_se(self):
        result = self.call("uac_session_too_small.xml")
        self.assertEqual(result.returncode, 0, self.failure(result))

    def test_request_out_of_hops_gets_483(self):
        result = self.call("uac_too_many_hops.xml")
        self.assertEqual(result.returncode, 0, self.failure(result))


if __name__ == "__main__":
    unittest.main()
