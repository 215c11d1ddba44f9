/* kinema-error.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-error.h"

typedef KinemaErrorDetails KinemaErrorPrivate;

static void
kinema_error_private_init (KinemaErrorPrivate *priv)
{
  priv->retry_after_ms = -1;
}

static void
kinema_error_private_copy (const KinemaErrorPrivate *src,
                           KinemaErrorPrivate       *dest)
{
  dest->http_status = src->http_status;
  dest->provider_code = g_strdup (src->provider_code);
  dest->provider_message = g_strdup (src->provider_message);
  dest->request_id = g_strdup (src->request_id);
  dest->retry_after_ms = src->retry_after_ms;
  dest->not_sent = src->not_sent;
}

static void
kinema_error_private_clear (KinemaErrorPrivate *priv)
{
  g_clear_pointer (&priv->provider_code, g_free);
  g_clear_pointer (&priv->provider_message, g_free);
  g_clear_pointer (&priv->request_id, g_free);
}

/* GLib's macro steps back from the GError to its private block by bytes; the block is
 * allocated with GError's alignment, which clang cannot see. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wcast-align"
#endif
G_DEFINE_EXTENDED_ERROR (KinemaError, kinema_error)
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

/**
 * kinema_error_code_message:
 * @code: a #KinemaErrorCode
 *
 * Returns: (transfer none): the plain-words, translated message for @code.
 */
const char *
kinema_error_code_message (KinemaErrorCode code)
{
  switch (code)
    {
    case KINEMA_ERROR_INVALID_INPUT:
      return _("Some of the input is not valid.");
    case KINEMA_ERROR_AUTH:
      return _("The provider did not accept your key. Check it in Preferences.");
    case KINEMA_ERROR_ACCOUNT:
      return _("Your account with this provider cannot pay for the job: check its balance or resource pack.");
    case KINEMA_ERROR_PERMISSION:
      return _("Your key is not allowed to use this model or feature.");
    case KINEMA_ERROR_INVALID_REQUEST:
      return _("The provider refused one of the settings.");
    case KINEMA_ERROR_NOT_FOUND:
      return _("The provider does not know this job or model.");
    case KINEMA_ERROR_CONTENT_POLICY:
      return _("The prompt or image was refused by the provider's content review.");
    case KINEMA_ERROR_RATE_LIMITED:
      return _("The provider asks us to slow down. Kinema will try again shortly.");
    case KINEMA_ERROR_CONCURRENCY_LIMIT:
      return _("Too many jobs are running on your account at once. Wait for one to finish.");
    case KINEMA_ERROR_SERVER:
      return _("The provider had a problem on its side. Try again later.");
    case KINEMA_ERROR_UNSUPPORTED_ROUTE:
      return _("This provider does not offer this kind of request. Check the base URL and API style.");
    case KINEMA_ERROR_BAD_REPLY:
      return _("The provider sent a reply Kinema could not understand.");
    case KINEMA_ERROR_NETWORK:
      return _("Could not reach the provider. Check your internet connection.");
    case KINEMA_ERROR_TLS:
      return _("The provider's security certificate could not be verified.");
    case KINEMA_ERROR_TIMEOUT:
      return _("The provider did not answer in time.");
    case KINEMA_ERROR_TASK_FAILED:
      return _("The provider could not make this video.");
    case KINEMA_ERROR_DISK:
      return _("The video could not be saved on this computer.");
    case KINEMA_ERROR_NO_KEY:
      return _("No key is set up for this provider. Add one in Preferences.");
    case KINEMA_ERROR_KEYRING:
      return _("The system keyring is not available.");
    case KINEMA_ERROR_MEDIA:
      return _("This video cannot be played.");
    default:
      return _("Something went wrong.");
    }
}

/**
 * kinema_error_new:
 * @code: the error code
 * @http_status: HTTP status, or 0
 * @provider_code: (nullable): the provider's code
 * @provider_message: (nullable): the provider's message
 * @request_id: (nullable): the provider's request id
 *
 * Creates an error whose message is the friendly text for @code, with the
 * details attached.
 *
 * Returns: (transfer full): a new #GError
 */
