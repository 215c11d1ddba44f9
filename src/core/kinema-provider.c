/* kinema-provider.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-provider"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "kinema-enums.h"
#include "kinema-error.h"
#include "kinema-http-client.h"
#include "kinema-jwt.h"
#include "kinema-secret.h"
#include "kinema-models.h"
#include "kinema-provider.h"
#include "kinema-request.h"
#include "kinema-task.h"

struct _KinemaProvider
{
  GObject parent_instance;

  char          *id;
  char          *name;
  char          *base_url;
  char          *preset_id;
  KinemaApiStyle style;
  KinemaAuthKind auth;
  gboolean       allow_private_http;

  /* Secrets: memory only, zeroed when replaced or freed. */
  GMutex lock;
  char  *api_key;
  char  *access_key;
  char  *secret_key;
  char  *jwt;
  gint64 jwt_expires;
};

G_DEFINE_FINAL_TYPE (KinemaProvider, kinema_provider, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_BASE_URL,
  PROP_API_STYLE,
  PROP_AUTH_KIND,
  PROP_PRESET_ID,
  PROP_ALLOW_PRIVATE_HTTP,
  PROP_IS_DEMO,
  PROP_HAS_CREDENTIALS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_secret (char **secret)
{
  kinema_secret_free (g_steal_pointer (secret));
}

static gboolean
set_str (char      **dest,
         const char *value)
{
  if (g_strcmp0 (*dest, value) == 0)
    return FALSE;

  g_free (*dest);
  *dest = g_strdup (value);
  return TRUE;
}

static GError *
invalid_input (const char *message)
{
  GError *error = kinema_error_new (KINEMA_ERROR_INVALID_INPUT, 0, NULL, NULL, NULL);

  g_free (error->message);
  error->message = g_strdup (message);
  return error;
}

/**
 * kinema_provider_validate_base_url:
 * @base_url: (nullable): the address to check
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Same as kinema_provider_validate_base_url_full() with the default policy:
 * https://, or http:// only to this computer.
 *
 * Returns: %TRUE if the address can be used
 */
gboolean
kinema_provider_validate_base_url (const char *base_url,
                                   GError    **error)
{
  return kinema_provider_validate_base_url_full (base_url, KINEMA_URL_POLICY_DEFAULT, error);
}

/**
 * kinema_provider_validate_base_url_full:
 * @base_url: (nullable): the address to check
 * @policy: what the provider allows (kinema_provider_get_url_policy())
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Checks that @base_url is a full address that kinema_http_check_url() lets through
 * with @policy, without query, fragment or user name.
 *
 * Returns: %TRUE if the address can be used
 */
gboolean
kinema_provider_validate_base_url_full (const char     *base_url,
                                        KinemaUrlPolicy policy,
                                        GError        **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) url_error = NULL;
  g_autofree char *trimmed = NULL;
  const char      *scheme;
  const char      *host;

  if (base_url != NULL)
    trimmed = g_strstrip (g_strdup (base_url));

  if (trimmed == NULL || trimmed[0] == '\0')
    {
      g_propagate_error (error, invalid_input (_("Enter the provider’s address, for example https://api.example.com.")));
      return FALSE;
    }

  if (trimmed[strcspn (trimmed, " \t\r\n\v\f")] == '\0')
    uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    {
      g_propagate_error (error, invalid_input (_("The provider’s address is not a valid web address. "
                                                 "It should look like https://api.example.com.")));
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_propagate_error (error, invalid_input (_("The provider’s address must start with https://.")));
      return FALSE;
    }

  if (host == NULL || host[0] == '\0')
    {
      g_propagate_error (error, invalid_input (_("The provider’s address has no server name.")));
      return FALSE;
    }

  /* the decision is kinema_http_check_url()'s; only its words are reused here */
  if (!kinema_http_check_url (uri, policy, &url_error))
    {
      g_propagate_error (error, invalid_input (url_error->message));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_propagate_error (error, invalid_input (_("The provider’s address must not contain a user name or password. "
                                                 "Enter the key in the key field instead.")));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_propagate_error (error, invalid_input (_("The provider’s address must not contain “?” or “#”.")));
      return FALSE;
    }

  return TRUE;
}

