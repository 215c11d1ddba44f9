/* kinema-capabilities.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-capabilities"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "kinema-capabilities.h"
#include "kinema-core-resources.h"
#include "kinema-error.h"
#include "kinema-json.h"

#define RESOURCE_PATH "/io/github/kinema/core/capabilities.json"
#define MAX_DEPTH 8
#define MAX_STRING 1024
#define MAX_EXCLUSIVE 8
#define MAX_ASPECT_RATIOS 8

#define BIT(x) (1u << (x))

typedef struct
{
  guint mask[MAX_EXCLUSIVE];
  guint n;
} Exclusive;

typedef struct
{
  KinemaTaskKind kind;
  guint          modes;     /* BIT (KinemaMode) */
  guint64        durations; /* BIT (seconds) */
  guint          features;  /* BIT (KinemaFeature), optional features only */
  guint          cameras;   /* BIT (KinemaCameraType) */
  Exclusive      exclusive;
} Offer;

typedef struct
{
  char   *id;
  char   *label;
  GArray *offers;
} Model;

struct _KinemaCapabilities
{
  GObject parent_instance;

  GPtrArray *models;
  GStrv      aspect_ratios;
  Exclusive  exclusive;
};

G_DEFINE_FINAL_TYPE (KinemaCapabilities, kinema_capabilities, G_TYPE_OBJECT)

static const struct
{
  const char   *name;
  KinemaFeature feature;
} feature_names[] = {
  { "end_frame", KINEMA_FEATURE_END_FRAME },
  { "end_frame_only", KINEMA_FEATURE_END_FRAME_ONLY },
  { "camera_control", KINEMA_FEATURE_CAMERA_CONTROL },
  { "cfg_scale", KINEMA_FEATURE_CFG_SCALE },
  { "sound", KINEMA_FEATURE_SOUND },
  { "negative_prompt", KINEMA_FEATURE_NEGATIVE_PROMPT },
};

static const char *const camera_names[] = {
  NULL,
  "simple",
  "down_back",
  "forward_up",
  "right_turn_forward",
  "left_turn_forward",
};

static const char *const mode_names[] = { "std", "pro", "4k" };

static void
model_free (gpointer data)
{
  Model *model = data;

  g_free (model->id);
  g_free (model->label);
  g_clear_pointer (&model->offers, g_array_unref);
  g_free (model);
}

static void
kinema_capabilities_finalize (GObject *object)
{
  KinemaCapabilities *self = KINEMA_CAPABILITIES (object);

  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->aspect_ratios, g_strfreev);

  G_OBJECT_CLASS (kinema_capabilities_parent_class)->finalize (object);
}

static void
kinema_capabilities_class_init (KinemaCapabilitiesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kinema_capabilities_finalize;
}

static void
kinema_capabilities_init (KinemaCapabilities *self)
{
  self->models = g_ptr_array_new_with_free_func (model_free);
}

/* --- Modes ------------------------------------------------------------------------- */

const char *
kinema_mode_to_string (KinemaMode mode)
{
  if ((guint) mode < G_N_ELEMENTS (mode_names))
    return mode_names[mode];
  return "std";
}

gboolean
kinema_mode_from_string (const char *nick,
                         KinemaMode *out_mode)
{
  for (guint i = 0; nick != NULL && i < G_N_ELEMENTS (mode_names); i++)
    if (g_str_equal (nick, mode_names[i]))
      {
        if (out_mode != NULL)
          *out_mode = (KinemaMode) i;
        return TRUE;
      }
  return FALSE;
}

const char *
kinema_mode_get_label (KinemaMode mode)
{
  switch (mode)
    {
    case KINEMA_MODE_PRO:
      /* Translators: a quality tier of a clip */
      return _("High (pro)");
    case KINEMA_MODE_4K:
      /* Translators: a quality tier of a clip: 4K resolution */
      return _("4K");
    case KINEMA_MODE_STD:
    default:
      /* Translators: a quality tier of a clip */
      return _("Standard");
    }
}

/* --- Loading ----------------------------------------------------------------------- */

static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  g_autofree char *details = NULL;
  va_list          args;

  va_start (args, format);
  details = g_strdup_vprintf (format, args);
  va_end (args);

  g_propagate_error (error, kinema_error_new (KINEMA_ERROR_BAD_REPLY, 0, NULL, details, NULL));
  return FALSE;
}

static const char *
get_string (JsonObject *obj,
            const char *name)
{
  JsonNode   *node = json_object_get_member (obj, name);
  const char *str;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  str = json_node_get_string (node);
  if (str == NULL || *str == '\0' || strlen (str) > MAX_STRING || !g_utf8_validate (str, -1, NULL))
    return NULL;
  return str;
}

