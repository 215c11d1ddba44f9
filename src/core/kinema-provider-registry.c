/* kinema-provider-registry.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-provider-registry"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "kinema-enums.h"
#include "kinema-error.h"
#include "kinema-keyring.h"
#include "kinema-provider-registry.h"

#define GROUP_GENERAL   "general"
#define PROVIDER_PREFIX "provider:"

struct _KinemaProviderRegistry
{
  GObject         parent_instance;

  char           *config_dir;
  GPtrArray      *items;        /* KinemaProvider, the demo first */
  KinemaProvider *demo;
  char           *last_used;
  GHashTable     *env_ids;      /* ids whose keys come from the environment */
  char           *env_provider; /* the one provider the environment's keys are for */
  guint           keyring_available : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KinemaProviderRegistry, kinema_provider_registry, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_CONFIG_DIR,
  PROP_KEYRING_AVAILABLE,
  PROP_N_ITEMS,
  PROP_DEFAULT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_PROVIDER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Presets */

static KinemaProviderPreset presets[7];

const KinemaProviderPreset *
kinema_provider_presets (guint *n_presets)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      const KinemaProviderPreset table[] = {
        { "kling", _("Kling (official)"), "https://api-singapore.klingai.com",
          KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT },
        { "kling-cn", _("Kling China"), "https://api-beijing.klingai.com",
          KINEMA_API_STYLE_KLING, KINEMA_AUTH_KLING_JWT },
        { "n1n", _("n1n"), "https://api.n1n.ai/kling",
          KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER },
        { "xiexus", _("xiexus"), "https://api.xiexus.cn/kling",
          KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER },
        { "nicerouter", _("NiceRouter"), NULL,
          KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER },
        { "open-route", _("open-route"), NULL,
          KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER },
        { "custom", _("Custom"), NULL,
          KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER },
      };

      G_STATIC_ASSERT (G_N_ELEMENTS (table) == G_N_ELEMENTS (presets));
      memcpy (presets, table, sizeof table);
      g_once_init_leave (&initialized, 1);
    }

  if (n_presets != NULL)
    *n_presets = G_N_ELEMENTS (presets);
  return presets;
}

const KinemaProviderPreset *
kinema_provider_preset_lookup (const char *preset_id)
{
  const KinemaProviderPreset *table;
  guint n;

  if (preset_id == NULL)
    return NULL;

  table = kinema_provider_presets (&n);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (table[i].id, preset_id) == 0)
      return &table[i];

  return NULL;
}

/* GListModel */

