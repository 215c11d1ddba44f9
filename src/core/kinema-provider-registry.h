/* kinema-provider-registry.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configured providers, shared by the app and kinema-cli: a key file in
 * $XDG_CONFIG_HOME/kinema/providers.ini for the non-secret parts, the Secret Service
 * for keys (KINEMA_API_KEY, or KINEMA_ACCESS_KEY + KINEMA_SECRET_KEY, override it).
 * The offline demo provider is always present. Implements GListModel of KinemaProvider.
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
void                        kinema_provider_registry_add         (KinemaProviderRegistry *self,
                                                                  KinemaProvider         *provider);
void                        kinema_provider_registry_remove      (KinemaProviderRegistry *self,
                                                                  KinemaProvider         *provider);
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
/* FALSE when no Secret Service answered: keys live in memory for this run only. */
gboolean                    kinema_provider_registry_get_keyring_available (KinemaProviderRegistry *self);

G_END_DECLS
