/* kinema-composer.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-composer"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "kinema-composer.h"
#include "kinema-cost-table.h"
#include "kinema-models.h"
#include "kinema-sidecar.h"

struct _KinemaComposer
{
  GtkWidget parent_instance;

  GtkWidget      *scrolled;
  KinemaDropZone *start_zone;
  KinemaDropZone *end_zone;
  GtkWidget      *frames_caption;
  GtkWidget      *prompt_heading;
  GtkWidget      *counter_label;
  GtkWidget      *prompt_view;
  GtkWidget      *prompt_placeholder;
  GtkWidget      *negative_expander;
  GtkWidget      *negative_view;
  GtkWidget      *negative_counter_label;
  GtkWidget      *options_group;
  GtkWidget      *model_row;
  GtkWidget      *mode_row;
  GtkWidget      *duration_row;
  GtkWidget      *sound_row;
  GtkWidget      *sound_switch;
  GtkWidget      *aspect_row;
  GtkWidget      *image_shape_row;
  GtkWidget      *image_shape_label;
  GtkWidget      *cfg_row;
  GtkWidget      *cfg_scale;
  GtkWidget      *camera_row;
  GtkWidget      *axis_row;
  GtkWidget      *camera_value_row;
  GtkWidget      *camera_value_scale;
  GtkWidget      *variants_row;
  GtkWidget      *variants_spin;
  GtkWidget      *generate_bar;
  GtkWidget      *charge_label;
  GtkWidget      *generate_button;
  GtkWidget      *generate_label;
  GtkWidget      *cost_label;
  GtkWidget      *reason_label;
  GtkWidget      *status_label;

  KinemaProvider *provider;
  GSettings      *settings;
  GPtrArray      *model_ids;
  GArray         *durations;       /* the lengths the duration row lists */
  guint           wanted_duration; /* the length the user chose last */
  gboolean        wanted_sound;    /* the sound switch as the user left it */
  char           *invalid_reason;
  char           *blocked_reason;
  char           *counter_text;
  char           *cost_text;
  /* The clip the form continues (issue 14), while the start image is its frame. */
  char           *link_parent_id;
  char           *link_image;
  double          link_time;
  guint           updating : 1;
  guint           can_generate : 1;
};

G_DEFINE_FINAL_TYPE (KinemaComposer, kinema_composer, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PROVIDER,
  PROP_CAN_GENERATE,
  PROP_INVALID_REASON,
  N_PROPS
};

enum
{
  SIGNAL_GENERATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static const char *const aspect_ratios[] = { "16:9", "9:16", "1:1" };

/* "2500" → "2,500": the counter reads the same in every language (Kling's limit is
 * written that way in its documentation). */
static char *
format_count (guint n)
{
  if (n < 1000)
    return g_strdup_printf ("%u", n);
  return g_strdup_printf ("%u,%03u", n / 1000, n % 1000);
}

static char *
dup_buffer_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter    start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static const char *
selected_model (KinemaComposer *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->model_row));

  if (self->model_ids == NULL || selected >= self->model_ids->len)
    return NULL;
  return g_ptr_array_index (self->model_ids, selected);
}

static KinemaTaskKind
current_kind (KinemaComposer *self)
{
  if (kinema_drop_zone_get_image (self->start_zone) != NULL ||
      kinema_drop_zone_get_image (self->end_zone) != NULL)
    return KINEMA_TASK_KIND_IMAGE_TO_VIDEO;
  return KINEMA_TASK_KIND_TEXT_TO_VIDEO;
}

static void
set_row_reason (GtkWidget  *row,
                const char *reason,
                const char *fallback_subtitle)
{
  gtk_widget_set_sensitive (row, reason == NULL);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason != NULL ? reason : fallback_subtitle);
  gtk_widget_set_tooltip_text (row, reason);
}

/* The shape of a @width x @height picture in words: "1:1 Square", "4:3 Landscape", or the
 * ratio itself ("1.85:1") when it is none of the usual ones. */
static char *
describe_shape (int width,
                int height)
{
  static const struct
  {
    int         w, h;
    const char *name;
  } shapes[] = {
    { 16, 9, N_("16:9 Landscape") }, { 9, 16, N_("9:16 Portrait") }, { 1, 1, N_("1:1 Square") },
    { 4, 3, N_("4:3 Landscape") },   { 3, 4, N_("3:4 Portrait") },   { 3, 2, N_("3:2 Landscape") },
    { 2, 3, N_("2:3 Portrait") },    { 21, 9, N_("21:9 Wide") },
  };
  double ratio = (double) width / height;

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      double known = (double) shapes[i].w / shapes[i].h;

      if (ABS (ratio - known) / known < 0.02)
        return g_strdup (_(shapes[i].name));
    }
  /* Translators: the shape of a picture as width to height, e.g. "1.85:1" */
  return ratio >= 1 ? g_strdup_printf (_("%.2f:1"), ratio) : g_strdup_printf (_("1:%.2f"), 1 / ratio);
}

/* The shape the clip will have. Text-to-video: the one chosen. Image-to-video: the start
 * frame's, which Kling keeps (no aspect_ratio is sent), so that is what the row shows. */
static void
update_shape (KinemaComposer *self,
              KinemaTaskKind  kind)
{
  gboolean         from_image = kind == KINEMA_TASK_KIND_IMAGE_TO_VIDEO;
  g_autofree char *shape = NULL;
  int              width = 0;
  int              height = 0;

  gtk_widget_set_visible (self->aspect_row, !from_image);
  gtk_widget_set_visible (self->image_shape_row, from_image);
  if (!from_image)
    return;
  if (kinema_drop_zone_get_image_size (self->start_zone, &width, &height))
    shape = describe_shape (width, height);
  else
    shape = g_strdup (_("As the picture")); /* a web link: not downloaded, size unknown */
  gtk_label_set_label (GTK_LABEL (self->image_shape_label), shape);
}

