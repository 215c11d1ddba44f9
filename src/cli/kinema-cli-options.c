/* kinema-cli-options.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The options of `kinema-cli generate`, and the checks that need no provider.
 */

#define G_LOG_DOMAIN "kinema-cli"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kinema-api-style.h"
#include "kinema-cli.h"
#include "kinema-enums.h"
#include "kinema-error.h"
#include "kinema-models.h"

/* Longer than any job takes: a typo such as "--timeout 100000" is still accepted,
 * a negative or non-numeric value is not. */
#define MAX_SECONDS (7.0 * 24 * 3600)

KinemaCliGenerateOptions *
kinema_cli_generate_options_new (void)
{
  KinemaCliGenerateOptions *options = g_new0 (KinemaCliGenerateOptions, 1);

  options->poll_interval_s = -1;
  options->timeout_s = 0;
  return options;
}

void
kinema_cli_generate_options_free (KinemaCliGenerateOptions *options)
{
  if (options == NULL)
    return;

  g_free (options->provider);
  g_free (options->base_url);
  g_free (options->api_style);
  g_free (options->auth);
  g_free (options->model);
  g_free (options->prompt);
  g_free (options->negative_prompt);
  g_free (options->image);
  g_free (options->image_tail);
  g_free (options->mode);
  g_free (options->aspect_ratio);
  g_free (options->cfg_scale);
  g_free (options->camera);
  g_free (options->output);
  g_free (options->poll_interval);
  g_free (options->timeout);
  g_free (options);
}

/**
 * kinema_cli_generate_option_entries:
 * @options: where the parsed values go
 *
 * Returns: (transfer full): the entries for a #GOptionContext; free with g_free()
 */
GOptionEntry *
kinema_cli_generate_option_entries (KinemaCliGenerateOptions *options)
{
  const GOptionEntry entries[] = {
    { "provider", 0, 0, G_OPTION_ARG_STRING, &options->provider,
      N_("Configured provider or preset to use (“demo”: the offline demo)"), N_("NAME") },
      { "base-url", 0, 0, G_OPTION_ARG_STRING, &options->base_url,
        N_("Use the gateway at this address instead of a configured provider"), N_("URL") },
        { "api-style", 0, 0, G_OPTION_ARG_STRING, &options->api_style,
          N_("API style of --base-url: kling, video-generations or openai-videos"), N_("STYLE") },
          { "auth", 0, 0, G_OPTION_ARG_STRING, &options->auth,
            N_("Authentication of --base-url: bearer (API key) or kling-jwt (access key + secret key)"),
                N_("KIND") },
            { "model", 'm', 0, G_OPTION_ARG_STRING, &options->model,
              N_("Model, for example kling-v2-5-turbo"), N_("MODEL") },
              { "prompt", 'p', 0, G_OPTION_ARG_STRING, &options->prompt,
                N_("What should happen in the clip"), N_("TEXT") },
                { "negative-prompt", 0, 0, G_OPTION_ARG_STRING, &options->negative_prompt,
                  N_("What the clip should avoid"), N_("TEXT") },
                  { "image", 'i', 0, G_OPTION_ARG_FILENAME, &options->image,
                    N_("Start frame: a JPG or PNG file, or an http(s) address (makes an image-to-video job)"),
                        N_("FILE|URL") },
                    { "image-tail", 0, 0, G_OPTION_ARG_FILENAME, &options->image_tail,
                      N_("End frame: a JPG or PNG file, or an http(s) address"), N_("FILE|URL") },
                      { "mode", 0, 0, G_OPTION_ARG_STRING, &options->mode,
                        N_("Quality: std (standard), pro (high) or 4k (kling-v3)"), N_("MODE") },
                        { "duration", 'd', 0, G_OPTION_ARG_INT, &options->duration,
                          N_("Length of the clip in seconds: 5 or 10 (3 to 15 on kling-v3)"), N_("SECONDS") },
                          { "aspect-ratio", 'a', 0, G_OPTION_ARG_STRING, &options->aspect_ratio,
                            N_("Shape of a text-to-video clip: 16:9, 9:16 or 1:1"), N_("RATIO") },
                            { "cfg-scale", 0, 0, G_OPTION_ARG_STRING, &options->cfg_scale,
                              N_("Creativity, from 0 (free) to 1 (close to the prompt)"), N_("X") },
                              { "camera", 0, 0, G_OPTION_ARG_STRING, &options->camera,
                                N_("Camera movement: down_back, forward_up, right_turn_forward, left_turn_forward, "
         "or simple:AXIS=VALUE with AXIS one of horizontal, vertical, pan, tilt, roll, zoom "
         "and VALUE from -10 to 10"),
                                    N_("TYPE") },
                                { "sound", 0, 0, G_OPTION_ARG_NONE, &options->sound,
                                  N_("Make a clip with sound (kling-v2-6 in pro quality, kling-v3)"), NULL },
                                  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output,
                                    N_("Also save the finished video under this name"), N_("FILE") },
                                    { "no-wait", 0, 0, G_OPTION_ARG_NONE, &options->no_wait,
                                      N_("Return once the provider has accepted the job (fetch it later with “kinema-cli resume”)"),
                                          NULL },
                                      { "poll-interval", 0, 0, G_OPTION_ARG_STRING, &options->poll_interval,
                                        N_("Shortest time between two looks at the job’s state (fractions allowed; default 2). "
         "Kinema looks less often while the job is probably far from done"),
                                            N_("SECONDS") },
                                        { "timeout", 0, 0, G_OPTION_ARG_STRING, &options->timeout,
                                          N_("Stop waiting after this long; the job stays resumable"), N_("SECONDS") },
                                          { "json", 0, 0, G_OPTION_ARG_NONE, &options->json,
                                            N_("Print a JSON summary on standard output"), NULL },
                                            { NULL } };

  return g_memdup2 (entries, sizeof entries);
}

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list          args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (error != NULL)
    {
      *error = kinema_error_new (KINEMA_ERROR_INVALID_INPUT, 0, NULL, NULL, NULL);
      g_free ((*error)->message);
      (*error)->message = g_steal_pointer (&message);
    }
  return FALSE;
}

