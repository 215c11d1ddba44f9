/* fuzz-reply.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer entry point for the reply reader: the input is read as a 200 JSON
 * reply, then again with its first two bytes choosing the HTTP status and the
 * content type. The same bytes then go through the JSON nesting guard and the
 * sidecar reader (issue 15, point 1).
 */

#include "config.h"

#include <stdint.h>

#include "kinema-error.h"
#include "kinema-json.h"
#include "kinema-reply.h"
#include "kinema-request.h"
#include "kinema-sidecar.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const guint       statuses[] = { 200, 201, 400, 401, 403, 404, 429, 500, 502, 503 };
static const char *const content_types[] = {
  "application/json",
  "application/json; charset=utf-8",
  "text/html",
  "text/plain",
  NULL,
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

/* The nesting guard and the sidecar reader: whatever the depth, nothing recurses
 * past KINEMA_JSON_MAX_DEPTH, and every failure is a KINEMA_ERROR. */
static void
run_json (const uint8_t *data,
          size_t         size)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  gboolean shallow = kinema_json_check_depth ((const char *) data, (gssize) size, KINEMA_JSON_MAX_DEPTH);

  node = kinema_json_parse ((const char *) data, (gssize) size, &error);
  if (!shallow)
    g_assert (node == NULL && g_error_matches (error, KINEMA_ERROR, KINEMA_ERROR_BAD_REPLY));

  if (kinema_sidecar_parse ((const char *) data, size, &request, &error2))
    g_assert (KINEMA_IS_REQUEST (request));
  else
    g_assert (error2 != NULL && error2->domain == KINEMA_ERROR);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  run_json (data, size);

  /* The whole input as a plain 200 JSON reply (the seeds are such replies)... */
  run_once (200, "application/json", data, size);

  /* ...and the first two bytes as status and content type, the rest as body. */
  if (size >= 2)
    run_once (statuses[data[0] % G_N_ELEMENTS (statuses)],
              content_types[data[1] % G_N_ELEMENTS (content_types)],
              data + 2, size - 2);

  return 0;
}
