"""Real softphones for integration tests: Debian's baresip 1.0, driven over its ctrl_tcp socket.

Each phone sends a sine tone (module ausine) and records what it receives (module sndfile), all
over G.711 so any relay passes the audio; no sound card is involved. Check the recordings with
tone.py. Typical use:

    alice = BaresipPhone("alice").start(home, tone_hz=1000)
    bob = BaresipPhone("bob").start(other_home, tone_hz=440, auto_answer=True)
    alice.dial(bob.uri)
    alice.wait_for_event("CALL_ESTABLISHED")
    ...
    alice.hangup()
    bob.wait_for_event("CALL_CLOSED")
    assert tone.has_tone(bob.received_wav(), 1000), bob.failure_report()

Things baresip 1.0 does that callers need to know:
- sndfile writes <snd_path>/dump-<local time to the second>-dec.wav (what was received, after
  decoding) and ...-enc.wav (what was sent) per call. Two calls in one second on one phone
  overwrite each other's files.
- The decode recording stops for good at the first re-INVITE that puts the stream on hold
  (any direction but sendrecv): baresip 1.0 then drops the receive filter chain and never
  rebuilds it. For audio after a resume use capture_rtp() (sniffs the phone's RTP ports; root)
  or the packet counters of media_status().
- A phone holding a call sends no RTP at all until it resumes (not even with a=sendonly).
- With auto answer the callee reports no CALL_INCOMING, only CALL_ESTABLISHED.
- In-call commands (hold, resume, audio_debug, sndcode, ...) exist only while a call exists.
- The TLS listener takes the SIP port + 1, so start() picks a SIP port whose neighbour is free.
"""

import atexit
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time

from starling_harness import free_port

BINARY = os.environ.get("BARESIP_BINARY", "baresip")
MODULE_PATH = os.environ.get("BARESIP_MODULE_PATH", "/usr/lib/baresip/modules")

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# Keys that may appear once in baresip's config; extra lines with these keys replace ours.
_REPEATABLE_KEYS = {"module", "module_tmp", "module_app"}
_RTP_RANGE_SIZE = 12  # RTP and RTCP ports for a few calls at once
_running = set()  # phones whose process may still run, killed at interpreter exit


class BaresipError(AssertionError):
    """A phone did not do what the test asked; the message carries its log."""


def _bindable(family, address, port, kind):
    try:
        with socket.socket(family, kind) as probe:
            probe.bind((address, port))
        return True
    except OSError:
        return False


def _free_sip_port(host):
    """A port free for UDP and TCP whose next port is free for TCP too: baresip 1.0 opens its
    TLS listener on the SIP port + 1 whether or not an account uses TLS."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(100):
        port = free_port()
        if port < 65535 and _bindable(family, host, port + 1, socket.SOCK_STREAM):
            return port
    raise RuntimeError("no free SIP port pair for baresip")


def _free_rtp_range(size=_RTP_RANGE_SIZE):
    """(first, last) of `size` consecutive UDP ports free now, first even (RTP even, RTCP odd)."""
    for _ in range(100):
        first = free_port() & ~1
        if all(_bindable(socket.AF_INET, "127.0.0.1", port, socket.SOCK_DGRAM)
               for port in range(first, first + size)):
            return first, first + size - 1
    raise RuntimeError("no free RTP port range for baresip")


def _split_host_port(address):
    """'127.0.0.1:5060' or '[::1]:5060' -> (host, port)."""
    match = re.fullmatch(r"\[([^\]]+)\]:(\d+)|([^:]+):(\d+)", address)
    if not match:
        raise ValueError(f"sip_listen must be HOST:PORT, got {address!r}")
    host = match.group(1) or match.group(3)
    return host, int(match.group(2) or match.group(4))


def _netstring(payload):
    return str(len(payload)).encode() + b":" + payload + b","


# Runs inside a network namespace: carries the control connection from stdin/stdout to
# ctrl_tcp on the namespace's own loopback, which the test process cannot reach.
_RELAY = r"""
import os, socket, sys, threading, time
port, deadline = int(sys.argv[1]), time.monotonic() + float(sys.argv[2])
while True:
    try:
        conn = socket.create_connection(("127.0.0.1", port))
        break
    except OSError:
        if time.monotonic() > deadline:
            sys.exit(1)
        time.sleep(0.05)
def upstream():
    while True:
        data = os.read(0, 65536)
        if not data:
            conn.shutdown(socket.SHUT_WR)
            return
        conn.sendall(data)
