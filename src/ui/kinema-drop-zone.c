/* kinema-drop-zone.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-drop-zone"

#include "config.h"

#include <glib/gi18n.h>

#include "kinema-drop-zone.h"
#include "kinema-image.h"
#include "kinema-thumbnailer.h"

/* The thumbnail is decoded at most this large (the zone is never wider). */
#define THUMBNAIL_SIDE 480

typedef enum
{
  STATE_EMPTY,
  STATE_BUSY,
  STATE_IMAGE,
  STATE_URL,
} State;

struct _KinemaDropZone
{
  GtkWidget parent_instance;

  GtkWidget *overlay;
  GtkWidget *button;
  GtkWidget *stack;
  GtkWidget *empty_icon;
  GtkWidget *title_label;
  GtkWidget *hint_label;
  GtkWidget *error_label;
  GtkWidget *spinner;
  GtkWidget *picture;
  GtkWidget *summary_label;
  GtkWidget *image_title_label;
  GtkWidget *note_label;
  GtkWidget *url_label;
  GtkWidget *remove_button;

  GtkFileChooserNative *chooser;
  GCancellable         *cancellable;
  State                 state;
  char                 *title;
  char                 *image;
  char                 *summary;
  int                   width; /* of a prepared local image, else 0 */
  int                   height;
  char                 *note;
  char                 *error_message;
  gboolean              compact;
  gboolean              disposed;
};

G_DEFINE_FINAL_TYPE (KinemaDropZone, kinema_drop_zone, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TITLE,
  PROP_COMPACT,
  PROP_IMAGE,
  PROP_BUSY,
  PROP_ERROR_MESSAGE,
  PROP_NOTE,
  N_PROPS
};

enum
{
  SIGNAL_VIDEO_DROPPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static const char *const video_suffixes[] = { ".mp4", ".m4v", ".webm", ".mov", ".mkv", NULL };

static void
update_accessible (KinemaDropZone *self)
{
  const char *description;

  switch (self->state)
    {
    case STATE_BUSY:
      description = _("Checking the image…");
      break;
    case STATE_IMAGE:
    case STATE_URL:
      description = self->summary;
      break;
    case STATE_EMPTY:
    default:
      description = self->error_message != NULL ? self->error_message
                                                : gtk_label_get_label (GTK_LABEL (self->hint_label));
      break;
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, self->title ? self->title : "",
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description ? description : "",
                                  -1);
}

static void
set_state (KinemaDropZone *self,
           State           state)
{
  static const char *const pages[] = { "empty", "busy", "image", "url" };
  gboolean                 was_busy = self->state == STATE_BUSY;

  self->state = state;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), pages[state]);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), state == STATE_BUSY);
  gtk_widget_set_visible (self->remove_button, state == STATE_IMAGE || state == STATE_URL);
  gtk_widget_set_visible (self->error_label, state == STATE_EMPTY && self->error_message != NULL);
  gtk_label_set_label (GTK_LABEL (self->error_label), self->error_message);
  gtk_widget_set_visible (self->note_label, state == STATE_IMAGE && self->note != NULL);
  gtk_label_set_label (GTK_LABEL (self->note_label), self->note);
  gtk_label_set_label (GTK_LABEL (self->summary_label), self->summary);
  gtk_label_set_label (GTK_LABEL (self->url_label), state == STATE_URL ? self->image : NULL);
  update_accessible (self);

  if (was_busy != (state == STATE_BUSY))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Starts a new operation: forgets the current image and cancels what was running. */
static void
reset (KinemaDropZone *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_clear_pointer (&self->image, g_free);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->error_message, g_free);
  self->width = self->height = 0;
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), NULL);
}

