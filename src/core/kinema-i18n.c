/* kinema-i18n.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-i18n"

#include "config.h"

#include <locale.h>
#include <glib/gi18n-lib.h>

#include "kinema-i18n.h"

/**
 * kinema_i18n_init:
 *
 * Sets the locale from the environment and binds the message catalogue. The
 * catalogue is looked up in LOCALEDIR, or in $KINEMA_LOCALEDIR, which
 * `meson devenv` and the tests set to the build tree so that an uninstalled
 * build speaks the user's language too.
 */
void
kinema_i18n_init (void)
{
  const char *localedir = g_getenv ("KINEMA_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