static void
clear_jwt (KinemaProvider *self)
{
  clear_secret (&self->jwt);
  self->jwt_expires = 0;
}

static void
kinema_provider_finalize (GObject *object)
{
  KinemaProvider *self = (KinemaProvider *) object;

  clear_secret (&self->api_key);
  clear_secret (&self->access_key);
  clear_secret (&self->secret_key);
  clear_jwt (self);
  g_mutex_clear (&self->lock);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->preset_id, g_free);

  G_OBJECT_CLASS (kinema_provider_parent_class)->finalize (object);
}

static void
kinema_provider_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KinemaProvider *self = KINEMA_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_API_STYLE:
      g_value_set_enum (value, self->style);
      break;

    case PROP_AUTH_KIND:
      g_value_set_enum (value, self->auth);
      break;

    case PROP_PRESET_ID:
      g_value_set_string (value, self->preset_id);
      break;

    case PROP_ALLOW_PRIVATE_HTTP:
      g_value_set_boolean (value, self->allow_private_http);
      break;

    case PROP_IS_DEMO:
      g_value_set_boolean (value, kinema_provider_get_is_demo (self));
      break;

    case PROP_HAS_CREDENTIALS:
      g_value_set_boolean (value, kinema_provider_get_has_credentials (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_provider_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KinemaProvider *self = KINEMA_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_free (self->id);
      self->id = g_value_dup_string (value);
      break;

    case PROP_NAME:
      kinema_provider_set_name (self, g_value_get_string (value));
      break;

    case PROP_BASE_URL:
      kinema_provider_set_base_url (self, g_value_get_string (value));
      break;

    case PROP_API_STYLE:
      kinema_provider_set_api_style (self, g_value_get_enum (value));
      break;

    case PROP_AUTH_KIND:
      kinema_provider_set_auth_kind (self, g_value_get_enum (value));
      break;

    case PROP_PRESET_ID:
      kinema_provider_set_preset_id (self, g_value_get_string (value));
      break;

    case PROP_ALLOW_PRIVATE_HTTP:
      kinema_provider_set_allow_private_http (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_provider_class_init (KinemaProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kinema_provider_finalize;
  object_class->get_property = kinema_provider_get_property;
  object_class->set_property = kinema_provider_set_property;

  properties[PROP_ID] =
      g_param_spec_string ("id", NULL, NULL,
                           NULL,
                           (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
      g_param_spec_string ("name", NULL, NULL,
                           NULL,
                           (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BASE_URL] =
      g_param_spec_string ("base-url", NULL, NULL,
                           NULL,
                           (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_API_STYLE] =
      g_param_spec_enum ("api-style", NULL, NULL,
                         KINEMA_TYPE_API_STYLE,
                         KINEMA_API_STYLE_KLING,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_AUTH_KIND] =
      g_param_spec_enum ("auth-kind", NULL, NULL,
                         KINEMA_TYPE_AUTH_KIND,
                         KINEMA_AUTH_BEARER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PRESET_ID] =
      g_param_spec_string ("preset-id", NULL, NULL,
                           NULL,
                           (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * KinemaProvider:allow-private-http:
   *
   * Whether plain http:// to an address on the user's own network is allowed for
   * this provider. Off unless the user turns it on; the key then travels unencrypted.
   */
  properties[PROP_ALLOW_PRIVATE_HTTP] =
      g_param_spec_boolean ("allow-private-http", NULL, NULL,
                            FALSE,
                            (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_IS_DEMO] =
      g_param_spec_boolean ("is-demo", NULL, NULL,
                            FALSE,
                            (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_HAS_CREDENTIALS] =
      g_param_spec_boolean ("has-credentials", NULL, NULL,
                            FALSE,
                            (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kinema_provider_init (KinemaProvider *self)
{
  g_mutex_init (&self->lock);
  self->style = KINEMA_API_STYLE_KLING;
  self->auth = KINEMA_AUTH_BEARER;
}

/**
 * kinema_provider_new:
 * @id: a stable identifier, used as the key file group and keyring attribute
 * @name: the name shown to the user
 * @base_url: (nullable): the API base URL, or %NULL while unknown
 * @style: the API style
 * @auth: how the provider authenticates
 *
 * Returns: (transfer full): a new provider without credentials
 */
KinemaProvider *
kinema_provider_new (const char    *id,
                     const char    *name,
                     const char    *base_url,
                     KinemaApiStyle style,
                     KinemaAuthKind auth)
{
  g_return_val_if_fail (id != NULL && id[0] != '\0', NULL);

  return g_object_new (KINEMA_TYPE_PROVIDER,
                       "id", id,
                       "name", name ? name : id,
                       "base-url", base_url,
                       "api-style", style,
                       "auth-kind", auth,
                       NULL);
}

const char *
kinema_provider_get_id (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), NULL);

  return self->id;
}

const char *
kinema_provider_get_name (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), NULL);

  return self->name;
}

void
kinema_provider_set_name (KinemaProvider *self,
                          const char     *name)
{
  g_return_if_fail (KINEMA_IS_PROVIDER (self));

  if (set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
kinema_provider_get_base_url (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), NULL);

  return self->base_url;
}

void
kinema_provider_set_base_url (KinemaProvider *self,
                              const char     *base_url)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (KINEMA_IS_PROVIDER (self));

  /* Stored as typed except for surrounding blanks and trailing slashes, so that
   * "{base}/v1/…" never produces a double slash. */
  if (base_url != NULL)
    {
      gsize len;

      trimmed = g_strstrip (g_strdup (base_url));
      len = strlen (trimmed);
      while (len > 0 && trimmed[len - 1] == '/')
        trimmed[--len] = '\0';
      if (len == 0)
        g_clear_pointer (&trimmed, g_free);
    }

  if (set_str (&self->base_url, trimmed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

KinemaApiStyle
kinema_provider_get_api_style (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), KINEMA_API_STYLE_KLING);

  return self->style;
}

void
kinema_provider_set_api_style (KinemaProvider *self,
                               KinemaApiStyle  style)
{
  g_return_if_fail (KINEMA_IS_PROVIDER (self));

  if (self->style == style)
    return;

  self->style = style;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_STYLE]);
}

KinemaAuthKind
kinema_provider_get_auth_kind (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), KINEMA_AUTH_BEARER);

  return self->auth;
}

void
kinema_provider_set_auth_kind (KinemaProvider *self,
                               KinemaAuthKind  auth)
{
  gboolean had_credentials;

  g_return_if_fail (KINEMA_IS_PROVIDER (self));

  if (self->auth == auth)
    return;

  had_credentials = kinema_provider_get_has_credentials (self);

  g_mutex_lock (&self->lock);
  self->auth = auth;
  clear_jwt (self);
  g_mutex_unlock (&self->lock);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH_KIND]);
  if (had_credentials != kinema_provider_get_has_credentials (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CREDENTIALS]);
}

const char *
kinema_provider_get_preset_id (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), NULL);

  return self->preset_id;
}

void
kinema_provider_set_preset_id (KinemaProvider *self,
                               const char     *preset_id)
{
  g_return_if_fail (KINEMA_IS_PROVIDER (self));

  if (set_str (&self->preset_id, preset_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESET_ID]);
}

gboolean
kinema_provider_get_allow_private_http (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), FALSE);

  return self->allow_private_http;
}