static void
update_counter (KinemaComposer *self,
                GtkWidget      *view,
                GtkWidget      *label,
                gboolean        primary)
{
  g_autofree char *text = dup_buffer_text (view);
  g_autofree char *count = NULL;
  g_autofree char *limit = format_count (KINEMA_PROMPT_MAX_CHARS);
  g_autofree char *counter = NULL;
  g_autofree char *description = NULL;
  guint            n = g_utf8_strlen (text, -1);

  count = format_count (n);
  counter = g_strdup_printf ("%s / %s", count, limit);
  gtk_label_set_label (GTK_LABEL (label), counter);
  if (n > KINEMA_PROMPT_MAX_CHARS)
    {
      gtk_widget_remove_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "error");
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "dim-label");
    }
  /* Translators: %s is like "120 / 2,500" */
  description = g_strdup_printf (_("%s characters"), counter);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);

  if (primary)
    {
      g_free (self->counter_text);
      self->counter_text = g_steal_pointer (&counter);
      gtk_widget_set_visible (self->prompt_placeholder, n == 0);
    }
}

static guint
shown_duration (KinemaComposer *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->duration_row));

  if (self->durations == NULL || selected >= self->durations->len)
    return self->wanted_duration;
  return g_array_index (self->durations, guint, selected);
}

static KinemaMode
selected_mode (KinemaComposer *self)
{
  guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->mode_row));

  return selected <= KINEMA_MODE_4K ? (KinemaMode) selected : KINEMA_MODE_STD;
}

static KinemaRequest *
build_request (KinemaComposer *self)
{
  KinemaTaskKind         kind = current_kind (self);
  KinemaRequest         *request = kinema_request_new (kind);
  const char            *model = selected_model (self);
  g_autofree char       *prompt = dup_buffer_text (self->prompt_view);
  g_autofree char       *negative = dup_buffer_text (self->negative_view);
  guint                  aspect_index = adw_combo_row_get_selected (ADW_COMBO_ROW (self->aspect_row));
  guint                  camera = adw_combo_row_get_selected (ADW_COMBO_ROW (self->camera_row));

  kinema_request_set_model (request, model);
  kinema_request_set_prompt (request, is_blank (prompt) ? NULL : prompt);
  kinema_request_set_negative_prompt (request, is_blank (negative) ? NULL : negative);
  kinema_request_set_image (request, kinema_drop_zone_get_image (self->start_zone));
  kinema_request_set_image_tail (request, kinema_drop_zone_get_image (self->end_zone));
  /* Still a continuation only while the start image is the parent's frame. */
  if (self->link_parent_id != NULL &&
      g_strcmp0 (kinema_drop_zone_get_image (self->start_zone), self->link_image) == 0)
    kinema_request_set_link (request, KINEMA_LINK_CONTINUE, self->link_parent_id, self->link_time);
  kinema_request_set_mode (request, selected_mode (self));
  kinema_request_set_duration (request, shown_duration (self));
  if (kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO)
    kinema_request_set_aspect_ratio (request, aspect_ratios[MIN (aspect_index, G_N_ELEMENTS (aspect_ratios) - 1)]);
  else
    kinema_request_set_aspect_ratio (request, NULL);

  /* Options the capability map refuses here are greyed by update(), and not sent. */
  if (gtk_widget_get_sensitive (self->cfg_row))
    kinema_request_set_cfg_scale (request, gtk_range_get_value (GTK_RANGE (self->cfg_scale)));
  else
    kinema_request_set_cfg_scale (request, -1);

  if (gtk_widget_get_sensitive (self->camera_row) && camera <= KINEMA_CAMERA_LEFT_TURN_FORWARD)
    {
      kinema_request_set_camera_type (request, (KinemaCameraType) camera);
      if (camera == KINEMA_CAMERA_SIMPLE)
        {
          kinema_request_set_camera_axis (request,
                                          (KinemaCameraAxis) adw_combo_row_get_selected (ADW_COMBO_ROW (self->axis_row)));
          kinema_request_set_camera_value (request, gtk_range_get_value (GTK_RANGE (self->camera_value_scale)));
        }
    }
  else
    kinema_request_set_camera_type (request, KINEMA_CAMERA_NONE);

  kinema_request_set_sound (request, gtk_widget_get_visible (self->sound_row) &&
                                         gtk_widget_get_sensitive (self->sound_row) &&
                                         gtk_switch_get_active (GTK_SWITCH (self->sound_switch)));

  return request;
}

static void
set_invalid_reason (KinemaComposer *self,
                    const char     *reason)
{
  gboolean can_generate = reason == NULL;

  gtk_label_set_label (GTK_LABEL (self->reason_label), reason);
  gtk_widget_set_visible (self->reason_label, reason != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "composer.generate", can_generate);

  if (g_strcmp0 (reason, self->invalid_reason) != 0)
    {
      g_free (self->invalid_reason);
      self->invalid_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVALID_REASON]);
    }
  if (can_generate != self->can_generate)
    {
      self->can_generate = can_generate;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_GENERATE]);
    }
}

/* The bar under the options says who will be paid and about how much; more than one
 * variant shows the total on the Generate button itself (issue 12, points 1 and 2).
 * The units are those of Kling's resource packs, the figures the cost table holds. */
