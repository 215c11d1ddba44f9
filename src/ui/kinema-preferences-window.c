/* kinema-preferences-window.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-preferences-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-preferences-window.h"
#include "kinema-provider-editor.h"

struct _KinemaPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  KinemaProviderRegistry *registry;
  KinemaClient           *client;
  GSettings              *settings;
  GtkFileChooserNative   *chooser;
  GtkWidget              *group_anchor; /* never shown: makes every default mark a radio */
  GtkStack               *add_stack;    /* weak: the add-provider subpage while shown */
  gboolean                syncing_default;

  GtkWidget     *keyring_group;
  GtkListBox    *providers_list;
  AdwActionRow  *downloads_row;
  GtkWidget     *downloads_reset_button;
  GtkWidget     *notify_switch;
  GtkWidget     *adaptive_switch;
  GtkAdjustment *interval_adjustment;
};

G_DEFINE_FINAL_TYPE (KinemaPreferencesWindow, kinema_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_REGISTRY,
  PROP_CLIENT,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_PROVIDER_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
kinema_preferences_dup_downloads_folder (GSettings *settings)
{
  g_autofree char *folder = NULL;
  const char      *videos;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  folder = g_settings_get_string (settings, "downloads-folder");
  if (folder[0] != '\0')
    return g_steal_pointer (&folder);

  videos = g_get_user_special_dir (G_USER_DIRECTORY_VIDEOS);
  if (videos != NULL && g_strcmp0 (videos, g_get_home_dir ()) != 0)
    return g_build_filename (videos, "Kinema", NULL);

  return g_build_filename (g_get_home_dir (), "Videos", "Kinema", NULL);
}

static void
toast (KinemaPreferencesWindow *self,
       const char              *text)
{
  /* toast titles are markup; names and error messages are not */
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
}

/* Keyring note */

static void
update_keyring_note (KinemaPreferencesWindow *self)
{
  gtk_widget_set_visible (self->keyring_group,
                          !kinema_provider_registry_get_keyring_available (self->registry));
}

/* Provider list */

static void
update_provider_row (AdwActionRow   *row,
                     GParamSpec     *pspec,
                     KinemaProvider *provider)
{
  const char *url = kinema_provider_get_base_url (provider);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), kinema_provider_get_name (provider));

  if (kinema_provider_get_is_demo (provider))
    adw_action_row_set_subtitle (row, _("Built in. Works offline, without an account. Clips are marked as demos."));
  else if (!kinema_provider_get_has_credentials (provider))
    {
      g_autofree char *text = g_strdup_printf (_("%s · No key set"), url != NULL ? url : "");

      adw_action_row_set_subtitle (row, text);
    }
  else
    adw_action_row_set_subtitle (row, url != NULL ? url : "");
}

/* The default follows the registry's rule (the last used, else the first provider with a
 * key, else the demo), so it can change when providers or keys change. */
static void
sync_default_checks (KinemaPreferencesWindow *self)
{
  KinemaProvider *chosen = kinema_provider_registry_get_default (self->registry);
  GtkListBoxRow  *row;

  self->syncing_default = TRUE;
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->providers_list, i)) != NULL; i++)
    {
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "kinema-check");

      if (check != NULL && g_object_get_data (G_OBJECT (row), "kinema-provider") == chosen)
        gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
    }
  self->syncing_default = FALSE;
}

static void
on_provider_notify (KinemaProvider *provider,
                    GParamSpec     *pspec,
                    AdwActionRow   *row)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (row), KINEMA_TYPE_PREFERENCES_WINDOW);

  update_provider_row (row, pspec, provider);
  if (window != NULL && g_strcmp0 (pspec->name, "has-credentials") == 0)
    sync_default_checks (KINEMA_PREFERENCES_WINDOW (window));
}

static void
on_default_toggled (GtkCheckButton          *check,
                    KinemaPreferencesWindow *self)
{
  KinemaProvider *provider = g_object_get_data (G_OBJECT (check), "kinema-provider");
  g_autoptr(GError) error = NULL;

  if (!gtk_check_button_get_active (check) || provider == NULL || self->syncing_default)
    return;

  kinema_provider_registry_set_default (self->registry, provider);
  if (!kinema_provider_registry_save (self->registry, &error))
    toast (self, error->message);
}

