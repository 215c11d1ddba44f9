/* kinema-http-client.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one SoupSession of the process: User-Agent "Kinema/VERSION", timeouts, TLS
 * always verified, plain http only to loopback (or an allowed private network),
 * capped reply bodies, transport
 * errors mapped to KINEMA_ERROR, and the Authorization header redacted from logs.
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "kinema-types.h"

G_BEGIN_DECLS

#define KINEMA_HTTP_MAX_REPLY_BYTES (4 * 1024 * 1024)

#define KINEMA_TYPE_HTTP_CLIENT (kinema_http_client_get_type ())

G_DECLARE_FINAL_TYPE (KinemaHttpClient, kinema_http_client, KINEMA, HTTP_CLIENT, GObject)

KinemaHttpClient *kinema_http_client_new                  (void);
SoupSession      *kinema_http_client_get_session          (KinemaHttpClient     *self);
/* Reads the whole reply, at most KINEMA_HTTP_MAX_REPLY_BYTES. The HTTP status is
 * left on @message for the caller; only transport failures are errors here. */
void              kinema_http_client_send_and_read_async  (KinemaHttpClient     *self,
                                                           SoupMessage          *message,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GBytes           *kinema_http_client_send_and_read_finish (KinemaHttpClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* Streams the reply (downloads). */
void              kinema_http_client_send_async           (KinemaHttpClient     *self,
                                                           SoupMessage          *message,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
GInputStream     *kinema_http_client_send_finish          (KinemaHttpClient     *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);
/* Maps a GIO/libsoup/TLS transport error to KINEMA_ERROR (NETWORK, TLS, TIMEOUT). */
void              kinema_http_client_set_retry_policy     (KinemaHttpClient     *self,
                                                           guint                 max_retries,
                                                           guint                 base_delay_ms);
/* The one URL policy (see kinema_http_check_url()); the default policy. */
gboolean          kinema_http_uri_is_allowed              (GUri                 *uri,
                                                           GError              **error);
gboolean          kinema_http_check_url                   (GUri                 *uri,
                                                           KinemaUrlPolicy       policy,
                                                           GError              **error);
gboolean          kinema_http_host_is_private             (const char           *host);
/* Redirects followed per request; every hop is checked by kinema_http_check_redirect(). */
#define KINEMA_HTTP_MAX_REDIRECTS 5
gboolean          kinema_http_check_redirect              (GUri                 *from,
                                                           GUri                 *to,
                                                           GUri                 *origin,
                                                           KinemaUrlPolicy       policy,
                                                           gboolean             *keep_authorization,
                                                           GError              **error);
gboolean          kinema_http_check_result_url            (GUri                 *url,
                                                           GUri                 *provider,
                                                           GError              **error);
void              kinema_http_message_set_url_policy      (SoupMessage          *message,
                                                           KinemaUrlPolicy       policy);
KinemaUrlPolicy   kinema_http_message_get_url_policy      (SoupMessage          *message);
GError           *kinema_http_error_from_transport        (const GError         *error);
/* A longer Retry-After is read as this: one hour. */
#define KINEMA_HTTP_MAX_RETRY_AFTER_MS ((gint64) 3600 * 1000)
/* Retry-After (seconds or HTTP date) in milliseconds, at most
 * KINEMA_HTTP_MAX_RETRY_AFTER_MS, or -1. */
gint64            kinema_http_parse_retry_after           (SoupMessageHeaders   *headers,
                                                           GDateTime            *now);

G_END_DECLS
