#!/usr/bin/env python3
# check-version.py VERSION SOURCE-ROOT KINEMA KINEMA-CLI
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Kinema's version comes from one place, meson's project version; this checks that
# the Debian package (debian/changelog), the newest release in the metainfo and
# `--version` of both programs agree with it. (The About window shows PACKAGE_VERSION
# from config.h, the same value `--version` prints.)

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

version, top, kinema, kinema_cli = sys.argv[1:5]
failures = []
n = 0


def report(name, got):
    global n
    n += 1
    if got == version:
        print("ok %d - %s is %s" % (n, name, got))
    else:
        print("not ok %d - %s is %r, meson's project version is %r" % (n, name, got, version))
        failures.append(name)


# debian/changelog: the first entry is the package version ("kinema (0.1.0) unstable; …").
with open(os.path.join(top, "debian", "changelog"), encoding="utf-8") as f:
    match = re.match(r"^kinema \(([^)]+)\)", f.readline())
report("debian/changelog", match.group(1) if match else None)


def version_key(text):
    return [int(part) if part.isdigit() else part for part in re.split(r"[.~+-]", text)]


# The metainfo's newest release, whatever order the entries are in.
tree = ET.parse(os.path.join(top, "data", "io.github.kinema.Kinema.metainfo.xml.in"))
releases = [r.get("version") for r in tree.getroot().iter("release")]
report("the newest release in the metainfo", max(releases, key=version_key) if releases else None)

env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8")
env.pop("DISPLAY", None)
env.pop("WAYLAND_DISPLAY", None)
for program, name in ((kinema, "kinema"), (kinema_cli, "kinema-cli")):
    out = subprocess.run([program, "--version"], env=env, capture_output=True, text=True, timeout=60)
    words = out.stdout.split()
    ok = out.returncode == 0 and len(words) == 2 and words[0] == name
    report("`%s --version`" % name, words[1] if ok else "exit %d, %r" % (out.returncode, out.stdout))

print("1..%d" % n)
sys.exit(1 if failures else 0)
