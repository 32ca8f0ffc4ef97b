"""HTTPS requests to a test starling's REST API, as a browser (cookie + CSRF token) or a
script (Bearer token) sends them."""

import http.client
import json
import ssl

from starling_harness import Starling


def api_request(port, method, path, body=None, headers=None, raw=None):
    """(status, body text, lower-case headers) of one request to /api/v1 + path. `body` is
    sent as JSON; `raw` as it is (with the Content-Type the caller puts in headers)."""
    # The test server's certificate is self-signed and the peer is loopback.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=15, context=context)
    sent = dict(headers or {})
    data = raw
    if body is not None:
        data = json.dumps(body)
        sent["Content-Type"] = "application/json"
    connection.request(method, "/api/v1" + path, body=data, headers=sent)
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    received = {name.lower(): value for name, value in response.getheaders()}
    connection.close()
    return response.status, text, received


class Browser:
    """One logged-in browser: its session cookie, and the CSRF token it sends on changes."""

    def __init__(self, port, name, password):
        self.port = port
        status, body, headers = api_request(port, "POST", "/session",
                                            {"name": name, "password": password})
        assert status == 200, (status, body)
        self.set_cookie = headers["set-cookie"]
        self.cookie = self.set_cookie.split(";", 1)[0]
        self.csrf = json.loads(body)["csrf_token"]

    def request(self, method, path, body=None, headers=None):
        sent = {"Cookie": self.cookie, **(headers or {})}
        if method != "GET":
            sent["X-CSRF-Token"] = self.csrf
        return api_request(self.port, method, path, body, sent)

    def json(self, method, path, body=None, expect=200, headers=None):
        status, text, _ = self.request(method, path, body, headers)
        assert status == expect, (method, path, status, text)
        return json.loads(text) if text else None


class Script:
    """A program using an API token."""

    def __init__(self, port, token):
        self.port = port
        self.token = token

    def request(self, method, path, body=None):
        return api_request(self.port, method, path, body,
                           {"Authorization": "Bearer " + self.token})


def starling_with_users(users, extra_config=""):
    """A started starling with the given {name: (password, role)} users; `extra_config` is
    appended to its starling.toml."""
    starling = Starling(extra_config=extra_config)
    for name, (password, role) in users.items():
        added = starling.run("user", "add", name, "--role", role, "--password-stdin",
                             stdin=password + "\n")
        assert added.returncode == 0, added.stderr
    starling.start()
    starling.wait_for_log("http: serving HTTPS")
    return starling
