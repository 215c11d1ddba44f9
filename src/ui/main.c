/* main.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "kinema-application.h"
#include "kinema-i18n.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KinemaApplication) app = NULL;

  kinema_i18n_init ();
  g_set_application_name ("Kinema");

  app = kinema_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
