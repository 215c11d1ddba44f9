#!/bin/sh
# Fails when a file with translatable strings is missing from po/POTFILES, or when
# POTFILES names a file that does not exist.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
top=${1:-$(dirname "$0")/..}
cd "$top"

listed=$(mktemp)
found=$(mktemp)
trap 'rm -f "$listed" "$found"' EXIT

grep -v '^#' po/POTFILES | sed '/^[[:space:]]*$/d' | sort -u > "$listed"
{
  grep -rlE '(^|[^A-Za-z0-9_])(N?_|C_|NC_|g_dngettext|ngettext)[[:space:]]*\(' --include='*.c' src || true
  grep -rl 'translatable="yes"' --include='*.ui' src || true
  ls data/*.desktop.in data/*.metainfo.xml.in data/*.gschema.xml 2>/dev/null || true
} | sort -u > "$found"

status=0
missing=$(comm -23 "$found" "$listed")
if [ -n "$missing" ]; then
  echo "Files with translatable strings missing from po/POTFILES:"
  echo "$missing" | sed 's/^/  /'
  status=1
fi
while read -r f; do
  if [ ! -e "$f" ]; then
    echo "po/POTFILES lists a file that does not exist: $f"
    status=1
  fi
done < "$listed"
[ $status -eq 0 ] && echo "POTFILES lists all $(wc -l < "$found") files with translatable strings."
exit $status
