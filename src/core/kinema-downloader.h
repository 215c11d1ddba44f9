/* kinema-downloader.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fetches a finished clip: streams it in chunks into NAME.part (memory stays flat),
 * resumes an interrupted download with Range, checks Content-Length/Content-Range,
 * and renames NAME.part to NAME.mp4 (or .webm, by the file's own bytes) only when
 * it is complete. The names come from the date and the prompt, never from the server.
 * Errors: KINEMA_ERROR_DISK (disk full, read-only folder; the .part is kept),
 * KINEMA_ERROR_NOT_FOUND (the link expired or is gone), KINEMA_ERROR_NETWORK and
 * the other transport errors (retry later; the .part is kept).
 */

#pragma once

#include <gio/gio.h>

#include "kinema-client.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_DOWNLOADER (kinema_downloader_get_type ())

G_DECLARE_FINAL_TYPE (KinemaDownloader, kinema_downloader, KINEMA, DOWNLOADER, GObject)

/* @received and @total in bytes; @total is -1 when the server did not say. */
typedef void (*KinemaDownloadProgress) (goffset  received,
                                        goffset  total,
                                        gpointer user_data);

/* clang-format off */
KinemaDownloader *kinema_downloader_new             (KinemaClient           *client);
/* Attempts per call (each resumes where the previous one stopped); default 3. */
void              kinema_downloader_set_attempts    (KinemaDownloader       *self,
                                                     guint                   attempts);
/* No clip is larger than this: a bigger download is refused (issue 15, point 7). */
#define KINEMA_DOWNLOAD_MAX_BYTES ((guint64) 2 * 1024 * 1024 * 1024)
void              kinema_downloader_set_limits      (KinemaDownloader       *self,
                                                     guint64                 max_bytes,
                                                     guint64                 free_space_margin);
/* The wait before the second attempt of a call (doubling after); default 500 ms. */
void              kinema_downloader_set_retry_delay (KinemaDownloader       *self,
                                                     guint                   delay_ms);
/* Downloads @video_url (or the provider's content route for @remote_id) into
 * @part_path, which must end in ".part". Returns the final path. */
void              kinema_downloader_download_async  (KinemaDownloader       *self,
                                                     KinemaProvider         *provider,
                                                     const char             *video_url,
                                                     const char             *remote_id,
                                                     const char             *part_path,
                                                     KinemaDownloadProgress  progress,
                                                     gpointer                progress_data,
                                                     GCancellable           *cancellable,
                                                     GAsyncReadyCallback     callback,
                                                     gpointer                user_data);
char             *kinema_downloader_download_finish (KinemaDownloader       *self,
                                                     GAsyncResult           *result,
                                                     GError                **error);

/* "a-fox-turns-its-head": letters and digits of @prompt (any script), other runs
 * become one '-', at most @max_chars characters; "clip" when nothing is left. */
char             *kinema_downloader_sanitize_prompt (const char             *prompt,
                                                     guint                   max_chars);
/* Creates @dir if needed and reserves an empty
 * DIR/"2026-12-01_21-31-05_a-fox-turns-its-head.part" (local time of @created_at_us),
 * unique against every NAME.* already there ("…-2", "…-3"). Returns its path. */
char             *kinema_downloader_reserve_part    (const char             *dir,
                                                     gint64                  created_at_us,
                                                     const char             *prompt,
                                                     GError                **error);
/* clang-format on */

G_END_DECLS
