# kinema_cli_test.py
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Helpers for the kinema-cli tests (test-cli.py, test-cli-kill.py): the kinema-sim
# tool as a process, isolated homes for kinema-cli, test images and clips, and a
# small TAP reporter. Standard library only.

import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import traceback
import urllib.request
import zlib

CLI = os.environ.get("KINEMA_CLI_BIN", "kinema-cli")
SIM = os.environ.get("KINEMA_SIM_BIN", "kinema-sim")

EXIT_OK, EXIT_FAILED, EXIT_INVALID, EXIT_AUTH, EXIT_NETWORK, EXIT_TIMEOUT = range(6)


class Tap:
    """Runs test functions and prints TAP; a failure does not stop the others."""

    def __init__(self):
        self.n = 0
        self.failed = 0
        self.lock = threading.Lock()

    def diag(self, text):
        with self.lock:
            for line in str(text).splitlines():
                print("# " + line, flush=True)

    def run(self, name, func, *args):
        self.n += 1
        try:
            func(*args)
        except Exception:  # noqa: BLE001 - every failure is reported
            self.failed += 1
            print("not ok %d - %s" % (self.n, name), flush=True)
            self.diag(traceback.format_exc())
        else:
            print("ok %d - %s" % (self.n, name), flush=True)

    def skip_all(self, reason):
        print("1..0 # SKIP " + reason, flush=True)
        sys.exit(0)

    def finish(self):
        print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed else 0)


def check(condition, message="check failed"):
    if not condition:
        raise AssertionError(message)


def check_eq(got, expected, message=""):
    if got != expected:
        raise AssertionError("%s: got %r, expected %r" % (message or "values differ", got, expected))


# ---------------------------------------------------------------------------
# Test files


def _png_chunk(kind, data):
    chunk = kind + data
    return struct.pack(">I", len(data)) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)


def write_png(path, width, height):
    """A real RGB PNG of @width x @height with a gradient."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes(((x * 255) // max(width - 1, 1), (y * 255) // max(height - 1, 1), 128))
    data = b"\x89PNG\r\n\x1a\n"
    data += _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    data += _png_chunk(b"IDAT", zlib.compress(bytes(rows), 6))
    data += _png_chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)
    return path


def make_clip(path, frames=48, width=320, height=180):
    """A small real H.264 MP4 for the simulator to serve (gst-launch-1.0)."""
    pipeline = [
        "gst-launch-1.0", "-q",
        "videotestsrc", "num-buffers=%d" % frames, "pattern=ball", "!",
        "video/x-raw,width=%d,height=%d,framerate=24/1" % (width, height), "!",
        "videoconvert", "!", "x264enc", "speed-preset=ultrafast", "!",
        "video/x-h264,profile=constrained-baseline", "!", "h264parse", "!", "mp4mux", "!",
        "filesink", "location=" + path,
    ]
    env = dict(os.environ)
    subprocess.run(pipeline, check=True, timeout=60, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    check(os.path.getsize(path) > 1000, "the test clip was not made")
    return path


# ---------------------------------------------------------------------------
# The simulator


class Sim:
    def __init__(self, *args, state_dir=None):
        cmd = [SIM, "--port", "0"] + list(args)
        if state_dir:
            cmd += ["--state-dir", state_dir]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.proc.kill()
            raise RuntimeError("kinema-sim did not start (printed %r)" % self.url)

    def _request(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as reply:
            return json.loads(reply.read().decode() or "null")

    def stats(self):
        return self._request("GET", "/_sim/stats")

    def fault(self, fault):
        return self._request("POST", "/_sim/faults", fault)

    def clear_faults(self):
        return self._request("DELETE", "/_sim/faults")

    def config(self, **config):
        return self._request("POST", "/_sim/config", config)

    def submits(self):
        """Submits per external_task_id (our task id)."""
        return self.stats()["submits"]["by_external_task_id"]

    def requests(self):
        return self.stats()["requests"]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


# ---------------------------------------------------------------------------
# kinema-cli in its own home


class Home:
    """A throw-away HOME with XDG dirs: one history, one provider list."""

    def __init__(self, root, name, api_key=None):
        self.path = os.path.join(root, name)
        self.env = dict(os.environ)
        for var in ("DBUS_SESSION_BUS_ADDRESS", "KINEMA_API_KEY", "KINEMA_ACCESS_KEY",
                    "KINEMA_SECRET_KEY", "DISPLAY", "WAYLAND_DISPLAY"):
            self.env.pop(var, None)
        dirs = {"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data",
                "XDG_CACHE_HOME": "cache", "XDG_RUNTIME_DIR": "runtime"}
        for var, sub in dirs.items():
            path = os.path.join(self.path, sub)
            os.makedirs(path, mode=0o700, exist_ok=True)
            self.env[var] = path
        self.env["LANGUAGE"] = "en"
        self.env["LC_ALL"] = "C.UTF-8"
        # No session bus: the keyring fails at once instead of waiting.
        self.env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=" + os.path.join(self.path, "no-bus")
        if api_key is not None:
            self.env["KINEMA_API_KEY"] = api_key
        self.downloads = os.path.join(self.env["HOME"], "Videos", "Kinema")
        self.data = os.path.join(self.env["XDG_DATA_HOME"], "kinema")

    def run(self, *args, timeout=120, env=None, check_json=False):
        full_env = dict(self.env)
        full_env.update(env or {})
        proc = subprocess.run([CLI] + [str(a) for a in args], env=full_env, capture_output=True,
                              text=True, timeout=timeout)
        result = Result(proc.returncode, proc.stdout, proc.stderr, args)
        if check_json:
            result.json()
        return result

    def popen(self, *args, env=None):
        full_env = dict(self.env)
        full_env.update(env or {})
        return subprocess.Popen([CLI] + [str(a) for a in args], env=full_env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def list(self):
        result = self.run("list", "--json")
        check_eq(result.code, 0, "list --json: " + result.stderr)
        return result.json()

    def files(self, folder=None):
        folder = folder or self.downloads
        if not os.path.isdir(folder):
            return []
        return sorted(os.listdir(folder))


class Result:
    def __init__(self, code, stdout, stderr, args):
        self.code = code
        self.stdout = stdout
        self.stderr = stderr
        self.args = args

    def json(self):
        try:
            return json.loads(self.stdout)
        except ValueError:
            raise AssertionError("not JSON on stdout of %r: %r (stderr %r)"
                                 % (self.args, self.stdout, self.stderr)) from None

    def expect(self, code):
        if self.code != code:
            raise AssertionError("kinema-cli %s: exit %d, expected %d\nstdout: %s\nstderr: %s"
                                 % (" ".join(map(str, self.args)), self.code, code, self.stdout,
                                    self.stderr))
        return self


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def new_root(prefix):
    return tempfile.mkdtemp(prefix=prefix, dir=os.environ.get("TMPDIR"))


def remove_root(path):
    shutil.rmtree(path, ignore_errors=True)