static JsonArray *
get_array (JsonObject *obj,
           const char *name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static gboolean
get_second (JsonNode *node,
            guint    *out)
{
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  value = json_node_get_int (node);
  if (value < 1 || value > KINEMA_CAPABILITIES_MAX_SECONDS)
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

static const char *
element_string (JsonArray *array,
                guint      i)
{
  JsonNode *node = json_array_get_element (array, i);

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
feature_from_name (const char    *name,
                   KinemaFeature *out)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (feature_names); i++)
    if (g_str_equal (name, feature_names[i].name))
      {
        *out = feature_names[i].feature;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_exclusive_pair (JsonArray  *pair,
                      Exclusive  *exclusive,
                      const char *where,
                      GError    **error)
{
  guint mask = 0;

  if (pair == NULL || json_array_get_length (pair) != 2)
    return invalid (error, "%s: an exclusive entry must name two features", where);
  for (guint i = 0; i < 2; i++)
    {
      KinemaFeature feature;

      if (!feature_from_name (element_string (pair, i), &feature))
        return invalid (error, "%s: unknown feature in an exclusive entry", where);
      mask |= BIT (feature);
    }
  if (exclusive->n >= MAX_EXCLUSIVE)
    return invalid (error, "%s: too many exclusive entries", where);
  exclusive->mask[exclusive->n++] = mask;
  return TRUE;
}

static gboolean
parse_offer (JsonNode   *node,
             Offer      *offer,
             const char *model_id,
             GError    **error)
{
  JsonObject *obj;
  JsonArray  *modes, *durations, *range, *features, *cameras, *exclusive;
  const char *kind;

  memset (offer, 0, sizeof *offer);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "%s: an offer is not an object", model_id);
  obj = json_node_get_object (node);

  if (get_string (obj, "source") == NULL)
    return invalid (error, "%s: an offer does not name its source", model_id);

  kind = get_string (obj, "kind");
  if (g_strcmp0 (kind, "text-to-video") == 0)
    offer->kind = KINEMA_TASK_KIND_TEXT_TO_VIDEO;
  else if (g_strcmp0 (kind, "image-to-video") == 0)
    offer->kind = KINEMA_TASK_KIND_IMAGE_TO_VIDEO;
  else if (g_strcmp0 (kind, "video-extend") == 0)
    /* Its modes and durations are those of the clip being extended: the extension
     * keeps the source's model and mode (Kling docs, "Video Extension"). */
    offer->kind = KINEMA_TASK_KIND_VIDEO_EXTEND;
  else
    return invalid (error, "%s: an offer has no known kind", model_id);

  modes = get_array (obj, "modes");
  if (modes == NULL || json_array_get_length (modes) == 0 ||
      json_array_get_length (modes) > G_N_ELEMENTS (mode_names))
    return invalid (error, "%s: an offer has no modes", model_id);
  for (guint i = 0; i < json_array_get_length (modes); i++)
    {
      KinemaMode mode;

      if (!kinema_mode_from_string (element_string (modes, i), &mode))
        return invalid (error, "%s: unknown mode", model_id);
      offer->modes |= BIT (mode);
    }

  durations = get_array (obj, "durations");
  range = get_array (obj, "duration_range");
  if ((durations == NULL) == (range == NULL))
    return invalid (error, "%s: an offer needs either durations or duration_range", model_id);
  if (durations != NULL)
    {
      if (json_array_get_length (durations) == 0 ||
          json_array_get_length (durations) > KINEMA_CAPABILITIES_MAX_SECONDS)
        return invalid (error, "%s: bad durations", model_id);
      for (guint i = 0; i < json_array_get_length (durations); i++)
        {
          guint seconds;

          if (!get_second (json_array_get_element (durations, i), &seconds))
            return invalid (error, "%s: a duration is not a whole number of 1 to %d seconds", model_id,
                            KINEMA_CAPABILITIES_MAX_SECONDS);
          offer->durations |= G_GUINT64_CONSTANT (1) << seconds;
        }
    }
  else
    {
      guint from, to;

      if (json_array_get_length (range) != 2 ||
          !get_second (json_array_get_element (range, 0), &from) ||
          !get_second (json_array_get_element (range, 1), &to) || from > to)
        return invalid (error, "%s: bad duration_range", model_id);
      for (guint s = from; s <= to; s++)
        offer->durations |= G_GUINT64_CONSTANT (1) << s;
    }

  features = get_array (obj, "features");
  if (features != NULL)
    {
      if (json_array_get_length (features) > G_N_ELEMENTS (feature_names))
        return invalid (error, "%s: too many features", model_id);
      for (guint i = 0; i < json_array_get_length (features); i++)
        {
          KinemaFeature feature;

          if (!feature_from_name (element_string (features, i), &feature))
            return invalid (error, "%s: unknown feature", model_id);
          offer->features |= BIT (feature);
        }
    }
  if ((offer->features & BIT (KINEMA_FEATURE_END_FRAME_ONLY)) && offer->kind != KINEMA_TASK_KIND_IMAGE_TO_VIDEO)
    return invalid (error, "%s: end frames belong to image-to-video offers", model_id);
  if ((offer->features & BIT (KINEMA_FEATURE_END_FRAME)) && offer->kind != KINEMA_TASK_KIND_IMAGE_TO_VIDEO)
    return invalid (error, "%s: end frames belong to image-to-video offers", model_id);

  cameras = get_array (obj, "camera_types");
  if ((cameras != NULL) != ((offer->features & BIT (KINEMA_FEATURE_CAMERA_CONTROL)) != 0))
    return invalid (error, "%s: camera_types goes with camera_control and only with it", model_id);
  if (cameras != NULL)
    {
      if (json_array_get_length (cameras) == 0 || json_array_get_length (cameras) >= G_N_ELEMENTS (camera_names))
        return invalid (error, "%s: bad camera_types", model_id);
      for (guint i = 0; i < json_array_get_length (cameras); i++)
        {
          const char *name = element_string (cameras, i);
          guint       found = 0;

          for (guint c = 1; name != NULL && c < G_N_ELEMENTS (camera_names); c++)
            if (g_str_equal (name, camera_names[c]))
              found = c;
          if (found == 0)
            return invalid (error, "%s: unknown camera type", model_id);
          offer->cameras |= BIT (found);
        }
    }

  exclusive = get_array (obj, "exclusive");
  if (exclusive != NULL)
    for (guint i = 0; i < json_array_get_length (exclusive); i++)
      {
        JsonNode *pair = json_array_get_element (exclusive, i);

        if (!parse_exclusive_pair (JSON_NODE_HOLDS_ARRAY (pair) ? json_node_get_array (pair) : NULL,
                                   &offer->exclusive, model_id, error))
          return FALSE;
      }

  return TRUE;
}

static gboolean
overlaps (const Offer *a,
          const Offer *b)
{
  return a->kind == b->kind && (a->modes & b->modes) != 0 && (a->durations & b->durations) != 0;
}

static gboolean
parse_model (KinemaCapabilities *self,
             JsonNode           *node,
             GError            **error)
{
  g_autoptr(GArray) offers = NULL;
  JsonObject *obj;
  JsonArray  *array;
  const char *id, *label;
  Model      *model;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return invalid (error, "a model is not an object");
  obj = json_node_get_object (node);

  id = get_string (obj, "id");
  label = get_string (obj, "label");
  if (id == NULL || strlen (id) > 64 || label == NULL || strlen (label) > 64)
    return invalid (error, "a model needs an id and a label");
  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return invalid (error, "model id “%s” has characters other than letters, digits, '-', '.', '_'", id);
  if (kinema_capabilities_has_model (self, id))
    return invalid (error, "model %s is listed twice", id);

  array = get_array (obj, "offers");
  if (array == NULL || json_array_get_length (array) == 0 ||
      json_array_get_length (array) > KINEMA_CAPABILITIES_MAX_OFFERS)
    return invalid (error, "%s: 1 to %d offers needed", id, KINEMA_CAPABILITIES_MAX_OFFERS);

  offers = g_array_new (FALSE, TRUE, sizeof (Offer));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      Offer offer;

      if (!parse_offer (json_array_get_element (array, i), &offer, id, error))
        return FALSE;
      for (guint j = 0; j < offers->len; j++)
        if (overlaps (&offer, &g_array_index (offers, Offer, j)))
          return invalid (error, "%s: two offers cover the same kind, mode and duration", id);
      g_array_append_val (offers, offer);
    }

  model = g_new0 (Model, 1);
  model->id = g_strdup (id);
  model->label = g_strdup (label);
  model->offers = g_steal_pointer (&offers);
  g_ptr_array_add (self->models, model);
  return TRUE;
}

static gboolean
load_map (KinemaCapabilities *self,
          GBytes             *json,
          GError            **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local = NULL;
  JsonObject   *root;
  JsonArray    *models, *ratios, *exclusive;
  JsonNode     *format;
  gconstpointer data;
  gsize         len = 0;

  data = g_bytes_get_data (json, &len);
  if (len == 0 || len > KINEMA_CAPABILITIES_MAX_BYTES)
    return invalid (error, "the capability map is empty or larger than %d bytes",
                    KINEMA_CAPABILITIES_MAX_BYTES);
  /* The one door for JSON into json-glib (kinema-json.h); a map needs 4 levels. */
  if (!kinema_json_check_depth (data, (gssize) len, MAX_DEPTH))
    return invalid (error, "the capability map is nested too deeply");

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    return invalid (error, "the capability map is not JSON: %s", local->message);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (error, "the capability map is not a JSON object");
  root = json_node_get_object (json_parser_get_root (parser));

  format = json_object_get_member (root, "format");
  if (format == NULL || !JSON_NODE_HOLDS_VALUE (format) || json_node_get_value_type (format) != G_TYPE_INT64 ||
      json_node_get_int (format) != 1)
    return invalid (error, "the capability map is not of format 1");

  ratios = get_array (root, "text_to_video_aspect_ratios");
  if (ratios == NULL || json_array_get_length (ratios) == 0 || json_array_get_length (ratios) > MAX_ASPECT_RATIOS)
    return invalid (error, "the capability map lists no text-to-video aspect ratios");
  self->aspect_ratios = g_new0 (char *, json_array_get_length (ratios) + 1);
  for (guint i = 0; i < json_array_get_length (ratios); i++)
    {
      const char *ratio = element_string (ratios, i);
      guint       w = 0, h = 0;
      char        tail = 0;

      if (ratio == NULL || strlen (ratio) > 8 || sscanf (ratio, "%u:%u%c", &w, &h, &tail) != 2 || w == 0 || h == 0)
        return invalid (error, "bad aspect ratio in the capability map");
      self->aspect_ratios[i] = g_strdup (ratio);
    }

  exclusive = get_array (root, "exclusive");
  if (exclusive != NULL)
    for (guint i = 0; i < json_array_get_length (exclusive); i++)
      {
        JsonNode   *entry = json_array_get_element (exclusive, i);
        JsonObject *obj = JSON_NODE_HOLDS_OBJECT (entry) ? json_node_get_object (entry) : NULL;

        if (obj == NULL || get_string (obj, "source") == NULL)
          return invalid (error, "an exclusive rule does not name its source");
        if (!parse_exclusive_pair (get_array (obj, "features"), &self->exclusive, "exclusive", error))
          return FALSE;
      }

  models = get_array (root, "models");
  if (models == NULL || json_array_get_length (models) == 0 ||
      json_array_get_length (models) > KINEMA_CAPABILITIES_MAX_MODELS)
    return invalid (error, "the capability map needs 1 to %d models", KINEMA_CAPABILITIES_MAX_MODELS);
  for (guint i = 0; i < json_array_get_length (models); i++)
    if (!parse_model (self, json_array_get_element (models, i), error))
      return FALSE;

  return TRUE;
}

KinemaCapabilities *
kinema_capabilities_new_from_bytes (GBytes  *json,
                                    GError **error)
{
  g_autoptr(KinemaCapabilities) self = NULL;

  g_return_val_if_fail (json != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KINEMA_TYPE_CAPABILITIES, NULL);
  if (!load_map (self, json, error))
    return NULL;
  return g_steal_pointer (&self);
}

KinemaCapabilities *
kinema_capabilities_get_default (void)
{
  static gsize instance = 0;

  if (g_once_init_enter (&instance))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      KinemaCapabilities *loaded;

      bytes = g_resource_lookup_data (kinema_core_get_resource (), RESOURCE_PATH,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("The capability map is missing from the resources: %s", error->message);
      loaded = kinema_capabilities_new_from_bytes (bytes, &error);
      if (loaded == NULL)
        g_error ("The shipped capability map is broken: %s", error->message);
      g_once_init_leave (&instance, (gsize) loaded);
    }
  return (KinemaCapabilities *) instance;
}

/* --- Queries ----------------------------------------------------------------------- */

static const Model *
find_model (KinemaCapabilities *self,
            const char         *id)
{
  for (guint i = 0; id != NULL && i < self->models->len; i++)
    {
      const Model *model = g_ptr_array_index (self->models, i);

      if (g_str_equal (model->id, id))
        return model;
    }
  return NULL;
}

guint
kinema_capabilities_get_n_models (KinemaCapabilities *self)
{
  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), 0);
  return self->models->len;
}