void
kinema_provider_set_allow_private_http (KinemaProvider *self,
                                        gboolean        allow)
{
  g_return_if_fail (KINEMA_IS_PROVIDER (self));

  allow = !!allow;
  if (self->allow_private_http == allow)
    return;

  self->allow_private_http = allow;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_PRIVATE_HTTP]);
}

/**
 * kinema_provider_get_url_policy:
 * @self: a #KinemaProvider
 *
 * Returns: the policy kinema_http_check_url() applies to this provider's requests
 */
KinemaUrlPolicy
kinema_provider_get_url_policy (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), KINEMA_URL_POLICY_DEFAULT);

  return self->allow_private_http ? KINEMA_URL_POLICY_ALLOW_PRIVATE_HTTP : KINEMA_URL_POLICY_DEFAULT;
}

gboolean
kinema_provider_get_is_demo (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), FALSE);

  return g_strcmp0 (self->id, KINEMA_PROVIDER_DEMO_ID) == 0;
}

static gboolean
has_credentials_locked (KinemaProvider *self)
{
  if (self->auth == KINEMA_AUTH_KLING_JWT)
    return self->access_key != NULL && self->secret_key != NULL;

  return self->api_key != NULL;
}

gboolean
kinema_provider_get_has_credentials (KinemaProvider *self)
{
  gboolean ret;

  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), FALSE);

  g_mutex_lock (&self->lock);
  ret = has_credentials_locked (self);
  g_mutex_unlock (&self->lock);

  return ret;
}

