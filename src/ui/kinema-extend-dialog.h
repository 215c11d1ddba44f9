/* kinema-extend-dialog.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Extend…" (issue 14): what Kling's video extension will do to a finished clip, shown
 * before anything is sent: the length it adds and the length of the result, the model
 * and quality it keeps, the prompt to edit, the cost, and why it cannot be done when it
 * cannot. Extend queues one job through the task manager, like Generate.
 */

#pragma once

#include <adwaita.h>

#include "kinema-provider.h"
#include "kinema-task-manager.h"
#include "kinema-task.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_EXTEND_DIALOG (kinema_extend_dialog_get_type ())

G_DECLARE_FINAL_TYPE (KinemaExtendDialog, kinema_extend_dialog, KINEMA, EXTEND_DIALOG, AdwWindow)

/* clang-format off */
/* @task: the finished clip to extend; @provider: its provider; @settings: (nullable):
 * where the cost table is read from (NULL: the built-in table). */
GtkWidget  *kinema_extend_dialog_new        (GtkWindow          *parent,
                                             KinemaTaskManager  *manager,
                                             KinemaProvider     *provider,
                                             KinemaTask         *task,
                                             GSettings          *settings);
/* Why Extend is unavailable (the provider's reason, or the prompt's), or NULL. */
const char *kinema_extend_dialog_get_reason (KinemaExtendDialog *self);
/* What the dialog says the extension costs. */
const char *kinema_extend_dialog_get_cost   (KinemaExtendDialog *self);
/* Does what the Extend button does. */
void        kinema_extend_dialog_extend     (KinemaExtendDialog *self);
/* clang-format on */

/* Signals: "queued" (KinemaTask *task): the extension job was stored and is being sent;
 * the dialog closes right after. "continue" (KinemaTask *task): the user took "Continue
 * From the Last Frame" instead (offered with the provider's reason); the dialog has closed. */

G_END_DECLS