const char *
kinema_capabilities_get_model_id (KinemaCapabilities *self,
                                  guint               index)
{
  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), NULL);
  g_return_val_if_fail (index < self->models->len, NULL);
  return ((Model *) g_ptr_array_index (self->models, index))->id;
}

const char *
kinema_capabilities_get_label (KinemaCapabilities *self,
                               const char         *model)
{
  const Model *found;

  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), NULL);
  found = find_model (self, model);
  return found != NULL ? found->label : NULL;
}

gboolean
kinema_capabilities_has_model (KinemaCapabilities *self,
                               const char         *model)
{
  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), FALSE);
  return find_model (self, model) != NULL;
}

const char *const *
kinema_capabilities_get_aspect_ratios (KinemaCapabilities *self)
{
  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), NULL);
  return (const char *const *) self->aspect_ratios;
}

static gboolean
offer_has_duration (const Offer *offer,
                    guint        seconds)
{
  return seconds >= 1 && seconds <= KINEMA_CAPABILITIES_MAX_SECONDS &&
         (offer->durations & (G_GUINT64_CONSTANT (1) << seconds)) != 0;
}

static gboolean
offer_has_mode (const Offer *offer,
                KinemaMode   mode)
{
  return (guint) mode < G_N_ELEMENTS (mode_names) && (offer->modes & BIT (mode)) != 0;
}