static void
update_cost (KinemaComposer *self,
             KinemaRequest  *request)
{
  g_autofree char *table = NULL;
  g_autofree char *button_cost = NULL;
  g_autofree char *button_text = NULL;
  double           units;
  guint            variants = kinema_composer_get_variants (self);
  const char      *name = self->provider != NULL ? kinema_provider_get_name (self->provider) : NULL;

  g_clear_pointer (&self->cost_text, g_free);

  if (self->provider == NULL)
    ;
  else if (kinema_provider_get_is_demo (self->provider))
    self->cost_text = g_strdup (_("Free: offline demo"));
  else
    {
      if (self->settings != NULL)
        table = g_settings_get_string (self->settings, "cost-table");
      if (kinema_cost_table_lookup (table, kinema_request_get_model (request),
                                    kinema_mode_to_string (kinema_request_get_mode (request)),
                                    kinema_request_get_duration (request), kinema_request_get_sound (request),
                                    &units))
        {
          char each[G_ASCII_DTOSTR_BUF_SIZE];
          char total[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_formatd (each, sizeof each, "%.4g", units);
          g_ascii_formatd (total, sizeof total, "%.4g", units * variants);
          if (variants > 1)
            /* Translators: the cost estimate beside Generate. Kling units are the credits of
             * Kling's resource packs. %1$s is the total, %2$s the provider, %3$u the number
             * of clips, %4$s the units for one clip: "About 4.5 Kling units at n1n: 3 clips × 1.5" */
            self->cost_text = g_strdup_printf (_("About %1$s Kling units at %2$s: %3$u clips × %4$s"), total,
                                                  name, variants, each);
          else
            /* Translators: the cost estimate beside Generate. Kling units are the credits of
             * Kling's resource packs. %1$s is a number, %2$s the provider: "About 1.5 Kling units at n1n" */
            self->cost_text = g_strdup_printf (_("About %1$s Kling units at %2$s"), total, name);
          /* Translators: the total cost on the Generate button; %s is a number of Kling units */
          button_cost = g_strdup_printf (_("≈ %s units"), total);
        }
      else
        /* Translators: %s is the provider that will be paid */
        self->cost_text = g_strdup_printf (_("Paid at %s; no estimate for these settings"), name);
    }

  gtk_label_set_label (GTK_LABEL (self->charge_label), self->cost_text);
  gtk_widget_set_visible (self->charge_label, self->cost_text != NULL);

  if (variants > 1)
    button_text = g_strdup_printf (ngettext ("Generate %u Clip", "Generate %u Clips", variants), variants);
  gtk_label_set_text_with_mnemonic (GTK_LABEL (self->generate_label), button_text ? button_text : _("_Generate"));
  gtk_label_set_label (GTK_LABEL (self->cost_label), button_cost);
  gtk_widget_set_visible (self->cost_label, variants > 1 && button_cost != NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->generate_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->invalid_reason != NULL ? self->invalid_reason
                                  : self->cost_text != NULL    ? self->cost_text
                                                               : "",
                                  -1);
}

/* Lists the lengths the model makes in this kind and mode (Kling 3.0: 3 to 15 s), keeping
 * the user's choice when it is offered and else the nearest one. */
static void
update_durations (KinemaComposer *self,
                  const char     *model,
                  KinemaTaskKind  kind,
                  KinemaMode      mode)
{
  g_autoptr(GArray) offered = NULL;
  g_autoptr(GtkStringList) labels = NULL;
  guint best = 0;

  offered = kinema_capabilities_list_durations (kinema_capabilities_get_default (), model, kind, mode);
  if (offered->len == 0)
    {
      /* The model cannot make this kind or mode at all: keep what is listed; the
       * model and quality rows say why. */
      if (self->durations != NULL && self->durations->len > 0)
        return;
      g_array_append_val (offered, self->wanted_duration);
    }

  for (guint i = 0; i < offered->len; i++)
    {
      guint seconds = g_array_index (offered, guint, i);
      guint best_seconds = g_array_index (offered, guint, best);

      if ((seconds > self->wanted_duration ? seconds - self->wanted_duration : self->wanted_duration - seconds) <
          (best_seconds > self->wanted_duration ? best_seconds - self->wanted_duration
                                                : self->wanted_duration - best_seconds))
        best = i;
    }

  if (self->durations != NULL && self->durations->len == offered->len &&
      memcmp (self->durations->data, offered->data, offered->len * sizeof (guint)) == 0)
    {
      if (adw_combo_row_get_selected (ADW_COMBO_ROW (self->duration_row)) != best)
        {
          self->updating = TRUE;
          adw_combo_row_set_selected (ADW_COMBO_ROW (self->duration_row), best);
          self->updating = FALSE;
        }
      return;
    }

  labels = gtk_string_list_new (NULL);
  for (guint i = 0; i < offered->len; i++)
    {
      guint            seconds = g_array_index (offered, guint, i);
      g_autofree char *label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second", "%u seconds",
                                                             seconds),
                                                seconds);

      gtk_string_list_append (labels, label);
    }

  g_clear_pointer (&self->durations, g_array_unref);
  self->durations = g_steal_pointer (&offered);
  self->updating = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->duration_row), G_LIST_MODEL (labels));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->duration_row), best);
  self->updating = FALSE;
}

/* The combination on screen, without the optional features (each is added where it is
 * asked about). */
static void
fill_base_query (KinemaComposer        *self,
                 KinemaCapabilityQuery *query)
{
  g_autofree char *negative = dup_buffer_text (self->negative_view);

  memset (query, 0, sizeof *query);
  query->model = selected_model (self);
  query->kind = current_kind (self);
  query->mode = selected_mode (self);
  query->duration = shown_duration (self);
  query->has_image = kinema_drop_zone_get_image (self->start_zone) != NULL;
  query->has_end_frame = kinema_drop_zone_get_image (self->end_zone) != NULL;
  query->camera = KINEMA_CAMERA_NONE;
  query->negative_prompt = !is_blank (negative);
}