/**
 * kinema_provider_normalize_key:
 * @key: (nullable): a key as typed or pasted
 *
 * Returns: (transfer full) (nullable): @key without surrounding blanks (pasted keys
 *   often carry a newline), or %NULL when nothing is left
 */
char *
kinema_provider_normalize_key (const char *key)
{
  char *copy;

  if (key == NULL)
    return NULL;

  copy = g_strstrip (g_strdup (key));
  if (copy[0] == '\0')
    {
      g_free (copy);
      return NULL;
    }

  return copy;
}

/**
 * kinema_provider_set_api_key:
 * @self: a #KinemaProvider
 * @api_key: (nullable): the gateway key, or %NULL to forget it
 *
 * Keeps @api_key in memory (the previous one is zeroed). Used with %KINEMA_AUTH_BEARER.
 */
void
kinema_provider_set_api_key (KinemaProvider *self,
                             const char     *api_key)
{
  gboolean had_credentials;

  g_return_if_fail (KINEMA_IS_PROVIDER (self));

  had_credentials = kinema_provider_get_has_credentials (self);

  g_mutex_lock (&self->lock);
  clear_secret (&self->api_key);
  self->api_key = kinema_provider_normalize_key (api_key);
  g_mutex_unlock (&self->lock);

  if (had_credentials != kinema_provider_get_has_credentials (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CREDENTIALS]);
}

/**
 * kinema_provider_set_kling_keys:
 * @self: a #KinemaProvider
 * @access_key: (nullable): the Kling access key
 * @secret_key: (nullable): the Kling secret key
 *
 * Keeps the key pair in memory (the previous ones and any signed token are zeroed).
 * Used with %KINEMA_AUTH_KLING_JWT.
 */
void
kinema_provider_set_kling_keys (KinemaProvider *self,
                                const char     *access_key,
                                const char     *secret_key)
{
  gboolean had_credentials;

  g_return_if_fail (KINEMA_IS_PROVIDER (self));

  had_credentials = kinema_provider_get_has_credentials (self);

  g_mutex_lock (&self->lock);
  clear_secret (&self->access_key);
  clear_secret (&self->secret_key);
  clear_jwt (self);
  self->access_key = kinema_provider_normalize_key (access_key);
  self->secret_key = kinema_provider_normalize_key (secret_key);
  g_mutex_unlock (&self->lock);

  if (had_credentials != kinema_provider_get_has_credentials (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CREDENTIALS]);
}

static GError *
no_key_error (KinemaProvider *self)
{
  GError *error = kinema_error_new (KINEMA_ERROR_NO_KEY, 0, NULL, NULL, NULL);

  g_free (error->message);
  if (self->auth == KINEMA_AUTH_KLING_JWT)
    error->message = g_strdup_printf (_("No access key and secret key are saved for “%s”. "
                                        "Add them in Preferences."),
                                         self->name ? self->name : self->id);
  else
    error->message = g_strdup_printf (_("No API key is saved for “%s”. Add it in Preferences."),
                                         self->name ? self->name : self->id);
  return error;
}

