/* kinema-cost-table.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cost hint on the Generate button: units per model, mode and duration, from the
 * "cost-table" setting (JSON) or the built-in table when it is empty. The format is
 *
 *   { "kling-v1": { "std": { "5": 1, "10": 2 }, "pro": { "5": 3.5, "10": 7 } },
 *     "*":        { "std": { "5": 1.5, "10": 3 }, … } }
 *
 * A mode may also have a "MODE+sound" row for clips with sound, and "per_second" where
 * any length is offered (kling-v3). The app and kinema-cli share it (core: no GTK).
 * "*" is used for models the table does not name. Units are whatever the provider bills
 * in (Kling's resource units, or a gateway's credits); Kinema only multiplies them.
 */

#pragma once

#include <glib.h>

#include "kinema-request.h"

G_BEGIN_DECLS

/* clang-format off */
const char *kinema_cost_table_get_default (void);
/* Looks up the units of one job; FALSE when @table_json (NULL or "": the built-in table)
 * does not parse or has no entry for it. */
gboolean    kinema_cost_table_lookup      (const char *table_json,
                                           const char *model,
                                           const char *mode,
                                           guint       duration,
                                           gboolean    sound,
                                           double     *out_units);
/* clang-format on */

/* The estimate for one job of @request (see kinema_cost_table_lookup()). */
gboolean    kinema_cost_table_estimate    (const char    *table_json,
                                           KinemaRequest *request,
                                           double        *out_units);

G_END_DECLS
