/* kinema-task.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-task"

#include "config.h"

#include <math.h>

#include <glib/gi18n-lib.h>

#include "kinema-enums.h"
#include "kinema-error.h"
#include "kinema-failure.h"
#include "kinema-task-private.h"

struct _KinemaTask
{
  GObject parent_instance;

  char            *id;
  char            *provider_id;
  char            *provider_name;
  KinemaRequest   *request;
  char            *remote_id;
  KinemaTaskStatus status;
  double           progress;
  char            *status_message;
  GError          *error;
  char            *video_url;
  char            *video_path;
  char            *thumbnail_path;
  char            *part_path;
  char            *video_id;
  double           units_charged;
  gint64           created_at;
  gint64           submitted_at;
  gint64           started_at;
  gint64           finished_at;
  gint64           estimated_remaining;
  guint            is_slow : 1;
  guint            is_demo : 1;
};

G_DEFINE_FINAL_TYPE (KinemaTask, kinema_task, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_PROVIDER_ID,
  PROP_PROVIDER_NAME,
  PROP_KIND,
  PROP_REQUEST,
  PROP_PROMPT,
  PROP_REMOTE_ID,
  PROP_STATUS,
  PROP_PROGRESS,
  PROP_STATUS_MESSAGE,
  PROP_ERROR,
  PROP_VIDEO_URL,
  PROP_VIDEO_PATH,
  PROP_THUMBNAIL_PATH,
  PROP_VIDEO_ID,
  PROP_UNITS_CHARGED,
  PROP_CREATED_AT,
  PROP_SUBMITTED_AT,
  PROP_STARTED_AT,
  PROP_FINISHED_AT,
  PROP_ESTIMATED_REMAINING,
  PROP_IS_SLOW,
  PROP_IS_DEMO,
  PROP_ACTIVE,
  PROP_STATUS_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kinema_task_finalize (GObject *object)
{
  KinemaTask *self = (KinemaTask *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->provider_id, g_free);
  g_clear_pointer (&self->provider_name, g_free);
  g_clear_object (&self->request);
  g_clear_pointer (&self->remote_id, g_free);
  g_clear_pointer (&self->status_message, g_free);
  g_clear_error (&self->error);
  g_clear_pointer (&self->video_url, g_free);
  g_clear_pointer (&self->video_path, g_free);
  g_clear_pointer (&self->thumbnail_path, g_free);
  g_clear_pointer (&self->part_path, g_free);
  g_clear_pointer (&self->video_id, g_free);

  G_OBJECT_CLASS (kinema_task_parent_class)->finalize (object);
}

static void
kinema_task_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KinemaTask *self = KINEMA_TASK (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_PROVIDER_ID:
      g_value_set_string (value, self->provider_id);
      break;
    case PROP_PROVIDER_NAME:
      g_value_set_string (value, self->provider_name);
      break;
    case PROP_KIND:
      g_value_set_enum (value, kinema_task_get_kind (self));
      break;
    case PROP_REQUEST:
      g_value_set_object (value, self->request);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, kinema_task_get_prompt (self));
      break;
    case PROP_REMOTE_ID:
      g_value_set_string (value, self->remote_id);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, self->status_message);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_VIDEO_URL:
      g_value_set_string (value, self->video_url);
      break;
    case PROP_VIDEO_PATH:
      g_value_set_string (value, self->video_path);
      break;
    case PROP_THUMBNAIL_PATH:
      g_value_set_string (value, self->thumbnail_path);
      break;
    case PROP_VIDEO_ID:
      g_value_set_string (value, self->video_id);
      break;
    case PROP_UNITS_CHARGED:
      g_value_set_double (value, self->units_charged);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_SUBMITTED_AT:
      g_value_set_int64 (value, self->submitted_at);
      break;
    case PROP_STARTED_AT:
      g_value_set_int64 (value, self->started_at);
      break;
    case PROP_FINISHED_AT:
      g_value_set_int64 (value, self->finished_at);
      break;
    case PROP_ESTIMATED_REMAINING:
      g_value_set_int64 (value, self->estimated_remaining);
      break;
    case PROP_IS_SLOW:
      g_value_set_boolean (value, self->is_slow);
      break;
    case PROP_IS_DEMO:
      g_value_set_boolean (value, self->is_demo);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, kinema_task_is_active (self));
      break;
    case PROP_STATUS_LABEL:
      g_value_take_string (value, kinema_task_dup_status_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_task_class_init (KinemaTaskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = kinema_task_finalize;
  object_class->get_property = kinema_task_get_property;

  /**
   * KinemaTask:id:
   *
   * A UUID, also sent as `external_task_id`.
   */
  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_ID] = g_param_spec_string ("provider-id", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER_NAME] = g_param_spec_string ("provider-name", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, KINEMA_TYPE_TASK_KIND,
                                             KINEMA_TASK_KIND_TEXT_TO_VIDEO, flags);
  properties[PROP_REQUEST] = g_param_spec_object ("request", NULL, NULL, KINEMA_TYPE_REQUEST, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_ID] = g_param_spec_string ("remote-id", NULL, NULL, NULL, flags);
  properties[PROP_STATUS] = g_param_spec_enum ("status", NULL, NULL, KINEMA_TYPE_TASK_STATUS,
                                               KINEMA_TASK_STATUS_SUBMITTING, flags);
  /**
   * KinemaTask:progress:
   *
   * 0..1 while generating or downloading, -1 when unknown.
   */
  properties[PROP_PROGRESS] = g_param_spec_double ("progress", NULL, NULL, -1, 1, -1, flags);
  properties[PROP_STATUS_MESSAGE] = g_param_spec_string ("status-message", NULL, NULL, NULL, flags);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_VIDEO_URL] = g_param_spec_string ("video-url", NULL, NULL, NULL, flags);
  properties[PROP_VIDEO_PATH] = g_param_spec_string ("video-path", NULL, NULL, NULL, flags);
  properties[PROP_THUMBNAIL_PATH] = g_param_spec_string ("thumbnail-path", NULL, NULL, NULL, flags);
  /**
   * KinemaTask:video-id:
   *
   * The provider's id of the finished video (official Kling's
   * `task_result.videos[].id`), needed to extend it. %NULL elsewhere.
   */
  properties[PROP_VIDEO_ID] = g_param_spec_string ("video-id", NULL, NULL, NULL, flags);
  /**
   * KinemaTask:units-charged:
   *
   * What the finished job really cost, in the provider's units (official Kling's
   * `final_unit_deduction`), or -1 when the provider did not say.
   */
  properties[PROP_UNITS_CHARGED] = g_param_spec_double ("units-charged", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  properties[PROP_CREATED_AT] = g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SUBMITTED_AT] = g_param_spec_int64 ("submitted-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STARTED_AT] = g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FINISHED_AT] = g_param_spec_int64 ("finished-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * KinemaTask:estimated-remaining:
   *
   * Seconds left by the learned estimate, or -1 when unknown.
   */
  properties[PROP_ESTIMATED_REMAINING] = g_param_spec_int64 ("estimated-remaining", NULL, NULL,
                                                             -1, G_MAXINT64, -1, flags);
  properties[PROP_IS_SLOW] = g_param_spec_boolean ("is-slow", NULL, NULL, FALSE, flags);
  properties[PROP_IS_DEMO] = g_param_spec_boolean ("is-demo", NULL, NULL, FALSE, flags);
  /**
   * KinemaTask:active:
   *
   * TRUE while the task still needs submitting, polling or downloading
   * (kinema_task_is_active()). Notified when it changes.
   */
  properties[PROP_ACTIVE] = g_param_spec_boolean ("active", NULL, NULL, FALSE, flags);
  /**
   * KinemaTask:status-label:
   *
   * kinema_task_dup_status_label() as a property, notified when it may have changed.
   */
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kinema_task_init (KinemaTask *self)
{
  self->status = KINEMA_TASK_STATUS_SUBMITTING;
  self->progress = -1;
  self->units_charged = -1;
  self->estimated_remaining = -1;
}

KinemaTask *
kinema_task_new (const char    *id,
                 const char    *provider_id,
                 const char    *provider_name,
                 KinemaRequest *request,
                 gboolean       is_demo)
{
  KinemaTask *self;

  g_return_val_if_fail (KINEMA_IS_REQUEST (request), NULL);

  self = g_object_new (KINEMA_TYPE_TASK, NULL);
  self->id = id != NULL ? g_strdup (id) : g_uuid_string_random ();
  self->provider_id = g_strdup (provider_id);
  self->provider_name = g_strdup (provider_name);
  self->request = g_object_ref (request);
  self->is_demo = !!is_demo;
  self->created_at = g_get_real_time ();
  return self;
}

KinemaTask *
kinema_task_new_from_record (KinemaTaskRecord *record)
{
  KinemaTask *self;

  g_return_val_if_fail (record != NULL, NULL);
  g_return_val_if_fail (record->id != NULL, NULL);
  g_return_val_if_fail (KINEMA_IS_REQUEST (record->request), NULL);

  self = g_object_new (KINEMA_TYPE_TASK, NULL);
  self->id = g_steal_pointer (&record->id);
  self->provider_id = g_steal_pointer (&record->provider_id);
  self->provider_name = g_steal_pointer (&record->provider_name);
  self->request = g_steal_pointer (&record->request);
  self->remote_id = g_steal_pointer (&record->remote_id);
  self->status = record->status;
  self->progress = record->progress;
  self->status_message = g_steal_pointer (&record->status_message);
  self->error = g_steal_pointer (&record->error);
  self->video_url = g_steal_pointer (&record->video_url);
  self->video_path = g_steal_pointer (&record->video_path);
  self->thumbnail_path = g_steal_pointer (&record->thumbnail_path);
  self->part_path = g_steal_pointer (&record->part_path);
  self->video_id = g_steal_pointer (&record->video_id);
  self->units_charged = record->units_charged >= 0 ? record->units_charged : -1;
  self->created_at = record->created_at;
  self->submitted_at = record->submitted_at;
  self->started_at = record->started_at;
  self->finished_at = record->finished_at;
  self->is_demo = !!record->is_demo;
  return self;
}

void
kinema_task_record_clear (KinemaTaskRecord *record)
{
  g_clear_pointer (&record->id, g_free);
  g_clear_pointer (&record->provider_id, g_free);
  g_clear_pointer (&record->provider_name, g_free);
  g_clear_object (&record->request);
  g_clear_pointer (&record->remote_id, g_free);
  g_clear_pointer (&record->status_message, g_free);
  g_clear_error (&record->error);
  g_clear_pointer (&record->video_url, g_free);
  g_clear_pointer (&record->video_path, g_free);
  g_clear_pointer (&record->thumbnail_path, g_free);
  g_clear_pointer (&record->part_path, g_free);
  g_clear_pointer (&record->video_id, g_free);
}

void
kinema_task_peek_record (KinemaTask       *self,
                         KinemaTaskRecord *out)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  g_return_if_fail (out != NULL);

  out->id = self->id;
  out->provider_id = self->provider_id;
  out->provider_name = self->provider_name;
  out->request = self->request;
  out->remote_id = self->remote_id;
  out->status = self->status;
  out->progress = self->progress;
  out->status_message = self->status_message;
  out->error = self->error;
  out->video_url = self->video_url;
  out->video_path = self->video_path;
  out->thumbnail_path = self->thumbnail_path;
  out->part_path = self->part_path;
  out->video_id = self->video_id;
  out->units_charged = self->units_charged;
  out->created_at = self->created_at;
  out->submitted_at = self->submitted_at;
  out->started_at = self->started_at;
  out->finished_at = self->finished_at;
  out->is_demo = self->is_demo;
}

