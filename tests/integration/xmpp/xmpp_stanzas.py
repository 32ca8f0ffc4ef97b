"""What the XMPP test client received, as plain values: the stanzas' fields a test asserts on,
parsed from slixmpp's XML so they never depend on which slixmpp plugins are loaded."""

import datetime
from typing import NamedTuple, Optional

from slixmpp.xmlstream import tostring

NS_CLIENT = "jabber:client"
NS_DELAY = "urn:xmpp:delay"                # XEP-0203
NS_CARBONS = "urn:xmpp:carbons:2"          # XEP-0280
NS_FORWARD = "urn:xmpp:forward:0"          # XEP-0297
NS_MAM = "urn:xmpp:mam:2"                  # XEP-0313
NS_ROSTER = "jabber:iq:roster"             # RFC 6121 §2


class RosterItem(NamedTuple):
    name: str
    subscription: str       # none | to | from | both (RFC 6121 §2.1.2.5)
    groups: tuple
    ask: bool = False       # a subscription request of ours is pending (ask="subscribe")


class Presence(NamedTuple):
    from_jid: str           # full JID as sent by the server
    type: str               # "available" when the stanza has no type attribute
    show: str               # "" for plain available
    status: str
    priority: int
    payload: tuple          # "{ns}tag" of every extension child, e.g. caps, vcard-temp:x:update
    xml: str


class Message(NamedTuple):
    from_jid: str
    to_jid: str
    type: str
    body: Optional[str]
    id: str
    delay: Optional[datetime.datetime]  # XEP-0203 stamp, set on offline and archived messages
    carbon: Optional[str]   # "sent" / "received" for a XEP-0280 copy, else None
    xml: str


class DiscoInfo(NamedTuple):
    identities: frozenset   # of (category, type, name)
    features: frozenset


def bare(jid):
    return str(jid).split("/", 1)[0].lower()


def child_text(element, tag):
    child = element.find(f"{{{NS_CLIENT}}}{tag}")
    return child.text or "" if child is not None else ""


def parse_stamp(stamp):
    # XEP-0082 allows a trailing Z, which fromisoformat accepts from Python 3.11 on.
    return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")) if stamp else None


def to_message(xml, carbon=None, delay_from=None):
    delay = (delay_from if delay_from is not None else xml).find(f"{{{NS_DELAY}}}delay")
    body = xml.find(f"{{{NS_CLIENT}}}body")
    return Message(
        from_jid=xml.get("from", ""), to_jid=xml.get("to", ""), type=xml.get("type", "normal"),
        body=body.text or "" if body is not None else None, id=xml.get("id", ""),
        delay=parse_stamp(delay.get("stamp")) if delay is not None else None,
        carbon=carbon, xml=tostring(xml))


def to_presence(xml):
    known = {f"{{{NS_CLIENT}}}{tag}" for tag in ("show", "status", "priority")}
    try:
        priority = int(child_text(xml, "priority") or 0)
    except ValueError:
        priority = 0
    return Presence(
        from_jid=xml.get("from", ""), type=xml.get("type", "available"),
        show=child_text(xml, "show"), status=child_text(xml, "status"), priority=priority,
        payload=tuple(child.tag for child in xml if child.tag not in known),
        xml=tostring(xml))
