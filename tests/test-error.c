/* test-error.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gio/gio.h>

#include "kinema-error.h"

static void
test_error_details (void)
{
  g_autoptr(GError) error = kinema_error_new (KINEMA_ERROR_CONCURRENCY_LIMIT, 429, "1303",
                                               "parallel task over resource pack limit", "r-007");
  g_autoptr(GError) copy = NULL;
  const KinemaErrorDetails *details;
  g_autofree char          *text = NULL;

  g_assert_error (error, KINEMA_ERROR, KINEMA_ERROR_CONCURRENCY_LIMIT);
  g_assert_cmpstr (error->message, ==, kinema_error_code_message (KINEMA_ERROR_CONCURRENCY_LIMIT));
  kinema_error_set_retry_after (error, 2000);

  /* Details survive g_error_copy (extended error domain). */
  copy = g_error_copy (error);
  details = kinema_error_get_details (copy);
  g_assert_nonnull (details);
  g_assert_cmpuint (details->http_status, ==, 429);
  g_assert_cmpstr (details->provider_code, ==, "1303");
  g_assert_cmpstr (details->request_id, ==, "r-007");
  g_assert_cmpint (details->retry_after_ms, ==, 2000);
  g_assert_true (kinema_error_is_retryable (copy));

  text = kinema_error_format_details (copy);
  g_assert_nonnull (strstr (text, "429"));
  g_assert_nonnull (strstr (text, "1303"));
  g_assert_nonnull (strstr (text, "parallel task over resource pack limit"));
}

static void
test_error_classes (void)
{
  g_autoptr(GError) auth = kinema_error_new (KINEMA_ERROR_AUTH, 401, "1004", NULL, NULL);
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_false (kinema_error_is_retryable (auth));
  g_assert_false (kinema_error_is_retryable (io));
  g_assert_null (kinema_error_get_details (io));
  g_assert_cmpint (kinema_error_get_details (auth)->retry_after_ms, ==, -1);

  /* Every code has its own plain-words message. */
  for (int a = KINEMA_ERROR_INVALID_INPUT; a <= KINEMA_ERROR_MEDIA; a++)
    for (int b = a + 1; b <= KINEMA_ERROR_MEDIA; b++)
      g_assert_cmpstr (kinema_error_code_message (a), !=, kinema_error_code_message (b));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/kinema/error/details", test_error_details);
  g_test_add_func ("/kinema/error/classes", test_error_classes);
  return g_test_run ();
}
