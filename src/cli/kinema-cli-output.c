/* kinema-cli-output.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Exit codes, the JSON summary and the text kinema-cli prints.
 */

#define G_LOG_DOMAIN "kinema-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kinema-cli.h"
#include "kinema-cost-table.h"
#include "kinema-enums.h"
#include "kinema-error.h"

/**
 * kinema_cli_exit_for_error:
 * @error: (nullable): why a job did not end with a saved video
 *
 * Returns: the exit code documented in the README for @error
 */
KinemaCliExit
kinema_cli_exit_for_error (const GError *error)
{
  if (error == NULL)
    return KINEMA_CLI_EXIT_FAILED;

  if (error->domain != KINEMA_ERROR)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return KINEMA_CLI_EXIT_TIMEOUT;
      if (error->domain == G_OPTION_ERROR)
        return KINEMA_CLI_EXIT_INVALID;
      return KINEMA_CLI_EXIT_NETWORK;
    }

  switch ((KinemaErrorCode) error->code)
    {
    case KINEMA_ERROR_INVALID_INPUT:
      return KINEMA_CLI_EXIT_INVALID;

    case KINEMA_ERROR_AUTH:
    case KINEMA_ERROR_ACCOUNT:
    case KINEMA_ERROR_PERMISSION:
    case KINEMA_ERROR_NO_KEY:
    case KINEMA_ERROR_KEYRING:
      return KINEMA_CLI_EXIT_AUTH;

    case KINEMA_ERROR_INVALID_REQUEST:
    case KINEMA_ERROR_NOT_FOUND:
    case KINEMA_ERROR_CONTENT_POLICY:
    case KINEMA_ERROR_TASK_FAILED:
      return KINEMA_CLI_EXIT_FAILED;

    case KINEMA_ERROR_RATE_LIMITED:
    case KINEMA_ERROR_CONCURRENCY_LIMIT:
    case KINEMA_ERROR_SERVER:
    case KINEMA_ERROR_UNSUPPORTED_ROUTE:
    case KINEMA_ERROR_BAD_REPLY:
    case KINEMA_ERROR_NETWORK:
    case KINEMA_ERROR_TLS:
    case KINEMA_ERROR_TIMEOUT:
    case KINEMA_ERROR_DISK:
    case KINEMA_ERROR_MEDIA:
    default:
      return KINEMA_CLI_EXIT_NETWORK;
    }
}

/**
 * kinema_cli_exit_for_task:
 * @task: a task
 *
 * Returns: the exit code for @task as it is now: %KINEMA_CLI_EXIT_OK once its video is
 *   saved, the error's code when it failed, %KINEMA_CLI_EXIT_NETWORK when it needs
 *   checking (the submit's outcome is unknown), %KINEMA_CLI_EXIT_TIMEOUT while it is
 *   still running or was stopped
 */
KinemaCliExit
kinema_cli_exit_for_task (KinemaTask *task)
{
  switch (kinema_task_get_status (task))
    {
    case KINEMA_TASK_STATUS_SUCCEEDED:
      return KINEMA_CLI_EXIT_OK;
    case KINEMA_TASK_STATUS_FAILED:
      return kinema_cli_exit_for_error (kinema_task_get_error (task));
    case KINEMA_TASK_STATUS_NEEDS_CHECKING:
    case KINEMA_TASK_STATUS_NOT_SENT:
      return KINEMA_CLI_EXIT_NETWORK;
    case KINEMA_TASK_STATUS_SUBMITTING:
    case KINEMA_TASK_STATUS_QUEUED:
    case KINEMA_TASK_STATUS_RUNNING:
    case KINEMA_TASK_STATUS_DOWNLOADING:
    case KINEMA_TASK_STATUS_STOPPED:
    default:
      return KINEMA_CLI_EXIT_TIMEOUT;
    }
}