/* Recomputes which options apply, their reasons, and whether Generate may be pressed.
 * Every "no" comes from the capability map, with its reason in plain words: a greyed
 * row says why in its subtitle and tooltip, never silently. */
static void
update (KinemaComposer *self)
{
  KinemaCapabilities   *caps = kinema_capabilities_get_default ();
  KinemaCapabilityQuery query;
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char       *kind_reason = NULL;
  g_autofree char       *mode_reason = NULL;
  g_autofree char       *duration_reason = NULL;
  g_autofree char       *cfg_reason = NULL;
  g_autofree char       *camera_reason = NULL;
  g_autofree char       *camera_type_reason = NULL;
  g_autofree char       *sound_reason = NULL;
  g_autofree char       *tail_reason = NULL;
  g_autofree char       *negative_reason = NULL;
  g_autofree char       *invalid = NULL;
  const char            *model;
  const KinemaModelInfo *info;
  KinemaTaskKind         kind;
  KinemaCameraType       camera;
  gboolean               has_tail;
  gboolean               sound_used = FALSE;
  gboolean               simple;

  if (self->updating)
    return;

  model = selected_model (self);
  info = kinema_models_lookup (model);
  kind = current_kind (self);
  has_tail = kinema_drop_zone_get_image (self->end_zone) != NULL;

  if (model != NULL)
    update_durations (self, model, kind, selected_mode (self));
  fill_base_query (self, &query);

  /* Model: say when it cannot do this kind of job. */
  if (model != NULL)
    kind_reason = kinema_capabilities_dup_reason (caps, &query, KINEMA_FEATURE_KIND);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->model_row),
                               kind_reason != NULL ? kind_reason
                                                   : kind == KINEMA_TASK_KIND_TEXT_TO_VIDEO
                                   ? _("Text to video: add a start frame to animate a picture")
                                   : _("Image to video"));

  if (model != NULL && kind_reason == NULL)
    mode_reason = kinema_capabilities_dup_reason (caps, &query, KINEMA_FEATURE_MODE);
  /* A quality the model lacks is the one reason to give: the rest follows from it. */
  if (model != NULL && kind_reason == NULL && mode_reason == NULL)
    {
      KinemaCapabilityQuery with;

      if (shown_duration (self) != self->wanted_duration)
        duration_reason = kinema_capabilities_dup_reason (caps, &(KinemaCapabilityQuery){ .model = query.model, .kind = query.kind, .mode = query.mode, .duration = self->wanted_duration },
                                                          KINEMA_FEATURE_DURATION);
      cfg_reason = kinema_capabilities_dup_reason (caps, &query, KINEMA_FEATURE_CFG_SCALE);
      negative_reason = kinema_capabilities_dup_reason (caps, &query, KINEMA_FEATURE_NEGATIVE_PROMPT);
      camera_reason = kinema_capabilities_dup_reason (caps, &query, KINEMA_FEATURE_CAMERA_CONTROL);
      camera = (KinemaCameraType) adw_combo_row_get_selected (ADW_COMBO_ROW (self->camera_row));
      if (camera_reason == NULL && camera != KINEMA_CAMERA_NONE && camera <= KINEMA_CAMERA_LEFT_TURN_FORWARD)
        {
          with = query;
          with.camera = camera;
          camera_type_reason = kinema_capabilities_dup_reason (caps, &with, KINEMA_FEATURE_CAMERA_CONTROL);
        }
      sound_reason = kinema_capabilities_dup_reason (caps, &query, KINEMA_FEATURE_SOUND);
      sound_used = sound_reason == NULL && self->wanted_sound;
    }

  /* Without a start frame, an end frame alone would make an image-to-video job. */
  if (model != NULL)
    {
      KinemaCapabilityQuery with = query;

      with.sound = sound_used;
      with.kind = KINEMA_TASK_KIND_IMAGE_TO_VIDEO;
      tail_reason = kinema_capabilities_dup_reason (caps, &with,
                                                    query.has_image ? KINEMA_FEATURE_END_FRAME
                                                                    : KINEMA_FEATURE_END_FRAME_ONLY);
    }

  /* A quality the model does not offer stays selectable, so it can be changed back;
   * the row and the Generate button say why it cannot be used. */
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->mode_row),
                               mode_reason != NULL ? mode_reason : _("High quality costs more and takes longer"));
  gtk_widget_set_tooltip_text (self->mode_row, mode_reason);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->duration_row), duration_reason);
  gtk_widget_set_tooltip_text (self->duration_row, duration_reason);
  update_shape (self, kind);
  set_row_reason (self->cfg_row, cfg_reason, _("How closely the clip follows the prompt"));
  set_row_reason (self->camera_row, camera_reason, NULL);
  if (camera_reason == NULL && camera_type_reason != NULL)
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->camera_row), camera_type_reason);
      gtk_widget_set_tooltip_text (self->camera_row, camera_type_reason);
    }

  /* The sound switch is there only for models that make sound (kling-v2-6, kling-v3). */
  gtk_widget_set_visible (self->sound_row, info != NULL && info->sound);
  set_row_reason (self->sound_row, sound_reason, _("Sound effects and speech made with the clip"));
  /* A refused switch shows off (nothing will be sent) and comes back on with a model
   * and quality that have sound. */
  if (gtk_switch_get_active (GTK_SWITCH (self->sound_switch)) != sound_used)
    {
      self->updating = TRUE;
      gtk_switch_set_active (GTK_SWITCH (self->sound_switch), sound_used);
      self->updating = FALSE;
    }

  gtk_widget_set_sensitive (self->negative_expander, negative_reason == NULL);
  gtk_widget_set_tooltip_text (self->negative_expander, negative_reason);

  simple = camera_reason == NULL &&
           adw_combo_row_get_selected (ADW_COMBO_ROW (self->camera_row)) == KINEMA_CAMERA_SIMPLE;
  gtk_widget_set_visible (self->axis_row, simple);
  gtk_widget_set_visible (self->camera_value_row, simple);

  /* What the provider accepts beyond the model (kinema_provider_check_request(), the
   * check kinema-cli makes): a gateway that needs a start image greys the end frame
   * with its own words while there is none, like the capability map's reasons. */
  if (tail_reason == NULL && model != NULL && !query.has_image && self->provider != NULL &&
      (kinema_provider_get_caps (self->provider) & KINEMA_PROVIDER_CAP_NEEDS_START_IMAGE))
    {
      g_autoptr(KinemaRequest) probe = kinema_request_new (KINEMA_TASK_KIND_IMAGE_TO_VIDEO);
      g_autoptr(GError) provider_error = NULL;

      kinema_request_set_model (probe, model);
      kinema_request_set_prompt (probe, "-");
      kinema_request_set_image_tail (probe, "end-frame.png");
      if (!kinema_provider_check_request (self->provider, probe, &provider_error))
        tail_reason = g_strdup (provider_error->message);
    }

  /* The end frame stays usable while it holds an image, so it can be removed. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->end_zone), tail_reason == NULL || has_tail);
  gtk_label_set_label (GTK_LABEL (self->frames_caption),
                       tail_reason != NULL ? tail_reason
                                           : _("The end frame is optional: the clip ends on it."));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->end_zone), tail_reason);

  /* Why Generate cannot be pressed, most useful reason first. */
  request = build_request (self);
  if (kinema_drop_zone_get_busy (self->start_zone) || kinema_drop_zone_get_busy (self->end_zone))
    invalid = g_strdup (_("Checking the image…"));
  else if (kinema_drop_zone_get_error_message (self->start_zone) != NULL)
    /* Translators: %s says what is wrong with the image */
    invalid = g_strdup_printf (_("Start frame: %s"), kinema_drop_zone_get_error_message (self->start_zone));
  else if (kinema_drop_zone_get_error_message (self->end_zone) != NULL)
    invalid = g_strdup_printf (_("End frame: %s"), kinema_drop_zone_get_error_message (self->end_zone));
  else if (info == NULL && model == NULL)
    invalid = g_strdup (_("Choose a model."));
  else if (!kinema_request_validate (request, &error))
    invalid = g_strdup (error->message);
  else if (self->provider == NULL)
    invalid = g_strdup (_("Choose a provider at the top of the window."));
  else if (!kinema_provider_get_has_credentials (self->provider))
    invalid = g_strdup_printf (_("Add a key for “%s” in Preferences."), kinema_provider_get_name (self->provider));
  /* what this provider needs beyond the model, as kinema-cli checks it (issue 11) */
  else if (!kinema_provider_check_request (self->provider, request, &error))
    invalid = g_strdup (error->message);
  else if (self->blocked_reason != NULL)
    invalid = g_strdup (self->blocked_reason);

  set_invalid_reason (self, invalid);
  update_cost (self, request);
}

