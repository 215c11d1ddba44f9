#!/usr/bin/env python3
# test-cli.py
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# kinema-cli against the kinema-sim tool: every exit code, the --json summary, bad
# input that must send nothing, list/show/resume, Ctrl+C, keys never printed or stored.
# Each case runs kinema-cli with HOME and the XDG dirs in a temporary folder.

import os
import re
import signal
import sys
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
from kinema_cli_test import (
    EXIT_AUTH, EXIT_FAILED, EXIT_INVALID, EXIT_NETWORK, EXIT_OK, EXIT_TIMEOUT,
    Home, Sim, Tap, check, check_eq, make_clip, new_root, read_bytes, remove_root, write_png,
)

KEY = "sk-test-cli-0123456789-DO-NOT-PRINT"
POLL = ["--poll-interval", "0.05"]
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

tap = Tap()
root = new_root("kinema-test-cli-")
try:
    clip = make_clip(os.path.join(root, "clip.mp4"))
    clip_bytes = read_bytes(clip)
    sim = Sim("--clip", clip, "--queued-ms", "150", "--running-ms", "250", "--bearer-key", KEY,
              state_dir=os.path.join(root, "sim"))
except BaseException:
    remove_root(root)
    raise
gateway = ["--base-url", sim.url + "/kling", "--api-style", "kling"]
images = os.path.join(root, "images")
os.makedirs(images)
good_png = write_png(os.path.join(images, "good.png"), 400, 320)
tiny_png = write_png(os.path.join(images, "tiny.png"), 120, 120)
wide_png = write_png(os.path.join(images, "wide.png"), 900, 300)
not_image = os.path.join(images, "notes.png")
with open(not_image, "w") as f:
    f.write("this is not a picture\n")

# One history shared by the cases that build on each other (list, show, resume).
main = Home(root, "main", api_key=KEY)


def outputs_of(*results):
    return "".join(r.stdout + r.stderr for r in results)


def check_summary(summary, status):
    for field in ("id", "remote_id", "status", "video_path", "video_url", "error"):
        check(field in summary, "the summary has no %r: %r" % (field, summary))
    check(UUID.match(summary["id"]), "the id is not a UUID: %r" % summary["id"])
    check_eq(summary["status"], status, "status")


def check_saved(summary):
    check_summary(summary, "succeeded")
    check(summary["remote_id"], "no remote id")
    check(summary["error"] is None, "an error on a saved job: %r" % summary["error"])
    check(summary["video_url"] and summary["video_url"].startswith(sim.url),
          "video_url %r" % summary["video_url"])
    path = summary["video_path"]
    check(path and os.path.isabs(path) and os.path.isfile(path), "no video at %r" % path)
    check(read_bytes(path) == clip_bytes, "the saved video differs from the simulator's clip")
    check(not os.path.exists(path + ".part"), "a .part file was left behind")


def test_saved():
    """Exit 0: the job is submitted once, the clip is saved byte-identical, and the
    summary has every field."""
    result = main.run("generate", *gateway, "--prompt", "A paper boat on a rainy street",
                      *POLL, "--json").expect(EXIT_OK)
    summary = result.json()
    check_saved(summary)
    check(os.path.dirname(summary["video_path"]) == main.downloads,
          "saved in %r, not in the downloads folder" % summary["video_path"])
    check_eq(sim.submits().get(summary["id"]), 1, "submits of this job")
    check(KEY not in outputs_of(result), "the key was printed")
    # What the job cost: the simulator's final_unit_deduction ("1" for 5 s; Kling docs,
    # query reply, PROTOCOL.md 8.9), beside the built-in estimate (kling-v2-5-turbo std 5 s).
    check_eq(summary.get("units_charged"), 1, "units charged")
    check_eq(summary.get("units_estimated"), 1.5, "units estimated")
    shown = main.run("show", summary["id"]).expect(EXIT_OK).stdout
    check("Charged" in shown and "Estimated cost" in shown, "show gives no costs: %r" % shown)