static const Offer *
find_offer (const Model   *model,
            KinemaTaskKind kind,
            KinemaMode     mode,
            guint          seconds)
{
  for (guint i = 0; i < model->offers->len; i++)
    {
      const Offer *offer = &g_array_index (model->offers, Offer, i);

      if (offer->kind == kind && offer_has_mode (offer, mode) && offer_has_duration (offer, seconds))
        return offer;
    }
  return NULL;
}

gboolean
kinema_capabilities_model_has (KinemaCapabilities *self,
                               const char         *model,
                               int                 kind,
                               KinemaFeature       feature)
{
  const Model *found;

  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), FALSE);

  found = find_model (self, model);
  for (guint i = 0; found != NULL && i < found->offers->len; i++)
    {
      const Offer *offer = &g_array_index (found->offers, Offer, i);

      if (kind >= 0 && offer->kind != (KinemaTaskKind) kind)
        continue;
      if (feature == KINEMA_FEATURE_KIND || feature == KINEMA_FEATURE_MODE ||
          feature == KINEMA_FEATURE_DURATION || (offer->features & BIT (feature)))
        return TRUE;
    }
  return FALSE;
}

gboolean
kinema_capabilities_offers_mode (KinemaCapabilities *self,
                                 const char         *model,
                                 KinemaTaskKind      kind,
                                 KinemaMode          mode)
{
  const Model *found;

  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), FALSE);

  found = find_model (self, model);
  for (guint i = 0; found != NULL && i < found->offers->len; i++)
    {
      const Offer *offer = &g_array_index (found->offers, Offer, i);

      if (offer->kind == kind && offer_has_mode (offer, mode))
        return TRUE;
    }
  return FALSE;
}