/**
 * kinema_provider_dup_authorization_at:
 * @self: a #KinemaProvider
 * @now_unix: the current time in Unix seconds
 * @error: return location for a %KINEMA_ERROR_NO_KEY error
 *
 * Builds the value of the `Authorization` header. For %KINEMA_AUTH_KLING_JWT the
 * signed token is cached and signed again once less than
 * %KINEMA_PROVIDER_JWT_RENEW_S seconds of validity remain. Never log the result.
 *
 * Returns: (transfer full): "Bearer …", or %NULL with @error set
 */
char *
kinema_provider_dup_authorization_at (KinemaProvider *self,
                                      gint64          now_unix,
                                      GError        **error)
{
  char *ret = NULL;

  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), NULL);

  g_mutex_lock (&self->lock);

  if (!has_credentials_locked (self))
    {
      g_propagate_error (error, no_key_error (self));
    }
  else if (self->auth == KINEMA_AUTH_KLING_JWT)
    {
      if (self->jwt == NULL ||
          self->jwt_expires - now_unix < KINEMA_PROVIDER_JWT_RENEW_S ||
          now_unix + KINEMA_JWT_NOT_BEFORE_SKEW_S < self->jwt_expires - KINEMA_JWT_LIFETIME_S)
        {
          clear_jwt (self);
          self->jwt = kinema_jwt_sign (self->access_key, self->secret_key, now_unix);
          self->jwt_expires = now_unix + KINEMA_JWT_LIFETIME_S;
        }
      ret = g_strconcat ("Bearer ", self->jwt, NULL);
    }
  else
    {
      ret = g_strconcat ("Bearer ", self->api_key, NULL);
    }

  g_mutex_unlock (&self->lock);

  return ret;
}

/**
 * kinema_provider_dup_authorization:
 * @self: a #KinemaProvider
 * @error: return location for a %KINEMA_ERROR_NO_KEY error
 *
 * Returns: (transfer full): the `Authorization` header value, or %NULL with @error set
 */
char *
kinema_provider_dup_authorization (KinemaProvider *self,
                                   GError        **error)
{
  return kinema_provider_dup_authorization_at (self, g_get_real_time () / G_USEC_PER_SEC, error);
}

/**
 * kinema_provider_validate:
 * @self: a #KinemaProvider
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Returns: %TRUE if the base URL can be used
 */
gboolean
kinema_provider_validate (KinemaProvider *self,
                          GError        **error)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), FALSE);

  return kinema_provider_validate_base_url_full (self->base_url, kinema_provider_get_url_policy (self), error);
}

static gboolean
host_is_kling (const char *base_url)
{
  g_autoptr(GUri) uri = base_url != NULL ? g_uri_parse (base_url, G_URI_FLAGS_NONE, NULL) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  gsize len = host != NULL ? strlen (host) : 0;

  static const char suffix[] = ".klingai.com";

  return host != NULL &&
         (g_ascii_strcasecmp (host, suffix + 1) == 0 ||
          (len > strlen (suffix) && g_ascii_strcasecmp (host + len - strlen (suffix), suffix) == 0));
}

/**
 * kinema_provider_get_caps:
 * @self: a #KinemaProvider
 *
 * Kling's own API is a provider signed in with a key pair, or one whose address is
 * on klingai.com or that was made from the official presets (which may also sign in
 * with a single API key). The offline demo plays a Kling passthrough. Every other
 * provider is taken for a new-api gateway (or one of its forks, as every gateway
 * documented so far is) and gets new-api's rules: PROTOCOL.md 8.1, 8.2, 8.6.
 *
 * Returns: the provider's capabilities
 */
