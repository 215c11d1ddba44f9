/* kinema-provider-editor.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-provider-editor"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kinema-error.h"
#include "kinema-provider-editor.h"

struct _KinemaProviderEditor
{
  GtkWidget parent_instance;

  KinemaProviderRegistry *registry;
  KinemaClient           *client;
  KinemaProvider         *provider; /* NULL while adding */
  char                   *preset_id;
  GCancellable           *test_cancellable;
  gulong                  keyring_handler;

  AdwWindowTitle *window_title;
  GtkWidget      *save_button;
  GtkWidget      *keyring_group;
  GtkWidget      *provider_group;
  AdwEntryRow    *name_row;
  AdwEntryRow    *base_url_row;
  AdwComboRow    *style_row;
  GtkSwitch      *private_http_switch;
  GtkLabel       *url_error_label;
  GtkWidget      *auth_group;
  AdwComboRow    *auth_row;
  AdwEntryRow    *api_key_row;
  AdwEntryRow    *access_key_row;
  AdwEntryRow    *secret_key_row;
  GtkWidget      *test_spinner;
  GtkButton      *test_button;
  GtkLabel       *test_result_label;
  GtkWidget      *use_now_button;
  GtkWidget      *remove_group;
  GtkWidget      *remove_button;
};

G_DEFINE_FINAL_TYPE (KinemaProviderEditor, kinema_provider_editor, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_REGISTRY,
  PROP_CLIENT,
  PROP_PROVIDER,
  PROP_PRESET_ID,
  PROP_CAN_SAVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_BACK,
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Reading the form */

static char *
dup_entry_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

static KinemaAuthKind
get_form_auth (KinemaProviderEditor *self)
{
  return adw_combo_row_get_selected (self->auth_row) == 1 ? KINEMA_AUTH_KLING_JWT : KINEMA_AUTH_BEARER;
}

static KinemaApiStyle
get_form_style (KinemaProviderEditor *self)
{
  switch (adw_combo_row_get_selected (self->style_row))
    {
    case 1:
      return KINEMA_API_STYLE_VIDEO_GENERATIONS;
    case 2:
      return KINEMA_API_STYLE_OPENAI_VIDEOS;
    default:
      return KINEMA_API_STYLE_KLING;
    }
}

static KinemaUrlPolicy
get_form_url_policy (KinemaProviderEditor *self)
{
  return gtk_switch_get_active (self->private_http_switch) ? KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP
                                                           : KINEMA_URL_POLICY_DEFAULT;
}

static gboolean
form_has_keys (KinemaProviderEditor *self)
{
  g_autofree char *api_key = dup_entry_text (self->api_key_row);
  g_autofree char *access_key = dup_entry_text (self->access_key_row);
  g_autofree char *secret_key = dup_entry_text (self->secret_key_row);

  if (get_form_auth (self) == KINEMA_AUTH_KLING_JWT)
    return access_key[0] != '\0' && secret_key[0] != '\0';

  return api_key[0] != '\0';
}

/* TRUE when the form does not change how the saved provider connects, so its stored
 * keys can be used to test it. */
static gboolean
form_matches_provider (KinemaProviderEditor *self)
{
  g_autofree char *url = dup_entry_text (self->base_url_row);

  return self->provider != NULL &&
         g_strcmp0 (url, kinema_provider_get_base_url (self->provider)) == 0 &&
         get_form_style (self) == kinema_provider_get_api_style (self->provider) &&
         get_form_auth (self) == kinema_provider_get_auth_kind (self->provider) &&
         get_form_url_policy (self) == kinema_provider_get_url_policy (self->provider);
}

static gboolean
check_form (KinemaProviderEditor *self,
            GError              **error)
{
  g_autofree char *name = dup_entry_text (self->name_row);
  g_autofree char *url = dup_entry_text (self->base_url_row);

  if (name[0] == '\0')
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT, _("Enter a name for the provider."));
      return FALSE;
    }

  if (url[0] == '\0')
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_INVALID_INPUT,
                           _("Enter the base URL your provider gave you."));
      return FALSE;
    }

  if (!kinema_provider_validate_base_url_full (url, get_form_url_policy (self), error))
    return FALSE;

  /* a new provider needs its key; an edited one keeps the stored key when left empty */
  if (self->provider == NULL && !form_has_keys (self))
    {
      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_NO_KEY,
                           get_form_auth (self) == KINEMA_AUTH_KLING_JWT
                           ? _("Enter the access key and the secret key.")
                           : _("Enter the API key."));
      return FALSE;
    }

  return TRUE;
}

