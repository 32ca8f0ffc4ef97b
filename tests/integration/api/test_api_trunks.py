"""SIP trunks, outbound routes and users' call classes over the REST API against a running
starling: what an administrator may do, what nobody else may, that a trunk's password never
comes back, that bad settings are refused naming the field, and that the live registration
state shows up (a small loopback "provider" answers REGISTER with 403)."""

import socket
import threading
import time
import unittest

from api_client import Browser, Script, starling_with_users

USERS = {"boss": ("boss-password-1", "admin"), "alice": ("alice-password-1", "user")}
# DIDs are checked against the numbering plan: Berlin, Germany.
NUMBERING_PLAN = '[pbx]\ncountry_code = "49"\narea_code = "30"\n'
PASSWORD = "trunk-secret-42"


def registration_trunk(name, domain):
    return {"name": name, "domain": domain, "username": "4930123400", "password": PASSWORD,
            "numbers": [{"did": "+4930123400", "target": "200"},
                        {"did": "+4930123401-+4930123419", "target": "201"}]}


class RefusingProvider:
    """Answers every SIP request on a loopback UDP port with 403 Forbidden."""

    def __init__(self):
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.domain = f"127.0.0.1:{self.socket.getsockname()[1]}"
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                data, peer = self.socket.recvfrom(65536)
            except socket.timeout:
                continue
            lines = data.decode("utf-8", "replace").split("\r\n")
            if not lines[0] or lines[0].startswith("SIP/2.0"):
                continue
            copied = [line for line in lines[1:] if line.split(":", 1)[0].strip().lower()
                      in ("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq")]
            answer = "\r\n".join(["SIP/2.0 403 Forbidden", *copied, "Content-Length: 0", "", ""])
            self.socket.sendto(answer.encode(), peer)

    def close(self):
        self.running = False
        self.thread.join()
        self.socket.close()