static GType
list_model_get_item_type (GListModel *model)
{
  return KINEMA_TYPE_PROVIDER;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return KINEMA_PROVIDER_REGISTRY (model)->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  KinemaProviderRegistry *self = KINEMA_PROVIDER_REGISTRY (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
items_changed (KinemaProviderRegistry *self,
               guint                   position,
               guint                   removed,
               guint                   added)
{
  if (removed == 0 && added == 0)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Edits of a provider in place (Preferences) */

static void
on_provider_notify (KinemaProvider         *provider,
                    GParamSpec             *pspec,
                    KinemaProviderRegistry *self)
{
  /* has-credentials follows the keys, which arrive from the keyring and are no
   * setting of the provider's */
  if (g_strcmp0 (g_param_spec_get_name (pspec), "has-credentials") == 0)
    return;

  g_signal_emit (self, signals[SIGNAL_PROVIDER_CHANGED], 0, provider);
}

/* Appends @provider (transfer full) and follows its edits. */
static void
take_item (KinemaProviderRegistry *self,
           KinemaProvider         *provider)
{
  g_signal_connect (provider, "notify", G_CALLBACK (on_provider_notify), self);
  g_ptr_array_add (self->items, provider);
}

/* Removes the items from @position to the end, and stops following them. */
static void
drop_items (KinemaProviderRegistry *self,
            guint                   position,
            guint                   n_items)
{
  for (guint i = position; i < position + n_items; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->items, i), on_provider_notify, self);
  g_ptr_array_remove_range (self->items, position, n_items);
}

/* Environment overrides */

/* The environment's keys were given for one gateway; sent to every other one they
 * would leak (issue 15, point 4). They belong to the provider named by
 * kinema_provider_registry_set_env_provider() or KINEMA_PROVIDER; with none named,
 * to the only configured provider of their kind, and otherwise to none. */
static gboolean
env_is_for (KinemaProviderRegistry *self,
            KinemaProvider         *provider)
{
  KinemaAuthKind auth = kinema_provider_get_auth_kind (provider);
  guint          n_same = 0;

  if (kinema_provider_get_is_demo (provider))
    return FALSE;
  if (self->env_provider != NULL)
    return g_strcmp0 (self->env_provider, kinema_provider_get_id (provider)) == 0;

  for (guint i = 1; i < self->items->len; i++)
    {
      KinemaProvider *other = g_ptr_array_index (self->items, i);

      if (other != provider && kinema_provider_get_auth_kind (other) == auth)
        n_same++;
    }
  return n_same == 0;
}

static void
apply_env (KinemaProviderRegistry *self,
           KinemaProvider         *provider)
{
  const char *api_key = g_getenv ("KINEMA_API_KEY");
  const char *access_key = g_getenv ("KINEMA_ACCESS_KEY");
  const char *secret_key = g_getenv ("KINEMA_SECRET_KEY");

  if (!env_is_for (self, provider))
    return;

  if (kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_BEARER &&
      api_key != NULL && api_key[0] != '\0')
    {
      kinema_provider_set_api_key (provider, api_key);
      g_hash_table_add (self->env_ids, g_strdup (kinema_provider_get_id (provider)));
    }
  else if (kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_KLING_JWT &&
           access_key != NULL && access_key[0] != '\0' &&
           secret_key != NULL && secret_key[0] != '\0')
    {
      kinema_provider_set_kling_keys (provider, access_key, secret_key);
      g_hash_table_add (self->env_ids, g_strdup (kinema_provider_get_id (provider)));
    }
}

/* GObject */

static void
kinema_provider_registry_finalize (GObject *object)
{
  KinemaProviderRegistry *self = (KinemaProviderRegistry *)object;

  drop_items (self, 0, self->items->len);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->demo);
  g_clear_pointer (&self->config_dir, g_free);
  g_clear_pointer (&self->last_used, g_free);
  g_clear_pointer (&self->env_ids, g_hash_table_unref);
  g_clear_pointer (&self->env_provider, g_free);

  G_OBJECT_CLASS (kinema_provider_registry_parent_class)->finalize (object);
}

static void
kinema_provider_registry_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  KinemaProviderRegistry *self = KINEMA_PROVIDER_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_CONFIG_DIR:
      g_value_set_string (value, self->config_dir);
      break;

    case PROP_KEYRING_AVAILABLE:
      g_value_set_boolean (value, self->keyring_available);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    case PROP_DEFAULT_ID:
      g_value_set_string (value, self->last_used);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_provider_registry_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  KinemaProviderRegistry *self = KINEMA_PROVIDER_REGISTRY (object);

  switch (prop_id)
    {
    case PROP_CONFIG_DIR:
      g_free (self->config_dir);
      self->config_dir = g_value_dup_string (value);
      if (self->config_dir == NULL)
        self->config_dir = g_build_filename (g_get_user_config_dir (), "kinema", NULL);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_provider_registry_class_init (KinemaProviderRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kinema_provider_registry_finalize;
  object_class->get_property = kinema_provider_registry_get_property;
  object_class->set_property = kinema_provider_registry_set_property;

  properties[PROP_CONFIG_DIR] =
    g_param_spec_string ("config-dir", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* FALSE once the Secret Service failed: keys then live in memory for this run only. */
  properties[PROP_KEYRING_AVAILABLE] =
    g_param_spec_boolean ("keyring-available", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The provider marked as the default (NULL: the rule of get_default() picks one). */
  properties[PROP_DEFAULT_ID] =
    g_param_spec_string ("default-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KinemaProviderRegistry::provider-changed:
   * @provider: the provider whose settings changed
   *
   * A provider of the registry was edited in place (its name, address, API style,
   * sign-in or preset): what it offers may have changed with them.
   */
  signals[SIGNAL_PROVIDER_CHANGED] =
      g_signal_new ("provider-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 1, KINEMA_TYPE_PROVIDER);
}

static void
kinema_provider_registry_init (KinemaProviderRegistry *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->env_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->env_provider = g_strdup (g_getenv ("KINEMA_PROVIDER"));
  if (self->env_provider != NULL && self->env_provider[0] == '\0')
    g_clear_pointer (&self->env_provider, g_free);
  self->keyring_available = TRUE;

  self->demo = kinema_provider_new (KINEMA_PROVIDER_DEMO_ID, _("Demo (offline)"), NULL,
                                    KINEMA_API_STYLE_KLING, KINEMA_AUTH_BEARER);
  kinema_provider_set_api_key (self->demo, KINEMA_PROVIDER_DEMO_KEY);
  take_item (self, g_object_ref (self->demo));
}

/**
 * kinema_provider_registry_new:
 * @config_dir: (nullable): where providers.ini lives, or %NULL for
 *   $XDG_CONFIG_HOME/kinema
 *
 * Returns: (transfer full): a registry holding only the demo provider; call
 *   kinema_provider_registry_load() next
 */
KinemaProviderRegistry *
kinema_provider_registry_new (const char *config_dir)
{
  return g_object_new (KINEMA_TYPE_PROVIDER_REGISTRY,
                       "config-dir", config_dir,
                       NULL);
}

static char *
config_path (KinemaProviderRegistry *self)
{
  return g_build_filename (self->config_dir, "providers.ini", NULL);
}

static gboolean
id_is_valid (const char *id)
{
  if (id == NULL || id[0] == '\0' || strlen (id) > 64)
    return FALSE;

  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

static guint
find_index (KinemaProviderRegistry *self,
            const char             *id)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      KinemaProvider *provider = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (kinema_provider_get_id (provider), id) == 0)
        return i;
    }

  return G_MAXUINT;
}

static int
enum_from_nick (GType       type,
                const char *nick,
                int         fallback)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *value;

  if (nick == NULL)
    return fallback;

  value = g_enum_get_value_by_nick (klass, nick);
  return value != NULL ? value->value : fallback;
}

static const char *
enum_to_nick (GType type,
              int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);

  /* nicks live in static storage, the class stays alive with the type */
  return enum_value != NULL ? enum_value->value_nick : NULL;
}

static GError *
disk_error (const char   *message,
            const GError *cause)
{
  GError *error = kinema_error_new (KINEMA_ERROR_DISK, 0, NULL, cause ? cause->message : NULL, NULL);

  g_free (error->message);
  error->message = g_strdup (message);
  return error;
}

/**
 * kinema_provider_registry_load:
 * @self: a #KinemaProviderRegistry
 * @error: return location for an error
 *
 * Replaces the configured providers with those in providers.ini (a missing file means
 * none), then applies the environment overrides. The demo provider stays.
 *
 * Returns: %TRUE on success; on failure the registry holds only the demo provider
 */
gboolean
kinema_provider_registry_load (KinemaProviderRegistry  *self,
                               GError                 **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) groups = NULL;
  guint old_len;
  gboolean ok = TRUE;

  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), FALSE);

  old_len = self->items->len;
  drop_items (self, 1, old_len - 1);
  g_hash_table_remove_all (self->env_ids);
  g_clear_pointer (&self->last_used, g_free);

  path = config_path (self);
  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, disk_error (_("The provider settings could not be read. "
                                                  "Check them in Preferences."), local_error));
          ok = FALSE;
        }
      items_changed (self, 1, old_len - 1, 0);
      return ok;
    }

  self->last_used = g_key_file_get_string (key_file, GROUP_GENERAL, "default", NULL);

  groups = g_key_file_get_groups (key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      const char *id;
      const KinemaProviderPreset *preset;
      g_autoptr(KinemaProvider) provider = NULL;
      g_autofree char *name = NULL;
      g_autofree char *base_url = NULL;
      g_autofree char *style = NULL;
      g_autofree char *auth = NULL;
      g_autofree char *preset_id = NULL;

      if (!g_str_has_prefix (group, PROVIDER_PREFIX))
        continue;

      id = group + strlen (PROVIDER_PREFIX);
      if (!id_is_valid (id) || g_strcmp0 (id, KINEMA_PROVIDER_DEMO_ID) == 0 ||
          find_index (self, id) != G_MAXUINT)
        {
          g_debug ("Ignoring provider group “%s”", group);
          continue;
        }

      name = g_key_file_get_string (key_file, group, "name", NULL);
      base_url = g_key_file_get_string (key_file, group, "base-url", NULL);
      style = g_key_file_get_string (key_file, group, "api-style", NULL);
      auth = g_key_file_get_string (key_file, group, "auth", NULL);
      preset_id = g_key_file_get_string (key_file, group, "preset", NULL);
      preset = kinema_provider_preset_lookup (preset_id);

      provider = kinema_provider_new (id,
                                      name != NULL && name[0] != '\0' ? name : (preset ? preset->name : id),
                                      base_url != NULL ? base_url : (preset ? preset->base_url : NULL),
                                      enum_from_nick (KINEMA_TYPE_API_STYLE, style,
                                                      preset ? preset->style : KINEMA_API_STYLE_KLING),
                                      enum_from_nick (KINEMA_TYPE_AUTH_KIND, auth,
                                                      preset ? preset->auth : KINEMA_AUTH_BEARER));
      if (preset != NULL)
        kinema_provider_set_preset_id (provider, preset->id);
      kinema_provider_set_allow_private_http (provider,
                                              g_key_file_get_boolean (key_file, group, "allow-private-http", NULL));
      take_item (self, g_steal_pointer (&provider));
    }
  /* Only now is it known which provider the environment's keys are for. */
  for (guint i = 1; i < self->items->len; i++)
    apply_env (self, g_ptr_array_index (self->items, i));

  items_changed (self, 1, old_len - 1, self->items->len - 1);
  return TRUE;
}

