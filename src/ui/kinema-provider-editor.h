/* kinema-provider-editor.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The form that adds or edits one provider: name, base URL (checked as it is typed),
 * API style, authentication and keys, and "Test connection". Shown as a subpage of
 * KinemaPreferencesWindow. Keys go to the Secret Service through the registry, never
 * to a file; without a keyring they are kept for this run and the form says so.
 */

#pragma once

#include <adwaita.h>

#include "kinema-client.h"
#include "kinema-provider-registry.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_PROVIDER_EDITOR (kinema_provider_editor_get_type ())

G_DECLARE_FINAL_TYPE (KinemaProviderEditor, kinema_provider_editor, KINEMA, PROVIDER_EDITOR, GtkWidget)

/* clang-format off */
/* @provider NULL adds a new provider from @preset_id ("custom" when NULL). */
GtkWidget      *kinema_provider_editor_new          (KinemaProviderRegistry *registry,
                                                     KinemaClient           *client,
                                                     KinemaProvider         *provider,
                                                     const char             *preset_id);
/* The provider being edited, or NULL while adding one that is not saved yet. */
KinemaProvider *kinema_provider_editor_get_provider (KinemaProviderEditor   *self);
/* TRUE when the form is complete and valid (the Save button is enabled). */
gboolean        kinema_provider_editor_get_can_save (KinemaProviderEditor   *self);
/* Saves as the Save button does; FALSE (and nothing changed) when the form is not valid. */
gboolean        kinema_provider_editor_save         (KinemaProviderEditor   *self,
                                                     GError                **error);
/* clang-format on */

/* Signals: "back" () when the user leaves without saving; "finished" (KinemaProvider
 * *provider, gboolean removed) after a save or a removal. */

G_END_DECLS