class ApiTrunks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.provider = RefusingProvider()
        cls.starling = starling_with_users(USERS, extra_config=NUMBERING_PLAN)
        cls.port = cls.starling.ports["https"]
        cls.boss = Browser(cls.port, "boss", USERS["boss"][0])
        cls.alice = Browser(cls.port, "alice", USERS["alice"][0])

    @classmethod
    def tearDownClass(cls):
        cls.starling.close()
        cls.provider.close()

    def token(self, *scopes):
        return Script(self.port, self.boss.json("POST", "/tokens", {
            "name": "script", "scopes": list(scopes)}, expect=201)["token"])

    def test_administrator_manages_a_trunk_whose_password_never_comes_back(self):
        status, body, headers = self.boss.request("POST", "/trunks",
                                                  registration_trunk("provider", "sip.example"))
        self.assertEqual(status, 201, body)
        self.assertEqual(headers["location"], "/api/v1/trunks/provider")
        self.assertNotIn(PASSWORD, body)
        read = self.boss.json("GET", "/trunks/provider")
        self.assertTrue(read["password_set"])
        self.assertNotIn("password", read)
        self.assertEqual(read["kind"], "register")
        self.assertEqual(read["numbers"][1], {"did": "+4930123401-+4930123419", "target": "201"})
        listed = self.boss.json("GET", "/trunks")
        self.assertIn("provider", [trunk["name"] for trunk in listed["items"]])
        self.assertNotIn(PASSWORD, str(listed))

        _, _, headers = self.boss.request("GET", "/trunks/provider")
        changed = self.boss.json("PATCH", "/trunks/provider",
                                 {"channels": 2, "transport": "tcp", "enabled": False},
                                 headers={"If-Match": headers["etag"]})
        self.assertEqual((changed["channels"], changed["transport"]), (2, "tcp"))
        self.assertEqual(changed["status"]["state"], "disabled")
        self.assertTrue(changed["password_set"])
        self.boss.json("PATCH", "/trunks/provider", {"channels": 3}, expect=412,
                       headers={"If-Match": headers["etag"]})
        self.assertIn("provider", self.starling.run("trunks").stdout)
        self.boss.json("DELETE", "/trunks/provider", expect=204)
        self.boss.json("GET", "/trunks/provider", expect=404)
        self.assertNotIn("provider", self.starling.run("trunks").stdout)

    def test_ip_trunk_needs_no_password_and_shows_as_ip(self):
        created = self.boss.json("POST", "/trunks", {
            "name": "carrier", "kind": "ip", "domain": "sip.carrier.example",
            "allowed_addresses": ["192.0.2.10", "198.51.100.0/24"],
            "numbers": [{"did": "+4930555000", "target": "200"}]}, expect=201)
        self.assertFalse(created["password_set"])
        self.assertEqual(created["status"]["state"], "ip")
        # The network plan names the provider Starling must reach.
        outbound = [entry for entry in self.boss.json("GET", "/system/ports")
                    if entry["purpose"] == "SIP trunk carrier"]
        self.assertEqual([(entry["address"], entry["first_port"], entry["protocol"])
                          for entry in outbound], [("sip.carrier.example", 5060, "udp")])
        self.boss.json("DELETE", "/trunks/carrier", expect=204)

    def test_bad_settings_are_refused_naming_the_field(self):
        def refused(body, field, path="/trunks", method="POST"):
            problem = self.boss.json(method, path, body, expect=422)
            self.assertEqual(problem["field"], field, problem)
            self.assertTrue(problem["detail"])

        trunk = registration_trunk("broken", "sip.example")
        refused({**trunk, "numbers": [{"did": "+1-555-abc", "target": "200"}]}, "/numbers")
        refused({**trunk, "numbers": [{"did": "+4930123400", "target": "not an extension"}]},
                "/numbers")
        refused({**trunk, "transport": "carrier-pigeon"}, "/transport")
        refused({**trunk, "domain": ""}, "/domain")
        refused({**trunk, "password": ""}, "/password")
        refused({**trunk, "username": "4930\r\nX-Injected: 1"}, "/username")
        refused({**trunk, "channels": -1}, "/channels")
        refused({**trunk, "colour": "blue"}, "/colour")
        refused({"name": "carrier", "kind": "ip", "domain": "sip.example"}, "/allowed_addresses")
        self.boss.json("GET", "/trunks/broken", expect=404)

        self.boss.json("POST", "/trunks", registration_trunk("main", "sip.example"), expect=201)
        self.boss.json("POST", "/trunks", registration_trunk("main", "sip.example"), expect=409)
        refused({"name": "r1", "pattern": "0Z.", "trunks": ["main", "nowhere"]}, "/trunks/1",
                "/routes")
        refused({"name": "r1", "pattern": "0Z."}, "/trunks", "/routes")
        refused({"name": "r1", "pattern": "0Q!!", "trunks": ["main"]}, "/pattern", "/routes")
        refused({"name": "r1", "pattern": "0Z.", "trunks": ["main"], "strip": "one"}, "/strip",
                "/routes")
        self.boss.json("GET", "/routes/r1", expect=404)
        self.boss.json("DELETE", "/trunks/main", expect=204)

    def test_routes_are_kept_in_order(self):
        self.boss.json("POST", "/trunks", registration_trunk("upstream", "sip.example"),
                       expect=201)
        national = self.boss.json("POST", "/routes", {
            "name": "national", "pattern": "0Z.", "trunks": ["upstream"]}, expect=201)
        local = self.boss.json("POST", "/routes", {
            "name": "local", "pattern": "NXXXXX.", "trunks": ["upstream"]}, expect=201)
        self.assertGreater(local["position"], national["position"])
        self.boss.json("POST", "/routes", {
            "name": "international", "pattern": "00Z.", "trunks": ["upstream"], "e164": True,
            "position": national["position"] - 5}, expect=201)
        names = [route["name"] for route in self.boss.json("GET", "/routes")["items"]]
        self.assertEqual(names, ["international", "national", "local"])
        listed = self.starling.run("route", "list").stdout
        self.assertLess(listed.index("international"), listed.index("local"))

        changed = self.boss.json("PATCH", "/routes/local", {"position": 0, "strip": 1})
        self.assertEqual((changed["position"], changed["strip"]), (0, 1))
        self.assertEqual(self.boss.json("GET", "/routes")["items"][0]["name"], "local")
        # A trunk a route still uses stays.
        self.boss.json("DELETE", "/trunks/upstream", expect=409)
        for name in ("local", "national", "international"):
            self.boss.json("DELETE", f"/routes/{name}", expect=204)
        self.assertEqual(self.boss.json("GET", "/routes")["items"], [])
        self.boss.json("DELETE", "/trunks/upstream", expect=204)

    def test_running_server_shows_why_a_trunk_fails_to_register(self):
        self.boss.json("POST", "/trunks", registration_trunk("refusing", self.provider.domain),
                       expect=201)
        deadline = time.monotonic() + 15
        status = {}
        while time.monotonic() < deadline:
            status = self.boss.json("GET", "/trunks/refusing")["status"]
            if status["state"] == "failing":
                break
            time.sleep(0.25)
        self.assertEqual(status["state"], "failing", status)
        self.assertIn("403", status["reason"])
        self.assertIsNone(status["expires_at"])
        self.boss.json("DELETE", "/trunks/refusing", expect=204)

    def test_only_administrators_and_trunk_scopes_reach_trunks(self):
        self.alice.json("GET", "/trunks", expect=403)
        self.alice.json("POST", "/trunks", registration_trunk("mine", "sip.example"), expect=403)
        self.alice.json("GET", "/routes", expect=403)
        status, _, _ = self.token("directory:read", "directory:write").request("GET", "/trunks")
        self.assertEqual(status, 403)
        reader = self.token("trunks:read")
        status, _, _ = reader.request("GET", "/trunks")
        self.assertEqual(status, 200)
        status, body, _ = reader.request("POST", "/trunks",
                                         registration_trunk("scripted", "sip.example"))
        self.assertEqual(status, 403)
        self.assertIn("trunks:write", body)
        writer = self.token("trunks:read", "trunks:write")
        status, body, _ = writer.request("POST", "/trunks",
                                         registration_trunk("scripted", "sip.example"))
        self.assertEqual(status, 201, body)
        status, _, _ = writer.request("DELETE", "/trunks/scripted")
        self.assertEqual(status, 204)

    def test_call_class_is_set_by_administrators_only(self):
        self.assertEqual(self.alice.json("GET", "/users/alice")["call_class"], "national")
        problem = self.alice.json("PATCH", "/users/alice", {"call_class": "international"},
                                  expect=403)
        self.assertEqual(problem["field"], "/call_class")
        problem = self.boss.json("PATCH", "/users/alice", {"call_class": "everywhere"},
                                 expect=422)
        self.assertEqual(problem["field"], "/call_class")
        self.assertEqual(self.boss.json("PATCH", "/users/alice",
                                        {"call_class": "internal"})["call_class"], "internal")
        self.assertEqual(self.alice.json("GET", "/users/alice")["call_class"], "internal")
        created = self.boss.json("POST", "/users", {"name": "carol", "call_class": "local"},
                                 expect=201)
        self.assertEqual(created["call_class"], "local")
        self.boss.json("PATCH", "/users/alice", {"call_class": "national"})
        self.boss.json("DELETE", "/users/carol", expect=204)


if __name__ == "__main__":
    unittest.main()
