#!/usr/bin/env python3
# check-install.py BUILD-DIR PREFIX EXPECTED-LIST
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `meson install --destdir` into a scratch folder installs exactly the files of
# EXPECTED-LIST (paths below the prefix, one a line): nothing missing, nothing extra.
# Regenerate the list with: check-install.py BUILD-DIR PREFIX --print

import os
import shutil
import subprocess
import sys
import tempfile

build, prefix, expected_path = sys.argv[1:4]
scratch = tempfile.mkdtemp(prefix="kinema-install-")
try:
    env = dict(os.environ)
    env.pop("DESTDIR", None)
    out = subprocess.run(["meson", "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", scratch],
                         env=env, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        print("not ok 1 - meson install failed (exit %d)" % out.returncode)
        for line in (out.stdout + out.stderr).splitlines():
            print("# " + line)
        print("1..1")
        sys.exit(1)
    root = os.path.join(scratch, prefix.lstrip("/"))
    installed = set()
    for top, dirs, files in os.walk(scratch):
        for name in files:
            path = os.path.join(top, name)
            installed.add(os.path.relpath(path, root) if path.startswith(root + "/") else "OUTSIDE-PREFIX" + path[len(scratch):])
finally:
    shutil.rmtree(scratch, ignore_errors=True)

if expected_path == "--print":
    print("\n".join(sorted(installed)))
    sys.exit(0)

with open(expected_path, encoding="utf-8") as f:
    expected = {line.strip() for line in f if line.strip() and not line.startswith("#")}

missing = sorted(expected - installed)
extra = sorted(installed - expected)
print("%s 1 - every expected file is installed" % ("not ok" if missing else "ok"))
for path in missing:
    print("# missing: " + path)
print("%s 2 - nothing else is installed" % ("not ok" if extra else "ok"))
for path in extra:
    print("# not in %s: %s" % (os.path.basename(expected_path), path))
print("1..2")
sys.exit(1 if missing or extra else 0)