static void
save_settings (KinemaComposer *self)
{
  const char *model;
  guint       aspect_index;

  if (self->settings == NULL || self->updating)
    return;

  model = selected_model (self);
  aspect_index = adw_combo_row_get_selected (ADW_COMBO_ROW (self->aspect_row));

  if (model != NULL)
    g_settings_set_string (self->settings, "last-model", model);
  g_settings_set_enum (self->settings, "last-mode", selected_mode (self));
  g_settings_set_uint (self->settings, "last-duration", self->wanted_duration);
  if (aspect_index < G_N_ELEMENTS (aspect_ratios))
    g_settings_set_string (self->settings, "last-aspect-ratio", aspect_ratios[aspect_index]);
}

static void
on_option_changed_cb (KinemaComposer *self)
{
  update (self);
  save_settings (self);
}

/* Only the user's own changes count: a greyed switch is shown off by update(). */
static void
on_sound_changed_cb (KinemaComposer *self)
{
  if (self->updating || !gtk_widget_get_sensitive (self->sound_row))
    return;
  self->wanted_sound = gtk_switch_get_active (GTK_SWITCH (self->sound_switch));
  on_option_changed_cb (self);
}

static void
on_duration_changed_cb (KinemaComposer *self)
{
  if (self->updating)
    return;
  self->wanted_duration = shown_duration (self);
  on_option_changed_cb (self);
}

static void
on_zone_changed_cb (KinemaComposer *self)
{
  update (self);
}

static void
on_prompt_changed (KinemaComposer *self)
{
  update_counter (self, self->prompt_view, self->counter_label, TRUE);
  update (self);
}

static void
on_negative_changed (KinemaComposer *self)
{
  update_counter (self, self->negative_view, self->negative_counter_label, FALSE);
  update (self);
}

static void
on_sidecar_read (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KinemaComposer) self = user_data;
  g_autoptr(KinemaRequest) request = NULL;
  g_autoptr(GError) error = NULL;

  request = kinema_sidecar_read_finish (result, &error);
  if (request != NULL)
    {
      kinema_composer_apply_request (self, request);
      kinema_composer_set_status (self, _("Settings restored from the clip."));
      return;
    }
  kinema_composer_set_status (self, error->message);
}

static void
on_video_dropped_cb (KinemaComposer *self,
                     GFile          *file,
                     KinemaDropZone *zone)
{
  g_autofree char *path = g_file_get_path (file);

  /* Off the main thread: the file next to a dropped clip may be anything. */
  if (path != NULL)
    kinema_sidecar_read_async (path, NULL, on_sidecar_read, g_object_ref (self));
  else
    kinema_composer_set_status (self, _("This clip is not on this computer."));
}