KinemaProviderCaps
kinema_provider_get_caps (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), KINEMA_PROVIDER_CAPS_NONE);

  if (kinema_provider_get_is_demo (self))
    return KINEMA_PROVIDER_CAPS_NONE;

  if (self->style == KINEMA_API_STYLE_KLING &&
      (self->auth == KINEMA_AUTH_KLING_JWT || host_is_kling (self->base_url) ||
       g_strcmp0 (self->preset_id, "kling") == 0 || g_strcmp0 (self->preset_id, "kling-cn") == 0))
    return KINEMA_PROVIDER_CAP_OFFICIAL_KLING;

  return KINEMA_PROVIDER_CAP_NEEDS_PROMPT | KINEMA_PROVIDER_CAP_NEEDS_START_IMAGE |
         KINEMA_PROVIDER_CAP_DROPS_ZERO_CFG | KINEMA_PROVIDER_CAP_TEXT_AND_IMAGE_ONLY;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/**
 * kinema_provider_offers_extend:
 * @self: a #KinemaProvider
 *
 * Whether the provider's API has Kling's video extension route at all: Kling's own API
 * and the offline demo (which speaks the official style) do; new-api gateways route only
 * text- and image-to-video (new-api router/video-router.go; PROTOCOL.md 8.10).
 *
 * Returns: %TRUE if `POST /v1/videos/video-extend` can be sent to @self
 */
gboolean
kinema_provider_offers_extend (KinemaProvider *self)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), FALSE);

  return self->style == KINEMA_API_STYLE_KLING &&
         !(kinema_provider_get_caps (self) & KINEMA_PROVIDER_CAP_TEXT_AND_IMAGE_ONLY);
}

static GError *
invalid_input_no_extend (KinemaProvider *self)
{
  g_autofree char *message =
      /* Translators: %s is a provider name like “My gateway” */
      g_strdup_printf (_("%s does not offer Kling’s video extension; use Continue from the last frame."),
                          kinema_provider_get_name (self));

  return invalid_input (message);
}

/**
 * kinema_provider_dup_extend_reason:
 * @self: a #KinemaProvider
 * @task: a task whose clip the user wants to extend
 *
 * Why the finished clip of @task cannot be extended on @self now, in plain words, or
 * %NULL when it can: the clip must be finished, made on this provider (the video id is
 * the provider account's own), by a model Kling extends (data/capabilities.json, not
 * kling-v1-5), carry the provider's video id, be younger than the 30 days Kling keeps
 * videos, and stay within 3 minutes after the extension (Kling docs, "Video Extension").
 *
 * Returns: (transfer full) (nullable): a translated sentence, or %NULL
 */
char *
kinema_provider_dup_extend_reason (KinemaProvider *self,
                                   KinemaTask     *task)
{
  KinemaRequest        *request;
  KinemaCapabilityQuery query;
  char                 *reason;
  gint64                finished_at;

  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (KINEMA_IS_TASK (task), NULL);

  if (kinema_task_get_status (task) != KINEMA_TASK_STATUS_SUCCEEDED)
    return g_strdup (_("Only a finished clip can be extended."));

  if (!kinema_provider_offers_extend (self))
    {
      g_autoptr(GError) error = invalid_input_no_extend (self);

      return g_strdup (error->message);
    }

  if (g_strcmp0 (kinema_task_get_provider_id (task), self->id) != 0)
    return g_strdup (_("This clip was made with another provider: only that provider can extend it. "
                       "Use Continue from the last frame instead."));

  request = kinema_task_get_request (task);
  if (request == NULL)
    return g_strdup (_("The settings of this clip are not known, so it cannot be extended."));

  /* The extension keeps the source's model and mode: ask the map about those. */
  kinema_request_fill_query (request, &query);
  query.kind = KINEMA_TASK_KIND_VIDEO_EXTEND;
  query.has_image = FALSE;
  query.has_end_frame = FALSE;
  query.camera = KINEMA_CAMERA_NONE;
  query.cfg_scale = FALSE;
  query.sound = FALSE;
  query.negative_prompt = FALSE;
  query.aspect_ratio = NULL;
  reason = kinema_capabilities_check (kinema_capabilities_get_default (), &query, NULL);
  if (reason != NULL)
    return reason;

  if (kinema_task_get_video_id (task) == NULL)
    return g_strdup (_("The provider did not give this clip a video id (it was made before Kinema kept "
                       "it, or by another app), so it cannot be extended. Use Continue from the last "
                       "frame instead."));

  finished_at = kinema_task_get_finished_at (task);
  if (finished_at > 0 &&
      g_get_real_time () - finished_at > (gint64) KINEMA_EXTEND_MAX_AGE_DAYS * G_TIME_SPAN_DAY)
    return g_strdup (_("Kling deletes clips 30 days after making them, so this one can no longer be "
                       "extended. Use Continue from the last frame instead."));

  if (kinema_task_estimate_clip_seconds (task) + KINEMA_EXTEND_SECONDS > KINEMA_EXTEND_MAX_TOTAL_SECONDS)
    return g_strdup (_("The extended clip would be longer than 3 minutes, the most Kling can extend to."));

  return NULL;
}