static guint64
durations_where (const Model   *model,
                 KinemaTaskKind kind,
                 int            mode,
                 int            feature)
{
  guint64 all = 0;

  for (guint i = 0; model != NULL && i < model->offers->len; i++)
    {
      const Offer *offer = &g_array_index (model->offers, Offer, i);

      if (offer->kind != kind || (mode >= 0 && !offer_has_mode (offer, (KinemaMode) mode)) ||
          (feature >= 0 && !(offer->features & BIT (feature))))
        continue;
      all |= offer->durations;
    }
  return all;
}

static guint
modes_where (const Model   *model,
             KinemaTaskKind kind,
             int            feature)
{
  guint all = 0;

  for (guint i = 0; model != NULL && i < model->offers->len; i++)
    {
      const Offer *offer = &g_array_index (model->offers, Offer, i);

      if (offer->kind == kind && (feature < 0 || (offer->features & BIT (feature))))
        all |= offer->modes;
    }
  return all;
}

GArray *
kinema_capabilities_list_durations (KinemaCapabilities *self,
                                    const char         *model,
                                    KinemaTaskKind      kind,
                                    KinemaMode          mode)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (guint));
  guint64 bits;

  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), list);

  bits = durations_where (find_model (self, model), kind, mode, -1);
  for (guint s = 1; s <= KINEMA_CAPABILITIES_MAX_SECONDS; s++)
    if (bits & (G_GUINT64_CONSTANT (1) << s))
      g_array_append_val (list, s);
  return list;
}

/* --- Reasons ----------------------------------------------------------------------- */

