/* kinema-secret.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "kinema-secret.h"

/**
 * kinema_secret_wipe:
 * @data: (nullable): memory that held a secret
 * @length: how many bytes
 *
 * Zeroes the bytes with explicit_bzero(), which the compiler keeps even when the
 * memory is not read again.
 */
void
kinema_secret_wipe (gpointer data,
                    gsize    length)
{
  if (data != NULL && length > 0)
    explicit_bzero (data, length);
}

/**
 * kinema_secret_free:
 * @secret: (nullable) (transfer full): a string that held a secret
 *
 * Zeroes @secret and frees it.
 */
void
kinema_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  kinema_secret_wipe (secret, strlen (secret));
  g_free (secret);
}