/* Getters */

const char *
kinema_task_get_id (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->id;
}

const char *
kinema_task_get_provider_id (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->provider_id;
}

const char *
kinema_task_get_provider_name (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->provider_name;
}

KinemaTaskKind
kinema_task_get_kind (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), KINEMA_TASK_KIND_TEXT_TO_VIDEO);
  return self->request != NULL ? kinema_request_get_kind (self->request) : KINEMA_TASK_KIND_TEXT_TO_VIDEO;
}

KinemaRequest *
kinema_task_get_request (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->request;
}

const char *
kinema_task_get_prompt (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->request != NULL ? kinema_request_get_prompt (self->request) : NULL;
}

const char *
kinema_task_get_remote_id (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->remote_id;
}

KinemaTaskStatus
kinema_task_get_status (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), KINEMA_TASK_STATUS_FAILED);
  return self->status;
}

double
kinema_task_get_progress (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), -1);
  return self->progress;
}

const char *
kinema_task_get_status_message (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->status_message;
}

const GError *
kinema_task_get_error (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->error;
}

const char *
kinema_task_get_video_url (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->video_url;
}

const char *
kinema_task_get_video_path (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->video_path;
}

const char *
kinema_task_get_thumbnail_path (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->thumbnail_path;
}

const char *
kinema_task_get_video_id (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->video_id;
}