/**
 * kinema_provider_registry_save:
 * @self: a #KinemaProviderRegistry
 * @error: return location for a %KINEMA_ERROR_DISK error
 *
 * Writes the non-secret fields of every provider except the demo to providers.ini,
 * atomically. Keys are never written.
 *
 * Returns: %TRUE on success
 */
gboolean
kinema_provider_registry_save (KinemaProviderRegistry  *self,
                               GError                 **error)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), FALSE);

  if (self->last_used != NULL)
    g_key_file_set_string (key_file, GROUP_GENERAL, "default", self->last_used);

  for (guint i = 0; i < self->items->len; i++)
    {
      KinemaProvider *provider = g_ptr_array_index (self->items, i);
      g_autofree char *group = NULL;

      if (kinema_provider_get_is_demo (provider))
        continue;

      group = g_strconcat (PROVIDER_PREFIX, kinema_provider_get_id (provider), NULL);
      g_key_file_set_string (key_file, group, "name",
                             kinema_provider_get_name (provider) ? kinema_provider_get_name (provider) : "");
      if (kinema_provider_get_base_url (provider) != NULL)
        g_key_file_set_string (key_file, group, "base-url", kinema_provider_get_base_url (provider));
      g_key_file_set_string (key_file, group, "api-style",
                             enum_to_nick (KINEMA_TYPE_API_STYLE, kinema_provider_get_api_style (provider)));
      g_key_file_set_string (key_file, group, "auth",
                             enum_to_nick (KINEMA_TYPE_AUTH_KIND, kinema_provider_get_auth_kind (provider)));
      if (kinema_provider_get_preset_id (provider) != NULL)
        g_key_file_set_string (key_file, group, "preset", kinema_provider_get_preset_id (provider));
      if (kinema_provider_get_allow_private_http (provider))
        g_key_file_set_boolean (key_file, group, "allow-private-http", TRUE);
    }

  if (g_mkdir_with_parents (self->config_dir, 0700) != 0)
    {
      int saved_errno = errno;

      local_error = g_error_new_literal (G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                                         g_strerror (saved_errno));
      g_propagate_error (error, disk_error (_("The provider settings could not be saved."), local_error));
      return FALSE;
    }

  path = config_path (self);
  if (!g_key_file_save_to_file (key_file, path, &local_error))
    {
      g_propagate_error (error, disk_error (_("The provider settings could not be saved."), local_error));
      return FALSE;
    }

  return TRUE;
}