const char *
kinema_cli_status_nick (KinemaTaskStatus status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (KINEMA_TYPE_TASK_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  /* nicks are static strings; the class outlives us (the type is static) */
  return value != NULL ? value->value_nick : "unknown";
}

/* The kind as --json and the history name it (KinemaTaskKind's nicks). */
static const char *
kind_nick (KinemaTaskKind kind)
{
  switch (kind)
    {
    case KINEMA_TASK_KIND_IMAGE_TO_VIDEO:
      return "image-to-video";
    case KINEMA_TASK_KIND_VIDEO_EXTEND:
      return "video-extend";
    case KINEMA_TASK_KIND_TEXT_TO_VIDEO:
    default:
      return "text-to-video";
    }
}

static const char *
kind_label (KinemaTaskKind kind)
{
  switch (kind)
    {
    case KINEMA_TASK_KIND_IMAGE_TO_VIDEO:
      return _("image to video");
    case KINEMA_TASK_KIND_VIDEO_EXTEND:
      return _("extension of an earlier clip");
    case KINEMA_TASK_KIND_TEXT_TO_VIDEO:
    default:
      return _("text to video");
    }
}

static const char *
error_code_nick (const GError *error)
{
  static const char *const nicks[] = {
    [KINEMA_ERROR_INVALID_INPUT] = "invalid-input",
    [KINEMA_ERROR_AUTH] = "auth",
    [KINEMA_ERROR_ACCOUNT] = "account",
    [KINEMA_ERROR_PERMISSION] = "permission",
    [KINEMA_ERROR_INVALID_REQUEST] = "invalid-request",
    [KINEMA_ERROR_NOT_FOUND] = "not-found",
    [KINEMA_ERROR_CONTENT_POLICY] = "content-policy",
    [KINEMA_ERROR_RATE_LIMITED] = "rate-limited",
    [KINEMA_ERROR_CONCURRENCY_LIMIT] = "concurrency-limit",
    [KINEMA_ERROR_SERVER] = "server",
    [KINEMA_ERROR_UNSUPPORTED_ROUTE] = "unsupported-route",
    [KINEMA_ERROR_BAD_REPLY] = "bad-reply",
    [KINEMA_ERROR_NETWORK] = "network",
    [KINEMA_ERROR_TLS] = "tls",
    [KINEMA_ERROR_TIMEOUT] = "timeout",
    [KINEMA_ERROR_TASK_FAILED] = "task-failed",
    [KINEMA_ERROR_DISK] = "disk",
    [KINEMA_ERROR_NO_KEY] = "no-key",
    [KINEMA_ERROR_KEYRING] = "keyring",
    [KINEMA_ERROR_MEDIA] = "media",
  };

  if (error == NULL)
    return NULL;
  if (error->domain == KINEMA_ERROR && error->code >= 0 && (gsize) error->code < G_N_ELEMENTS (nicks))
    return nicks[error->code];
  return "other";
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = NULL;

  if (usec <= 0)
    return NULL;
  time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}

static void
add_time (JsonBuilder *builder,
          const char  *name,
          gint64       usec)
{
  g_autofree char *text = format_time (usec);

  add_string (builder, name, text);
}

/**
 * kinema_cli_task_to_json:
 * @task: a task
 *
 * The summary `--json` prints: id, remote_id, status, video_path, video_url and error
 * (a sentence, or null), with error_code, provider, kind, prompt, progress and the
 * times beside them.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
kinema_cli_task_to_json (KinemaTask *task)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const GError *error = kinema_task_get_error (task);
  double        progress = kinema_task_get_progress (task);
  double        estimate;

  json_builder_begin_object (builder);
  add_string (builder, "id", kinema_task_get_id (task));
  add_string (builder, "remote_id", kinema_task_get_remote_id (task));
  add_string (builder, "status", kinema_cli_status_nick (kinema_task_get_status (task)));
  add_string (builder, "video_path", kinema_task_get_video_path (task));
  add_string (builder, "video_url", kinema_task_get_video_url (task));
  add_string (builder, "error", error != NULL ? error->message : NULL);
  add_string (builder, "error_code", error_code_nick (error));
  add_string (builder, "provider", kinema_task_get_provider_id (task));
  add_string (builder, "kind", kind_nick (kinema_task_get_kind (task)));
  add_string (builder, "prompt", kinema_task_get_prompt (task));
  /* The clip an extension extends (issue 14), and the provider's id of this one's video,
   * which a further extension takes. */
  add_string (builder, "extends",
              kinema_task_get_link_kind (task) == KINEMA_LINK_EXTEND ? kinema_task_get_parent_id (task) : NULL);
  add_string (builder, "video_id", kinema_task_get_video_id (task));
  json_builder_set_member_name (builder, "progress");
  if (progress >= 0)
    json_builder_add_double_value (builder, progress);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "demo");
  json_builder_add_boolean_value (builder, kinema_task_get_is_demo (task));
  /* What the job really cost when the provider said (final_unit_deduction), beside the
   * estimate from Kinema's built-in cost table. */
  json_builder_set_member_name (builder, "units_charged");
  if (kinema_task_get_units_charged (task) >= 0)
    json_builder_add_double_value (builder, kinema_task_get_units_charged (task));
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "units_estimated");
  if (!kinema_task_get_is_demo (task) && kinema_task_get_request (task) != NULL &&
      kinema_cost_table_estimate (NULL, kinema_task_get_request (task), &estimate))
    json_builder_add_double_value (builder, estimate);
  else
    json_builder_add_null_value (builder);
  add_time (builder, "created_at", kinema_task_get_created_at (task));
  add_time (builder, "finished_at", kinema_task_get_finished_at (task));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Characters a terminal may obey rather than show, beyond C0: DEL, the C1 controls
 * (U+0080–U+009F; some terminals take U+009B as CSI) and the bidirectional overrides
 * and isolates, which reorder what is shown. */