/* Updating the form */

static void
set_test_result (KinemaProviderEditor *self,
                 const char           *text,
                 gboolean              success)
{
  gtk_widget_set_visible (GTK_WIDGET (self->test_result_label), text != NULL);
  gtk_widget_set_visible (self->use_now_button, FALSE); /* offered again only after a new success */
  gtk_label_set_text (self->test_result_label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_label), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_result_label), "error");
  if (text != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->test_result_label), success ? "success" : "error");
}

static void
set_testing (KinemaProviderEditor *self,
             gboolean              testing)
{
  gtk_widget_set_visible (self->test_spinner, testing);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), testing);
  gtk_button_set_label (self->test_button, testing ? _("_Cancel") : _("_Test"));
}

static void
update_keyring_note (KinemaProviderEditor *self)
{
  gtk_widget_set_visible (self->keyring_group,
                          !kinema_provider_registry_get_keyring_available (self->registry));
}

static void
update_auth_rows (KinemaProviderEditor *self)
{
  gboolean jwt = get_form_auth (self) == KINEMA_AUTH_KLING_JWT;

  gtk_widget_set_visible (GTK_WIDGET (self->api_key_row), !jwt);
  gtk_widget_set_visible (GTK_WIDGET (self->access_key_row), jwt);
  gtk_widget_set_visible (GTK_WIDGET (self->secret_key_row), jwt);
}

static void
update_url_error (KinemaProviderEditor *self)
{
  g_autofree char *url = dup_entry_text (self->base_url_row);
  g_autoptr(GError) error = NULL;

  /* an empty field is not an error yet: Save stays off until it is filled in */
  if (url[0] == '\0' || kinema_provider_validate_base_url_full (url, get_form_url_policy (self), &error))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->url_error_label), FALSE);
      gtk_widget_remove_css_class (GTK_WIDGET (self->base_url_row), "error");
      return;
    }

  gtk_label_set_text (self->url_error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->url_error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->base_url_row), "error");
}

static void
update_state (KinemaProviderEditor *self)
{
  gboolean was = gtk_widget_get_sensitive (self->save_button);
  gboolean can_save = check_form (self, NULL);

  update_auth_rows (self);
  update_url_error (self);
  gtk_widget_set_sensitive (self->save_button, can_save);

  if (was != can_save)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_SAVE]);
}

static void
on_field_changed_cb (KinemaProviderEditor *self)
{
  /* a result describes the settings it was made with */
  if (self->test_cancellable == NULL)
    set_test_result (self, NULL, FALSE);
  update_state (self);
}

static void
on_keyring_available_cb (KinemaProviderEditor *self)
{
  update_keyring_note (self);
}

/* Test connection */

static char *
describe_test_error (const GError *error)
{
  if (error->domain != KINEMA_ERROR)
    return g_strdup_printf (_("The test did not work: %s"), error->message);

  switch ((KinemaErrorCode) error->code)
    {
    case KINEMA_ERROR_AUTH:
      return g_strdup (_("The provider did not accept this key. Check that you copied all of it "
                         "and that it has not expired."));
    case KINEMA_ERROR_NO_KEY:
      return g_strdup (_("Enter the key first."));
    case KINEMA_ERROR_NETWORK:
      return g_strdup (_("Could not reach the server. Check the base URL and your internet connection."));
    case KINEMA_ERROR_TIMEOUT:
      return g_strdup (_("The server did not answer in time. Check the base URL, or try again later."));
    case KINEMA_ERROR_TLS:
      return g_strdup (_("The server's security certificate could not be verified."));
    case KINEMA_ERROR_UNSUPPORTED_ROUTE:
    case KINEMA_ERROR_BAD_REPLY:
      return g_strdup (_("The server answered, but not as a video API. Check the base URL and the API style."));
    case KINEMA_ERROR_ACCOUNT:
    case KINEMA_ERROR_PERMISSION:
      return g_strdup_printf (_("The key was accepted, but: %s"), error->message);
    case KINEMA_ERROR_RATE_LIMITED:
    case KINEMA_ERROR_SERVER:
      return g_strdup_printf (_("The server has a problem right now: %s"), error->message);
    case KINEMA_ERROR_INVALID_INPUT:
    case KINEMA_ERROR_INVALID_REQUEST:
    case KINEMA_ERROR_NOT_FOUND:
    case KINEMA_ERROR_CONTENT_POLICY:
    case KINEMA_ERROR_CONCURRENCY_LIMIT:
    case KINEMA_ERROR_TASK_FAILED:
    case KINEMA_ERROR_DISK:
    case KINEMA_ERROR_KEYRING:
    case KINEMA_ERROR_MEDIA:
    default:
      return g_strdup (error->message);
    }
}