static gboolean
parse_number (const char *text,
              double     *out)
{
  char  *end = NULL;
  double value;

  if (text == NULL)
    return FALSE;
  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;

  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (errno != 0 || end == text || !isfinite (value))
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  if (*end != '\0')
    return FALSE;

  *out = value;
  return TRUE;
}

/**
 * kinema_cli_parse_seconds:
 * @text: what the user wrote ("0.05", "30")
 * @option: the option's name, for the message
 * @out_seconds: (out): the value, more than 0
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Returns: %TRUE when @text is a positive number of seconds
 */
gboolean
kinema_cli_parse_seconds (const char *text,
                          const char *option,
                          double     *out_seconds,
                          GError    **error)
{
  double value;

  if (!parse_number (text, &value) || value <= 0 || value > MAX_SECONDS)
    return invalid (error, _("%s needs a number of seconds greater than 0, such as 5 or 0.5 (not “%s”)."),
                              option, text != NULL ? text : "");

  *out_seconds = value;
  return TRUE;
}

/**
 * kinema_cli_parse_trim:
 * @text: what the user wrote ("2:7.5", ":4", "3:")
 * @in_ns: (out): where the export starts, in nanoseconds
 * @out_ns: (out): where it ends, or -1 for the end of the clips
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Returns: %TRUE when @text is IN:OUT with IN before OUT
 */
gboolean
kinema_cli_parse_trim (const char *text,
                       gint64     *in_ns,
                       gint64     *out_ns,
                       GError    **error)
{
  g_auto (GStrv) parts = NULL;
  double in = 0, out = -1;

  if (text != NULL)
    parts = g_strsplit (text, ":", -1);
  if (parts == NULL || g_strv_length (parts) != 2 || (parts[0][0] == '\0' && parts[1][0] == '\0') ||
      (parts[0][0] != '\0' && (!parse_number (parts[0], &in) || in < 0 || in > MAX_SECONDS)) ||
      (parts[1][0] != '\0' && (!parse_number (parts[1], &out) || out <= 0 || out > MAX_SECONDS)) ||
      (out >= 0 && out <= in))
    return invalid (error,
                    _("--trim needs the start and end in seconds, the end after the start, such as 2:7.5, "
                      ":4 or 3: (not “%s”)."),
                       text != NULL ? text : "");

  *in_ns = (gint64) (in * G_TIME_SPAN_SECOND * 1000);
  *out_ns = out < 0 ? -1 : (gint64) (out * G_TIME_SPAN_SECOND * 1000);
  return TRUE;
}

