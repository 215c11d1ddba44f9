#!/bin/sh
# Kinema's two commands for a fresh Debian 12 machine (see README.md):
#   sh build-aux/dev.sh run [ARGS…]   install what is missing, build, start the app
#   sh build-aux/dev.sh test          install what is missing, build, run every test headless
#   sh build-aux/dev.sh package       install what is missing, build the Debian package in _build-deb/
# All three are idempotent and work as root or as a user with sudo.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cd "$(dirname "$0")/.."
top=$(pwd)
cmd=${1:-run}
[ $# -gt 0 ] && shift

# Debian packages the build, the app and the tests need.
PACKAGES="meson ninja-build pkg-config gcc clang libclang-rt-14-dev
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsqlite3-dev libsecret-1-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
  gstreamer1.0-libav gstreamer1.0-gl gstreamer1.0-x gstreamer1.0-tools libgtk-4-media-gstreamer
  webp-pixbuf-loader heif-gdk-pixbuf librsvg2-common
  gnome-keyring libsecret-tools dbus-daemon xvfb xauth at-spi2-core python3-dogtail python3-pyatspi
  libgif-dev libimagequant-dev zlib1g-dev
  desktop-file-utils appstream gettext libglib2.0-dev-bin imagemagick ffmpeg curl hyperfine
  fonts-wqy-microhei
  debhelper dpkg-dev lintian man-db bash-completion xdotool libgtk-4-bin python3-gi gir1.2-gtk-4.0"

say () { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_missing () {
  missing=""
  for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
      missing="$missing $p"
    fi
  done
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  say "Installing missing Debian packages:$missing"
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
}

# configure BUILDDIR [MESON OPTIONS…]: set up once, reconfigure when the options change.
configure () {
  dir=$1; shift
  stamp="$dir/.kinema-options"
  want="$*"
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null
  elif [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  fi
  printf '%s' "$want" > "$stamp"
}

build () {
  configure _build --werror
  say "Building"
  ninja -C _build
}

# Runs the app from the build tree with its schema, icons and translations.
run_app () {
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    say "No display found: start Kinema from a desktop session (or under xvfb-run)."
    exit 1
  fi
  say "Starting Kinema (the offline demo is used until you add a provider)"
  # meson devenv prepends the project's data folder; keep the system's behind it (icon
  # themes, MIME types), which an unset XDG_DATA_DIRS only implies.
  export XDG_DATA_DIRS="${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
  exec meson devenv -C _build -w "$top" "$top/_build/src/ui/kinema" "$@"
}

# The Debian package of this tree, built from a copy (dpkg-buildpackage writes next to
# the sources and into the parent folder), in _build-deb/.
package () {
  out="$top/_build-deb"
  rm -rf "$out"
  mkdir -p "$out/src"
  tar --exclude='./_build*' --exclude=./.git --exclude='./obj-*' -cf - . | tar -C "$out/src" -xf -
  say "Building the Debian package"
  (cd "$out/src" && DEB_BUILD_OPTIONS="nocheck ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b)
  rm -rf "$out/src"
  say "Built $(cd "$out" && ls kinema_*.deb); install it with: sudo apt install ./_build-deb/$(cd "$out" && ls kinema_*.deb)"
}

passed=0
failed=0
# count LOG: adds meson test's summary lines of LOG to the totals; a log without a
# summary (meson test did not get that far) counts as a failure.
count () {
  set -- $(awk '/^Ok:/ { ok = $2; seen = 1 }
                /^(Fail|Timeout):/ { bad += $2 }
                /^Unexpected Pass:/ { bad += $3 }
                END { if (!seen) bad += 1; print ok + 0, bad + 0 }' "$1")
  passed=$((passed + $1))
  failed=$((failed + $2))
}

# run_suite LABEL BUILDDIR MESON-TEST-ARGS…
run_suite () {
  label=$1; dir=$2; shift 2
  say "Tests: $label"
  log="$dir/meson-logs/kinema-$label.txt"
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" > "$log" 2>&1 || true
  cat "$log"
  count "$log"
}

run_tests () {
  build

  # Everything the tests write goes to a throw-away home.
  scratch=$(mktemp -d /tmp/kinema-test.XXXXXX)
  trap 'rm -rf "$scratch"' EXIT
  export HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
  export XDG_CACHE_HOME="$scratch/cache" XDG_RUNTIME_DIR="$scratch/runtime"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY

  run_suite core _build --suite core

  # Display tests: a fresh X server and session bus, an unlocked keyring, AT-SPI on.
  say "Tests: ui (xvfb-run + dbus-run-session)"
  export KINEMA_TOP="$top"
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- sh -c '
    eval "$(printf pass | gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
    export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK
    gsettings set org.gnome.desktop.interface toolkit-accessibility true 2>/dev/null || true
    meson test -C "$KINEMA_TOP/_build" --print-errorlogs --num-processes 1 --suite ui
  ' > _build/meson-logs/kinema-ui.txt 2>&1 || true
  cat _build/meson-logs/kinema-ui.txt
  count _build/meson-logs/kinema-ui.txt

  # The Debian package, installed and checked on its installed files alone, then
  # removed again (build-aux/check-installed.sh; it needs root, as in CI).
  if [ "$(id -u)" -eq 0 ]; then
    say "Tests: installed app (Debian package: build, install, check, remove)"
    if sh build-aux/check-installed.sh > _build/meson-logs/kinema-installed.txt 2>&1; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); echo "check-installed: FAILED"
    fi
    cat _build/meson-logs/kinema-installed.txt
  else
    say "Skipping the installed-app check: it installs the package and needs root"
  fi

  # The core tests once more under AddressSanitizer and UBSan.
  say "Building with AddressSanitizer and UBSan"
  configure _build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dui_tests=false
  ninja -C _build-asan
  ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite core-asan _build-asan --suite core --timeout-multiplier 3

  # The reply readers under libFuzzer, for a minute, on the seed corpus.
  if [ -f tests/fuzz/fuzz-reply.c ]; then
    say "Fuzzing the reply readers for 60 s"
    CC=clang configure _build-fuzz -Dui_tests=false
    ninja -C _build-fuzz tests/fuzz/fuzz-reply
    corpus="$scratch/corpus"; mkdir -p "$corpus"; cp tests/fuzz/corpus-reply/* "$corpus/"
    if _build-fuzz/tests/fuzz/fuzz-reply -max_total_time=60 -print_final_stats=1 \
         -artifact_prefix="$scratch/" "$corpus" > "$scratch/fuzz.log" 2>&1; then
      tail -n 4 "$scratch/fuzz.log"; passed=$((passed + 1)); echo "fuzz-reply: no crash in 60 s"
    else
      tail -n 40 "$scratch/fuzz.log"; failed=$((failed + 1)); echo "fuzz-reply: FAILED"
    fi
    # The image check on headers that claim huge sizes: allocating what they claim
    # (more than 64 MB at once) counts as a crash.
    say "Fuzzing the image check for 45 s"
    ninja -C _build-fuzz tests/fuzz/fuzz-image
    corpus="$scratch/corpus-image"; mkdir -p "$corpus"; cp tests/fuzz/corpus-image/* "$corpus/"
    if _build-fuzz/tests/fuzz/fuzz-image -max_total_time=45 -malloc_limit_mb=64 -rss_limit_mb=1024 \
         -print_final_stats=1 -artifact_prefix="$scratch/" "$corpus" > "$scratch/fuzz-image.log" 2>&1; then
      tail -n 4 "$scratch/fuzz-image.log"; passed=$((passed + 1)); echo "fuzz-image: no crash in 45 s"
    else
      tail -n 40 "$scratch/fuzz-image.log"; failed=$((failed + 1)); echo "fuzz-image: FAILED"
    fi
  fi

  # A short run of the benchmark, so it keeps building and running (no timing asserted).
  if [ -x _build/bench/kinema-bench ]; then
    say "Benchmark (quick run, figures only)"
    if xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- _build/bench/kinema-bench --quick; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1)); echo "kinema-bench: FAILED"
    fi
  fi

  echo
  echo "kinema: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}

case "$cmd" in
  run)  install_missing; build; run_app "$@" ;;
  test) install_missing; run_tests ;;
  package) install_missing; package ;;
  *)    echo "usage: sh build-aux/dev.sh run [IMAGE] | test | package" >&2; exit 2 ;;
esac
