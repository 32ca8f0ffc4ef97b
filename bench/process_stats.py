"""CPU time and resident memory of a server process (and its children), from /proc."""

import os
import subprocess

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(pid):
    """pid and all its descendants."""
    pids = [pid]
    for child in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split():
        pids.extend(process_tree(int(child)))
    return pids


def cpu_seconds(pid):
    """utime + stime of the process and its descendants."""
    total = 0
    for p in process_tree(pid):
        try:
            with open(f"/proc/{p}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except FileNotFoundError:
            pass
    return total / CLOCK_TICKS


def resident_mib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0
