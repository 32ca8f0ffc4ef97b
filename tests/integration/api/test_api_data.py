"""The REST API's live and recorded data against a running starling: registrations, calls
(and hanging one up), call records with their CSV export, personal contacts with vCards, and
the system resources; each user sees only their own."""

import base64
import csv
import http.client
import io
import json
import os
import socket
import ssl
import subprocess
import time
import unittest

from starling_harness import Starling, free_port

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")
CALL_SCENARIOS = os.path.join(HERE, "..", "calls", "scenarios")
REGISTER = os.path.join(HERE, "..", "registrar", "scenarios", "register.xml")
SIP_PASSWORD = "sipp-secret-123"
WEB_PASSWORDS = {"boss": "boss-password-1", "alice": "alice-password-1",
                 "bob": "bob-password-1", "carol": "carol-password-1"}


def api_request(port, method, path, body=None, headers=None):
    """(status, body text, lower-case headers) of one HTTPS request to /api/v1 + path."""
    connection = http.client.HTTPSConnection(
        "127.0.0.1", port, timeout=10, context=ssl._create_unverified_context())
    sent = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body)
        sent["Content-Type"] = "application/json"
    connection.request(method, "/api/v1" + path, body=data, headers=sent)
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    received = {name.lower(): value for name, value in response.getheaders()}
    connection.close()
    return response.status, text, received


class Session:
    """One logged-in browser: the session cookie, and the CSRF token it sends on changes."""

    def __init__(self, port, name):
        self.port = port
        status, body, headers = api_request(port, "POST", "/session",
                                            {"name": name, "password": WEB_PASSWORDS[name]})
        assert status == 200, (status, body)
        self.cookie = headers["set-cookie"].split(";", 1)[0]
        self.csrf = json.loads(body)["csrf_token"]

    def request(self, method, path, body=None, headers=None):
        sent = {"Cookie": self.cookie, **(headers or {})}
        if method != "GET":
            sent["X-CSRF-Token"] = self.csrf
        return api_request(self.port, method, path, body, sent)

    def get_json(self, path):
        status, body, _ = self.request("GET", path)
        assert status == 200, (path, status, body)
        return json.loads(body)


