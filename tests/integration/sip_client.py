"""A small SIP user agent for tests: REGISTER with digest authentication over UDP, TCP and TLS.

SIPp as packaged by Debian has no TLS and no SHA-256 digest; this client covers both.
"""

import hashlib
import re
import secrets
import socket
import ssl


def _hash(algorithm, text):
    return (hashlib.sha256 if algorithm == "SHA-256" else hashlib.md5)(text.encode()).hexdigest()


class SipClient:
    """One connection (or UDP socket) to a SIP server on loopback."""

    def __init__(self, transport, port, host="127.0.0.1", timeout=5.0, algorithm="SHA-256"):
        self.algorithm = algorithm  # answered when offered, else the first challenge
        self.transport = transport
        self.host = host
        self.port = port
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        if transport == "udp":
            self.sock = socket.socket(family, socket.SOCK_DGRAM)
            self.sock.bind((host, 0))
        else:
            self.sock = socket.create_connection((host, port), timeout=timeout)
            if transport == "tls":
                context = ssl.create_default_context()
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE  # Starling's self-signed certificate
                self.sock = context.wrap_socket(self.sock)
        self.sock.settimeout(timeout)
        self.local_port = self.sock.getsockname()[1]
        self.buffer = b""

    def close(self):
        self.sock.close()

    def send(self, text):
        data = text.encode()
        if self.transport == "udp":
            self.sock.sendto(data, (self.host, self.port))
        else:
            self.sock.sendall(data)

    def receive(self):
        """One message: a datagram, or one Content-Length-framed message from the stream."""
        if self.transport == "udp":
            return self.sock.recv(65535).decode()
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(65535)
            if not chunk:
                raise ConnectionError("connection closed")
            self.buffer += chunk
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = int(re.search(rb"(?im)^(?:content-length|l)\s*:\s*(\d+)", head).group(1))
        while len(rest) < length:
            rest += self.sock.recv(65535)
        self.buffer = rest[length:]
        return (head + b"\r\n\r\n" + rest[:length]).decode()

    def register(self, user, password, expires=300, call_id=None, realm_user=None):
        """REGISTER, answer the challenge (self.algorithm when offered), return the final response."""
        call_id = call_id or secrets.token_hex(8)
        uri = f"sip:[{self.host}]:{self.port}" if ":" in self.host else f"sip:{self.host}:{self.port}"
        response = self._transact(self._register(user, uri, call_id, 1, expires, ""))
        if not response.startswith("SIP/2.0 401"):
            return response
        challenges = re.findall(r"(?im)^WWW-Authenticate:\s*Digest (.*)$", response)
        chosen = next((c for c in challenges if f"algorithm={self.algorithm}" in c), challenges[0])
        params = dict(re.findall(r'(\w+)="?([^",]*)"?', chosen))
        algorithm = params.get("algorithm", "MD5")
        ha1 = _hash(algorithm, f"{realm_user or user}:{params['realm']}:{password}")
        cnonce = secrets.token_hex(8)
        digest = _hash(algorithm, f"{ha1}:{params['nonce']}:00000001:{cnonce}:auth:"
                                  + _hash(algorithm, f"REGISTER:{uri}"))
        authorization = (f'Authorization: Digest username="{user}", realm="{params["realm"]}", '
                         f'nonce="{params["nonce"]}", uri="{uri}", response="{digest}", '
                         f'algorithm={algorithm}, qop=auth, nc=00000001, cnonce="{cnonce}"\r\n')
        return self._transact(self._register(user, uri, call_id, 2, expires, authorization))

    def _transact(self, text):
        """Sends a request and returns its final response. Over UDP it retransmits the
        way a phone does (RFC 3261 §17.1.2.2: T1 doubling up to T2, for 64*T1 at most), and,
        as a client transaction does, ignores late answers to an earlier request (another
        CSeq), such as the second 401 to a retransmitted first REGISTER on a slow machine."""
        cseq = re.search(r"(?im)^CSeq:\s*(\d+)", text).group(1)
        interval, waited = 0.5, 0.0
        self.send(text)
        while True:
            if self.transport == "udp":
                self.sock.settimeout(interval)
            try:
                response = self.receive()
            except socket.timeout:
                if self.transport != "udp" or waited >= 32:
                    raise
                waited += interval
                interval = min(interval * 2, 4.0)
                self.send(text)
                continue
            answered = re.search(r"(?im)^CSeq:\s*(\d+)", response)
            if answered and answered.group(1) != cseq:
                continue
            if not response.startswith("SIP/2.0 1"):
                return response

    def _register(self, user, uri, call_id, cseq, expires, authorization):
        via = {"udp": "UDP", "tcp": "TCP", "tls": "TLS"}[self.transport]
        host = f"[{self.host}]" if ":" in self.host else self.host
        return (f"REGISTER {uri} SIP/2.0\r\n"
                f"Via: SIP/2.0/{via} {host}:{self.local_port};branch=z9hG4bK{secrets.token_hex(6)};rport\r\n"
                f"Max-Forwards: 70\r\nFrom: <sip:{user}@{host}>;tag={secrets.token_hex(4)}\r\n"
                f"To: <sip:{user}@{host}>\r\nCall-ID: {call_id}\r\nCSeq: {cseq} REGISTER\r\n"
                f"Contact: <sip:{user}@{host}:{self.local_port};transport={self.transport}>\r\n"
                f"Expires: {expires}\r\nUser-Agent: starling-test-client\r\n{authorization}"
                f"Content-Length: 0\r\n\r\n")
