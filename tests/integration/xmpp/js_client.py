"""Runs js/chat.mjs, an @xmpp/client login-send-receive script, as a second XMPP client that
shares no code with slixmpp, and reads its JSON-line events."""

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time

NODE = os.environ.get("STARLING_NODE", "node")
_HERE = os.path.dirname(os.path.abspath(__file__))
CHAT_SCRIPT = os.path.join(_HERE, "js", "chat.mjs")


def node_modules_dir():
    """The build installs js/package-lock.json with `npm ci` into its own tree and names the
    result in STARLING_XMPP_NODE_MODULES; a developer's `npm ci` in js/ works too."""
    configured = os.environ.get("STARLING_XMPP_NODE_MODULES")
    candidates = [configured] if configured else [os.path.join(_HERE, "js", "node_modules")]
    for path in candidates:
        if os.path.isdir(os.path.join(path, "@xmpp", "client")):
            return path
    raise RuntimeError(f"@xmpp/client not found in {candidates}: set STARLING_XMPP_NODE_MODULES "
                       "or run `npm ci` in tests/integration/xmpp/js")


class JsChat:
    """One run of chat.mjs. `start()`, then `wait_for_event("online")` etc., then `wait()`.

    ES module imports ignore NODE_PATH, so the script runs from a temp dir holding a copy of
    it and a `node_modules` symlink to the installed packages."""

    def __init__(self, service, domain, username, password, *, resource=None, send_to=None,
                 body=None, expect_from=None, ca_file=None, insecure=False, timeout=10.0):
        if not ca_file and not insecure:
            raise ValueError("pass ca_file=... to verify the server's cert, or insecure=True")
        self.timeout = timeout
        self._request = {key: value for key, value in {
            "service": service, "domain": domain, "username": username,
            "password": password, "resource": resource, "sendTo": send_to, "body": body,
            "expectFrom": expect_from, "timeout": timeout}.items() if value is not None}
        self._env = dict(os.environ)
        if ca_file:
            self._env["NODE_EXTRA_CA_CERTS"] = ca_file
        else:
            self._env["NODE_TLS_REJECT_UNAUTHORIZED"] = "0"
            self._env["NODE_NO_WARNINGS"] = "1"  # the warning about the line above
        self._dir = None
        self._process = None
        self._reader = None
        self._events = []
        self._changed = threading.Condition()

    def start(self):
        modules = node_modules_dir()
        self._dir = tempfile.mkdtemp(prefix="starling-xmpp-js-")
        shutil.copy(CHAT_SCRIPT, self._dir)
        os.symlink(modules, os.path.join(self._dir, "node_modules"))
        self._stderr = open(os.path.join(self._dir, "stderr.log"), "w+", encoding="utf-8")
        self._process = subprocess.Popen(
            [NODE, os.path.join(self._dir, "chat.mjs"), "--stdin"], cwd=self._dir,
            env=self._env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            text=True)
        self._process.stdin.write(json.dumps(self._request))
        self._process.stdin.close()
        self._reader = threading.Thread(target=self._read, daemon=True, name="chat.mjs reader")
        self._reader.start()
        return self

    def _read(self):
        for line in self._process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                event = {"event": "unparsed", "line": line.rstrip("\n")}
            with self._changed:
                self._events.append(event)
                self._changed.notify_all()

    @property
    def events(self):
        with self._changed:
            return list(self._events)

    def stderr(self):
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()

    def wait_for_event(self, name, where=lambda event: True, timeout=None):
        """The first event called `name` for which `where` holds; raises with the script's
        output if it reported an error, exited or timed out first."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self._events:
                    if event.get("event") == name and where(event):
                        return event
                    if event.get("event") == "error":
                        raise RuntimeError(f"chat.mjs failed: {event}\n{self.stderr()}")
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self._process.poll() is not None
                                      and not self._reader.is_alive()):
                    raise TimeoutError(f"chat.mjs: no {name!r} event within {timeout}s; "
                                       f"events {self._events}\n{self.stderr()}")
                self._changed.wait(min(remaining, 0.2))

    def wait(self, timeout=None):
        """Waits for the script to exit and returns its exit code (killing it on timeout)."""
        timeout = self.timeout if timeout is None else timeout
        try:
            code = self._process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=5)
            raise TimeoutError(f"chat.mjs still running after {timeout}s; events "
                               f"{self.events}\n{self.stderr()}") from None
        self._reader.join(5)
        return code

    def close(self):
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=5)
        if self._reader is not None:
            self._reader.join(5)
            self._process.stdout.close()
        if self._dir is not None:
            self._stderr.close()
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()