def test_output_and_image():
    """--output puts the finished clip under the given name; --image makes an
    image-to-video job from a local PNG."""
    out = os.path.join(main.path, "out", "fox.mp4")
    os.makedirs(os.path.dirname(out))
    result = main.run("generate", *gateway, "--image", good_png, "--prompt", "The fox turns its head",
                      "--mode", "pro", "--duration", "10", "--output", out, *POLL, "--json").expect(EXIT_OK)
    summary = result.json()
    check_saved(summary)
    check_eq(read_bytes(out), clip_bytes, "--output file")
    check_eq(sim.submits().get(summary["id"]), 1, "submits of this job")
    routes = sim.stats()["routes"]
    check(any("image2video" in key for key in routes), "no image-to-video submit: %r" % routes)
    leftovers = [f for f in os.listdir(os.path.dirname(out))
                 if f.endswith((".tmp", ".part")) or re.search(r"\.mp4\.[A-Za-z0-9]{6}$", f)]
    check_eq(leftovers, [], "temporary files next to --output")


def test_configured_provider():
    """The provider list is the app's: a provider set up there is used by id, by name,
    and by default (the one the app used last), with the key from the environment."""
    home = Home(root, "configured", api_key=KEY)
    config = os.path.join(home.env["XDG_CONFIG_HOME"], "kinema")
    os.makedirs(config)
    with open(os.path.join(config, "providers.ini"), "w") as f:
        f.write("[general]\ndefault=mysim\n\n[provider:mysim]\nname=My gateway\nbase-url=%s/kling\n"
                "api-style=kling\nauth=bearer\npreset=custom\n" % sim.url)
    ids = []
    for args in (["--provider", "mysim"], ["--provider", "My gateway"], []):
        summary = home.run("generate", *args, "--prompt", "Configured", *POLL, "--json").expect(EXIT_OK).json()
        check_saved(summary)
        check_eq(summary["provider"], "mysim", "provider of %r" % args)
        ids.append(summary["id"])
    for task_id in ids:
        check_eq(sim.submits().get(task_id), 1, "submits of " + task_id)
    with open(os.path.join(config, "providers.ini")) as f:
        check("[provider:cli-" not in f.read(), "a configured provider was added again")


def test_failed():
    """Exit 1: the job fails remotely (the simulator fails prompts with #fail)."""
    result = main.run("generate", *gateway, "--prompt", "This one breaks #fail", *POLL,
                      "--json").expect(EXIT_FAILED)
    summary = result.json()
    check_summary(summary, "failed")
    check(summary["error"], "no error message")
    check(summary["video_path"] is None, "a failed job has a video")
    check_eq(sim.submits().get(summary["id"]), 1, "submits of this job")


# What a hostile or broken server may put in its text: a title change (OSC ... BEL),
# clear screen, colour, a C1 CSI (U+009B), DEL, a carriage return that would overwrite
# the line, and a right-to-left override.
HOSTILE_TEXT = "\x1b]0;pwned\x07\x1b[2J\x1b[31mRed alert\x9b0m\x7f\rback\u202eevil"
RAW_CONTROLS = "\x1b\x07\x9b\x7f\r\u202e"


def check_no_raw_controls(text, what):
    found = sorted({"U+%04X" % ord(c) for c in text if c in RAW_CONTROLS})
    check(not found, "%s contains raw %s: %r" % (what, ", ".join(found), text))


def test_control_characters():
    """Issue 15, point 5: a provider's failure message and a prompt read back from the
    history never reach the terminal with their control characters; they are shown
    (␛ for ESC), and --json keeps the data exact through its escapes. The failure
    message is the simulator's task_status_msg (Kling's "task_status_msg" of a failed
    task, https://app.klingai.com/global/dev/document-api/apiReference/model/imageToVideo)."""
    sim.config(fail_next=1, fail_message=HOSTILE_TEXT)
    prompt = "A boat \x1b[5mblinking\x1b[0m on the sea"
    result = main.run("generate", *gateway, "--prompt", prompt, *POLL, "--json").expect(EXIT_FAILED)
    check_no_raw_controls(result.stdout, "generate --json's stdout")
    check_no_raw_controls(result.stderr, "generate's stderr")
    check("Red alert" in result.stderr and "\u241b" in result.stderr,
          "the provider's message is not shown, escaped, on stderr: %r" % result.stderr)
    summary = result.json()
    check_eq(summary["prompt"], prompt, "the prompt in --json")
    shown = main.run("show", summary["id"]).expect(EXIT_OK)
    check_no_raw_controls(shown.stdout + shown.stderr, "show")
    check("Red alert" in shown.stdout and "blinking" in shown.stdout,
          "show lost the message or the prompt: %r" % shown.stdout)
    listed = main.run("list").expect(EXIT_OK)
    check_no_raw_controls(listed.stdout + listed.stderr, "list")
    again = main.run("show", summary["id"], "--json").expect(EXIT_OK)
    check_no_raw_controls(again.stdout, "show --json")
    check_eq(again.json()["prompt"], prompt, "the prompt in show --json")


