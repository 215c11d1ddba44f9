#!/usr/bin/env python3
# test-cli-story.py
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# kinema-cli export and story against jobs made on the kinema-sim tool: MP4 (remuxed),
# WebM and GIF with trim and size, the JSON summary, the exit codes of bad input and of
# a folder that cannot be written (nothing left behind); stories created, edited,
# listed, exported as one clip and deleted.

import os
import struct
import sys

sys.dont_write_bytecode = True  # nothing written into the source tree
from kinema_cli_test import (
    EXIT_INVALID, EXIT_NETWORK, EXIT_OK,
    Home, Sim, Tap, check, check_eq, make_clip, new_root, remove_root,
)

KEY = "sk-test-cli-story-0123456789"
POLL = ["--poll-interval", "0.05"]
FRAMES = 48  # make_clip: 48 frames at 24 fps, 320 × 180
CLIP_S = 2.0

tap = Tap()
root = new_root("kinema-test-cli-story-")
try:
    clip = make_clip(os.path.join(root, "clip.mp4"), frames=FRAMES)
    sim = Sim("--clip", clip, "--queued-ms", "50", "--running-ms", "100", "--bearer-key", KEY,
              state_dir=os.path.join(root, "sim"))
except BaseException:
    remove_root(root)
    raise
gateway = ["--base-url", sim.url + "/kling", "--api-style", "kling"]
home = Home(root, "main", api_key=KEY)
out = os.path.join(root, "out")
os.makedirs(out)
jobs = []


def gif_size(path):
    with open(path, "rb") as f:
        header = f.read(10)
    check(header[:6] == b"GIF89a", "not a GIF89a: %r" % header[:6])
    return struct.unpack("<HH", header[6:10])


def test_make_jobs():
    """Three finished jobs to export and to join."""
    for i in range(3):
        summary = home.run("generate", *gateway, "--prompt", "Shot %d" % (i + 1), *POLL,
                           "--json").expect(EXIT_OK).json()
        check_eq(summary["status"], "succeeded", "status")
        jobs.append(summary["id"])


def test_export_formats():
    """MP4 of one clip is remuxed; WebM and GIF are encoded; trim and size apply."""
    mp4 = os.path.join(out, "clip.mp4")
    result = home.run("export", jobs[0], "--output", mp4, "--json").expect(EXIT_OK)
    summary = result.json()
    check_eq(summary["output"], mp4, "output")
    # Progress goes to stderr; when it is done, no time is left to announce.
    check("Exporting: 100%" in result.stderr, "no final progress line: %r" % result.stderr)
    check("0 seconds left" not in result.stderr, "a time left at 100%%: %r" % result.stderr)
    check_eq(summary["format"], "mp4", "format")
    check(summary["remuxed"] is True, "one H.264 clip to MP4 was re-encoded")
    check(abs(summary["duration"] - CLIP_S) < 0.05, "duration %r" % summary["duration"])
    check(os.path.getsize(mp4) > 1000, "the MP4 is empty")

    webm = os.path.join(out, "clip.webm")
    summary = home.run("export", jobs[0][:13], "--format", "webm", "--trim", "0.5:", "--output", webm,
                       "--json").expect(EXIT_OK).json()
    check(summary["remuxed"] is False, "a trimmed WebM cannot be a remux")
    check(abs(summary["duration"] - 1.5) < 0.05, "trimmed duration %r" % summary["duration"])
    with open(webm, "rb") as f:
        check(f.read(4) == b"\x1a\x45\xdf\xa3", "not a Matroska/WebM file")

    gif = os.path.join(out, "clip.gif")
    summary = home.run("export", jobs[0], "--trim", ":1", "--size", "480p", "--output", gif,
                       "--json").expect(EXIT_OK).json()
    check_eq(summary["format"], "gif", "format from the file name")
    check(abs(summary["duration"] - 1.0) < 0.05, "GIF duration %r" % summary["duration"])
    check_eq(gif_size(gif), (320, 180), "GIF size (480p never enlarges)")
    check_eq(sorted(os.listdir(out)), ["clip.gif", "clip.mp4", "clip.webm"], "files in the folder")


