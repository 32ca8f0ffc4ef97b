"""The XMPP load generator: many lean asyncio clients over direct TLS (XEP-0368) that log in
with SCRAM-SHA-1, bind, chat, and stay idle. The same code drives every server compared, so
only the servers differ. Connections come from many loopback source addresses (127.0.1.x),
as a real population of clients would, rather than all from 127.0.0.1."""

import asyncio
import base64
import hashlib
import hmac
import itertools
import os
import ssl
import time
import xml.etree.ElementTree as ElementTree

NS_STREAM = "http://etherx.jabber.org/streams"
NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind"
NS_CLIENT = "jabber:client"
NS_REGISTER = "jabber:iq:register"

_source_addresses = itertools.cycle(f"127.0.1.{n}" for n in range(1, 255))


class XmppFailure(Exception):
    pass


class _SaltedPasswords:
    """PBKDF2 is the client's cost of SCRAM, paid once per (password, salt, iterations) as a
    real client that caches it would; the servers still do their whole share per login."""

    def __init__(self):
        self._cache = {}

    def get(self, password, salt, iterations):
        key = (password, salt, iterations)
        if key not in self._cache:
            self._cache[key] = hashlib.pbkdf2_hmac("sha1", password.encode(), salt, iterations)
        return self._cache[key]


SALTED = _SaltedPasswords()


def _tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the benchmark compares servers, not certificates
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


TLS = _tls_context()


class Client:
    """One XMPP stream; read top-level elements with next_element()."""

    def __init__(self, domain, user, password, resource):
        self.domain, self.user, self.password, self.resource = domain, user, password, resource
        self.jid = None
        self._reader = self._writer = None
        self._parser = None
        self._elements = []
        self._depth = 0

    async def connect(self, port):
        self._reader, self._writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=TLS, server_hostname=self.domain,
            local_addr=(next(_source_addresses), 0))
        await self._open_stream()
        features = await self.next_element()
        mechanisms = [m.text for m in features.iter(f"{{{NS_SASL}}}mechanism")]
        if "SCRAM-SHA-1" not in mechanisms:
            raise XmppFailure(f"no SCRAM-SHA-1 among {mechanisms}")
        await self._scram_sha1()
        await self._open_stream()
        await self.next_element()  # features: bind
        self.send(f"<iq type='set' id='bind'><bind xmlns='{NS_BIND}'>"
                  f"<resource>{self.resource}</resource></bind></iq>")
        bound = await self.next_element()
        jid = bound.find(f".//{{{NS_BIND}}}jid")
        if jid is None:
            raise XmppFailure(f"bind failed: {ElementTree.tostring(bound)[:200]}")
        self.jid = jid.text
        return self

    async def _open_stream(self):
        self._parser = ElementTree.XMLPullParser(events=("start", "end"))
        self._depth = 0
        self.send(f"<?xml version='1.0'?><stream:stream to='{self.domain}' version='1.0' "
                  f"xmlns='{NS_CLIENT}' xmlns:stream='{NS_STREAM}'>")

    async def _scram_sha1(self):
        nonce = base64.b64encode(os.urandom(18)).decode()
        first_bare = f"n={self.user},r={nonce}"
        self.send(f"<auth xmlns='{NS_SASL}' mechanism='SCRAM-SHA-1'>"
                  f"{base64.b64encode(('n,,' + first_bare).encode()).decode()}</auth>")
        challenge = await self.next_element()
        server_first = base64.b64decode(challenge.text or "").decode()
        fields = dict(part.split("=", 1) for part in server_first.split(","))
        salted = SALTED.get(self.password, base64.b64decode(fields["s"]), int(fields["i"]))
        final_bare = f"c=biws,r={fields['r']}"
        auth_message = f"{first_bare},{server_first},{final_bare}".encode()
        client_key = hmac.digest(salted, b"Client Key", "sha1")
        signature = hmac.digest(hashlib.sha1(client_key).digest(), auth_message, "sha1")
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        self.send(f"<response xmlns='{NS_SASL}'>"
                  f"{base64.b64encode(f'{final_bare},p={base64.b64encode(proof).decode()}'.encode()).decode()}"
                  "</response>")
        outcome = await self.next_element()
        if outcome.tag != f"{{{NS_SASL}}}success":
            raise XmppFailure(f"login of {self.user} refused: {ElementTree.tostring(outcome)[:200]}")

    async def register(self, port):
        """Creates the account in-band (XEP-0077 §3.1) on a server that allows it."""
        self._reader, self._writer = await asyncio.open_connection(
            "127.0.0.1", port, ssl=TLS, server_hostname=self.domain,
            local_addr=(next(_source_addresses), 0))
        await self._open_stream()
        await self.next_element()  # features
        self.send(f"<iq type='set' id='register'><query xmlns='{NS_REGISTER}'>"
                  f"<username>{self.user}</username><password>{self.password}</password>"
                  "</query></iq>")
        answer = await self.next_element()
        if answer.get("type") != "result":
            raise XmppFailure(f"registration of {self.user} refused: "
                              f"{ElementTree.tostring(answer)[:200]}")
        await self.close()

    def send(self, text):
        self._writer.write(text.encode())

    async def next_element(self, timeout=30):
        while not self._elements:
            data = await asyncio.wait_for(self._reader.read(65536), timeout)
            if not data:
                raise XmppFailure(f"{self.user}: the server closed the stream")
            self._parser.feed(data)
            for event, element in self._parser.read_events():
                if event == "start":
                    self._depth += 1
                else:
                    self._depth -= 1
                    if self._depth == 1:
                        self._elements.append(element)
        return self._elements.pop(0)

    async def close(self):
        try:
            self.send("</stream:stream>")
            await self._writer.drain()
        except (ConnectionError, RuntimeError):
            pass
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except (ConnectionError, ssl.SSLError):
            pass