/* TRUE when the provider being edited is already the one Generate uses. */
static gboolean
is_default (KinemaProviderEditor *self)
{
  return self->provider != NULL && g_strcmp0 (kinema_provider_get_id (self->provider),
                                              kinema_provider_registry_get_default_id (self->registry)) == 0;
}

static void
on_test_finished (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KinemaProviderEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = kinema_client_test_connection_finish (KINEMA_CLIENT (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the user cancelled or the editor went away; the state is already reset */

  g_clear_object (&self->test_cancellable);
  set_testing (self, FALSE);

  if (ok)
    {
      set_test_result (self, _("Connected. The provider accepted the key."), TRUE);
      gtk_widget_set_visible (self->use_now_button, !is_default (self));
      return;
    }

  {
    g_autofree char *text = describe_test_error (error);

    g_debug ("Connection test failed: %s", error->message);
    set_test_result (self, text, FALSE);
  }
}

static KinemaProvider *
dup_test_provider (KinemaProviderEditor *self,
                   GError              **error)
{
  g_autofree char *name = dup_entry_text (self->name_row);
  g_autofree char *url = dup_entry_text (self->base_url_row);
  g_autoptr(KinemaProvider) provider = NULL;

  if (!kinema_provider_validate_base_url_full (url, get_form_url_policy (self), error))
    return NULL;

  if (!form_has_keys (self))
    {
      /* an edited provider may be tested with the key already stored for it */
      if (form_matches_provider (self) && kinema_provider_get_has_credentials (self->provider))
        return g_object_ref (self->provider);

      g_set_error_literal (error, KINEMA_ERROR, KINEMA_ERROR_NO_KEY, "no key in the form");
      return NULL;
    }

  provider = kinema_provider_new ("connection-test", name, url, get_form_style (self), get_form_auth (self));
  kinema_provider_set_allow_private_http (provider, gtk_switch_get_active (self->private_http_switch));
  if (get_form_auth (self) == KINEMA_AUTH_KLING_JWT)
    {
      g_autofree char *access_key = dup_entry_text (self->access_key_row);
      g_autofree char *secret_key = dup_entry_text (self->secret_key_row);

      kinema_provider_set_kling_keys (provider, access_key, secret_key);
    }
  else
    {
      g_autofree char *api_key = dup_entry_text (self->api_key_row);

      kinema_provider_set_api_key (provider, api_key);
    }

  return g_steal_pointer (&provider);
}

static void
on_test_clicked_cb (KinemaProviderEditor *self)
{
  g_autoptr(KinemaProvider) provider = NULL;
  g_autoptr(GError) error = NULL;

  if (self->test_cancellable != NULL)
    {
      g_cancellable_cancel (self->test_cancellable);
      g_clear_object (&self->test_cancellable);
      set_testing (self, FALSE);
      set_test_result (self, _("Test cancelled."), FALSE);
      return;
    }

  provider = dup_test_provider (self, &error);
  if (provider == NULL)
    {
      g_autofree char *text = describe_test_error (error);

      set_test_result (self, text, FALSE);
      return;
    }

  set_test_result (self, NULL, FALSE);
  set_testing (self, TRUE);
  self->test_cancellable = g_cancellable_new ();
  kinema_client_test_connection_async (self->client, provider, self->test_cancellable, on_test_finished,
                                       g_object_ref (self));
}

/* Save, back, remove */

static void
on_keys_stored (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* on KINEMA_ERROR_KEYRING the registry keeps the key for this run and notifies
   * keyring-available, which shows the note; nothing else to do here */
  if (!kinema_provider_registry_store_keys_finish (KINEMA_PROVIDER_REGISTRY (object), result, &error))
    g_debug ("Keys not stored in the keyring: %s", error->message);
}

gboolean
kinema_provider_editor_save (KinemaProviderEditor *self,
                             GError              **error)
{
  g_autofree char *name = NULL;
  g_autofree char *url = NULL;
  KinemaProvider  *provider;

  g_return_val_if_fail (KINEMA_IS_PROVIDER_EDITOR (self), FALSE);

  if (!check_form (self, error))
    return FALSE;

  name = dup_entry_text (self->name_row);
  url = dup_entry_text (self->base_url_row);

  if (self->provider == NULL)
    {
      g_autofree char *id = kinema_provider_registry_dup_unique_id (self->registry, self->preset_id);
      g_autoptr(KinemaProvider) created = kinema_provider_new (id, name, url, get_form_style (self),
                                                                get_form_auth (self));

      kinema_provider_set_preset_id (created, self->preset_id);
      kinema_provider_set_allow_private_http (created, gtk_switch_get_active (self->private_http_switch));
      kinema_provider_registry_add (self->registry, created);
      self->provider = g_steal_pointer (&created);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROVIDER]);
    }
  else
    {
      kinema_provider_set_name (self->provider, name);
      kinema_provider_set_base_url (self->provider, url);
      kinema_provider_set_api_style (self->provider, get_form_style (self));
      kinema_provider_set_auth_kind (self->provider, get_form_auth (self));
      kinema_provider_set_allow_private_http (self->provider, gtk_switch_get_active (self->private_http_switch));
    }

  provider = self->provider;

  /* the keys are set on the provider at once and saved in the background; the keyring
   * gives up after a few seconds, so this never waits for a prompt */
  if (form_has_keys (self))
    {
      g_autofree char *first = NULL;
      g_autofree char *secret = NULL;

      if (get_form_auth (self) == KINEMA_AUTH_KLING_JWT)
        {
          first = dup_entry_text (self->access_key_row);
          secret = dup_entry_text (self->secret_key_row);
        }
      else
        {
          first = dup_entry_text (self->api_key_row);
        }

      kinema_provider_registry_store_keys_async (self->registry, provider, first, secret, NULL,
                                                 on_keys_stored, NULL);
      explicit_bzero (first, strlen (first));
      if (secret != NULL)
        explicit_bzero (secret, strlen (secret));
      gtk_editable_set_text (GTK_EDITABLE (self->api_key_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->access_key_row), "");
      gtk_editable_set_text (GTK_EDITABLE (self->secret_key_row), "");
    }

  if (!kinema_provider_registry_save (self->registry, error))
    return FALSE;

  return TRUE;
}