KinemaLinkKind
kinema_task_get_link_kind (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), KINEMA_LINK_NONE);
  return self->request != NULL ? kinema_request_get_link_kind (self->request) : KINEMA_LINK_NONE;
}

const char *
kinema_task_get_parent_id (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  if (kinema_task_get_link_kind (self) == KINEMA_LINK_NONE)
    return NULL;
  return kinema_request_get_parent_task_id (self->request);
}

double
kinema_task_get_parent_time (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), -1);
  if (kinema_task_get_link_kind (self) == KINEMA_LINK_NONE)
    return -1;
  return kinema_request_get_parent_time (self->request);
}

double
kinema_task_estimate_clip_seconds (KinemaTask *self)
{
  double parent;

  g_return_val_if_fail (KINEMA_IS_TASK (self), 0);
  if (self->request == NULL)
    return 0;
  if (kinema_request_get_kind (self->request) != KINEMA_TASK_KIND_VIDEO_EXTEND)
    return kinema_request_get_duration (self->request);

  /* The extended video is the whole clip: the parent's and about 4.5 s more (Kling docs,
   * "Video Extension": task_result.videos[].duration is the total). */
  parent = kinema_request_get_parent_time (self->request);
  if (parent < 0)
    parent = kinema_request_get_duration (self->request);
  return parent + KINEMA_EXTEND_SECONDS;
}

