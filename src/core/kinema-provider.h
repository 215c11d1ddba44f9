/* kinema-provider.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One configured provider: name, base URL, API style and authentication. The secret
 * parts (API key, or Kling access key + secret key) are held in memory only, loaded
 * from the Secret Service (or KINEMA_API_KEY / KINEMA_ACCESS_KEY + KINEMA_SECRET_KEY)
 * by KinemaProviderRegistry; they are never written to disk by this object.
 */

#pragma once

#include <glib-object.h>

#include "kinema-types.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_PROVIDER (kinema_provider_get_type ())

G_DECLARE_FINAL_TYPE (KinemaProvider, kinema_provider, KINEMA, PROVIDER, GObject)

/* The id of the built-in offline demo provider. */
#define KINEMA_PROVIDER_DEMO_ID "demo"
/* The bearer key the demo provider sends to the local simulator (not a secret). */
#define KINEMA_PROVIDER_DEMO_KEY "kinema-demo"
/* A Kling JWT is signed again when less than this many seconds of validity remain. */
#define KINEMA_PROVIDER_JWT_RENEW_S 300

KinemaProvider *kinema_provider_new                 (const char      *id,
                                                     const char      *name,
                                                     const char      *base_url,
                                                     KinemaApiStyle   style,
                                                     KinemaAuthKind   auth);
const char     *kinema_provider_get_id              (KinemaProvider  *self);
const char     *kinema_provider_get_name            (KinemaProvider  *self);
void            kinema_provider_set_name            (KinemaProvider  *self,
                                                     const char      *name);
const char     *kinema_provider_get_base_url        (KinemaProvider  *self);
void            kinema_provider_set_base_url        (KinemaProvider  *self,
                                                     const char      *base_url);
KinemaApiStyle  kinema_provider_get_api_style       (KinemaProvider  *self);
void            kinema_provider_set_api_style       (KinemaProvider  *self,
                                                     KinemaApiStyle   style);
KinemaAuthKind  kinema_provider_get_auth_kind       (KinemaProvider  *self);
void            kinema_provider_set_auth_kind       (KinemaProvider  *self,
                                                     KinemaAuthKind   auth);
const char     *kinema_provider_get_preset_id       (KinemaProvider  *self);
void            kinema_provider_set_preset_id       (KinemaProvider  *self,
                                                     const char      *preset_id);
gboolean        kinema_provider_get_allow_private_http (KinemaProvider *self);
void            kinema_provider_set_allow_private_http (KinemaProvider *self,
                                                        gboolean        allow);
KinemaUrlPolicy kinema_provider_get_url_policy (KinemaProvider *self);
gboolean        kinema_provider_get_is_demo         (KinemaProvider  *self);
/* TRUE once a key (or key pair) is held in memory. */
gboolean        kinema_provider_get_has_credentials (KinemaProvider  *self);
/* A key as it is held and stored: without surrounding blanks (pasted keys often carry
 * a newline), or NULL when nothing is left. */
char           *kinema_provider_normalize_key (const char *key);
void            kinema_provider_set_api_key         (KinemaProvider  *self,
                                                     const char      *api_key);
void            kinema_provider_set_kling_keys      (KinemaProvider  *self,
                                                     const char      *access_key,
                                                     const char      *secret_key);
/* "Bearer …": the API key, or a JWT renewed well before it expires. Never log it. */
char           *kinema_provider_dup_authorization   (KinemaProvider  *self,
                                                     GError         **error);
/* Same, with the clock given (Unix seconds): for tests and for callers that know the time. */
char           *kinema_provider_dup_authorization_at (KinemaProvider  *self,
                                                      gint64           now_unix,
                                                      GError         **error);
/* Checks that @base_url parses, is http(s), and is http only for loopback. */
gboolean        kinema_provider_validate_base_url   (const char      *base_url,
                                                     GError         **error);
/* Same, with plain http to a private network allowed when @policy says so. */
gboolean kinema_provider_validate_base_url_full (const char     *base_url,
                                                 KinemaUrlPolicy policy,
                                                 GError        **error);
/* Checks the base URL with the provider's own URL policy. */
gboolean        kinema_provider_validate            (KinemaProvider  *self,
                                                     GError         **error);
/* What the provider accepts beyond the model (new-api gateways vs Kling itself). */
KinemaProviderCaps kinema_provider_get_caps         (KinemaProvider  *self);
/* Checks @request against the provider's own rules; the error (INVALID_INPUT) says in
 * plain words what is missing and why. The composer and kinema-cli call it before
 * anything is sent. @request must already pass kinema_request_validate(). */
gboolean        kinema_provider_check_request       (KinemaProvider  *self,
                                                     KinemaRequest   *request,
                                                     GError         **error);
/* Whether the provider's API has Kling's video extension route (official Kling style,
 * the demo included; never a gateway). */
gboolean        kinema_provider_offers_extend       (KinemaProvider  *self);
/* %NULL when @task's finished clip can be extended on this provider now, else a
 * translated sentence saying why not. */
char           *kinema_provider_dup_extend_reason   (KinemaProvider  *self,
                                                     KinemaTask      *task);
/* Models this provider offers, for the composer (NULL-terminated, static). */
const char * const *kinema_provider_list_models     (KinemaProvider  *self);

G_END_DECLS
