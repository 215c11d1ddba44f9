#!/usr/bin/python3
# test_e2e.py: drives the real app through AT-SPI (dogtail) against the offline demo.
#
# Copyright 2026 The Kinema authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage (meson runs it in suite ui, inside xvfb-run + dbus-run-session):
#   test_e2e.py KINEMA_BIN BUILD_ROOT [en|zh_CN]
#
# Starts `kinema IMAGE` with its own HOME and XDG folders on the demo provider, types a
# prompt, presses Generate, waits until the task row reads "Ready", selects it, takes a
# screenshot and checks that the video area is not blank. With zh_CN the labels are
# looked up through the built catalogue, so the test follows whatever the translation
# says (and skips, saying so, while the catalogue lacks them).
# Exit codes: 0 pass, 1 fail, 77 skip.

import gettext
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def log(*args):
    print('#', *args, flush=True)


def skip(reason):
    log('SKIP:', reason)
    sys.exit(SKIP)


def fail(reason):
    log('FAIL:', reason)
    sys.exit(1)


if len(sys.argv) < 3:
    fail('usage: test_e2e.py KINEMA_BIN BUILD_ROOT [en|zh_CN]')

KINEMA = sys.argv[1]
BUILD = sys.argv[2]
LANG = sys.argv[3] if len(sys.argv) > 3 else 'en'
LOCALEDIR = os.path.join(BUILD, 'po')

if not os.environ.get('DISPLAY'):
    skip('no display (run under xvfb-run)')
if not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
    skip('no session bus (run under dbus-run-session)')
for tool in ('import', 'convert'):
    if shutil.which(tool) is None:
        skip('ImageMagick (%s) is not installed' % tool)

# Labels, translated the way the app will show them.
if LANG == 'en':
    def tr(msgid):
        return msgid
else:
    try:
        catalog = gettext.translation('kinema', localedir=LOCALEDIR, languages=[LANG])
    except OSError:
        skip('no %s catalogue in %s' % (LANG, LOCALEDIR))

    def tr(msgid):
        return catalog.gettext(msgid)

    missing = [m for m in ('Prompt', 'Generate', 'Ready') if tr(m) == m]
    if missing:
        skip('the %s catalogue does not translate %s yet' % (LANG, ', '.join(missing)))

scratch = tempfile.mkdtemp(prefix='kinema-e2e-')
home = os.path.join(scratch, 'home')
for sub in ('home', 'config', 'data', 'cache', 'runtime'):
    os.makedirs(os.path.join(scratch, sub), mode=0o700)

# The shared session: dogtail refuses to run unless accessibility is switched on, and
# that key lives in the real settings backend (not the memory one the tests use).
session_env = dict(os.environ)
session_env.pop('GSETTINGS_BACKEND', None)
subprocess.run(['gsettings', 'set', 'org.gnome.desktop.interface', 'toolkit-accessibility', 'true'],
               env=session_env, check=False, stderr=subprocess.DEVNULL)
os.environ.pop('GSETTINGS_BACKEND', None)
os.environ.pop('NO_AT_BRIDGE', None)

from dogtail.config import config  # noqa: E402

config.actionDelay = 0.2
config.defaultDelay = 0.2
config.searchCutoffCount = 10
config.logDir = scratch
from dogtail import tree  # noqa: E402
from dogtail.predicate import GenericPredicate  # noqa: E402

# A photo for `kinema IMAGE`.
image = os.path.join(scratch, 'photo.png')
subprocess.run(['convert', '-size', '960x640', 'gradient:#f4a261-#2a9d8f',
                '-fill', '#e9c46a', '-draw', 'circle 480,320 560,400', image], check=True)

app_env = dict(os.environ)
app_env.update({
    'HOME': home,
    'XDG_CONFIG_HOME': os.path.join(scratch, 'config'),
    'XDG_DATA_HOME': os.path.join(scratch, 'data'),
    'XDG_CACHE_HOME': os.path.join(scratch, 'cache'),
    'XDG_VIDEOS_DIR': os.path.join(home, 'Videos'),
    'GSETTINGS_BACKEND': 'memory',
    'GSETTINGS_SCHEMA_DIR': os.path.join(BUILD, 'data'),
    'KINEMA_LOCALEDIR': LOCALEDIR,
    'GIO_USE_PROXY_RESOLVER': 'dummy',
    'GSK_RENDERER': 'cairo',
})
app_env.pop('NO_AT_BRIDGE', None)
if LANG == 'en':
    app_env.update({'LANGUAGE': 'en', 'LANG': 'C.UTF-8', 'LC_ALL': 'C.UTF-8'})