/**
 * kinema_provider_registry_lookup:
 * @self: a #KinemaProviderRegistry
 * @id: a provider id
 *
 * Returns: (transfer none) (nullable): the provider with @id
 */
KinemaProvider *
kinema_provider_registry_lookup (KinemaProviderRegistry *self,
                                 const char             *id)
{
  guint index;

  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), NULL);

  index = find_index (self, id);
  return index != G_MAXUINT ? g_ptr_array_index (self->items, index) : NULL;
}

/**
 * kinema_provider_registry_get_demo:
 * @self: a #KinemaProviderRegistry
 *
 * Returns: (transfer none): the offline demo provider
 */
KinemaProvider *
kinema_provider_registry_get_demo (KinemaProviderRegistry *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), NULL);

  return self->demo;
}

/**
 * kinema_provider_registry_get_default:
 * @self: a #KinemaProviderRegistry
 *
 * Returns: (transfer none): the last used provider, else the first real one with
 *   credentials, else the demo
 */
KinemaProvider *
kinema_provider_registry_get_default (KinemaProviderRegistry *self)
{
  KinemaProvider *provider;

  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), NULL);

  provider = kinema_provider_registry_lookup (self, self->last_used);
  if (provider != NULL)
    return provider;

  for (guint i = 0; i < self->items->len; i++)
    {
      provider = g_ptr_array_index (self->items, i);
      if (!kinema_provider_get_is_demo (provider) && kinema_provider_get_has_credentials (provider))
        return provider;
    }

  return self->demo;
}

