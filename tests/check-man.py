#!/usr/bin/env python3
# check-man.py MAN-PAGE PROGRAM app|cli
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Keeps a man page in step with the program's --help: every option --help lists is
# in the man page, and the man page lists no option --help does not know.
#   app: `kinema --help-all` against the OPTIONS section of kinema(1).
#   cli: the commands of `kinema-cli --help` against the .SS headings of COMMANDS in
#        kinema-cli(1), the options of `kinema-cli --help` against OPTIONS, and the
#        options of each `kinema-cli COMMAND --help` against that command's .SS block
#        (its --help is left out there: OPTIONS says every command takes it).
# Only the tags of .TP paragraphs count as the man page's options, so running text
# may mention options freely. A command whose block says
#   .\" check-man: also the options of COMMAND
# takes that command's options besides its own tags (continue takes generate's).

import os
import re
import subprocess
import sys

man_path, program, mode = sys.argv[1:4]
ENV = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8")
for var in ("DISPLAY", "WAYLAND_DISPLAY"):
    ENV.pop(var, None)
OPTION = re.compile(r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])")

n = 0
failed = 0


def report(name, from_help, from_man):
    global n, failed
    n += 1
    if from_help == from_man:
        print("ok %d - %s: %s" % (n, name, " ".join(sorted(from_help)) or "(none)"))
        return
    failed += 1
    print("not ok %d - %s" % (n, name))
    for option in sorted(from_help - from_man):
        print("# in --help, not in the man page: %s" % option)
    for option in sorted(from_man - from_help):
        print("# in the man page, not in --help: %s" % option)


def run_help(*args):
    out = subprocess.run([program, *args], env=ENV, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise SystemExit("%s %s: exit %d\n%s" % (program, " ".join(args), out.returncode, out.stderr))
    return out.stdout


def help_options(text):
    """The options of GOption's (and kinema-cli's) listing: lines starting with "  -"."""
    found = set()
    for line in text.splitlines():
        match = re.match(r"^\s+(-\S.*?)(\s{2,}|$)", line)
        if match:
            found.update(OPTION.findall(match.group(1).replace("=", " ")))
    return found


def plain(roff):
    """Roff source of one line as text: no macros, escapes or font changes."""
    text = re.sub(r"^\.[A-Z]{1,2}\s*", "", roff)
    text = re.sub(r"\\f[BIRP]", "", text).replace("\\-", "-").replace("\\e", "\\")
    return text.replace('"', " ")


def man_sections(path):
    """{section: [lines]} and, for COMMANDS, {command: [lines]}."""
    sections, commands = {}, {}
    section = command = None
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            if line.startswith(".SH "):
                section, command = plain(line).strip(), None
                sections[section] = []
                continue
            if line.startswith(".SS ") and section == "COMMANDS":
                command = plain(line).split()[0]
                commands[command] = []
                continue
            if section is not None:
                (commands[command] if command else sections[section]).append(line)
    return sections, commands


def tag_options(lines):
    """Options in the tags of .TP paragraphs (the line after each .TP)."""
    found = set()
    for i, line in enumerate(lines):
        if line.strip() == ".TP" and i + 1 < len(lines):
            found.update(OPTION.findall(plain(lines[i + 1]).replace("=", " ")))
    return found


sections, commands = man_sections(man_path)
if "OPTIONS" not in sections:
    raise SystemExit("%s has no OPTIONS section" % man_path)
for needed in ("EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"):
    n += 1
    if needed in sections:
        print("ok %d - %s has %s" % (n, os.path.basename(man_path), needed))
    else:
        failed += 1
        print("not ok %d - %s has no %s section" % (n, os.path.basename(man_path), needed))

if mode == "app":
    report("kinema --help-all", help_options(run_help("--help-all")), tag_options(sections["OPTIONS"]))
else:
    usage = run_help("--help")
    report("kinema-cli --help", help_options(usage), tag_options(sections["OPTIONS"]))
    listed, in_list = [], False
    for line in usage.splitlines():
        if line.strip() == "Commands:":
            in_list = True
        elif in_list and re.match(r"^  [a-z]", line):
            listed.append(line.split()[0])
        elif in_list and not line.strip():
            in_list = False
    report("kinema-cli commands", set(listed), set(commands))
    for command in listed:
        options = help_options(run_help(command, "--help")) - {"--help", "-h"}
        block = commands.get(command, [])
        in_man = tag_options(block)
        for line in block:
            match = re.match(r'^\.\\" check-man: also the options of (\S+)', line)
            if match:
                in_man |= tag_options(commands.get(match.group(1), []))
        report("kinema-cli %s --help" % command, options, in_man)

print("1..%d" % n)
sys.exit(1 if failed else 0)
