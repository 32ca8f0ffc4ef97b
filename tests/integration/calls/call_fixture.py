"""A Starling with users and devices, and baresip phones registered to it, for call tests."""

import os
import unittest

from baresip_phone import BaresipPhone
from starling_harness import Starling

PASSWORD = "call-secret-123"


class CallTestCase(unittest.TestCase):
    """Starts Starling with the users in USERS (name -> extension) and one device each."""

    USERS = {"alice": "1001", "bob": "1002"}
    # Further devices (name -> user), added before Starling starts so that it knows them
    # from the first REGISTER.
    EXTRA_DEVICES = {}
    SIP_CONFIG = ""
    XMPP_CONFIG = ""
    EXTRA_CONFIG = ""

    def setUp(self):
        self.starling = Starling(sip_config=self.SIP_CONFIG, xmpp_config=self.XMPP_CONFIG,
                                 extra_config=self.EXTRA_CONFIG)
        for name, extension in self.USERS.items():
            self.assertEqual(self.starling.run("user", "add", name, "--ext", extension).returncode, 0)
            self.add_device(name, name)
        for device, user in self.EXTRA_DEVICES.items():
            self.add_device(user, device)
        self.starling.start()
        self.starling.wait_for_log("listening on udp")
        self.phones = []

    def tearDown(self):
        for phone in self.phones:
            phone.stop()
        self.starling.close()

    def add_device(self, user, device):
        added = self.starling.run("device", "add", user, "--name", device, "--password-stdin",
                                  stdin=PASSWORD + "\n")
        self.assertEqual(added.returncode, 0, added.stderr)

    def phone(self, device, tone_hz, transport="udp", auto_answer=False):
        """A baresip registered as `device`, sending a sine of tone_hz."""
        port = self.starling.ports["sip_tls" if transport == "tls" else "sip"]
        home = os.path.join(self.starling.directory, f"phone-{device}-{len(self.phones)}")
        phone = BaresipPhone(device)
        self.phones.append(phone)
        phone.start(home, tone_hz=tone_hz, auto_answer=auto_answer,
                    account_line=f"<sip:{device}@127.0.0.1:{port};transport={transport}>;"
                                 f"auth_pass={PASSWORD};regint=600")
        phone.wait_registered()
        return phone

    def dial_uri(self, number, transport="udp"):
        """baresip adds ;transport= of the account itself."""
        port = self.starling.ports["sip_tls" if transport == "tls" else "sip"]
        return f"sip:{number}@127.0.0.1:{port}"

    def report(self, *phones):
        """What to print when a call test fails: Starling's log and the phones' logs."""
        parts = [self.starling.server_output()[1][-3000:]]
        parts += [phone.failure_report() for phone in phones]
        return "\n".join(parts)
