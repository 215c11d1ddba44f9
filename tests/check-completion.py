#!/usr/bin/env python3
# check-completion.py COMPLETION-FILE|--installed KINEMA-CLI
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Drives kinema-cli's bash completion the way bash does (COMP_WORDS, COMP_CWORD, then
# the completion function) in a throw-away home whose providers.ini has a provider of
# its own, and checks that it completes commands, options and provider names.
# --installed: the completion is found by bash-completion's loader in the system's
# completions folder, and kinema-cli on $PATH (the installed-app check).

import os
import shutil
import subprocess
import sys
import tempfile

source, cli = sys.argv[1:3]
if shutil.which("bash") is None:
    print("1..0 # SKIP no bash")
    sys.exit(0)

root = tempfile.mkdtemp(prefix="kinema-completion-")
env = {k: v for k, v in os.environ.items() if not k.startswith(("KINEMA_API", "KINEMA_ACCESS", "KINEMA_SECRET"))}
for var, sub in (("HOME", "home"), ("XDG_CONFIG_HOME", "config"), ("XDG_DATA_HOME", "data"),
                 ("XDG_CACHE_HOME", "cache")):
    env[var] = os.path.join(root, sub)
    os.makedirs(env[var])
env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + os.path.join(root, "no-bus")
os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "kinema"))
with open(os.path.join(env["XDG_CONFIG_HOME"], "kinema", "providers.ini"), "w") as f:
    f.write("[provider:studio-gw]\nname=Studio gateway\nbase-url=https://gw.example/kling\n"
            "api-style=kling\nauth=bearer\npreset=custom\n")

if source == "--installed":
    load = ('. /usr/share/bash-completion/bash_completion; '
            '__load_completion kinema-cli || exit 3; func=$(complete -p kinema-cli | sed "s/.*-F \\([^ ]*\\).*/\\1/")')
else:
    load = '. "$KINEMA_COMPLETION"; func=_kinema_cli'
    env["KINEMA_COMPLETION"] = os.path.abspath(source)
script = load + '; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; ' \
    '"$func" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; printf "%s\\n" "${COMPREPLY[@]}"'

n = 0
failed = 0


def complete(*words):
    out = subprocess.run(["bash", "-c", script, "bash", cli, *words], env=env, capture_output=True,
                         text=True, timeout=60)
    if out.returncode != 0:
        raise AssertionError("bash exited with %d: %s" % (out.returncode, out.stderr))
    return [w for w in out.stdout.splitlines() if w]


def case(name, words, must=(), exactly=None, must_not=()):
    global n, failed
    n += 1
    try:
        got = complete(*words)
        problems = ["missing %r" % w for w in must if w not in got]
        problems += ["unexpected %r" % w for w in must_not if w in got]
        if exactly is not None and sorted(got) != sorted(exactly):
            problems.append("expected exactly %r" % sorted(exactly))
    except (AssertionError, subprocess.TimeoutExpired) as e:
        got, problems = [], [str(e)]
    if problems:
        failed += 1
        print("not ok %d - %s: kinema-cli %s<TAB> gave %r; %s" % (n, name, " ".join(words), got,
                                                                 "; ".join(problems)))
    else:
        print("ok %d - %s: %s" % (n, name, " ".join(got)))


case("subcommands", [""], must=["generate", "list", "show", "resume"], must_not=["--list-providers"])
case("a subcommand's prefix", ["ge"], exactly=["generate"])
case("top-level options", ["--"], exactly=["--help", "--version"])
case("options of generate", ["generate", "--pro"], exactly=["--prompt", "--provider"])
case("options of resume", ["resume", "--"], must=["--json", "--poll-interval", "--timeout"],
     must_not=["--prompt"])
case("provider names from providers.ini and the presets", ["generate", "--provider", ""],
     must=["studio-gw", "demo", "n1n", "kling"])
case("--provider=PREFIX", ["generate", "--provider", "=", "stu"], exactly=["studio-gw"])
case("quality values", ["generate", "--mode", ""], exactly=["std", "pro", "4k"])
case("resume --provider", ["resume", "--provider", "stu"], exactly=["studio-gw"])
case("options of continue", ["continue", "--from"], exactly=["--from-time"])
case("options of extend: its own, not generate's", ["extend", "--"],
     must=["--prompt", "--negative-prompt", "--cfg-scale", "--json"], must_not=["--model", "--image", "--mode"])
case("export formats", ["export", "--format", ""], exactly=["mp4", "webm", "gif"])
case("story actions", ["story", ""], must=["list", "show", "create", "add", "remove", "move", "delete"])
case("models", ["generate", "--model", "kling-v2-5"], must=["kling-v2-5-turbo"])

shutil.rmtree(root, ignore_errors=True)
print("1..%d" % n)
sys.exit(1 if failed else 0)
