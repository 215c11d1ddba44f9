#!/usr/bin/env python3
# test-cli-hostile.py
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# kinema-cli against hostile and broken servers (issue 15), played by kinema-sim's
# --hostile cases and faults: it never crashes (a signal would show as a negative
# return code), ends each case with a clear message and an exit code from 1 to 5,
# keeps under a request budget counted on the simulator's side, and never sends one
# gateway's key to another.

import hashlib
import os
import resource
import struct
import subprocess
import sys
import zlib

sys.dont_write_bytecode = True  # nothing written into the source tree
from kinema_cli_test import (
    CLI, EXIT_INVALID, EXIT_OK, Home, Sim, Tap, check, make_clip, new_root, remove_root,
)

KEY = "sk-hostile-first-0123456789"
OTHER_KEY = "sk-hostile-second-9876543210"
POLL = ["--poll-interval", "0.05"]

tap = Tap()
root = new_root("kinema-test-cli-hostile-")
try:
    clip = make_clip(os.path.join(root, "clip.mp4"))
except BaseException:
    remove_root(root)
    raise


def fingerprint(key):
    """What the simulator logs of an Authorization header: never the key itself."""
    return hashlib.sha256(("Bearer " + key).encode()).hexdigest()[:16]


def check_clear_end(result, what):
    check(result.code >= 0, "%s: kinema-cli was killed by signal %d" % (what, -result.code))
    check(1 <= result.code <= 5, "%s: exit code %d, expected 1-5" % (what, result.code))
    check(result.stderr.strip() != "", "%s: no message on stderr" % what)


def gateway(sim):
    return ["--base-url", sim.url + "/kling", "--api-style", "kling"]


def cdn_requests(sim):
    return [e for e in sim.stats()["log"] if e["path"].startswith("/cdn/")]


def test_deep_json():
    """A poll reply nested 300 KB deep crashed kinema-cli inside json-glib, and every later
    resume crashed again. Now: a clear bad-reply error, and resume ends the job once the
    server answers sensibly."""
    sim = Sim("--clip", clip, "--queued-ms", "100", "--running-ms", "200", "--hostile", "deep-json")
    home = Home(root, "deep", api_key=KEY)
    try:
        first = home.run("generate", *gateway(sim), "--prompt", "Deep", *POLL, "--timeout", "20")
        check_clear_end(first, "generate")
        again = home.run("resume", *POLL, "--timeout", "5")
        check(again.code >= 0, "resume was killed by signal %d" % -again.code)
        sim.clear_faults()
        home.run("resume", *POLL, "--timeout", "60")
        listed = home.run("list", "--json").expect(EXIT_OK).json()
        check(all(job["status"] not in ("queued", "running") for job in listed),
              "a job is still active: %r" % listed)
    finally:
        sim.stop()


def test_oversized():
    """8 MB poll replies are refused, not buffered."""
    sim = Sim("--clip", clip, "--queued-ms", "100", "--running-ms", "200", "--hostile", "oversized")
    home = Home(root, "oversized", api_key=KEY)
    try:
        result = home.run("generate", *gateway(sim), "--prompt", "Big", *POLL, "--timeout", "20")
        check_clear_end(result, "generate")
    finally:
        sim.stop()


def test_bad_range():
    """206 replies that start at the wrong byte made 11,000 requests in 20 s. Now the
    download ends with a clear error after the budget of one call."""
    sim = Sim("--clip", clip, "--queued-ms", "100", "--running-ms", "200", "--hostile", "bad-range")
    home = Home(root, "range", api_key=KEY)
    try:
        result = home.run("generate", *gateway(sim), "--prompt", "Range", *POLL, "--timeout", "30")
        check_clear_end(result, "generate")
        n = len(cdn_requests(sim))
        check(1 <= n <= 6, "%d download requests" % n)
    finally:
        sim.stop()


def test_huge_retry_after():
    """`Retry-After: 4294968` on the download overflowed to 0.7 s between retries. Now the
    wait is clamped to an hour: one request, then exit 5 at --timeout."""
    sim = Sim("--clip", clip, "--queued-ms", "100", "--running-ms", "200", "--hostile", "huge-retry-after")
    home = Home(root, "retry-after", api_key=KEY)
    try:
        result = home.run("generate", *gateway(sim), "--prompt", "Later", *POLL, "--timeout", "4")
        check_clear_end(result, "generate")
        n = len(cdn_requests(sim))
        check(1 <= n <= 2, "%d download requests in 4 s" % n)
    finally:
        sim.stop()


def test_redirect_cases():
    """Downloads redirected for ever, or into the local network: a bounded number of
    requests, then a clear error."""
    for case in ("redirect-loop", "redirect-private"):
        sim = Sim("--clip", clip, "--queued-ms", "100", "--running-ms", "200", "--hostile", case)
        home = Home(root, case, api_key=KEY)
        try:
            result = home.run("generate", *gateway(sim), "--prompt", case, *POLL, "--timeout", "20")
            check_clear_end(result, case)
            n = len(cdn_requests(sim))
            check(1 <= n <= 6 * 3, "%s: %d download requests" % (case, n))
        finally:
            sim.stop()