static void
on_save_clicked_cb (KinemaProviderEditor *self)
{
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = kinema_provider_editor_save (self, &error);

  /* a provider that could not be written to disk still works for this run */
  if (error != NULL)
    g_warning ("Could not save the providers: %s", error->message);

  if (saved || self->provider != NULL)
    g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->provider, FALSE);
}

/* "Use It Now" after a successful test: save, then make this provider the default, which
 * the window's provider menu follows at once. */
static void
on_use_now_clicked_cb (KinemaProviderEditor *self)
{
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = kinema_provider_editor_save (self, &error);
  if (error != NULL)
    g_warning ("Could not save the providers: %s", error->message);
  if (!saved && self->provider == NULL)
    {
      set_test_result (self, error != NULL ? error->message : _("The provider could not be saved."), FALSE);
      return;
    }

  g_clear_error (&error);
  kinema_provider_registry_set_default (self->registry, self->provider);
  if (!kinema_provider_registry_save (self->registry, &error))
    g_warning ("Could not save the default provider: %s", error->message);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, self->provider, FALSE);
}

static void
on_back_clicked_cb (KinemaProviderEditor *self)
{
  if (self->test_cancellable != NULL)
    {
      g_cancellable_cancel (self->test_cancellable);
      g_clear_object (&self->test_cancellable);
      set_testing (self, FALSE);
    }
  g_signal_emit (self, signals[SIGNAL_BACK], 0);
}

