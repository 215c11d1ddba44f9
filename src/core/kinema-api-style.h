/* kinema-api-style.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds the URLs and JSON bodies of each API style exactly as PROTOCOL.md
 * 6.1-6.5 show. Pure functions: local image files must be read and encoded by
 * the caller (raw base64, no data: prefix) and passed in.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kinema-request.h"
#include "kinema-types.h"

G_BEGIN_DECLS

gboolean  kinema_api_style_is_remote_image      (const char      *image);
char     *kinema_api_style_build_submit_url     (KinemaApiStyle   style,
                                                 const char      *base_url,
                                                 KinemaTaskKind   kind);
/* @image / @image_tail: what to send (URL or raw base64); %NULL means the
 * request's own value, which must then be an http(s) URL. */
JsonNode *kinema_api_style_build_submit_body    (KinemaApiStyle   style,
                                                 KinemaRequest   *request,
                                                 const char      *image,
                                                 const char      *image_tail,
                                                 GError         **error);
char     *kinema_api_style_build_poll_url       (KinemaApiStyle   style,
                                                 const char      *base_url,
                                                 KinemaTaskKind   kind,
                                                 const char      *remote_id);
char     *kinema_api_style_build_content_url    (const char      *base_url,
                                                 const char      *remote_id);
/* Official Kling only: the single-task query by the caller's external_task_id. */
char     *kinema_api_style_build_lookup_url     (const char      *base_url,
                                                 KinemaTaskKind   kind,
                                                 const char      *external_task_id);
const char *kinema_api_style_size_for_aspect_ratio (const char   *aspect_ratio);

G_END_DECLS
