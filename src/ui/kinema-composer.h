/* kinema-composer.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The left pane: start and end frames, prompt, negative prompt, options and Generate.
 * It builds a KinemaRequest and says, in plain words, why it cannot yet; the window
 * hands the request to the task manager when "generate" is emitted.
 */

#pragma once

#include <gtk/gtk.h>

#include "kinema-drop-zone.h"
#include "kinema-provider.h"
#include "kinema-request.h"
#include "kinema-task.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_COMPOSER (kinema_composer_get_type ())

G_DECLARE_FINAL_TYPE (KinemaComposer, kinema_composer, KINEMA, COMPOSER, GtkWidget)

/* clang-format off */
GtkWidget      *kinema_composer_new                (void);
/* Remembers the last model, quality, duration and shape, and reads the cost table. */
void            kinema_composer_set_settings       (KinemaComposer *self,
                                                    GSettings      *settings);
KinemaProvider *kinema_composer_get_provider       (KinemaComposer *self);
void            kinema_composer_set_provider       (KinemaComposer *self,
                                                    KinemaProvider *provider);
KinemaDropZone *kinema_composer_get_start_zone     (KinemaComposer *self);
KinemaDropZone *kinema_composer_get_end_zone       (KinemaComposer *self);
/* TRUE when Generate may be pressed; else kinema_composer_get_invalid_reason() says why. */
gboolean        kinema_composer_get_can_generate   (KinemaComposer *self);
const char     *kinema_composer_get_invalid_reason (KinemaComposer *self);
/* A reason, from outside, why nothing can be generated now (NULL clears it). */
void            kinema_composer_set_blocked_reason (KinemaComposer *self,
                                                    const char     *reason);
/* The request the form describes (a new object), or NULL with the reason. */
KinemaRequest  *kinema_composer_dup_request        (KinemaComposer *self,
                                                    GError        **error);
guint           kinema_composer_get_variants       (KinemaComposer *self);
char           *kinema_composer_dup_prompt         (KinemaComposer *self);
void            kinema_composer_set_prompt         (KinemaComposer *self,
                                                    const char     *prompt);
/* "N / 2,500" */
const char     *kinema_composer_get_counter_text   (KinemaComposer *self);
/* "≈ 3 units" or NULL when the cost table has no entry. */
const char     *kinema_composer_get_cost_text      (KinemaComposer *self);
/* Fills the form from @request (reuse settings, a sidecar). */
void            kinema_composer_apply_request      (KinemaComposer *self,
                                                    KinemaRequest  *request);
/* Fills the form from the request of @task (a KinemaTask). */
void            kinema_composer_apply_task         (KinemaComposer *self,
                                                    KinemaTask     *task);
/* A one-line status under Generate, also set as its accessible description so that
 * screen readers can find the latest task change. */
void            kinema_composer_set_status         (KinemaComposer *self,
                                                    const char     *status);
/* clang-format on */

/* Signals: "generate" when Generate is pressed (or composer.generate activated) while
 * the form is valid. */

G_END_DECLS
