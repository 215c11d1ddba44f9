#!/bin/sh
# Fails when a language in LINGUAS lacks a translation for any string in POTFILES,
# has fuzzy entries, or does not pass msgfmt --check.
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
top=${1:-$(dirname "$0")/..}
cd "$top"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' po/POTFILES | sed '/^[[:space:]]*$/d' > "$tmp/files"
# The same keywords as meson's i18n 'glib' preset.
xgettext --files-from="$tmp/files" --directory="$top" --output="$tmp/kinema.pot" \
  --from-code=UTF-8 --add-comments --package-name=kinema \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format

status=0
for lang in $(grep -v '^#' po/LINGUAS); do
  msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$tmp/kinema.pot" -o "$tmp/$lang.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry too when anything matched.
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  if ! msgfmt --check --output-file=/dev/null "$tmp/$lang.po"; then
    echo "po/$lang.po: msgfmt --check failed"; status=1
  fi
  if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
    echo "po/$lang.po: $untranslated untranslated and $fuzzy fuzzy strings:"
    msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep '^msgid ' | sed 1d | head -n 50
    status=1
  else
    echo "po/$lang.po: all $(($(grep -c "^msgid " "$tmp/kinema.pot") - 1)) strings translated."
  fi
  # Chinese text has no letters to underline: a "(_T)" mnemonic shows as "(T)" on every
  # button and menu item (issue 12), so Chinese translations carry none.
  case "$lang" in
    zh*)
      if grep -v '^#\|^msgid' "po/$lang.po" | grep '(_[A-Za-z0-9])'; then
        echo "po/$lang.po: mnemonics like “(_T)” above show as “(T)”: leave them out"; status=1
      fi ;;
  esac
done
exit $status
