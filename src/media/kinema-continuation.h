/* kinema-continuation.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Continue from the last frame" / "Continue from here" (issue 14): decodes one frame
 * of a finished clip into a PNG and builds the request of the next shot, with the
 * same settings, that frame as its start image and the link to the clip. Nothing is
 * sent: the caller hands the request to the composer (or kinema-cli generates it).
 */

#pragma once

#include <gio/gio.h>

#include "kinema-request.h"
#include "kinema-task.h"

G_BEGIN_DECLS

/* As a position: the clip's exact last frame. */
#define KINEMA_CONTINUATION_LAST_FRAME G_MAXINT64

/* clang-format off */
/* The folder the frames go to: DATA_DIR/frames (they must outlive the cache, since a
 * queued or resumed job reads its start image when it is sent). */
char          *kinema_continuation_dup_frames_dir (const char          *data_dir);
/* @parent must have a clip on disk. @position_ns: KINEMA_CONTINUATION_LAST_FRAME or a
 * time in the clip. The frame is written to @frames_dir as PARENT-ID-MS.png. */
void           kinema_continuation_prepare_async  (KinemaTask          *parent,
                                                   gint64               position_ns,
                                                   const char          *frames_dir,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
KinemaRequest *kinema_continuation_prepare_finish (GAsyncResult        *result,
                                                   GError             **error);
/* Synchronous, for kinema-cli and worker threads. */
KinemaRequest *kinema_continuation_prepare        (KinemaTask          *parent,
                                                   gint64               position_ns,
                                                   const char          *frames_dir,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
/* clang-format on */

G_END_DECLS