static void
select_model (KinemaComposer *self,
              const char     *model)
{
  if (self->model_ids == NULL || model == NULL)
    return;
  for (guint i = 0; i < self->model_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->model_ids, i), model))
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->model_row), i);
        return;
      }
}

static void
fill_models (KinemaComposer *self)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autofree char   *previous = g_strdup (selected_model (self));
  const char *const *ids = NULL;

  g_clear_pointer (&self->model_ids, g_ptr_array_unref);
  self->model_ids = g_ptr_array_new_with_free_func (g_free);

  if (self->provider != NULL)
    ids = kinema_provider_list_models (self->provider);
  if (ids == NULL)
    {
      static const char **all = NULL;

      if (all == NULL)
        {
          guint                  n;
          const KinemaModelInfo *models = kinema_models_get_all (&n);

          all = g_new0 (const char *, n + 1);
          for (guint i = 0; i < n; i++)
            all[i] = models[i].id;
        }
      ids = (const char *const *) all;
    }

  for (guint i = 0; ids[i] != NULL; i++)
    {
      const KinemaModelInfo *info = kinema_models_lookup (ids[i]);

      g_ptr_array_add (self->model_ids, g_strdup (ids[i]));
      gtk_string_list_append (labels, info != NULL ? info->label : ids[i]);
    }

  self->updating = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->model_row), G_LIST_MODEL (labels));
  if (previous == NULL && self->settings != NULL)
    previous = g_settings_get_string (self->settings, "last-model");
  if (previous == NULL)
    previous = g_strdup (kinema_models_get_default ());
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->model_row), 0);
  select_model (self, kinema_models_get_default ());
  select_model (self, previous);
  self->updating = FALSE;
}

static void
generate_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KinemaComposer *self = KINEMA_COMPOSER (widget);

  update (self);
  if (self->can_generate)
    g_signal_emit (self, signals[SIGNAL_GENERATE], 0);
}

static void
kinema_composer_dispose (GObject *object)
{
  KinemaComposer *self = KINEMA_COMPOSER (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  if (self->provider != NULL)
    g_signal_handlers_disconnect_by_data (self->provider, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->provider);
  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_COMPOSER);

  G_OBJECT_CLASS (kinema_composer_parent_class)->dispose (object);
}

static void
kinema_composer_finalize (GObject *object)
{
  KinemaComposer *self = KINEMA_COMPOSER (object);

  g_clear_pointer (&self->model_ids, g_ptr_array_unref);
  g_clear_pointer (&self->durations, g_array_unref);
  g_free (self->invalid_reason);
  g_free (self->blocked_reason);
  g_free (self->counter_text);
  g_free (self->cost_text);
  g_free (self->link_parent_id);
  g_free (self->link_image);

  G_OBJECT_CLASS (kinema_composer_parent_class)->finalize (object);
}

static void
kinema_composer_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KinemaComposer *self = KINEMA_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_CAN_GENERATE:
      g_value_set_boolean (value, self->can_generate);
      break;
    case PROP_INVALID_REASON:
      g_value_set_string (value, self->invalid_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_composer_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KinemaComposer *self = KINEMA_COMPOSER (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      kinema_composer_set_provider (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* The scrolled form on top, the Generate bar below it at its natural height: the bar is
 * never scrolled away (issue 12, point 2). The natural width is capped: beside the task
 * list and the player the composer takes a comfortable width, not all the free space. */
#define NATURAL_WIDTH_CAP 460

static void
kinema_composer_measure (GtkWidget     *widget,
                         GtkOrientation orientation,
                         int            for_size,
                         int           *minimum,
                         int           *natural,
                         int           *minimum_baseline,
                         int           *natural_baseline)
{
  KinemaComposer *self = KINEMA_COMPOSER (widget);
  int             form_min, form_nat, bar_min, bar_nat;

  gtk_widget_measure (self->scrolled, orientation, -1, &form_min, &form_nat, NULL, NULL);
  gtk_widget_measure (self->generate_bar, orientation, orientation == GTK_ORIENTATION_VERTICAL ? for_size : -1,
                      &bar_min, &bar_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MAX (form_min, bar_min);
      *natural = MAX (*minimum, MIN (MAX (form_nat, bar_nat), NATURAL_WIDTH_CAP));
    }
  else
    {
      *minimum = form_min + bar_min;
      *natural = form_nat + bar_nat;
    }
}

static void
kinema_composer_size_allocate (GtkWidget *widget,
                               int        width,
                               int        height,
                               int        baseline)
{
  KinemaComposer *self = KINEMA_COMPOSER (widget);
  int             bar_min, bar_nat, bar_height;

  gtk_widget_measure (self->generate_bar, GTK_ORIENTATION_VERTICAL, width, &bar_min, &bar_nat, NULL, NULL);
  bar_height = MIN (bar_nat, height);
  gtk_widget_allocate (self->scrolled, width, height - bar_height, -1, NULL);
  gtk_widget_allocate (self->generate_bar, width, bar_height, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (0, height - bar_height)));
}

static void
kinema_composer_class_init (KinemaComposerClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kinema_composer_dispose;
  object_class->finalize = kinema_composer_finalize;
  object_class->get_property = kinema_composer_get_property;
  object_class->set_property = kinema_composer_set_property;
  widget_class->measure = kinema_composer_measure;
  widget_class->size_allocate = kinema_composer_size_allocate;

  properties[PROP_PROVIDER] =
      g_param_spec_object ("provider", NULL, NULL, KINEMA_TYPE_PROVIDER,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_GENERATE] =
      g_param_spec_boolean ("can-generate", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_INVALID_REASON] =
      g_param_spec_string ("invalid-reason", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_GENERATE] =
      g_signal_new ("generate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 0);

  g_type_ensure (KINEMA_TYPE_DROP_ZONE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-composer.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, scrolled);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, start_zone);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, end_zone);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, frames_caption);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, prompt_heading);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, counter_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, prompt_view);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, prompt_placeholder);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, negative_expander);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, negative_view);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, negative_counter_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, options_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, model_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, mode_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, duration_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, sound_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, sound_switch);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, aspect_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, image_shape_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, image_shape_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, cfg_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, cfg_scale);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, camera_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, axis_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, camera_value_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, camera_value_scale);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, variants_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, variants_spin);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, generate_bar);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, charge_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, generate_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, generate_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, cost_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, reason_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaComposer, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_option_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_zone_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_duration_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_sound_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_video_dropped_cb);

  gtk_widget_class_install_action (widget_class, "composer.generate", NULL, generate_action);

  gtk_widget_class_set_css_name (widget_class, "kinema-composer");
}

