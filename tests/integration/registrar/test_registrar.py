"""The registrar against real peers: SIPp over UDP, TCP and TLS, and raw datagrams."""

import hashlib
import os
import re
import signal
import socket
import threading
import time
import unittest

from sip_client import SipClient
from starling_harness import Starling

SCENARIOS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios")
REGISTER = os.path.join(SCENARIOS, "register.xml")
REFUSED = os.path.join(SCENARIOS, "register_refused.xml")
UNREGISTER = os.path.join(SCENARIOS, "unregister_all.xml")
PASSWORD = "alice-secret-1"
# Both algorithms offered; SIPp (Debian's build) reads only the first and knows only MD5.
SIPP_COMPATIBLE = 'digest_algorithms = ["MD5", "SHA-256"]\n'


def credentials(user, password):
    """The SIPp injection field that carries the whole [authentication] keyword."""
    return f"[authentication username={user} password={password}]"


class RawPeer:
    """One UDP socket on 127.0.0.1 talking to Starling's SIP port; LOCALPORT in a text
    becomes this socket's port."""

    def __init__(self, port, timeout=2.0):
        self.port = port
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(timeout)
        self.sock.bind(("127.0.0.1", 0))
        self.local_port = self.sock.getsockname()[1]

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.sock.close()

    def send(self, text):
        self.sock.sendto(text.replace("LOCALPORT", str(self.local_port)).encode(), ("127.0.0.1", self.port))

    def receive(self):
        return self.sock.recv(65535).decode()

    def ask(self, text):
        self.send(text)
        return self.receive()

    def receive_all(self, quiet=1.0):
        """Every datagram until none has come for `quiet` seconds."""
        self.sock.settimeout(quiet)
        received = []
        try:
            while True:
                received.append(self.receive())
        except socket.timeout:
            return received


def raw_request(port, text, timeout=2.0):
    """Sends one UDP datagram to 127.0.0.1:port; returns the response text or None."""
    with RawPeer(port, timeout) as peer:
        try:
            return peer.ask(text)
        except socket.timeout:
            return None


def register_text(user, authorization="", branch="z9hG4bKraw1", call_id="raw-1"):
    return (f"REGISTER sip:127.0.0.1 SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:LOCALPORT;branch={branch};rport\r\n"
            f"Max-Forwards: 70\r\nFrom: <sip:{user}@127.0.0.1>;tag=raw\r\nTo: <sip:{user}@127.0.0.1>\r\n"
            f"Call-ID: {call_id}\r\nCSeq: 1 REGISTER\r\nContact: <sip:{user}@127.0.0.1:LOCALPORT>\r\n"
            f"{authorization}Content-Length: 0\r\n\r\n")


def digest_authorization(user, password, nonce, uri="sip:127.0.0.1", cnonce="0a4f113b", nc="00000001"):
    """An MD5 Authorization header (RFC 7616 §3.4.1) answering `nonce`."""
    ha1 = hashlib.md5(f"{user}:starling:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"REGISTER:{uri}".encode()).hexdigest()
    response = hashlib.md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}".encode()).hexdigest()
    return (f'Authorization: Digest username="{user}", realm="starling", nonce="{nonce}", uri="{uri}", '
            f'response="{response}", algorithm=MD5, qop=auth, nc={nc}, cnonce="{cnonce}"\r\n')


