"""kill -9 during a burst of `user add` loses no acknowledged user and leaves a usable database."""

import os
import random
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
        self.kills = 0
        self.lock = threading.Lock()

    def tearDown(self):
        self.starling.close()

    def writer(self, number, deadline):
        # Half of the adds are killed at a random moment of their life, whatever that moment
        # holds (start-up, the migration, the password hash, the commit); the others run to the
        # end. Deciding per add, not by a timer, keeps both kinds whatever the machine's load.
        randomness = random.Random(4475 + number)
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
            if randomness.random() < 0.5:
                time.sleep(randomness.uniform(0.0, 0.4))
                if process.poll() is None:
                    process.kill()
                    with self.lock:
                        self.kills += 1
            stdout, _ = process.communicate()
            # Acknowledged: the command said so and exited 0.
            if process.returncode == 0 and f"Added user {name}" in stdout:
                with self.lock:
                    self.acknowledged.append(name)

    def test_acknowledged_users_survive_kill_9(self):
        deadline = time.monotonic() + BURST_SECONDS_LIMIT
        writers = [threading.Thread(target=self.writer, args=(n, deadline)) for n in range(WRITERS)]
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()

        self.assertGreater(self.kills, 0, "the test killed nothing")
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
        print(f"{self.kills} processes killed, {len(self.acknowledged)} users acknowledged, none lost")


if __name__ == "__main__":
    unittest.main()
