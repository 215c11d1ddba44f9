/* test-failure.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table of failure explanations (issue 12 point 4): provider codes, task texts
 * and our own codes to plain words, what to change and whether anything was charged.
 */

#include <locale.h>
#include <string.h>

#include <gio/gio.h>

#include "kinema-error.h"
#include "kinema-failure.h"

static void
assert_explained (const GError *error,
                  const char   *summary,
                  const char   *what,
                  KinemaCharge  charge)
{
  KinemaFailure failure;

  kinema_failure_explain (error, &failure);
  g_assert_cmpstr (failure.summary, ==, summary);
  g_assert_cmpstr (failure.what, ==, what);
  g_assert_cmpint (failure.charge, ==, charge);
}

static void
test_failure_codes (void)
{
  /* Kling's content review (1301, Kling's error-code table) */
  g_autoptr(GError) review = kinema_error_new (KINEMA_ERROR_CONTENT_POLICY, 400, "1301", "risk", "r");
  /* 1004 straight from Kling: the JWT expired, the clock is behind */
  g_autoptr(GError) expired = kinema_error_new (KINEMA_ERROR_AUTH, 401, "1004", "Authorization has expired", "r");
  /* 1002 relayed by new-api: the gateway's own key; the reader's message stays */
  g_autoptr(GError) relayed = kinema_error_new (KINEMA_ERROR_SERVER, 401, "1002", "Authorization invalid", "r");
  /* new-api's own quota code (types/error.go) */
  g_autoptr(GError) quota = kinema_error_new (KINEMA_ERROR_ACCOUNT, 403, "insufficient_user_quota", "quota", NULL);
  /* an unknown provider code: our code decides */
  g_autoptr(GError) unknown = kinema_error_new (KINEMA_ERROR_RATE_LIMITED, 429, "9999", "slow down", NULL);
  g_autofree char *text = NULL;

  assert_explained (review, "Refused by content review",
                    "The provider's content review refused the prompt or the image.", KINEMA_CHARGE_NONE);
  assert_explained (expired, "Computer clock is off",
                    "The provider says the sign-in has expired: this computer's clock is probably behind.",
                    KINEMA_CHARGE_NONE);
  g_free (relayed->message);
  relayed->message = g_strdup ("Kling refused the gateway's own key.");
  assert_explained (relayed, "Gateway's key refused", "Kling refused the gateway's own key.", KINEMA_CHARGE_NONE);
  assert_explained (quota, "Balance too low", "Your balance at this gateway is too low for this job.",
                    KINEMA_CHARGE_NONE);
  assert_explained (unknown, "Too many requests", unknown->message, KINEMA_CHARGE_NONE);

  /* one paragraph: what happened, what to change, the charge; the raw text never */
  text = kinema_failure_dup_text (review);
  g_assert_cmpstr (text, ==,
                   "The provider's content review refused the prompt or the image. Change the prompt or use another "
                   "image, then try again. Nothing was charged.");
}

static void
test_failure_texts (void)
{
  /* a failed task carries only Kling's task_status_msg (the UX audit's words) */
  g_autoptr(GError) risk = kinema_error_new (KINEMA_ERROR_TASK_FAILED, 0, NULL,
                                              "Failure to pass the risk control system", NULL);
  /* new-api's timeout reason (relay/relay_task.go) */
  g_autoptr(GError) timeout = kinema_error_new (KINEMA_ERROR_TASK_FAILED, 0, NULL, "任务超时（1440分钟）", NULL);
  /* no known words: our own message, and a failed job is not charged */
  g_autoptr(GError) vague = kinema_error_new (KINEMA_ERROR_TASK_FAILED, 0, NULL, "internal", NULL);
  g_autofree char *text = NULL;

  assert_explained (risk, "Refused by content review",
                    "The provider's content review refused the prompt or the image.", KINEMA_CHARGE_NONE);
  assert_explained (timeout, "Took too long", "The job took too long and the gateway gave up on it.",
                    KINEMA_CHARGE_NONE);
  assert_explained (vague, "The provider could not make it", vague->message, KINEMA_CHARGE_NONE);
  text = kinema_failure_dup_text (risk);
  g_assert_null (strstr (text, "risk control"));
}

static void
test_failure_charge (void)
{
  /* a connection error may have been sent: unknown, unless it provably was not */
  g_autoptr(GError) network = kinema_error_new (KINEMA_ERROR_NETWORK, 0, NULL, "Connection refused", NULL);
  g_autoptr(GError) plain = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk on fire");
  g_autofree char *text = NULL;
  KinemaFailure    failure;

  kinema_failure_explain (network, &failure);
  g_assert_cmpint (failure.charge, ==, KINEMA_CHARGE_UNKNOWN);
  text = kinema_failure_dup_text (network);
  g_assert_null (strstr (text, "charged"));
  kinema_error_set_not_sent (network, TRUE);
  kinema_failure_explain (network, &failure);
  g_assert_cmpint (failure.charge, ==, KINEMA_CHARGE_NONE);

  /* another domain: its own words, nothing claimed about charges */
  assert_explained (plain, "disk on fire", "disk on fire", KINEMA_CHARGE_UNKNOWN);
  assert_explained (NULL, "The provider gave no reason.", "The provider gave no reason.", KINEMA_CHARGE_UNKNOWN);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kinema/failure/codes", test_failure_codes);
  g_test_add_func ("/kinema/failure/texts", test_failure_texts);
  g_test_add_func ("/kinema/failure/charge", test_failure_charge);
  return g_test_run ();
}
