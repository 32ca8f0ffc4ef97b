"""A blocking XMPP client for integration tests: slixmpp on its own asyncio loop in a thread,
with every call bounded by a timeout so no test can hang on a silent server.

slixmpp comes from Debian's python3-slixmpp and imports only under /usr/bin/python3."""

import asyncio
import inspect
import logging
import socket
import ssl
import struct
import threading
import time
from typing import Callable

import slixmpp
from slixmpp.exceptions import IqError, IqTimeout, PresenceError
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

# The values tests get back live in xmpp_stanzas; re-exported so tests import one module.
from xmpp_stanzas import (NS_CARBONS, NS_CLIENT, NS_FORWARD, NS_MAM, NS_ROSTER,  # noqa: F401
                          DiscoInfo, Message, Presence, RosterItem, bare, to_message,
                          to_presence)

DEFAULT_TIMEOUT = 10.0  # seconds; loopback answers in milliseconds, so this only catches hangs

NS_STREAMS = "http://etherx.jabber.org/streams"
SM_FEATURE = "{urn:xmpp:sm:3}sm"           # XEP-0198

# Plugins a test may ask for; xep_0059 (RSM) is MAM's paging and comes with it.
OPTIONAL_PLUGINS = ("xep_0030", "xep_0045", "xep_0085", "xep_0184", "xep_0191", "xep_0198",
                    "xep_0199", "xep_0249", "xep_0280", "xep_0313", "xep_0352")

# slixmpp logs expected failures (a wrong password) as errors; keep them off the test output
# unless the test configures logging itself, in which case they still propagate.
logging.getLogger("slixmpp").addHandler(logging.NullHandler())


class XmppError(Exception):
    """The server refused or broke something the test asked for."""


class AuthenticationFailed(XmppError):
    pass


class XmppTimeout(XmppError, TimeoutError):
    pass


class _Connection(slixmpp.ClientXMPP):
    """ClientXMPP that connects exactly where the test says, never where DNS says: the JID's
    domain (e.g. "localhost" or "starling.test") is for the stream and the cert only."""

    def __init__(self, jid, password, target, **kwargs):
        super().__init__(jid, password, **kwargs)
        self._target = target

    async def get_dns_records(self, domain, port=None):
        return [(self.boundjid.domain, *self._target)]


def _roster_items(xml):
    """bare JID → RosterItem (None for subscription='remove') of a roster query's items."""
    items = {}
    for item in xml.iter(f"{{{NS_ROSTER}}}item"):
        groups = tuple(group.text or "" for group in item.iter(f"{{{NS_ROSTER}}}group"))
        subscription = item.get("subscription", "none")
        items[bare(item.get("jid"))] = None if subscription == "remove" else RosterItem(
            name=item.get("name", ""), subscription=subscription, groups=groups,
            ask=item.get("ask") == "subscribe")
    return items


class _SourceBoundLoop(asyncio.SelectorEventLoop):
    """An event loop whose outgoing connections leave from one local address, e.g. 127.0.0.2:
    every 127/8 address is loopback on Linux, so a test can be two client machines."""

    def __init__(self, source_address):
        super().__init__()
        self._source_address = source_address

    async def create_connection(self, *args, **kwargs):
        kwargs.setdefault("local_addr", (self._source_address, 0))
        return await super().create_connection(*args, **kwargs)