threading.Thread(target=upstream, daemon=True).start()
while True:
    data = conn.recv(65536)
    if not data:
        break
    os.write(1, data)
"""


class BaresipPhone:
    """One baresip process with one account, controlled through ctrl_tcp."""

    def __init__(self, name="phone"):
        self.name = name
        self.home = None
        self.process = None
        self.sip_host = None
        self.sip_port = None
        self.ctrl_port = None
        self.account_line = None
        self.netns = None
        self._log = None
        self._relay = None
        self._sock = None
        self._reader = None
        self._lock = threading.Condition()
        self._events = []  # every event received, in order
        self._consumed = set()  # indexes of events a wait_for_event() returned
        self._responses = {}
        self._token = 0
        self._closed = False
        self._protocol_error = None

    # ---- start and stop -------------------------------------------------------------------

    def start(self, home_dir, account_line=None, tone_hz=440, sip_listen="127.0.0.1:0",
              extra_config=(), auto_answer=False, netns=None, net_interface=None, timeout=10):
        """Writes config and accounts into home_dir and starts `baresip -f home_dir`.

        account_line: one line of baresip's accounts file, e.g.
            "<sip:alice@127.0.0.1:5060;transport=udp>;auth_pass=secret;regint=60";
            None gives an account for direct calls without registration
            ("<sip:NAME@HOST:PORT>;regint=0").
        tone_hz: frequency of the sine the phone sends (10..20000).
        sip_listen: HOST:PORT for SIP; port 0 picks a free one.
        extra_config: config lines added (a line whose key is already set replaces it).
        auto_answer: answer incoming calls at once (adds ;answermode=auto to the account).
        netns: run inside this network namespace (`ip netns exec NAME`); its lo must be up.
        net_interface: the address baresip puts in SDP; defaults to the SIP host.
        Returns self.
        """
        if self.process:
            raise RuntimeError(f"{self.name} already started")
        self.home = os.path.abspath(home_dir)
        self.recordings_dir = os.path.join(self.home, "recordings")
        os.makedirs(self.recordings_dir, exist_ok=True)
        self.netns = netns
        host, port = _split_host_port(sip_listen)
        # In a namespace of its own every port is free, and the host may not exist out here.
        self.sip_host = host
        self.sip_port = port or (free_port() if netns else _free_sip_port(host))
        self.ctrl_port = free_port()
        self.rtp_ports = _free_rtp_range()
        if account_line is None:
            account_line = f"<sip:{self.name}@{self._host_in_uri()}:{self.sip_port}>;regint=0"
        if auto_answer and "answermode=" not in account_line:
            account_line += ";answermode=auto"
        self.account_line = account_line
        self._write_config(tone_hz, extra_config, net_interface or host)
        # The account is created over the control connection once it is up (below), so that
        # its first REGISTERING/REGISTER_OK/REGISTER_FAIL events are not lost.
        with open(os.path.join(self.home, "accounts"), "w", encoding="utf-8") as accounts:
            accounts.write("# created with the uanew command\n")

        command = [BINARY, "-f", self.home]
        if netns:
            command = ["ip", "netns", "exec", netns] + command
        self._log = open(os.path.join(self.home, "baresip.log"), "w+", encoding="utf-8")
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, cwd=self.home)
        _running.add(self)
        try:
            self._connect(timeout)
            self.command("uanew", account_line, timeout=timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _host_in_uri(self):
        return f"[{self.sip_host}]" if ":" in self.sip_host else self.sip_host

    def _write_config(self, tone_hz, extra_config, net_interface):
        lines = [
            "poll_method epoll",
            f"sip_listen {self._host_in_uri()}:{self.sip_port}",
            "sip_verify_server no",  # Starling's TLS certificate is self-signed
            # Without this baresip puts the default route's address (not loopback) in SDP.
            f"net_interface {net_interface}",
            # No audio_player: with no player module loaded the decoded audio only goes
            # through the filters, that is into sndfile's recording.
            f"audio_source ausine,{tone_hz}",
            # ausine only produces 48 kHz stereo; baresip resamples to the codec's 8 kHz mono.
            "ausrc_srate 48000",
            "ausrc_channels 2",
            "audio_level no",
            "call_local_timeout 120",
            # A range of its own, so that an RtpCapture knows which packets are this phone's.
            f"rtp_ports {self.rtp_ports[0]}-{self.rtp_ports[1]}",
            "statmode_default off",  # else menu prints a status line every 100 ms
            f"module_path {MODULE_PATH}",
            "module g711.so",
            "module ausine.so",
            "module sndfile.so",
            "module account.so",
            "module_app menu.so",  # the commands: dial, accept, hangup, hold, resume, ...
            "module_app ctrl_tcp.so",
            f"ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}",
            f"snd_path {self.recordings_dir}",
        ]
        for line in extra_config:
            key = line.split(None, 1)[0] if line.strip() else ""
            if key and key not in _REPEATABLE_KEYS:
                lines = [old for old in lines if old.split(None, 1)[0] != key]
            lines.append(line)
        with open(os.path.join(self.home, "config"), "w", encoding="utf-8") as config:
            config.write("\n".join(lines) + "\n")

    def _connect(self, timeout):
        deadline = time.monotonic() + timeout
        if self.netns:
            self._relay = subprocess.Popen(
                ["ip", "netns", "exec", self.netns, sys.executable, "-c", _RELAY,
                 str(self.ctrl_port), str(timeout)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            read = self._relay.stdout.read1
        else:
            while True:
                self._check_alive()
                try:
                    self._sock = socket.create_connection(("127.0.0.1", self.ctrl_port),
                                                          timeout=1)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise BaresipError(f"{self.name}: ctrl_tcp never listened\n"
                                           f"{self.log_tail()}") from None
                    time.sleep(0.05)
            self._sock.settimeout(None)

            def read():
                return self._sock.recv(65536)
        self._reader = threading.Thread(target=self._read_loop, args=(read,), daemon=True,
                                        name=f"baresip-{self.name}")
        self._reader.start()

    def stop(self, timeout=5):
        """Asks baresip to quit, then terminates and kills it if it lingers. Idempotent."""
        if self.process and self.process.poll() is None and not self._closed:
            try:
                self._send({"command": "quit"})
            except OSError:
                pass
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._relay:
            try:
                self._relay.wait(timeout=1)  # it ends by itself when baresip closes the socket
            except subprocess.TimeoutExpired:
                self._relay.kill()
                self._relay.wait()
            for stream in (self._relay.stdin, self._relay.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        if self._sock:
            self._sock.close()
        if self._reader:
            self._reader.join(timeout=2)
        if self._log:
            self._log.close()
        _running.discard(self)
        self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # ---- control connection ---------------------------------------------------------------

    def _read_loop(self, read):
        buffer = b""
        while True:
            try:
                data = read()
            except (OSError, ValueError):
                data = b""
            if not data:
                break
            buffer += data
            try:
                buffer = self._dispatch_netstrings(buffer)
            except ValueError as error:  # not ctrl_tcp's protocol: give up on this connection
                self._protocol_error = f"{error}: {buffer[:200]!r}"
                break
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    def _dispatch_netstrings(self, buffer):
        """Handles every complete "LENGTH:JSON," in buffer; returns the incomplete rest."""
        while True:
            colon = buffer.find(b":")
            if colon < 0:
                return buffer
            length = int(buffer[:colon])
            if len(buffer) < colon + length + 2:
                return buffer
            self._dispatch(json.loads(buffer[colon + 1:colon + 1 + length]))
            buffer = buffer[colon + length + 2:]

    def _dispatch(self, message):
        with self._lock:
            if message.get("response"):
                self._responses[message.get("token")] = message
            elif message.get("event"):
                message["received_at"] = time.monotonic()
                self._events.append(message)
            self._lock.notify_all()

    def _send(self, message):
        payload = _netstring(json.dumps(message).encode())
        if self._relay:
            self._relay.stdin.write(payload)
            self._relay.stdin.flush()
        else:
            self._sock.sendall(payload)

    def _connection_state(self):
        if self._protocol_error:
            return f" (bad message on the control connection: {self._protocol_error})"
        return " (control connection closed)" if self._closed else ""

    def _check_alive(self):
        if self.process.poll() is not None:
            raise BaresipError(f"{self.name}: baresip exited with {self.process.returncode}\n"
                               f"{self.log_tail()}")

    def command(self, command, params=None, timeout=5):
        """Runs one baresip command (as typed after '/' in its console) and returns its text
        output. Raises BaresipError if baresip reports failure or does not answer."""
        with self._lock:
            self._token += 1
            token = f"t{self._token}"
        message = {"command": command, "token": token}
        if params is not None:
            message["params"] = str(params)
        self._send(message)
        deadline = time.monotonic() + timeout
        with self._lock:
            while token not in self._responses:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    raise BaresipError(f"{self.name}: no answer to {command!r}"
                                       f"{self._connection_state()}\n{self.log_tail()}")
                self._lock.wait(min(remaining, 0.2))
            response = self._responses.pop(token)
        if not response.get("ok"):
            raise BaresipError(f"{self.name}: {command} {params or ''} failed: "
                               f"{response.get('data')}\n{self.log_tail()}")
        return response.get("data", "")

    # ---- calls ----------------------------------------------------------------------------

    @property
    def uri(self):
        """The SIP URI that reaches this phone directly (no server in between)."""
        user = re.match(r"\s*<?sips?:([^@>;]+)@", self.account_line)
        return f"sip:{user.group(1) if user else self.name}@{self._host_in_uri()}:{self.sip_port}"

    @property
    def aor(self):
        """The account's address of record as baresip reports it in events."""
        match = re.match(r"\s*<?(sips?:[^;>]+)", self.account_line)
        return match.group(1) if match else None

    def dial(self, uri):
        """Starts an outgoing call; follow with wait_for_event("CALL_ESTABLISHED")."""
        return self.command("dial", uri)

    def answer(self):
        """Answers the current incoming call (baresip's 'accept')."""
        return self.command("accept")

    def hangup(self):
        """Ends the current call (or rejects/cancels it while it rings)."""
        return self.command("hangup")

    def hold(self):
        """Puts the current call on hold (re-INVITE with a=sendonly)."""
        return self.command("hold")

    def resume(self):
        """Takes the current call off hold (re-INVITE with a=sendrecv)."""
        return self.command("resume")

    def set_auto_answer(self, enabled=True):
        return self.command("answermode", "auto" if enabled else "manual")

    def set_tone(self, hz):
        """Switches the sent tone during a call (restarts the audio source)."""
        return self.command("ausrc", f"ausine,{hz}")

    def send_dtmf(self, digits):
        """Sends DTMF digits as RFC 4733 telephone-events on the current call."""
        for digit in digits:
            self.command("sndcode", digit)

    def select_call(self, call_id):
        """Makes the call with this id (an event's "id") the current one, which answer, hold,
        resume and hangup act on."""
        return self.command("callfind", call_id)

    def list_calls(self):
        return self.command("listcalls")

    # ---- events ---------------------------------------------------------------------------

    def events(self, event_type=None):
        """Every event received so far (dicts as ctrl_tcp sends them: type, class,
        accountaor, direction, peeruri, id, param), optionally of one type."""
        with self._lock:
            return [e for e in self._events if event_type is None or e.get("type") == event_type]

    def saw_event(self, event_type):
        return bool(self.events(event_type))

    def wait_for_event(self, event_type, timeout=10, call_id=None):
        """Returns the oldest event of this type that no earlier wait_for_event returned,
        waiting up to timeout seconds for it. Event types in baresip 1.0 include CALL_INCOMING,
        CALL_RINGING (outgoing call got 180), CALL_PROGRESS (183), CALL_ESTABLISHED,
        CALL_RTPESTAB (first RTP received), CALL_CLOSED (param: the reason), CALL_LOCAL_SDP,
        CALL_REMOTE_SDP (param offer/answer, also on re-INVITEs), CALL_RTCP, REGISTERING,
        REGISTER_OK, REGISTER_FAIL, UNREGISTERING, SHUTDOWN, EXIT."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for index, event in enumerate(self._events):
                    if (index not in self._consumed and event.get("type") == event_type
                            and (call_id is None or event.get("id") == call_id)):
                        self._consumed.add(index)
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    break
                self._lock.wait(min(remaining, 0.2))
        seen = ", ".join(f"{e.get('type')}({e.get('param', '')})" for e in self.events())
        raise BaresipError(f"{self.name}: no {event_type} within {timeout}s; events: {seen}\n"
                           f"{self.log_tail()}")

    # ---- registration ---------------------------------------------------------------------

    def registered(self):
        """True if the account is registered right now (from the 'reginfo' command: events
        sent before the control connection was up are lost)."""
        info = _ANSI_ESCAPE.sub("", self.command("reginfo"))
        return bool(re.search(r"\bOK\b", info)) and "ERR" not in info

    def wait_registered(self, timeout=10):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.registered():
                return
            time.sleep(0.1)
        raise BaresipError(f"{self.name}: not registered within {timeout}s: "
                           f"{self.command('reginfo')}\n{self.log_tail()}")

    # ---- media ----------------------------------------------------------------------------

    def media_status(self):
        """The current call's audio stream from 'audio_debug': direction (sendrecv, sendonly,
        recvonly, inactive), rtp_packets_received / rtp_packets_sent (RTCP session counters),
        rx_seconds (span of received RTP timestamps), tx_seconds, local and remote RTP
        addresses, and whether sndfile still records the received audio. None without a call."""
        try:
            text = self.command("audio_debug")
        except BaresipError as error:
            if "command not found" in str(error):  # in-call commands exist only during calls
                return None
            raise
        if "Audio stream" not in text:
            return None

        def find(pattern, convert=str, default=None):
            match = re.search(pattern, text)
            return convert(match.group(1)) if match else default

        times = re.findall(r"time = ([0-9.]+) sec", text)
        return {
            "direction": find(r"audio dir=(\w+)"),
            "rtp_packets_received": sum(int(n) for n in re.findall(r"rcvd=(\d+)", text)),
            "rtp_packets_sent": find(r"TX: packets=(\d+)", int, 0),
            "tx_seconds": float(times[0]) if times else 0.0,
            "rx_seconds": float(times[1]) if len(times) > 1 else 0.0,
            "local": find(r"local: (\S+),"),
            "remote": find(r"remote: ([^/\s]+)"),
            "recording_received": bool(re.search(r"rx pipeline:.*sndfile", text)),
            "text": text,
        }

    def wait_for_media(self, min_packets=25, timeout=5):
        """Waits until at least min_packets more RTP packets have arrived than now (25 = 0.5 s
        of 20 ms packets); returns the final media_status()."""
        start = (self.media_status() or {}).get("rtp_packets_received", 0)
        deadline = time.monotonic() + timeout
        while True:
            status = self.media_status()
            if status and status["rtp_packets_received"] - start >= min_packets:
                return status
            if time.monotonic() > deadline:
                raise BaresipError(f"{self.name}: fewer than {min_packets} RTP packets in "
                                   f"{timeout}s: {status and status['text']}\n{self.log_tail()}")
            time.sleep(0.1)

    def capture_rtp(self, path=None):
        """Starts an RtpCapture of the audio this phone receives; call .stop() for the WAV."""
        return RtpCapture(self, path)

    def recordings(self, kind="dec"):
        """sndfile's recordings, oldest first: kind 'dec' = audio received (decoded), 'enc' =
        audio sent."""
        names = [n for n in os.listdir(self.recordings_dir) if n.endswith(f"-{kind}.wav")]
        paths = [os.path.join(self.recordings_dir, n) for n in names]
        return sorted(paths, key=lambda p: (os.path.getmtime(p), p))

    def received_wav(self):
        """The newest recording of received audio. Complete once the call ended (or went on
        hold); readable earlier with tone.read_wav, which copes with the unfinished header."""
        paths = self.recordings("dec")
        if not paths:
            raise BaresipError(f"{self.name}: no received-audio recording in "
                               f"{self.recordings_dir}\n{self.log_tail()}")
        return paths[-1]

    def sent_wav(self):
        paths = self.recordings("enc")
        if not paths:
            raise BaresipError(f"{self.name}: no sent-audio recording\n{self.log_tail()}")
        return paths[-1]

    # ---- diagnostics ----------------------------------------------------------------------

    def log_text(self):
        """baresip's output so far, without colour codes."""
        try:
            path = os.path.join(self.home, "baresip.log")
            with open(path, encoding="utf-8", errors="replace") as log:
                return _ANSI_ESCAPE.sub("", log.read())
        except (OSError, TypeError):
            return ""

    def log_tail(self, lines=40):
        text = self.log_text().splitlines()[-lines:]
        return f"--- {self.name} baresip log (last {len(text)} lines) ---\n" + "\n".join(text)

    def failure_report(self):
        """Events and log for an assertion message."""
        events = ", ".join(f"{e.get('type')}({e.get('param', '')})" for e in self.events())
        return f"{self.name} events: {events}\n{self.log_tail()}"


