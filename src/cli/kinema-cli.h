/* kinema-cli.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kinema-cli internals: the options of `generate`, the exit codes and the output.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kinema-request.h"
#include "kinema-task.h"
#include "kinema-types.h"

G_BEGIN_DECLS

/**
 * KinemaCliExit:
 * @KINEMA_CLI_EXIT_OK: the video is saved (or, with --no-wait, the job was accepted)
 * @KINEMA_CLI_EXIT_FAILED: the job failed remotely (or the provider refused it)
 * @KINEMA_CLI_EXIT_INVALID: invalid input; nothing was sent
 * @KINEMA_CLI_EXIT_AUTH: authentication or account problem
 * @KINEMA_CLI_EXIT_NETWORK: network, server or disk error after retries
 * @KINEMA_CLI_EXIT_TIMEOUT: stopped waiting (--timeout, Ctrl+C); the job is still resumable
 */
typedef enum {
  KINEMA_CLI_EXIT_OK      = 0,
  KINEMA_CLI_EXIT_FAILED  = 1,
  KINEMA_CLI_EXIT_INVALID = 2,
  KINEMA_CLI_EXIT_AUTH    = 3,
  KINEMA_CLI_EXIT_NETWORK = 4,
  KINEMA_CLI_EXIT_TIMEOUT = 5,
} KinemaCliExit;

/* What `generate` was asked, as given on the command line. */
typedef struct {
  char     *provider;
  char     *base_url;
  char     *api_style;
  char     *auth;
  char     *model;
  char     *prompt;
  char     *negative_prompt;
  char     *image;
  char     *image_tail;
  char     *mode;
  int       duration;
  char     *aspect_ratio;
  char     *cfg_scale;
  char     *camera;
  gboolean  sound;
  char     *output;
  gboolean  no_wait;
  char     *poll_interval;
  char     *timeout;
  gboolean  json;

  /* Parsed from the strings above by kinema_cli_generate_options_check(). */
  double    poll_interval_s; /* < 0: the scheduler's own */
  double    timeout_s;       /* <= 0: none */
} KinemaCliGenerateOptions;

/* clang-format off */
KinemaCliGenerateOptions *kinema_cli_generate_options_new    (void);
void                      kinema_cli_generate_options_free   (KinemaCliGenerateOptions  *options);
GOptionEntry             *kinema_cli_generate_option_entries (KinemaCliGenerateOptions  *options);
/* Checks the option values that need no provider and builds the request (images not
 * read yet). Errors are KINEMA_ERROR_INVALID_INPUT. */
KinemaRequest            *kinema_cli_generate_options_build  (KinemaCliGenerateOptions  *options,
                                                              GError                   **error);
/* --poll-interval, --timeout and --output, which every job command has. */
gboolean                  kinema_cli_generate_options_check_waiting (KinemaCliGenerateOptions *options,
                                                                     GError                  **error);
gboolean                  kinema_cli_generate_options_apply_cfg_scale (KinemaCliGenerateOptions *options,
                                                                       KinemaRequest            *request,
                                                                       GError                  **error);
gboolean                  kinema_cli_parse_seconds           (const char                *text,
                                                              const char                *option,
                                                              double                    *out_seconds,
                                                              GError                   **error);
/* "IN:OUT" in seconds, either side may be empty; @out_ns is -1 for "to the end". */
gboolean                  kinema_cli_parse_trim              (const char                *text,
                                                              gint64                    *in_ns,
                                                              gint64                    *out_ns,
                                                              GError                   **error);
gboolean                  kinema_cli_parse_camera            (const char                *text,
                                                              KinemaRequest             *request,
                                                              GError                   **error);

KinemaCliExit             kinema_cli_exit_for_error          (const GError              *error);
/* The exit code a task's current state stands for. */
KinemaCliExit             kinema_cli_exit_for_task           (KinemaTask                *task);
const char               *kinema_cli_status_nick             (KinemaTaskStatus           status);
JsonNode                 *kinema_cli_task_to_json            (KinemaTask                *task);
void                      kinema_cli_print_json              (JsonNode                  *node);
/* One line for `list`, several for `show`. */
char                     *kinema_cli_format_row              (KinemaTask                *task);
char                     *kinema_cli_format_details          (KinemaTask                *task);
/* Text as it may reach a terminal: control characters shown, not obeyed. */
char                     *kinema_cli_sanitize                (const char                *text);
/* Sends g_print(), g_printerr() and log messages through kinema_cli_sanitize(). */
void                      kinema_cli_install_output_filter   (void);
/* The error on stderr, with its technical details when there are some. */
void                      kinema_cli_print_error             (const GError              *error);
/* clang-format on */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KinemaCliGenerateOptions, kinema_cli_generate_options_free)

G_END_DECLS