static void
on_remove_response (AdwMessageDialog     *dialog,
                    const char           *response,
                    KinemaProviderEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KinemaProvider) provider = NULL;

  if (g_strcmp0 (response, "remove") != 0 || self->provider == NULL)
    return;

  provider = g_object_ref (self->provider);
  kinema_provider_registry_remove (self->registry, provider);
  if (!kinema_provider_registry_save (self->registry, &error))
    g_warning ("Could not save the providers: %s", error->message);

  g_signal_emit (self, signals[SIGNAL_FINISHED], 0, provider, TRUE);
}

static void
on_remove_clicked_cb (KinemaProviderEditor *self)
{
  GtkWidget *dialog;
  GtkRoot   *root = gtk_widget_get_root (GTK_WIDGET (self));

  g_return_if_fail (self->provider != NULL);

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Remove This Provider?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” and its keys will be removed from this computer. Clips made "
                                    "with it stay in the history."),
                                     kinema_provider_get_name (self->provider));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Filling the form */

static void
fill_form (KinemaProviderEditor *self)
{
  if (self->provider != NULL)
    {
      adw_window_title_set_title (self->window_title, _("Edit Provider"));
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), kinema_provider_get_name (self->provider));
      gtk_editable_set_text (GTK_EDITABLE (self->base_url_row),
                             kinema_provider_get_base_url (self->provider)
                                 ? kinema_provider_get_base_url (self->provider)
                                 : "");
      adw_combo_row_set_selected (self->style_row, kinema_provider_get_api_style (self->provider));
      gtk_switch_set_active (self->private_http_switch, kinema_provider_get_allow_private_http (self->provider));
      adw_combo_row_set_selected (self->auth_row,
                                  kinema_provider_get_auth_kind (self->provider) == KINEMA_AUTH_KLING_JWT ? 1 : 0);
      gtk_widget_set_visible (self->remove_group, !kinema_provider_get_is_demo (self->provider));
      if (kinema_provider_get_has_credentials (self->provider))
        adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->auth_group),
                                               _("A key is set. Leave the fields empty to keep it."));
    }
  else
    {
      const KinemaProviderPreset *preset = kinema_provider_preset_lookup (self->preset_id);

      if (preset == NULL)
        {
          g_free (self->preset_id);
          self->preset_id = g_strdup ("custom");
          preset = kinema_provider_preset_lookup (self->preset_id);
        }

      adw_window_title_set_title (self->window_title, _("Add Provider"));
      if (preset != NULL)
        {
          adw_window_title_set_subtitle (self->window_title, preset->name);
          if (g_strcmp0 (preset->id, "custom") != 0)
            gtk_editable_set_text (GTK_EDITABLE (self->name_row), preset->name);
          if (preset->base_url != NULL)
            gtk_editable_set_text (GTK_EDITABLE (self->base_url_row), preset->base_url);
          else
            adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->provider_group),
                                                   _("Enter the base URL your provider gave you. For Kling "
                                                     "passthrough gateways it usually ends in /kling."));
          adw_combo_row_set_selected (self->style_row, preset->style);
          adw_combo_row_set_selected (self->auth_row, preset->auth == KINEMA_AUTH_KLING_JWT ? 1 : 0);
          /* Kling issues single API keys (sent as a plain Bearer token) as well as key
           * pairs (PROTOCOL.md 8.8); both work, crash recovery included. */
          if (g_strcmp0 (preset->id, "kling") == 0 || g_strcmp0 (preset->id, "kling-cn") == 0)
            adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->auth_group),
                                                   _("Kling gives either a single API key or an access key "
                                                     "and secret key pair. Choose the one you have."));
        }
    }

  update_keyring_note (self);
  update_state (self);
}

/* GObject */

