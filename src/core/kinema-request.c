/* kinema-request.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-request"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kinema-capabilities.h"
#include "kinema-enums.h"
#include "kinema-error.h"
#include "kinema-models.h"
#include "kinema-request.h"

struct _KinemaRequest
{
  GObject          parent_instance;

  KinemaTaskKind   kind;
  char            *model;
  char            *prompt;
  char            *negative_prompt;
  char            *image;
  char            *image_tail;
  KinemaMode       mode;
  guint            duration;
  char            *aspect_ratio;
  double           cfg_scale;
  KinemaCameraType camera_type;
  KinemaCameraAxis camera_axis;
  double           camera_value;
  char            *external_task_id;
  /* The clip this job continues (issue 14). */
  KinemaLinkKind   link_kind;
  char            *parent_task_id;
  double           parent_time;
  char            *video_id;
  gboolean         sound;
};

G_DEFINE_FINAL_TYPE (KinemaRequest, kinema_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_MODEL,
  PROP_PROMPT,
  PROP_NEGATIVE_PROMPT,
  PROP_IMAGE,
  PROP_IMAGE_TAIL,
  PROP_MODE,
  PROP_DURATION,
  PROP_ASPECT_RATIO,
  PROP_CFG_SCALE,
  PROP_CAMERA_TYPE,
  PROP_CAMERA_AXIS,
  PROP_CAMERA_VALUE,
  PROP_EXTERNAL_TASK_ID,
  PROP_LINK_KIND,
  PROP_PARENT_TASK_ID,
  PROP_PARENT_TIME,
  PROP_VIDEO_ID,
  PROP_SOUND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kinema_request_finalize (GObject *object)
{
  KinemaRequest *self = (KinemaRequest *)object;

  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->negative_prompt, g_free);
  g_clear_pointer (&self->image, g_free);
  g_clear_pointer (&self->image_tail, g_free);
  g_clear_pointer (&self->aspect_ratio, g_free);
  g_clear_pointer (&self->external_task_id, g_free);
  g_clear_pointer (&self->parent_task_id, g_free);
  g_clear_pointer (&self->video_id, g_free);

  G_OBJECT_CLASS (kinema_request_parent_class)->finalize (object);
}