def test_unreadable_history():
    """Issue 15, point 9: a damaged history.db does not block kinema-cli: it is moved
    aside (never deleted), a new history is started, and stderr says where the old one is."""
    home = Home(root, "unreadable", api_key=KEY)
    os.makedirs(home.data, mode=0o700)
    garbage = bytes((i * 131 + 7) % 251 for i in range(8192))
    with open(os.path.join(home.data, "history.db"), "wb") as f:
        f.write(garbage)
    result = home.run("list").expect(EXIT_OK)
    aside = [name for name in os.listdir(home.data) if name.startswith("history.db.unreadable-")]
    check_eq(len(aside), 1, "files moved aside in %r" % os.listdir(home.data))
    check(os.path.join(home.data, aside[0]) in result.stderr,
          "stderr does not say where the old history went: %r" % result.stderr)
    check_eq(read_bytes(os.path.join(home.data, aside[0])), garbage, "the moved-aside history")
    summary = home.run("generate", *gateway, "--prompt", "After the damage", *POLL, "--json").expect(EXIT_OK).json()
    check_saved(summary)
    again = home.run("list").expect(EXIT_OK)
    check("moved" not in again.stderr, "a sound history is reported as moved: %r" % again.stderr)
    check(summary["id"] in again.stdout, "the new job is not in the new history")
    check_eq(os.stat(os.path.join(home.data, "history.db")).st_mode & 0o777, 0o600, "history.db's mode")