/**
 * kinema_provider_check_request:
 * @self: a #KinemaProvider
 * @request: a request that passes kinema_request_validate()
 * @error: return location for a %KINEMA_ERROR_INVALID_INPUT error
 *
 * Checks @request against what the provider accepts (kinema_provider_get_caps()).
 * Nothing is sent when it fails; the message says what is missing and why.
 *
 * Returns: %TRUE if the provider can make @request as asked
 */
gboolean
kinema_provider_check_request (KinemaProvider  *self,
                               KinemaRequest   *request,
                               GError         **error)
{
  KinemaProviderCaps caps;
  gboolean image_to_video;

  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (KINEMA_IS_REQUEST (request), FALSE);

  caps = kinema_provider_get_caps (self);
  image_to_video = kinema_request_get_kind (request) == KINEMA_TASK_KIND_IMAGE_TO_VIDEO;

  if (kinema_request_get_kind (request) == KINEMA_TASK_KIND_VIDEO_EXTEND)
    {
      g_autoptr(GError) local = NULL;

      if (!kinema_provider_offers_extend (self))
        {
          g_propagate_error (error, invalid_input_no_extend (self));
          return FALSE;
        }
      /* The model, video id and length rules live with the request, so a caller that
       * only asks the provider still cannot send a refused extension. */
      if (!kinema_request_validate (request, &local))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return TRUE;
    }

  if ((caps & KINEMA_PROVIDER_CAP_NEEDS_PROMPT) && is_blank (kinema_request_get_prompt (request)))
    {
      g_propagate_error (error, invalid_input (image_to_video
                                                 ? _("This gateway needs a description of the motion, also "
                                                     "for image-to-video. Describe what should happen in the clip.")
                                                 : _("Describe what should happen in the clip.")));
      return FALSE;
    }

  if ((caps & KINEMA_PROVIDER_CAP_NEEDS_START_IMAGE) && image_to_video &&
      is_blank (kinema_request_get_image (request)))
    {
      g_propagate_error (error, invalid_input (_("This gateway needs a start image. With only an end frame it "
                                                 "would make the clip from the description alone and drop "
                                                 "your picture.")));
      return FALSE;
    }

  if ((caps & KINEMA_PROVIDER_CAP_DROPS_ZERO_CFG) && kinema_request_get_cfg_scale (request) == 0)
    {
      g_propagate_error (error, invalid_input (_("This gateway cannot pass a creativity of 0: Kling would use "
                                                 "0.5 instead. Choose a value above 0, or leave it unset.")));
      return FALSE;
    }

  return TRUE;
}

/**
 * kinema_provider_list_models:
 * @self: a #KinemaProvider
 *
 * Every provider style relays the same Kling models (kinema-models.h).
 *
 * Returns: (transfer none): the model ids, %NULL-terminated
 */
const char *const *
kinema_provider_list_models (KinemaProvider *self)
{
  static const char **model_ids = NULL;
  static gsize        initialized = 0;

  g_return_val_if_fail (KINEMA_IS_PROVIDER (self), NULL);

  if (g_once_init_enter (&initialized))
    {
      const KinemaModelInfo *models;
      const char           **ids;
      guint                  n_models;

      models = kinema_models_get_all (&n_models);
      ids = g_new0 (const char *, n_models + 1);
      for (guint i = 0; i < n_models; i++)
        ids[i] = models[i].id;

      model_ids = ids;
      g_once_init_leave (&initialized, 1);
    }

  return (const char *const *) model_ids;
}