class XmppClient:
    """One XMPP session. Construct, `connect()`, use, `close()` (or use as a context manager).

    TLS trust: pass `ca_file` (the test server's self-signed cert) to verify the chain and the
    JID's domain, or `insecure=True` to accept any cert. `mechanism` forces one SASL mechanism;
    `max_tls_version="1.2"` is for SCRAM-*-PLUS, since slixmpp 1.8 binds only with tls-unique,
    which TLS 1.3 does not define (RFC 9266). `source_address` is the local address to connect
from (default: the kernel's choice)."""

    def __init__(self, jid, password, host, port, *, direct_tls=False, mechanism=None,
                 ca_file=None, insecure=False, resource=None, plugins=(),
                 max_tls_version=None, source_address=None, timeout=DEFAULT_TIMEOUT):
        if not ca_file and not insecure:
            raise ValueError("pass ca_file=... to verify the server's cert, or insecure=True")
        unknown = set(plugins) - set(OPTIONAL_PLUGINS)
        if unknown:
            raise ValueError(f"unsupported plugins {sorted(unknown)}; known: {OPTIONAL_PLUGINS}")
        self.jid = f"{jid}/{resource}" if resource else jid
        self.host, self.port = host, port
        self.direct_tls = direct_tls
        self.timeout = timeout
        self.mechanism = None           # the SASL mechanism that succeeded
        self.offered_mechanisms = frozenset()
        self.tls_version = None         # e.g. "TLSv1.3", once the session started
        self.stream_errors = []         # conditions of <stream:error/>s received
        self.resumed = False            # the last connect() resumed a XEP-0198 session
        self.stream_features = frozenset()  # "{ns}tag" of each feature last offered
        self._plugins = tuple(plugins)
        self._ssl_context = self._make_ssl_context(ca_file, insecure, max_tls_version)
        self._password, self._forced_mechanism = password, mechanism
        self._changed = threading.Condition()
        self._presences, self._messages, self._consumed = [], [], 0
        self._roster_pushes = []        # (bare JID, RosterItem or None when removed)
        self._session = None            # Future for the pending connect(), on the loop
        self._auth_failures = []
        self._awaiting_sm = False

        self._loop = (_SourceBoundLoop(source_address) if source_address
                      else asyncio.new_event_loop())
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True,
                                        name=f"xmpp {self.jid}")
        self._thread.start()
        # slixmpp grabs the current event loop in its constructor, so build it on ours.
        self._xmpp = self._run(self._build(), timeout)

    @staticmethod
    def _make_ssl_context(ca_file, insecure, max_tls_version):
        if insecure:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            context = ssl.create_default_context(cafile=ca_file)
        if max_tls_version == "1.2":
            context.maximum_version = ssl.TLSVersion.TLSv1_2
        elif max_tls_version is not None:
            raise ValueError(f"max_tls_version must be None or '1.2', not {max_tls_version!r}")
        return context

    async def _build(self):
        xmpp = _Connection(self.jid, self._password, (self.host, self.port),
                           sasl_mech=self._forced_mechanism)
        xmpp.ssl_context = self._ssl_context
        # Tests decide every subscription step themselves (RFC 6121 §3), so slixmpp must
        # neither approve nor refuse requests on its own.
        xmpp.auto_authorize = None
        xmpp.auto_subscribe = False
        for plugin in self._plugins:
            xmpp.register_plugin(plugin)
        if "xep_0313" in self._plugins:
            xmpp.register_plugin("xep_0059")
        if "xep_0198" in self._plugins:
            xmpp["xep_0198"].allow_resume = True
        # Catch-all handlers, so carbons, MAM results and body-less messages are seen too.
        xmpp.register_handler(Callback("test messages", MatchXPath(f"{{{NS_CLIENT}}}message"),
                                       self._on_message))
        xmpp.register_handler(Callback("test presences",
                                       MatchXPath(f"{{{NS_CLIENT}}}presence"),
                                       self._on_presence))
        xmpp.register_handler(Callback("test features",
                                       MatchXPath(f"{{{NS_STREAMS}}}features"),
                                       self._on_stream_features))
        xmpp.register_handler(Callback("test roster pushes",
                                       MatchXPath(f"{{{NS_CLIENT}}}iq/{{{NS_ROSTER}}}query"),
                                       self._on_roster_iq))
        xmpp.add_event_handler("session_start", self._on_session_start)
        xmpp.add_event_handler("sm_enabled", self._on_sm_settled)
        xmpp.add_event_handler("sm_failed", self._on_sm_settled)
        xmpp.add_event_handler("session_resumed", self._on_session_resumed)
        xmpp.add_event_handler("auth_success", self._on_auth_success)
        xmpp.add_event_handler("failed_auth", self._on_failed_auth)
        xmpp.add_event_handler("failed_all_auth", self._on_failed_all_auth)
        xmpp.add_event_handler("connection_failed", self._on_connection_failed)
        xmpp.add_event_handler("disconnected", self._on_disconnected)
        xmpp.add_event_handler("stream_error", self._on_stream_error)
        return xmpp

    # --- running things on the loop thread -------------------------------------------------

    def _run(self, coroutine, timeout=None):
        """Runs `coroutine` on the client's loop and waits for it at most `timeout` seconds."""
        timeout = self.timeout if timeout is None else timeout
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except XmppError:
            raise  # already says what timed out (XmppTimeout is a TimeoutError too)
        except TimeoutError as error:
            future.cancel()
            raise XmppTimeout(f"{self.jid}: no answer within {timeout}s") from error
        except IqTimeout as error:
            raise XmppTimeout(f"{self.jid}: IQ not answered within {timeout}s") from error
        except IqError as error:
            raise XmppError(f"{self.jid}: IQ error {error.condition}: {error.text}") from error
        except PresenceError as error:
            raise XmppError(f"{self.jid}: presence error {error.condition}: "
                            f"{error.text}") from error

    def call(self, function, timeout=None):
        """Escape hatch: runs `function(xmpp)` on the loop with the raw slixmpp ClientXMPP; if
        it returns an awaitable, waits for that too."""
        async def invoke():
            result = function(self._xmpp)
            return await result if inspect.isawaitable(result) else result
        return self._run(invoke(), timeout)

    # --- connecting ----------------------------------------------------------------------

    def connect(self, timeout=None):
        """Connects, negotiates TLS (STARTTLS, or direct TLS from the first byte), SASL and a
        resource, and returns once the session started (or was resumed, with xep_0198)."""
        timeout = self.timeout if timeout is None else timeout

        async def start():
            self._session = self._loop.create_future()
            self._auth_failures = []
            self.resumed = False
            # force_starttls: a server that offers no STARTTLS must fail the test, not
            # silently carry the password in the clear.
            self._xmpp.connect((self.host, self.port), use_ssl=self.direct_tls,
                               force_starttls=not self.direct_tls)
            # connect() only sets the SNI/verification name from a hostname, not an address.
            self._xmpp.default_domain = self._xmpp.boundjid.domain
            try:
                await asyncio.wait_for(asyncio.shield(self._session), timeout)
            except asyncio.TimeoutError:
                self._xmpp.cancel_connection_attempt()
                self._xmpp.abort()
                raise XmppTimeout(f"{self.jid}: no session within {timeout}s to "
                                  f"{self.host}:{self.port}; SASL failures: "
                                  f"{self._auth_failures}, stream errors: {self.stream_errors}")
            finally:
                self._session = None

        self._run(start(), timeout + 1)
        return self

    def _settle(self, error=None):
        if self._session is not None and not self._session.done():
            if error is None:
                self._session.set_result(True)
            else:
                self._session.set_exception(error)

    def _on_stream_features(self, stanza):
        self.stream_features = frozenset(child.tag for child in stanza.xml)

    def _on_session_start(self, _event):
        ssl_object = self._xmpp.transport and self._xmpp.transport.get_extra_info("ssl_object")
        self.tls_version = ssl_object.version() if ssl_object else None
        # <enable/> goes out after bind, so the session starts before <enabled/> is back;
        # connect() returns once stream management is settled, so tests can rely on it.
        self._awaiting_sm = ("xep_0198" in self._plugins and SM_FEATURE in self.stream_features
                             and not self._xmpp["xep_0198"].enabled_in)
        if not self._awaiting_sm:
            self._settle()

    def _on_sm_settled(self, _stanza):
        # A failed <resume/> also fires sm_failed, but then binding is still to come.
        if self._awaiting_sm:
            self._awaiting_sm = False
            self._settle()

    def _on_session_resumed(self, event):
        self.resumed = True
        self._on_session_start(event)

    def _on_auth_success(self, _stanza):
        self.mechanism = self._xmpp["feature_mechanisms"].mech.name
        self.offered_mechanisms = frozenset(self._xmpp["feature_mechanisms"].mech_list)

    def _on_failed_auth(self, stanza):
        self._auth_failures.append(stanza["condition"])

    def _on_failed_all_auth(self, _event):
        offered = sorted(self._xmpp["feature_mechanisms"].mech_list)
        self._settle(AuthenticationFailed(
            f"{self.jid}: SASL failed ({self._auth_failures or 'no usable mechanism'}); "
            f"asked for {self._forced_mechanism or 'any'}, server offered {offered}"))

    def _on_connection_failed(self, error):
        # slixmpp would retry forever with back-off; a test wants the first error.
        self._xmpp.cancel_connection_attempt()
        self._settle(XmppError(f"{self.jid}: cannot connect to {self.host}:{self.port}: "
                               f"{error}"))

    def _on_disconnected(self, reason):
        self._settle(XmppError(f"{self.jid}: disconnected before the session started "
                               f"({reason}); SASL failures: {self._auth_failures}, "
                               f"stream errors: {self.stream_errors}"))

    def _on_stream_error(self, error):
        self.stream_errors.append(error["condition"])

    @property
    def bound_jid(self):
        """The full JID the server bound (RFC 6120 §7)."""
        return str(self._xmpp.boundjid.full)

    @property
    def is_connected(self):
        return self._xmpp.transport is not None

    @property
    def sm_enabled(self):
        """XEP-0198 is on for this stream (needs plugins=("xep_0198",))."""
        return "xep_0198" in self._plugins and self._xmpp["xep_0198"].enabled_in

    # --- stanzas in ---------------------------------------------------------------------

    def _on_message(self, stanza):
        xml = stanza.xml
        if xml.find(f"{{{NS_MAM}}}result") is not None:
            return  # an archive page; mam_query() collects those
        message = to_message(xml)
        for kind in ("received", "sent"):
            wrapper = xml.find(f"{{{NS_CARBONS}}}{kind}")
            # Only our own account may send us carbons (XEP-0280 §11); a copy from anyone
            # else is kept as the plain message it is, so a test can see it was not trusted.
            if wrapper is not None and bare(xml.get("from", self._xmpp.boundjid.bare)) == \
                    bare(self._xmpp.boundjid.bare):
                inner = wrapper.find(f"{{{NS_FORWARD}}}forwarded/{{{NS_CLIENT}}}message")
                if inner is not None:
                    message = to_message(inner, carbon=kind)
        with self._changed:
            self._messages.append(message)
            self._changed.notify_all()

    def _on_presence(self, stanza):
        with self._changed:
            self._presences.append(to_presence(stanza.xml))
            self._changed.notify_all()

    def _on_roster_iq(self, stanza):
        if stanza["type"] != "set":
            return  # results of our own gets and sets
        with self._changed:
            for jid, item in _roster_items(stanza.xml).items():
                self._roster_pushes.append((jid, item))
            self._changed.notify_all()

    def wait_for_roster_push(self, jid, predicate=None, timeout=None):
        """The latest roster push (RFC 6121 §2.1.6) for `jid`: a RosterItem, or None for a
        removal, that satisfies `predicate`."""
        jid = bare(jid)
        predicate = predicate or (lambda item: True)

        def find():
            for pushed, item in reversed(self._roster_pushes):
                if pushed == jid and predicate(item):
                    return (item,)
            return None
        return self._wait(find, timeout, f"roster push for {jid}")[0]

    def _wait(self, find, timeout, what):
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = find()
                if found is not None:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise XmppTimeout(f"{self.jid}: no {what} within {timeout}s")
                self._changed.wait(remaining)

    @property
    def messages(self):
        """Every message received so far, oldest first (carbons unwrapped)."""
        with self._changed:
            return list(self._messages)

    @property
    def presences(self):
        with self._changed:
            return list(self._presences)

    def wait_for_message(self, predicate: Callable[[Message], bool] = None, timeout=None):
        """The oldest message not yet returned by this method that satisfies `predicate`
        (default: has a body). Earlier non-matching messages stay available."""
        predicate = predicate or (lambda message: message.body is not None)

        def find():
            for index in range(self._consumed, len(self._messages)):
                if predicate(self._messages[index]):
                    message = self._messages.pop(index)
                    self._messages.insert(self._consumed, message)
                    self._consumed += 1
                    return message
            return None
        return self._wait(find, timeout, "matching message")

    def wait_for_presence(self, from_bare, predicate: Callable[[Presence], bool] = None,
                          timeout=None, after=0):
        """The latest presence from `from_bare` (any resource) satisfying `predicate`,
        including ones that arrived before the call; with `after` (a len(presences) taken
        earlier), only ones that arrived since."""
        from_bare = bare(from_bare)
        predicate = predicate or (lambda presence: True)

        def find():
            for presence in reversed(self._presences[after:]):
                if bare(presence.from_jid) == from_bare and predicate(presence):
                    return presence
            return None
        return self._wait(find, timeout, f"matching presence from {from_bare}")

    # --- stanzas out --------------------------------------------------------------------

    def send_presence(self, show=None, status=None, priority=None, to=None, type=None):
        """Available presence by default (the initial presence of RFC 6121 §4.2 when first)."""
        def send(xmpp):
            xmpp.send_presence(pshow=show, pstatus=status, ppriority=priority, pto=to,
                               ptype=type)
        self.call(send)

    def subscribe(self, to):
        """Asks to see `to`'s presence (RFC 6121 §3.1.1)."""
        self.send_presence(to=bare(to), type="subscribe")

    def approve_subscription(self, to):
        """Lets `to` see our presence (RFC 6121 §3.1.4)."""
        self.send_presence(to=bare(to), type="subscribed")

    def send_message(self, to, body, type="chat", id=None):
        """Sends a message and returns its id."""
        def send(xmpp):
            message = xmpp.make_message(mto=to, mbody=body, mtype=type)
            if id is not None:
                message["id"] = id
            elif not message["id"]:
                message["id"] = xmpp.new_id()
            message.send()
            return message["id"]
        return self.call(send)

    def send_raw(self, xml):
        """Writes `xml` on the established stream as is (for odd-but-valid stanzas; hostile
        bytes belong to raw-socket tests)."""
        self.call(lambda xmpp: xmpp.send_raw(xml))

    # --- IQs ----------------------------------------------------------------------------

    def roster(self, timeout=None):
        """Fetches the roster afresh (RFC 6121 §2.1.3): bare JID → RosterItem."""
        timeout = self.timeout if timeout is None else timeout

        async def fetch():
            iq = self._xmpp.make_iq_get(queryxmlns=NS_ROSTER)
            return (await iq.send(timeout=timeout)).xml

        return {jid: item for jid, item in _roster_items(self._run(fetch(), timeout + 1)).items()
                if item is not None}

    def roster_set(self, jid, name=None, groups=(), timeout=None):
        """Adds or updates a contact (RFC 6121 §2.3)."""
        self._roster_iq(jid, {"name": name, "groups": list(groups)}, timeout)

    def roster_remove(self, jid, timeout=None):
        """Removes a contact (RFC 6121 §2.5); the server cancels the subscriptions too."""
        self._roster_iq(jid, {"subscription": "remove"}, timeout)

    def _roster_iq(self, jid, attributes, timeout):
        timeout = self.timeout if timeout is None else timeout

        async def set_item():
            iq = self._xmpp.make_iq_set()
            iq["roster"]["items"] = {jid: {key: value for key, value in attributes.items()
                                           if value is not None}}
            await iq.send(timeout=timeout)
        self._run(set_item(), timeout + 1)

    def _require(self, plugin):
        if plugin not in self._plugins:
            raise ValueError(f"create the client with plugins=({plugin!r}, ...)")
        return self._xmpp[plugin]

    def ping(self, jid=None, timeout=None):
        """XEP-0199 ping of `jid` (default: our server); returns the round trip in seconds."""
        timeout = self.timeout if timeout is None else timeout
        self._require("xep_0199")
        target = jid or self._xmpp.boundjid.domain
        return self.call(lambda xmpp: xmpp["xep_0199"].ping(jid=target, timeout=timeout),
                         timeout + 1)

    def disco_info(self, jid=None, node=None, timeout=None):
        """XEP-0030 disco#info of `jid` (default: our server)."""
        timeout = self.timeout if timeout is None else timeout
        self._require("xep_0030")
        target = jid or self._xmpp.boundjid.domain
        # cached=False: a test wants what the server says now, not slixmpp's memory.
        iq = self.call(lambda xmpp: xmpp["xep_0030"].get_info(
            jid=target, node=node, cached=False, timeout=timeout), timeout + 1)
        info = iq["disco_info"]
        return DiscoInfo(
            identities=frozenset((category, type_, name or "")
                                 for category, type_, _lang, name in info["identities"]),
            features=frozenset(info["features"]))

    def enable_carbons(self, timeout=None):
        """XEP-0280: from now on, copies of our other resources' chats arrive here."""
        timeout = self.timeout if timeout is None else timeout
        self._require("xep_0280")
        self.call(lambda xmpp: xmpp["xep_0280"].enable(timeout=timeout), timeout + 1)

    def disable_carbons(self, timeout=None):
        timeout = self.timeout if timeout is None else timeout
        self._require("xep_0280")
        self.call(lambda xmpp: xmpp["xep_0280"].disable(timeout=timeout), timeout + 1)

    def mam_query(self, with_jid=None, max_results=100, timeout=None, archive=None):
        """XEP-0313 query of our own archive, or of `archive` (a room's JID), oldest first;
        each Message's delay is the archive's timestamp."""
        timeout = self.timeout if timeout is None else timeout
        plugin = self._require("xep_0313")

        async def query():
            iq = await plugin.retrieve(jid=slixmpp.JID(archive) if archive else None,
                                       with_jid=slixmpp.JID(with_jid) if with_jid else None,
                                       rsm={"max": max_results}, timeout=timeout)
            found = []
            for result in iq["mam"]["results"]:
                forwarded = result.xml.find(f"{{{NS_MAM}}}result/{{{NS_FORWARD}}}forwarded")
                inner = forwarded.find(f"{{{NS_CLIENT}}}message") if forwarded is not None \
                    else None
                if inner is not None:
                    found.append(to_message(inner, delay_from=forwarded))
            return found
        return self._run(query(), timeout + 1)

    def join_muc(self, room, nick, password=None, timeout=None):
        """XEP-0045: joins `room` as `nick` (giving `password`) without history and returns
        our own presence in it (with the status codes in its xml)."""
        timeout = self.timeout if timeout is None else timeout
        self._require("xep_0045")
        self.call(lambda xmpp: xmpp["xep_0045"].join_muc_wait(
            slixmpp.JID(room), nick, password=password, maxstanzas=0, timeout=timeout),
            timeout + 1)
        return self.wait_for_presence(
            room, lambda presence: presence.from_jid == f"{room}/{nick}", timeout)

    # --- leaving ------------------------------------------------------------------------

    def disconnect(self, timeout=None):
        """Closes the stream politely (</stream:stream>) and waits for the TCP close."""
        timeout = self.timeout if timeout is None else timeout

        async def leave():
            if self._xmpp.transport is None:
                return
            await asyncio.wait_for(self._xmpp.disconnect(wait=timeout), timeout)

        try:
            self._run(leave(), timeout + 1)
        except (XmppTimeout, asyncio.TimeoutError):
            self.call(lambda xmpp: xmpp.abort())

    def cut_connection(self, reset=False):
        """Drops the TCP connection with no </stream:stream> and no TLS close_notify, as a
        phone losing its network does. `reset=True` sends a RST instead of a FIN."""
        def cut(xmpp):
            transport = xmpp.transport
            if transport is None:
                return
            sock = transport.get_extra_info("socket")
            if reset and sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # Keep slixmpp from treating the loss as the end of the session, so a later
            # connect() can resume it (XEP-0198).
            xmpp.end_session_on_disconnect = False
            transport.abort()
        self.call(cut)

    def close(self):
        """Disconnects if needed and stops the loop thread; safe to call twice."""
        if not self._thread.is_alive():
            return
        try:
            if self.is_connected:
                self.disconnect(timeout=2)
        except XmppError:
            pass
        finally:
            async def cancel_all():
                self._xmpp.cancel_connection_attempt()
                self._xmpp.abort()
                tasks = [task for task in asyncio.all_tasks()
                         if task is not asyncio.current_task()]
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            try:
                self._run(cancel_all(), 5)
            except XmppError:
                pass
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(5)
            if not self._thread.is_alive():
                self._loop.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