gint64
kinema_task_get_created_at (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), 0);
  return self->created_at;
}

gint64
kinema_task_get_submitted_at (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), 0);
  return self->submitted_at;
}

gint64
kinema_task_get_started_at (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), 0);
  return self->started_at;
}

gint64
kinema_task_get_finished_at (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), 0);
  return self->finished_at;
}

gint64
kinema_task_get_estimated_remaining (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), -1);
  return self->estimated_remaining;
}

gboolean
kinema_task_get_is_slow (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), FALSE);
  return self->is_slow;
}

gboolean
kinema_task_get_is_demo (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), FALSE);
  return self->is_demo;
}

static gboolean
status_is_active (KinemaTaskStatus status)
{
  switch (status)
    {
    case KINEMA_TASK_STATUS_SUBMITTING:
    case KINEMA_TASK_STATUS_QUEUED:
    case KINEMA_TASK_STATUS_RUNNING:
    case KINEMA_TASK_STATUS_DOWNLOADING:
      return TRUE;
    case KINEMA_TASK_STATUS_SUCCEEDED:
    case KINEMA_TASK_STATUS_FAILED:
    case KINEMA_TASK_STATUS_NEEDS_CHECKING:
    case KINEMA_TASK_STATUS_STOPPED:
    case KINEMA_TASK_STATUS_NOT_SENT:
    default:
      return FALSE;
    }
}

