"""kill -9 during a burst of `user add` loses no acknowledged user and leaves a usable database."""

import os
import random
import signal
import sqlite3
import subprocess
import threading
import time
import unittest

from starling_harness import Starling

WRITERS = 3
ADDS_PER_WRITER = 25
BURST_SECONDS_LIMIT = 120


class CrashDurability(unittest.TestCase):
    def setUp(self):
        self.starling = Starling()
        self.acknowledged = []
        self.in_flight = {}
        self.lock = threading.Lock()

    def tearDown(self):
        self.starling.close()

    def writer(self, number, deadline):
        for index in range(ADDS_PER_WRITER):
            if time.monotonic() > deadline:
                return
            name = f"w{number}u{index}"
            process = subprocess.Popen(
                self.starling.command("user", "add", name),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=self.starling.directory,
            )
            with self.lock:
                self.in_flight[name] = process
            stdout, _ = process.communicate()
            with self.lock:
                del self.in_flight[name]
                # Acknowledged: the command said so and exited 0.
                if process.returncode == 0 and f"Added user {name}" in stdout:
                    self.acknowledged.append(name)

    def test_acknowledged_users_survive_kill_9(self):
        deadline = time.monotonic() + BURST_SECONDS_LIMIT
        writers = [threading.Thread(target=self.writer, args=(n, deadline)) for n in range(WRITERS)]
        for thread in writers:
            thread.start()
        kills = 0
        randomness = random.Random(4475)
        while any(thread.is_alive() for thread in writers):
            time.sleep(randomness.uniform(0.02, 0.15))
            with self.lock:
                victims = list(self.in_flight.values())
            if victims:
                victim = randomness.choice(victims)
                try:
                    os.kill(victim.pid, signal.SIGKILL)
                    kills += 1
                except ProcessLookupError:
                    pass
        for thread in writers:
            thread.join()

        self.assertGreater(kills, 0, "the test killed nothing")
        self.assertGreater(len(self.acknowledged), 0)

        listing = self.starling.run("user", "list")
        self.assertEqual(listing.returncode, 0, listing.stderr)
        listed = {line.split()[0] for line in listing.stdout.splitlines()[1:]}
        missing = set(self.acknowledged) - listed
        self.assertFalse(missing, f"acknowledged users lost after kill -9: {sorted(missing)}")

        database = sqlite3.connect(os.path.join(self.starling.directory, "var", "starling.db"))
        self.assertEqual(database.execute("PRAGMA integrity_check").fetchone()[0], "ok")
        database.close()

        after = self.starling.run("user", "add", "after-the-crash")
        self.assertEqual(after.returncode, 0, after.stderr)
        print(f"{kills} processes killed, {len(self.acknowledged)} users acknowledged, none lost")


if __name__ == "__main__":
    unittest.main()
