"""`starling doctor` against real peers on loopback: chrony (NTP), dnsmasq (DNS), coturn
(STUN), SIPp (a trunk provider) and Starling's own TLS ports; and each check made to fail,
saying why."""

import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "nat"))

from starling_harness import Starling, free_port  # noqa: E402
from test_stun import CoturnStunServer  # noqa: E402

NTP_TO_UNIX = 2_208_988_800
SCENARIOS = os.path.join(os.path.dirname(__file__), "scenarios")


class Chrony:
    """chronyd serving its (= this host's) clock on 127.0.0.1:<port>, never setting it."""

    def __init__(self, directory):
        self.port = free_port(socket.SOCK_DGRAM)
        self.directory = directory
        config = os.path.join(directory, "chrony.conf")
        with open(config, "w", encoding="utf-8") as out:
            out.write(f"port {self.port}\nbindaddress 127.0.0.1\nallow 127.0.0.1\n"
                      "local stratum 8\ncmdport 0\nbindcmdaddress /\n"
                      f"pidfile {directory}/chronyd.pid\ndriftfile {directory}/chrony.drift\n")
        self.log = open(os.path.join(directory, "chronyd.log"), "w+", encoding="utf-8")
        # -x: never touch the system clock; -d: stay in the foreground.
        self.process = subprocess.Popen(["chronyd", "-f", config, "-d", "-x", "-u", "root"],
                                        stdout=self.log, stderr=subprocess.STDOUT)
        wait_for_udp_answer(self.port, ntp_request(), self.process)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


class Dnsmasq:
    """dnsmasq answering for pbx.test only (NXDOMAIN for unknown names there), on a loopback
    port, with no upstream servers, hosts file or system configuration."""

    def __init__(self, directory, records, srv=()):
        self.port = free_port(socket.SOCK_DGRAM)
        self.log = open(os.path.join(directory, "dnsmasq.log"), "w+", encoding="utf-8")
        self.process = subprocess.Popen(
            ["dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", f"--port={self.port}",
             "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts",
             "--local=/pbx.test/", "--user=root", f"--pid-file={directory}/dnsmasq.pid",
             *[f"--host-record={name},{address}" for name, address in records],
             "--srv-host=_sip._udp.pbx.test,pbx.pbx.test,5060",
             *[f"--srv-host={name},{target},{port}" for name, target, port in srv]],
            stdout=self.log, stderr=subprocess.STDOUT)
        query = b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03pbx\x04test\x00\x00\x01\x00\x01"
        wait_for_udp_answer(self.port, query, self.process)

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


