/* kinema-reply.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One tolerant reader for every reply shape of PROTOCOL.md (sections 1.6, 1.7,
 * 2.5, 2.7, 2.9, 2.10, 3 and the error shapes of 5.6). Pure functions, no I/O.
 */

#pragma once

#include <gio/gio.h>

#include "kinema-remote-status.h"

G_BEGIN_DECLS

/* Bodies larger than this are refused as bad replies. */
#define KINEMA_REPLY_MAX_BYTES (1024 * 1024)

gboolean           kinema_reply_parse_submit       (guint                http_status,
                                                    const char          *content_type,
                                                    GBytes              *body,
                                                    KinemaRemoteStatus **out,
                                                    GError             **error);
gboolean           kinema_reply_parse_status       (guint                http_status,
                                                    const char          *content_type,
                                                    GBytes              *body,
                                                    KinemaRemoteStatus **out,
                                                    GError             **error);
/* Reads an error reply of any shape (or builds one from the HTTP status alone). */
GError            *kinema_reply_parse_error        (guint                http_status,
                                                    const char          *content_type,
                                                    GBytes              *body);
KinemaRemoteState  kinema_reply_map_status         (const char          *status);
int                kinema_reply_map_kling_code     (gint64               code);
int                kinema_reply_map_http_status    (guint                http_status);

G_END_DECLS