class RtpCapture:
    """Records the G.711 RTP a phone receives by sniffing its RTP ports (a packet socket, so
    CAP_NET_RAW: root). Unlike sndfile's recording it survives hold/resume, and it is laid out
    by arrival time: a hold shows as silence where it happened. Start before the media flows,
    stop() writes a 8 kHz mono WAV and returns its path. All of the phone's calls go into the
    one file: capture one call at a time."""

    def __init__(self, phone, path=None):
        name = f"capture-{time.strftime('%H%M%S')}-{os.urandom(2).hex()}.wav"
        self.path = path or os.path.join(phone.recordings_dir, name)
        command = [sys.executable, os.path.abspath(__file__), "capture", self.path,
                   str(phone.rtp_ports[0]), str(phone.rtp_ports[1])]
        if phone.netns:
            command = ["ip", "netns", "exec", phone.netns] + command
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        ready = self.process.stdout.readline()
        if ready.strip() != "ready":
            self.process.wait()
            raise BaresipError(f"RTP capture failed to start: {ready}{self.process.stdout.read()}")

    def stop(self, timeout=5):
        """Stops capturing and returns the WAV's path."""
        if self.process.poll() is None:
            self.process.terminate()
        output = self.process.communicate(timeout=timeout)[0]
        if self.process.returncode != 0 or not os.path.exists(self.path):
            raise BaresipError(f"RTP capture failed: {output}")
        return self.path


