"""HTTP File Upload (XEP-0363) with slixmpp's own plugin: a client finds the service through
the server's items, uploads over HTTPS (slixmpp's aiohttp PUT), and another user fetches the
file by its URL; the limits and refusals of slots and PUTs, seen from outside."""

import http.client
import io
import os
import ssl
import sys
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from slixmpp import JID  # noqa: E402

from test_xmpp import DOMAIN, OwnStarlingTestCase, jid  # noqa: E402
from xmpp_client import XmppError  # noqa: E402

MAX_SIZE = 2 * 1024 * 1024
UPLOAD_DOMAIN = f"upload.{DOMAIN}"


class FileUpload(OwnStarlingTestCase):
    def setUp(self):
        self.starling = self.start_starling(f"upload_max_size = {MAX_SIZE}")
        self.ca_file = os.path.join(self.starling.directory, "var", "tls", "cert.pem")

    def connect(self, user):
        client = self.client(self.starling, user, plugins=("xep_0030",))
        client.call(lambda xmpp: xmpp.register_plugin("xep_0363"))
        return client.connect()

    def request_slot(self, client, name, size, content_type):
        slot = client.call(lambda xmpp: xmpp["xep_0363"].request_slot(
            JID(UPLOAD_DOMAIN), name, size, content_type))["http_upload_slot"]
        return slot["put"]["url"], slot["get"]["url"]

    def https(self, method, url, body=None, headers=None):
        """One request to Starling's HTTPS port, trusting only the test's certificate."""
        parts = urllib.parse.urlsplit(url)
        self.assertEqual((parts.scheme, parts.port), ("https", self.starling.ports["https"]))
        context = ssl.create_default_context(cafile=self.ca_file)
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, context=context,
                                                 timeout=10)
        try:
            connection.request(method, parts.path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def test_an_uploaded_file_reaches_another_user_byte_for_byte(self):
        alice = self.connect("alice")
        # XEP-0363 §3, as slixmpp's find_upload_service() does it (which Python 3.11's asyncio
        # no longer runs): the server's items, then the item with the store/file identity.
        items = alice.call(lambda xmpp: xmpp["xep_0030"].get_items(jid=DOMAIN))
        self.assertIn(UPLOAD_DOMAIN, [item[0] for item in items["disco_items"]["items"]])
        info = alice.call(lambda xmpp: xmpp["xep_0030"].get_info(jid=UPLOAD_DOMAIN, cached=False))
        self.assertIn(("store", "file"), [identity[:2] for identity in
                                          info["disco_info"]["identities"]])
        self.assertIn("urn:xmpp:http:upload:0", info["disco_info"]["features"])
        form = info["disco_info"].iterables[0]["values"]
        self.assertEqual(form["max-file-size"], str(MAX_SIZE))

        def use_service(xmpp):
            xmpp["xep_0363"].upload_service = info["from"]
            xmpp["xep_0363"].max_file_size = int(form["max-file-size"])
        alice.call(use_service)

        content = bytes(range(256)) * 300  # 76800 bytes, every byte value, over 64 KiB
        # slixmpp's own upload: slot request, then an aiohttp PUT, which trusts the system's
        # certificate store, pointed at the test's certificate for the test.
        os.environ["SSL_CERT_FILE"] = self.ca_file
        self.addCleanup(os.environ.pop, "SSL_CERT_FILE", None)
        url = alice.call(lambda xmpp: xmpp["xep_0363"].upload_file(
            "quarterly report.pdf", size=len(content), content_type="application/pdf",
            input_file=io.BytesIO(content)))
        self.assertTrue(url.startswith(f"https://{DOMAIN}:{self.starling.ports['https']}/upload/"),
                        url)
        self.assertTrue(url.endswith("/quarterly%20report.pdf"), url)

        # Alice shares the URL; Bob's client fetches it (anyone with the URL may, XEP-0363 §2).
        bob = self.connect("bob")
        bob.send_presence()
        alice.send_message(jid("bob"), url)
        shared = bob.wait_for_message(lambda m: m.body == url).body
        status, headers, body = self.https("GET", shared)
        self.assertEqual(status, 200)
        self.assertEqual(body, content)
        # Not a type the browser shows: a download, sandboxed, not sniffed.
        self.assertEqual(headers["Content-Type"], "application/octet-stream")
        self.assertTrue(headers["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
        self.assertIn("sandbox", headers["Content-Security-Policy"])
        self.assertEqual(headers["Access-Control-Allow-Origin"], "*")

        self.assertEqual(headers["Accept-Ranges"], "bytes")

        # A phone whose network dropped resumes the download (RFC 9110 §14).
        status, headers, body = self.https("GET", shared, headers={"Range": "bytes=70000-"})
        self.assertEqual(status, 206)
        self.assertEqual(headers["Content-Range"], f"bytes 70000-{len(content) - 1}/{len(content)}")
        self.assertEqual(body, content[70000:])
        status, headers, body = self.https("GET", shared, headers={"Range": "bytes=-10"})
        self.assertEqual((status, body), (206, content[-10:]))
        status, headers, _ = self.https("GET", shared, headers={"Range": f"bytes={len(content)}-"})
        self.assertEqual((status, headers["Content-Range"]), (416, f"bytes */{len(content)}"))

        status, headers, body = self.https("HEAD", url)
        self.assertEqual((status, headers["Content-Length"], body), (200, str(len(content)), b""))
        self.starling.wait_for_log(f"xmpp: {jid('alice')} uploaded quarterly report.pdf")

    def test_a_file_over_the_limit_gets_no_slot_and_learns_the_limit(self):
        alice = self.connect("alice")
        with self.assertRaises(XmppError) as refused:
            self.request_slot(alice, "huge.mp4", MAX_SIZE + 1, "video/mp4")
        error = str(refused.exception.__cause__.iq)
        self.assertIn("not-acceptable", error)
        self.assertIn(f"<max-file-size>{MAX_SIZE}</max-file-size>", error)

    def test_a_put_must_have_the_declared_length_and_goes_once(self):
        alice = self.connect("alice")
        put_url, get_url = self.request_slot(alice, "note.txt", 11, "text/plain")
        headers = {"Content-Type": "text/plain"}
        status, _, _ = self.https("PUT", put_url, b"hello", headers)
        self.assertIn(status, (400, 413))
        status, _, _ = self.https("PUT", put_url, b"hello world, too long", headers)
        self.assertIn(status, (400, 413))
        status, _, _ = self.https("GET", get_url)
        self.assertEqual(status, 404)

        status, _, _ = self.https("PUT", put_url, b"hello world", headers)
        self.assertEqual(status, 201)
        status, _, _ = self.https("PUT", put_url, b"HELLO WORLD", headers)
        self.assertEqual(status, 409)
        status, headers, body = self.https("GET", get_url)
        self.assertEqual((status, body, headers["Content-Type"]), (200, b"hello world",
                                                                   "text/plain"))

    def test_only_a_slot_takes_a_body_over_the_web_servers_own_limit(self):
        alice = self.connect("alice")
        big = os.urandom(1536 * 1024)  # over the 1 MiB the web server takes elsewhere
        put_url, get_url = self.request_slot(alice, "noise.bin", len(big),
                                             "application/octet-stream")
        status, _, _ = self.https("PUT", put_url, big,
                                  {"Content-Type": "application/octet-stream"})
        self.assertEqual(status, 201)
        self.assertEqual(self.https("GET", get_url)[2], big)
        # Elsewhere the length alone is refused, before any of the body is sent.
        parts = urllib.parse.urlsplit(put_url.replace("/upload/", "/upload/x"))
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=10,
            context=ssl.create_default_context(cafile=self.ca_file))
        self.addCleanup(connection.close)
        connection.putrequest("PUT", parts.path)
        connection.putheader("Content-Length", str(len(big)))
        connection.putheader("Content-Type", "application/octet-stream")
        connection.endheaders()
        self.assertEqual(connection.getresponse().status, 413)


if __name__ == "__main__":
    unittest.main()