static GtkWidget *
create_provider_row (gpointer item,
                     gpointer user_data)
{
  KinemaPreferencesWindow *self = user_data;
  KinemaProvider          *provider = item;
  GtkWidget               *row;
  GtkWidget               *check;
  g_autofree char         *check_label = NULL;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_set_name (row, kinema_provider_get_id (provider));
  g_object_set_data_full (G_OBJECT (row), "kinema-provider", g_object_ref (provider), g_object_unref);
  update_provider_row (ADW_ACTION_ROW (row), NULL, provider);
  g_signal_connect_object (provider, "notify", G_CALLBACK (on_provider_notify), row, 0);

  check = gtk_check_button_new ();
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  check_label = g_strdup_printf (_("Use %s by default"), kinema_provider_get_name (provider));
  gtk_widget_set_tooltip_text (check, _("Use by default"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, check_label, -1);
  g_object_set_data_full (G_OBJECT (check), "kinema-provider", g_object_ref (provider), g_object_unref);
  gtk_check_button_set_group (GTK_CHECK_BUTTON (check), GTK_CHECK_BUTTON (self->group_anchor));
  self->syncing_default = TRUE;
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                               kinema_provider_registry_get_default (self->registry) == provider);
  self->syncing_default = FALSE;
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_default_toggled), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  g_object_set_data (G_OBJECT (row), "kinema-check", check);

  if (kinema_provider_get_is_demo (provider))
    {
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
    }
  else
    {
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("Activate to edit"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    }

  return row;
}

static void
on_provider_row_activated_cb (KinemaPreferencesWindow *self,
                              GtkListBoxRow           *row)
{
  KinemaProvider *provider = g_object_get_data (G_OBJECT (row), "kinema-provider");

  if (provider != NULL && !kinema_provider_get_is_demo (provider))
    kinema_preferences_window_edit_provider (self, provider);
}

/* Subpages: add and edit */

static void
on_editor_back (KinemaProviderEditor    *editor,
                KinemaPreferencesWindow *self)
{
  if (self->add_stack != NULL && gtk_widget_is_ancestor (GTK_WIDGET (editor), GTK_WIDGET (self->add_stack)))
    gtk_stack_set_visible_child_name (self->add_stack, "presets");
  else
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
}

static void
on_editor_finished (KinemaProviderEditor    *editor,
                    KinemaProvider          *provider,
                    gboolean                 removed,
                    KinemaPreferencesWindow *self)
{
  g_autofree char *text = NULL;

  if (removed)
    text = g_strdup_printf (_("“%s” removed"), kinema_provider_get_name (provider));
  else if (self->add_stack != NULL && gtk_widget_is_ancestor (GTK_WIDGET (editor), GTK_WIDGET (self->add_stack)))
    text = g_strdup_printf (_("“%s” added"), kinema_provider_get_name (provider));
  else
    text = g_strdup_printf (_("“%s” saved"), kinema_provider_get_name (provider));

  adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  toast (self, text);

  if (!removed)
    g_signal_emit (self, signals[SIGNAL_PROVIDER_SAVED], 0, provider);
}

static GtkWidget *
create_editor (KinemaPreferencesWindow *self,
               KinemaProvider          *provider,
               const char              *preset_id)
{
  GtkWidget *editor = kinema_provider_editor_new (self->registry, self->client, provider, preset_id);

  g_signal_connect_object (editor, "back", G_CALLBACK (on_editor_back), self, 0);
  g_signal_connect_object (editor, "finished", G_CALLBACK (on_editor_finished), self, 0);
  return editor;
}

/* Esc leaves a subpage (the provider editor, the list of presets) rather than the
 * whole window (issue 12, point 11); on the main pages it closes the window as before. */