/* "5", "5 or 10", "3 to 15", "5, 8 or 10": plain words for a set of durations. */
static char *
describe_durations (guint64 bits)
{
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (guint));
  GString *str;

  for (guint s = 1; s <= KINEMA_CAPABILITIES_MAX_SECONDS; s++)
    if (bits & (G_GUINT64_CONSTANT (1) << s))
      g_array_append_val (list, s);

  if (list->len == 0)
    return g_strdup ("");
  if (list->len == 1)
    return g_strdup_printf ("%u", g_array_index (list, guint, 0));
  if (list->len > 2 &&
      g_array_index (list, guint, list->len - 1) - g_array_index (list, guint, 0) == list->len - 1)
    /* Translators: a range of clip lengths in seconds, like “3 to 15” */
    return g_strdup_printf (_("%u to %u"), g_array_index (list, guint, 0),
                               g_array_index (list, guint, list->len - 1));

  str = g_string_new (NULL);
  for (guint i = 0; i < list->len; i++)
    {
      if (i > 0 && i == list->len - 1)
        /* Translators: the word between the last two of a list of lengths, like “5 or 10” */
        g_string_append (str, _(" or "));
      else if (i > 0)
        g_string_append (str, ", ");
      g_string_append_printf (str, "%u", g_array_index (list, guint, i));
    }
  return g_string_free (str, FALSE);
}

static char *
describe_modes (guint bits)
{
  GString *str = g_string_new (NULL);
  guint    n = 0, count = 0;

  for (guint m = 0; m < G_N_ELEMENTS (mode_names); m++)
    if (bits & BIT (m))
      count++;
  for (guint m = 0; m < G_N_ELEMENTS (mode_names); m++)
    if (bits & BIT (m))
      {
        if (n > 0 && n == count - 1)
          g_string_append (str, _(" or "));
        else if (n > 0)
          g_string_append (str, ", ");
        g_string_append (str, kinema_mode_get_label ((KinemaMode) m));
        n++;
      }
  return g_string_free (str, FALSE);
}

/* A noun phrase for a feature, to fill in the sentences below. */
static const char *
feature_phrase (KinemaFeature feature)
{
  switch (feature)
    {
    case KINEMA_FEATURE_END_FRAME:
      return _("an end frame");
    case KINEMA_FEATURE_END_FRAME_ONLY:
      return _("an end frame without a start frame");
    case KINEMA_FEATURE_CAMERA_CONTROL:
      return _("camera movement");
    case KINEMA_FEATURE_CFG_SCALE:
      return _("the creativity setting");
    case KINEMA_FEATURE_SOUND:
      return _("sound");
    case KINEMA_FEATURE_NEGATIVE_PROMPT:
      return _("things to avoid");
    case KINEMA_FEATURE_KIND:
    case KINEMA_FEATURE_MODE:
    case KINEMA_FEATURE_DURATION:
    case KINEMA_FEATURE_ASPECT_RATIO:
    default:
      return "";
    }
}

static char *
capitalize_first (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char     buf[8];
  int      len = g_unichar_to_utf8 (g_unichar_toupper (first), buf);

  return g_strdup_printf ("%.*s%s", len, buf, g_utf8_next_char (text));
}

static char *
unknown_model (const char *id)
{
  return g_strdup_printf (_("“%s” is not a model Kinema knows."), id ? id : "");
}

static char *
kind_reason (const Model   *model,
             KinemaTaskKind kind)
{
  if (kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO)
    /* Translators: %s is a model name like “Kling 1.5” */
    return g_strdup_printf (_("%s needs a start image."), model->label);
  if (kind == KINEMA_TASK_KIND_VIDEO_EXTEND)
    /* Translators: %s is a model name like “Kling 1.5” */
    return g_strdup_printf (_("Kling cannot extend clips made with %s."), model->label);
  return g_strdup_printf (_("%s cannot start from an image."), model->label);
}

static char *
mode_reason (const Model   *model,
             KinemaTaskKind kind)
{
  g_autofree char *modes = describe_modes (modes_where (model, kind, -1));

  /* Translators: %1$s is a model name, %2$s quality tiers like “Standard or High quality” */
  return g_strdup_printf (_("%1$s makes clips in %2$s only."), model->label, modes);
}

static char *
duration_reason (const Model   *model,
                 KinemaTaskKind kind,
                 KinemaMode     mode)
{
  guint64          in_mode = durations_where (model, kind, mode, -1);
  g_autofree char *lengths = describe_durations (in_mode != 0 ? in_mode
                                                              : durations_where (model, kind, -1, -1));

  /* Translators: %1$s is a model name, %2$s lengths like “5 or 10” or “3 to 15” */
  return g_strdup_printf (_("%1$s makes clips of %2$s seconds."), model->label, lengths);
}