static gboolean
is_hidden_control (gunichar c)
{
  return c == 0x7f || (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/**
 * kinema_cli_sanitize:
 * @text: (nullable): text that may come from a provider, a file or the history
 *
 * Makes @text safe for a terminal: newlines and tabs stay; every other C0 control
 * character becomes its Unicode control picture (ESC shows as ␛), DEL shows as ␡, C1
 * controls and bidirectional overrides as U+FFFD, and bytes that are not UTF-8 as
 * U+FFFD too. Nothing is dropped silently, so the reader sees that something was there.
 *
 * Returns: (transfer full): the safe text
 */
char *
kinema_cli_sanitize (const char *text)
{
  g_autofree char *valid = NULL;
  GString         *out;

  if (text == NULL)
    return g_strdup ("");
  valid = g_utf8_make_valid (text, -1);
  out = g_string_sized_new (strlen (valid));
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        g_string_append_c (out, (char) c);
      else if (c < 0x20)
        g_string_append_unichar (out, 0x2400 + c); /* U+2400 CONTROL PICTURES */
      else if (c == 0x7f)
        g_string_append_unichar (out, 0x2421); /* ␡ */
      else if (is_hidden_control (c))
        g_string_append_unichar (out, 0xfffd);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

/* json-glib escapes C0 in strings; the other characters a terminal may obey are
 * written as \uXXXX too, which keeps the data the same for a JSON reader. They can
 * only stand inside strings: JSON's own syntax is ASCII. */
static char *
escape_json_controls (const char *json)
{
  GString *out = g_string_sized_new (strlen (json));

  for (const char *p = json; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_hidden_control (c))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
    }
  return g_string_free (out, FALSE);
}

void
kinema_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *escaped = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  escaped = escape_json_controls (text);
  g_print ("%s\n", escaped);
  fflush (stdout);
}

static void
print_to (FILE       *stream,
          const char *string)
{
  g_autofree char *safe = kinema_cli_sanitize (string);
  const char      *charset;

  if (g_get_console_charset (&charset))
    fputs (safe, stream);
  else
    {
      g_autofree char *converted = g_convert_with_fallback (safe, -1, charset, "UTF-8", "?", NULL, NULL, NULL);

      fputs (converted != NULL ? converted : safe, stream);
    }
  fflush (stream);
}

static void
print_stdout (const char *string)
{
  print_to (stdout, string);
}

static void
print_stderr (const char *string)
{
  print_to (stderr, string);
}

static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char      *domain = NULL;
  g_autofree char *line = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
      domain = fields[i].value;
  if (g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;

  line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);
  print_to (stderr, line);
  print_to (stderr, "\n");
  return G_LOG_WRITER_HANDLED;
}

