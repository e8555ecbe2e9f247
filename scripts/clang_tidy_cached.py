#!/usr/bin/env python3
"""Runs clang-tidy over the compile database's files that match a regex, in parallel, and skips a
file whose exact input was analysed clean before (scripts/clang-tidy calls it).

The key of a clean result is a hash of everything clang-tidy reads: the translation unit with its
includes inlined but comments and macros kept (clang -E -frewrite-includes, so a NOLINT or a header
counts), the compile flags, every .clang-tidy and clang-tidy's version; the checkout's path is left
out so that a fresh clone elsewhere finds the same keys. Only a clean result is kept, so the cache
can skip work but never a finding: any change to the input is a new key and a new analysis.

Usage: clang_tidy_cached.py -p BUILD -j JOBS --clang-tidy BIN [--cache DIR] REGEX...
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shlex
import subprocess
import sys


def compile_args(entry):
    args = entry["arguments"] if "arguments" in entry else shlex.split(entry["command"])
    out, skip = [], False
    for a in args:
        if skip:
            skip = False
        elif a == "-o":
            skip = True
        elif a != "-c" and not a.startswith("-o"):
            out.append(a)
    return out


def cache_key(entry, root, salt):
    """The hash of the file's rewritten source and flags, or None if clang cannot read it."""
    args = compile_args(entry)
    rewritten = subprocess.run(args + ["-E", "-frewrite-includes", "-o", "-"], cwd=entry["directory"],
                               capture_output=True, check=False)
    if rewritten.returncode != 0:
        return None
    h = hashlib.sha256(salt)
    h.update(" ".join(args).replace(root, "@ROOT@").encode())
    h.update(rewritten.stdout.replace(root.encode(), b"@ROOT@"))
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-p", dest="build", required=True)
    ap.add_argument("-j", dest="jobs", type=int, default=2)
    ap.add_argument("--clang-tidy", dest="tidy", required=True)
    ap.add_argument("--cache", default="")
    ap.add_argument("regex", nargs="+")
    opts = ap.parse_args()

    root = os.getcwd()
    with open(os.path.join(opts.build, "compile_commands.json"), encoding="utf-8") as f:
        entries = [e for e in json.load(f) if any(re.search(r, e["file"]) for r in opts.regex)]
    version = subprocess.run([opts.tidy, "--version"], capture_output=True, check=True).stdout
    salt = version
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".git", "build")))
        if ".clang-tidy" in filenames:
            with open(os.path.join(dirpath, ".clang-tidy"), "rb") as f:
                salt += os.path.relpath(dirpath, root).encode() + f.read()
    if opts.cache:
        os.makedirs(opts.cache, exist_ok=True)

    def analyse(entry):
        key = cache_key(entry, root, salt) if opts.cache else None
        stamp = os.path.join(opts.cache, key) if key else None
        if stamp and os.path.exists(stamp):
            return entry["file"], 0, "", True
        run = subprocess.run([opts.tidy, "-p", opts.build, "-quiet", entry["file"]],
                             capture_output=True, text=True, check=False)
        output = run.stdout + run.stderr
        clean = run.returncode == 0 and not re.search(r": (warning|error): ", output)
        if stamp and clean:
            with open(stamp, "w", encoding="utf-8") as f:
                f.write(os.path.relpath(entry["file"], root) + "\n")
        return entry["file"], run.returncode, output, False

    failed = cached = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        for file, status, output, from_cache in pool.map(analyse, entries):
            cached += from_cache
            if output:
                print(f"clang-tidy {file}\n{output}", flush=True)
            if status != 0:
                failed += 1
    print(f"clang-tidy: {len(entries)} files, {cached} clean in the cache, "
          f"{len(entries) - cached} analysed, {failed} with findings or errors", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