gboolean
kinema_task_is_active (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), FALSE);
  return status_is_active (self->status);
}

static int
percent (double progress)
{
  return (int) CLAMP (floor (progress * 100.0 + 0.5), 0, 100);
}

char *
kinema_task_dup_status_label (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);

  switch (self->status)
    {
    case KINEMA_TASK_STATUS_SUBMITTING:
      return g_strdup (_("Submitting"));
    case KINEMA_TASK_STATUS_QUEUED:
      return g_strdup (_("Queued"));
    case KINEMA_TASK_STATUS_RUNNING:
      if (self->progress >= 0)
        /* Translators: a job is being generated; %d is a percentage */
        return g_strdup_printf (_("Generating %d%%"), percent (self->progress));
      return g_strdup (_("Generating"));
    case KINEMA_TASK_STATUS_DOWNLOADING:
      if (self->progress >= 0)
        /* Translators: the finished clip is being downloaded; %d is a percentage */
        return g_strdup_printf (_("Downloading %d%%"), percent (self->progress));
      return g_strdup (_("Downloading"));
    case KINEMA_TASK_STATUS_SUCCEEDED:
      return g_strdup (_("Ready"));
    case KINEMA_TASK_STATUS_FAILED:
      if (self->error != NULL)
        {
          KinemaFailure failure;

          /* The short name of the reason (kinema-failure.c); the explanation is the
           * status message, the provider's own words are in the error's details. */
          kinema_failure_explain (self->error, &failure);
          /* Translators: %s is the short reason a job failed, e.g. "Refused by content review" */
          return g_strdup_printf (_("Failed: %s"), failure.summary);
        }
      return g_strdup (_("Failed"));
    case KINEMA_TASK_STATUS_NEEDS_CHECKING:
      return g_strdup (_("Needs checking"));
    case KINEMA_TASK_STATUS_STOPPED:
      return g_strdup (_("Stopped"));
    case KINEMA_TASK_STATUS_NOT_SENT:
      /* Translators: the job never left this computer; nothing was charged */
      return g_strdup (_("Not sent"));
    default:
      g_return_val_if_reached (g_strdup (""));
    }
}

/* Setters */

static gboolean
set_string (char      **field,
            const char *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
kinema_task_set_provider_name (KinemaTask *self,
                               const char *provider_name)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  if (set_string (&self->provider_name, provider_name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER_NAME]);
}

void
kinema_task_set_remote_id (KinemaTask *self,
                           const char *remote_id)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  if (set_string (&self->remote_id, remote_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_ID]);
}

void
kinema_task_set_status (KinemaTask      *self,
                        KinemaTaskStatus status)
{
  gboolean was_active;

  g_return_if_fail (KINEMA_IS_TASK (self));

  if (self->status == status)
    return;

  was_active = status_is_active (self->status);
  self->status = status;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
  if (was_active != status_is_active (status))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
kinema_task_set_progress (KinemaTask *self,
                          double      progress)
{
  gboolean label_changed;

  g_return_if_fail (KINEMA_IS_TASK (self));

  if (progress < 0 || isnan (progress))
    progress = -1;
  else if (progress > 1)
    progress = 1;

  if (self->progress == progress)
    return;

  label_changed = (self->status == KINEMA_TASK_STATUS_RUNNING ||
                   self->status == KINEMA_TASK_STATUS_DOWNLOADING) &&
                  (progress < 0 || self->progress < 0 || percent (progress) != percent (self->progress));
  self->progress = progress;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
  if (label_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
kinema_task_set_status_message (KinemaTask *self,
                                const char *status_message)
{
  g_return_if_fail (KINEMA_IS_TASK (self));

  if (!set_string (&self->status_message, status_message))
    return;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_MESSAGE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
errors_equal (const GError *a,
              const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return a->domain == b->domain && a->code == b->code && g_strcmp0 (a->message, b->message) == 0;
}

void
kinema_task_set_error (KinemaTask   *self,
                       const GError *error)
{
  g_return_if_fail (KINEMA_IS_TASK (self));

  if (error == self->error || errors_equal (error, self->error))
    {
      /* Same words; keep the newest details (request id, Retry-After). */
      if (error != NULL && error != self->error)
        {
          g_clear_error (&self->error);
          self->error = g_error_copy (error);
        }
      return;
    }

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  if (self->status == KINEMA_TASK_STATUS_FAILED)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
kinema_task_set_video_url (KinemaTask *self,
                           const char *video_url)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  if (set_string (&self->video_url, video_url))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_URL]);
}

void
kinema_task_set_video_path (KinemaTask *self,
                            const char *video_path)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  if (set_string (&self->video_path, video_path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_PATH]);
}

void
kinema_task_set_thumbnail_path (KinemaTask *self,
                                const char *thumbnail_path)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  if (set_string (&self->thumbnail_path, thumbnail_path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL_PATH]);
}