/**
 * kinema_cli_install_output_filter:
 *
 * Everything kinema-cli prints goes through kinema_cli_sanitize(): g_print(),
 * g_printerr() and log messages, whatever part of the code (or library) prints them,
 * so that a provider's message, a task id or a prompt read back from the history
 * cannot clear the screen, move the cursor or set the terminal's title. The one escape
 * sequence kinema-cli writes itself (redrawing the progress line) goes around it.
 */
void
kinema_cli_install_output_filter (void)
{
  g_set_print_handler (print_stdout);
  g_set_printerr_handler (print_stderr);
  g_log_set_writer_func (log_writer, NULL, NULL);
}

static char *
excerpt (const char *text,
         glong       max_chars)
{
  g_autofree char *flat = g_strdup (text != NULL ? text : "");
  glong            len;

  g_strdelimit (flat, "\n\r\t", ' ');
  len = g_utf8_strlen (flat, -1);
  if (len <= max_chars)
    return g_steal_pointer (&flat);

  *g_utf8_offset_to_pointer (flat, max_chars - 1) = '\0';
  return g_strconcat (flat, "…", NULL);
}

/* Pads @text to @width columns (counting characters, which is close enough). */
static void
append_padded (GString    *str,
               const char *text,
               glong       width)
{
  glong len = g_utf8_strlen (text, -1);

  g_string_append (str, text);
  for (; len < width; len++)
    g_string_append_c (str, ' ');
}

char *
kinema_cli_format_row (KinemaTask *task)
{
  GString         *str = g_string_new (NULL);
  g_autofree char *label = kinema_task_dup_status_label (task);
  g_autofree char *prompt = excerpt (kinema_task_get_prompt (task), 48);
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *when = NULL;

  if (kinema_task_get_created_at (task) > 0)
    created = g_date_time_new_from_unix_local (kinema_task_get_created_at (task) / G_USEC_PER_SEC);
  when = created != NULL ? g_date_time_format (created, "%Y-%m-%d %H:%M") : g_strdup ("-");

  append_padded (str, kinema_task_get_id (task), 38);
  append_padded (str, when, 18);
  append_padded (str, label != NULL ? label : "", 20);
  g_string_append (str, prompt);
  return g_string_free (str, FALSE);
}

static void
append_field (GString    *str,
              const char *name,
              const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;
  g_string_append_printf (str, "%-16s %s\n", name, value);
}

static void
append_time_field (GString    *str,
                   const char *name,
                   gint64      usec)
{
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *text = NULL;

  if (usec <= 0)
    return;
  time = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  text = time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M:%S") : NULL;
  append_field (str, name, text);
}

