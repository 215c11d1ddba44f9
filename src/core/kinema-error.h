/* kinema-error.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KINEMA_ERROR (kinema_error_quark ())

/**
 * KinemaError:
 *
 * One domain for everything a user may need to understand. The message of a
 * #GError in this domain is written for a non-programmer; the technical details
 * (HTTP status, the provider's own code and message, the request id) travel
 * alongside it as extended error data (G_DEFINE_EXTENDED_ERROR) and are read with
 * kinema_error_get_details() for the "Details" expander.
 */
typedef enum {
  KINEMA_ERROR_INVALID_INPUT,     /* our own checks refused the input; nothing was sent */
  KINEMA_ERROR_AUTH,              /* key missing, wrong or expired */
  KINEMA_ERROR_ACCOUNT,           /* balance, arrears, resource pack used up */
  KINEMA_ERROR_PERMISSION,        /* no access to this model or endpoint */
  KINEMA_ERROR_INVALID_REQUEST,   /* the provider refused a parameter */
  KINEMA_ERROR_NOT_FOUND,         /* task or model not known to the provider */
  KINEMA_ERROR_CONTENT_POLICY,    /* prompt or image refused by content review */
  KINEMA_ERROR_RATE_LIMITED,      /* too many requests, try later */
  KINEMA_ERROR_CONCURRENCY_LIMIT, /* too many jobs running at once on the account */
  KINEMA_ERROR_SERVER,            /* the provider failed (5xx) */
  KINEMA_ERROR_UNSUPPORTED_ROUTE, /* gateway answered with a web page: wrong API style/base URL */
  KINEMA_ERROR_BAD_REPLY,         /* reply could not be understood */
  KINEMA_ERROR_NETWORK,           /* no connection, DNS, refused, reset */
  KINEMA_ERROR_TLS,               /* certificate problem */
  KINEMA_ERROR_TIMEOUT,           /* no answer in time */
  KINEMA_ERROR_TASK_FAILED,       /* the job itself failed remotely */
  KINEMA_ERROR_DISK,              /* saving the clip failed: disk full, read-only, … */
  KINEMA_ERROR_NO_KEY,            /* no key stored for this provider */
  KINEMA_ERROR_KEYRING,           /* the Secret Service is unavailable */
  KINEMA_ERROR_MEDIA,             /* the clip cannot be decoded / a decoder is missing */
} KinemaErrorCode;

/**
 * KinemaErrorDetails:
 * @http_status: HTTP status, or 0
 * @provider_code: the provider's own code ("1303", "task_not_exist"), or %NULL
 * @provider_message: the provider's own message, or %NULL
 * @request_id: the provider's request id, or %NULL
 * @retry_after_ms: from `Retry-After`, or -1
 * @not_sent: %TRUE when the request provably never left this computer (the
 *   connection failed before the request was written): nothing reached the provider.
 *   %FALSE means it may have arrived.
 *
 * Technical details kept with a #KINEMA_ERROR error.
 */
typedef struct {
  guint  http_status;
  char  *provider_code;
  char  *provider_message;
  char  *request_id;
  gint64 retry_after_ms;
  gboolean not_sent;
} KinemaErrorDetails;

GQuark                    kinema_error_quark            (void);
GError                   *kinema_error_new              (KinemaErrorCode  code,
                                                         guint            http_status,
                                                         const char      *provider_code,
                                                         const char      *provider_message,
                                                         const char      *request_id);
const char               *kinema_error_code_message     (KinemaErrorCode  code);
const KinemaErrorDetails *kinema_error_get_details      (const GError    *error);
void                      kinema_error_set_retry_after  (GError          *error,
                                                         gint64           retry_after_ms);
void                      kinema_error_set_not_sent     (GError          *error,
                                                         gboolean         not_sent);
gboolean                  kinema_error_get_not_sent     (const GError    *error);
char                     *kinema_error_format_details   (const GError    *error);
gboolean                  kinema_error_is_retryable     (const GError    *error);

G_END_DECLS
