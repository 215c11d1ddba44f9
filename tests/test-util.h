/* test-util.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers of every test, GLib only (the core tests include it; ui-test-util.h too):
 * removing temporary folders and running the main loop for a while or until a
 * condition holds.
 */

#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>

/* Removes @path and everything below it; a link is removed, never followed. */
static inline void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* A test may have taken the folder's permissions away. */
      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static inline gboolean
test_tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop for @ms milliseconds. */
static inline void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint  tick = g_timeout_add (10, test_tick_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

typedef gboolean (*TestCondition) (gpointer data);

/* Runs the main loop until @condition holds (TRUE) or 20 s pass (FALSE): a deadline,
 * not a timing assert. */
static inline gboolean
test_wait_for (TestCondition condition,
               gpointer      data)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint  tick = g_timeout_add (10, test_tick_cb, NULL);

  while (!condition (data) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return condition (data);
}

/* A GAsyncReadyCallback that keeps a reference to the result in *@user_data
 * (a GAsyncResult *, NULL until then). */
static inline void
test_result_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the main loop until test_result_cb() filled *@result; the test fails after 60 s. */
static inline GAsyncResult *
test_wait_result (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  guint  tick = g_timeout_add (10, test_tick_cb, NULL);

  while (*result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  if (*result == NULL)
    g_error ("timed out waiting for an asynchronous result");
  return *result;
}