GError *
kinema_error_new (KinemaErrorCode code,
                  guint           http_status,
                  const char     *provider_code,
                  const char     *provider_message,
                  const char     *request_id)
{
  GError             *error = g_error_new_literal (KINEMA_ERROR, code, kinema_error_code_message (code));
  KinemaErrorPrivate *priv = kinema_error_get_private (error);

  priv->http_status = http_status;
  priv->provider_code = g_strdup (provider_code);
  priv->provider_message = g_strdup (provider_message);
  priv->request_id = g_strdup (request_id);

  return error;
}

/**
 * kinema_error_get_details:
 * @error: a #GError
 *
 * Returns: (nullable) (transfer none): the details, or %NULL when @error is not a
 *   #KINEMA_ERROR
 */
const KinemaErrorDetails *
kinema_error_get_details (const GError *error)
{
  if (error == NULL || error->domain != KINEMA_ERROR)
    return NULL;

  return kinema_error_get_private (error);
}

void
kinema_error_set_retry_after (GError *error,
                              gint64  retry_after_ms)
{
  KinemaErrorPrivate *priv;

  g_return_if_fail (error != NULL && error->domain == KINEMA_ERROR);

  priv = kinema_error_get_private (error);
  priv->retry_after_ms = retry_after_ms;
}

/**
 * kinema_error_set_not_sent:
 * @error: a #KINEMA_ERROR error
 * @not_sent: whether the request provably never left this computer
 *
 * Only the HTTP client knows this: it sets it when a connection failed before any
 * byte of the request was written.
 */
void
kinema_error_set_not_sent (GError  *error,
                           gboolean not_sent)
{
  g_return_if_fail (error != NULL && error->domain == KINEMA_ERROR);

  kinema_error_get_private (error)->not_sent = !!not_sent;
}

/**
 * kinema_error_get_not_sent:
 * @error: (nullable): a #GError
 *
 * Returns: %TRUE when the failed request never reached the provider, so nothing
 *   was created or charged. %FALSE when it may have (the safe default).
 */
gboolean
kinema_error_get_not_sent (const GError *error)
{
  const KinemaErrorDetails *details = kinema_error_get_details (error);

  return details != NULL && details->not_sent;
}

/**
 * kinema_error_format_details:
 * @error: a #GError
 *
 * Returns: (transfer full) (nullable): a few lines for the "Details" expander, or
 *   %NULL when there is nothing technical to add.
 */
char *
kinema_error_format_details (const GError *error)
{
  const KinemaErrorDetails *details = kinema_error_get_details (error);
  g_autoptr(GString) str = NULL;

  if (details == NULL)
    return error != NULL ? g_strdup (error->message) : NULL;

  str = g_string_new (NULL);
  if (details->http_status != 0)
    g_string_append_printf (str, _("HTTP status: %u\n"), details->http_status);
  if (details->provider_code != NULL && details->provider_code[0] != '\0')
    g_string_append_printf (str, _("Provider code: %s\n"), details->provider_code);
  /* A connection that failed carries the system's words, not the provider's. */
  if (details->provider_message != NULL && details->provider_message[0] != '\0' && details->http_status == 0 &&
      details->provider_code == NULL &&
      (error->code == KINEMA_ERROR_NETWORK || error->code == KINEMA_ERROR_TLS ||
       error->code == KINEMA_ERROR_TIMEOUT))
    g_string_append_printf (str, _("Connection error: %s\n"), details->provider_message);
  else if (details->provider_message != NULL && details->provider_message[0] != '\0')
    g_string_append_printf (str, _("Provider message: %s\n"), details->provider_message);
  if (details->request_id != NULL && details->request_id[0] != '\0')
    g_string_append_printf (str, _("Request id: %s\n"), details->request_id);

  if (str->len == 0)
    return NULL;

  g_string_truncate (str, str->len - 1);
  return g_string_free (g_steal_pointer (&str), FALSE);
}

/**
 * kinema_error_is_retryable:
 * @error: a #GError
 *
 * Whether the same idempotent request (a poll, a download) may be sent again
 * after a delay. Never use this to decide whether to re-send a submit.
 */
gboolean
kinema_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != KINEMA_ERROR)
    return FALSE;

  switch (error->code)
    {
    case KINEMA_ERROR_RATE_LIMITED:
    case KINEMA_ERROR_CONCURRENCY_LIMIT:
    case KINEMA_ERROR_SERVER:
    case KINEMA_ERROR_NETWORK:
    case KINEMA_ERROR_TIMEOUT:
    case KINEMA_ERROR_BAD_REPLY:
      return TRUE;
    default:
      return FALSE;
    }
}