char *
kinema_cli_format_details (KinemaTask *task)
{
  GString         *str = g_string_new (NULL);
  KinemaRequest   *request = kinema_task_get_request (task);
  g_autofree char *label = kinema_task_dup_status_label (task);
  const GError    *error = kinema_task_get_error (task);
  const char      *provider_name = kinema_task_get_provider_name (task);
  g_autofree char *provider = NULL;
  char             number[G_ASCII_DTOSTR_BUF_SIZE];
  double           units;

  provider = g_strdup_printf ("%s (%s)", provider_name != NULL ? provider_name : kinema_task_get_provider_id (task),
                              kinema_task_get_provider_id (task));

  /* TRANSLATORS: the names in `kinema-cli show` are padded to 16 columns */
  append_field (str, _("Task"), kinema_task_get_id (task));
  append_field (str, _("Status"), label);
  append_field (str, _("Provider"), provider);
  append_field (str, _("Remote id"), kinema_task_get_remote_id (task));
  if (request != NULL)
    {
      /* An extension is its parent's clip and about 4.5 s more (Kling docs, "Video Extension"). */
      g_autofree char *duration = kinema_request_get_kind (request) == KINEMA_TASK_KIND_VIDEO_EXTEND
          ? g_strdup_printf (_("about %.1f s"), kinema_task_estimate_clip_seconds (task))
          : g_strdup_printf (_("%u s"), kinema_request_get_duration (request));

      append_field (str, _("Kind"), kind_label (kinema_request_get_kind (request)));
      append_field (str, _("Model"), kinema_request_get_model (request));
      append_field (str, _("Quality"), kinema_mode_to_string (kinema_request_get_mode (request)));
      append_field (str, _("Length"), duration);
      if (kinema_request_get_kind (request) == KINEMA_TASK_KIND_TEXT_TO_VIDEO)
        append_field (str, _("Aspect ratio"), kinema_request_get_aspect_ratio (request));
      append_field (str, _("Prompt"), kinema_request_get_prompt (request));
      append_field (str, _("Avoid"), kinema_request_get_negative_prompt (request));
      append_field (str, _("Start frame"), kinema_request_get_image (request));
      append_field (str, _("End frame"), kinema_request_get_image_tail (request));
      if (kinema_task_get_link_kind (task) == KINEMA_LINK_EXTEND)
        append_field (str, _("Extends"), kinema_task_get_parent_id (task));
    }
  else
    append_field (str, _("Prompt"), kinema_task_get_prompt (task));
  append_time_field (str, _("Created"), kinema_task_get_created_at (task));
  append_time_field (str, _("Submitted"), kinema_task_get_submitted_at (task));
  append_time_field (str, _("Started"), kinema_task_get_started_at (task));
  append_time_field (str, _("Finished"), kinema_task_get_finished_at (task));
  if (request != NULL && !kinema_task_get_is_demo (task) && kinema_cost_table_estimate (NULL, request, &units))
    {
      g_autofree char *text = NULL;

      g_ascii_formatd (number, sizeof number, "%.4g", units);
      /* Translators: %s is a number of the provider's units */
      text = g_strdup_printf (_("≈ %s units"), number);
      append_field (str, _("Estimated cost"), text);
    }
  if (kinema_task_get_units_charged (task) >= 0)
    {
      g_autofree char *text = NULL;

      g_ascii_formatd (number, sizeof number, "%.4g", kinema_task_get_units_charged (task));
      /* Translators: %s is a number of the provider's units the job really cost */
      text = g_strdup_printf (_("%s units"), number);
      append_field (str, _("Charged"), text);
    }
  append_field (str, _("Video"), kinema_task_get_video_path (task));
  append_field (str, _("Video link"), kinema_task_get_video_url (task));
  if (error != NULL)
    {
      g_autofree char *details = kinema_error_format_details (error);

      append_field (str, _("Error"), error->message);
      if (details != NULL && details[0] != '\0')
        {
          g_auto(GStrv) lines = g_strsplit (g_strchomp (details), "\n", -1);

          for (guint i = 0; lines[i] != NULL; i++)
            g_string_append_printf (str, "%-16s %s\n", "", lines[i]);
        }
    }
  /* The same words as the window's (the task manager's): what happened and what recovery did. */
  if ((kinema_task_get_status (task) == KINEMA_TASK_STATUS_NEEDS_CHECKING ||
       kinema_task_get_status (task) == KINEMA_TASK_STATUS_NOT_SENT) &&
      kinema_task_get_status_message (task) != NULL)
    g_string_append_printf (str, "\n%s\n", kinema_task_get_status_message (task));

  return g_string_free (str, FALSE);
}

void
kinema_cli_print_error (const GError *error)
{
  g_autofree char *details = NULL;

  if (error == NULL)
    return;

  g_printerr ("kinema-cli: %s\n", error->message);
  if (error->domain == KINEMA_ERROR)
    details = kinema_error_format_details (error);
  if (details != NULL && details[0] != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (g_strchomp (details), "\n", -1);

      for (guint i = 0; lines[i] != NULL; i++)
        g_printerr ("  %s\n", lines[i]);
    }
}
