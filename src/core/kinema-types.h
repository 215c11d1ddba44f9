/* kinema-types.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Forward declarations and the enumerations shared across the core. The enums are
 * registered as GTypes by gnome.mkenums_simple (kinema-enums.h), so they can be
 * GObject properties and be bound from .ui files.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KinemaProvider         KinemaProvider;
typedef struct _KinemaProviderRegistry KinemaProviderRegistry;
typedef struct _KinemaRequest          KinemaRequest;
typedef struct _KinemaRemoteStatus     KinemaRemoteStatus;
typedef struct _KinemaHttpClient       KinemaHttpClient;
typedef struct _KinemaClient           KinemaClient;
typedef struct _KinemaTask             KinemaTask;
typedef struct _KinemaTaskStore        KinemaTaskStore;
typedef struct _KinemaHistory          KinemaHistory;
typedef struct _KinemaScheduler        KinemaScheduler;
typedef struct _KinemaDownloader       KinemaDownloader;
typedef struct _KinemaTaskManager      KinemaTaskManager;

/**
 * KinemaApiStyle:
 * @KINEMA_API_STYLE_KLING: `POST {base}/v1/videos/{text2video,image2video}`, Kling-native bodies
 * @KINEMA_API_STYLE_VIDEO_GENERATIONS: new-api's generic `POST {base}/v1/video/generations`
 * @KINEMA_API_STYLE_OPENAI_VIDEOS: OpenAI-style `POST {base}/v1/videos`
 */
typedef enum {
  KINEMA_API_STYLE_KLING,
  KINEMA_API_STYLE_VIDEO_GENERATIONS,
  KINEMA_API_STYLE_OPENAI_VIDEOS,
} KinemaApiStyle;

/**
 * KinemaAuthKind:
 * @KINEMA_AUTH_BEARER: a gateway API key sent as `Authorization: Bearer KEY`
 * @KINEMA_AUTH_KLING_JWT: Kling access key + secret key, signed into an HS256 JWT
 */
typedef enum {
  KINEMA_AUTH_BEARER,
  KINEMA_AUTH_KLING_JWT,
} KinemaAuthKind;

/**
 * KinemaTaskKind:
 * @KINEMA_TASK_KIND_TEXT_TO_VIDEO: a clip from a description
 * @KINEMA_TASK_KIND_IMAGE_TO_VIDEO: a clip from a start (and/or end) frame
 * @KINEMA_TASK_KIND_VIDEO_EXTEND: Kling's video extension of a finished clip, by its
 *   provider video id (official Kling only: `POST /v1/videos/video-extend`)
 *
 * The nicks ("text-to-video", …, "video-extend") are stored in the history and the
 * sidecar: new values go at the end.
 */
typedef enum {
  KINEMA_TASK_KIND_TEXT_TO_VIDEO,
  KINEMA_TASK_KIND_IMAGE_TO_VIDEO,
  KINEMA_TASK_KIND_VIDEO_EXTEND,
} KinemaTaskKind;

/**
 * KinemaTaskStatus:
 * @KINEMA_TASK_STATUS_SUBMITTING: stored, the submit request is (or may be) on the wire
 * @KINEMA_TASK_STATUS_QUEUED: the provider accepted the job and has not started it
 * @KINEMA_TASK_STATUS_RUNNING: the provider is generating the clip
 * @KINEMA_TASK_STATUS_DOWNLOADING: the clip is ready remotely and being fetched
 * @KINEMA_TASK_STATUS_SUCCEEDED: the clip is on disk
 * @KINEMA_TASK_STATUS_FAILED: the job failed (the error says why)
 * @KINEMA_TASK_STATUS_NEEDS_CHECKING: the process died while submitting; the job may or may
 *   not exist remotely. Never re-sent automatically.
 * @KINEMA_TASK_STATUS_STOPPED: the user stopped tracking the job
 * @KINEMA_TASK_STATUS_NOT_SENT: the submit never left this computer (connection
 *   refused, no DNS, TLS handshake failed before the request was written): no job
 *   exists and nothing was charged. Sent again only when the user asks.
 *
 * The values are stored in the history: new ones go at the end.
 */
typedef enum {
  KINEMA_TASK_STATUS_SUBMITTING,
  KINEMA_TASK_STATUS_QUEUED,
  KINEMA_TASK_STATUS_RUNNING,
  KINEMA_TASK_STATUS_DOWNLOADING,
  KINEMA_TASK_STATUS_SUCCEEDED,
  KINEMA_TASK_STATUS_FAILED,
  KINEMA_TASK_STATUS_NEEDS_CHECKING,
  KINEMA_TASK_STATUS_STOPPED,
  KINEMA_TASK_STATUS_NOT_SENT,
} KinemaTaskStatus;

/**
 * KinemaRemoteState:
 * @KINEMA_REMOTE_STATE_PENDING: unknown or not yet known; keep polling
 * @KINEMA_REMOTE_STATE_QUEUED: accepted, waiting
 * @KINEMA_REMOTE_STATE_RUNNING: generating
 * @KINEMA_REMOTE_STATE_SUCCEEDED: done; a video URL (or the content route) is available
 * @KINEMA_REMOTE_STATE_FAILED: the job failed remotely
 */