static gboolean
on_key_pressed (GtkEventControllerKey   *controller,
                guint                    keyval,
                guint                    keycode,
                GdkModifierType          state,
                KinemaPreferencesWindow *self)
{
  if (keyval != GDK_KEY_Escape || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return GDK_EVENT_PROPAGATE;
  /* Both main pages covered: a subpage is shown. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self->providers_list)) || gtk_widget_get_mapped (self->notify_switch))
    return GDK_EVENT_PROPAGATE;

  if (self->add_stack != NULL && gtk_widget_get_mapped (GTK_WIDGET (self->add_stack)) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->add_stack), "presets") != 0)
    gtk_stack_set_visible_child_name (self->add_stack, "presets");
  else
    adw_preferences_window_close_subpage (ADW_PREFERENCES_WINDOW (self));
  return GDK_EVENT_STOP;
}

void
kinema_preferences_window_edit_provider (KinemaPreferencesWindow *self,
                                         KinemaProvider          *provider)
{
  g_return_if_fail (KINEMA_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  g_return_if_fail (!kinema_provider_get_is_demo (provider));

  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), create_editor (self, provider, NULL));
}

static void
on_preset_activated (AdwActionRow            *row,
                     KinemaPreferencesWindow *self)
{
  const char *preset_id = gtk_widget_get_name (GTK_WIDGET (row));
  GtkWidget  *old;
  GtkWidget  *editor;

  if (self->add_stack == NULL)
    return;

  old = gtk_stack_get_child_by_name (self->add_stack, "editor");
  if (old != NULL)
    gtk_stack_remove (self->add_stack, old);

  editor = create_editor (self, NULL, preset_id);
  gtk_stack_add_named (self->add_stack, editor, "editor");
  gtk_stack_set_visible_child (self->add_stack, editor);
}

static GtkWidget *
create_add_page (KinemaPreferencesWindow *self)
{
  const KinemaProviderPreset *presets;
  GtkWidget                  *stack;
  GtkWidget                  *box;
  GtkWidget                  *header;
  GtkWidget                  *back;
  GtkWidget                  *page;
  GtkWidget                  *group;
  guint                       n_presets;

  stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (stack), GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new (_("Add Provider"), NULL));
  back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  gtk_widget_set_tooltip_text (back, _("Back"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  g_signal_connect_object (back, "clicked", G_CALLBACK (adw_preferences_window_close_subpage), self,
                           G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  gtk_box_append (GTK_BOX (box), header);

  page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (page, TRUE);
  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Where Do You Have an Account?"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Choose the service that gave you your key. Any gateway that "
                                           "speaks one of the supported APIs works with “Custom”."));

  presets = kinema_provider_presets (&n_presets);
  for (guint i = 0; i < n_presets; i++)
    {
      GtkWidget  *row = adw_action_row_new ();
      const char *subtitle;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_set_name (row, presets[i].id);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), presets[i].name);
      if (g_str_equal (presets[i].id, "custom"))
        subtitle = _("Another gateway: enter its address and API style");
      else if (presets[i].base_url != NULL)
        subtitle = presets[i].base_url;
      else
        subtitle = _("Enter the address your provider gave you");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_signal_connect_object (row, "activated", G_CALLBACK (on_preset_activated), self, 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_box_append (GTK_BOX (box), page);
  gtk_stack_add_named (GTK_STACK (stack), box, "presets");

  return stack;
}

void
kinema_preferences_window_show_add_provider (KinemaPreferencesWindow *self)
{
  GtkWidget *stack;

  g_return_if_fail (KINEMA_IS_PREFERENCES_WINDOW (self));

  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (self->providers_list),
                                                                                          ADW_TYPE_PREFERENCES_PAGE)));
  /* already adding: back to the list of presets rather than a second subpage */
  if (self->add_stack != NULL && gtk_widget_get_parent (GTK_WIDGET (self->add_stack)) != NULL)
    {
      gtk_stack_set_visible_child_name (self->add_stack, "presets");
      adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), GTK_WIDGET (self->add_stack));
      return;
    }

  stack = create_add_page (self);
  g_set_weak_pointer (&self->add_stack, GTK_STACK (stack));
  adw_preferences_window_present_subpage (ADW_PREFERENCES_WINDOW (self), stack);
}

static void
on_add_clicked_cb (KinemaPreferencesWindow *self)
{
  kinema_preferences_window_show_add_provider (self);
}

/* Downloads folder */

static void
update_downloads_row (KinemaPreferencesWindow *self)
{
  g_autofree char *folder = kinema_preferences_dup_downloads_folder (self->settings);
  g_autofree char *custom = g_settings_get_string (self->settings, "downloads-folder");
  g_autoptr(GFile) file = g_file_new_for_path (folder);
  g_autofree char *display = g_file_get_parse_name (file);

  adw_action_row_set_subtitle (self->downloads_row, display);
  gtk_widget_set_visible (self->downloads_reset_button, custom[0] != '\0');
}

static void
on_downloads_changed (GSettings               *settings,
                      const char              *key,
                      KinemaPreferencesWindow *self)
{
  update_downloads_row (self);
}

static void
on_chooser_response (GtkNativeDialog         *chooser,
                     int                      response,
                     KinemaPreferencesWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "downloads-folder", path);
      else if (folder != NULL)
        toast (self, _("Choose a folder on this computer."));
    }

  g_clear_object (&self->chooser);
}

