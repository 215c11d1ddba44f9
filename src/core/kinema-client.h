/* kinema-client.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The API layer: builds each style's requests, sends them through the shared
 * KinemaHttpClient and reads the replies with the tolerant reader. A submit is sent
 * exactly once and never retried here; polls are idempotent and may be retried.
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "kinema-http-client.h"
#include "kinema-provider.h"
#include "kinema-remote-status.h"
#include "kinema-request.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_CLIENT (kinema_client_get_type ())

G_DECLARE_FINAL_TYPE (KinemaClient, kinema_client, KINEMA, CLIENT, GObject)

KinemaClient       *kinema_client_new                      (KinemaHttpClient     *http);
KinemaHttpClient   *kinema_client_get_http_client          (KinemaClient         *self);

/* Validates @request (and its image files) for the provider's style, then POSTs it once.
 * The result carries the remote id. Errors are KINEMA_ERROR. */
void                kinema_client_submit_async             (KinemaClient         *self,
                                                            KinemaProvider       *provider,
                                                            KinemaRequest        *request,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
KinemaRemoteStatus *kinema_client_submit_finish            (KinemaClient         *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
void                kinema_client_poll_async               (KinemaClient         *self,
                                                            KinemaProvider       *provider,
                                                            KinemaTaskKind        kind,
                                                            const char           *remote_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
KinemaRemoteStatus *kinema_client_poll_finish              (KinemaClient         *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
/* Official Kling only: find a job by the external_task_id we sent (crash recovery).
 * Fails with KINEMA_ERROR_NOT_FOUND when the job was never created. */
void                kinema_client_lookup_external_async    (KinemaClient         *self,
                                                            KinemaProvider       *provider,
                                                            KinemaTaskKind        kind,
                                                            const char           *external_task_id,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
KinemaRemoteStatus *kinema_client_lookup_external_finish   (KinemaClient         *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
gboolean            kinema_client_supports_external_lookup (KinemaClient         *self,
                                                            KinemaProvider       *provider);
/* A GET for the clip: @video_url when given, else the style's content route for
 * @remote_id. Authorization is added only when the URL is on the provider's own host. */
SoupMessage        *kinema_client_new_download_message     (KinemaClient         *self,
                                                            KinemaProvider       *provider,
                                                            const char           *video_url,
                                                            const char           *remote_id,
                                                            GError              **error);
/* A cheap authenticated request; TRUE when the provider accepted the key. */
void                kinema_client_test_connection_async    (KinemaClient         *self,
                                                            KinemaProvider       *provider,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean            kinema_client_test_connection_finish   (KinemaClient         *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

G_END_DECLS
