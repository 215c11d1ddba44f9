/* kinema-demo.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-demo"

#include "config.h"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kinema-demo.h"
#include "kinema-error.h"

/* The last port, tried first on the next start so that clip links handed out
 * before a restart keep working. */
#define PORT_FILE "port"

struct _KinemaDemo
{
  GObject                 parent_instance;

  KinemaProviderRegistry *registry;
  char                   *state_dir;
  KinemaSimServer        *server;
  char                   *base_url;
};

G_DEFINE_FINAL_TYPE (KinemaDemo, kinema_demo, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTRY,
  PROP_STATE_DIR,
  PROP_RUNNING,
  PROP_BASE_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kinema_demo_constructed (GObject *object)
{
  KinemaDemo *self = KINEMA_DEMO (object);

  G_OBJECT_CLASS (kinema_demo_parent_class)->constructed (object);

  if (self->state_dir == NULL)
    self->state_dir = kinema_demo_dup_default_state_dir ();
}

static void
kinema_demo_dispose (GObject *object)
{
  KinemaDemo *self = KINEMA_DEMO (object);

  kinema_demo_stop (self);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (kinema_demo_parent_class)->dispose (object);
}

static void
kinema_demo_finalize (GObject *object)
{
  KinemaDemo *self = KINEMA_DEMO (object);

  g_free (self->state_dir);
  g_free (self->base_url);

  G_OBJECT_CLASS (kinema_demo_parent_class)->finalize (object);
}

static void
kinema_demo_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KinemaDemo *self = KINEMA_DEMO (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;

    case PROP_STATE_DIR:
      g_value_set_string (value, self->state_dir);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, kinema_demo_get_running (self));
      break;

    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_demo_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  KinemaDemo *self = KINEMA_DEMO (object);

  switch (prop_id)
    {
    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;

    case PROP_STATE_DIR:
      self->state_dir = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kinema_demo_class_init (KinemaDemoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kinema_demo_constructed;
  object_class->dispose = kinema_demo_dispose;
  object_class->finalize = kinema_demo_finalize;
  object_class->get_property = kinema_demo_get_property;
  object_class->set_property = kinema_demo_set_property;

  /**
   * KinemaDemo:registry:
   *
   * The registry whose demo provider is pointed at the simulator.
   */
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL, KINEMA_TYPE_PROVIDER_REGISTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * KinemaDemo:state-dir:
   *
   * Where demo jobs, their images and clips are kept across runs.
   */
  properties[PROP_STATE_DIR] =
    g_param_spec_string ("state-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * KinemaDemo:running:
   *
   * Whether the simulator is listening.
   */
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * KinemaDemo:base-url:
   *
   * The demo provider's base URL while running.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kinema_demo_init (KinemaDemo *self)
{
}

/**
 * kinema_demo_dup_default_state_dir:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/kinema/demo`
 */
char *
kinema_demo_dup_default_state_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "kinema", "demo", NULL);
}

/**
 * kinema_demo_new:
 * @registry: the registry holding the demo provider
 * @state_dir: (nullable): where demo jobs are kept, or %NULL for
 *   kinema_demo_dup_default_state_dir()
 *
 * Returns: (transfer full): a demo backend, not started yet
 */
KinemaDemo *
kinema_demo_new (KinemaProviderRegistry *registry,
                 const char             *state_dir)
{
  g_return_val_if_fail (KINEMA_IS_PROVIDER_REGISTRY (registry), NULL);

  return g_object_new (KINEMA_TYPE_DEMO,
                       "registry", registry,
                       "state-dir", state_dir,
                       NULL);
}

static guint
read_saved_port (KinemaDemo *self)
{
  g_autofree char *path = g_build_filename (self->state_dir, PORT_FILE, NULL);
  g_autofree char *text = NULL;
  guint64 port;

  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (text), 10, 1024, 65535, &port, NULL))
    return 0;
  return (guint) port;
}

static void
save_port (KinemaDemo *self,
           guint       port)
{
  g_autofree char *path = g_build_filename (self->state_dir, PORT_FILE, NULL);
  g_autofree char *text = g_strdup_printf ("%u\n", port);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    g_debug ("Could not remember the demo port: %s", error->message);
}

/**
 * kinema_demo_start:
 * @self: a #KinemaDemo
 * @error: return location for a #GError
 *
 * Starts the simulator on 127.0.0.1 with the jobs kept in the state directory, and
 * points the registry's demo provider at it (base URL and key). Does nothing when
 * already running. Fails with %KINEMA_ERROR_DISK when the state directory cannot be
 * made, %KINEMA_ERROR_NETWORK when no local port can be opened.
 *
 * Returns: %TRUE when the demo is running
 */
