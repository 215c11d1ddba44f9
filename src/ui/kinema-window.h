/* kinema-window.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main window: provider choice and menu in the header bar; the composer, the task
 * list and the player side by side, one at a time below ~1040 px (AdwLeaflet, with a
 * switcher bar at the bottom); the first-run page; the keyring banner; toasts.
 */

#pragma once

#include <adwaita.h>

#include "kinema-client.h"
#include "kinema-composer.h"
#include "kinema-provider-registry.h"
#include "kinema-task-manager.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_WINDOW (kinema_window_get_type ())

G_DECLARE_FINAL_TYPE (KinemaWindow, kinema_window, KINEMA, WINDOW, AdwApplicationWindow)

/* clang-format off */
/* @task_manager is a KinemaTaskManager, or NULL (then nothing can be generated). */
KinemaWindow   *kinema_window_new                 (GtkApplication         *application,
                                                   KinemaProviderRegistry *registry,
                                                   KinemaClient           *client,
                                                   GSettings              *settings,
                                                   KinemaTaskManager      *task_manager);
KinemaComposer *kinema_window_get_composer        (KinemaWindow           *self);
/* The provider chosen in the header bar. */
KinemaProvider *kinema_window_get_provider        (KinemaWindow           *self);
void            kinema_window_select_provider     (KinemaWindow           *self,
                                                   KinemaProvider         *provider);
/* Shows the default provider at the top (after keys were loaded, for instance). */
void            kinema_window_select_default_provider (KinemaWindow *self);
/* Puts @file (an image, or a clip Kinema made) into the composer. */
void            kinema_window_open_file           (KinemaWindow           *self,
                                                   GFile                  *file);
gboolean        kinema_window_get_first_run_shown (KinemaWindow           *self);
/* Selects the task with @task_id in the list and shows it in the player. */
void            kinema_window_show_task           (KinemaWindow           *self,
                                                   const char             *task_id);
/* Leaves the first-run page for good (show-first-run = false). */
void            kinema_window_dismiss_first_run   (KinemaWindow           *self);
void            kinema_window_show_preferences    (KinemaWindow           *self,
                                                   gboolean                add_provider);
/* A toast with the error's message and, when it has details, a "Details" button. */
void            kinema_window_show_error          (KinemaWindow           *self,
                                                   const GError           *error);
void            kinema_window_show_message        (KinemaWindow           *self,
                                                   const char             *message);
/* The banner that says an unreadable history was moved to @aside and a new one started. */
void            kinema_window_show_history_moved  (KinemaWindow           *self,
                                                   const char             *aside);
/* clang-format on */

G_END_DECLS