static void
kinema_provider_editor_constructed (GObject *object)
{
  KinemaProviderEditor *self = KINEMA_PROVIDER_EDITOR (object);

  G_OBJECT_CLASS (kinema_provider_editor_parent_class)->constructed (object);

  g_assert (KINEMA_IS_PROVIDER_REGISTRY (self->registry));
  g_assert (KINEMA_IS_CLIENT (self->client));

  self->keyring_handler = g_signal_connect_object (self->registry, "notify::keyring-available",
                                                   G_CALLBACK (on_keyring_available_cb), self,
                                                   G_CONNECT_SWAPPED);
  fill_form (self);
}

static void
kinema_provider_editor_dispose (GObject *object)
{
  KinemaProviderEditor *self = KINEMA_PROVIDER_EDITOR (object);
  GtkWidget            *child;

  if (self->test_cancellable != NULL)
    g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), KINEMA_TYPE_PROVIDER_EDITOR);
  /* the header bar and the page are not bound, so unparent them here */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->provider);
  g_clear_object (&self->client);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (kinema_provider_editor_parent_class)->dispose (object);
}

static void
kinema_provider_editor_finalize (GObject *object)
{
  KinemaProviderEditor *self = KINEMA_PROVIDER_EDITOR (object);

  g_free (self->preset_id);

  G_OBJECT_CLASS (kinema_provider_editor_parent_class)->finalize (object);
}

static void
kinema_provider_editor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KinemaProviderEditor *self = KINEMA_PROVIDER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_PRESET_ID:
      g_value_set_string (value, self->preset_id);
      break;
    case PROP_CAN_SAVE:
      g_value_set_boolean (value, kinema_provider_editor_get_can_save (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_provider_editor_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KinemaProviderEditor *self = KINEMA_PROVIDER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    case PROP_PRESET_ID:
      self->preset_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_provider_editor_class_init (KinemaProviderEditorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kinema_provider_editor_constructed;
  object_class->dispose = kinema_provider_editor_dispose;
  object_class->finalize = kinema_provider_editor_finalize;
  object_class->get_property = kinema_provider_editor_get_property;
  object_class->set_property = kinema_provider_editor_set_property;

  properties[PROP_REGISTRY] =
      g_param_spec_object ("registry", NULL, NULL, KINEMA_TYPE_PROVIDER_REGISTRY,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
      g_param_spec_object ("client", NULL, NULL, KINEMA_TYPE_CLIENT,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * KinemaProviderEditor:provider:
   *
   * The provider being edited; set once a new provider is saved.
   */
  properties[PROP_PROVIDER] =
      g_param_spec_object ("provider", NULL, NULL, KINEMA_TYPE_PROVIDER,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRESET_ID] =
      g_param_spec_string ("preset-id", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_SAVE] =
      g_param_spec_boolean ("can-save", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_BACK] =
      g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 0);
  signals[SIGNAL_FINISHED] =
      g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, KINEMA_TYPE_PROVIDER, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kinema-provider-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, keyring_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, provider_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, base_url_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, style_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, private_http_switch);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, url_error_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, auth_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, auth_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, secret_key_row);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, test_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, test_result_label);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, use_now_button);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, remove_group);
  gtk_widget_class_bind_template_child (widget_class, KinemaProviderEditor, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_use_now_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
}

static void
kinema_provider_editor_init (KinemaProviderEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kinema_provider_editor_new (KinemaProviderRegistry *registry,
                            KinemaClient           *client,
                            KinemaProvider         *provider,
                            const char             *preset_id)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (registry), NULL);
  g_return_val_if_fail (KINEMA_IS_CLIENT (client), NULL);
  g_return_val_if_fail (provider == NULL || KINEMA_IS_PROVIDER (provider), NULL);

  return g_object_new (KINEMA_TYPE_PROVIDER_EDITOR,
                       "registry", registry,
                       "client", client,
                       "provider", provider,
                       "preset-id", preset_id,
                       NULL);
}

KinemaProvider *
kinema_provider_editor_get_provider (KinemaProviderEditor *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_EDITOR (self), NULL);

  return self->provider;
}

gboolean
kinema_provider_editor_get_can_save (KinemaProviderEditor *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_EDITOR (self), FALSE);

  return gtk_widget_get_sensitive (self->save_button);
}