static void
notify_all (KinemaDropZone *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IMAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
fail (KinemaDropZone *self,
      const char     *message)
{
  if (self->disposed)
    return;
  reset (self);
  self->error_message = g_strdup (message);
  set_state (self, STATE_EMPTY);
  notify_all (self);
}

static const char *
format_name (const char *mime_type)
{
  if (g_strcmp0 (mime_type, "image/jpeg") == 0)
    return "JPEG";
  if (g_strcmp0 (mime_type, "image/png") == 0)
    return "PNG";
  return "";
}

/* The preview comes from the shared thumbnailer (decoded off the main thread, by
 * content, oriented, cached). */
static void
on_thumbnail_ready (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KinemaDropZone) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = kinema_thumbnailer_load_finish (KINEMA_THUMBNAILER (source_object), result,
                                                                   &error);

  if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    {
      /* The image passed the checks: it is still sent, only the preview is missing. */
      g_debug ("No thumbnail: %s", error->message);
      return;
    }
  gtk_picture_set_paintable (GTK_PICTURE (self->picture), GDK_PAINTABLE (texture));
}

static void
load_thumbnail (KinemaDropZone  *self,
                KinemaImageInfo *info)
{
  kinema_thumbnailer_load_async (kinema_thumbnailer_get_default (), info->path, THUMBNAIL_SIDE,
                                 self->cancellable, on_thumbnail_ready, g_object_ref (self));
}

static void
show_prepared (KinemaDropZone  *self,
               KinemaImageInfo *info)
{
  g_autofree char *size = NULL;

  if (self->disposed)
    return;
  size = g_format_size (info->file_size);
  self->image = g_strdup (info->path);
  self->width = info->width;
  self->height = info->height;
  /* Translators: width × height · format · file size, e.g. "1280 × 720 · JPEG · 245.1 kB" */
  self->summary = g_strdup_printf (_("%d × %d · %s · %s"), info->width, info->height,
                                      format_name (info->mime_type), size);
  self->note = g_strdup (info->note);
  set_state (self, STATE_IMAGE);
  notify_all (self);
  load_thumbnail (self, info);
}

/* Both prepare calls end here: @info is the prepared image or NULL with @error. */
static void
finish_prepare (KinemaDropZone  *self,
                KinemaImageInfo *info,
                const GError    *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (info == NULL)
    fail (self, error->message);
  else
    show_prepared (self, info);
}

static void
on_prepared (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KinemaDropZone) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaImageInfo) info = kinema_image_prepare_finish (result, &error);

  finish_prepare (self, info, error);
}

static void
on_bytes_prepared (GObject      *source_object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KinemaDropZone) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaImageInfo) info = kinema_image_prepare_bytes_finish (result, &error);

  finish_prepare (self, info, error);
}

static void
start_busy (KinemaDropZone *self)
{
  reset (self);
  set_state (self, STATE_BUSY);
  notify_all (self);
}

static gboolean
is_video_name (const char *name)
{
  g_autofree char *lower = NULL;

  if (name == NULL)
    return FALSE;
  lower = g_utf8_strdown (name, -1);
  for (guint i = 0; video_suffixes[i] != NULL; i++)
    if (g_str_has_suffix (lower, video_suffixes[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_web_url (const char *text)
{
  const char *scheme = g_uri_peek_scheme (text);

  return scheme != NULL && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"));
}

void
kinema_drop_zone_set_file (KinemaDropZone *self,
                           GFile          *file)
{
  g_autofree char *path = NULL;
  g_autofree char *uri = NULL;

  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (path == NULL)
    {
      uri = g_file_get_uri (file);
      if (is_web_url (uri))
        kinema_drop_zone_set_url (self, uri);
      else
        fail (self, _("This file cannot be opened: it is not on this computer."));
      return;
    }

  if (is_video_name (path))
    {
      g_signal_emit (self, signals[SIGNAL_VIDEO_DROPPED], 0, file);
      return;
    }

  start_busy (self);
  kinema_image_prepare_async (path, NULL, self->cancellable, on_prepared, g_object_ref (self));
}

static void
encode_texture_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GdkTexture *texture = task_data;

  /* Dropped and pasted images are memory textures: safe to read from a thread. */
  g_task_return_pointer (task, gdk_texture_save_to_png_bytes (texture), (GDestroyNotify) g_bytes_unref);
}

static void
on_texture_encoded (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KinemaDropZone) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->disposed || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bytes == NULL)
    {
      fail (self, _("This image could not be read."));
      return;
    }
  kinema_image_prepare_bytes_async (bytes, "image/png", NULL, self->cancellable,
                                    on_bytes_prepared, g_object_ref (self));
}

void
kinema_drop_zone_set_texture (KinemaDropZone *self,
                              GdkTexture     *texture)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  start_busy (self);
  task = g_task_new (NULL, self->cancellable, on_texture_encoded, g_object_ref (self));
  g_task_set_source_tag (task, kinema_drop_zone_set_texture);
  g_task_set_task_data (task, g_object_ref (texture), g_object_unref);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, encode_texture_thread);
}

