#!/bin/sh
# Builds the Debian package, installs it, checks the installed app on its installed
# files alone, and removes it again (also when a check fails):
#   sh build-aux/check-installed.sh [OUTPUT-DIR]
# Needs root (apt-get install). Prints TAP-like "ok"/"not ok" lines and a summary line
# "installed: N passed, M failed"; exits 1 when anything failed.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
app_id=io.github.kinema.Kinema
scratch=$(mktemp -d /tmp/kinema-installed.XXXXXX)
out=${1:-$scratch/deb}
mkdir -p "$out"
passed=0
failed=0
installed_here=0
app_pid=

ok () { passed=$((passed + 1)); echo "ok - $*"; }
not_ok () { failed=$((failed + 1)); echo "not ok - $*"; }
# check NAME COMMAND…: one counted check
check () {
  name=$1; shift
  if "$@" > "$scratch/check.log" 2>&1; then ok "$name"; else not_ok "$name"; sed 's/^/# /' "$scratch/check.log" | tail -n 30; fi
}

cleanup () {
  status=$?
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  if [ "$installed_here" -eq 1 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get remove --purge -y -q kinema > "$scratch/remove.log" 2>&1 ||
      { echo "not ok - apt-get remove --purge kinema"; cat "$scratch/remove.log"; status=1; }
  fi
  rm -rf "$scratch"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -ne 0 ]; then
  echo "check-installed: needs root (it installs and removes the kinema package)" >&2
  exit 1
fi
if dpkg-query -W -f='${Status}' kinema 2>/dev/null | grep -q "ok installed"; then
  echo "check-installed: kinema is installed already; remove it first (this check must not replace it)" >&2
  exit 1
fi

# 1. The package, from a copy of the tree (the build leaves files next to the sources).
src="$scratch/src"
mkdir -p "$src"
(cd "$top" && tar --exclude='./_build*' --exclude=./.git --exclude='./obj-*' --exclude='./debian/kinema' \
   --exclude='./debian/.debhelper' -cf - .) | tar -C "$src" -xf -
if (cd "$src" && DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b) \
     > "$scratch/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc -b"
else
  not_ok "dpkg-buildpackage -us -uc -b"; tail -n 40 "$scratch/build.log"; exit 1
fi
cp "$scratch"/kinema_*.deb "$out"/
deb=$(ls "$out"/kinema_*.deb | head -n 1)
check "lintian: no errors or warnings" lintian --fail-on error,warning \
  "$scratch"/kinema_*.changes

# 2. Install it as a user would.
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$deb" > "$scratch/install.log" 2>&1; then
  installed_here=1; ok "apt-get install $(basename "$deb")"
else
  not_ok "apt-get install $(basename "$deb")"; tail -n 30 "$scratch/install.log"; exit 1
fi

# 3. The installed files alone: an empty home outside the source tree, no variable
#    pointing into the tree or the build (no GSETTINGS_SCHEMA_DIR, KINEMA_*, XDG_DATA_DIRS).
home="$scratch/home"
mkdir -p "$home/runtime"
chmod 700 "$home/runtime"
cd "$home"
# (mktemp's folder has no spaces, so $clean splits into its words)
clean="env -i PATH=/usr/bin:/bin HOME=$home XDG_RUNTIME_DIR=$home/runtime LANG=C.UTF-8 DBUS_SESSION_BUS_ADDRESS=unix:path=$home/no-bus"
run () {
  $clean "$@"
}
# Each X server on a display number of its own: xvfb-run -a takes the first number without a
# lock file, and the server of the previous check may not have removed its lock and socket
# yet, so a new server on the same number could fail to start ("cannot open display").
display=120
in_x () {
  display=$((display + 1))
  run xvfb-run -a -n "$display" -s "-screen 0 1280x800x24" dbus-run-session -- "$@"
}

version=$(dpkg-query -W -f='${Version}' kinema)
check "kinema --version and kinema-cli --version say $version" \
  sh -c "[ \"\$($clean kinema --version)\" = 'kinema $version' ] && [ \"\$($clean kinema-cli --version)\" = 'kinema-cli $version' ]"
check "the GSettings schema is found" sh -c "$clean gsettings list-keys $app_id | grep -qx downloads-folder"

cat > "$scratch/icon.py" <<'PY'
import sys
import gi
gi.require_version("Gtk", "4.0")
gi.require_version("Gdk", "4.0")
from gi.repository import Gdk, Gtk
Gtk.init()
theme = Gtk.IconTheme.get_for_display(Gdk.Display.get_default())
icon = theme.lookup_icon(sys.argv[1], None, 128, 1, Gtk.TextDirection.NONE, 0)
path = icon.get_file().get_path() if icon.get_file() else None
print(path)
sys.exit(0 if theme.has_icon(sys.argv[1]) and path and path.startswith("/usr/share/icons/hicolor/") else 1)
PY
check "the icon resolves from the hicolor theme" in_x python3 "$scratch/icon.py" "$app_id"

# The desktop file starts the window (gtk4-launch is GTK 4's gtk-launch).
cat > "$scratch/launch.sh" <<'SH'
launch=$(command -v gtk4-launch || command -v gtk-launch)
"$launch" "$1" &
for i in $(seq 1 120); do
  if xdotool search --onlyvisible --name '^Kinema$' > /dev/null 2>&1; then
    window=$(xdotool search --onlyvisible --name '^Kinema$' | head -n 1)
    pid=$(xdotool getwindowpid "$window" 2>/dev/null || true)
    echo "window $window of process $pid: $(ps -o args= -p "$pid" 2>/dev/null)"
    # The app leaves with its X server and session bus anyway; end it cleanly first.
    [ -n "$pid" ] && kill -TERM "$pid"
    exit 0
  fi
  sleep 0.5
done
echo "no Kinema window after 60 s"
exit 1
SH
check "the desktop file launches the window (gtk-launch $app_id)" in_x sh "$scratch/launch.sh" "$app_id"

check "a demo job completes through the installed kinema-cli" sh -c "
  $clean kinema-cli generate --provider demo --prompt 'A paper boat on a rainy street' --json > '$scratch/demo.json' &&
  python3 -c 'import json,os,sys; s=json.load(open(sys.argv[1])); sys.exit(0 if s[\"status\"]==\"succeeded\" and os.path.getsize(s[\"video_path\"])>1000 and s[\"video_path\"].startswith(sys.argv[2]) else 1)' \
    '$scratch/demo.json' '$home/Videos/Kinema/'"

# Kling's video extension (issue 14) through the installed kinema-cli and simulator: a Kling 1.6
# demo clip (the models Kling extends: data/capabilities.json) and its extension, the whole longer clip.
cat > "$scratch/extend.py" <<'PY'
import json, os, subprocess, sys
def cli(*args):
    out = subprocess.run(["/usr/bin/kinema-cli", *args, "--json"], capture_output=True, text=True, check=True).stdout
    return json.loads(out)
clip = cli("generate", "--provider", "demo", "--model", "kling-v1-6", "--prompt", "A paper boat on a rainy street")
ext = cli("extend", clip["id"], "--prompt", "The boat drifts under a bridge")
print(json.dumps(ext))
ok = (ext["status"] == "succeeded" and ext["kind"] == "video-extend" and ext["extends"] == clip["id"]
      and os.path.getsize(ext["video_path"]) > os.path.getsize(clip["video_path"]))
sys.exit(0 if ok else 1)
PY
check "a demo clip is extended through the installed kinema-cli" run python3 "$scratch/extend.py"

cat > "$scratch/zh.py" <<'PY'
import gettext, subprocess, sys
want = gettext.translation("kinema", localedir="/usr/share/locale", languages=["zh_CN"]).gettext("Make a clip and save it")
got = subprocess.run(["/usr/bin/kinema-cli", "--help"], capture_output=True, text=True).stdout
print(got)
sys.exit(0 if want != "Make a clip and save it" and want in got else 1)
PY
check "LANGUAGE=zh_CN speaks Chinese from /usr/share/locale" run env LANGUAGE=zh_CN python3 "$scratch/zh.py"

check "man kinema-cli renders" sh -c "$clean MANWIDTH=80 man -P cat kinema-cli | grep 'kinema-cli - make video clips'"
check "man kinema renders" sh -c "$clean MANWIDTH=80 man -P cat kinema | grep 'kinema - turn a photo'"
check "bash completion completes subcommands and provider names" \
  run python3 "$top/tests/check-completion.py" --installed /usr/bin/kinema-cli

echo "installed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