def test_export_bad_input():
    """Exit 2 for what cannot be right, exit 4 for a folder that does not exist; nothing
    is written either way."""
    target = os.path.join(out, "bad.mp4")
    home.run("export", jobs[0], "--format", "avi", "--output", target).expect(EXIT_INVALID)
    home.run("export", jobs[0], "--size", "4k", "--output", target).expect(EXIT_INVALID)
    home.run("export", jobs[0], "--trim", "3:1", "--output", target).expect(EXIT_INVALID)
    home.run("export", jobs[0], "--trim", "abc", "--output", target).expect(EXIT_INVALID)
    home.run("export", jobs[0]).expect(EXIT_INVALID)
    home.run("export", "00000000-0000-0000-0000-000000000000", "--output", target).expect(EXIT_INVALID)
    # Past the end of the clip: the exporter refuses it.
    home.run("export", jobs[0], "--trim", "5:", "--output", target).expect(EXIT_INVALID)
    result = home.run("export", jobs[0], "--output", os.path.join(out, "missing", "x.mp4"))
    result.expect(EXIT_NETWORK)
    check("missing" in result.stderr, "the message does not name the folder: %r" % result.stderr)
    check_eq(sorted(os.listdir(out)), ["clip.gif", "clip.mp4", "clip.webm"], "files in the folder")


def story_json(*args):
    return home.run("story", *args, "--json").expect(EXIT_OK).json()


def test_story_edit():
    """create, add, move, remove, show, list: kept in the history between runs."""
    story = story_json("create", "--title", "Boat trip", jobs[0], jobs[1][:13])
    check_eq(story["title"], "Boat trip", "title")
    check_eq(story["shots"], jobs[:2], "shots after create")
    sid = story["id"]

    story = story_json("add", sid[:8], jobs[2])
    check_eq(story["shots"], jobs, "shots after add")
    story = story_json("add", "Boat trip", jobs[0], "--at", "2")
    check_eq(story["shots"], [jobs[0], jobs[0], jobs[1], jobs[2]], "add --at 2")
    story = story_json("remove", sid, "2")
    check_eq(story["shots"], jobs, "remove by position")
    story = story_json("move", sid, "3", "1")
    check_eq(story["shots"], [jobs[2], jobs[0], jobs[1]], "move 3 to 1")
    story = story_json("remove", sid, jobs[0])
    check_eq(story["shots"], [jobs[2], jobs[1]], "remove by job id")
    story = story_json("move", sid, "1", "2")
    check_eq(story["shots"], [jobs[1], jobs[2]], "move 1 to 2")

    shown = story_json("show", sid)
    check_eq(shown["shots"], [jobs[1], jobs[2]], "show after a new process")
    listed = story_json("list")
    check_eq([s["id"] for s in listed], [sid], "list")
    text = home.run("story", "list").expect(EXIT_OK).stdout
    check(sid in text and "2 shots" in text and "Boat trip" in text, "story list: %r" % text)

    # Bad input changes nothing.
    home.run("story", "add", sid, "00000000-0000-0000-0000-000000000000").expect(EXIT_INVALID)
    home.run("story", "move", sid, "1", "3").expect(EXIT_INVALID)
    home.run("story", "remove", sid, "0").expect(EXIT_INVALID)
    home.run("story", "show", "no-such-story").expect(EXIT_INVALID)
    home.run("story", "frobnicate", sid).expect(EXIT_INVALID)
    home.run("story").expect(EXIT_INVALID)
    check_eq(story_json("show", sid)["shots"], [jobs[1], jobs[2]], "shots after bad input")


def test_story_export_delete():
    """A story exports as one clip as long as its shots; delete leaves the jobs."""
    sid = story_json("create", jobs[0], jobs[1], jobs[2])["id"]
    target = os.path.join(out, "story.mp4")
    summary = home.run("export", sid, "--output", target, "--json").expect(EXIT_OK).json()
    check(summary["remuxed"] is True, "three identical H.264 clips were re-encoded")
    check(abs(summary["duration"] - 3 * CLIP_S) < 0.05, "story duration %r" % summary["duration"])
    gif = os.path.join(out, "story.gif")
    summary = home.run("export", sid[:8], "--trim", "1:5", "--output", gif, "--json").expect(EXIT_OK).json()
    check(abs(summary["duration"] - 4.0) < 0.05, "trimmed story duration %r" % summary["duration"])
    os.remove(target)
    os.remove(gif)

    empty = story_json("create", "--title", "Empty")["id"]
    home.run("export", empty, "--output", target).expect(EXIT_INVALID)
    for story_id in (sid, empty):
        home.run("story", "delete", story_id).expect(EXIT_OK)
    remaining = [s["id"] for s in story_json("list")]
    check(sid not in remaining and empty not in remaining, "deleted stories still listed: %r" % remaining)
    check_eq(len([j for j in home.list() if j["id"] in jobs]), 3, "jobs after deleting stories")


try:
    tap.run("three jobs", test_make_jobs)
    tap.run("export to MP4, WebM and GIF", test_export_formats)
    tap.run("export: bad input and a missing folder", test_export_bad_input)
    tap.run("story: create, add, move, remove, show, list", test_story_edit)
    tap.run("story: export and delete", test_story_export_delete)
finally:
    sim.stop()
    remove_root(root)
tap.finish()
