/* kinema-failure.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why a job failed, in plain words: a table from the provider's own reasons (Kling's
 * codes, its task_status_msg texts, new-api's codes) and our error codes to what
 * happened, what to change and whether anything was charged. The raw provider text
 * stays in the error's details; it is never the explanation itself.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * KinemaCharge:
 * @KINEMA_CHARGE_UNKNOWN: Kinema cannot tell whether the provider charged
 * @KINEMA_CHARGE_NONE: nothing was charged (refused, never sent, or failed jobs,
 *   which Kling does not charge and new-api refunds)
 */
typedef enum {
  KINEMA_CHARGE_UNKNOWN,
  KINEMA_CHARGE_NONE,
} KinemaCharge;

/**
 * KinemaFailure:
 * @summary: a few words for a list row ("Refused by content review")
 * @what: what happened, one sentence
 * @change: what to change, one sentence, or %NULL
 * @charge: whether anything was charged
 *
 * All strings are translated and owned by the table (or by the error for @what).
 */
typedef struct {
  const char  *summary;
  const char  *what;
  const char  *change;
  KinemaCharge charge;
} KinemaFailure;

/* Fills @out for @error (any domain; never fails). @out borrows from @error. */
void  kinema_failure_explain   (const GError  *error,
                                KinemaFailure *out);
/* "What happened. What to change. Nothing was charged." in one paragraph. */
char *kinema_failure_dup_text  (const GError  *error);
/* The translated sentence for @charge, or NULL when unknown. */
const char *kinema_failure_charge_text (KinemaCharge charge);

G_END_DECLS