def test_keys_stay_with_their_gateway():
    """KINEMA_API_KEY given for one gateway was sent to every other Bearer gateway with an
    unfinished job. Two simulators, two keys: the second never sees the first's key."""
    first = Sim("--clip", clip, "--queued-ms", "100", "--running-ms", "600000", "--bearer-key", KEY)
    second = Sim("--clip", clip, "--queued-ms", "100", "--running-ms", "600000", "--bearer-key", OTHER_KEY)
    home = Home(root, "two-gateways")
    config = os.path.join(home.env["XDG_CONFIG_HOME"], "kinema")
    os.makedirs(config)
    with open(os.path.join(config, "providers.ini"), "w") as f:
        for name, sim in (("one", first), ("two", second)):
            f.write("[provider:%s]\nname=Gateway %s\nbase-url=%s/kling\napi-style=kling\nauth=bearer\n"
                    "preset=custom\n\n" % (name, name, sim.url))
    try:
        for name, key in (("one", KEY), ("two", OTHER_KEY)):
            home.run("generate", "--provider", name, "--prompt", "Job on " + name, "--no-wait",
                     "--json", env={"KINEMA_API_KEY": key}).expect(EXIT_OK)
        # Both jobs unfinished. A resume with the first gateway's key, named three ways:
        # by KINEMA_PROVIDER, by --provider, and not at all (two gateways: for neither).
        for env, args in (({"KINEMA_PROVIDER": "one"}, []), ({}, ["--provider", "one"]), ({}, [])):
            env = dict(env, KINEMA_API_KEY=KEY)
            result = home.run("resume", *POLL, "--timeout", "2", *args, env=env)
            check(result.code >= 0, "resume was killed by signal %d" % -result.code)
            named = bool(args) or "KINEMA_PROVIDER" in env
            check(("not used" in result.stderr) != named, "hint about the unused key: %r" % result.stderr)
        seen_by_second = {e["authorization_sha256"] for e in second.stats()["log"]}
        check(fingerprint(OTHER_KEY) in seen_by_second, "the second gateway never got its own key")
        check(fingerprint(KEY) not in seen_by_second, "the first gateway's key reached the second")
        seen_by_first = {e["authorization_sha256"] for e in first.stats()["log"]}
        check(fingerprint(KEY) in seen_by_first, "the first gateway was not polled with its key")
        check(fingerprint(OTHER_KEY) not in seen_by_first, "the second gateway's key reached the first")
    finally:
        first.stop()
        second.stop()


def test_redirect_to_another_origin():
    """A poll redirected to another server: followed within the hop limit, without the key."""
    sim = Sim("--clip", clip, "--queued-ms", "100", "--running-ms", "200", "--bearer-key", KEY)
    other = Sim("--clip", clip)
    home = Home(root, "redirect", api_key=KEY)
    try:
        sim.fault({"method": "GET", "path": "/kling/v1/videos/*/*", "kind": "redirect", "count": -1,
                   "body": other.url + "/kling/v1/videos/text2video/elsewhere"})
        result = home.run("generate", *gateway(sim), "--prompt", "Moved", *POLL, "--timeout", "10")
        check_clear_end(result, "generate")
        log = other.stats()["log"]
        check(len(log) >= 1, "the redirect was not followed")
        check(not any(e["authorization"] for e in log), "the key followed the redirect: %r" % log)
    finally:
        sim.stop()
        other.stop()


def write_claiming_png(path, side):
    """A valid black 1-bit PNG of side x side: ~100 KB for 30000, 2.7 GB decoded."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    compressor = zlib.compressobj(9)
    row = bytes(1 + (side + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
                + chunk(b"IDAT", idat) + chunk(b"IEND", b""))
    return path


def test_huge_image():
    """A 30000 x 30000 PNG of under 1 MB as the start image took 2.6 GB. Now it is refused
    from its header (exit 2, nothing sent) and the process stays small."""
    home = Home(root, "huge-image", api_key=KEY)
    png = write_claiming_png(os.path.join(root, "huge.png"), 30000)
    check(os.path.getsize(png) < 1024 * 1024, "the test image is not under 1 MB")
    proc = subprocess.run([CLI, "generate", "--provider", "demo", "--image", png, "--prompt", "Huge"],
                          env=home.env, capture_output=True, text=True, timeout=120)
    check(proc.returncode == EXIT_INVALID, "exit code %r: %s" % (proc.returncode, proc.stderr))
    check("30000" in proc.stderr and "too large" in proc.stderr, "no clear refusal: %r" % proc.stderr)
    # The largest resident size of any child so far (kinema-cli, gst-launch, kinema-sim):
    # far below the 2.6 GB a full decode took.
    max_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    check(max_rss_mb < 400, "a child process reached %d MB" % max_rss_mb)


try:
    tap.run("a 30000 x 30000 image: refused, memory bounded", test_huge_image)
    tap.run("redirect to another origin: no key", test_redirect_to_another_origin)
    tap.run("deep JSON: no crash, resume ends the job", test_deep_json)
    tap.run("oversized replies: no crash", test_oversized)
    tap.run("206 at the wrong byte: a bounded number of requests", test_bad_range)
    tap.run("huge Retry-After: clamped, not wrapped around", test_huge_retry_after)
    tap.run("redirect loops and redirects into the local network", test_redirect_cases)
    tap.run("an environment key stays with its gateway", test_keys_stay_with_their_gateway)
finally:
    remove_root(root)
tap.finish()
