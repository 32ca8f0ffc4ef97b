#!/usr/bin/env python3
"""Runs clang-tidy (the checks in .clang-tidy) over every source file in src/ of a build tree.

Usage: scripts/clang_tidy.py BUILD_DIR   (a built tree: it needs compile_commands.json and
ninja's dependency log, so that each file's own headers are known)

A file that passed once is not checked again until it, a project header it includes, its
compile command, .clang-tidy or clang-tidy itself changes: the key of that pass is kept in
~/.cache/starling/clang-tidy. Checking all of src/ costs about a quarter of an hour of CPU,
most of CI's time, while a change touches a handful of files.
"""

import concurrent.futures
import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

CLANG_TIDY = "clang-tidy-16"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "starling" / "clang-tidy"


def project_headers_by_object(build_dir, source_dir):
    """{object path relative to the build dir: [project files it was compiled from]}."""
    listing = subprocess.run(["ninja", "-C", build_dir, "-t", "deps"], check=True,
                             capture_output=True, text=True).stdout
    deps, current = {}, None
    for line in listing.splitlines():
        if line and not line[0].isspace():
            current = line.split(":", 1)[0]
            deps[current] = []
        elif line.strip() and current is not None:
            path = (Path(build_dir) / line.strip()).resolve()
            if path.is_relative_to(source_dir):
                deps[current].append(path)
    return deps


def object_of(command):
    words = shlex.split(command)
    return words[words.index("-o") + 1] if "-o" in words else None


def pass_key(entry, files, fixed, source_dir, build_dir):
    """The same in every clone of the tree: paths count relative to the checkout, so that CI's
    clone in another folder finds what a developer's checkout passed."""
    digest = hashlib.sha256(fixed)
    command = entry["command"].replace(build_dir, "@BUILD@").replace(str(source_dir), "@SOURCE@")
    digest.update(command.encode())
    for path in sorted(set(files)):
        digest.update(str(path.relative_to(source_dir)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/clang_tidy.py BUILD_DIR")
    build_dir = os.path.abspath(sys.argv[1])
    source_dir = Path(__file__).resolve().parent.parent
    src = source_dir / "src"
    entries = [e for e in json.load(open(os.path.join(build_dir, "compile_commands.json")))
               if Path(e["file"]).resolve().is_relative_to(src)]
    headers = project_headers_by_object(build_dir, source_dir)
    version = subprocess.run([CLANG_TIDY, "--version"], check=True, capture_output=True).stdout
    fixed = version + (source_dir / ".clang-tidy").read_bytes()

    # The build tree was configured for g++: tell clang's front end what g++ says differently
    # (c++23 is c++2b to clang 16) and give it the <expected> fix of clang builds.
    extra = ["--extra-arg=-std=c++2b", "--extra-arg=-Wno-unknown-warning-option",
             "--extra-arg=-include",
             f"--extra-arg={source_dir}/cmake/clang_libstdcxx_expected.h"]
    CACHE.mkdir(parents=True, exist_ok=True)
    work = []
    for entry in entries:
        source = Path(entry["file"]).resolve()
        included = headers.get(object_of(entry["command"]))
        # Without a dependency record the headers are unknown: check, and remember nothing.
        key = (pass_key(entry, [source] + included, fixed, source_dir, build_dir)
               if included else None)
        if key is None or not (CACHE / key).exists():
            work.append((source, key))
    print(f"clang-tidy: {len(entries) - len(work)} of {len(entries)} files unchanged since "
          f"they passed; checking {len(work)}", flush=True)

    def check(item):
        source, key = item
        run = subprocess.run([CLANG_TIDY, "-p", build_dir, "--quiet", *extra, str(source)],
                             capture_output=True, text=True)
        if run.returncode == 0 and key is not None:
            (CACHE / key).touch()
        return source, run

    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for source, run in pool.map(check, work):
            if run.returncode != 0:
                failed += 1
                print(f"clang-tidy: {source.relative_to(source_dir)} has findings:\n"
                      f"{run.stdout}{run.stderr}", flush=True)
    print(f"clang-tidy: {failed} of {len(work)} checked files have findings")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