double
kinema_task_get_units_charged (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), -1);
  return self->units_charged;
}

void
kinema_task_set_units_charged (KinemaTask *self,
                               double      units)
{
  g_return_if_fail (KINEMA_IS_TASK (self));

  if (!(units >= 0 && units < 1e6))
    units = -1;
  if (self->units_charged == units)
    return;
  self->units_charged = units;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNITS_CHARGED]);
}

void
kinema_task_set_video_id (KinemaTask *self,
                          const char *video_id)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  if (set_string (&self->video_id, video_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_ID]);
}

const char *
kinema_task_get_part_path (KinemaTask *self)
{
  g_return_val_if_fail (KINEMA_IS_TASK (self), NULL);
  return self->part_path;
}

void
kinema_task_set_part_path (KinemaTask *self,
                           const char *part_path)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  set_string (&self->part_path, part_path);
}

#define DEFINE_INT64_SETTER(name, field, prop)                    \
  void                                                            \
      kinema_task_set_##name (KinemaTask *self,                   \
                              gint64      value)                  \
  {                                                               \
    g_return_if_fail (KINEMA_IS_TASK (self));                     \
    if (self->field == value)                                     \
      return;                                                     \
    self->field = value;                                          \
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
  }

DEFINE_INT64_SETTER (created_at, created_at, PROP_CREATED_AT)
DEFINE_INT64_SETTER (submitted_at, submitted_at, PROP_SUBMITTED_AT)
DEFINE_INT64_SETTER (started_at, started_at, PROP_STARTED_AT)
DEFINE_INT64_SETTER (finished_at, finished_at, PROP_FINISHED_AT)

void
kinema_task_set_estimated_remaining (KinemaTask *self,
                                     gint64      seconds)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  if (seconds < 0)
    seconds = -1;
  if (self->estimated_remaining == seconds)
    return;
  self->estimated_remaining = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ESTIMATED_REMAINING]);
}

void
kinema_task_set_is_slow (KinemaTask *self,
                         gboolean    is_slow)
{
  g_return_if_fail (KINEMA_IS_TASK (self));
  is_slow = !!is_slow;
  if (self->is_slow == (guint) is_slow)
    return;
  self->is_slow = is_slow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SLOW]);
}

void
kinema_task_fail (KinemaTask   *self,
                  const GError *error)
{
  g_return_if_fail (KINEMA_IS_TASK (self));

  g_object_freeze_notify (G_OBJECT (self));
  kinema_task_set_error (self, error);
  if (error != NULL)
    {
      g_autofree char *text = kinema_failure_dup_text (error);

      kinema_task_set_status_message (self, text);
    }
  else
    kinema_task_set_status_message (self, NULL);
  kinema_task_set_progress (self, -1);
  kinema_task_set_estimated_remaining (self, -1);
  kinema_task_set_is_slow (self, FALSE);
  if (self->finished_at == 0)
    kinema_task_set_finished_at (self, g_get_real_time ());
  kinema_task_set_status (self, KINEMA_TASK_STATUS_FAILED);
  g_object_thaw_notify (G_OBJECT (self));
}
