/* fuzz-reply.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer entry point for the reply reader: the input is read as a 200 JSON
 * reply, then again with its first two bytes choosing the HTTP status and the
 * content type.
 */

#include "config.h"

#include <stdint.h>

#include "kinema-error.h"
#include "kinema-reply.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const guint statuses[] = { 200, 201, 400, 401, 403, 404, 429, 500, 502, 503 };
static const char * const content_types[] = {
  "application/json", "application/json; charset=utf-8", "text/html", "text/plain", NULL,
};

static void
run_once (guint          status,
          const char    *content_type,
          const uint8_t *data,
          size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_autoptr(KinemaRemoteStatus) submit = NULL;
  g_autoptr(KinemaRemoteStatus) poll = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GError) error3 = NULL;

  if (kinema_reply_parse_submit (status, content_type, body, &submit, &error))
    g_assert (submit != NULL && submit->remote_id != NULL);
  else
    g_assert (error != NULL && error->domain == KINEMA_ERROR);

  if (kinema_reply_parse_status (status, content_type, body, &poll, &error2))
    g_assert (poll != NULL && (poll->progress < 0 || poll->progress <= 1));
  else
    g_assert (error2 != NULL && error2->domain == KINEMA_ERROR);

  error3 = kinema_reply_parse_error (status, content_type, body);
  g_assert (error3 != NULL && error3->domain == KINEMA_ERROR);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  /* The whole input as a plain 200 JSON reply (the seeds are such replies)... */
  run_once (200, "application/json", data, size);

  /* ...and the first two bytes as status and content type, the rest as body. */
  if (size >= 2)
    run_once (statuses[data[0] % G_N_ELEMENTS (statuses)],
              content_types[data[1] % G_N_ELEMENTS (content_types)],
              data + 2, size - 2);

  return 0;
}