INVALID = [
    ("no prompt", []),
    ("blank prompt", ["--prompt", "   "]),
    ("prompt too long", ["--prompt", "x" * 2501]),
    ("negative prompt too long", ["--prompt", "ok", "--negative-prompt", "y" * 2501]),
    ("unknown mode", ["--prompt", "ok", "--mode", "ultra"]),
    ("unknown duration", ["--prompt", "ok", "--duration", "7"]),
    ("negative duration", ["--prompt", "ok", "--duration", "-5"]),
    ("unknown aspect ratio", ["--prompt", "ok", "--aspect-ratio", "4:3"]),
    ("aspect ratio on image-to-video", ["--prompt", "ok", "--image", "IMG:good", "--aspect-ratio", "1:1"]),
    ("cfg scale above 1", ["--prompt", "ok", "--model", "kling-v1-6", "--cfg-scale", "1.5"]),
    ("cfg scale not a number", ["--prompt", "ok", "--model", "kling-v1-6", "--cfg-scale", "lots"]),
    ("cfg scale on a model without it", ["--prompt", "ok", "--model", "kling-v2-master", "--cfg-scale", "0.5"]),
    ("unknown camera", ["--prompt", "ok", "--model", "kling-v1", "--camera", "spin"]),
    ("camera value out of range", ["--prompt", "ok", "--model", "kling-v1", "--camera", "simple:zoom=20"]),
    ("camera unknown axis", ["--prompt", "ok", "--model", "kling-v1", "--camera", "simple:twirl=2"]),
    ("unknown model", ["--prompt", "ok", "--model", "kling-v9"]),
    ("image-only model without image", ["--model", "kling-v1-5", "--prompt", "ok"]),
    ("missing image file", ["--prompt", "ok", "--image", "/nonexistent/fox.jpg"]),
    ("image too small", ["--prompt", "ok", "--image", "IMG:tiny"]),
    ("image too wide", ["--prompt", "ok", "--image", "IMG:wide"]),
    ("not an image", ["--prompt", "ok", "--image", "IMG:notes"]),
    # Kling's capability map (data/capabilities.json; Kling docs "skillsMap", copy in
    # WHQ25/rawgenai docs/research/kling/capability-map.md): refused before anything is sent.
    ("sound on a silent tier", ["--prompt", "ok", "--model", "kling-v2-6", "--mode", "std", "--sound"]),
    ("sound on a model without it", ["--prompt", "ok", "--model", "kling-v2-5-turbo", "--sound"]),
    ("4K tier on kling-v2-6", ["--prompt", "ok", "--model", "kling-v2-6", "--mode", "4k"]),
    ("7 s on kling-v2-5-turbo", ["--prompt", "ok", "--model", "kling-v2-5-turbo", "--duration", "7"]),
    ("16 s on kling-v3", ["--prompt", "ok", "--model", "kling-v3", "--duration", "16"]),
    ("camera on kling-v1 text 10 s", ["--prompt", "ok", "--model", "kling-v1", "--duration", "10",
                                      "--camera", "down_back"]),
    ("end frame in std on kling-v1-6", ["--prompt", "ok", "--model", "kling-v1-6", "--image", "IMG:good",
                                        "--image-tail", "IMG:good"]),
    ("end frame with sound on kling-v2-6", ["--prompt", "ok", "--model", "kling-v2-6", "--mode", "pro",
                                            "--sound", "--image", "IMG:good", "--image-tail", "IMG:good"]),
    # What a new-api gateway accepts (issue 11, PROTOCOL.md 8): refused before anything is sent.
    # new-api relay/common/relay_utils.go (validatePrompt) refuses a blank prompt on every route.
    ("blank prompt for image-to-video on a gateway", ["--prompt", "   ", "--model", "kling-v1-6",
                                                      "--image", "IMG:good"]),
    ("no prompt for image-to-video on a gateway", ["--model", "kling-v1-6", "--image", "IMG:good"]),
    # new-api middleware/kling_adapter.go: a body without `image` becomes text-to-video.
    ("end frame alone on a gateway", ["--prompt", "ok", "--model", "kling-v1-6", "--mode", "pro",
                                      "--image-tail", "IMG:good"]),
    # new-api relay/channel/task/kling/adaptor.go: cfg_scale has omitempty, 0 becomes 0.5.
    ("creativity 0 on a gateway", ["--prompt", "ok", "--model", "kling-v1-6", "--cfg-scale", "0"]),
    ("poll interval negative", ["--prompt", "ok", "--poll-interval", "-1"]),
    ("poll interval not a number", ["--prompt", "ok", "--poll-interval", "soon"]),
    ("timeout zero", ["--prompt", "ok", "--timeout", "0"]),
    ("unknown option", ["--prompt", "ok", "--colour", "red"]),
    ("stray argument", ["--prompt", "ok", "extra"]),
    ("output is a folder", ["--prompt", "ok", "--output", "/tmp"]),
]

INVALID_PROVIDER = [
    ("unknown provider", ["--provider", "nosuch", "--prompt", "ok"]),
    ("provider and base URL", ["--provider", "demo", "--base-url", "SIM", "--api-style", "kling",
                               "--prompt", "ok"]),
    ("base URL without style", ["--base-url", "SIM", "--prompt", "ok"]),
    ("unknown API style", ["--base-url", "SIM", "--api-style", "rest", "--prompt", "ok"]),
    ("unknown auth", ["--base-url", "SIM", "--api-style", "kling", "--auth", "basic", "--prompt", "ok"]),
    ("style without base URL", ["--api-style", "kling", "--prompt", "ok"]),
    ("ftp base URL", ["--base-url", "ftp://127.0.0.1/kling", "--api-style", "kling", "--prompt", "ok"]),
    ("plain http off loopback", ["--base-url", "http://example.com/kling", "--api-style", "kling",
                                 "--prompt", "ok"]),
    ("base URL that does not parse", ["--base-url", "http://[::1", "--api-style", "kling", "--prompt", "ok"]),
    ("preset without a base URL", ["--provider", "nicerouter", "--prompt", "ok"]),
]


def expand(args):
    named = {"IMG:good": good_png, "IMG:tiny": tiny_png, "IMG:wide": wide_png, "IMG:notes": not_image}
    return [named.get(a, a.replace("SIM", sim.url + "/kling") if a.startswith("SIM") else a) for a in args]