class EventStream:
    """/api/v1/events as a browser opens it: a WebSocket (RFC 6455) over TLS with the
    session cookie; reads the server's text messages."""

    def __init__(self, port, session):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.socket = ssl._create_unverified_context().wrap_socket(raw)
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                             f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                             f"Cookie: {session.cookie}\r\n\r\n").encode())
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.socket.recv(4096)
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head

    def _read(self, count):
        while len(self.buffer) < count:
            chunk = self.socket.recv(4096)
            if not chunk:
                raise EOFError("the event stream closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:count], self.buffer[count:]
        return data

    def message(self):
        """The next text message as JSON (server frames are unmasked and, here, unfragmented)."""
        while True:
            first, second = self._read(2)
            length = second & 0x7F
            if length == 126:
                length = int.from_bytes(self._read(2), "big")
            elif length == 127:
                length = int.from_bytes(self._read(8), "big")
            payload = self._read(length)
            if first & 0x0F == 0x1:
                return json.loads(payload)

    def messages_until(self, done):
        """Messages up to and including the first for which done(message) is true."""
        received = []
        while not received or not done(received[-1]):
            received.append(self.message())
        return received

    def close(self):
        self.socket.close()


class ApiData(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()
        self.processes = []
        self.streams = []
        for name, extra in (("boss", ["--role", "admin"]), ("alice", ["--ext", "1001"]),
                            ("bob", ["--ext", "1002"])):
            added = self.starling.run("user", "add", name, *extra, "--password-stdin",
                                      stdin=WEB_PASSWORDS[name] + "\n")
            self.assertEqual(added.returncode, 0, added.stderr)
        for name in ("alice", "bob"):
            added = self.starling.run("device", "add", name, "--password-stdin",
                                      stdin=SIP_PASSWORD + "\n")
            self.assertEqual(added.returncode, 0, added.stderr)
        self.starling.start()
        self.starling.wait_for_log("listening on udp")
        self.wait_for_api()

    def tearDown(self):
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait()
            process.stdout.close()
        for stream in self.streams:
            stream.close()
        self.starling.close()

    def wait_for_api(self):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                status, _, _ = api_request(self.starling.ports["https"], "GET", "/system/health")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.fail(f"the API did not answer: {self.starling.server_output()[1][-2000:]}")

    def session(self, name):
        return Session(self.starling.ports["https"], name)

    def sipp(self, scenario, port, extra):
        return ["sipp", "-sf", scenario, "-i", "127.0.0.1", "-p", str(port), "-t", "u1",
                "-nostdin", "-timeout", "60s", "-timeout_error", "-trace_err", *extra]

    def injection(self, name, rows):
        path = os.path.join(self.starling.directory, name)
        with open(path, "w", encoding="utf-8") as out:
            out.write("SEQUENTIAL\n" + "".join(";".join(row) + "\n" for row in rows))
        return path

    def register_bob_and_answer(self):
        """bob as a SIPp UAS: registers from the port it then answers one call on."""
        port = free_port()
        rows = [("bob", f"[authentication username=bob password={SIP_PASSWORD}]", "600")]
        registered = subprocess.run(
            self.sipp(REGISTER, port, [f"127.0.0.1:{self.starling.ports['sip']}",
                                       "-inf", self.injection("register.csv", rows), "-m", "1"]),
            capture_output=True, text=True, cwd=self.starling.directory, timeout=30, check=False)
        self.assertEqual(registered.returncode, 0, registered.stdout[-2000:])
        callee = subprocess.Popen(
            self.sipp(os.path.join(CALL_SCENARIOS, "uas_answer.xml"), port, ["-m", "1"]),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=self.starling.directory)
        self.processes.append(callee)
        return callee

    def call_bob_until_hung_up(self):
        rows = [("alice", "1002", f"[authentication username=alice password={SIP_PASSWORD}]")]
        caller = subprocess.Popen(
            self.sipp(os.path.join(SCENARIOS, "uac_until_bye.xml"), free_port(),
                      [f"127.0.0.1:{self.starling.ports['sip']}",
                       "-auth_uri", f"1002@127.0.0.1:{self.starling.ports['sip']}",
                       "-inf", self.injection("call.csv", rows), "-m", "1"]),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            cwd=self.starling.directory)
        self.processes.append(caller)
        return caller

    def wait_for(self, what, check, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = check()
            if found:
                return found
            time.sleep(0.1)
        self.fail(f"no {what} within {timeout}s: {self.starling.server_output()[1][-2000:]}")

    def test_a_call_is_seen_hung_up_and_recorded(self):
        boss, alice, bob = self.session("boss"), self.session("alice"), self.session("bob")
        callee = self.register_bob_and_answer()

        registrations = boss.get_json("/registrations")["items"]
        self.assertEqual([(r["aor"], r["user"], r["transport"]) for r in registrations],
                         [("bob", "bob", "udp")])
        self.assertEqual(bob.get_json("/registrations")["total"], 1)
        self.assertEqual(alice.get_json("/registrations")["total"], 0, "not alice's device")

        caller = self.call_bob_until_hung_up()
        calls = self.wait_for("connected call", lambda: [
            c for c in boss.get_json("/calls")["items"] if c["state"] == "connected"])
        self.assertEqual(len(calls), 1)
        call = calls[0]
        self.assertEqual((call["caller"], call["callee"]), ("alice", "1002"))
        self.assertEqual([c["id"] for c in alice.get_json("/calls")["items"]], [call["id"]])
        self.assertEqual([c["id"] for c in bob.get_json("/calls")["items"]], [call["id"]])

        status, body, _ = alice.request("DELETE", f"/calls/{call['id']}")
        self.assertEqual(status, 403, "only administrators hang up")
        status, body, _ = boss.request("DELETE", f"/calls/{call['id']}")
        self.assertEqual(status, 204, body)
        self.assertEqual(caller.wait(timeout=15), 0, caller.stdout.read()[-2000:])
        self.assertEqual(callee.wait(timeout=15), 0, callee.stdout.read()[-2000:])
        status, _, _ = boss.request("DELETE", f"/calls/{call['id']}")
        self.assertEqual(status, 404, "a call hung up is no longer in progress")

        def ended_record():
            records = boss.get_json("/call-records?number=1002")["items"]
            return [r for r in records if r["id"] == call["id"] and r["ended_at"]]
        record = self.wait_for("call record", ended_record)[0]
        self.assertEqual(record["hangup_cause"], "admin_hangup")
        self.assertEqual(record["hangup_side"], "system")
        self.assertEqual(record["answered_by"], "bob")
        self.assertEqual(boss.get_json("/calls")["total"], 0)
        self.assertEqual(boss.get_json("/call-records?number=nobody")["total"], 0)
        self.assertEqual(boss.get_json("/call-records?since=2000-01-01T00:00:00Z")["total"], 1)
        self.assertEqual(boss.get_json("/call-records?until=2000-01-01T00:00:00Z")["total"], 0)

        status, text, headers = alice.request("GET", "/call-records?format=csv")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/csv"))
        self.assertIn("attachment", headers["content-disposition"])
        self.assertIn("\r\n", text)
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        self.assertEqual([(r["id"], r["caller"], r["callee"], r["hangup_cause"]) for r in rows],
                         [(call["id"], "alice", "1002", "admin_hangup")])

        # A user who took no part finds nothing.
        added = self.starling.run("user", "add", "carol", "--password-stdin",
                                  stdin=WEB_PASSWORDS["carol"] + "\n")
        self.assertEqual(added.returncode, 0, added.stderr)
        carol = self.session("carol")
        self.assertEqual(carol.get_json("/call-records")["total"], 0)
        self.assertEqual(carol.get_json("/calls")["total"], 0)

    def test_live_events_reach_the_users_they_concern(self):
        port = self.starling.ports["https"]
        self.streams = [EventStream(port, self.session(name)) for name in ("alice", "bob")]
        alice_events, bob_events = self.streams
        callee = self.register_bob_and_answer()
        rows = [("alice", "1002", f"[authentication username=alice password={SIP_PASSWORD}]")]
        caller = subprocess.run(
            self.sipp(os.path.join(CALL_SCENARIOS, "uac_call.xml"), free_port(),
                      [f"127.0.0.1:{self.starling.ports['sip']}",
                       "-auth_uri", f"1002@127.0.0.1:{self.starling.ports['sip']}",
                       "-inf", self.injection("call.csv", rows), "-m", "1"]),
            capture_output=True, text=True, cwd=self.starling.directory, timeout=60, check=False)
        self.assertEqual(caller.returncode, 0, caller.stdout[-2000:])
        self.assertEqual(callee.wait(timeout=15), 0)

        def ended(message):
            return message["type"] == "call" and message["state"] == "ended"
        bob_saw = bob_events.messages_until(ended)
        registration = bob_saw[0]
        self.assertEqual((registration["type"], registration["event"], registration["user"],
                          registration["aor"], registration["transport"]),
                         ("registration", "registered", "bob", "bob", "udp"))
        states = [m["state"] for m in bob_saw if m["type"] == "call"]
        self.assertEqual(states, ["ringing", "connected", "ended"])
        alice_saw = alice_events.messages_until(ended)
        self.assertEqual([m["type"] for m in alice_saw], ["call"] * 3,
                         "bob's registration is not alice's business")
        self.assertEqual((alice_saw[0]["caller_user"], alice_saw[0]["callee_user"]),
                         ("alice", "bob"))

    def test_contacts_are_personal_and_export_as_vcards(self):
        alice, bob = self.session("alice"), self.session("bob")
        status, body, headers = alice.request("POST", "/contacts", {
            "name": "Zoe Meier", "company": "Acme; Inc.",
            "numbers": [{"type": "mobile", "number": "+41 79 123 45 67"}],
            "email": "zoe@example.com", "notes": "met at\nthe fair"})
        self.assertEqual(status, 201, body)
        path = headers["location"].removeprefix("/api/v1")
        status, body, headers = alice.request("GET", path)
        self.assertEqual(status, 200)
        etag = headers["etag"]
        status, body, _ = alice.request("PATCH", path, {"company": "Beta"}, {"If-Match": etag})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["company"], "Beta")
        status, _, _ = alice.request("PATCH", path, {"company": "Gamma"}, {"If-Match": etag})
        self.assertEqual(status, 412, "the contact changed since that ETag")

        self.assertEqual(bob.request("GET", path)[0], 404)
        self.assertEqual(bob.request("DELETE", path)[0], 404)
        self.assertEqual(bob.get_json("/contacts")["total"], 0)

        status, cards, headers = alice.request("GET", "/contacts.vcf")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/vcard"))
        self.assertTrue(cards.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n"), cards)
        self.assertIn("FN:Zoe Meier\r\n", cards)
        self.assertIn("TEL;TYPE=cell:+41 79 123 45 67\r\n", cards)
        self.assertIn("NOTE:met at\\nthe fair\r\n", cards)

        status, cards, _ = bob.request("GET", "/address-book.vcf")
        self.assertEqual(status, 200)
        self.assertIn("TEL;TYPE=work:1001\r\n", cards)
        self.assertEqual([e["name"] for e in bob.get_json("/address-book")["items"]],
                         ["alice", "bob"])

        self.assertEqual(alice.request("DELETE", path)[0], 204)
        self.assertEqual(alice.get_json("/contacts")["total"], 0)

    def test_system_resources(self):
        boss, alice = self.session("boss"), self.session("alice")
        self.assertIn("version", alice.get_json("/system"))
        ports = boss.get_json("/system/ports")
        self.assertIn(self.starling.ports["https"], [p["first_port"] for p in ports])
        certificates = boss.get_json("/system/certificates")
        self.assertTrue(certificates and all(c["self_signed"] for c in certificates), certificates)
        status, metrics, _ = boss.request("GET", "/system/metrics")
        self.assertEqual(status, 200)
        self.assertIn("starling_build_info", metrics)
        self.assertEqual(alice.request("GET", "/system/metrics")[0], 403)


if __name__ == "__main__":
    unittest.main()
