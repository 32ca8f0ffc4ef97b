"""SIP trunks against a real provider (Kamailio on loopback) and the public network behind
it (SIPp): registration, calls out and in, audio through the relay, permission classes and
emergency numbers, and an IP-authenticated trunk."""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import unittest

import tone
from baresip_phone import BaresipPhone
from provider import ACCOUNT, CALL_SCENARIOS, PASSWORD, SCENARIOS, Certificates, Dnsmasq, Provider
from starling_harness import Starling, free_port

DEVICE_PASSWORD = "phone-secret-123"
REGISTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "registrar",
                        "scenarios", "register.xml")
NUMBERING_PLAN = """[pbx]
country_code = "49"
area_code = "30"
emergency_trunks = ["provider"]
"""


class TrunkTestCase(unittest.TestCase):
    """Starling with alice (1001, international calls) and bob (1002, national calls), and a
    provider whose trunk delivers +4930123401 to alice and +4930123402 to bob."""

    TRUNK_PASSWORD = PASSWORD
    SIP_CONFIG = ""
    NETWORK_CONFIG = ""
    EXTRA_CONFIG = ""
    PROVIDER_TLS = None  # Certificates for the provider's TLS port

    def setUp(self):
        self.starling = Starling(extra_config=NUMBERING_PLAN + self.EXTRA_CONFIG,
                                 sip_config=self.SIP_CONFIG, network_config=self.NETWORK_CONFIG)
        self.provider = Provider(self.starling.directory, tls=self.PROVIDER_TLS)
        self.phones = []
        for name, extension, call_class in (("alice", "1001", "international"),
                                            ("bob", "1002", "national")):
            self.run_ok("user", "add", name, "--ext", extension)
            self.run_ok("device", "add", name, "--password-stdin", stdin=DEVICE_PASSWORD + "\n")
            self.run_ok("call-class", name, call_class)

    def tearDown(self):
        for phone in self.phones:
            phone.stop()
        self.provider.close()
        self.starling.close()

    def run_ok(self, *args, stdin=None):
        result = self.starling.run(*args, stdin=stdin)
        self.assertEqual(result.returncode, 0, f"{args}: {result.stdout}{result.stderr}")
        return result

    def add_trunk(self, *extra, password=None):
        self.run_ok("trunk", "add", "provider", "--domain", self.provider.domain, "--username",
                    ACCOUNT, "--password-stdin", "--number", "+4930123401=1001",
                    "--number", "+4930123402=1002", *extra,
                    stdin=(password or self.TRUNK_PASSWORD) + "\n")
        self.run_ok("route", "add", "international", "--pattern", "00Z.", "--trunk", "provider",
                    "--position", "10")
        self.run_ok("route", "add", "national", "--pattern", "0Z.", "--trunk", "provider",
                    "--position", "20")

    def start(self):
        self.starling.start()
        # Not only listening: a REGISTER during the rest of the start-up waits long enough
        # on a busy machine for SIPp to retransmit it, and the second 401 upsets its script.
        self.starling.wait_for_log("ready; SIGINT")

    def trunk_state(self):
        listing = self.run_ok("trunks").stdout.splitlines()
        row = next(line for line in listing[1:] if line.startswith("provider"))
        return row

    def wait_registered(self, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " registered " in self.trunk_state():
                return
            time.sleep(0.2)
        self.fail(f"trunk not registered: {self.trunk_state()}\n{self.logs()}")

    def logs(self):
        return (f"--- starling\n{self.starling.server_output()[1][-4000:]}\n"
                f"--- provider\n{self.provider.log()[-3000:]}")

    def device_call(self, caller, number, scenario="uac_call.xml", directory=CALL_SCENARIOS,
                    extra=()):
        """A SIPp phone registered as `caller` dials `number` through Starling; `extra` are
        more SIPp options."""
        injection = os.path.join(self.starling.directory, "calls.csv")
        with open(injection, "w", encoding="utf-8") as out:
            out.write(f"SEQUENTIAL\n{caller};{number};"
                      f"[authentication username={caller} password={DEVICE_PASSWORD}]\n")
        port = self.starling.ports["sip"]
        return subprocess.run(
            self.provider.sipp(os.path.join(directory, scenario), free_port(socket.SOCK_DGRAM),
                               [f"127.0.0.1:{port}", "-auth_uri", f"{number}@127.0.0.1:{port}",
                                "-inf", injection, "-m", "1", *extra]),
            capture_output=True, text=True, cwd=self.starling.directory, timeout=60, check=False)

    def sipp_phone(self, device, scenario=os.path.join(CALL_SCENARIOS, "uas_answer.xml")):
        """A SIPp phone registered as `device` that answers one call as `scenario` says."""
        port = free_port(socket.SOCK_DGRAM)
        injection = os.path.join(self.starling.directory, "register.csv")
        with open(injection, "w", encoding="utf-8") as out:
            out.write(f"SEQUENTIAL\n{device};[authentication username={device} "
                      f"password={DEVICE_PASSWORD}];600\n")
        registered = subprocess.run(
            self.provider.sipp(REGISTER, port, [f"127.0.0.1:{self.starling.ports['sip']}",
                                                "-inf", injection, "-m", "1"]),
            capture_output=True, text=True, cwd=self.starling.directory, timeout=30, check=False)
        self.assertEqual(registered.returncode, 0, registered.stdout[-2000:])
        return subprocess.Popen(
            self.provider.sipp(scenario, port, ["-m", "1"]),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=self.starling.directory)

    def wait_done(self, sipp):
        """Waits for a SIPp the test started; its output and the logs if it fails. Returns
        its output (the final screens, with each message's count)."""
        try:
            sipp.wait(timeout=20)
        except subprocess.TimeoutExpired:
            sipp.kill()
            sipp.wait()
        output = sipp.stdout.read()
        sipp.stdout.close()
        self.assertEqual(sipp.returncode, 0, f"{output[-3000:]}\n{self.logs()}")
        return output

    def call_legs(self):
        return json.loads(self.run_ok("calls", "--json").stdout)


class RegistrationTrunk(TrunkTestCase):
    def test_trunk_registers_with_the_providers_challenge_and_shows_it(self):
        self.add_trunk()
        self.start()
        self.wait_registered()
        self.assertIn("expires in", self.trunk_state())
        self.provider.wait_for_log(f"provider: registered sip:{ACCOUNT}@")

    def test_wrong_password_shows_failing_with_the_reason(self):
        self.add_trunk(password="not-the-password")
        self.start()
        deadline = time.monotonic() + 20
        while "failing" not in self.trunk_state() and time.monotonic() < deadline:
            time.sleep(0.2)
        state = self.trunk_state()
        self.assertIn("failing", state, self.logs())
        self.assertIn("401", state)

    def test_call_to_a_national_number_goes_out_with_the_users_number(self):
        self.add_trunk()
        self.start()
        self.wait_registered()
        callee = self.provider.start_callee()
        result = self.device_call("alice", "0301234567")
        self.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{self.logs()}")
        self.wait_done(callee)
        # The provider authenticated the call and saw alice's own number as her identity.
        self.provider.wait_for_log("provider: call from starling (identity sip:+4930123401@")
        self.assertIn("to 0301234567", self.provider.log())
        legs = {leg["leg"]: leg for leg in self.call_legs()}
        self.assertEqual(legs["b1"]["device"], "provider")
        self.assertEqual(legs["a"]["hangup_cause"], "normal")

    def test_call_from_the_public_network_rings_the_extension_of_its_number(self):
        self.add_trunk()
        self.start()
        self.wait_registered()
        bob = self.sipp_phone("bob")
        result = self.provider.call_from_public_network("+4989555000", "+4930123402")
        self.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{self.logs()}")
        self.wait_done(bob)
        legs = {leg["leg"]: leg for leg in self.call_legs()}
        self.assertEqual(legs["a"]["caller"], "+4989555000")
        self.assertEqual(legs["b1"]["device"], "bob")

    def test_call_from_a_gateway_the_trunk_allows_besides_its_registrar_rings(self):
        # Some providers send calls from media gateways, not from where the trunk registers.
        self.add_trunk("--allow", f"127.0.0.1:{self.provider.pstn_caller_port}")
        self.start()
        self.wait_registered()
        bob = self.sipp_phone("bob")
        result = self.provider.call_from_public_network(
            "+4989555000", "+4930123402", to=f"127.0.0.1:{self.starling.ports['sip']}")
        self.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{self.logs()}")
        self.wait_done(bob)
        self.assertIn("pbx: trunk provider: call from +4989555000 to +4930123402 rings bob",
                      self.starling.server_output()[1])

    def test_call_to_a_number_the_trunk_does_not_know_is_refused(self):
        self.add_trunk()
        self.start()
        self.wait_registered()
        result = self.provider.call_from_public_network("+4989555000", "+4930999999")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("pbx: trunk provider: call from +4989555000 to +4930999999: no such number",
                      self.starling.server_output()[1])

    def test_user_without_international_class_is_refused_but_emergency_goes_out(self):
        self.add_trunk()
        self.start()
        self.wait_registered()
        refused = self.device_call("bob", "00441234567890", "refused_call.xml", SCENARIOS)
        self.assertEqual(refused.returncode, 0, f"{refused.stdout[-2000:]}\n{self.logs()}")
        callee = self.provider.start_callee()
        emergency = self.device_call("bob", "112")
        self.assertEqual(emergency.returncode, 0, f"{emergency.stdout[-2000:]}\n{self.logs()}")
        self.wait_done(callee)
        self.assertIn("to 112", self.provider.log())

    def test_baresip_call_through_the_trunk_carries_audio_both_ways(self):
        self.add_trunk()
        self.start()
        self.wait_registered()
        self.provider.start_callee(echo=True)
        port = self.starling.ports["sip"]
        alice = BaresipPhone("alice")
        self.phones.append(alice)
        alice.start(os.path.join(self.starling.directory, "phone-alice"), tone_hz=1000,
                    account_line=f"<sip:alice@127.0.0.1:{port};transport=udp>;"
                                 f"auth_pass={DEVICE_PASSWORD};regint=600")
        alice.wait_registered()
        alice.dial(f"sip:0301234567@127.0.0.1:{port}")
        alice.wait_for_event("CALL_ESTABLISHED", timeout=20)
        time.sleep(3)
        alice.hangup()
        alice.wait_for_event("CALL_CLOSED")
        # The public network echoes what it hears: alice's tone came out through the relay
        # and the provider, and went back in the same way.
        self.assertTrue(tone.has_tone(alice.received_wav(), 1000),
                        f"alice heard {tone.describe(alice.received_wav())}\n"
                        f"{alice.failure_report()}\n{self.logs()}")


class DnsTrunk(TrunkTestCase):
    """The provider's domain in a local dnsmasq: NAPTR to SRV, whose first target (priority
    10) is a port where nothing answers and whose second (priority 20) is Kamailio."""

    # Timer B and F are 64*T1: 6.4 s instead of 32 s before a silent server is given up.
    SIP_CONFIG = "t1_ms = 100"

    def setUp(self):
        self.dns_port = free_port(socket.SOCK_DGRAM)
        self.NETWORK_CONFIG = f'dns_server = "127.0.0.1:{self.dns_port}"'
        super().setUp()
        dead_port = free_port(socket.SOCK_DGRAM)
        self.dnsmasq = Dnsmasq(self.dns_port, [
            "--naptr-record=provider.test,10,50,s,SIP+D2U,,_sip._udp.provider.test",
            f"--srv-host=_sip._udp.provider.test,sip1.provider.test,{dead_port},10,50",
            f"--srv-host=_sip._udp.provider.test,sip2.provider.test,{self.provider.port},20,50",
            "--host-record=sip1.provider.test,127.0.0.1",
            "--host-record=sip2.provider.test,127.0.0.1"])

    def tearDown(self):
        self.dnsmasq.close()
        super().tearDown()

    def test_trunk_registers_and_calls_at_the_second_srv_target_when_the_first_is_silent(self):
        self.provider.domain = "provider.test"
        self.add_trunk()
        self.start()
        self.wait_registered(timeout=30)
        callee = self.provider.start_callee()
        result = self.device_call("alice", "0301234567")
        self.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{self.logs()}")
        self.wait_done(callee)
        log = self.starling.server_output()[1]
        self.assertIn("server 127.0.0.1:", log)
        self.assertIn("failed (408), trying the next", log)


class TcpTrunk(TrunkTestCase):
    def test_trunk_registers_and_calls_go_out_and_come_in_over_tcp(self):
        self.add_trunk("--transport", "tcp")
        self.start()
        self.wait_registered()
        self.assertRegex(self.provider.log(), r"provider: registered \S+ at \S+;transport=tcp")
        calls_out_and_in(self)


class TlsProviderTestCase(TrunkTestCase):
    """The provider at provider.test (a local dnsmasq) with a certificate of its own CA for
    CERTIFICATE_NAME; Starling trusts the CA through tls.ca_file."""

    CERTIFICATE_NAME = None

    def setUp(self):
        self.certificates_directory = tempfile.mkdtemp(prefix="starling-provider-tls-")
        self.PROVIDER_TLS = Certificates(self.certificates_directory, self.CERTIFICATE_NAME)
        self.EXTRA_CONFIG = f'[tls]\nca_file = "{self.PROVIDER_TLS.ca}"\n'
        dns_port = free_port(socket.SOCK_DGRAM)
        self.NETWORK_CONFIG = f'dns_server = "127.0.0.1:{dns_port}"'
        super().setUp()
        self.dnsmasq = Dnsmasq(dns_port, ["--host-record=provider.test,127.0.0.1"])
        self.provider.domain = f"provider.test:{self.provider.tls_port}"

    def tearDown(self):
        self.dnsmasq.close()
        super().tearDown()
        shutil.rmtree(self.certificates_directory, ignore_errors=True)


class TlsTrunk(TlsProviderTestCase):
    CERTIFICATE_NAME = "provider.test"

    def test_trunk_registers_and_calls_go_out_and_come_in_over_tls(self):
        self.add_trunk("--transport", "tls")
        self.start()
        self.wait_registered()
        self.assertRegex(self.provider.log(), r"provider: registered \S+ at \S+;transport=tls")
        calls_out_and_in(self)


class TlsTrunkWithAnotherNamesCertificate(TlsProviderTestCase):
    CERTIFICATE_NAME = "other.test"

    def test_provider_whose_certificate_is_for_another_name_is_refused(self):
        self.add_trunk("--transport", "tls")
        self.start()
        self.starling.wait_for_log("hostname mismatch")
        self.assertIn("TLS handshake with provider.test failed", self.starling.server_output()[1])
        self.assertNotIn("provider: registered", self.provider.log())
        # The refused connection fails the REGISTER at once, not after Timer F (32 s).
        deadline = time.monotonic() + 10
        while "failing" not in self.trunk_state() and time.monotonic() < deadline:
            time.sleep(0.2)
        self.assertRegex(self.trunk_state(), r"failing\s+transport error to 127\.0\.0\.1:",
                         self.logs())


def calls_out_and_in(test):
    """A call from alice to the public network, then one from it to bob, both through the
    trunk; the call records show both."""
    callee = test.provider.start_callee()
    result = test.device_call("alice", "0301234567")
    test.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{test.logs()}")
    test.wait_done(callee)
    bob = test.sipp_phone("bob")
    result = test.provider.call_from_public_network("+4989555000", "+4930123402")
    test.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{test.logs()}")
    test.wait_done(bob)
    devices = {(leg["leg"], leg["device"]) for leg in test.call_legs()}
    test.assertIn(("b1", "provider"), devices)
    test.assertIn(("b1", "bob"), devices)


class IpTrunk(TrunkTestCase):
    def test_calls_from_the_listed_address_ring_and_others_must_authenticate(self):
        allowed = f"127.0.0.1:{self.provider.pstn_caller_port}"
        self.run_ok("trunk", "add", "carrier", "--kind", "ip", "--domain", self.provider.domain,
                    "--allow", allowed, "--number", "+4930123402=1002")
        self.start()
        bob = self.sipp_phone("bob")
        starling = f"127.0.0.1:{self.starling.ports['sip']}"
        result = self.provider.call_from_public_network("+4989555000", "+4930123402", to=starling)
        self.assertEqual(result.returncode, 0, f"{result.stdout[-2000:]}\n{self.logs()}")
        self.wait_done(bob)
        # The same call from another port is a stranger's: challenged like any device.
        self.provider.pstn_caller_port = free_port(socket.SOCK_DGRAM)
        stranger = self.provider.call_from_public_network("+4989555000", "+4930123402",
                                                          to=starling)
        self.assertNotEqual(stranger.returncode, 0)
        errors = next(os.path.join(self.starling.directory, name)
                      for name in os.listdir(self.starling.directory) if name.endswith("errors.log"))
        with open(errors, encoding="utf-8", errors="replace") as log:
            self.assertIn("407", stranger.stdout + log.read())


if __name__ == "__main__":
    unittest.main()