def test_invalid_sends_nothing():
    """Exit 2 for every kind of bad input, with a message, nothing on stdout, nothing
    sent to the simulator and nothing stored in the history."""
    home = Home(root, "invalid", api_key=KEY)
    before = sim.requests()
    for name, args in INVALID:
        result = home.run("generate", *gateway, *expand(args), "--json")
        check(result.code == EXIT_INVALID, "%s: exit %d, expected 2 (stderr %r)" % (name, result.code, result.stderr))
        check(result.stderr.strip(), "%s: no message" % name)
        check_eq(result.stdout, "", "%s: stdout" % name)
    for name, args in INVALID_PROVIDER:
        result = home.run("generate", *expand(args), "--json")
        check(result.code == EXIT_INVALID, "%s: exit %d, expected 2 (stderr %r)" % (name, result.code, result.stderr))
        check(result.stderr.strip(), "%s: no message" % name)
    check_eq(sim.requests(), before, "requests the simulator saw")
    check_eq(home.list(), [], "jobs in the history")
    for name in ("show", "bogus"):
        result = home.run(name) if name == "show" else home.run(name, "--json")
        check_eq(result.code, EXIT_INVALID, "kinema-cli %s" % name)


def test_auth():
    """Exit 3: a wrong key (refused by the provider) and no key at all (nothing sent).
    The key is never printed and never stored."""
    home = Home(root, "auth", api_key="sk-wrong-key-DO-NOT-PRINT")
    result = home.run("generate", *gateway, "--prompt", "ok", *POLL, "--json").expect(EXIT_AUTH)
    summary = result.json()
    check_summary(summary, "failed")
    check_eq(summary.get("error_code"), "auth", "error code")
    check("sk-wrong-key" not in outputs_of(result), "the key was printed")

    nokey = Home(root, "nokey")
    before = sim.requests()
    result = nokey.run("generate", *gateway, "--prompt", "ok", *POLL, "--json").expect(EXIT_AUTH)
    check("KINEMA_API_KEY" in result.stderr, "the message does not say how to give a key: %r" % result.stderr)
    check_eq(sim.requests(), before, "requests sent without a key")

    for folder in (home.path, main.path):
        for dirpath, _, names in os.walk(folder):
            for name in names:
                data = read_bytes(os.path.join(dirpath, name))
                check(b"sk-wrong-key" not in data and KEY.encode() not in data,
                      "a key is stored in %s" % os.path.join(dirpath, name))


def test_network():
    """Exit 4: the server fails the submit, and a server that cannot be reached."""
    sim.fault({"method": "POST", "path": "/kling/v1/videos/*", "kind": "status", "status": 500,
               "count": -1})
    try:
        result = main.run("generate", *gateway, "--prompt", "Server trouble", *POLL,
                          "--json").expect(EXIT_NETWORK)
    finally:
        sim.clear_faults()
    summary = result.json()
    check(summary["status"] in ("failed", "needs-checking"), "status %r" % summary["status"])
    check(summary["error"], "no error message")

    home = Home(root, "unreachable", api_key=KEY)
    result = home.run("generate", "--base-url", "http://127.0.0.1:9/kling", "--api-style", "kling",
                      "--prompt", "Nobody home", *POLL, "--json").expect(EXIT_NETWORK)
    check(result.json()["error"], "no error message")


def test_poll_errors_then_resume():
    """Polls refused with 401 pause the provider: exit 3 at once. Polls failing with 500
    after every retry: exit 4. Both jobs stay resumable and resume saves them."""
    polls = "/kling/v1/videos/*/*"
    ids = []
    for status, code in ((401, EXIT_AUTH), (500, EXIT_NETWORK)):
        sim.fault({"method": "GET", "path": polls, "kind": "status", "status": status, "count": -1})
        try:
            result = main.run("generate", *gateway, "--prompt", "Polls fail with %d" % status, *POLL,
                              "--json").expect(code)
        finally:
            sim.clear_faults()
        summary = result.json()
        check(summary["status"] in ("queued", "running"), "status %r" % summary["status"])
        check(summary["remote_id"], "no remote id")
        check(summary["error"], "no error in the summary")
        check("resume" in result.stderr, "no hint to resume: %r" % result.stderr)
        ids.append(summary["id"])
    resumed = main.run("resume", *POLL, "--json", "--timeout", "60").expect(EXIT_OK)
    jobs = {job["id"]: job for job in resumed.json()}
    for task_id in ids:
        check_saved(jobs[task_id])
        check_eq(sim.submits().get(task_id), 1, "submits of " + task_id)