void
kinema_drop_zone_set_url (KinemaDropZone *self,
                          const char     *url)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));
  g_return_if_fail (url != NULL);

  stripped = g_strstrip (g_strdup (url));
  if (!is_web_url (stripped) || !g_uri_is_valid (stripped, G_URI_FLAGS_NONE, NULL))
    {
      fail (self, _("Only web links (http or https) to an image can be used."));
      return;
    }

  reset (self);
  self->image = g_steal_pointer (&stripped);
  self->summary = g_strdup (self->image);
  set_state (self, STATE_URL);
  notify_all (self);
}

void
kinema_drop_zone_set_image (KinemaDropZone *self,
                            const char     *path_or_url)
{
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));

  if (path_or_url == NULL || *path_or_url == '\0')
    {
      kinema_drop_zone_clear (self);
      return;
    }
  if (is_web_url (path_or_url))
    {
      kinema_drop_zone_set_url (self, path_or_url);
      return;
    }
  if (!g_file_test (path_or_url, G_FILE_TEST_IS_REGULAR))
    {
      fail (self, _("The image of these settings is no longer on this computer."));
      return;
    }
  file = g_file_new_for_path (path_or_url);
  kinema_drop_zone_set_file (self, file);
}

void
kinema_drop_zone_clear (KinemaDropZone *self)
{
  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));

  reset (self);
  set_state (self, STATE_EMPTY);
  notify_all (self);
}

static gboolean
handle_text (KinemaDropZone *self,
             const char     *text)
{
  g_auto(GStrv) lines = NULL;
  const char *first = NULL;

  if (text == NULL)
    return FALSE;

  /* text/uri-list and plain text alike: the first line that is not a comment. */
  lines = g_strsplit_set (text, "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] != '\0' && lines[i][0] != '#')
        {
          first = lines[i];
          break;
        }
    }
  if (first == NULL)
    return FALSE;

  if (is_web_url (first))
    {
      kinema_drop_zone_set_url (self, first);
      return TRUE;
    }
  if (g_str_has_prefix (first, "file:"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (first);

      kinema_drop_zone_set_file (self, file);
      return TRUE;
    }
  if (g_path_is_absolute (first) && g_file_test (first, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GFile) file = g_file_new_for_path (first);

      kinema_drop_zone_set_file (self, file);
      return TRUE;
    }

  fail (self, _("This is not an image, an image file or a web link to an image."));
  return FALSE;
}

gboolean
kinema_drop_zone_handle_value (KinemaDropZone *self,
                               const GValue   *value)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList  *files = gdk_file_list_get_files (g_value_get_boxed (value));
      gboolean ok = files != NULL;

      if (ok)
        kinema_drop_zone_set_file (self, files->data);
      g_slist_free (files);
      return ok;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      GFile *file = g_value_get_object (value);

      if (file == NULL)
        return FALSE;
      kinema_drop_zone_set_file (self, file);
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      GdkTexture *texture = g_value_get_object (value);

      if (texture == NULL)
        return FALSE;
      kinema_drop_zone_set_texture (self, texture);
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_STRING))
    return handle_text (self, g_value_get_string (value));

  return FALSE;
}

static gboolean
on_drop_cb (GtkDropTarget  *target,
            const GValue   *value,
            double          x,
            double          y,
            KinemaDropZone *self)
{
  return kinema_drop_zone_handle_value (self, value);
}

