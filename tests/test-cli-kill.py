#!/usr/bin/env python3
# test-cli-kill.py
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Kills `kinema-cli generate` (and sometimes the `resume` after it) with SIGKILL at random
# moments of the submit, the polling
# and the download, then runs `kinema-cli resume`, and checks that nothing is lost and
# nothing is paid twice:
#   - every job ends Succeeded with a file byte-identical to the simulator's clip, and
#     the simulator saw exactly one submit for it;
#   - a job killed during its submit, before the remote id was stored, ends Needs
#     checking with zero or one submits, and resume never sends it again;
#   - no .part file and no half-written file is left in the downloads folder.
#
# KINEMA_KILL_RUNS runs (default 100) go through KINEMA_KILL_LANES lanes (default 6) at
# once; each lane has its own home and history and runs its jobs one after another.
# The simulator's slow replies, slow and truncated downloads widen the windows.

import json
import os
import queue
import random
import signal
import sys
import threading
import time

sys.dont_write_bytecode = True  # nothing written into the source tree
from kinema_cli_test import (
    EXIT_FAILED, EXIT_NETWORK, EXIT_OK, Home, Sim, Tap, check, check_eq, make_clip, new_root, read_bytes, remove_root,
)

RUNS = int(os.environ.get("KINEMA_KILL_RUNS", "100"))
LANES = max(1, min(int(os.environ.get("KINEMA_KILL_LANES", "6")), RUNS))
SEED = int(os.environ.get("KINEMA_KILL_SEED", str(int(time.time()))))
KEY = "sk-kill-test"
ACCESS_KEY, SECRET_KEY = "ak-kill-test", "sk-kill-secret-0123456789"
POLL = "0.02"

tap = Tap()
if RUNS <= 0:
    tap.skip_all("KINEMA_KILL_RUNS is 0")

