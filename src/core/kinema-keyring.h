/* kinema-keyring.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Provider keys in the Secret Service (libsecret), schema "io.github.kinema.Kinema.Key"
 * with the attributes provider-id and kind. Every call gives up after
 * KINEMA_KEYRING_TIMEOUT_MS (a missing Secret Service, a locked keyring or a prompt
 * nobody answers never hangs the caller) and then fails with KINEMA_ERROR_KEYRING.
 * Keys are never logged.
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define KINEMA_KEYRING_TIMEOUT_MS 3000

/* Values of the "kind" attribute. */
#define KINEMA_KEYRING_KIND_API_KEY    "api-key"
#define KINEMA_KEYRING_KIND_ACCESS_KEY "access-key"
#define KINEMA_KEYRING_KIND_SECRET_KEY "secret-key"

const SecretSchema *kinema_keyring_get_schema    (void);
void                kinema_keyring_store_async   (const char           *provider_id,
                                                  const char           *kind,
                                                  const char           *label,
                                                  const char           *secret,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            kinema_keyring_store_finish  (GAsyncResult         *result,
                                                  GError              **error);
/* The secret, or NULL without an error when none is stored. Free with kinema_keyring_free_secret(). */
void                kinema_keyring_lookup_async  (const char           *provider_id,
                                                  const char           *kind,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
char               *kinema_keyring_lookup_finish (GAsyncResult         *result,
                                                  GError              **error);
/* Removes every secret stored for @provider_id (@kind NULL) or only that kind. */
void                kinema_keyring_clear_async   (const char           *provider_id,
                                                  const char           *kind,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean            kinema_keyring_clear_finish  (GAsyncResult         *result,
                                                  GError              **error);
/* Zeroes and frees a secret returned by kinema_keyring_lookup_finish(). */
void                kinema_keyring_free_secret   (char                 *secret);

G_END_DECLS