const char *
kinema_provider_registry_get_default_id (KinemaProviderRegistry *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), NULL);

  return self->last_used;
}

void
kinema_provider_registry_set_default (KinemaProviderRegistry *self,
                                      KinemaProvider         *provider)
{
  g_return_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self));
  g_return_if_fail (provider == NULL || KINEMA_IS_PROVIDER (provider));

  if (g_strcmp0 (self->last_used, provider ? kinema_provider_get_id (provider) : NULL) == 0)
    return;
  g_free (self->last_used);
  self->last_used = provider ? g_strdup (kinema_provider_get_id (provider)) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_ID]);
}

/**
 * kinema_provider_registry_dup_unique_id:
 * @self: a #KinemaProviderRegistry
 * @base: (nullable): the wanted id, usually a preset id
 *
 * Returns: (transfer full): @base if unused, else @base with "-2", "-3", … appended
 */
char *
kinema_provider_registry_dup_unique_id (KinemaProviderRegistry *self,
                                        const char             *base)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), NULL);

  clean = g_strdup (base != NULL && base[0] != '\0' ? base : "provider");
  g_strcanon (clean, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", '-');
  if (strlen (clean) > 48)
    clean[48] = '\0';

  if (find_index (self, clean) == G_MAXUINT && g_strcmp0 (clean, KINEMA_PROVIDER_DEMO_ID) != 0)
    return g_steal_pointer (&clean);

  for (guint n = 2; ; n++)
    {
      g_autofree char *id = g_strdup_printf ("%s-%u", clean, n);

      if (find_index (self, id) == G_MAXUINT)
        return g_steal_pointer (&id);
    }
}

/**
 * kinema_provider_registry_set_env_provider:
 * @self: a #KinemaProviderRegistry
 * @id: (nullable): the id of the provider the environment's keys are for
 *
 * Gives KINEMA_API_KEY (or KINEMA_ACCESS_KEY and KINEMA_SECRET_KEY) to the provider
 * @id only, as kinema-cli does for the provider a command names. Any other provider
 * that had them loses them and needs its own keys from the keyring.
 */
void
kinema_provider_registry_set_env_provider (KinemaProviderRegistry *self,
                                           const char             *id)
{
  KinemaProvider *target;

  g_return_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self));

  g_free (self->env_provider);
  self->env_provider = g_strdup (id);

  for (guint i = 1; i < self->items->len; i++)
    {
      KinemaProvider *provider = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (kinema_provider_get_id (provider), id) == 0 ||
          !g_hash_table_remove (self->env_ids, kinema_provider_get_id (provider)))
        continue;
      if (kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_KLING_JWT)
        kinema_provider_set_kling_keys (provider, NULL, NULL);
      else
        kinema_provider_set_api_key (provider, NULL);
    }

  target = id != NULL ? kinema_provider_registry_lookup (self, id) : NULL;
  if (target != NULL && !g_hash_table_contains (self->env_ids, id))
    apply_env (self, target);
}

/**
 * kinema_provider_registry_get_env_unused:
 * @self: a #KinemaProviderRegistry
 *
 * Returns: %TRUE if the environment holds a key that no provider took (several
 *   could, and none was named)
 */