def test_timeout_then_resume():
    """Exit 5 with --timeout while the job runs; `resume` then saves it (exit 0) without
    sending it again."""
    sim.config(queued_ms=200, running_ms=600000)
    try:
        result = main.run("generate", *gateway, "--prompt", "A slow one", *POLL, "--timeout", "1",
                          "--json").expect(EXIT_TIMEOUT)
    finally:
        sim.config(queued_ms=150, running_ms=250)
    summary = result.json()
    check(summary["status"] in ("queued", "running"), "status %r" % summary["status"])
    check(summary["remote_id"], "no remote id stored before leaving")
    sim.config(advance_ms=600000)
    resumed = main.run("resume", *POLL, "--json", "--timeout", "60").expect(EXIT_OK)
    jobs = {job["id"]: job for job in resumed.json()}
    check(summary["id"] in jobs, "resume did not follow %s: %r" % (summary["id"], jobs))
    check_saved(jobs[summary["id"]])
    check_eq(sim.submits().get(summary["id"]), 1, "submits of this job")


def test_interrupt_then_resume():
    """Ctrl+C stops waiting (exit 5) and leaves the job resumable."""
    sim.config(queued_ms=200, running_ms=600000)
    proc = main.popen("generate", *gateway, "--prompt", "Interrupted", *POLL, "--json")
    try:
        deadline = time.monotonic() + 30
        seen = ""
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            seen += line
            if not line or "Generating" in line or "Queued" in line:
                break
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
    finally:
        sim.config(queued_ms=150, running_ms=250)
        if proc.poll() is None:
            proc.kill()
    check_eq(proc.returncode, EXIT_TIMEOUT, "exit after Ctrl+C (stderr %r)" % (seen + stderr))
    check("resume" in stderr, "no hint to resume: %r" % stderr)
    import json as _json
    summary = _json.loads(stdout)
    check(summary["remote_id"], "no remote id")
    sim.config(advance_ms=600000)
    resumed = main.run("resume", *POLL, "--json").expect(EXIT_OK)
    jobs = {job["id"]: job for job in resumed.json()}
    check_saved(jobs[summary["id"]])
    check_eq(sim.submits().get(summary["id"]), 1, "submits of this job")


def test_no_wait():
    """--no-wait returns once the job is accepted (exit 0, not saved yet); resume saves it."""
    sim.config(queued_ms=200, running_ms=600000)
    try:
        result = main.run("generate", *gateway, "--prompt", "Later", *POLL, "--no-wait",
                          "--json").expect(EXIT_OK)
    finally:
        sim.config(queued_ms=150, running_ms=250)
    summary = result.json()
    check(summary["status"] in ("queued", "running"), "status %r" % summary["status"])
    check(summary["remote_id"], "no remote id")
    check(summary["video_path"] is None, "a video before the job finished")
    sim.config(advance_ms=600000)
    resumed = main.run("resume", *POLL, "--json").expect(EXIT_OK)
    jobs = {job["id"]: job for job in resumed.json()}
    check_saved(jobs[summary["id"]])
    # Nothing left to follow; only jobs that need checking (the failed submit above) are listed.
    again = main.run("resume", "--json").expect(EXIT_OK)
    check_eq([job["status"] for job in again.json() if job["status"] != "needs-checking"], [],
             "a second resume still found work")


