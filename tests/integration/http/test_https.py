"""The web server's ports: TLS policy, the HTTP redirect, headers, limits, certificate reload."""

import hashlib
import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import unittest

from starling_harness import Starling

# The server's limits (src/http/limits.h), and a margin for a busy test machine.
HEADER_TIMEOUT_SECONDS = 10
MARGIN_SECONDS = 5


def make_certificate(directory, name):
    """A self-signed certificate and key for CN=name; returns (cert path, key path)."""
    cert = os.path.join(directory, f"{name}.pem")
    key = os.path.join(directory, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-subj", f"/CN={name}", "-days", "2",
                    "-keyout", key, "-out", cert], capture_output=True, check=True)
    return cert, key


def fingerprint_of_file(path):
    with open(path, encoding="ascii") as pem:
        return hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem.read())).hexdigest()


def client_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


class Https(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cert_directory = tempfile.mkdtemp(prefix="starling-it-certs-")
        cls.cert, cls.key = make_certificate(cls.cert_directory, "first")
        cls.starling = Starling(extra_config=f'[tls]\ncertificate = "{cls.cert}"\n'
                                             f'private_key = "{cls.key}"\n')
        cls.starling.start()
        cls.starling.wait_for_log("http: serving HTTPS on")
        cls.starling.wait_for_log("ready")
        cls.https = cls.starling.ports["https"]
        cls.http = cls.starling.ports["http"]

    @classmethod
    def tearDownClass(cls):
        cls.starling.close()
        shutil.rmtree(cls.cert_directory, ignore_errors=True)

    def connection(self):
        connection = http.client.HTTPSConnection("127.0.0.1", self.https,
                                                 context=client_context(), timeout=10)
        self.addCleanup(connection.close)
        return connection

    def raw_tls(self):
        raw = socket.create_connection(("127.0.0.1", self.https), timeout=10)
        tls = client_context().wrap_socket(raw)
        self.addCleanup(tls.close)
        return tls

    def s_client(self, *options):
        return subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{self.https}",
                               *options], input="", capture_output=True, text=True, timeout=20)

    def test_tls_1_0_and_1_1_are_refused(self):
        for version in ("-tls1", "-tls1_1"):
            with self.subTest(version=version):
                result = self.s_client(version, "-cipher", "DEFAULT@SECLEVEL=0")
                self.assertNotEqual(result.returncode, 0, result.stdout)
                self.assertNotIn("BEGIN CERTIFICATE", result.stdout)
                # The client did offer the old version, and the server said no.
                self.assertIn("alert protocol version", result.stdout + result.stderr)

    def test_tls_1_2_and_1_3_are_offered(self):
        for version, name in (("-tls1_2", "TLSv1.2"), ("-tls1_3", "TLSv1.3")):
            with self.subTest(version=version):
                result = self.s_client(version)
                self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
                self.assertIn(f"New, {name}", result.stdout)

    def test_plain_http_redirects_to_https(self):
        plain = http.client.HTTPConnection("127.0.0.1", self.http, timeout=10)
        self.addCleanup(plain.close)
        plain.request("GET", "/users?x=1", headers={"Host": f"localhost:{self.http}"})
        response = plain.getresponse()
        self.assertEqual(response.status, 301)
        self.assertEqual(response.getheader("Location"),
                         f"https://localhost:{self.https}/users?x=1")
        response.read()
        plain.request("POST", "/api/v1/session", body="{}", headers={"Host": "localhost"})
        response = plain.getresponse()
        self.assertEqual(response.status, 308)

    def test_every_response_has_the_security_headers(self):
        connection = self.connection()
        for path in ("/", "/api/v1/system/health"):
            with self.subTest(path=path):
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                self.assertEqual(response.getheader("Strict-Transport-Security"),
                                 "max-age=31536000")
                self.assertEqual(response.getheader("X-Content-Type-Options"), "nosniff")
                self.assertEqual(response.getheader("X-Frame-Options"), "DENY")
                self.assertEqual(response.getheader("Referrer-Policy"), "no-referrer")
                self.assertIn("default-src 'self'", response.getheader("Content-Security-Policy"))
                self.assertIsNotNone(response.getheader("Permissions-Policy"))
        self.assertEqual(response.getheader("Cache-Control"), "no-store")

    def test_an_oversized_header_gets_431(self):
        connection = self.connection()
        connection.request("GET", "/", headers={"X-Padding": "a" * 9000})
        self.assertEqual(connection.getresponse().status, 431)

    def test_an_oversized_body_gets_413(self):
        tls = self.raw_tls()
        tls.sendall(b"POST /api/v1/contacts HTTP/1.1\r\nHost: localhost\r\n"
                    b"Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n")
        response = http.client.HTTPResponse(tls)
        response.begin()
        self.assertEqual(response.status, 413)
        response.close()

    def test_a_client_sending_half_a_header_is_disconnected(self):
        tls = self.raw_tls()
        tls.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        started = time.monotonic()
        tls.settimeout(HEADER_TIMEOUT_SECONDS + MARGIN_SECONDS)
        try:
            self.assertEqual(tls.recv(1024), b"")
        except (ConnectionResetError, ssl.SSLError):
            pass
        self.assertLess(time.monotonic() - started, HEADER_TIMEOUT_SECONDS + MARGIN_SECONDS)

    def test_sighup_reloads_the_certificate_without_dropping_connections(self):
        kept = self.connection()
        kept.request("GET", "/api/v1/system/health")
        kept.getresponse().read()
        first = hashlib.sha256(kept.sock.getpeercert(binary_form=True)).hexdigest()
        self.assertEqual(first, fingerprint_of_file(self.cert))

        second_cert, second_key = make_certificate(self.cert_directory, "second")
        os.replace(second_cert, self.cert)
        os.replace(second_key, self.key)
        self.starling.server.send_signal(signal.SIGHUP)
        self.starling.wait_for_log("http: reloaded the TLS certificate")

        kept.request("GET", "/api/v1/system/health")
        self.assertEqual(kept.getresponse().status, 200)

        fresh = self.connection()
        fresh.request("GET", "/api/v1/system/health")
        fresh.getresponse().read()
        renewed = hashlib.sha256(fresh.sock.getpeercert(binary_form=True)).hexdigest()
        self.assertEqual(renewed, fingerprint_of_file(self.cert))
        self.assertNotEqual(renewed, first)

    def test_a_broken_certificate_on_sighup_keeps_the_current_one(self):
        cert, key = make_certificate(self.cert_directory, "broken")
        starling = Starling(extra_config=f'[tls]\ncertificate = "{cert}"\nprivate_key = "{key}"\n')
        self.addCleanup(starling.close)
        starling.start()
        starling.wait_for_log("ready")
        with open(cert, "w", encoding="ascii") as out:
            out.write("not a certificate\n")
        starling.server.send_signal(signal.SIGHUP)
        starling.wait_for_log("cannot reload the TLS certificate, keeping the current one")
        connection = http.client.HTTPSConnection("127.0.0.1", starling.ports["https"],
                                                 context=client_context(), timeout=10)
        self.addCleanup(connection.close)
        connection.request("GET", "/api/v1/system/health")
        self.assertEqual(connection.getresponse().status, 200)

if __name__ == "__main__":
    unittest.main()