/* The row's name is its title. libadwaita 1.2 points "labelled-by" at the title label
 * and GTK 4.8 joins that with the label property ("Model Model"): keep one of them. The
 * subtitle (which says why an option is off) stays the description. */
static void
label_row (GtkWidget *row)
{
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), -1);
}

/* A wheel turn over an option scrolls the page, never the option: a spin button or a
 * scale under the pointer while the user scrolls would otherwise change what is paid
 * for (issue 12, point 1: three clicks turned one variant into four). Captured before
 * the control's own handler sees it. */
static gboolean
on_option_scroll (GtkEventControllerScroll *controller,
                  double                    dx,
                  double                    dy,
                  KinemaComposer           *self)
{
  GtkWidget     *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GdkEvent      *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));
  double         step;

  /* An open drop-down list is a popover of its own: it scrolls itself. */
  if (event != NULL && gdk_event_get_surface (event) != gtk_native_get_surface (gtk_widget_get_native (widget)))
    return GDK_EVENT_PROPAGATE;

  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_SURFACE)
    step = dy; /* a touchpad gives pixels */
  else
    step = dy * MAX (48.0, gtk_adjustment_get_page_size (adjustment) / 8); /* a wheel click */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + step);
  return GDK_EVENT_STOP;
}

static void
guard_from_wheel (KinemaComposer *self,
                  GtkWidget      *option)
{
  GtkEventController *controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (controller, "kinema-wheel-guard");
  g_signal_connect_object (controller, "scroll", G_CALLBACK (on_option_scroll), self, 0);
  gtk_widget_add_controller (option, controller);
}

static void
kinema_composer_init (KinemaComposer *self)
{
  self->wanted_duration = 5;
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->prompt_view)), "changed",
                            G_CALLBACK (on_prompt_changed), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->negative_view)), "changed",
                            G_CALLBACK (on_negative_changed), self);

  label_row (self->model_row);
  label_row (self->mode_row);
  label_row (self->duration_row);
  label_row (self->sound_row);
  label_row (self->aspect_row);
  label_row (self->cfg_row);
  label_row (self->camera_row);
  label_row (self->axis_row);
  label_row (self->camera_value_row);
  label_row (self->variants_row);

  {
    GtkWidget *options[] = { self->model_row, self->mode_row, self->duration_row, self->aspect_row,
                             self->cfg_scale, self->camera_row, self->axis_row, self->camera_value_scale,
                             self->variants_spin };

    for (guint i = 0; i < G_N_ELEMENTS (options); i++)
      guard_from_wheel (self, options[i]);
  }

  self->can_generate = TRUE; /* so that the first update notifies */
  fill_models (self);
  update_counter (self, self->prompt_view, self->counter_label, TRUE);
  update_counter (self, self->negative_view, self->negative_counter_label, FALSE);
  update (self);
}

GtkWidget *
kinema_composer_new (void)
{
  return g_object_new (KINEMA_TYPE_COMPOSER, NULL);
}

static void
on_cost_table_changed (KinemaComposer *self)
{
  update (self);
}

void
kinema_composer_set_settings (KinemaComposer *self,
                              GSettings      *settings)
{
  g_autofree char *model = NULL;
  g_autofree char *aspect = NULL;
  guint            duration;

  g_return_if_fail (KINEMA_IS_COMPOSER (self));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  if (settings == NULL)
    return;

  model = g_settings_get_string (settings, "last-model");
  aspect = g_settings_get_string (settings, "last-aspect-ratio");
  duration = g_settings_get_uint (settings, "last-duration");

  self->updating = TRUE;
  select_model (self, model);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->mode_row),
                              MIN ((guint) g_settings_get_enum (settings, "last-mode"), KINEMA_MODE_4K));
  if (duration > 0 && duration <= KINEMA_CAPABILITIES_MAX_SECONDS)
    self->wanted_duration = duration;
  for (guint i = 0; i < G_N_ELEMENTS (aspect_ratios); i++)
    if (g_strcmp0 (aspect_ratios[i], aspect) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->aspect_row), i);
  self->updating = FALSE;

  g_signal_connect_swapped (settings, "changed::cost-table", G_CALLBACK (on_cost_table_changed), self);
  update (self);
}

KinemaProvider *
kinema_composer_get_provider (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), NULL);
  return self->provider;
}

static void
on_provider_notify (KinemaComposer *self)
{
  update (self);
}