gboolean
kinema_provider_registry_get_env_unused (KinemaProviderRegistry *self)
{
  const char *api_key = g_getenv ("KINEMA_API_KEY");
  const char *access_key = g_getenv ("KINEMA_ACCESS_KEY");

  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), FALSE);

  return ((api_key != NULL && api_key[0] != '\0') || (access_key != NULL && access_key[0] != '\0')) &&
         g_hash_table_size (self->env_ids) == 0;
}

/**
 * kinema_provider_registry_add:
 * @self: a #KinemaProviderRegistry
 * @provider: a provider whose id is not in the registry yet
 *
 * Appends @provider and applies the environment overrides to it.
 */
void
kinema_provider_registry_add (KinemaProviderRegistry *self,
                              KinemaProvider         *provider)
{
  g_return_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  g_return_if_fail (id_is_valid (kinema_provider_get_id (provider)));
  g_return_if_fail (find_index (self, kinema_provider_get_id (provider)) == G_MAXUINT);

  if (!kinema_provider_get_has_credentials (provider))
    apply_env (self, provider);

  take_item (self, g_object_ref (provider));
  items_changed (self, self->items->len - 1, 0, 1);
}

/**
 * kinema_provider_registry_ensure_preset:
 * @self: a #KinemaProviderRegistry
 * @preset_id: a preset id such as "n1n"
 *
 * Returns: (transfer none) (nullable): the provider with id @preset_id, created from
 *   the preset and added when missing; %NULL for an unknown preset
 */
KinemaProvider *
kinema_provider_registry_ensure_preset (KinemaProviderRegistry *self,
                                        const char             *preset_id)
{
  const KinemaProviderPreset *preset;
  KinemaProvider *existing;
  g_autoptr(KinemaProvider) provider = NULL;

  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), NULL);

  existing = kinema_provider_registry_lookup (self, preset_id);
  if (existing != NULL)
    return existing;

  preset = kinema_provider_preset_lookup (preset_id);
  if (preset == NULL)
    return NULL;

  provider = kinema_provider_new (preset->id, preset->name, preset->base_url, preset->style, preset->auth);
  kinema_provider_set_preset_id (provider, preset->id);
  kinema_provider_registry_add (self, provider);
  return provider;
}

static void
on_keys_cleared (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kinema_keyring_clear_finish (result, &error))
    g_debug ("Could not remove keys from the keyring: %s", error->message);
}

/**
 * kinema_provider_registry_remove:
 * @self: a #KinemaProviderRegistry
 * @provider: a provider of @self other than the demo
 *
 * Removes @provider and, in the background, its keys from the keyring.
 */
void
kinema_provider_registry_remove (KinemaProviderRegistry *self,
                                 KinemaProvider         *provider)
{
  guint index;

  g_return_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));
  g_return_if_fail (provider != self->demo);

  if (!g_ptr_array_find (self->items, provider, &index))
    return;

  if (g_strcmp0 (self->last_used, kinema_provider_get_id (provider)) == 0)
    g_clear_pointer (&self->last_used, g_free);

  if (!g_hash_table_remove (self->env_ids, kinema_provider_get_id (provider)))
    kinema_keyring_clear_async (kinema_provider_get_id (provider), NULL, NULL, on_keys_cleared, NULL);

  drop_items (self, index, 1);
  items_changed (self, index, 1, 0);
}

gboolean
kinema_provider_registry_get_keyring_available (KinemaProviderRegistry *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), FALSE);

  return self->keyring_available;
}

static void
set_keyring_available (KinemaProviderRegistry *self,
                       gboolean                available)
{
  available = !!available;
  if (self->keyring_available == (guint) available)
    return;

  self->keyring_available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEYRING_AVAILABLE]);
}

/* Loading keys: one lookup after another */

typedef struct {
  GPtrArray *providers;  /* KinemaProvider */
  guint      index;
  char      *access_key; /* the first half of a Kling pair, while the second is looked up */
} LoadKeys;

static void
load_keys_free (gpointer data)
{
  LoadKeys *state = data;

  g_clear_pointer (&state->providers, g_ptr_array_unref);
  g_clear_pointer (&state->access_key, kinema_keyring_free_secret);
  g_free (state);
}

