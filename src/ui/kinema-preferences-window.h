/* kinema-preferences-window.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Preferences: the configured providers (add from presets, edit, remove, choose the
 * default; keys in the Secret Service) and the general settings (downloads folder,
 * notifications, polling), bound to GSettings.
 */

#pragma once

#include <adwaita.h>

#include "kinema-client.h"
#include "kinema-provider-registry.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_PREFERENCES_WINDOW (kinema_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (KinemaPreferencesWindow, kinema_preferences_window, KINEMA, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* clang-format off */
GtkWidget *kinema_preferences_window_new              (GtkWindow               *parent,
                                                       KinemaProviderRegistry  *registry,
                                                       KinemaClient            *client,
                                                       GSettings               *settings);
/* Shows the list of presets to add a provider from (used by the first-run page). */
void       kinema_preferences_window_show_add_provider (KinemaPreferencesWindow *self);
/* Opens the editor of @provider (not the demo). */
void       kinema_preferences_window_edit_provider    (KinemaPreferencesWindow *self,
                                                       KinemaProvider          *provider);
/* The downloads folder the settings ask for: "downloads-folder", or Videos/Kinema when
 * it is empty. For the application, which hands it to the task manager. */
char      *kinema_preferences_dup_downloads_folder    (GSettings               *settings);
/* clang-format on */

/* Signals: "provider-saved" (KinemaProvider *provider) after a provider was added or
 * edited, so that the application can resume its paused tasks. */

G_END_DECLS