static void
on_paste_texture (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KinemaDropZone) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source_object), result, &error);
  if (self->disposed)
    return;
  if (texture == NULL)
    fail (self, _("The clipboard image could not be read."));
  else
    kinema_drop_zone_set_texture (self, texture);
}

static void
on_paste_value (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KinemaDropZone) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (source_object), result, &error);
  if (self->disposed)
    return;
  if (value == NULL || !kinema_drop_zone_handle_value (self, value))
    {
      if (self->state != STATE_EMPTY || self->error_message == NULL)
        fail (self, _("The clipboard holds no image, image file or web link to an image."));
    }
}

void
kinema_drop_zone_paste (KinemaDropZone *self,
                        GdkClipboard   *clipboard)
{
  GdkContentFormats *formats;
  GType              type = G_TYPE_INVALID;

  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));
  g_return_if_fail (GDK_IS_CLIPBOARD (clipboard));

  formats = gdk_clipboard_get_formats (clipboard);
  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    type = GDK_TYPE_FILE_LIST;
  else if (gdk_content_formats_contain_gtype (formats, G_TYPE_FILE))
    type = G_TYPE_FILE;
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    {
      gdk_clipboard_read_texture_async (clipboard, NULL, on_paste_texture, g_object_ref (self));
      return;
    }
  else if (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    type = G_TYPE_STRING;

  if (type == G_TYPE_INVALID)
    {
      fail (self, _("The clipboard holds no image, image file or web link to an image."));
      return;
    }
  gdk_clipboard_read_value_async (clipboard, type, G_PRIORITY_DEFAULT, NULL, on_paste_value,
                                  g_object_ref (self));
}

static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     KinemaDropZone  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        kinema_drop_zone_set_file (self, file);
    }
  g_clear_object (&self->chooser);
}

void
kinema_drop_zone_choose_file (KinemaDropZone *self)
{
  static const char *const image_suffixes[] = {
    "jpg", "jpeg", "png", "webp", "heic", "heif", "gif", "bmp", "tif", "tiff", NULL
  };
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) videos = gtk_file_filter_new ();
  GtkRoot *root;

  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));

  if (self->chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  self->chooser = gtk_file_chooser_native_new (self->title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);

  gtk_file_filter_set_name (images, _("Images"));
  gtk_file_filter_add_mime_type (images, "image/*");
  for (guint i = 0; image_suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (images, image_suffixes[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), images);

  gtk_file_filter_set_name (videos, _("Clips made by Kinema (restore their settings)"));
  for (guint i = 0; video_suffixes[i] != NULL; i++)
    gtk_file_filter_add_suffix (videos, video_suffixes[i] + 1);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), videos);

  g_signal_connect (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_button_clicked_cb (KinemaDropZone *self)
{
  kinema_drop_zone_choose_file (self);
}

static void
on_remove_clicked_cb (KinemaDropZone *self)
{
  kinema_drop_zone_clear (self);
  gtk_widget_grab_focus (self->button);
}

static void
kinema_drop_zone_dispose (GObject *object)
{
  KinemaDropZone *self = KINEMA_DROP_ZONE (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_DROP_ZONE);

  G_OBJECT_CLASS (kinema_drop_zone_parent_class)->dispose (object);
}

static void
kinema_drop_zone_finalize (GObject *object)
{
  KinemaDropZone *self = KINEMA_DROP_ZONE (object);

  g_clear_object (&self->cancellable);
  g_free (self->title);
  g_free (self->image);
  g_free (self->summary);
  g_free (self->note);
  g_free (self->error_message);

  G_OBJECT_CLASS (kinema_drop_zone_parent_class)->finalize (object);
}

static void
kinema_drop_zone_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KinemaDropZone *self = KINEMA_DROP_ZONE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_IMAGE:
      g_value_set_string (value, kinema_drop_zone_get_image (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->state == STATE_BUSY);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_drop_zone_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KinemaDropZone *self = KINEMA_DROP_ZONE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      kinema_drop_zone_set_title (self, g_value_get_string (value));
      break;
    case PROP_COMPACT:
      kinema_drop_zone_set_compact (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_drop_zone_class_init (KinemaDropZoneClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kinema_drop_zone_dispose;
  object_class->finalize = kinema_drop_zone_finalize;
  object_class->get_property = kinema_drop_zone_get_property;
  object_class->set_property = kinema_drop_zone_set_property;

  properties[PROP_TITLE] =
      g_param_spec_string ("title", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
      g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IMAGE] =
      g_param_spec_string ("image", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
      g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
      g_param_spec_string ("error-message", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTE] =
      g_param_spec_string ("note", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_VIDEO_DROPPED] =
      g_signal_new ("video-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-drop-zone.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, overlay);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, button);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, stack);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, empty_icon);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, title_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, hint_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, error_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, spinner);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, picture);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, image_title_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, note_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, url_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaDropZone, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_button_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kinema-drop-zone");
}

static void
kinema_drop_zone_init (KinemaDropZone *self)
{
  GtkDropTarget *target;
  GType          types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE, GDK_TYPE_TEXTURE, G_TYPE_STRING };

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (self->button, GTK_EVENT_CONTROLLER (target));

  kinema_drop_zone_set_compact (self, FALSE);
  set_state (self, STATE_EMPTY);
}

GtkWidget *
kinema_drop_zone_new (void)
{
  return g_object_new (KINEMA_TYPE_DROP_ZONE, NULL);
}

const char *
kinema_drop_zone_get_title (KinemaDropZone *self)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), NULL);
  return self->title;
}