class Registrar(unittest.TestCase):
    def setUp(self):
        self.starling = Starling(sip_config="min_expires = 1\nban_failures = 50\n" + SIPP_COMPATIBLE)
        self.assertEqual(self.starling.run("user", "add", "alice").returncode, 0)
        added = self.starling.run("device", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
        self.assertEqual(added.returncode, 0, added.stderr)
        self.starling.start()
        self.starling.wait_for_log("listening on udp")

    def tearDown(self):
        self.starling.close()

    def assert_sipp_passed(self, result):
        self.assertEqual(result.returncode, 0, f"SIPp failed:\n{result.stdout[-3000:]}\n{result.stderr[-2000:]}")

    def test_sipp_registers_with_digest_authentication_over_udp_and_tcp(self):
        for transport, name in (("u1", "udp"), ("t1", "tcp")):
            with self.subTest(transport=name):
                self.assert_sipp_passed(
                    self.starling.sipp(REGISTER, [("alice", credentials("alice", PASSWORD), 300)], transport))
                rows = [row for row in self.starling.registrations() if row["transport"] == name]
                self.assertEqual(len(rows), 1, self.starling.registrations())
                self.assertEqual(rows[0]["aor"], "alice")
                self.assertGreater(rows[0]["expires"], 290)
                self.assertIn("SIPp", rows[0]["user_agent"])

    def test_registers_over_tls_with_sha256_and_md5(self):
        for algorithm in ("SHA-256", "MD5"):
            with self.subTest(algorithm=algorithm):
                client = SipClient("tls", self.starling.ports["sip_tls"], algorithm=algorithm)
                try:
                    answer = client.register("alice", PASSWORD, 300)
                finally:
                    client.close()
                self.assertTrue(answer.startswith("SIP/2.0 200 OK"), answer)
        rows = [row for row in self.starling.registrations() if row["transport"] == "tls"]
        self.assertEqual(len(rows), 2)

    def test_wrong_password_and_unknown_user_are_refused(self):
        for user, password in (("alice", "wrong-password"), ("mallory", PASSWORD)):
            for transport in ("u1", "t1"):
                with self.subTest(user=user, transport=transport):
                    self.assert_sipp_passed(
                        self.starling.sipp(REFUSED, [(user, credentials(user, password), 300)], transport))
            with self.subTest(user=user, transport="tls"):
                client = SipClient("tls", self.starling.ports["sip_tls"])
                try:
                    self.assertTrue(client.register(user, password).startswith("SIP/2.0 401"))
                finally:
                    client.close()
        self.assertEqual(self.starling.registrations(), [])

    def test_unknown_user_and_wrong_password_get_the_same_answer(self):
        port = self.starling.ports["sip"]
        challenge = raw_request(port, register_text("alice"))
        nonce = re.search(r'nonce="([^"]+)"', challenge).group(1)
        answers = []
        for user in ("alice", "nobody-here"):
            authorization = (f'Authorization: Digest username="{user}", realm="starling", nonce="{nonce}", '
                             f'uri="sip:127.0.0.1", response="00000000000000000000000000000000", '
                             f'algorithm=MD5, qop=auth, nc=00000001, cnonce="abc"\r\n')
            answer = raw_request(port, register_text(user, authorization, branch=f"z9hG4bK{user}", call_id=user))
            self.assertIsNotNone(answer)
            # Everything but the fresh nonce, the To tag and the echoed user must be equal.
            normalised = re.sub(r'nonce="[^"]+"', "nonce", answer)
            normalised = re.sub(r"tag=[0-9a-f]+", "tag", normalised)
            normalised = re.sub(r"127\.0\.0\.1:\d+", "ADDRESS", normalised)
            normalised = re.sub(r"rport=\d+", "rport", normalised)
            answers.append(normalised.replace(user, "USER").replace(f"z9hG4bK{user}", "BRANCH"))
        self.assertTrue(answers[0].startswith("SIP/2.0 401 Unauthorized"), answers[0])
        self.assertEqual(answers[0], answers[1])

    def test_a_retransmitted_register_gets_the_same_challenge_and_a_new_one_another(self):
        # RFC 3261 §8.2.7: the stateless 401 to a retransmission is the first one again, To
        # tag included; a client comparing them (SIPp does) would otherwise see a fork.
        with RawPeer(self.starling.ports["sip"]) as peer:
            first = peer.ask(register_text("alice", branch="z9hG4bKsame", call_id="same"))
            time.sleep(0.6)  # a phone retransmits after T1
            again = peer.ask(register_text("alice", branch="z9hG4bKsame", call_id="same"))
            other = peer.ask(register_text("alice", branch="z9hG4bKother", call_id="same"))
        self.assertTrue(first.startswith("SIP/2.0 401 Unauthorized"), first)
        self.assertEqual(again, first)
        nonce = re.compile(r'nonce="([^"]+)"')
        self.assertNotEqual(nonce.search(other).group(1), nonce.search(first).group(1))
        to_tag = re.compile(r"(?im)^To:.*;tag=(\S+)")
        self.assertNotEqual(to_tag.search(other).group(1), to_tag.search(first).group(1))

    def test_a_register_retransmitted_before_its_answer_is_not_challenged(self):
        # A phone whose 200 is late retransmits; the copy arrives while the binding is still
        # being written. Challenging it would end the phone's registration with a 401.
        with RawPeer(self.starling.ports["sip"]) as peer:
            challenge = peer.ask(register_text("alice", call_id="challenged"))
            nonce = re.search(r'nonce="([^"]+)"', challenge).group(1)
            authorized = register_text("alice", digest_authorization("alice", PASSWORD, nonce),
                                       branch="z9hG4bKretransmitted", call_id="retransmitted")
            peer.send(authorized)
            peer.send(authorized)
            answers = [answer.split("\r\n", 1)[0] for answer in peer.receive_all()]
        self.assertIn("SIP/2.0 200 OK", answers)
        self.assertEqual([answer for answer in answers if not answer.startswith("SIP/2.0 200")], [])
        self.assertEqual(len(self.starling.registrations()), 1)

    def test_a_register_whose_200_was_lost_gets_a_200_again_after_a_newer_register(self):
        # The phone's 200 was lost; before its retransmission arrives, another REGISTER of the
        # same AOR (another Call-ID) replaced the binding. The copy reuses a nonce count, but
        # it is a retransmission of an accepted request and gets a 200, not a 401.
        with RawPeer(self.starling.ports["sip"]) as peer:
            def register(call_id):
                challenge = peer.ask(register_text("alice", branch=f"z9hG4bK{call_id}1", call_id=call_id))
                nonce = re.search(r'nonce="([^"]+)"', challenge).group(1)
                authorized = register_text("alice", digest_authorization("alice", PASSWORD, nonce),
                                           branch=f"z9hG4bK{call_id}2", call_id=call_id)
                return authorized, peer.ask(authorized)

            lost, first = register("lost-answer")
            _, newer = register("newer")
            again = peer.ask(lost)
        for answer in (first, newer, again):
            self.assertTrue(answer.startswith("SIP/2.0 200 OK"), answer)
        to_tag = re.compile(r"(?im)^To:.*;tag=(\S+)")
        self.assertEqual(to_tag.search(again).group(1), to_tag.search(first).group(1))

    def test_a_register_built_again_with_the_next_nonce_count_is_answered_as_the_first(self):
        # When a 401 reaches SIPp twice, it sends its answer to it again, built afresh with the
        # next nonce count. It is still the same request (branch, Call-ID, CSeq): it gets the
        # first copy's 200, not the 500 that a CSeq no newer than its own binding's would get
        # if it were applied again.
        with RawPeer(self.starling.ports["sip"]) as peer:
            challenge = peer.ask(register_text("alice", branch="z9hG4bKnc1", call_id="nc"))
            nonce = re.search(r'nonce="([^"]+)"', challenge).group(1)
            answers = [peer.ask(register_text("alice", digest_authorization("alice", PASSWORD, nonce, nc=nc),
                                              branch="z9hG4bKnc2", call_id="nc"))
                       for nc in ("00000001", "00000002")]
        for answer in answers:
            self.assertTrue(answer.startswith("SIP/2.0 200 OK"), answer)
        to_tag = re.compile(r"(?im)^To:.*;tag=(\S+)")
        self.assertEqual(to_tag.search(answers[1]).group(1), to_tag.search(answers[0]).group(1))
        self.assertEqual(len(self.starling.registrations()), 1)

    def test_reregister_keeps_one_binding_and_unregister_removes_it(self):
        self.assert_sipp_passed(self.starling.sipp(REGISTER, [("alice", credentials("alice", PASSWORD), 300)] * 3))
        self.assertEqual(len(self.starling.registrations()), 1)
        self.assert_sipp_passed(self.starling.sipp(UNREGISTER, [("alice", credentials("alice", PASSWORD))]))
        self.assertEqual(self.starling.registrations(), [])

    def test_binding_expires_when_not_refreshed(self):
        # Long enough that a loaded sanitizer build still lists the binding before it lapses.
        self.assert_sipp_passed(self.starling.sipp(REGISTER, [("alice", credentials("alice", PASSWORD), 8)]))
        self.assertEqual(len(self.starling.registrations()), 1)
        deadline = time.monotonic() + 20
        while self.starling.registrations() and time.monotonic() < deadline:
            time.sleep(0.25)
        self.assertEqual(self.starling.registrations(), [])
        self.starling.wait_for_log("alice expired")

    def test_restart_and_kill_9_keep_acknowledged_bindings(self):
        self.assert_sipp_passed(self.starling.sipp(REGISTER, [("alice", credentials("alice", PASSWORD), 300)]))
        self.assertEqual(self.starling.stop(signal.SIGTERM)[0], 0)
        self.starling.start()
        self.starling.wait_for_log("restored 1 registrations")
        self.assert_sipp_passed(self.starling.sipp(REGISTER, [("alice", credentials("alice", PASSWORD), 300)], "t1"))
        self.starling.stop(signal.SIGKILL)
        self.starling.start()
        self.starling.wait_for_log("restored 2 registrations")

    def test_options_is_answered(self):
        answer = raw_request(self.starling.ports["sip"],
                             "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:LOCALPORT;branch=z9hG4bKopt\r\n"
                             "Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=p\r\nTo: <sip:127.0.0.1>\r\n"
                             "Call-ID: opt-1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
        self.assertTrue(answer.startswith("SIP/2.0 200 OK"), answer)
        self.assertIn("Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REGISTER", answer)

    def test_malformed_request_gets_400_with_a_reason_and_server_keeps_serving(self):
        answer = raw_request(self.starling.ports["sip"],
                             "REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:LOCALPORT;branch=z9hG4bKbad\r\n"
                             "From: <sip:a@b>;tag=x\r\nTo: <sip:a@b>\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n")
        self.assertIsNotNone(answer)
        self.assertTrue(answer.startswith("SIP/2.0 400 "), answer)
        self.assertIn("Call-ID", answer.splitlines()[0])
        self.assertIsNone(raw_request(self.starling.ports["sip"], "\x00\xff garbage", timeout=0.5))
        self.assert_sipp_passed(self.starling.sipp(REGISTER, [("alice", credentials("alice", PASSWORD), 300)]))


    def test_flood_of_malformed_and_oversized_datagrams_does_not_starve_a_good_client(self):
        port = self.starling.ports["sip"]
        stop = threading.Event()
        sent = [0]

        def flood():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                junk = [b"INVITE garbage\r\n\r\n", b"\xff" * 1400, b"REGISTER sip:x SIP/2.0\r\n" + b"X: y\r\n" * 3000]
                deadline = time.monotonic() + 20  # bounded: at most 20 s or until told to stop
                while not stop.is_set() and time.monotonic() < deadline:
                    for payload in junk:
                        try:
                            sock.sendto(payload, ("127.0.0.1", port))
                            sent[0] += 1
                        except OSError:
                            pass

        flooder = threading.Thread(target=flood)
        flooder.start()
        try:
            time.sleep(0.5)
            client = SipClient("udp", port, algorithm="MD5")
            try:
                answer = client.register("alice", PASSWORD, 300)
            finally:
                client.close()
        finally:
            stop.set()
            flooder.join()
        self.assertGreater(sent[0], 1000)
        self.assertTrue(answer.startswith("SIP/2.0 200 OK"), answer)


class Ipv6(unittest.TestCase):
    def setUp(self):
        self.starling = Starling(sip_config='address = "::"\n')
        self.starling.run("user", "add", "alice")
        self.starling.run("device", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
        self.starling.start()
        self.starling.wait_for_log("listening on udp")

    def tearDown(self):
        self.starling.close()

    def test_registers_over_ipv6_and_ipv4_on_a_dual_stack_address(self):
        if not socket.has_ipv6:
            self.skipTest("no IPv6 on this machine")
        for host in ("::1", "127.0.0.1"):
            for transport in ("udp", "tcp", "tls"):
                with self.subTest(host=host, transport=transport):
                    port = self.starling.ports["sip_tls" if transport == "tls" else "sip"]
                    client = SipClient(transport, port, host=host, algorithm="MD5")
                    try:
                        answer = client.register("alice", PASSWORD)
                        self.assertTrue(answer.startswith("SIP/2.0 200 OK"), answer)
                    finally:
                        client.close()
        sources = {row["source"].rsplit(":", 1)[0] for row in self.starling.registrations()}
        self.assertEqual(sources, {"[::1]", "127.0.0.1"})


class BruteForceBan(unittest.TestCase):
    def setUp(self):
        self.starling = Starling(sip_config="ban_failures = 3\nban_window = 60\nban_time = 600\n" + SIPP_COMPATIBLE)
        self.starling.run("user", "add", "alice")
        self.starling.run("device", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
        self.starling.start()
        self.starling.wait_for_log("listening on udp")

    def tearDown(self):
        self.starling.close()

    def test_source_that_keeps_failing_is_ignored_and_logged_once(self):
        self.assertEqual(self.starling.sipp(REFUSED, [("alice", credentials("alice", "wrong-password"), 300)] * 3).returncode, 0)
        answer = raw_request(self.starling.ports["sip"], register_text("alice"), timeout=1.0)
        self.assertIsNone(answer, "a banned source must get no answer")
        self.starling.wait_for_log("banning 127.0.0.1")
        self.assertEqual(self.starling.server_output()[1].count("banning 127.0.0.1"), 1)


if __name__ == "__main__":
    unittest.main()