static gboolean
nick_to_enum (GType       type,
              const char *nick,
              int        *out)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  g_autofree char *canon = g_strdup (nick);
  GEnumValue      *value;

  /* Kling writes the camera presets with underscores, GLib's nicks use dashes. */
  g_strdelimit (canon, "_", '-');
  value = g_enum_get_value_by_nick (klass, canon);
  if (value == NULL)
    return FALSE;
  *out = value->value;
  return TRUE;
}

/**
 * kinema_cli_parse_camera:
 * @text: "down_back", "forward_up", …, "none", or "simple:AXIS=VALUE"
 * @request: the request to set the camera of
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Returns: %TRUE when @text names a camera movement
 */
gboolean
kinema_cli_parse_camera (const char    *text,
                         KinemaRequest *request,
                         GError       **error)
{
  int    type = KINEMA_CAMERA_NONE;
  int    axis = KINEMA_CAMERA_AXIS_HORIZONTAL;
  double value = 0;

  if (g_str_has_prefix (text, "simple:"))
    {
      g_auto(GStrv) parts = g_strsplit (text + strlen ("simple:"), "=", 2);

      if (g_strv_length (parts) != 2 || !nick_to_enum (KINEMA_TYPE_CAMERA_AXIS, g_strstrip (parts[0]), &axis))
        return invalid (error, _("Unknown camera axis in “%s”: use simple:AXIS=VALUE with AXIS one of "
                                 "horizontal, vertical, pan, tilt, roll, zoom."),
                                  text);
      if (!parse_number (parts[1], &value))
        return invalid (error, _("The camera movement strength in “%s” is not a number."), text);
      type = KINEMA_CAMERA_SIMPLE;
    }
  else if (!nick_to_enum (KINEMA_TYPE_CAMERA_TYPE, text, &type) || type == KINEMA_CAMERA_SIMPLE)
    {
      return invalid (error, _("Unknown camera movement “%s”: use down_back, forward_up, right_turn_forward, "
                               "left_turn_forward, none, or simple:AXIS=VALUE."),
                                text);
    }

  kinema_request_set_camera_type (request, type);
  if (type == KINEMA_CAMERA_SIMPLE)
    {
      kinema_request_set_camera_axis (request, axis);
      kinema_request_set_camera_value (request, value);
    }
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/**
 * kinema_cli_generate_options_check_waiting:
 * @options: the parsed options
 * @error: return location for an %KINEMA_ERROR_INVALID_INPUT error
 *
 * Checks and parses what every job command shares: --poll-interval, --timeout and
 * --output.
 *
 * Returns: %TRUE when they are usable
 */
gboolean
kinema_cli_generate_options_check_waiting (KinemaCliGenerateOptions *options,
                                           GError                  **error)
{
  if (options->poll_interval != NULL &&
      !kinema_cli_parse_seconds (options->poll_interval, "--poll-interval", &options->poll_interval_s, error))
    return FALSE;
  if (options->timeout != NULL &&
      !kinema_cli_parse_seconds (options->timeout, "--timeout", &options->timeout_s, error))
    return FALSE;
  if (options->output != NULL)
    {
      g_autofree char *base = g_path_get_basename (options->output);

      if (options->output[0] == '\0' || g_file_test (options->output, G_FILE_TEST_IS_DIR) ||
          g_str_has_suffix (options->output, G_DIR_SEPARATOR_S) || g_str_equal (base, ".") ||
          g_str_equal (base, ".."))
        return invalid (error, _("--output needs a file name, not a folder."));
    }
  return TRUE;
}

/**
 * kinema_cli_generate_options_apply_cfg_scale:
 * @options: the parsed options
 * @request: where --cfg-scale goes, when given
 * @error: return location for an %KINEMA_ERROR_INVALID_INPUT error
 *
 * Returns: %FALSE when --cfg-scale is not a number from 0 to 1
 */
gboolean
kinema_cli_generate_options_apply_cfg_scale (KinemaCliGenerateOptions *options,
                                             KinemaRequest            *request,
                                             GError                  **error)
{
  double value;

  if (options->cfg_scale == NULL)
    return TRUE;
  if (!parse_number (options->cfg_scale, &value) || value < 0 || value > 1)
    return invalid (error, _("Creativity (--cfg-scale) must be a number between 0 and 1 (not “%s”)."),
                              options->cfg_scale);
  kinema_request_set_cfg_scale (request, value);
  return TRUE;
}

/**
 * kinema_cli_generate_options_build:
 * @options: parsed options
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Checks the combinations and values of the options and builds the request.
 * Local image files are checked later (kinema_image_prepare_async()).
 *
 * Returns: (transfer full) (nullable): the request, valid by kinema_request_validate()
 */
KinemaRequest *
kinema_cli_generate_options_build (KinemaCliGenerateOptions *options,
                                   GError                  **error)
{
  g_autoptr(KinemaRequest) request = NULL;
  gboolean has_image = !is_blank (options->image) || !is_blank (options->image_tail);

  if (options->provider != NULL && options->base_url != NULL)
    {
      invalid (error, _("Use either --provider or --base-url, not both."));
      return NULL;
    }
  if (options->base_url == NULL && (options->api_style != NULL || options->auth != NULL))
    {
      invalid (error, _("--api-style and --auth go with --base-url."));
      return NULL;
    }
  if (options->base_url != NULL && options->api_style == NULL)
    {
      invalid (error, _("--base-url needs --api-style: kling, video-generations or openai-videos."));
      return NULL;
    }
  if (options->api_style != NULL)
    {
      int style;

      if (!nick_to_enum (KINEMA_TYPE_API_STYLE, options->api_style, &style))
        {
          invalid (error, _("Unknown API style “%s”: use kling, video-generations or openai-videos."),
                             options->api_style);
          return NULL;
        }
    }
  if (options->auth != NULL)
    {
      int auth;

      if (!nick_to_enum (KINEMA_TYPE_AUTH_KIND, options->auth, &auth))
        {
          invalid (error, _("Unknown authentication “%s”: use bearer or kling-jwt."), options->auth);
          return NULL;
        }
    }

  if (!kinema_cli_generate_options_check_waiting (options, error))
    return NULL;

  request = kinema_request_new (has_image ? KINEMA_TASK_KIND_IMAGE_TO_VIDEO : KINEMA_TASK_KIND_TEXT_TO_VIDEO);

  if (options->model != NULL)
    {
      if (kinema_models_lookup (options->model) == NULL)
        {
          guint                  n_models;
          const KinemaModelInfo *models = kinema_models_get_all (&n_models);
          g_autoptr(GString) known = g_string_new (NULL);

          for (guint i = 0; i < n_models; i++)
            g_string_append_printf (known, "%s%s", i > 0 ? ", " : "", models[i].id);
          invalid (error, _("Unknown model “%s”. Known models: %s."), options->model, known->str);
          return NULL;
        }
      kinema_request_set_model (request, options->model);
    }

  kinema_request_set_prompt (request, options->prompt);
  kinema_request_set_negative_prompt (request, options->negative_prompt);
  if (!is_blank (options->image))
    kinema_request_set_image (request, options->image);
  if (!is_blank (options->image_tail))
    kinema_request_set_image_tail (request, options->image_tail);

  if (options->mode != NULL)
    {
      KinemaMode mode;

      if (!kinema_mode_from_string (options->mode, &mode))
        {
          invalid (error, _("Unknown quality “%s”: use std, pro or 4k."), options->mode);
          return NULL;
        }
      kinema_request_set_mode (request, mode);
    }

  if (options->duration != 0)
    {
      if (options->duration < 0)
        {
          invalid (error, _("The length must be a positive number of seconds."));
          return NULL;
        }
      kinema_request_set_duration (request, (guint) options->duration);
    }

  if (options->aspect_ratio != NULL)
    {
      if (has_image)
        {
          invalid (error, _("--aspect-ratio is for text-to-video only: an image-to-video clip takes the "
                            "shape of its start frame."));
          return NULL;
        }
      kinema_request_set_aspect_ratio (request, options->aspect_ratio);
    }

  if (!kinema_cli_generate_options_apply_cfg_scale (options, request, error))
    return NULL;

  if (options->camera != NULL && !kinema_cli_parse_camera (options->camera, request, error))
    return NULL;
  kinema_request_set_sound (request, options->sound);

  /* Remote images must at least look like addresses; local files are checked later. */
  if (!kinema_request_validate (request, error))
    return NULL;

  return g_steal_pointer (&request);
}