void
kinema_drop_zone_set_title (KinemaDropZone *self,
                            const char     *title)
{
  g_autofree char *remove_label = NULL;

  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);

  gtk_label_set_label (GTK_LABEL (self->title_label), title);
  /* The title stays over the image, so two frames side by side say which is which. */
  gtk_label_set_label (GTK_LABEL (self->image_title_label), title);
  /* Translators: %s is "Start frame" or "End frame" */
  remove_label = g_strdup_printf (_("Remove %s"), title ? title : "");
  gtk_widget_set_tooltip_text (self->remove_button, remove_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label, -1);
  update_accessible (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
kinema_drop_zone_get_compact (KinemaDropZone *self)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), FALSE);
  return self->compact;
}

void
kinema_drop_zone_set_compact (KinemaDropZone *self,
                              gboolean        compact)
{
  g_return_if_fail (KINEMA_IS_DROP_ZONE (self));

  compact = !!compact;
  self->compact = compact;
  gtk_image_set_pixel_size (GTK_IMAGE (self->empty_icon), compact ? 24 : 48);
  gtk_widget_set_size_request (self->button, -1, compact ? 140 : 200);
  gtk_widget_set_visible (self->hint_label, !compact);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

const char *
kinema_drop_zone_get_image (KinemaDropZone *self)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), NULL);

  if (self->state != STATE_IMAGE && self->state != STATE_URL)
    return NULL;
  return self->image;
}

gboolean
kinema_drop_zone_get_busy (KinemaDropZone *self)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), FALSE);
  return self->state == STATE_BUSY;
}

const char *
kinema_drop_zone_get_error_message (KinemaDropZone *self)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), NULL);
  return self->error_message;
}

const char *
kinema_drop_zone_get_note (KinemaDropZone *self)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), NULL);
  return self->note;
}

const char *
kinema_drop_zone_get_summary (KinemaDropZone *self)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), NULL);
  return self->summary;
}

/**
 * kinema_drop_zone_get_image_size:
 * @width: (out): the prepared image's width in pixels
 * @height: (out): its height
 *
 * Returns: %TRUE when the zone holds a local image whose size is known (not for a web
 *   link, which is not downloaded), %FALSE otherwise.
 */
gboolean
kinema_drop_zone_get_image_size (KinemaDropZone *self,
                                 int            *width,
                                 int            *height)
{
  g_return_val_if_fail (KINEMA_IS_DROP_ZONE (self), FALSE);

  *width = self->width;
  *height = self->height;
  return self->width > 0 && self->height > 0;
}