void
kinema_composer_set_provider (KinemaComposer *self,
                              KinemaProvider *provider)
{
  g_return_if_fail (KINEMA_IS_COMPOSER (self));
  g_return_if_fail (provider == NULL || KINEMA_IS_PROVIDER (provider));

  if (self->provider == provider)
    return;

  if (self->provider != NULL)
    g_signal_handlers_disconnect_by_data (self->provider, self);
  g_set_object (&self->provider, provider);
  if (provider != NULL)
    g_signal_connect_swapped (provider, "notify::has-credentials", G_CALLBACK (on_provider_notify), self);

  fill_models (self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
}

KinemaDropZone *
kinema_composer_get_start_zone (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), NULL);
  return self->start_zone;
}

KinemaDropZone *
kinema_composer_get_end_zone (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), NULL);
  return self->end_zone;
}

gboolean
kinema_composer_get_can_generate (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), FALSE);
  return self->can_generate;
}

const char *
kinema_composer_get_invalid_reason (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), NULL);
  return self->invalid_reason;
}

void
kinema_composer_set_blocked_reason (KinemaComposer *self,
                                    const char     *reason)
{
  g_return_if_fail (KINEMA_IS_COMPOSER (self));

  if (g_strcmp0 (self->blocked_reason, reason) == 0)
    return;
  g_free (self->blocked_reason);
  self->blocked_reason = g_strdup (reason);
  update (self);
}

KinemaRequest *
kinema_composer_dup_request (KinemaComposer *self,
                             GError        **error)
{
  g_autoptr(KinemaRequest) request = NULL;

  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), NULL);

  update (self);
  if (!self->can_generate)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, self->invalid_reason);
      return NULL;
    }
  request = build_request (self);
  return g_steal_pointer (&request);
}

guint
kinema_composer_get_variants (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), 1);
  return (guint) CLAMP (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->variants_spin)), 1, 4);
}

char *
kinema_composer_dup_prompt (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), NULL);
  return dup_buffer_text (self->prompt_view);
}

void
kinema_composer_set_prompt (KinemaComposer *self,
                            const char     *prompt)
{
  g_return_if_fail (KINEMA_IS_COMPOSER (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->prompt_view)),
                            prompt ? prompt : "", -1);
}

const char *
kinema_composer_get_counter_text (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), NULL);
  return self->counter_text;
}

const char *
kinema_composer_get_cost_text (KinemaComposer *self)
{
  g_return_val_if_fail (KINEMA_IS_COMPOSER (self), NULL);
  return self->cost_text;
}

void
kinema_composer_apply_request (KinemaComposer *self,
                               KinemaRequest  *request)
{
  const char      *aspect;
  double           cfg;
  KinemaCameraType camera;

  g_return_if_fail (KINEMA_IS_COMPOSER (self));
  g_return_if_fail (KINEMA_IS_REQUEST (request));

  self->updating = TRUE;

  select_model (self, kinema_request_get_model (request));
  kinema_composer_set_prompt (self, kinema_request_get_prompt (request));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->negative_view)),
                            kinema_request_get_negative_prompt (request) ? kinema_request_get_negative_prompt (request) : "",
                            -1);
  if (kinema_request_get_negative_prompt (request) != NULL)
    gtk_expander_set_expanded (GTK_EXPANDER (self->negative_expander), TRUE);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->mode_row),
                              MIN ((guint) kinema_request_get_mode (request), KINEMA_MODE_4K));
  if (kinema_request_get_duration (request) > 0 &&
      kinema_request_get_duration (request) <= KINEMA_CAPABILITIES_MAX_SECONDS)
    self->wanted_duration = kinema_request_get_duration (request);
  self->wanted_sound = kinema_request_get_sound (request);
  aspect = kinema_request_get_aspect_ratio (request);
  for (guint i = 0; i < G_N_ELEMENTS (aspect_ratios); i++)
    if (g_strcmp0 (aspect_ratios[i], aspect) == 0)
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->aspect_row), i);
  cfg = kinema_request_get_cfg_scale (request);
  if (cfg >= 0)
    gtk_range_set_value (GTK_RANGE (self->cfg_scale), cfg);
  camera = kinema_request_get_camera_type (request);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->camera_row), camera);
  if (camera == KINEMA_CAMERA_SIMPLE)
    {
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->axis_row), kinema_request_get_camera_axis (request));
      gtk_range_set_value (GTK_RANGE (self->camera_value_scale), kinema_request_get_camera_value (request));
    }

  kinema_drop_zone_set_image (self->start_zone, kinema_request_get_image (request));
  kinema_drop_zone_set_image (self->end_zone, kinema_request_get_image_tail (request));

  g_clear_pointer (&self->link_parent_id, g_free);
  g_clear_pointer (&self->link_image, g_free);
  if (kinema_request_get_link_kind (request) == KINEMA_LINK_CONTINUE && kinema_request_get_image (request) != NULL)
    {
      self->link_parent_id = g_strdup (kinema_request_get_parent_task_id (request));
      self->link_image = g_strdup (kinema_request_get_image (request));
      self->link_time = kinema_request_get_parent_time (request);
    }

  self->updating = FALSE;
  update (self);
}

void
kinema_composer_apply_task (KinemaComposer *self,
                            KinemaTask     *task)
{
  g_return_if_fail (KINEMA_IS_COMPOSER (self));
  g_return_if_fail (KINEMA_IS_TASK (task));
  kinema_composer_apply_request (self, kinema_task_get_request (task));
}

void
kinema_composer_set_status (KinemaComposer *self,
                            const char     *status)
{
  g_return_if_fail (KINEMA_IS_COMPOSER (self));

  gtk_label_set_label (GTK_LABEL (self->status_label), status);
  gtk_widget_set_visible (self->status_label, status != NULL && *status != '\0');
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_label),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status ? status : "", -1);
}
