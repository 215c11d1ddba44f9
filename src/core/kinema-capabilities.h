/* kinema-capabilities.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Kling's capability map as data (data/capabilities.json, compiled into the core's
 * GResource): which model accepts which kind of job, mode, duration and optional feature.
 * The app, the CLI and the simulator all decide through kinema_capabilities_check().
 */

#pragma once

#include <gio/gio.h>

#include "kinema-types.h"

G_BEGIN_DECLS

/* Bounds on the map a file may describe, so a broken or hostile file cannot make us
 * allocate or loop without limit. */
#define KINEMA_CAPABILITIES_MAX_BYTES  (256 * 1024)
#define KINEMA_CAPABILITIES_MAX_MODELS 64
#define KINEMA_CAPABILITIES_MAX_OFFERS 32
#define KINEMA_CAPABILITIES_MAX_SECONDS 60

/* Kling's video extension (developer docs, "Video Extension" / 视频延长; copies in
 * WHQ25/rawgenai docs/research/kling/video-extend.md and DMXAPI/DMXAPI-docs
 * docs/zh/models/kling/api/video-extend.md): one extension adds "4~5 s" (we count 4.5),
 * and an extended video may be extended again up to 3 minutes in all. The docs word the
 * limit as "the source video cannot exceed 3 minutes"; docs.comfy.org KlingVideoExtendNode
 * as "the total after extension cannot exceed 3 minutes". We use the stricter reading:
 * the total after the extension. */
#define KINEMA_EXTEND_SECONDS 4.5
#define KINEMA_EXTEND_MAX_TOTAL_SECONDS 180
/* Kling deletes generated videos after 30 days and then they cannot be extended
 * (same pages; PROTOCOL.md 1.8). */
#define KINEMA_EXTEND_MAX_AGE_DAYS 30

/**
 * KinemaFeature:
 * @KINEMA_FEATURE_KIND: text-to-video, image-to-video or video extension
 * @KINEMA_FEATURE_MODE: the quality tier (std, pro, 4k)
 * @KINEMA_FEATURE_DURATION: the clip length
 * @KINEMA_FEATURE_END_FRAME: an end frame with a start frame
 * @KINEMA_FEATURE_END_FRAME_ONLY: an end frame without a start frame
 * @KINEMA_FEATURE_CAMERA_CONTROL: a camera movement
 * @KINEMA_FEATURE_CFG_SCALE: the creativity setting
 * @KINEMA_FEATURE_SOUND: a clip with sound
 * @KINEMA_FEATURE_NEGATIVE_PROMPT: things to avoid
 * @KINEMA_FEATURE_ASPECT_RATIO: the shape of a text-to-video clip
 */
typedef enum {
  KINEMA_FEATURE_KIND,
  KINEMA_FEATURE_MODE,
  KINEMA_FEATURE_DURATION,
  KINEMA_FEATURE_END_FRAME,
  KINEMA_FEATURE_END_FRAME_ONLY,
  KINEMA_FEATURE_CAMERA_CONTROL,
  KINEMA_FEATURE_CFG_SCALE,
  KINEMA_FEATURE_SOUND,
  KINEMA_FEATURE_NEGATIVE_PROMPT,
  KINEMA_FEATURE_ASPECT_RATIO,
} KinemaFeature;

/* One combination to check; the booleans say which optional features it uses. */
typedef struct {
  const char       *model;
  KinemaTaskKind    kind;
  KinemaMode        mode;
  guint             duration;
  gboolean          has_image;
  gboolean          has_end_frame;
  KinemaCameraType  camera;
  gboolean          cfg_scale;
  gboolean          sound;
  gboolean          negative_prompt;
  const char       *aspect_ratio; /* text-to-video only; NULL is not checked */
} KinemaCapabilityQuery;

#define KINEMA_TYPE_CAPABILITIES (kinema_capabilities_get_type ())

G_DECLARE_FINAL_TYPE (KinemaCapabilities, kinema_capabilities, KINEMA, CAPABILITIES, GObject)

/* The map shipped in the core's resources. Never NULL: a broken shipped map is a build
 * defect (the tests load it) and aborts. Thread-safe. */
KinemaCapabilities *kinema_capabilities_get_default     (void);
/* Parses and validates a map; refuses oversized, deep or inconsistent files. */
KinemaCapabilities *kinema_capabilities_new_from_bytes  (GBytes                      *json,
                                                         GError                     **error);

guint               kinema_capabilities_get_n_models    (KinemaCapabilities          *self);
const char         *kinema_capabilities_get_model_id    (KinemaCapabilities          *self,
                                                         guint                        index);
/* The display name of @model, or %NULL when the map does not know it. */
const char         *kinema_capabilities_get_label       (KinemaCapabilities          *self,
                                                         const char                  *model);
gboolean            kinema_capabilities_has_model       (KinemaCapabilities          *self,
                                                         const char                  *model);

/* Whether any offer of @model (for @kind, or any kind when @kind is -1) has @feature,
 * or for MODE/DURATION/KIND whether the value is offered at all. */
gboolean            kinema_capabilities_model_has       (KinemaCapabilities          *self,
                                                         const char                  *model,
                                                         int                          kind,
                                                         KinemaFeature                feature);
gboolean            kinema_capabilities_offers_mode     (KinemaCapabilities          *self,
                                                         const char                  *model,
                                                         KinemaTaskKind               kind,
                                                         KinemaMode                   mode);
/* The sorted durations offered for @model, @kind and @mode; empty when none. */
GArray             *kinema_capabilities_list_durations  (KinemaCapabilities          *self,
                                                         const char                  *model,
                                                         KinemaTaskKind               kind,
                                                         KinemaMode                   mode);
/* The shapes a text-to-video clip may have. */
const char *const  *kinema_capabilities_get_aspect_ratios (KinemaCapabilities        *self);

/* The decision: %NULL when the map accepts @query, else a translated sentence saying
 * why, in plain words, and the feature refused in @out_feature. */
char               *kinema_capabilities_check           (KinemaCapabilities          *self,
                                                         const KinemaCapabilityQuery *query,
                                                         KinemaFeature               *out_feature);
/* Why @feature cannot be used with the rest of @query (its own value in @query is
 * ignored), or %NULL when it can. For the composer to grey an option before it is used. */
char               *kinema_capabilities_dup_reason      (KinemaCapabilities          *self,
                                                         const KinemaCapabilityQuery *query,
                                                         KinemaFeature                feature);
/* Whether the body for @query carries Kling's `sound` field (the model knows it). */
gboolean            kinema_capabilities_sends_sound     (KinemaCapabilities          *self,
                                                         const KinemaCapabilityQuery *query);

/* "std", "pro", "4k" */
const char         *kinema_mode_to_string               (KinemaMode                   mode);
gboolean            kinema_mode_from_string             (const char                  *nick,
                                                         KinemaMode                  *out_mode);
/* "Standard", "High quality", "4K" (translated) */
const char         *kinema_mode_get_label               (KinemaMode                   mode);

G_END_DECLS