def test_two_processes():
    """While one kinema-cli follows the unfinished jobs of a history, another one leaves
    them alone: resume says so (exit 5), and a second generate follows only its own job
    (the first one's job is not marked Needs checking nor downloaded twice)."""
    home = Home(root, "two", api_key=KEY)
    sim.config(queued_ms=200, running_ms=600000)
    first = home.popen("generate", *gateway, "--prompt", "First process", *POLL, "--json")
    try:
        seen = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "Queued" not in seen and "Generating" not in seen:
            line = first.stderr.readline()
            if not line:
                break
            seen += line
        busy = home.run("resume", "--json").expect(EXIT_TIMEOUT)
        check("Another Kinema process" in busy.stderr, "no explanation: %r" % busy.stderr)
        second = home.run("generate", *gateway, "--prompt", "Second process", *POLL, "--no-wait",
                          "--json").expect(EXIT_OK).json()
        jobs = {job["prompt"]: job for job in home.list()}
        check(jobs["First process"]["status"] in ("queued", "running"),
              "the first job became %r" % jobs["First process"]["status"])
    finally:
        sim.config(queued_ms=150, running_ms=250, advance_ms=600000)
    stdout, stderr = first.communicate(timeout=60)
    check_eq(first.returncode, EXIT_OK, "the first process (stderr %r)" % stderr)
    import json as _json
    check_saved(_json.loads(stdout))
    resumed = home.run("resume", *POLL, "--json").expect(EXIT_OK)
    check_saved({job["id"]: job for job in resumed.json()}[second["id"]])
    check_eq(len(home.files()), 4, "clips and sidecars: %r" % home.files())


def test_list_show():
    """list and show read the same history: every job above, newest first, by full id
    or a unique prefix; unknown ids are exit 2."""
    jobs = main.list()
    check(len(jobs) >= 6, "only %d jobs listed" % len(jobs))
    statuses = {job["status"] for job in jobs}
    check("succeeded" in statuses and "failed" in statuses, "statuses %r" % statuses)
    created = [job["created_at"] for job in jobs]
    check_eq(created, sorted(created, reverse=True), "order of list")
    text = main.run("list").expect(EXIT_OK).stdout
    for job in jobs:
        check(job["id"] in text, "list does not show %s" % job["id"])

    first = jobs[0]
    shown = main.run("show", first["id"], "--json").expect(EXIT_OK).json()
    for field in ("id", "remote_id", "status", "video_path", "video_url", "error"):
        check_eq(shown[field], first[field], "show --json " + field)
    by_prefix = main.run("show", first["id"][:13]).expect(EXIT_OK).stdout
    check(first["id"] in by_prefix, "show by prefix: %r" % by_prefix)
    failed = next(job for job in jobs if job["status"] == "failed" and job["error_code"] == "task-failed")
    details = main.run("show", failed["id"]).expect(EXIT_OK).stdout
    check(failed["error"] in details, "show does not give the error: %r" % details)
    main.run("show", "00000000-0000-0000-0000-000000000000").expect(EXIT_INVALID)


def test_demo_fresh_machine():
    """`kinema-cli generate --prompt x` on a fresh machine runs on the offline demo."""
    home = Home(root, "fresh")
    result = home.run("generate", "--prompt", "A paper boat", "--json", timeout=180).expect(EXIT_OK)
    summary = result.json()
    check_summary(summary, "succeeded")
    check(summary.get("demo") is True, "not marked as a demo job")
    check(os.path.getsize(summary["video_path"]) > 1000, "the demo clip is empty")
    check(summary["video_path"].startswith(home.downloads), "saved outside ~/Videos/Kinema")
    again = home.run("show", summary["id"], "--json").expect(EXIT_OK).json()
    check_eq(again["status"], "succeeded", "status in the history")



def linked_sidecar(summary, parent_id, kind):
    """The sidecar of a saved job, checked to link it to @parent_id as @kind."""
    import json
    sidecar = os.path.splitext(summary["video_path"])[0] + ".json"
    with open(sidecar, encoding="utf-8") as f:
        saved = json.load(f)
    check_eq(saved.get("continues", {}).get("task_id"), parent_id, "link in the sidecar")
    check_eq(saved.get("continues", {}).get("kind"), kind, "link kind in the sidecar")
    return saved


def test_continue():
    """`kinema-cli continue ID`: a new demo job from the clip's last frame, linked to it."""
    home = Home(root, "continue")
    first = home.run("generate", "--prompt", "A paper boat", "--json", timeout=180).expect(EXIT_OK).json()
    # Not a job of the history, and not a number: nothing is sent.
    home.run("continue", "no-such-job").expect(EXIT_INVALID)
    home.run("continue", first["id"], "--from-time", "soon").expect(EXIT_INVALID)
    result = home.run("continue", first["id"], "--prompt", "The boat sails on", "--json", timeout=180)
    summary = result.expect(EXIT_OK).json()
    check_summary(summary, "succeeded")
    check(summary["id"] != first["id"], "continue reused the parent's id")
    saved = linked_sidecar(summary, first["id"], "continue")
    check_eq(saved["request"]["kind"], "image-to-video", "a continuation starts from an image")
    check_eq(saved["request"]["prompt"], "The boat sails on", "--prompt replaces the parent's prompt")
    check(saved["request"]["image"].startswith(os.path.join(home.data, "frames")),
          "the start image is not the grabbed frame: %s" % saved["request"]["image"])


