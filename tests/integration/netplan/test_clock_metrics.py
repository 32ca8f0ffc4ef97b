"""`starling serve` with network.ntp_servers: it checks the clock, warns when it is more than
1 s off, and exports the offset and the time of the last check as metrics."""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "api"))

from api_client import Browser  # noqa: E402
from starling_harness import Starling  # noqa: E402
from test_doctor import SkewedNtpServer, set_network  # noqa: E402


class ClockMetricsTest(unittest.TestCase):
    def setUp(self):
        self.ntp = SkewedNtpServer(skew=5.0)
        self.addCleanup(self.ntp.stop)
        self.starling = Starling()
        self.addCleanup(self.starling.close)
        self.server = f"127.0.0.1:{self.ntp.port}"
        set_network(self.starling, ntp_servers=[self.server])
        self.starling.start()
        self.addCleanup(self.starling.stop)
        self.starling.wait_for_log("ready")

    def test_a_clock_five_seconds_off_is_logged_and_exported(self):
        self.starling.wait_for_log(f"s off NTP server {self.server}")
        log = self.starling.server_output()[1]
        self.assertRegex(log, rf"clock: \+(4\.9|5\.0)\d\d s off NTP server {re.escape(self.server)}")
        password = re.search(r"password: (\S+)", self.wait_for_stdout("password: ")).group(1)
        browser = Browser(self.starling.ports["https"], "admin", password)
        status, metrics, _ = browser.request("GET", "/system/metrics")
        self.assertEqual(status, 200, metrics)
        offset = re.search(rf'starling_ntp_offset_microseconds{{server="{re.escape(self.server)}"}} '
                           r"(-?\d+)", metrics)
        self.assertIsNotNone(offset, metrics)
        self.assertAlmostEqual(int(offset.group(1)) / 1e6, 5.0, delta=0.2)
        checked = re.search(r"starling_ntp_last_check_timestamp_seconds\{[^}]*\} (\d+)", metrics)
        self.assertAlmostEqual(int(checked.group(1)), time.time(), delta=30)

    def wait_for_stdout(self, text, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.starling.server_output()[0]
            if text in out:
                return out
            time.sleep(0.05)
        raise AssertionError(f"no {text!r} on stdout")


if __name__ == "__main__":
    unittest.main()
