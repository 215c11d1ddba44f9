/* kinema-failure.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-failure"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kinema-error.h"
#include "kinema-failure.h"

/* One known reason, selected by the provider's code as the reply gave it (and, when
 * @error_code >= 0, our code too), or by a piece of the provider's message (a task's
 * task_status_msg / fail_reason; matched without regard to case), or by our own error
 * code alone as the last resort. */
typedef struct
{
  const char  *code;
  const char  *text;
  int          error_code;
  const char  *summary;
  const char  *what;   /* NULL: the error's own message */
  const char  *change; /* NULL: nothing to add */
  KinemaCharge charge;
} Reason;

#define CODE(c) c, NULL, -1
#define CODE_AS(c, e) c, NULL, e
#define TEXT(t) NULL, t, -1
#define OURS(e) NULL, NULL, e

/* Kling's error codes: Kling API docs, "Error Codes" (HTTP status, service code,
 * definition), as quoted in docs/PROTOCOL.md section 5. A refused request creates no
 * job, so nothing is charged. */
/* clang-format off */
static const Reason reasons[] = {
  /* Relayed by new-api, Kling's 1000-1004 are about the gateway's own Kling key; the
   * reader (kinema-reply.c) makes them server errors whose message says so
   * (relay/relay_task.go, RelayTaskSubmit; docs/PROTOCOL.md 8.3). */
  { CODE_AS ("1000", KINEMA_ERROR_SERVER), N_("Gateway's key refused"), NULL, NULL, KINEMA_CHARGE_NONE },
  { CODE_AS ("1001", KINEMA_ERROR_SERVER), N_("Gateway's key refused"), NULL, NULL, KINEMA_CHARGE_NONE },
  { CODE_AS ("1002", KINEMA_ERROR_SERVER), N_("Gateway's key refused"), NULL, NULL, KINEMA_CHARGE_NONE },
  { CODE_AS ("1003", KINEMA_ERROR_SERVER), N_("Gateway's key refused"), NULL, NULL, KINEMA_CHARGE_NONE },
  { CODE_AS ("1004", KINEMA_ERROR_SERVER), N_("Gateway's key refused"), NULL, NULL, KINEMA_CHARGE_NONE },
  { CODE ("1000"), N_("Key not accepted"), N_("The provider did not accept the key."),
    N_("Check the key of this provider in Preferences."), KINEMA_CHARGE_NONE },
  { CODE ("1001"), N_("Key not accepted"), N_("The provider received no key."),
    N_("Check the key of this provider in Preferences."), KINEMA_CHARGE_NONE },
  { CODE ("1002"), N_("Key not accepted"), N_("The provider did not accept the key."),
    N_("Check the key of this provider in Preferences."), KINEMA_CHARGE_NONE },
  { CODE ("1003"), N_("Computer clock is off"), N_("The provider says the sign-in is not valid yet: this computer's clock is probably ahead."),
    N_("Set the clock to the right time (automatic time), then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1004"), N_("Computer clock is off"), N_("The provider says the sign-in has expired: this computer's clock is probably behind."),
    N_("Set the clock to the right time (automatic time), then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1100"), N_("Account problem"), N_("The provider reports a problem with your account."),
    N_("Check your account on the provider's website."), KINEMA_CHARGE_NONE },
  { CODE ("1101"), N_("Account in arrears"), N_("Your account with the provider has unpaid bills."),
    N_("Pay the balance on the provider's website, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1102"), N_("No units left"), N_("The resource pack of your account is used up or has expired."),
    N_("Buy or renew a resource pack on the provider's website, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1103"), N_("No access to this model"), N_("Your key may not use this model or feature."),
    N_("Choose another model, or ask the provider for access."), KINEMA_CHARGE_NONE },
  { CODE ("1200"), N_("A setting was refused"), N_("The provider refused the request's settings."),
    N_("Change the settings named under Details, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1201"), N_("A setting was refused"), N_("The provider refused one of the settings."),
    N_("Change the setting named under Details, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1202"), N_("Wrong address or API style"), N_("The provider does not offer this request at this address."),
    N_("Check the base URL and API style of this provider in Preferences."), KINEMA_CHARGE_NONE },
  { CODE ("1203"), N_("Model not available"), N_("The provider does not know this model."),
    N_("Choose another model."), KINEMA_CHARGE_NONE },
  { CODE ("1300"), N_("Refused by platform policy"), N_("The provider's platform policy stopped this request."),
    N_("Change the prompt or the image, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1301"), N_("Refused by content review"), N_("The provider's content review refused the prompt or the image."),
    N_("Change the prompt or use another image, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1302"), N_("Too many requests"), N_("Too many requests reached the provider too quickly."),
    N_("Wait a minute, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1303"), N_("Too many jobs at once"), N_("Your account already runs as many jobs as it may at once."),
    N_("Wait for a job to finish, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("1304"), N_("Address not allowed"), N_("The provider does not accept requests from this computer's internet address."),
    N_("Add this address to the allow-list of your account, or remove the list."), KINEMA_CHARGE_NONE },
  { CODE ("5000"), N_("Provider problem"), N_("The provider had an internal problem."),
    N_("Try again later."), KINEMA_CHARGE_NONE },
  { CODE ("5001"), N_("Provider under maintenance"), N_("The provider is down for maintenance."),
    N_("Try again later."), KINEMA_CHARGE_NONE },
  { CODE ("5002"), N_("Provider overloaded"), N_("The provider is overloaded and gave up on the request."),
    N_("Try again later."), KINEMA_CHARGE_NONE },

  /* new-api's own codes: QuantumNous/new-api types/error.go (ErrorCode…); the
   * gateway refuses before anything reaches Kling. */
  { CODE ("insufficient_user_quota"), N_("Balance too low"), N_("Your balance at this gateway is too low for this job."),
    N_("Top up your balance at the gateway, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("pre_consume_token_quota_failed"), N_("Balance too low"), N_("Your key at this gateway has too little quota left for this job."),
    N_("Raise the key's quota or top up at the gateway, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("token_concurrency_limit_reached"), N_("Too many jobs at once"), N_("Your key at this gateway already runs as many jobs as it may at once."),
    N_("Wait for a job to finish, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("model_not_found"), N_("Model not available"), N_("This gateway does not offer this model."),
    N_("Choose another model or another provider."), KINEMA_CHARGE_NONE },
  { CODE ("sensitive_words_detected"), N_("Refused by content review"), N_("The gateway found words in the prompt that it does not allow."),
    N_("Change the prompt, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("prompt_blocked"), N_("Refused by content review"), N_("The gateway blocked the prompt."),
    N_("Change the prompt, then try again."), KINEMA_CHARGE_NONE },
  /* OpenAI-style codes some gateways answer with (the codes kinema-reply.c maps). */
  { CODE ("insufficient_quota"), N_("Balance too low"), N_("Your balance at this gateway is too low for this job."),
    N_("Top up your balance at the gateway, then try again."), KINEMA_CHARGE_NONE },
  { CODE ("invalid_api_key"), N_("Key not accepted"), N_("The gateway did not accept the key."),
    N_("Check the key of this provider in Preferences."), KINEMA_CHARGE_NONE },
  { CODE ("rate_limit_exceeded"), N_("Too many requests"), N_("Too many requests reached the gateway too quickly."),
    N_("Wait a minute, then try again."), KINEMA_CHARGE_NONE },

  /* Texts of a failed task (Kling's task_status_msg, new-api's fail_reason). Kling does
   * not document them (docs/PROTOCOL.md section 7); these are texts seen relayed:
   * "Failure to pass the risk control system" (UX audit, issue 12), new-api's timeout
   * reason "任务超时（N分钟）" (relay/relay_task.go, TASK_TIMEOUT_MINUTES, quota
   * refunded). Kling does not charge failed jobs (Kling API docs, billing:
   * final_unit_deduction only on success; docs/PROTOCOL.md 8.9). */
  { TEXT ("risk control"), N_("Refused by content review"), N_("The provider's content review refused the prompt or the image."),
    N_("Change the prompt or use another image, then try again."), KINEMA_CHARGE_NONE },
  { TEXT ("safety"), N_("Refused by content review"), N_("The provider's content review refused the prompt or the image."),
    N_("Change the prompt or use another image, then try again."), KINEMA_CHARGE_NONE },
  { TEXT ("sensitive"), N_("Refused by content review"), N_("The provider's content review refused the prompt or the image."),
    N_("Change the prompt or use another image, then try again."), KINEMA_CHARGE_NONE },
  { TEXT ("任务超时"), N_("Took too long"), N_("The job took too long and the gateway gave up on it."),
    N_("Try again later."), KINEMA_CHARGE_NONE },
  { TEXT ("timed out"), N_("Took too long"), N_("The job took too long and the provider gave up on it."),
    N_("Try again later."), KINEMA_CHARGE_NONE },

  /* Our own codes: the error's message says what happened. */
  { OURS (KINEMA_ERROR_INVALID_INPUT), N_("Input not valid"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_AUTH), N_("Key not accepted"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_ACCOUNT), N_("Account cannot pay"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_PERMISSION), N_("No access to this model"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_INVALID_REQUEST), N_("A setting was refused"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_NOT_FOUND), N_("Job unknown"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_CONTENT_POLICY), N_("Refused by content review"), NULL,
    N_("Change the prompt or use another image, then try again."), KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_RATE_LIMITED), N_("Too many requests"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_CONCURRENCY_LIMIT), N_("Too many jobs at once"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_SERVER), N_("Provider problem"), NULL, NULL, KINEMA_CHARGE_UNKNOWN },
  { OURS (KINEMA_ERROR_UNSUPPORTED_ROUTE), N_("Wrong address or API style"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_BAD_REPLY), N_("Reply not understood"), NULL, NULL, KINEMA_CHARGE_UNKNOWN },
  { OURS (KINEMA_ERROR_NETWORK), N_("No connection"), NULL, NULL, KINEMA_CHARGE_UNKNOWN },
  { OURS (KINEMA_ERROR_TLS), N_("Certificate problem"), NULL, NULL, KINEMA_CHARGE_UNKNOWN },
  { OURS (KINEMA_ERROR_TIMEOUT), N_("No answer in time"), NULL, NULL, KINEMA_CHARGE_UNKNOWN },
  { OURS (KINEMA_ERROR_TASK_FAILED), N_("The provider could not make it"), NULL,
    N_("Try again, perhaps with another prompt or image."), KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_DISK), N_("Could not save"), NULL, NULL, KINEMA_CHARGE_UNKNOWN },
  { OURS (KINEMA_ERROR_NO_KEY), N_("No key"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_KEYRING), N_("Keyring not available"), NULL, NULL, KINEMA_CHARGE_NONE },
  { OURS (KINEMA_ERROR_MEDIA), N_("Cannot be played"), NULL, NULL, KINEMA_CHARGE_UNKNOWN },
};
/* clang-format on */

static gboolean
contains_nocase (const char *haystack,
                 const char *needle)
{
  g_autofree char *h = NULL;
  g_autofree char *n = NULL;

  if (haystack == NULL)
    return FALSE;
  h = g_utf8_casefold (haystack, -1);
  n = g_utf8_casefold (needle, -1);
  return strstr (h, n) != NULL;
}

static const Reason *
find_reason (const GError *error)
{
  const KinemaErrorDetails *details = kinema_error_get_details (error);

  if (details != NULL && details->provider_code != NULL && details->provider_code[0] != '\0')
    for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
      if (reasons[i].code != NULL && g_ascii_strcasecmp (reasons[i].code, details->provider_code) == 0 &&
          (reasons[i].error_code < 0 || reasons[i].error_code == error->code))
        return &reasons[i];

  /* Bounded: a provider's message is short; a hostile one is cut before matching. */
  if (details != NULL && details->provider_message != NULL && strlen (details->provider_message) < 4096)
    for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
      if (reasons[i].text != NULL && contains_nocase (details->provider_message, reasons[i].text))
        return &reasons[i];

  if (error != NULL && error->domain == KINEMA_ERROR)
    for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
      if (reasons[i].code == NULL && reasons[i].text == NULL && reasons[i].error_code == error->code)
        return &reasons[i];

  return NULL;
}

void
kinema_failure_explain (const GError  *error,
                        KinemaFailure *out)
{
  const Reason *reason;

  g_return_if_fail (out != NULL);

  reason = find_reason (error);
  out->summary = reason != NULL ? _(reason->summary) : NULL;
  out->what = reason != NULL && reason->what != NULL ? _(reason->what) : NULL;
  out->change = reason != NULL && reason->change != NULL ? _(reason->change) : NULL;
  out->charge = reason != NULL ? reason->charge : KINEMA_CHARGE_UNKNOWN;

  if (out->what == NULL)
    out->what = error != NULL && error->message != NULL && error->message[0] != '\0'
                    ? error->message
                    : _("The provider gave no reason.");
  if (out->summary == NULL)
    out->summary = out->what;
  if (kinema_error_get_not_sent (error))
    out->charge = KINEMA_CHARGE_NONE;
}

const char *
kinema_failure_charge_text (KinemaCharge charge)
{
  switch (charge)
    {
    case KINEMA_CHARGE_NONE:
      return _("Nothing was charged.");
    case KINEMA_CHARGE_UNKNOWN:
    default:
      return NULL;
    }
}

static void
append_sentence (GString    *text,
                 const char *sentence)
{
  g_autofree char *joined = NULL;

  /* Translators: two sentences one after the other; Chinese needs no space between */
  joined = g_strdup_printf (_("%s %s"), text->str, sentence);
  g_string_assign (text, joined);
}

char *
kinema_failure_dup_text (const GError *error)
{
  KinemaFailure failure;
  GString      *text;
  const char   *charge;

  kinema_failure_explain (error, &failure);
  text = g_string_new (failure.what);
  /* The error's own message may already say what to change: never say it twice. */
  if (failure.change != NULL && strstr (failure.what, failure.change) == NULL)
    append_sentence (text, failure.change);
  charge = kinema_failure_charge_text (failure.charge);
  if (charge != NULL)
    append_sentence (text, charge);
  return g_string_free (text, FALSE);
}