gboolean
kinema_demo_start (KinemaDemo  *self,
                   GError     **error)
{
  g_autoptr(KinemaSimServer) server = NULL;
  g_autoptr(GError) local_error = NULL;
  KinemaProvider *provider;
  guint port;

  g_return_val_if_fail (KINEMA_IS_DEMO (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->server != NULL)
    return TRUE;

  if (g_mkdir_with_parents (self->state_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_DISK,
                   _("The offline demo cannot keep its jobs in “%s”: %s"),
                   self->state_dir, g_strerror (saved_errno));
      return FALSE;
    }

  server = kinema_sim_server_new (self->state_dir);
  /* The demo provider speaks the official style with a bearer key: the gateways'
   * passthrough route, answering with Kling's own bodies. */
  kinema_sim_server_set_dialect (server, KINEMA_SIM_ROUTE_KLING_GATEWAY, KINEMA_SIM_DIALECT_KLING);
  kinema_sim_server_add_bearer_key (server, KINEMA_PROVIDER_DEMO_KEY);
  kinema_sim_server_set_clock (server, KINEMA_DEMO_QUEUED_MS, KINEMA_DEMO_RUNNING_MS);
  kinema_sim_server_set_render_options (server, KINEMA_DEMO_HEIGHT, 0, TRUE);

  port = read_saved_port (self);
  if (port == 0 || !kinema_sim_server_start (server, port, &local_error))
    {
      if (local_error != NULL)
        g_debug ("Port %u is taken, the demo takes another: %s", port, local_error->message);
      g_clear_error (&local_error);
      if (!kinema_sim_server_start (server, 0, &local_error))
        {
          g_set_error (error, KINEMA_ERROR, KINEMA_ERROR_NETWORK,
                       _("The offline demo could not start: %s"), local_error->message);
          return FALSE;
        }
    }
  save_port (self, kinema_sim_server_get_port (server));

  self->server = g_steal_pointer (&server);
  g_free (self->base_url);
  self->base_url = g_strconcat (kinema_sim_server_get_base_url (self->server), "/kling", NULL);

  provider = kinema_provider_registry_get_demo (self->registry);
  kinema_provider_set_base_url (provider, self->base_url);
  kinema_provider_set_api_key (provider, KINEMA_PROVIDER_DEMO_KEY);

  g_debug ("The offline demo listens at %s, jobs in %s", self->base_url, self->state_dir);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

/**
 * kinema_demo_stop:
 * @self: a #KinemaDemo
 *
 * Stops the simulator (renders under way are abandoned, and redone on the next start)
 * and clears the demo provider's base URL. The jobs stay in the state directory.
 */
void
kinema_demo_stop (KinemaDemo *self)
{
  KinemaProvider *provider;

  g_return_if_fail (KINEMA_IS_DEMO (self));

  if (self->server == NULL)
    return;

  kinema_sim_server_stop (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->base_url, g_free);

  if (self->registry != NULL)
    {
      provider = kinema_provider_registry_get_demo (self->registry);
      kinema_provider_set_base_url (provider, NULL);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
kinema_demo_get_running (KinemaDemo *self)
{
  g_return_val_if_fail (KINEMA_IS_DEMO (self), FALSE);

  return self->server != NULL;
}

const char *
kinema_demo_get_base_url (KinemaDemo *self)
{
  g_return_val_if_fail (KINEMA_IS_DEMO (self), NULL);

  return self->base_url;
}

const char *
kinema_demo_get_state_dir (KinemaDemo *self)
{
  g_return_val_if_fail (KINEMA_IS_DEMO (self), NULL);

  return self->state_dir;
}

/**
 * kinema_demo_get_registry:
 * @self: a #KinemaDemo
 *
 * Returns: (transfer none): the registry
 */
KinemaProviderRegistry *
kinema_demo_get_registry (KinemaDemo *self)
{
  g_return_val_if_fail (KINEMA_IS_DEMO (self), NULL);

  return self->registry;
}

/**
 * kinema_demo_get_server:
 * @self: a #KinemaDemo
 *
 * Returns: (transfer none) (nullable): the simulator while running
 */
KinemaSimServer *
kinema_demo_get_server (KinemaDemo *self)
{
  g_return_val_if_fail (KINEMA_IS_DEMO (self), NULL);

  return self->server;
}
