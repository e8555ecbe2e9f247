#!/usr/bin/env python3
"""Runs a Dockerfile's stages in Debian roots under chroot, for machines without a container engine.

Usage: dockerfile_in_root.py --dockerfile F --context DIR --base-root DIR --work DIR [--keep]

Each FROM starts a fresh copy of --base-root (a debootstrap root of the same Debian release: the
image names must be debian:<release>[-slim]). WORKDIR, ENV, COPY (from the context, with
.dockerignore, or --from an earlier stage) and RUN (shell form, run with /bin/sh -c inside the
root as root) are carried out; LABEL, EXPOSE, USER, ENTRYPOINT and CMD only describe the image
and are checked for form. Anything else is an error, so a new instruction cannot be skipped
silently. The instructions are read from the Dockerfile itself, so what CI runs cannot drift from
what `docker build` would run.
"""

import argparse
import fnmatch
import os
import re
import shlex
import shutil
import subprocess
import sys
import time

DESCRIPTIVE = {"LABEL", "EXPOSE", "USER", "ENTRYPOINT", "CMD", "ARG"}


def fail(msg):
    print(f"dockerfile_in_root: {msg}", file=sys.stderr)
    sys.exit(1)


def instructions(path):
    """(line number, instruction, arguments), continuation lines joined, comments dropped."""
    out, buf, start = [], "", 0
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if not buf and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if buf and line.lstrip().startswith("#"):
                continue  # a comment inside a continued instruction
            if not buf:
                start = n
            if line.endswith("\\"):
                buf += line[:-1] + " "
                continue
            buf += line
            word, _, rest = buf.strip().partition(" ")
            out.append((start, word.upper(), rest.strip()))
            buf = ""
    if buf:
        fail(f"{path}:{start}: instruction continues past the end of the file")
    return out


def ignore_patterns(context):
    path = os.path.join(context, ".dockerignore")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [l.strip().rstrip("/") for l in f if l.strip() and not l.startswith("#")]


def ignored(rel, patterns):
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel.split("/")[0], p) for p in patterns)


def copy_from_context(context, srcs, dest, patterns):
    for src in srcs:
        full = os.path.normpath(os.path.join(context, src))
        if not os.path.exists(full):
            fail(f"COPY {src}: not in the build context {context}")
        if os.path.isdir(full):
            for entry in sorted(os.listdir(full)):
                rel = os.path.relpath(os.path.join(full, entry), context)
                if ignored(rel, patterns):
                    continue
                target = os.path.join(dest, entry)
                if os.path.isdir(os.path.join(full, entry)):
                    shutil.copytree(os.path.join(full, entry), target, symlinks=True,
                                    dirs_exist_ok=True)
                else:
                    shutil.copy2(os.path.join(full, entry), target)
        else:
            if ignored(os.path.relpath(full, context), patterns):
                fail(f"COPY {src}: excluded by .dockerignore")
            shutil.copy2(full, dest if dest.endswith("/") else dest)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dockerfile", required=True)
    ap.add_argument("--context", required=True)
    ap.add_argument("--base-root", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--mount", default="", help="command that mounts proc and dev into a root (the root is appended)")
    ap.add_argument("--unmount", default="", help="command that unmounts them again (the root is appended)")
    args = ap.parse_args()

    patterns = ignore_patterns(args.context)
    stages = {}  # name or index -> root
    root = None
    workdir = "/"
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
           "HOME": "/root", "DEBIAN_FRONTEND": "noninteractive"}
    t0 = time.monotonic()
    os.makedirs(args.work, exist_ok=True)

    def leave(r):
        if r and args.unmount:
            subprocess.run(shlex.split(args.unmount) + [r], check=False)

    for line, word, rest in instructions(args.dockerfile):
        where = f"{args.dockerfile}:{line}"
        if word == "FROM":
            leave(root)
            m = re.fullmatch(r"(\S+?)(?:\s+AS\s+(\S+))?", rest, re.IGNORECASE)
            image = m.group(1) if m else ""
            if not re.fullmatch(r"debian:bookworm(-slim)?", image):
                fail(f"{where}: FROM {image}: only debian:bookworm[-slim] maps to the base root")
            index = len(set(stages.values()))
            root = os.path.join(args.work, f"stage{index}")
            if os.path.exists(root):
                subprocess.run(["rm", "-rf", "--one-file-system", root], check=True)
            subprocess.run(["cp", "-a", args.base_root, root], check=True)
            stages[str(index)] = root
            if m.group(2):
                stages[m.group(2)] = root
            workdir = "/"
            if args.mount:
                subprocess.run(shlex.split(args.mount) + [root], check=True)
            print(f"--- {where}: FROM {image} (a fresh copy of the base root)", file=sys.stderr)
            continue
        if root is None:
            fail(f"{where}: {word} before FROM")
        if word == "WORKDIR":
            workdir = os.path.join(workdir, rest)
            os.makedirs(root + workdir, exist_ok=True)
        elif word == "ENV":
            key, _, value = rest.partition("=")
            if not value:
                fail(f"{where}: ENV needs KEY=VALUE")
            env[key.strip()] = value.strip().strip('"')
        elif word == "COPY":
            parts = shlex.split(rest)
            source_stage = None
            if parts and parts[0].startswith("--from="):
                source_stage = parts.pop(0)[len("--from="):]
            if any(p.startswith("--") for p in parts) or len(parts) < 2:
                fail(f"{where}: COPY form not supported: {rest}")
            *srcs, dest = parts
            dest_abs = dest if dest.startswith("/") else os.path.join(workdir, dest)
            if dest.endswith("/") or len(srcs) > 1 or dest in (".", "./"):
                os.makedirs(root + dest_abs, exist_ok=True)
                dest_abs = dest_abs.rstrip("/") + "/"
            else:
                os.makedirs(os.path.dirname(root + dest_abs), exist_ok=True)
            if source_stage is not None:
                if source_stage not in stages:
                    fail(f"{where}: COPY --from={source_stage}: no such stage")
                for s in srcs:
                    shutil.copy2(stages[source_stage] + s, root + dest_abs)
            else:
                copy_from_context(args.context, srcs, root + dest_abs, patterns)
            print(f"--- {where}: COPY {rest}", file=sys.stderr)
        elif word == "RUN":
            if rest.startswith("["):
                fail(f"{where}: RUN in exec form is not supported")
            print(f"--- {where}: RUN {rest}  ({int(time.monotonic() - t0)} s so far)",
                  file=sys.stderr)
            cmd = ["chroot", root, "/usr/bin/env", "-i"] + [f"{k}={v}" for k, v in env.items()] + \
                ["/bin/sh", "-c", f"cd {shlex.quote(workdir)} && {rest}"]
            status = subprocess.run(cmd).returncode
            if status != 0:
                leave(root)
                fail(f"{where}: RUN exited with {status}")
        elif word in DESCRIPTIVE:
            if not rest:
                fail(f"{where}: {word} without arguments")
        else:
            fail(f"{where}: instruction {word} is not supported here")
    leave(root)
    print(f"dockerfile_in_root: every stage of {args.dockerfile} ran "
          f"({int(time.monotonic() - t0)} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
