/* kinema-paintable-sink.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kinema's own video sink for machines without gtk4paintablesink (Debian 12): an
 * appsink asking for BGRA/RGBA whose frames become GdkMemoryTextures, shown through
 * this object's GdkPaintable interface in a GtkPicture.
 *
 * Frames arrive on a streaming thread. Only the newest waits in a one-frame slot;
 * one main-context callback at a time picks it up, so a busy main loop drops stale
 * frames instead of queueing them. The texture wraps the mapped GstBuffer (no copy
 * here; GTK's upload is the one copy per frame). Late frames are dropped by the sink
 * itself (max-lateness, QoS) before they are even converted.
 */

#pragma once

#include <gdk/gdk.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define KINEMA_TYPE_PAINTABLE_SINK (kinema_paintable_sink_get_type ())

G_DECLARE_FINAL_TYPE (KinemaPaintableSink, kinema_paintable_sink, KINEMA, PAINTABLE_SINK, GObject)

/* clang-format off */
KinemaPaintableSink *kinema_paintable_sink_new         (void);
/* The appsink to give playbin as "video-sink" (transfer none). */
GstElement          *kinema_paintable_sink_get_element (KinemaPaintableSink *self);
/* The frame on screen, or NULL (transfer none). */
GdkTexture          *kinema_paintable_sink_get_texture (KinemaPaintableSink *self);
/* Stream time of the frame on screen, or -1. */
gint64               kinema_paintable_sink_get_frame_time (KinemaPaintableSink *self);
/* Running time of the frame on screen (ns), or -1: it keeps growing through a
 * seamless loop and starts again after a flushing seek. */
gint64               kinema_paintable_sink_get_frame_running_time (KinemaPaintableSink *self);
/* Frames shown; frames dropped: late ones the sink skipped, and ones replaced in the
 * slot before the main loop showed them. */
guint64              kinema_paintable_sink_get_n_shown    (KinemaPaintableSink *self);
guint64              kinema_paintable_sink_get_n_dropped  (KinemaPaintableSink *self);
/* Forgets the frame on screen (another clip is opened). */
void                 kinema_paintable_sink_clear       (KinemaPaintableSink *self);
/* Disconnects from the appsink. Call after the pipeline went to NULL, before the
 * last unref: no streaming thread can reach this object afterwards. */
void                 kinema_paintable_sink_detach      (KinemaPaintableSink *self);
/* clang-format on */

G_END_DECLS