class SipOptionsPeer:
    """SIPp on a loopback UDP port answering every OPTIONS with 200 OK: a trunk provider."""

    def __init__(self, directory):
        self.port = free_port(socket.SOCK_DGRAM)
        self.log = open(os.path.join(directory, "sipp.log"), "w+", encoding="utf-8")
        self.process = subprocess.Popen(
            ["sipp", "-sf", os.path.join(SCENARIOS, "options_200.xml"), "-i", "127.0.0.1",
             "-p", str(self.port), "-t", "u1", "-nostdin", "-trace_err"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=directory)
        wait_for_udp_answer(self.port, options_request(self.port), self.process)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


def options_request(port):
    call_id = f"ready-{time.monotonic_ns()}"
    return (f"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK{call_id}\r\n"
            "Max-Forwards: 70\r\nFrom: <sip:test@127.0.0.1>;tag=1\r\n"
            f"To: <sip:127.0.0.1:{port}>\r\nCall-ID: {call_id}\r\nCSeq: 1 OPTIONS\r\n"
            "Content-Length: 0\r\n\r\n").encode()


class SkewedNtpServer:
    """An SNTP server whose clock is `skew` seconds ahead of this host's."""

    def __init__(self, skew):
        self.skew = skew
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                request, peer = self.socket.recvfrom(512)
            except OSError:
                return
            now = ntp_timestamp(time.time() + self.skew)
            answer = bytes([0x24, 2, 6, 0xEC]) + bytes(8) + b"GPS\0" + now + request[40:48] + now + now
            self.socket.sendto(answer, peer)

    def stop(self):
        self.socket.close()


def ntp_timestamp(unix_seconds):
    seconds = int(unix_seconds) + NTP_TO_UNIX
    fraction = int((unix_seconds % 1) * 2**32)
    return struct.pack("!II", seconds & 0xFFFFFFFF, fraction)


def ntp_request():
    return bytes([0x23]) + bytes(39) + ntp_timestamp(time.time())


def wait_for_udp_answer(port, request, process, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[0]} exited with {process.returncode}")
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.settimeout(0.3)
            client.sendto(request, ("127.0.0.1", port))
            try:
                client.recv(512)
                return
            except OSError:
                time.sleep(0.1)
    raise AssertionError(f"nothing answers on 127.0.0.1:{port}")


def set_network(starling, **keys):
    """Adds keys to the [network] table of the harness's starling.toml."""
    lines = "".join(f"{key} = {json.dumps(value)}\n" for key, value in keys.items())
    with open(starling.config_path, encoding="utf-8") as config:
        text = config.read()
    with open(starling.config_path, "w", encoding="utf-8") as config:
        config.write(text.replace("[network]\n", "[network]\n" + lines, 1))


def lines_of(output, status):
    return [line for line in output.splitlines() if line.startswith(status)]


class DoctorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.mkdtemp(prefix="starling-doctor-")
        cls.chrony = Chrony(cls.directory)
        cls.sip_peer = SipOptionsPeer(cls.directory)
        # Nothing listens there: the SRV record of a provider whose server is down.
        cls.silent_sip_port = free_port(socket.SOCK_DGRAM)
        cls.dns = Dnsmasq(cls.directory, [("ntp.pbx.test", "127.0.0.1"),
                                          ("stun.pbx.test", "127.0.0.1"),
                                          ("sip1.pbx.test", "127.0.0.1")],
                          srv=[("_sip._udp.up.pbx.test", "sip1.pbx.test", cls.sip_peer.port),
                               ("_sip._udp.down.pbx.test", "sip1.pbx.test",
                                cls.silent_sip_port)])
        cls.stun = CoturnStunServer(cls.directory)
        cls.stun.wait_until_answering()

    @classmethod
    def tearDownClass(cls):
        cls.chrony.stop()
        cls.sip_peer.stop()
        cls.dns.stop()
        cls.stun.close()

    def setUp(self):
        self.starling = Starling()
        self.addCleanup(self.starling.close)

    def configure(self, ntp=None, stun=None, public_address="127.0.0.1"):
        set_network(self.starling,
                    ntp_servers=ntp if ntp is not None else [f"ntp.pbx.test:{self.chrony.port}"],
                    stun_server=stun or f"stun.pbx.test:{self.stun.port}",
                    dns_server=self.dns.address, public_address=public_address)

    def doctor(self, *args):
        return self.starling.run("doctor", *args, timeout=120)

    def add_trunk(self, name, *args):
        result = self.starling.run("trunk", "add", name, *args, stdin="secret\n")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)

    def serve(self):
        self.starling.start()
        self.starling.wait_for_log("ready")
        self.addCleanup(self.starling.stop)

    def test_everything_passes_against_local_peers_and_a_running_starling(self):
        self.configure()
        self.serve()
        result = self.doctor()
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        output = result.stdout
        self.assertEqual(lines_of(output, "FAIL"), [], output)
        self.assertEqual(lines_of(output, "WARN"), [], output)
        self.assertIn("PASS  dns ntp.pbx.test: 127.0.0.1 via DNS server", output)
        self.assertRegex(output, rf"PASS  ntp ntp\.pbx\.test:{self.chrony.port}: clock offset "
                                 r"[+-]\d+\.\d ms")
        ports = self.starling.ports
        self.assertRegex(output, rf"PASS  tls sip 127\.0\.0\.1:{ports['sip_tls']}: TLSv1\.[23], "
                                 r"TLS 1\.0/1\.1 refused; certificate .* issued by .*, valid \d+ more days")
        self.assertIn(f"PASS  tls http 127.0.0.1:{ports['https']}: TLSv1.", output)
        self.assertIn("PASS  public address via", output)
        self.assertIn("127.0.0.1, as network.public_address says", output)
        self.assertRegex(output, r"PASS  ports: no conflicts; starling \(pid \d+\) holds its ports")
        self.assertIn("PASS  rtp range: 400 ports", output)
        self.assertNotIn("\r", output)  # no progress display into a pipe

    def test_json_output_has_every_check(self):
        self.configure()
        result = self.doctor("--json")
        report = json.loads(result.stdout)
        self.assertEqual(result.returncode, 1)  # starling is not running: TLS fails
        self.assertFalse(report["ok"])
        checks = {check["check"]: check for check in report["checks"]}
        self.assertEqual(checks[f"ntp ntp.pbx.test:{self.chrony.port}"]["status"], "pass")
        tls = [check for name, check in checks.items() if name.startswith("tls sip")]
        self.assertEqual(tls[0]["status"], "fail")
        self.assertIn("hint", tls[0])

    def test_unconfigured_things_are_reported_not_guessed(self):
        result = self.doctor()
        self.assertIn("WARN  ntp: no NTP servers configured", result.stdout)
        self.assertIn("WARN  public address: no STUN server configured", result.stdout)
        self.assertIn("PASS  dns: no host names configured", result.stdout)
        self.assertIn("PASS  trunks: no SIP trunks configured (starling trunk add)", result.stdout)

    def test_trunk_whose_srv_server_answers_options_passes(self):
        self.configure()
        self.add_trunk("carrier", "--domain", "up.pbx.test", "--username", "pbx",
                       "--password-stdin")
        result = self.doctor()
        self.assertRegex(result.stdout, rf"PASS  trunk carrier: 127\.0\.0\.1:{self.sip_peer.port} "
                                        r"\(UDP\) answered OPTIONS with 200 OK in \d+\.\d ms")

    def test_trunk_whose_server_does_not_answer_fails_with_a_hint(self):
        self.configure()
        self.add_trunk("carrier", "--domain", "down.pbx.test", "--username", "pbx",
                       "--password-stdin")
        result = self.doctor()
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, rf"FAIL  trunk carrier: no answer from "
                                        rf"127\.0\.0\.1:{self.silent_sip_port}")
        self.assertRegex(result.stdout, r"FAIL  trunk carrier: .*\n      hint: check that the "
                                        r"provider's server is up")

    def trust_starlings_own_certificate(self):
        """Makes the running Starling's self-signed certificate the CA that trunks trust, so
        that its TLS port can stand for a provider's."""
        certificate = os.path.join(self.starling.directory, "var", "tls", "cert.pem")
        with open(self.starling.config_path, "a", encoding="utf-8") as config:
            config.write(f'[tls]\nca_file = "{certificate}"\n')

    def test_tls_trunk_whose_certificate_is_for_its_host_passes(self):
        self.configure()
        self.serve()
        self.trust_starlings_own_certificate()
        port = self.starling.ports["sip_tls"]
        self.add_trunk("secure", "--domain", f"127.0.0.1:{port}", "--transport", "tls",
                       "--username", "pbx", "--password-stdin")
        result = self.doctor()
        self.assertRegex(result.stdout, rf"PASS  trunk secure: 127\.0\.0\.1:{port} \(TLS\) "
                                        r"completed a TLSv1\.[23] handshake, certificate valid "
                                        r"for 127\.0\.0\.1")

    def test_tls_trunk_whose_certificate_is_for_another_host_fails_with_a_hint(self):
        self.configure()
        self.serve()
        self.trust_starlings_own_certificate()
        port = self.starling.ports["sip_tls"]
        self.add_trunk("secure", "--domain", f"sip1.pbx.test:{port}", "--transport", "tls",
                       "--username", "pbx", "--password-stdin")
        result = self.doctor()
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"FAIL  trunk secure: TLS handshake with 127.0.0.1:{port} (sip1.pbx.test) "
                      "failed: hostname mismatch", result.stdout)
        self.assertIn("hint: the provider's certificate must be for sip1.pbx.test", result.stdout)

    def test_trunk_with_an_unknown_domain_fails_saying_why(self):
        self.configure()
        self.add_trunk("ghost", "--kind", "ip", "--domain", "nosuch.pbx.test",
                       "--allow", "127.0.0.1")
        result = self.doctor()
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, r"FAIL  trunk ghost: no SRV or A/AAAA records for "
                                        r"nosuch\.pbx\.test")
        self.assertIn("hint: check the trunk's domain and network.dns_server; "
                      "`dig SRV _sip._udp.nosuch.pbx.test`", result.stdout)

    def test_disabled_trunk_is_skipped_with_a_note(self):
        self.configure()
        self.add_trunk("spare", "--domain", "down.pbx.test", "--username", "pbx",
                       "--password-stdin", "--disabled")
        result = self.doctor()
        self.assertIn("PASS  trunk spare: disabled, not checked", result.stdout)

    def test_stopped_ntp_server_fails_with_no_answer(self):
        silent = free_port(socket.SOCK_DGRAM)
        self.configure(ntp=[f"127.0.0.1:{silent}"])
        result = self.doctor()
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, rf"FAIL  ntp 127\.0\.0\.1:{silent}: .*no answer to 3 "
                                        r"requests within 3\.0 s")
        self.assertRegex(result.stdout, r"FAIL  ntp .*\n      hint: check that .* runs an NTP server")

    def test_clock_off_by_more_than_a_second_warns(self):
        skewed = SkewedNtpServer(skew=5.0)
        self.addCleanup(skewed.stop)
        self.configure(ntp=[f"127.0.0.1:{skewed.port}"])
        result = self.doctor()
        self.assertRegex(result.stdout, rf"WARN  ntp 127\.0\.0\.1:{skewed.port}: clock offset "
                                        r"\+(4[89]\d\d|50\d\d)\.\d ms.*more than 1 s off")

    def test_unknown_name_fails_the_dns_check(self):
        self.configure(ntp=[f"nosuch.pbx.test:{self.chrony.port}"])
        result = self.doctor()
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"FAIL  dns nosuch.pbx.test: Domain name not found via DNS server "
                      f"{self.dns.address}", result.stdout)

    def test_tls_port_without_starling_fails_asking_whether_it_runs(self):
        self.configure()
        result = self.doctor()
        port = self.starling.ports["sip_tls"]
        self.assertIn(f"FAIL  tls sip 127.0.0.1:{port}: Connection refused: is starling running?",
                      result.stdout)

    def test_port_taken_by_another_program_fails_naming_it(self):
        self.configure()
        taken = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(taken.close)
        port = self.starling.ports["sip"]
        taken.bind(("127.0.0.1", port))
        result = self.doctor()
        self.assertEqual(result.returncode, 1)
        self.assertRegex(result.stdout, rf"FAIL  port {port}/udp: python3 \(pid {os.getpid()}\) "
                                        r"\(SIP signalling .*\) is already bound to it")

    def test_public_address_differing_from_stun_fails(self):
        self.configure(public_address="192.0.2.7")
        result = self.doctor()
        self.assertIn("the STUN server sees 127.0.0.1, but network.public_address is 192.0.2.7",
                      result.stdout)

    def test_small_rtp_range_warns(self):
        self.configure()
        with open(self.starling.config_path, encoding="utf-8") as config:
            text = config.read()
        with open(self.starling.config_path, "w", encoding="utf-8") as config:
            config.write(text.replace("[media]\n", "[media]\nexpected_calls = 500\n", 1))
        result = self.doctor()
        self.assertIn("WARN  rtp range: 400 ports", result.stdout)
        self.assertIn("100 simultaneous calls, 500 expected", result.stdout)


if __name__ == "__main__":
    unittest.main()