static void
kinema_request_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KinemaRequest *self = KINEMA_REQUEST (object);

  switch (prop_id)
    {
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_MODEL: g_value_set_string (value, self->model); break;
    case PROP_PROMPT: g_value_set_string (value, self->prompt); break;
    case PROP_NEGATIVE_PROMPT: g_value_set_string (value, self->negative_prompt); break;
    case PROP_IMAGE: g_value_set_string (value, self->image); break;
    case PROP_IMAGE_TAIL: g_value_set_string (value, self->image_tail); break;
    case PROP_MODE: g_value_set_enum (value, self->mode); break;
    case PROP_DURATION: g_value_set_uint (value, self->duration); break;
    case PROP_ASPECT_RATIO: g_value_set_string (value, self->aspect_ratio); break;
    case PROP_CFG_SCALE: g_value_set_double (value, self->cfg_scale); break;
    case PROP_CAMERA_TYPE: g_value_set_enum (value, self->camera_type); break;
    case PROP_CAMERA_AXIS: g_value_set_enum (value, self->camera_axis); break;
    case PROP_CAMERA_VALUE: g_value_set_double (value, self->camera_value); break;
    case PROP_EXTERNAL_TASK_ID: g_value_set_string (value, self->external_task_id); break;
    case PROP_LINK_KIND: g_value_set_enum (value, self->link_kind); break;
    case PROP_PARENT_TASK_ID: g_value_set_string (value, self->parent_task_id); break;
    case PROP_PARENT_TIME: g_value_set_double (value, self->parent_time); break;
    case PROP_VIDEO_ID: g_value_set_string (value, self->video_id); break;
    case PROP_SOUND: g_value_set_boolean (value, self->sound); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_request_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KinemaRequest *self = KINEMA_REQUEST (object);

  switch (prop_id)
    {
    case PROP_KIND: kinema_request_set_kind (self, g_value_get_enum (value)); break;
    case PROP_MODEL: kinema_request_set_model (self, g_value_get_string (value)); break;
    case PROP_PROMPT: kinema_request_set_prompt (self, g_value_get_string (value)); break;
    case PROP_NEGATIVE_PROMPT: kinema_request_set_negative_prompt (self, g_value_get_string (value)); break;
    case PROP_IMAGE: kinema_request_set_image (self, g_value_get_string (value)); break;
    case PROP_IMAGE_TAIL: kinema_request_set_image_tail (self, g_value_get_string (value)); break;
    case PROP_MODE: kinema_request_set_mode (self, g_value_get_enum (value)); break;
    case PROP_DURATION: kinema_request_set_duration (self, g_value_get_uint (value)); break;
    case PROP_ASPECT_RATIO: kinema_request_set_aspect_ratio (self, g_value_get_string (value)); break;
    case PROP_CFG_SCALE: kinema_request_set_cfg_scale (self, g_value_get_double (value)); break;
    case PROP_CAMERA_TYPE: kinema_request_set_camera_type (self, g_value_get_enum (value)); break;
    case PROP_CAMERA_AXIS: kinema_request_set_camera_axis (self, g_value_get_enum (value)); break;
    case PROP_CAMERA_VALUE: kinema_request_set_camera_value (self, g_value_get_double (value)); break;
    case PROP_EXTERNAL_TASK_ID: kinema_request_set_external_task_id (self, g_value_get_string (value)); break;
    case PROP_LINK_KIND: kinema_request_set_link_kind (self, g_value_get_enum (value)); break;
    case PROP_PARENT_TASK_ID: kinema_request_set_parent_task_id (self, g_value_get_string (value)); break;
    case PROP_PARENT_TIME: kinema_request_set_parent_time (self, g_value_get_double (value)); break;
    case PROP_VIDEO_ID: kinema_request_set_video_id (self, g_value_get_string (value)); break;
    case PROP_SOUND: kinema_request_set_sound (self, g_value_get_boolean (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_request_class_init (KinemaRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = kinema_request_finalize;
  object_class->get_property = kinema_request_get_property;
  object_class->set_property = kinema_request_set_property;

  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, KINEMA_TYPE_TASK_KIND,
                                             KINEMA_TASK_KIND_TEXT_TO_VIDEO, flags);
  properties[PROP_MODEL] = g_param_spec_string ("model", NULL, NULL, NULL, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_NEGATIVE_PROMPT] = g_param_spec_string ("negative-prompt", NULL, NULL, NULL, flags);
  properties[PROP_IMAGE] = g_param_spec_string ("image", NULL, NULL, NULL, flags);
  properties[PROP_IMAGE_TAIL] = g_param_spec_string ("image-tail", NULL, NULL, NULL, flags);
  properties[PROP_MODE] = g_param_spec_enum ("mode", NULL, NULL, KINEMA_TYPE_MODE,
                                             KINEMA_MODE_STD, flags);
  properties[PROP_DURATION] = g_param_spec_uint ("duration", NULL, NULL, 0, 3600, 5, flags);
  properties[PROP_ASPECT_RATIO] = g_param_spec_string ("aspect-ratio", NULL, NULL, "16:9", flags);
  properties[PROP_CFG_SCALE] = g_param_spec_double ("cfg-scale", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  properties[PROP_CAMERA_TYPE] = g_param_spec_enum ("camera-type", NULL, NULL, KINEMA_TYPE_CAMERA_TYPE,
                                                    KINEMA_CAMERA_NONE, flags);
  properties[PROP_CAMERA_AXIS] = g_param_spec_enum ("camera-axis", NULL, NULL, KINEMA_TYPE_CAMERA_AXIS,
                                                    KINEMA_CAMERA_AXIS_HORIZONTAL, flags);
  properties[PROP_CAMERA_VALUE] = g_param_spec_double ("camera-value", NULL, NULL,
                                                       -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_EXTERNAL_TASK_ID] = g_param_spec_string ("external-task-id", NULL, NULL, NULL, flags);
  /**
   * KinemaRequest:link-kind:
   *
   * How this job continues the clip of #KinemaRequest:parent-task-id.
   */
  properties[PROP_LINK_KIND] = g_param_spec_enum ("link-kind", NULL, NULL, KINEMA_TYPE_LINK_KIND,
                                                  KINEMA_LINK_NONE, flags);
  properties[PROP_PARENT_TASK_ID] = g_param_spec_string ("parent-task-id", NULL, NULL, NULL, flags);
  /**
   * KinemaRequest:parent-time:
   *
   * Where in the parent clip this job starts, in seconds (-1: not known).
   */
  properties[PROP_PARENT_TIME] = g_param_spec_double ("parent-time", NULL, NULL, -1, G_MAXDOUBLE, -1, flags);
  /**
   * KinemaRequest:video-id:
   *
   * Extension only: the provider's id of the video to extend (`video_id`).
   */
  properties[PROP_VIDEO_ID] = g_param_spec_string ("video-id", NULL, NULL, NULL, flags);
  properties[PROP_SOUND] = g_param_spec_boolean ("sound", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kinema_request_init (KinemaRequest *self)
{
  self->kind = KINEMA_TASK_KIND_TEXT_TO_VIDEO;
  self->model = g_strdup (kinema_models_get_default ());
  self->mode = KINEMA_MODE_STD;
  self->duration = 5;
  self->aspect_ratio = g_strdup ("16:9");
  self->cfg_scale = -1;
  self->link_kind = KINEMA_LINK_NONE;
  self->parent_time = -1;
}

KinemaRequest *
kinema_request_new (KinemaTaskKind kind)
{
  return g_object_new (KINEMA_TYPE_REQUEST, "kind", kind, NULL);
}

KinemaRequest *
kinema_request_copy (KinemaRequest *self)
{
  KinemaRequest *copy;

  g_return_val_if_fail (KINEMA_IS_REQUEST (self), NULL);

  copy = kinema_request_new (self->kind);
  kinema_request_set_model (copy, self->model);
  kinema_request_set_prompt (copy, self->prompt);
  kinema_request_set_negative_prompt (copy, self->negative_prompt);
  kinema_request_set_image (copy, self->image);
  kinema_request_set_image_tail (copy, self->image_tail);
  kinema_request_set_mode (copy, self->mode);
  kinema_request_set_duration (copy, self->duration);
  kinema_request_set_aspect_ratio (copy, self->aspect_ratio);
  kinema_request_set_cfg_scale (copy, self->cfg_scale);
  kinema_request_set_camera_type (copy, self->camera_type);
  kinema_request_set_camera_axis (copy, self->camera_axis);
  kinema_request_set_camera_value (copy, self->camera_value);
  kinema_request_set_external_task_id (copy, self->external_task_id);
  kinema_request_set_link_kind (copy, self->link_kind);
  kinema_request_set_parent_task_id (copy, self->parent_task_id);
  kinema_request_set_parent_time (copy, self->parent_time);
  kinema_request_set_video_id (copy, self->video_id);
  kinema_request_set_sound (copy, self->sound);
  return copy;
}

static void
set_string (KinemaRequest *self,
            char         **field,
            const char    *value,
            guint          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define STRING_ACCESSORS(name, PROP)                                   \
const char *                                                           \
kinema_request_get_##name (KinemaRequest *self)                        \
{                                                                      \
  g_return_val_if_fail (KINEMA_IS_REQUEST (self), NULL);               \
  return self->name;                                                   \
}                                                                      \
                                                                       \
void                                                                   \
kinema_request_set_##name (KinemaRequest *self,                        \
                           const char    *name)                        \
{                                                                      \
  g_return_if_fail (KINEMA_IS_REQUEST (self));                         \
  set_string (self, &self->name, name, PROP);                          \
}

STRING_ACCESSORS (model, PROP_MODEL)
STRING_ACCESSORS (prompt, PROP_PROMPT)
STRING_ACCESSORS (negative_prompt, PROP_NEGATIVE_PROMPT)
STRING_ACCESSORS (image, PROP_IMAGE)
STRING_ACCESSORS (image_tail, PROP_IMAGE_TAIL)
STRING_ACCESSORS (aspect_ratio, PROP_ASPECT_RATIO)
STRING_ACCESSORS (external_task_id, PROP_EXTERNAL_TASK_ID)
STRING_ACCESSORS (parent_task_id, PROP_PARENT_TASK_ID)
STRING_ACCESSORS (video_id, PROP_VIDEO_ID)

#define VALUE_ACCESSORS(type, name, PROP)                              \
type                                                                   \
kinema_request_get_##name (KinemaRequest *self)                        \
{                                                                      \
  g_return_val_if_fail (KINEMA_IS_REQUEST (self), (type) 0);           \
  return self->name;                                                   \
}                                                                      \
                                                                       \
void                                                                   \
kinema_request_set_##name (KinemaRequest *self,                        \
                           type           name)                        \
{                                                                      \
  g_return_if_fail (KINEMA_IS_REQUEST (self));                         \
  if (self->name == name)                                              \
    return;                                                            \
  self->name = name;                                                   \
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP]);        \
}

VALUE_ACCESSORS (KinemaTaskKind, kind, PROP_KIND)
VALUE_ACCESSORS (KinemaMode, mode, PROP_MODE)
VALUE_ACCESSORS (guint, duration, PROP_DURATION)
VALUE_ACCESSORS (double, cfg_scale, PROP_CFG_SCALE)
VALUE_ACCESSORS (KinemaCameraType, camera_type, PROP_CAMERA_TYPE)
VALUE_ACCESSORS (KinemaCameraAxis, camera_axis, PROP_CAMERA_AXIS)
VALUE_ACCESSORS (double, camera_value, PROP_CAMERA_VALUE)
VALUE_ACCESSORS (KinemaLinkKind, link_kind, PROP_LINK_KIND)
VALUE_ACCESSORS (double, parent_time, PROP_PARENT_TIME)

void
kinema_request_set_link (KinemaRequest  *self,
                         KinemaLinkKind  link_kind,
                         const char     *parent_task_id,
                         double          parent_time)
{
  g_return_if_fail (KINEMA_IS_REQUEST (self));

  if (link_kind == KINEMA_LINK_NONE || parent_task_id == NULL)
    {
      link_kind = KINEMA_LINK_NONE;
      parent_task_id = NULL;
      parent_time = -1;
    }
  g_object_freeze_notify (G_OBJECT (self));
  kinema_request_set_link_kind (self, link_kind);
  kinema_request_set_parent_task_id (self, parent_task_id);
  kinema_request_set_parent_time (self, parent_time >= 0 ? parent_time : -1);
  g_object_thaw_notify (G_OBJECT (self));
}
VALUE_ACCESSORS (gboolean, sound, PROP_SOUND)

static gboolean
fail (GError     **error,
      const char  *message)
{
  if (error != NULL)
    {
      *error = kinema_error_new (KINEMA_ERROR_INVALID_INPUT, 0, NULL, NULL, NULL);
      g_free ((*error)->message);
      (*error)->message = g_strdup (message);
    }
  return FALSE;
}

static gboolean
fail_reason (GError **error,
             char    *reason)
{
  g_autofree char *owned = reason;

  return fail (error, owned != NULL ? owned : _("This model does not support these settings."));
}

static gboolean
is_blank (const char *str)
{
  if (str == NULL)
    return TRUE;
  for (; *str; str++)
    if (!g_ascii_isspace (*str))
      return FALSE;
  return TRUE;
}

void
kinema_request_fill_query (KinemaRequest         *self,
                           KinemaCapabilityQuery *query)
{
  g_return_if_fail (KINEMA_IS_REQUEST (self));
  g_return_if_fail (query != NULL);

  memset (query, 0, sizeof *query);
  query->model = self->model;
  query->kind = self->kind;
  query->mode = self->mode;
  query->duration = self->duration;
  query->has_image = !is_blank (self->image);
  query->has_end_frame = !is_blank (self->image_tail);
  query->camera = self->camera_type;
  query->cfg_scale = self->cfg_scale >= 0;
  query->sound = self->sound;
  query->negative_prompt = !is_blank (self->negative_prompt);
  query->aspect_ratio = self->kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO ? self->aspect_ratio : NULL;
}

/* A provider's video id as we send it back: short printable ASCII (kinema-reply.c keeps
 * no other). */
static gboolean
video_id_is_valid (const char *video_id)
{
  if (video_id == NULL || *video_id == '\0' || strlen (video_id) > 128)
    return FALSE;
  for (const char *p = video_id; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return FALSE;
  return TRUE;
}

/* What Kling's video extension takes: the video id of a finished clip, a prompt and
 * things to avoid (2,500 characters each, checked with the other kinds), cfg_scale; no
 * images, camera movement or sound, and a total of at most 3 minutes (Kling docs,
 * "Video Extension"; kinema-capabilities.h). The model and mode are the source's. */
static gboolean
validate_extension (KinemaRequest *self,
                    gboolean       has_images,
                    GError       **error)
{
  if (!video_id_is_valid (self->video_id))
    return fail (error, _("This clip has no video id from the provider, so it cannot be extended. "
                          "Use Continue from the last frame instead."));
  if (has_images)
    return fail (error, _("An extension continues the clip itself: it takes no start or end image."));
  if (self->camera_type != KINEMA_CAMERA_NONE)
    return fail (error, _("An extension cannot move the camera."));
  if (self->parent_time >= 0 && self->parent_time + KINEMA_EXTEND_SECONDS > KINEMA_EXTEND_MAX_TOTAL_SECONDS)
    return fail (error, _("The extended clip would be longer than 3 minutes, the most Kling can extend to."));
  return TRUE;
}

gboolean
kinema_request_validate (KinemaRequest  *self,
                         GError        **error)
{
  KinemaCapabilities   *caps = kinema_capabilities_get_default ();
  KinemaCapabilityQuery query;
  char                 *reason;
  gboolean              has_image;
  gboolean              has_tail;

  g_return_val_if_fail (KINEMA_IS_REQUEST (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->kind != KINEMA_TASK_KIND_TEXT_TO_VIDEO && self->kind != KINEMA_TASK_KIND_IMAGE_TO_VIDEO &&
      self->kind != KINEMA_TASK_KIND_VIDEO_EXTEND)
    return fail (error, _("Choose text-to-video or image-to-video."));

  if (!kinema_capabilities_has_model (caps, self->model))
    return fail_reason (error, g_strdup_printf (_("“%s” is not a model Kinema knows."),
                                                self->model ? self->model : ""));

  if (self->prompt != NULL && !g_utf8_validate (self->prompt, -1, NULL))
    return fail (error, _("The description contains invalid text."));
  if (self->negative_prompt != NULL && !g_utf8_validate (self->negative_prompt, -1, NULL))
    return fail (error, _("The things to avoid contain invalid text."));

  if (self->kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO && is_blank (self->prompt))
    return fail (error, _("Describe what should happen in the clip."));
  if (self->prompt != NULL && g_utf8_strlen (self->prompt, -1) > KINEMA_PROMPT_MAX_CHARS)
    return fail (error, _("The description is too long: 2,500 characters at most."));
  if (self->negative_prompt != NULL &&
      g_utf8_strlen (self->negative_prompt, -1) > KINEMA_PROMPT_MAX_CHARS)
    return fail (error, _("The things to avoid are too long: 2,500 characters at most."));

  if ((guint) self->mode > KINEMA_MODE_4K)
    return fail (error, _("Choose a quality."));
  if (self->kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO && self->aspect_ratio == NULL)
    return fail (error, _("Choose the shape of the clip."));

  if (self->cfg_scale >= 0 && self->cfg_scale > 1)
    return fail (error, _("Creativity must be between 0 and 1."));

  has_image = !is_blank (self->image);
  has_tail = !is_blank (self->image_tail);

  if (self->kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO && (has_image || has_tail))
    return fail (error, _("Images can only be used for image-to-video."));
  if (self->kind == KINEMA_TASK_KIND_VIDEO_EXTEND && !validate_extension (self, has_image || has_tail, error))
    return FALSE;
  if (self->kind == KINEMA_TASK_KIND_IMAGE_TO_VIDEO && !has_image && !has_tail)
    return fail (error, _("Add a start image."));

  if (self->camera_type != KINEMA_CAMERA_NONE)
    {
      if (self->camera_type > KINEMA_CAMERA_LEFT_TURN_FORWARD)
        return fail (error, _("This camera movement is not known."));
      if (self->camera_type == KINEMA_CAMERA_SIMPLE)
        {
          if (self->camera_axis > KINEMA_CAMERA_AXIS_ZOOM)
            return fail (error, _("This camera movement is not known."));
          if (!(self->camera_value >= -10 && self->camera_value <= 10) || self->camera_value == 0)
            return fail (error, _("Camera movement strength must be between -10 and 10, and not 0."));
        }
    }

  /* What the model accepts in this kind, mode and duration: Kling's capability map
   * (data/capabilities.json), the same decision the CLI and the simulator make. */
  kinema_request_fill_query (self, &query);
  reason = kinema_capabilities_check (caps, &query, NULL);
  if (reason != NULL)
    return fail_reason (error, reason);
  return TRUE;
}

static const char *
enum_nick (GType type,
           int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev = g_enum_get_value (klass, value);

  return ev ? ev->value_nick : NULL;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *out)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *ev;

  if (nick == NULL)
    return FALSE;
  ev = g_enum_get_value_by_nick (klass, nick);
  if (ev == NULL)
    return FALSE;
  *out = ev->value;
  return TRUE;
}

JsonNode *
kinema_request_to_json (KinemaRequest *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (KINEMA_IS_REQUEST (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, enum_nick (KINEMA_TYPE_TASK_KIND, self->kind));
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, self->model);
  json_builder_set_member_name (builder, "prompt");
  json_builder_add_string_value (builder, self->prompt);
  json_builder_set_member_name (builder, "negative_prompt");
  json_builder_add_string_value (builder, self->negative_prompt);
  json_builder_set_member_name (builder, "image");
  json_builder_add_string_value (builder, self->image);
  json_builder_set_member_name (builder, "image_tail");
  json_builder_add_string_value (builder, self->image_tail);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, enum_nick (KINEMA_TYPE_MODE, self->mode));
  json_builder_set_member_name (builder, "duration");
  json_builder_add_int_value (builder, self->duration);
  json_builder_set_member_name (builder, "aspect_ratio");
  json_builder_add_string_value (builder, self->aspect_ratio);
  json_builder_set_member_name (builder, "cfg_scale");
  json_builder_add_double_value (builder, self->cfg_scale);
  json_builder_set_member_name (builder, "camera_type");
  json_builder_add_string_value (builder, enum_nick (KINEMA_TYPE_CAMERA_TYPE, self->camera_type));
  json_builder_set_member_name (builder, "camera_axis");
  json_builder_add_string_value (builder, enum_nick (KINEMA_TYPE_CAMERA_AXIS, self->camera_axis));
  json_builder_set_member_name (builder, "camera_value");
  json_builder_add_double_value (builder, self->camera_value);
  json_builder_set_member_name (builder, "external_task_id");
  json_builder_add_string_value (builder, self->external_task_id);
  if (self->video_id != NULL)
    {
      json_builder_set_member_name (builder, "video_id");
      json_builder_add_string_value (builder, self->video_id);
    }
  if (self->link_kind != KINEMA_LINK_NONE && self->parent_task_id != NULL)
    {
      json_builder_set_member_name (builder, "continues");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, enum_nick (KINEMA_TYPE_LINK_KIND, self->link_kind));
      json_builder_set_member_name (builder, "task_id");
      json_builder_add_string_value (builder, self->parent_task_id);
      if (self->parent_time >= 0)
        {
          json_builder_set_member_name (builder, "time");
          json_builder_add_double_value (builder, self->parent_time);
        }
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "sound");
  json_builder_add_boolean_value (builder, self->sound);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static const char *
member_string (JsonObject *obj,
               const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_number (JsonObject *obj,
               const char *name,
               double     *out)
{
  JsonNode *node = json_object_get_member (obj, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

KinemaRequest *
kinema_request_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(KinemaRequest) self = NULL;
  JsonObject *obj;
  JsonNode *link_node;
  int value;
  double number;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL,
                                                  "request is not a JSON object", NULL));
      return NULL;
    }
  obj = json_node_get_object (node);

  if (!enum_from_nick (KINEMA_TYPE_TASK_KIND, member_string (obj, "kind"), &value))
    {
      g_propagate_error (error, kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL,
                                                  "request has no valid kind", NULL));
      return NULL;
    }

  self = kinema_request_new (value);
  if (json_object_has_member (obj, "model"))
    kinema_request_set_model (self, member_string (obj, "model"));
  kinema_request_set_prompt (self, member_string (obj, "prompt"));
  kinema_request_set_negative_prompt (self, member_string (obj, "negative_prompt"));
  kinema_request_set_image (self, member_string (obj, "image"));
  kinema_request_set_image_tail (self, member_string (obj, "image_tail"));
  if (enum_from_nick (KINEMA_TYPE_MODE, member_string (obj, "mode"), &value))
    kinema_request_set_mode (self, value);
  if (member_number (obj, "duration", &number) && number >= 0 && number <= 3600)
    kinema_request_set_duration (self, (guint) number);
  if (json_object_has_member (obj, "aspect_ratio"))
    kinema_request_set_aspect_ratio (self, member_string (obj, "aspect_ratio"));
  if (member_number (obj, "cfg_scale", &number))
    kinema_request_set_cfg_scale (self, number);
  if (enum_from_nick (KINEMA_TYPE_CAMERA_TYPE, member_string (obj, "camera_type"), &value))
    kinema_request_set_camera_type (self, value);
  if (enum_from_nick (KINEMA_TYPE_CAMERA_AXIS, member_string (obj, "camera_axis"), &value))
    kinema_request_set_camera_axis (self, value);
  if (member_number (obj, "camera_value", &number))
    kinema_request_set_camera_value (self, number);
  kinema_request_set_external_task_id (self, member_string (obj, "external_task_id"));
  kinema_request_set_video_id (self, member_string (obj, "video_id"));

  link_node = json_object_get_member (obj, "continues");
  if (link_node != NULL && JSON_NODE_HOLDS_OBJECT (link_node))
    {
      JsonObject *link = json_node_get_object (link_node);
      const char *parent = member_string (link, "task_id");

      if (!member_number (link, "time", &number) || !(number >= 0 && number <= 24 * 3600))
        number = -1;
      if (parent != NULL && *parent != '\0' &&
          enum_from_nick (KINEMA_TYPE_LINK_KIND, member_string (link, "kind"), &value))
        kinema_request_set_link (self, value, parent, number);
    }
  if (json_object_has_member (obj, "sound") && JSON_NODE_HOLDS_VALUE (json_object_get_member (obj, "sound")) &&
      json_node_get_value_type (json_object_get_member (obj, "sound")) == G_TYPE_BOOLEAN)
    kinema_request_set_sound (self, json_object_get_boolean_member (obj, "sound"));

  return g_steal_pointer (&self);
}

KinemaRequest *
kinema_request_new_continuation (KinemaRequest *parent,
                                 const char    *parent_task_id,
                                 double         parent_time,
                                 const char    *start_image)
{
  KinemaRequest *self;

  g_return_val_if_fail (KINEMA_IS_REQUEST (parent), NULL);
  g_return_val_if_fail (parent_task_id != NULL, NULL);
  g_return_val_if_fail (start_image != NULL, NULL);

  /* Same model, mode, duration, prompts and motion settings; the frame becomes the
   * start image. An end frame of the parent is not the end of the continuation, and
   * an extension's video id means nothing to image-to-video. */
  self = kinema_request_copy (parent);
  kinema_request_set_kind (self, KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
  kinema_request_set_image (self, start_image);
  kinema_request_set_image_tail (self, NULL);
  kinema_request_set_video_id (self, NULL);
  kinema_request_set_external_task_id (self, NULL);
  kinema_request_set_link (self, KINEMA_LINK_CONTINUE, parent_task_id, parent_time);
  return self;
}

KinemaRequest *
kinema_request_new_extension (KinemaRequest *parent,
                              const char    *parent_task_id,
                              const char    *video_id,
                              double         parent_duration_s)
{
  KinemaRequest *self;

  g_return_val_if_fail (KINEMA_IS_REQUEST (parent), NULL);
  g_return_val_if_fail (parent_task_id != NULL, NULL);

  /* Kling extends with the source's model and mode and takes only video_id, prompt,
   * negative_prompt and cfg_scale (Kling docs, "Video Extension"): the rest of the
   * parent's settings are kept for the history but cleared where they would be sent. The
   * duration stays the source's own setting, which the capability map's video-extend
   * rows are written against. */
  self = kinema_request_copy (parent);
  kinema_request_set_kind (self, KINEMA_TASK_KIND_VIDEO_EXTEND);
  kinema_request_set_image (self, NULL);
  kinema_request_set_image_tail (self, NULL);
  kinema_request_set_camera_type (self, KINEMA_CAMERA_NONE);
  kinema_request_set_sound (self, FALSE);
  kinema_request_set_external_task_id (self, NULL);
  kinema_request_set_video_id (self, video_id);
  kinema_request_set_link (self, KINEMA_LINK_EXTEND, parent_task_id, parent_duration_s);
  return self;
}