typedef enum {
  KINEMA_REMOTE_STATE_PENDING,
  KINEMA_REMOTE_STATE_QUEUED,
  KINEMA_REMOTE_STATE_RUNNING,
  KINEMA_REMOTE_STATE_SUCCEEDED,
  KINEMA_REMOTE_STATE_FAILED,
} KinemaRemoteState;

/**
 * KinemaLinkKind:
 * @KINEMA_LINK_NONE: a job of its own
 * @KINEMA_LINK_CONTINUE: starts from a frame of an earlier clip (a new image-to-video job)
 * @KINEMA_LINK_EXTEND: Kling's video extension of an earlier clip (its remote video id)
 *
 * How a job continues an earlier clip (issue 14).
 */
typedef enum {
  KINEMA_LINK_NONE,
  KINEMA_LINK_CONTINUE,
  KINEMA_LINK_EXTEND,
} KinemaLinkKind;

/**
 * KinemaMode:
 * @KINEMA_MODE_STD: Kling's `std` tier
 * @KINEMA_MODE_PRO: Kling's `pro` tier (shown as “High quality”)
 * @KINEMA_MODE_4K: Kling's `4k` tier (kling-v3 only, data/capabilities.json)
 */
typedef enum {
  KINEMA_MODE_STD,
  KINEMA_MODE_PRO,
  KINEMA_MODE_4K,
} KinemaMode;

typedef enum {
  KINEMA_CAMERA_NONE,
  KINEMA_CAMERA_SIMPLE,
  KINEMA_CAMERA_DOWN_BACK,
  KINEMA_CAMERA_FORWARD_UP,
  KINEMA_CAMERA_RIGHT_TURN_FORWARD,
  KINEMA_CAMERA_LEFT_TURN_FORWARD,
} KinemaCameraType;

typedef enum {
  KINEMA_CAMERA_AXIS_HORIZONTAL,
  KINEMA_CAMERA_AXIS_VERTICAL,
  KINEMA_CAMERA_AXIS_PAN,
  KINEMA_CAMERA_AXIS_TILT,
  KINEMA_CAMERA_AXIS_ROLL,
  KINEMA_CAMERA_AXIS_ZOOM,
} KinemaCameraAxis;

/**
 * KinemaUrlPolicy:
 * @KINEMA_URL_POLICY_DEFAULT: https:// anywhere; plain http:// only to this computer
 * @KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP: also plain http:// to an address on the
 *   user's own network (RFC 1918, link-local, IPv6 ULA, `.local`, `.home.arpa`); only
 *   after the user allowed it for that provider, the key then travels unencrypted
 *
 * What kinema_http_check_url() lets through.
 */
typedef enum /*< flags >*/
{
  KINEMA_URL_POLICY_DEFAULT = 0,
  KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP = 1 << 0,
} KinemaUrlPolicy;

/**
 * KinemaProviderCaps:
 * @KINEMA_PROVIDER_CAPS_NONE: Kling's own rules only
 * @KINEMA_PROVIDER_CAP_OFFICIAL_KLING: Kling's own API: a job can be looked up by the
 *   `external_task_id` the client chose (crash recovery), with a key pair or an API key
 * @KINEMA_PROVIDER_CAP_NEEDS_PROMPT: a blank description is refused on every route,
 *   image-to-video included (new-api relay/common/relay_utils.go, validatePrompt)
 * @KINEMA_PROVIDER_CAP_NEEDS_START_IMAGE: image-to-video needs a start frame: without
 *   `image` the job is made as text-to-video and an end frame is lost (new-api
 *   middleware/kling_adapter.go)
 * @KINEMA_PROVIDER_CAP_DROPS_ZERO_CFG: a creativity (`cfg_scale`) of 0 is dropped and
 *   Kling uses 0.5 (new-api relay/channel/task/kling/adaptor.go, `omitempty`)
 * @KINEMA_PROVIDER_CAP_TEXT_AND_IMAGE_ONLY: only text-to-video and image-to-video are
 *   relayed (new-api router/video-router.go)
 *
 * What a provider accepts beyond the model's own capabilities.
 */
typedef enum /*< flags >*/ {
  KINEMA_PROVIDER_CAPS_NONE = 0,
  KINEMA_PROVIDER_CAP_OFFICIAL_KLING = 1 << 0,
  KINEMA_PROVIDER_CAP_NEEDS_PROMPT = 1 << 1,
  KINEMA_PROVIDER_CAP_NEEDS_START_IMAGE = 1 << 2,
  KINEMA_PROVIDER_CAP_DROPS_ZERO_CFG = 1 << 3,
  KINEMA_PROVIDER_CAP_TEXT_AND_IMAGE_ONLY = 1 << 4,
} KinemaProviderCaps;

G_END_DECLS