def _ulaw_to_linear(byte):
    byte = ~byte & 0xFF
    magnitude = ((((byte & 0x0F) << 3) + 0x84) << ((byte >> 4) & 7)) - 0x84
    return -magnitude if byte & 0x80 else magnitude


def _alaw_to_linear(byte):
    byte ^= 0x55
    exponent, mantissa = (byte >> 4) & 7, byte & 0x0F
    if exponent == 0:
        magnitude = (mantissa << 4) + 8
    else:
        magnitude = ((mantissa << 4) + 0x108) << (exponent - 1)
    return magnitude if byte & 0x80 else -magnitude


def _capture_main(path, first_port, last_port):
    """The RtpCapture process: sniffs UDP to first_port..last_port on every interface until
    SIGTERM, then writes what PCMU/PCMA packets carried, placed by arrival time."""
    import signal
    import struct
    import wave

    tables = {0: [_ulaw_to_linear(b) for b in range(256)],
              8: [_alaw_to_linear(b) for b in range(256)]}
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    sniffer = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.ntohs(0x0003))
    sniffer.settimeout(0.1)
    print("ready", flush=True)
    start, frames = None, []  # (offset in samples, samples)
    while not stopping:
        try:
            packet, address = sniffer.recvfrom(65535)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        if address[2] == socket.PACKET_OUTGOING:  # loopback shows each packet twice
            continue
        now = time.monotonic()
        ethertype = struct.unpack("!H", packet[12:14])[0]
        if ethertype == 0x0800 and packet[23] == 17:
            udp = 14 + (packet[14] & 0x0F) * 4
        elif ethertype == 0x86DD and packet[20] == 17:
            udp = 14 + 40
        else:
            continue
        if not first_port <= struct.unpack("!H", packet[udp + 2:udp + 4])[0] <= last_port:
            continue
        rtp = packet[udp + 8:]
        if len(rtp) < 12 or rtp[0] >> 6 != 2 or (rtp[1] & 0x7F) not in tables:
            continue
        header = 12 + 4 * (rtp[0] & 0x0F)
        if rtp[0] & 0x10 and len(rtp) >= header + 4:  # header extension
            header += 4 + 4 * struct.unpack("!H", rtp[header + 2:header + 4])[0]
        payload = rtp[header:len(rtp) - (rtp[-1] if rtp[0] & 0x20 else 0)]
        if start is None:
            start = now - len(payload) / 8000
        table = tables[rtp[1] & 0x7F]
        # The packet's last sample arrived now: place it so, at 8000 samples per second.
        offset = max(0, int((now - start) * 8000) - len(payload))
        frames.append((offset, [table[b] for b in payload]))
    placed, end = [], 0
    for offset, samples in frames:
        # A packet a little early or late (scheduling) continues the stream; a longer pause
        # (hold) stays a gap of silence.
        if abs(offset - end) < 400:
            offset = end
        placed.append((offset, samples))
        end = offset + len(samples)
    pcm = [0] * max((offset + len(samples) for offset, samples in placed), default=0)
    for offset, samples in placed:
        pcm[offset:offset + len(samples)] = samples
    with wave.open(path, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(struct.pack(f"<{len(pcm)}h", *pcm))


@atexit.register
def _kill_leftovers():
    for phone in list(_running):
        if phone.process and phone.process.poll() is None:
            phone.process.kill()
            phone.process.wait()
        if phone._relay and phone._relay.poll() is None:
            phone._relay.kill()


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "capture":
    _capture_main(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
