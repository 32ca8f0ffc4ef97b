"""Logging in and out of the REST API, CSRF protection, API tokens and their scopes, and
login throttling, against a running starling over HTTPS."""

import json
import re
import unittest

from api_client import Browser, Script, api_request, starling_with_users

USERS = {"boss": ("boss-password-1", "admin"), "alice": ("alice-password-1", "user")}


class ApiAuth(unittest.TestCase):
    def setUp(self):
        self.starling = starling_with_users(USERS)
        self.port = self.starling.ports["https"]

    def tearDown(self):
        self.starling.close()

    def log_in(self, name, password):
        return api_request(self.port, "POST", "/session", {"name": name, "password": password})

    def test_login_sets_a_strict_cookie_and_logout_ends_the_session(self):
        browser = Browser(self.port, "alice", USERS["alice"][0])
        for attribute in ("HttpOnly", "Secure", "SameSite=Strict", "Path=/"):
            self.assertIn(attribute, browser.set_cookie)
        me = browser.json("GET", "/session")
        self.assertEqual(me["user"], {"name": "alice", "display_name": "", "role": "user"})
        self.assertEqual(me["csrf_token"], browser.csrf)
        browser.json("DELETE", "/session", expect=204)
        status, _, _ = browser.request("GET", "/session")
        self.assertEqual(status, 401)

    def test_requests_without_credentials_get_401_with_www_authenticate(self):
        status, body, headers = api_request(self.port, "GET", "/users")
        self.assertEqual(status, 401)
        self.assertEqual(headers["content-type"], "application/problem+json")
        self.assertIn("Bearer", headers["www-authenticate"])
        self.assertEqual(json.loads(body)["status"], 401)

    def test_unknown_user_and_wrong_password_are_indistinguishable(self):
        admin = Browser(self.port, "boss", USERS["boss"][0])
        checks_before = self.password_checks(admin)
        for name in ("alice", "nobody"):
            status, body, headers = self.log_in(name, "not-the-password")
            self.assertEqual(status, 401)
            self.assertNotIn("set-cookie", headers)
            if name == "alice":
                wrong_body = body
            else:
                self.assertEqual(body, wrong_body)
        # An unknown name is checked against a decoy argon2id hash, so it takes as long as a
        # wrong password; without the decoy it would answer at once and betray the name.
        self.assertEqual(self.password_checks(admin), checks_before + 2)

    def password_checks(self, admin):
        status, metrics, _ = admin.request("GET", "/system/metrics")
        self.assertEqual(status, 200, metrics)
        match = re.search(r"^starling_api_password_checks_total (\d+)$", metrics, re.MULTILINE)
        self.assertIsNotNone(match, metrics)
        return int(match.group(1))

    def test_repeated_failures_are_throttled_with_retry_after_and_logged_once(self):
        for _ in range(5):
            status, _, _ = self.log_in("alice", "guess")
            self.assertEqual(status, 401)
        for _ in range(2):
            status, body, headers = self.log_in("alice", USERS["alice"][0])
            self.assertEqual(status, 429, body)
            self.assertGreater(int(headers["retry-after"]), 0)
        # Another account is not held up by alice's.
        self.assertEqual(self.log_in("boss", USERS["boss"][0])[0], 200)
        log = self.starling.server_output()[1]
        self.assertEqual(log.count("logins to 'alice' wait"), 1, log)
        browser = Browser(self.port, "boss", USERS["boss"][0])
        status, metrics, _ = browser.request("GET", "/system/metrics")
        if status == 200:
            self.assertIn("starling_api_login_failures_total 5", metrics)

    def test_cross_site_form_post_without_csrf_token_is_refused(self):
        browser = Browser(self.port, "boss", USERS["boss"][0])
        # What a forged HTML form would send if the browser attached the cookie.
        status, body, _ = api_request(
            self.port, "POST", "/users", raw="name=mallory&role=admin",
            headers={"Cookie": browser.cookie,
                     "Content-Type": "application/x-www-form-urlencoded"})
        self.assertEqual(status, 403, body)
        status, body, _ = api_request(self.port, "POST", "/users", {"name": "mallory"},
                                      {"Cookie": browser.cookie, "X-CSRF-Token": "guessed"})
        self.assertEqual(status, 403, body)
        status, _, _ = browser.request("GET", "/users/mallory")
        self.assertEqual(status, 404)

    def test_token_is_limited_to_its_scopes(self):
        browser = Browser(self.port, "boss", USERS["boss"][0])
        created = browser.json("POST", "/tokens", {"name": "reader", "scopes": ["directory:read"]},
                               expect=201)
        self.assertTrue(created["token"].startswith("stl_"))
        script = Script(self.port, created["token"])
        status, body, _ = script.request("GET", "/users")
        self.assertEqual(status, 200, body)
        status, body, _ = script.request("POST", "/groups", {"name": "sales"})
        self.assertEqual(status, 403, body)
        self.assertIn("directory:write", json.loads(body)["detail"])
        status, body, _ = script.request("POST", "/tokens",
                                         {"name": "more", "scopes": ["directory:write"]})
        self.assertEqual(status, 403, body)
        listed = browser.json("GET", "/tokens")
        self.assertEqual(listed["total"], 1)
        self.assertNotIn("token", listed["items"][0])
        self.assertIsNotNone(listed["items"][0]["last_used_at"])
        browser.json("DELETE", f"/tokens/{created['id']}", expect=204)
        self.assertEqual(script.request("GET", "/users")[0], 401)

    def test_user_token_cannot_reach_administrator_routes(self):
        browser = Browser(self.port, "alice", USERS["alice"][0])
        token = browser.json("POST", "/tokens",
                             {"name": "all", "scopes": ["directory:read", "directory:write"]},
                             expect=201)["token"]
        status, _, _ = Script(self.port, token).request("GET", "/users")
        self.assertEqual(status, 403)

    def test_openapi_document_is_served_to_everyone(self):
        status, body, headers = api_request(self.port, "GET", "/openapi.yaml")
        self.assertEqual(status, 200)
        self.assertIn("yaml", headers["content-type"])
        self.assertTrue(body.startswith("openapi: 3.1"))


if __name__ == "__main__":
    unittest.main()