async def register_accounts(port, domain, users, concurrency=8):
    """Registers every (user, password) in-band, for servers whose accounts cannot be written
    before they start."""
    pending = iter(users)

    async def worker():
        for user, password in pending:
            await Client(domain, user, password, "register").register(port)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


def _credentials(users, index):
    user, password = users[index % len(users)]
    return user, password


async def measure_logins(port, domain, users, concurrency, seconds):
    """Full logins (TLS, SCRAM-SHA-1, bind, close) by `concurrency` clients for `seconds`."""
    done = 0
    failures = []
    deadline = time.monotonic() + seconds
    counter = itertools.count()

    async def worker():
        nonlocal done
        while time.monotonic() < deadline:
            index = next(counter)
            user, password = _credentials(users, index)
            client = Client(domain, user, password, f"login{index}")
            try:
                await client.connect(port)
                done += 1
            except (XmppFailure, OSError, asyncio.TimeoutError) as error:
                failures.append(str(error))
            finally:
                if client._writer is not None:
                    await client.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done, time.monotonic() - started, failures


async def measure_messages(port, domain, users, pairs, seconds, window):
    """`pairs` senders each keep `window` messages in flight to their own receiver (at its
    full JID) for `seconds`; returns (delivered, elapsed)."""
    clients = []
    for index in range(2 * pairs):
        user, password = _credentials(users, index)
        clients.append(await Client(domain, user, password, f"chat{index}").connect(port))
    delivered = 0
    deadline = time.monotonic() + seconds
    body = "x" * 64

    async def conversation(sender, receiver):
        nonlocal delivered
        while time.monotonic() < deadline:
            for _ in range(window):
                sender.send(f"<message to='{receiver.jid}' type='chat'><body>{body}</body></message>")
            await sender._writer.drain()
            for _ in range(window):
                element = await receiver.next_element()
                if element.tag == f"{{{NS_CLIENT}}}message":
                    delivered += 1

    started = time.monotonic()
    await asyncio.gather(*(conversation(clients[2 * i], clients[2 * i + 1]) for i in range(pairs)))
    elapsed = time.monotonic() - started
    await asyncio.gather(*(client.close() for client in clients))
    return delivered, elapsed


async def open_idle_connections(port, domain, users, count, concurrency):
    """`count` logged-in, bound, idle clients; the caller closes them."""
    clients = []
    counter = iter(range(count))

    async def worker():
        for index in counter:
            user, password = _credentials(users, index)
            clients.append(await Client(domain, user, password, f"idle{index}").connect(port))

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return clients
