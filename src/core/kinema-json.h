/* kinema-json.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one door through which remote or user-supplied JSON reaches json-glib.
 * json-glib's parser recurses once per nesting level without a limit, so a reply
 * of a few hundred kilobytes of `[[[[` overflows the stack. A small bounded scanner
 * counts the nesting first and refuses anything deeper than KINEMA_JSON_MAX_DEPTH.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* No reply, sidecar or settings file of ours comes near this. */
#define KINEMA_JSON_MAX_DEPTH 64

gboolean  kinema_json_check_depth (const char  *data,
                                   gssize       len,
                                   guint        max_depth);
gboolean  kinema_json_parser_load (JsonParser  *parser,
                                   const char  *data,
                                   gssize       len,
                                   GError     **error);
JsonNode *kinema_json_parse       (const char  *data,
                                   gssize       len,
                                   GError     **error);

G_END_DECLS