static void
on_downloads_choose_clicked_cb (KinemaPreferencesWindow *self)
{
  g_autofree char *current = kinema_preferences_dup_downloads_folder (self->settings);
  g_autoptr(GFile) file = g_file_new_for_path (current);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Downloads Folder"), GTK_WINDOW (self),
                                                  GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Select"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (g_file_query_exists (file, NULL))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), file, NULL);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
on_downloads_reset_clicked_cb (KinemaPreferencesWindow *self)
{
  g_settings_reset (self->settings, "downloads-folder");
}

/* GObject */

static void
kinema_preferences_window_constructed (GObject *object)
{
  KinemaPreferencesWindow *self = KINEMA_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (kinema_preferences_window_parent_class)->constructed (object);

  g_assert (KINEMA_IS_PROVIDER_REGISTRY (self->registry));
  g_assert (KINEMA_IS_CLIENT (self->client));
  g_assert (G_IS_SETTINGS (self->settings));

  gtk_list_box_bind_model (self->providers_list, G_LIST_MODEL (self->registry), create_provider_row, self, NULL);
  /* after the list box's own handler, so the rows exist */
  g_signal_connect_object (self->registry, "items-changed", G_CALLBACK (sync_default_checks), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->registry, "notify::default-id", G_CALLBACK (sync_default_checks), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->registry, "notify::keyring-available", G_CALLBACK (update_keyring_note), self,
                           G_CONNECT_SWAPPED);
  update_keyring_note (self);

  g_settings_bind (self->settings, "notify-on-finish", self->notify_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "adaptive-polling", self->adaptive_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "min-poll-interval", self->interval_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (self->settings, "changed::downloads-folder", G_CALLBACK (on_downloads_changed), self, 0);
  update_downloads_row (self);
}

static void
kinema_preferences_window_dispose (GObject *object)
{
  KinemaPreferencesWindow *self = KINEMA_PREFERENCES_WINDOW (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->group_anchor);
  g_clear_weak_pointer (&self->add_stack);
  if (self->providers_list != NULL)
    gtk_list_box_bind_model (self->providers_list, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_PREFERENCES_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (kinema_preferences_window_parent_class)->dispose (object);
}

static void
kinema_preferences_window_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  KinemaPreferencesWindow *self = KINEMA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_preferences_window_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  KinemaPreferencesWindow *self = KINEMA_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_preferences_window_class_init (KinemaPreferencesWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kinema_preferences_window_constructed;
  object_class->dispose = kinema_preferences_window_dispose;
  object_class->get_property = kinema_preferences_window_get_property;
  object_class->set_property = kinema_preferences_window_set_property;

  properties[PROP_REGISTRY] =
      g_param_spec_object ("registry", NULL, NULL, KINEMA_TYPE_PROVIDER_REGISTRY,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
      g_param_spec_object ("client", NULL, NULL, KINEMA_TYPE_CLIENT,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS] =
      g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KinemaPreferencesWindow::provider-saved:
   * @provider: the provider added or changed
   *
   * A provider was added or edited (perhaps with a new key): the application resumes
   * its paused tasks with kinema_task_manager_resume_provider().
   */
  signals[SIGNAL_PROVIDER_SAVED] =
      g_signal_new ("provider-saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, KINEMA_TYPE_PROVIDER);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaPreferencesWindow, keyring_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaPreferencesWindow, providers_list);
  gtk_widget_class_bind_template_child (widget_class, KinemaPreferencesWindow, downloads_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaPreferencesWindow, downloads_reset_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaPreferencesWindow, notify_switch);
  gtk_widget_class_bind_template_child (widget_class, KinemaPreferencesWindow, adaptive_switch);
  gtk_widget_class_bind_template_child (widget_class, KinemaPreferencesWindow, interval_adjustment);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_provider_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_downloads_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_downloads_reset_clicked_cb);

  g_type_ensure (KINEMA_TYPE_PROVIDER_EDITOR);
}

static void
kinema_preferences_window_init (KinemaPreferencesWindow *self)
{
  GtkEventController *keys;

  self->group_anchor = g_object_ref_sink (gtk_check_button_new ());
  gtk_widget_init_template (GTK_WIDGET (self));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (keys, "kinema-escape");
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
kinema_preferences_window_new (GtkWindow              *parent,
                               KinemaProviderRegistry *registry,
                               KinemaClient           *client,
                               GSettings              *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (registry), NULL);
  g_return_val_if_fail (KINEMA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (KINEMA_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "registry", registry,
                       "client", client,
                       "settings", settings,
                       NULL);
}