static void load_next_key (GTask *task);

static void
on_key_looked_up (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KinemaProviderRegistry *self = g_task_get_source_object (task);
  LoadKeys *state = g_task_get_task_data (task);
  KinemaProvider *provider = g_ptr_array_index (state->providers, state->index);
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = kinema_keyring_lookup_finish (result, &error);
  if (error != NULL)
    {
      if (error->domain == KINEMA_ERROR && error->code == KINEMA_ERROR_KEYRING)
        set_keyring_available (self, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_keyring_available (self, TRUE);

  if (kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_KLING_JWT && state->access_key == NULL &&
      secret != NULL)
    {
      /* got the access key; the secret key comes next */
      state->access_key = secret;
      load_next_key (g_steal_pointer (&task));
      return;
    }

  if (kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_KLING_JWT)
    {
      if (state->access_key != NULL && secret != NULL)
        kinema_provider_set_kling_keys (provider, state->access_key, secret);
    }
  else if (secret != NULL)
    {
      kinema_provider_set_api_key (provider, secret);
    }

  kinema_keyring_free_secret (secret);
  g_clear_pointer (&state->access_key, kinema_keyring_free_secret);
  state->index++;
  load_next_key (g_steal_pointer (&task));
}

static void
load_next_key (GTask *task)
{
  LoadKeys *state = g_task_get_task_data (task);
  KinemaProvider *provider;
  const char *kind;

  if (state->index >= state->providers->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  provider = g_ptr_array_index (state->providers, state->index);
  if (kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_KLING_JWT)
    kind = state->access_key == NULL ? KINEMA_KEYRING_KIND_ACCESS_KEY : KINEMA_KEYRING_KIND_SECRET_KEY;
  else
    kind = KINEMA_KEYRING_KIND_API_KEY;

  kinema_keyring_lookup_async (kinema_provider_get_id (provider), kind,
                               g_task_get_cancellable (task), on_key_looked_up, task);
}

/**
 * kinema_provider_registry_load_keys_async:
 * @self: a #KinemaProviderRegistry
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Looks up the keys of every provider except the demo and those set from the
 * environment. Each lookup gives up after a few seconds; a keyring failure sets
 * #KinemaProviderRegistry:keyring-available to %FALSE and ends with %KINEMA_ERROR_KEYRING.
 */
void
kinema_provider_registry_load_keys_async (KinemaProviderRegistry *self,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data)
{
  GTask *task;
  LoadKeys *state;

  g_return_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_provider_registry_load_keys_async);

  state = g_new0 (LoadKeys, 1);
  state->providers = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->items->len; i++)
    {
      KinemaProvider *provider = g_ptr_array_index (self->items, i);

      if (kinema_provider_get_is_demo (provider) ||
          g_hash_table_contains (self->env_ids, kinema_provider_get_id (provider)))
        continue;
      g_ptr_array_add (state->providers, g_object_ref (provider));
    }
  g_task_set_task_data (task, state, load_keys_free);

  load_next_key (task);
}

gboolean
kinema_provider_registry_load_keys_finish (KinemaProviderRegistry  *self,
                                           GAsyncResult            *result,
                                           GError                 **error)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_provider_registry_load_keys_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Storing keys: one store (or clear) after another */

typedef struct {
  KinemaProvider *provider;
  GPtrArray      *kinds;    /* const char * */
  GPtrArray      *values;   /* char *, NULL to clear; zeroed when freed */
  guint           index;
} StoreKeys;

static void
free_secret_copy (gpointer data)
{
  char *secret = data;

  if (secret != NULL)
    {
      explicit_bzero (secret, strlen (secret));
      g_free (secret);
    }
}

static void
store_keys_free (gpointer data)
{
  StoreKeys *state = data;

  g_clear_object (&state->provider);
  g_clear_pointer (&state->kinds, g_ptr_array_unref);
  g_clear_pointer (&state->values, g_ptr_array_unref);
  g_free (state);
}

static void store_next_key (GTask *task);

static void
on_key_stored (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KinemaProviderRegistry *self = g_task_get_source_object (task);
  StoreKeys *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_ptr_array_index (state->values, state->index) != NULL)
    ok = kinema_keyring_store_finish (result, &error);
  else
    ok = kinema_keyring_clear_finish (result, &error);

  if (!ok)
    {
      if (error->domain == KINEMA_ERROR && error->code == KINEMA_ERROR_KEYRING)
        {
          set_keyring_available (self, FALSE);
          g_free (error->message);
          error->message = g_strdup (_("The system keyring is not available. "
                                       "The key will be kept until Kinema is closed."));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  set_keyring_available (self, TRUE);
  state->index++;
  store_next_key (g_steal_pointer (&task));
}

static void
store_next_key (GTask *task)
{
  StoreKeys *state = g_task_get_task_data (task);
  const char *id = kinema_provider_get_id (state->provider);
  const char *kind;
  const char *value;

  if (state->index >= state->kinds->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  kind = g_ptr_array_index (state->kinds, state->index);
  value = g_ptr_array_index (state->values, state->index);

  if (value != NULL)
    {
      g_autofree char *label = NULL;

      if (g_str_equal (kind, KINEMA_KEYRING_KIND_ACCESS_KEY))
        label = g_strdup_printf (_("Kinema: access key for %s"), kinema_provider_get_name (state->provider));
      else if (g_str_equal (kind, KINEMA_KEYRING_KIND_SECRET_KEY))
        label = g_strdup_printf (_("Kinema: secret key for %s"), kinema_provider_get_name (state->provider));
      else
        label = g_strdup_printf (_("Kinema: API key for %s"), kinema_provider_get_name (state->provider));

      kinema_keyring_store_async (id, kind, label, value, g_task_get_cancellable (task), on_key_stored, task);
    }
  else
    {
      kinema_keyring_clear_async (id, kind, g_task_get_cancellable (task), on_key_stored, task);
    }
}

/**
 * kinema_provider_registry_store_keys_async:
 * @self: a #KinemaProviderRegistry
 * @provider: a provider of @self
 * @api_key_or_access_key: (nullable): the API key (bearer) or the access key (Kling JWT);
 *   %NULL or empty removes it
 * @secret_key: (nullable): the secret key (Kling JWT only)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Sets the keys on @provider at once, then saves them in the keyring. When the keyring
 * fails, the call ends with %KINEMA_ERROR_KEYRING but the keys stay usable for this run.
 */
void
kinema_provider_registry_store_keys_async (KinemaProviderRegistry *self,
                                           KinemaProvider         *provider,
                                           const char             *api_key_or_access_key,
                                           const char             *secret_key,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data)
{
  GTask *task;
  StoreKeys *state;

  g_return_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self));
  g_return_if_fail (KINEMA_IS_PROVIDER (provider));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kinema_provider_registry_store_keys_async);

  state = g_new0 (StoreKeys, 1);
  state->provider = g_object_ref (provider);
  state->kinds = g_ptr_array_new ();
  state->values = g_ptr_array_new_with_free_func (free_secret_copy);
  g_task_set_task_data (task, state, store_keys_free);

  if (kinema_provider_get_auth_kind (provider) == KINEMA_AUTH_KLING_JWT)
    {
      kinema_provider_set_kling_keys (provider, api_key_or_access_key, secret_key);
      g_ptr_array_add (state->kinds, (gpointer) KINEMA_KEYRING_KIND_ACCESS_KEY);
      g_ptr_array_add (state->values, kinema_provider_normalize_key (api_key_or_access_key));
      g_ptr_array_add (state->kinds, (gpointer) KINEMA_KEYRING_KIND_SECRET_KEY);
      g_ptr_array_add (state->values, kinema_provider_normalize_key (secret_key));
    }
  else
    {
      kinema_provider_set_api_key (provider, api_key_or_access_key);
      g_ptr_array_add (state->kinds, (gpointer) KINEMA_KEYRING_KIND_API_KEY);
      g_ptr_array_add (state->values, kinema_provider_normalize_key (api_key_or_access_key));
    }

  /* keys typed by the user win over the environment from now on */
  g_hash_table_remove (self->env_ids, kinema_provider_get_id (provider));

  if (kinema_provider_get_is_demo (provider))
    {
      /* the demo's key is not a secret and is never stored */
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  store_next_key (task);
}

gboolean
kinema_provider_registry_store_keys_finish (KinemaProviderRegistry  *self,
                                            GAsyncResult            *result,
                                            GError                 **error)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_provider_registry_store_keys_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
