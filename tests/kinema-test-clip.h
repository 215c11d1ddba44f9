/* kinema-test-clip.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Test clips whose frames tell their index: frame i is one solid colour, each channel
 * at one of four levels, so up to 64 frames can be told apart after lossy H.264.
 */

#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

/* clang-format off */
#define KINEMA_TEST_CLIP_MAX_FRAMES 64

void     kinema_test_clip_colour    (guint         index,
                                     guint8        rgb[3]);
/* The frame index a colour stands for, or -1 when it is far from every frame colour. */
int      kinema_test_clip_index_of  (const guint8  rgb[3]);
/* Encodes frames @first .. @first + @n_frames - 1 (indices modulo 64) as H.264 in MP4
 * (x264enc, else openh264enc). */
gboolean kinema_test_clip_make      (const char   *path,
                                     guint         first,
                                     guint         n_frames,
                                     guint         fps,
                                     guint         width,
                                     guint         height,
                                     GError      **error);
/* @n_frames of a test pattern with a sine tone as long, H.264 and AAC in MP4 (x264enc). */
gboolean kinema_test_clip_make_with_sound (const char *path,
                                           guint       n_frames,
                                           guint       fps,
                                           guint       width,
                                           guint       height,
                                           GError    **error);
/* The colour at (@x, @y) of @texture. */
void     kinema_test_texture_pixel  (GdkTexture   *texture,
                                     int           x,
                                     int           y,
                                     guint8        rgb[3]);
/* The frame index shown in the centre of @texture, or -1. */
int      kinema_test_texture_index  (GdkTexture   *texture);
/* clang-format on */

G_END_DECLS
