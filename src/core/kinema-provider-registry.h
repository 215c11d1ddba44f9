/* kinema-provider-registry.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configured providers, shared by the app and kinema-cli: a key file in
 * $XDG_CONFIG_HOME/kinema/providers.ini for the non-secret parts, the Secret Service
 * for keys (KINEMA_API_KEY, or KINEMA_ACCESS_KEY + KINEMA_SECRET_KEY, override it).
 * The offline demo provider is always present (first item). Implements GListModel of
 * KinemaProvider.
 *
 * Environment overrides, for scripts and kinema-cli: KINEMA_API_KEY is the key of one
 * provider that authenticates with a bearer key, KINEMA_ACCESS_KEY together with
 * KINEMA_SECRET_KEY the key pair of one provider that signs Kling JWTs: the provider
 * named by kinema_provider_registry_set_env_provider() (kinema-cli's --provider) or by
 * KINEMA_PROVIDER, else the only provider of that kind. Never any other provider: a
 * gateway's key must not reach another gateway. They are read when providers are
 * loaded or added, override the keyring, and are never saved.
 *
 * Changes are written to disk only by kinema_provider_registry_save().
 */

#pragma once

#include <gio/gio.h>

#include "kinema-provider.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_PROVIDER_REGISTRY (kinema_provider_registry_get_type ())

G_DECLARE_FINAL_TYPE (KinemaProviderRegistry, kinema_provider_registry, KINEMA, PROVIDER_REGISTRY, GObject)

typedef struct {
  const char     *id;        /* "kling", "kling-cn", "n1n", "xiexus", "nicerouter", "open-route", "custom" */
  const char     *name;      /* translatable */
  const char     *base_url;  /* NULL: entered by the user */
  KinemaApiStyle  style;
  KinemaAuthKind  auth;
} KinemaProviderPreset;

const KinemaProviderPreset *kinema_provider_presets              (guint                  *n_presets);
const KinemaProviderPreset *kinema_provider_preset_lookup        (const char             *preset_id);
KinemaProviderRegistry     *kinema_provider_registry_new         (const char             *config_dir);
gboolean                    kinema_provider_registry_load        (KinemaProviderRegistry *self,
                                                                  GError                **error);
gboolean                    kinema_provider_registry_save        (KinemaProviderRegistry *self,
                                                                  GError                **error);
KinemaProvider             *kinema_provider_registry_lookup      (KinemaProviderRegistry *self,
                                                                  const char             *id);
KinemaProvider             *kinema_provider_registry_get_demo    (KinemaProviderRegistry *self);
/* The provider to preselect: the last used, else the first real one with credentials, else the demo. */
KinemaProvider             *kinema_provider_registry_get_default (KinemaProviderRegistry *self);
/* The id of the provider marked as the default, or NULL ("default-id"). */
const char                 *kinema_provider_registry_get_default_id (KinemaProviderRegistry *self);
void                        kinema_provider_registry_add         (KinemaProviderRegistry *self,
                                                                  KinemaProvider         *provider);
void                        kinema_provider_registry_remove      (KinemaProviderRegistry *self,
                                                                  KinemaProvider         *provider);
/* The one provider KINEMA_API_KEY (or the Kling key pair) in the environment is for. */
void                        kinema_provider_registry_set_env_provider (KinemaProviderRegistry *self,
                                                                       const char             *id);
gboolean                    kinema_provider_registry_get_env_unused   (KinemaProviderRegistry *self);
/* Remembers @provider as the last used one (saved with the rest). */
void                        kinema_provider_registry_set_default (KinemaProviderRegistry *self,
                                                                  KinemaProvider         *provider);
/* An id not used yet, derived from @base ("n1n", "n1n-2", …). */
char                       *kinema_provider_registry_dup_unique_id (KinemaProviderRegistry *self,
                                                                    const char             *base);
/* The provider whose id is @preset_id, added from the preset if missing (NULL for an unknown preset). */
KinemaProvider             *kinema_provider_registry_ensure_preset (KinemaProviderRegistry *self,
                                                                    const char             *preset_id);
/* Loads every provider's keys from the keyring (with a timeout; never hangs). */
void                        kinema_provider_registry_load_keys_async  (KinemaProviderRegistry *self,
                                                                       GCancellable           *cancellable,
                                                                       GAsyncReadyCallback     callback,
                                                                       gpointer                user_data);
gboolean                    kinema_provider_registry_load_keys_finish (KinemaProviderRegistry *self,
                                                                       GAsyncResult           *result,
                                                                       GError                **error);
/* Stores the key(s) in the keyring; on KINEMA_ERROR_KEYRING the key is kept for this run only. */
void                        kinema_provider_registry_store_keys_async (KinemaProviderRegistry *self,
                                                                       KinemaProvider         *provider,
                                                                       const char             *api_key_or_access_key,
                                                                       const char             *secret_key,
                                                                       GCancellable           *cancellable,
                                                                       GAsyncReadyCallback     callback,
                                                                       gpointer                user_data);
gboolean                    kinema_provider_registry_store_keys_finish (KinemaProviderRegistry *self,
                                                                        GAsyncResult           *result,
                                                                        GError                **error);
/* Signals: "provider-changed" (KinemaProvider *provider) when a provider of the registry
 * is edited in place (name, address, API style, sign-in, preset). */

/* FALSE when no Secret Service answered: keys live in memory for this run only. */
gboolean                    kinema_provider_registry_get_keyring_available (KinemaProviderRegistry *self);

G_END_DECLS
