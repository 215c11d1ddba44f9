/* kinema-request.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every parameter of one generation job (PROTOCOL.md 1.3-1.5), independent of the
 * API style. Serialises to JSON for the history and the sidecar next to a clip.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "kinema-capabilities.h"
#include "kinema-types.h"

G_BEGIN_DECLS

#define KINEMA_PROMPT_MAX_CHARS 2500
#define KINEMA_IMAGE_MAX_BYTES (10 * 1024 * 1024)
#define KINEMA_IMAGE_MIN_SIDE 300
#define KINEMA_IMAGE_MIN_ASPECT (1.0 / 2.5)
#define KINEMA_IMAGE_MAX_ASPECT 2.5

#define KINEMA_TYPE_REQUEST (kinema_request_get_type ())

G_DECLARE_FINAL_TYPE (KinemaRequest, kinema_request, KINEMA, REQUEST, GObject)

KinemaRequest    *kinema_request_new                 (KinemaTaskKind   kind);
KinemaRequest    *kinema_request_copy                (KinemaRequest   *self);
KinemaTaskKind    kinema_request_get_kind            (KinemaRequest   *self);
void              kinema_request_set_kind            (KinemaRequest   *self,
                                                      KinemaTaskKind   kind);
const char       *kinema_request_get_model           (KinemaRequest   *self);
void              kinema_request_set_model           (KinemaRequest   *self,
                                                      const char      *model);
const char       *kinema_request_get_prompt          (KinemaRequest   *self);
void              kinema_request_set_prompt          (KinemaRequest   *self,
                                                      const char      *prompt);
const char       *kinema_request_get_negative_prompt (KinemaRequest   *self);
void              kinema_request_set_negative_prompt (KinemaRequest   *self,
                                                      const char      *negative_prompt);
/* An http(s) URL, sent as is, or a local file path, sent as raw base64. */
const char       *kinema_request_get_image           (KinemaRequest   *self);
void              kinema_request_set_image           (KinemaRequest   *self,
                                                      const char      *image);
const char       *kinema_request_get_image_tail      (KinemaRequest   *self);
void              kinema_request_set_image_tail      (KinemaRequest   *self,
                                                      const char      *image_tail);
KinemaMode        kinema_request_get_mode            (KinemaRequest   *self);
void              kinema_request_set_mode            (KinemaRequest   *self,
                                                      KinemaMode       mode);
guint             kinema_request_get_duration        (KinemaRequest   *self);
void              kinema_request_set_duration        (KinemaRequest   *self,
                                                      guint            seconds);
const char       *kinema_request_get_aspect_ratio    (KinemaRequest   *self);
void              kinema_request_set_aspect_ratio    (KinemaRequest   *self,
                                                      const char      *aspect_ratio);
/* < 0 means "not set" (the field is left out of the request). */
double            kinema_request_get_cfg_scale       (KinemaRequest   *self);
void              kinema_request_set_cfg_scale       (KinemaRequest   *self,
                                                      double           cfg_scale);
KinemaCameraType  kinema_request_get_camera_type     (KinemaRequest   *self);
void              kinema_request_set_camera_type     (KinemaRequest   *self,
                                                      KinemaCameraType type);
KinemaCameraAxis  kinema_request_get_camera_axis     (KinemaRequest   *self);
void              kinema_request_set_camera_axis     (KinemaRequest   *self,
                                                      KinemaCameraAxis axis);
double            kinema_request_get_camera_value    (KinemaRequest   *self);
void              kinema_request_set_camera_value    (KinemaRequest   *self,
                                                      double           value);
/* Kling's `sound: on` (kling-v2-6 pro, kling-v3); sent only where the map has it. */
gboolean          kinema_request_get_sound           (KinemaRequest   *self);
void              kinema_request_set_sound           (KinemaRequest   *self,
                                                      gboolean         sound);
const char       *kinema_request_get_external_task_id(KinemaRequest   *self);
void              kinema_request_set_external_task_id(KinemaRequest   *self,
                                                      const char      *external_task_id);
/* The clip this job continues (issue 14): how, which task, and where in its clip (in
 * seconds, -1 when not known). KINEMA_LINK_NONE or a %NULL @parent_task_id clears it. */
KinemaLinkKind    kinema_request_get_link_kind       (KinemaRequest   *self);
void              kinema_request_set_link_kind       (KinemaRequest   *self,
                                                      KinemaLinkKind   link_kind);
const char       *kinema_request_get_parent_task_id  (KinemaRequest   *self);
void              kinema_request_set_parent_task_id  (KinemaRequest   *self,
                                                      const char      *parent_task_id);
double            kinema_request_get_parent_time     (KinemaRequest   *self);
void              kinema_request_set_parent_time     (KinemaRequest   *self,
                                                      double           parent_time);
void              kinema_request_set_link            (KinemaRequest   *self,
                                                      KinemaLinkKind   link_kind,
                                                      const char      *parent_task_id,
                                                      double           parent_time);
/* Extension only: the provider's id of the finished video to extend. */
const char       *kinema_request_get_video_id        (KinemaRequest   *self);
void              kinema_request_set_video_id        (KinemaRequest   *self,
                                                      const char      *video_id);
/* The combination this request asks the capability map about. */
void              kinema_request_fill_query          (KinemaRequest   *self,
                                                      KinemaCapabilityQuery *query);
/* A new image-to-video request with @parent's settings that starts from @start_image
 * (a frame of the parent's clip at @parent_time seconds) and is linked to it. */
KinemaRequest    *kinema_request_new_continuation    (KinemaRequest   *parent,
                                                      const char      *parent_task_id,
                                                      double           parent_time,
                                                      const char      *start_image);
/* A new video-extend request for the finished clip of @parent_task_id (made by @parent,
 * with the provider's @video_id, @parent_duration_s seconds long, -1 when not known):
 * same model, mode and prompts, linked EXTEND at @parent_duration_s. Nothing is sent. */
KinemaRequest    *kinema_request_new_extension       (KinemaRequest   *parent,
                                                      const char      *parent_task_id,
                                                      const char      *video_id,
                                                      double           parent_duration_s);
/* Checks that need no file I/O: prompt lengths, enumerations, ranges, combinations. */
gboolean          kinema_request_validate            (KinemaRequest   *self,
                                                      GError         **error);
JsonNode         *kinema_request_to_json             (KinemaRequest   *self);
KinemaRequest    *kinema_request_new_from_json       (JsonNode        *node,
                                                      GError         **error);

G_END_DECLS
