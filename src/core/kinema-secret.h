/* kinema-secret.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Secrets in memory (keys, tokens, Authorization values, HMAC digests): zeroed
 * before their memory is given back, with a wipe the compiler may not drop.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* clang-format off */
/* Zeroes @length bytes at @data (explicit_bzero). */
void  kinema_secret_wipe (gpointer    data,
                          gsize       length);
/* Zeroes a string up to its terminator and frees it; %NULL is fine. */
void  kinema_secret_free (char       *secret);
/* clang-format on */

/* g_autoptr(KinemaSecret) text = …: a string that is wiped when it goes out of scope. */
typedef char KinemaSecret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KinemaSecret, kinema_secret_free)

G_END_DECLS