else:
    # LANGUAGE is ignored under the plain C locale; C.UTF-8 is always there.
    app_env.update({'LANGUAGE': LANG, 'LANG': 'C.UTF-8', 'LC_ALL': 'C.UTF-8'})

proc = subprocess.Popen([KINEMA, image], env=app_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(what, check, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            fail('kinema exited with %s while waiting for %s:\n%s'
                 % (proc.returncode, what, proc.stdout.read().decode(errors='replace')))
        try:
            result = check()
        except Exception:  # nodes come and go while the UI changes
            result = None
        if result:
            return result
        time.sleep(0.3)
    fail('timed out after %d s waiting for %s' % (timeout, what))


def find(root, **kwargs):
    return root.findChild(GenericPredicate(**kwargs), retry=False, requireResult=False)


def find_all(root, **kwargs):
    return root.findChildren(GenericPredicate(**kwargs))


try:
    app = wait_for('the app on the accessibility bus',
                   lambda: next((a for a in tree.root.applications()
                                 if a.name in ('Kinema', 'kinema', os.path.basename(KINEMA))), None), 30)
    log('found application', app.name)

    prompt = wait_for('the prompt field', lambda: find(app, name=tr('Prompt'), roleName='text'), 20)
    generate = wait_for('the Generate button', lambda: find(app, name=tr('Generate'), roleName='push button'), 10)

    # The start frame came from the command line; the list and player are other areas'
    # widgets that land separately.
    if find(app, name=tr('The task list is not part of this build yet.')) is not None:
        skip('the task list is not part of this build yet')
    if find(app, name=tr('The player is not part of this build yet.')) is not None:
        skip('the player is not part of this build yet')

    prompt.text = 'A calm sea at sunset, the sun slowly sinks'
    wait_for('Generate to be enabled', lambda: generate.sensitive, 30)
    if LANG == 'en':
        # From the keyboard: Ctrl+Enter while typing the prompt.
        from dogtail import rawinput
        # GTK 4.8 has no AT-SPI grabFocus: click into the field (XTest; Xvfb has no
        # window manager, so the window sits at 0,0 and the reported positions hold).
        prompt.click()
        wait_for('the prompt to take the focus', lambda: prompt.focused, 10)
        rawinput.keyCombo('<Control>Return')
        log('Ctrl+Enter pressed in the prompt')
    else:
        generate.doActionNamed('click')
        log('Generate pressed')

    ready_label = tr('Ready')

    def ready_row():
        for node in find_all(app, name=ready_label, roleName='label'):
            parent = node.parent
            for _ in range(8):
                if parent is None:
                    break
                if parent.roleName in ('list item', 'table row', 'list box item'):
                    return parent
                parent = parent.parent
        return None

    row = wait_for('a task row that reads "%s"' % ready_label, ready_row, 180)
    log('task row ready')

    # Select it: the player shows the selected task.
    try:
        row.grabFocus()
    except Exception:
        pass
    row.click()
    time.sleep(4)

    shot = os.path.join(scratch, 'shot.png')
    subprocess.run(['import', '-window', 'root', shot], check=True)
    keep = os.environ.get('KINEMA_E2E_SHOTS')
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copy(shot, os.path.join(keep, 'e2e-%s.png' % LANG))

    # The video area: the player pane, right of the composer and the task list. The
    # window around it is grey; the clip pans over the orange-to-teal photo, so a playing
    # clip shows up as varied (standard deviation) and colourful (saturation) pixels.
    frame = find(app, roleName='frame')
    (fx, fy) = frame.position if frame is not None else (0, 0)
    (fw, fh) = frame.size if frame is not None else (1280, 800)
    crop = '%dx%d+%d+%d' % (int(fw * 0.22), int(fh * 0.3), fx + int(fw * 0.75), fy + int(fh * 0.25))
    deviation = float(subprocess.run(['convert', shot, '-crop', crop, '-format', '%[fx:standard_deviation]',
                                      'info:'], check=True, capture_output=True, text=True).stdout.strip())
    saturation = float(subprocess.run(['convert', shot, '-crop', crop, '-colorspace', 'HSL', '-channel', 'G',
                                       '-separate', '-format', '%[fx:mean]', 'info:'],
                                      check=True, capture_output=True, text=True).stdout.strip())
    log('video area', crop, 'standard deviation %.4f, saturation %.4f' % (deviation, saturation))
    if deviation < 0.02:
        fail('the video area is blank (standard deviation %.4f)' % deviation)
    if saturation < 0.1:
        fail('the video area shows no clip, only the grey window (saturation %.4f)' % saturation)
    log('PASS')
finally:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    shutil.rmtree(scratch, ignore_errors=True)
