/* kinema-jwt.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Kling's token lifetime and clock-skew allowance (PROTOCOL.md 1.1). */
#define KINEMA_JWT_LIFETIME_S 1800
#define KINEMA_JWT_NOT_BEFORE_SKEW_S 5

char     *kinema_base64url_encode (const guchar  *data,
                                   gsize          len);
guchar   *kinema_base64url_decode (const char    *text,
                                   gsize         *out_len);
char     *kinema_jwt_sign         (const char    *access_key,
                                   const char    *secret_key,
                                   gint64         now_unix);
gboolean  kinema_jwt_verify       (const char    *token,
                                   const char    *secret_key,
                                   gint64         now_unix,
                                   char         **out_issuer,
                                   GError       **error);

G_END_DECLS