root = new_root("kinema-test-cli-kill-")
try:
    # A few hundred kB, so that downloads take a moment and can be cut.
    clip = make_clip(os.path.join(root, "clip.mp4"), frames=120, width=640, height=360)
    clip_bytes = read_bytes(clip)
    sim = Sim("--clip", clip, "--queued-ms", "120", "--running-ms", "300", "--bearer-key", KEY,
              "--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY, state_dir=os.path.join(root, "sim"))
except BaseException:
    remove_root(root)
    raise

# API styles, each with its submit, poll and download paths (globs for the faults).
# Official Kling (JWT) can look a job up by our external_task_id: a job killed during
# its submit is recovered (Succeeded, one submit) or known never to have arrived
# (Failed "not found", no submit) instead of needing checking.
STYLES = [
    {"style": "kling", "auth": "kling-jwt", "base": sim.url, "submit": "/v1/videos/*",
     "poll": "/v1/videos/*/*", "download": "/cdn/*"},
    {"style": "kling", "base": sim.url + "/kling", "submit": "/kling/v1/videos/*",
     "poll": "/kling/v1/videos/*/*", "download": "/cdn/*"},
    {"style": "video-generations", "base": sim.url, "submit": "/v1/video/generations",
     "poll": "/v1/video/generations/*", "download": "/cdn/*"},
    {"style": "openai-videos", "base": sim.url, "submit": "/v1/videos",
     "poll": "/v1/videos/*", "download": "/v1/videos/*/content"},
]
PHASES = ["submit", "poll", "download", "any"]
MARKERS = {"submit": ("Job ",), "poll": ("Queued", "Generating"), "download": ("Downloading",)}

stats_lock = threading.Lock()
counts = {"runs": 0, "killed": 0, "resume_killed": 0, "finished_before_kill": 0, "succeeded": 0, "never_stored": 0,
          "needs_checking_0": 0, "needs_checking_1": 0, "never_arrived": 0}
# Every task id in the lanes' histories: the simulator must know no other.
all_ids = set()
for phase in PHASES:
    counts["killed_" + phase] = 0
problems = []
leftovers = []


def count(name):
    with stats_lock:
        counts[name] += 1


def problem(text):
    with stats_lock:
        problems.append(text)


def leftover(text):
    with stats_lock:
        leftovers.append(text)


def add_faults(rng, style, phase):
    """Slow or broken replies where this run may be killed (they may as well hit
    another lane's request: the outcome must be right either way)."""
    if phase in ("submit", "any") and rng.random() < 0.6:
        sim.fault({"method": "POST", "path": style["submit"], "kind": "slow",
                   "delay_ms": rng.randint(100, 400), "count": 1})
    if phase in ("poll", "any") and rng.random() < 0.5:
        sim.fault({"method": "GET", "path": style["poll"], "kind": rng.choice(["slow", "drop"]),
                   "delay_ms": rng.randint(50, 250), "count": 1})
    if phase in ("download", "any") and rng.random() < 0.7:
        kind = rng.choice(["slow", "truncated-download"])
        sim.fault({"method": "GET", "path": style["download"], "kind": kind,
                   "delay_ms": rng.randint(100, 400), "count": 1})


class Reader(threading.Thread):
    """Collects a process's stderr lines and wakes the killer on a marker."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.lines = queue.Queue()

    def run(self):
        for line in self.stream:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, markers, deadline):
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return False
            if line is None:
                return False
            if any(marker in line for marker in markers):
                return True


def one_run(lane, home, style, rng, run_index, n_stored):
    """Returns how many tasks the lane's history holds afterwards."""
    phase = rng.choice(PHASES)
    add_faults(rng, style, phase)
    proc = home.popen("generate", "--base-url", style["base"], "--api-style", style["style"],
                      "--auth", style.get("auth", "bearer"), "--prompt", "Kill run %d.%d" % (lane, run_index), "--poll-interval", POLL,
                      "--json")
    reader = Reader(proc.stderr)
    reader.start()
    if phase == "submit":
        # Right after the task is stored (the submit follows at once), or at any
        # moment of the start-up and the submit.
        if rng.random() < 0.5 and reader.wait_for(MARKERS["submit"], time.monotonic() + 20):
            time.sleep(rng.uniform(0.0, 0.03))
        else:
            time.sleep(rng.uniform(0.0, 0.25))
    elif phase == "any":
        time.sleep(rng.uniform(0.0, 1.5))
    else:
        if reader.wait_for(MARKERS[phase], time.monotonic() + 20):
            time.sleep(rng.uniform(0.0, 0.2 if phase == "poll" else 0.08))
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        count("killed")
        count("killed_" + phase)
    else:
        count("finished_before_kill")
    proc.wait()
    proc.stdout.close()
    reader.join(timeout=5)
    proc.stderr.close()

    before = sim.submits()
    if rng.random() < 0.3:
        # The resume itself dies too, at any moment of its polling or download.
        again = home.popen("resume", "--poll-interval", POLL)
        time.sleep(rng.uniform(0.0, 0.6))
        if again.poll() is None:
            again.send_signal(signal.SIGKILL)
            count("resume_killed")
        again.communicate()
    resumed = home.run("resume", "--poll-interval", POLL, "--json", "--timeout", "60", timeout=120)
    after = sim.submits()

    jobs = home.list()
    with stats_lock:
        all_ids.update(job["id"] for job in jobs)
    if len(jobs) == n_stored:
        # Killed before the task was stored: nothing may have been sent (checked at
        # the end: the simulator knows no job that is not in a history).
        count("never_stored")
        return n_stored
    if len(jobs) != n_stored + 1:
        problem("lane %d run %d: %d jobs in the history, expected %d" % (lane, run_index, len(jobs),
                                                                         n_stored + 1))
        return len(jobs)
    job = jobs[0]
    submits = after.get(job["id"], 0)
    # A resume that finds a job it was sending when it died cannot know whether the provider
    # got it: the job becomes Needs checking and the resume exits 4 (server or network: not
    # settled) so that a script notices; the job itself is checked below.
    settled_elsewhere = ((job["status"] == "failed" and job.get("error_code") == "not-found") or
                         (job["status"] == "needs-checking" and resumed.code == EXIT_NETWORK))
    if resumed.code != EXIT_OK and not settled_elsewhere:
        problem("lane %d run %d (%s): resume exited %d: %s" % (lane, run_index, phase, resumed.code,
                                                               resumed.stderr[-2000:]))
    if submits != before.get(job["id"], 0):
        problem("lane %d run %d: resume sent job %s again" % (lane, run_index, job["id"]))
    if job["status"] == "succeeded":
        count("succeeded")
        path = job["video_path"]
        if not path or not os.path.isfile(path):
            problem("lane %d run %d: job %s succeeded without a file (%r)" % (lane, run_index, job["id"], path))
        elif read_bytes(path) != clip_bytes:
            problem("lane %d run %d: %s differs from the simulator's clip (%d bytes, expected %d)"
                    % (lane, run_index, path, os.path.getsize(path), len(clip_bytes)))
        if submits != 1:
            problem("lane %d run %d (%s): job %s saw %d submits" % (lane, run_index, phase, job["id"], submits))
    elif (job["status"] == "failed" and job.get("error_code") == "not-found" and submits == 0 and
          style.get("auth") == "kling-jwt"):
        # "failed, nothing charged": exit 1 from the resume that found out (or 0 when a
        # resume killed just after did)
        count("never_arrived")
        if resumed.code not in (EXIT_OK, EXIT_FAILED):
            problem("lane %d run %d: resume exited %d for a job that never arrived" % (lane, run_index,
                                                                                    resumed.code))
        return len(jobs)
    elif job["status"] == "needs-checking":
        if submits > 1:
            problem("lane %d run %d: job %s needs checking after %d submits" % (lane, run_index, job["id"],
                                                                                submits))
        else:
            count("needs_checking_%d" % submits)
    else:
        problem("lane %d run %d (%s): job %s ended %s (%s)" % (lane, run_index, phase, job["id"],
                                                             job["status"], job["error"]))
    return len(jobs)


def check_downloads(home, lane):
    """Only finished clips (identical to the simulator's) and their JSON sidecars, one
    clip per job that succeeded."""
    saved = {os.path.basename(job["video_path"]) for job in home.list()
             if job["status"] == "succeeded" and job["video_path"]}
    clips = {name for name in home.files() if name.endswith(".mp4")}
    if clips != saved:
        if saved - clips:
            problem("lane %d: jobs without their clip: %r" % (lane, sorted(saved - clips)))
        if clips - saved:
            leftover("lane %d: clips no job owns: %r" % (lane, sorted(clips - saved)))
    for name in home.files():
        path = os.path.join(home.downloads, name)
        if name.endswith(".json"):
            try:
                with open(path) as f:
                    json.load(f)
            except ValueError:
                leftover("lane %d: half-written sidecar %s" % (lane, name))
        elif name.endswith(".mp4"):
            if read_bytes(path) != clip_bytes:
                problem("lane %d: %s is not the simulator's clip" % (lane, name))
        else:
            leftover("lane %d: unexpected file %s in the downloads folder" % (lane, name))


def lane_main(lane, n_runs):
    rng = random.Random(SEED * 1000 + lane)
    home = Home(root, "lane%d" % lane, api_key=KEY)
    home.env["KINEMA_ACCESS_KEY"] = ACCESS_KEY
    home.env["KINEMA_SECRET_KEY"] = SECRET_KEY
    style = STYLES[lane % len(STYLES)]
    n_stored = 0
    for i in range(n_runs):
        count("runs")
        try:
            n_stored = one_run(lane, home, style, rng, i, n_stored)
        except Exception as e:  # noqa: BLE001 - recorded and reported
            problem("lane %d run %d: %r" % (lane, i, e))
            n_stored = len(home.list())
    check_downloads(home, lane)


def test_kill_resume():
    tap.diag("%d runs in %d lanes, seed %d (KINEMA_KILL_SEED to repeat)" % (RUNS, LANES, SEED))
    started = time.monotonic()
    threads = []
    for lane in range(LANES):
        n = RUNS // LANES + (1 if lane < RUNS % LANES else 0)
        thread = threading.Thread(target=lane_main, args=(lane, n))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    tap.diag("took %.1f s: %s" % (time.monotonic() - started, json.dumps(counts, sort_keys=True)))

    # The simulator's view: every job it made belongs to one of our tasks, once.
    stats = sim.stats()
    by_id = stats["submits"]["by_external_task_id"]
    twice = {task_id: n for task_id, n in by_id.items() if n > 1}
    if twice:
        problem("jobs submitted more than once: %r" % twice)
    if stats["submits"]["jobs"] != sum(by_id.values()):
        problem("%d jobs but %d submits with our ids" % (stats["submits"]["jobs"], sum(by_id.values())))
    strays = set(by_id) - all_ids
    if strays:
        problem("submits for tasks that no history holds: %r" % sorted(strays))

    for text in problems[:40]:
        tap.diag(text)
    check_eq(len(problems), 0, "problems")
    check_eq(counts["runs"], RUNS, "runs")
    check_eq(counts["succeeded"] + counts["needs_checking_0"] + counts["needs_checking_1"] +
             counts["never_stored"] + counts["never_arrived"], RUNS, "jobs accounted for")


def test_no_leftovers():
    for text in leftovers[:40]:
        tap.diag(text)
    check_eq(len(leftovers), 0, "leftover files")


try:
    tap.run("SIGKILL at random moments, then resume (%d runs)" % RUNS, test_kill_resume)
    tap.run("no leftover .part, temporary or orphaned files", test_no_leftovers)
finally:
    sim.stop()
    remove_root(root)
tap.finish()