static guint
used_features (const KinemaCapabilityQuery *query)
{
  guint used = 0;

  if (query->has_end_frame)
    used |= BIT (query->has_image ? KINEMA_FEATURE_END_FRAME : KINEMA_FEATURE_END_FRAME_ONLY);
  if (query->camera != KINEMA_CAMERA_NONE)
    used |= BIT (KINEMA_FEATURE_CAMERA_CONTROL);
  if (query->cfg_scale)
    used |= BIT (KINEMA_FEATURE_CFG_SCALE);
  if (query->sound)
    used |= BIT (KINEMA_FEATURE_SOUND);
  if (query->negative_prompt)
    used |= BIT (KINEMA_FEATURE_NEGATIVE_PROMPT);
  return used;
}

static char *
exclusive_reason (const Exclusive *exclusive,
                  KinemaFeature    feature,
                  guint            others)
{
  for (guint i = 0; i < exclusive->n; i++)
    {
      guint mask = exclusive->mask[i];

      if ((mask & BIT (feature)) && (mask & others & ~BIT (feature)))
        {
          guint            other_bit = mask & ~BIT (feature);
          KinemaFeature    other = (KinemaFeature) g_bit_nth_lsf (other_bit, -1);
          g_autofree char *first = capitalize_first (feature_phrase (feature));

          /* Translators: two features, like “Sound cannot be combined with an end frame.” */
          return g_strdup_printf (_("%1$s cannot be combined with %2$s."), first, feature_phrase (other));
        }
    }
  return NULL;
}

/* Why an optional @feature is not available for @query (whose own use of it is ignored). */
static char *
optional_reason (KinemaCapabilities          *self,
                 const Model                 *model,
                 const KinemaCapabilityQuery *query,
                 KinemaFeature                feature)
{
  const Offer *offer;
  guint        others = used_features (query) & ~BIT (feature);
  guint        modes;
  guint64      lengths;
  char        *reason;

  if ((feature == KINEMA_FEATURE_END_FRAME || feature == KINEMA_FEATURE_END_FRAME_ONLY) &&
      query->kind != KINEMA_TASK_KIND_IMAGE_TO_VIDEO)
    return g_strdup (_("An end frame needs a start image."));

  if (feature == KINEMA_FEATURE_END_FRAME || feature == KINEMA_FEATURE_END_FRAME_ONLY)
    others &= ~(BIT (KINEMA_FEATURE_END_FRAME) | BIT (KINEMA_FEATURE_END_FRAME_ONLY));

  modes = modes_where (model, query->kind, feature);
  if (modes == 0 && feature == KINEMA_FEATURE_END_FRAME_ONLY)
    return g_strdup (_("An end frame needs a start image."));
  if (modes == 0)
    /* Translators: %1$s is a model name, %2$s a feature like “an end frame” */
    return g_strdup_printf (_("%1$s cannot use %2$s."), model->label, feature_phrase (feature));
  if (!(modes & BIT (query->mode)))
    {
      g_autofree char *names = describe_modes (modes);

      /* Translators: %1$s is a model name, %2$s a feature like “an end frame”, %3$s quality tiers */
      return g_strdup_printf (_("%1$s can use %2$s only in %3$s quality."), model->label,
                                 feature_phrase (feature), names);
    }
  lengths = durations_where (model, query->kind, query->mode, feature);
  offer = find_offer (model, query->kind, query->mode, query->duration);
  if (offer == NULL || !(offer->features & BIT (feature)))
    {
      g_autofree char *names = describe_durations (lengths);

      /* Translators: %1$s is a model name, %2$s a feature like “an end frame”, %3$s lengths like “5” */
      return g_strdup_printf (_("%1$s can use %2$s only in clips of %3$s seconds."), model->label,
                                 feature_phrase (feature), names);
    }

  if (feature == KINEMA_FEATURE_CAMERA_CONTROL && query->camera != KINEMA_CAMERA_NONE &&
      (guint) query->camera < G_N_ELEMENTS (camera_names) && !(offer->cameras & BIT (query->camera)))
    {
      if (offer->cameras == BIT (KINEMA_CAMERA_SIMPLE))
        /* Translators: %s is a model name */
        return g_strdup_printf (_("%s can only move the camera in one direction here."), model->label);
      return g_strdup_printf (_("%s cannot make this camera movement here."), model->label);
    }

  reason = exclusive_reason (&offer->exclusive, feature, others);
  if (reason == NULL)
    reason = exclusive_reason (&self->exclusive, feature, others);
  return reason;
}