def test_extend():
    """`kinema-cli extend ID`: Kling's video extension of a finished demo clip (the demo
    speaks the official style), saved as a new job linked EXTEND to it; the result is the
    whole longer clip (Kling docs, "Video Extension")."""
    home = Home(root, "extend")
    first = home.run("generate", "--model", "kling-v1-6", "--prompt", "A paper boat", "--json",
                     timeout=180).expect(EXIT_OK).json()
    home.run("extend", "no-such-job").expect(EXIT_INVALID)
    home.run("extend", first["id"], "--cfg-scale", "2").expect(EXIT_INVALID)
    home.run("extend", first["id"], "--model", "kling-v1").expect(EXIT_INVALID)
    result = home.run("extend", first["id"], "--prompt", "The boat sails on", "--json", timeout=240)
    summary = result.expect(EXIT_OK).json()
    check_summary(summary, "succeeded")
    check_eq(summary["kind"], "video-extend", "kind")
    check_eq(summary["extends"], first["id"], "the clip it extends")
    check(summary["video_id"] and summary["video_id"] != first["video_id"], "no video id of its own")
    check(os.path.getsize(summary["video_path"]) > os.path.getsize(first["video_path"]),
          "the extended clip is not longer than its source")
    saved = linked_sidecar(summary, first["id"], "extend")
    check_eq(saved["request"]["kind"], "video-extend", "kind in the sidecar")
    check_eq(saved["request"]["video_id"], first["video_id"], "the source's video id was sent")
    check_eq(saved["request"]["prompt"], "The boat sails on", "--prompt replaces the parent's prompt")
    shown = home.run("show", summary["id"]).expect(EXIT_OK)
    check(first["id"] in shown.stdout, "show does not name the extended clip")


def test_extend_refused():
    """Exit 2, with the reason and nothing sent: new-api gateways route no video-extend
    (router/video-router.go)."""
    made = main.run("generate", *gateway, "--model", "kling-v1-6", "--prompt", "A kite", *POLL,
                    "--json").expect(EXIT_OK).json()
    before = sim.requests()
    result = main.run("extend", made["id"], "--json").expect(EXIT_INVALID)
    check("video extension" in result.stderr and "Continue" in result.stderr,
          "the reason is not given: %r" % result.stderr)
    check_eq(result.stdout, "", "stdout")
    check_eq(sim.requests(), before, "requests the simulator saw")


try:
    tap.run("exit 0: saved, byte-identical, one submit", test_saved)
    tap.run("--output and --image", test_output_and_image)
    tap.run("providers shared with the app", test_configured_provider)
    tap.run("exit 1: failed remotely", test_failed)
    tap.run("exit 2: invalid input sends nothing", test_invalid_sends_nothing)
    tap.run("exit 3: wrong key and no key; keys never printed or stored", test_auth)
    tap.run("exit 4: server error and unreachable server", test_network)
    tap.run("exit 3 and 4 while polling, then resume", test_poll_errors_then_resume)
    tap.run("exit 5: --timeout, then resume", test_timeout_then_resume)
    tap.run("Ctrl+C, then resume", test_interrupt_then_resume)
    tap.run("--no-wait, then resume", test_no_wait)
    tap.run("a second process leaves the first one's jobs alone", test_two_processes)
    tap.run("list and show", test_list_show)
    tap.run("control characters from the server are shown, not obeyed", test_control_characters)
    tap.run("an unreadable history is moved aside and a new one started", test_unreadable_history)
    tap.run("offline demo on a fresh machine", test_demo_fresh_machine)
    tap.run("continue: the next shot from the last frame, linked", test_continue)
    tap.run("extend: the whole longer clip, linked", test_extend)
    tap.run("extend on a gateway: exit 2, nothing sent", test_extend_refused)
finally:
    sim.stop()
    remove_root(root)
tap.finish()
