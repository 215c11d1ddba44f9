/* kinema-player.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plays one clip with a GStreamer playbin that Kinema owns: loop (on by default,
 * seamless), accurate seeks, frame steps, rate 0.25x-2x, mute, frame capture. The
 * picture is a GdkPaintable for a GtkPicture, from gtk4paintablesink where installed,
 * else from Kinema's own sink (kinema-paintable-sink.h). Everything here runs and
 * notifies on the main thread; no GStreamer type is exposed.
 */

#pragma once

#include <gdk/gdk.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * KinemaPlayerState:
 * @KINEMA_PLAYER_STATE_EMPTY: nothing is open
 * @KINEMA_PLAYER_STATE_LOADING: a clip is being opened
 * @KINEMA_PLAYER_STATE_PAUSED: showing a still frame
 * @KINEMA_PLAYER_STATE_PLAYING: playing
 * @KINEMA_PLAYER_STATE_ERROR: the clip cannot be played; #KinemaPlayer:error says why
 */
typedef enum {
  KINEMA_PLAYER_STATE_EMPTY,
  KINEMA_PLAYER_STATE_LOADING,
  KINEMA_PLAYER_STATE_PAUSED,
  KINEMA_PLAYER_STATE_PLAYING,
  KINEMA_PLAYER_STATE_ERROR,
} KinemaPlayerState;

/**
 * KinemaPlayerSink:
 * @KINEMA_PLAYER_SINK_AUTO: gtk4paintablesink when installed, else Kinema's own
 * @KINEMA_PLAYER_SINK_GTK4: gtk4paintablesink (gst-plugins-rs)
 * @KINEMA_PLAYER_SINK_OWN: Kinema's appsink-to-texture sink
 */
typedef enum {
  KINEMA_PLAYER_SINK_AUTO,
  KINEMA_PLAYER_SINK_GTK4,
  KINEMA_PLAYER_SINK_OWN,
} KinemaPlayerSink;

#define KINEMA_TYPE_PLAYER_STATE (kinema_player_state_get_type ())
#define KINEMA_TYPE_PLAYER_SINK  (kinema_player_sink_get_type ())
#define KINEMA_TYPE_PLAYER       (kinema_player_get_type ())

GType kinema_player_state_get_type (void) G_GNUC_CONST;
GType kinema_player_sink_get_type (void) G_GNUC_CONST;

G_DECLARE_FINAL_TYPE (KinemaPlayer, kinema_player, KINEMA, PLAYER, GObject)

#define KINEMA_PLAYER_MIN_RATE 0.25
#define KINEMA_PLAYER_MAX_RATE 2.0

/* clang-format off */
/* TRUE when @sink can be made on this machine (AUTO and OWN always can). */
gboolean           kinema_player_sink_is_available (KinemaPlayerSink sink);

KinemaPlayer      *kinema_player_new               (void);
/* @sink: which video sink; GTK4 falls back to OWN when it is not installed. */
KinemaPlayer      *kinema_player_new_with_sink     (KinemaPlayerSink  sink);
/* The sink actually in use: GTK4 or OWN. */
KinemaPlayerSink   kinema_player_get_sink          (KinemaPlayer     *self);

/* Opens @uri paused on its first frame (play() before it is loaded starts it as soon
 * as it is). Errors arrive through the "error" signal and the error property. */
void               kinema_player_open              (KinemaPlayer     *self,
                                                    const char       *uri);
void               kinema_player_open_file         (KinemaPlayer     *self,
                                                    GFile            *file);
/* Opens the clips of a story as one, gapless: seeks, loop and frame steps cross the
 * cuts. One path is the same as kinema_player_open_file(). The URI then reads
 * "splitmux://FIRST-PATH". */
void               kinema_player_open_files        (KinemaPlayer     *self,
                                                    const char * const *paths);
/* The local files open: the clip, or a story's clips in order (transfer full); NULL
 * when nothing or a remote URI is open. */
GStrv              kinema_player_dup_files         (KinemaPlayer     *self);
/* Stops and forgets the clip: state EMPTY, no picture. */
void               kinema_player_close             (KinemaPlayer     *self);
const char        *kinema_player_get_uri           (KinemaPlayer     *self);

void               kinema_player_play              (KinemaPlayer     *self);
void               kinema_player_pause             (KinemaPlayer     *self);
void               kinema_player_toggle            (KinemaPlayer     *self);
/* Accurate seek (the frame shown at @position_ns). Seeks asked while one is still
 * running are folded: only the newest runs next, so a dragged scrub bar never queues. */
void               kinema_player_seek              (KinemaPlayer     *self,
                                                    gint64            position_ns);
/* Pauses and moves @frames frames (1 or -1; other values repeat). */
void               kinema_player_step              (KinemaPlayer     *self,
                                                    int               frames);

KinemaPlayerState  kinema_player_get_state         (KinemaPlayer     *self);
gboolean           kinema_player_get_playing       (KinemaPlayer     *self);
gint64             kinema_player_get_position      (KinemaPlayer     *self); /* ns, or 0 */
gint64             kinema_player_get_duration      (KinemaPlayer     *self); /* ns, or -1 */
/* The index of the frame on screen (position × frame rate, rounded down), or -1. */
gint64             kinema_player_get_frame_index   (KinemaPlayer     *self);
double             kinema_player_get_rate          (KinemaPlayer     *self);
void               kinema_player_set_rate          (KinemaPlayer     *self,
                                                    double            rate);
gboolean           kinema_player_get_loop          (KinemaPlayer     *self);
void               kinema_player_set_loop          (KinemaPlayer     *self,
                                                    gboolean          loop);
gboolean           kinema_player_get_muted         (KinemaPlayer     *self);
void               kinema_player_set_muted         (KinemaPlayer     *self,
                                                    gboolean          muted);
int                kinema_player_get_width         (KinemaPlayer     *self);
int                kinema_player_get_height        (KinemaPlayer     *self);
double             kinema_player_get_framerate     (KinemaPlayer     *self); /* 0 when unknown */
const GError      *kinema_player_get_error         (KinemaPlayer     *self);
/* The picture to put in a GtkPicture (transfer none); the same object for the player's
 * whole life. */
GdkPaintable      *kinema_player_get_paintable     (KinemaPlayer     *self);
/* The frame on screen as a texture, or NULL (transfer full). */
GdkTexture        *kinema_player_dup_frame         (KinemaPlayer     *self);
/* Frames shown and frames dropped since the clip was opened (own sink; 0 otherwise). */
guint64            kinema_player_get_frames_shown  (KinemaPlayer     *self);
guint64            kinema_player_get_frames_dropped (KinemaPlayer    *self);
/* Writes the frame on screen as PNG to @path, in a thread. */
void               kinema_player_save_frame_async  (KinemaPlayer     *self,
                                                    const char       *path,
                                                    GCancellable     *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer          user_data);
gboolean           kinema_player_save_frame_finish (KinemaPlayer     *self,
                                                    GAsyncResult     *result,
                                                    GError          **error);
/* clang-format on */

G_END_DECLS