char *
kinema_capabilities_dup_reason (KinemaCapabilities          *self,
                                const KinemaCapabilityQuery *query,
                                KinemaFeature                feature)
{
  const Model *model;

  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  model = find_model (self, query->model);
  if (model == NULL)
    return unknown_model (query->model);

  switch (feature)
    {
    case KINEMA_FEATURE_KIND:
      return modes_where (model, query->kind, -1) == 0 ? kind_reason (model, query->kind) : NULL;

    case KINEMA_FEATURE_MODE:
      if (modes_where (model, query->kind, -1) == 0)
        return kind_reason (model, query->kind);
      return !(modes_where (model, query->kind, -1) & BIT (query->mode)) ? mode_reason (model, query->kind)
                                                                         : NULL;

    case KINEMA_FEATURE_DURATION:
      if (modes_where (model, query->kind, -1) == 0)
        return kind_reason (model, query->kind);
      return find_offer (model, query->kind, query->mode, query->duration) == NULL
                 ? duration_reason (model, query->kind, query->mode)
                 : NULL;

    case KINEMA_FEATURE_ASPECT_RATIO:
      if (query->kind == KINEMA_TASK_KIND_IMAGE_TO_VIDEO)
        return g_strdup (_("The shape follows the start frame."));
      if (query->aspect_ratio != NULL && !g_strv_contains ((const char *const *) self->aspect_ratios,
                                                           query->aspect_ratio))
        {
          g_autofree char *list = g_strjoinv (", ", self->aspect_ratios);

          /* Translators: %s is a list of shapes like “16:9, 9:16, 1:1” */
          return g_strdup_printf (_("Choose one of these shapes: %s."), list);
        }
      return NULL;

    case KINEMA_FEATURE_END_FRAME:
    case KINEMA_FEATURE_END_FRAME_ONLY:
    case KINEMA_FEATURE_CAMERA_CONTROL:
    case KINEMA_FEATURE_CFG_SCALE:
    case KINEMA_FEATURE_SOUND:
    case KINEMA_FEATURE_NEGATIVE_PROMPT:
      if (modes_where (model, query->kind, -1) == 0 && query->kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO &&
          feature != KINEMA_FEATURE_END_FRAME && feature != KINEMA_FEATURE_END_FRAME_ONLY)
        return kind_reason (model, query->kind);
      return optional_reason (self, model, query, feature);

    default:
      return NULL;
    }
}

char *
kinema_capabilities_check (KinemaCapabilities          *self,
                           const KinemaCapabilityQuery *query,
                           KinemaFeature               *out_feature)
{
  static const KinemaFeature order[] = {
    KINEMA_FEATURE_KIND,
    KINEMA_FEATURE_MODE,
    KINEMA_FEATURE_DURATION,
    KINEMA_FEATURE_ASPECT_RATIO,
  };
  static const KinemaFeature optional[] = {
    KINEMA_FEATURE_END_FRAME,
    KINEMA_FEATURE_END_FRAME_ONLY,
    KINEMA_FEATURE_CAMERA_CONTROL,
    KINEMA_FEATURE_CFG_SCALE,
    KINEMA_FEATURE_SOUND,
    KINEMA_FEATURE_NEGATIVE_PROMPT,
  };
  guint used;

  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      char *reason;

      if (order[i] == KINEMA_FEATURE_ASPECT_RATIO && query->kind != KINEMA_TASK_KIND_TEXT_TO_VIDEO)
        continue;
      reason = kinema_capabilities_dup_reason (self, query, order[i]);
      if (reason != NULL)
        {
          if (out_feature != NULL)
            *out_feature = order[i];
          return reason;
        }
    }

  used = used_features (query);
  for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
    {
      char *reason;

      if (!(used & BIT (optional[i])))
        continue;
      reason = kinema_capabilities_dup_reason (self, query, optional[i]);
      if (reason != NULL)
        {
          if (out_feature != NULL)
            *out_feature = optional[i];
          return reason;
        }
    }
  return NULL;
}

gboolean
kinema_capabilities_sends_sound (KinemaCapabilities          *self,
                                 const KinemaCapabilityQuery *query)
{
  const Model *model;
  const Offer *offer;

  g_return_val_if_fail (KINEMA_IS_CAPABILITIES (self), FALSE);

  model = find_model (self, query->model);
  if (model == NULL)
    return FALSE;
  offer = find_offer (model, query->kind, query->mode, query->duration);
  return offer != NULL && (offer->features & BIT (KINEMA_FEATURE_SOUND)) != 0;
}
