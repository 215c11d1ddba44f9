/* kinema-keyring.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "kinema-keyring"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kinema-error.h"
#include "kinema-keyring.h"

typedef enum {
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} OpKind;

/* One keyring call. The GTask returns exactly once: when libsecret answers, when the
 * timeout fires, or when the caller cancels; a late answer from libsecret is dropped. */
typedef struct {
  OpKind        kind;
  GCancellable *cancellable;   /* ours, cancelled on timeout or with the caller's */
  GCancellable *outer;         /* the caller's, or NULL */
  gulong        outer_handler;
  GSource      *timeout;
  gboolean      done;
} KeyringOp;

static void
keyring_op_free (gpointer data)
{
  KeyringOp *op = data;

  if (op->timeout != NULL)
    {
      g_source_destroy (op->timeout);
      g_source_unref (op->timeout);
    }
  if (op->outer != NULL)
    {
      if (op->outer_handler != 0)
        g_cancellable_disconnect (op->outer, op->outer_handler);
      g_object_unref (op->outer);
    }
  g_clear_object (&op->cancellable);
  g_free (op);
}

const SecretSchema *
kinema_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.kinema.Kinema.Key", SECRET_SCHEMA_NONE,
    {
      { "provider-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

void
kinema_keyring_free_secret (char *secret)
{
  if (secret != NULL)
    secret_password_free (secret);
}

static GError *
keyring_error (const char *technical)
{
  /* The technical message comes from libsecret or D-Bus and never holds the secret. */
  return kinema_error_new (KINEMA_ERROR_KEYRING, 0, NULL, technical, NULL);
}

static void
finish_op (GTask  *task,
           GError *error,
           char   *secret)
{
  KeyringOp *op = g_task_get_task_data (task);

  if (op->done)
    {
      g_clear_error (&error);
      kinema_keyring_free_secret (secret);
      return;
    }

  op->done = TRUE;
  if (op->timeout != NULL)
    {
      g_source_destroy (op->timeout);
      g_clear_pointer (&op->timeout, g_source_unref);
    }
  if (op->outer != NULL)
    {
      g_cancellable_disconnect (op->outer, op->outer_handler);
      op->outer_handler = 0;
    }
  /* stop whatever libsecret is still doing (a prompt, a D-Bus call) */
  g_cancellable_cancel (op->cancellable);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (op->kind == OP_LOOKUP)
    g_task_return_pointer (task, secret, (GDestroyNotify) kinema_keyring_free_secret);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
on_timeout (gpointer user_data)
{
  GTask *task = user_data;

  g_debug ("The Secret Service did not answer in time");
  finish_op (task, keyring_error ("The Secret Service did not answer in time"), NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_outer_cancelled_idle (gpointer user_data)
{
  GTask *task = user_data;

  finish_op (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")), NULL);
  return G_SOURCE_REMOVE;
}

static void
on_outer_cancelled (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GSource) source = g_idle_source_new ();

  /* may run in any thread: hop to the task's context */
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_task_attach_source (task, source, on_outer_cancelled_idle);
}

static GTask *
new_op (OpKind               kind,
        gpointer             source_tag,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  KeyringOp *op = g_new0 (KeyringOp, 1);

  g_task_set_source_tag (task, source_tag);
  op->kind = kind;
  op->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, op, keyring_op_free);

  op->timeout = g_timeout_source_new (KINEMA_KEYRING_TIMEOUT_MS);
  g_task_attach_source (task, op->timeout, on_timeout);

  if (cancellable != NULL)
    {
      /* libsecret's callback holds the task until it answers, and the handler is
       * disconnected as soon as the task returns */
      op->outer = g_object_ref (cancellable);
      op->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_outer_cancelled), task, NULL);
    }

  return task;
}

static GHashTable *
new_attributes (const char *provider_id,
                const char *kind)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "provider-id", (gpointer) provider_id);
  if (kind != NULL)
    g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind);
  return attributes;
}

static GError *
translate_error (GError *error)
{
  GError *ret;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  ret = keyring_error (error->message);
  g_error_free (error);
  return ret;
}

static void
on_store_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    finish_op (task, translate_error (error), NULL);
  else
    finish_op (task, NULL, NULL);
}

/**
 * kinema_keyring_store_async:
 * @provider_id: the provider's id
 * @kind: one of the KINEMA_KEYRING_KIND_* values
 * @label: the label shown in keyring managers such as Seahorse
 * @secret: the secret to store
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when stored, failed or timed out
 * @user_data: data for @callback
 *
 * Stores @secret in the default collection, replacing any previous one.
 */
void
kinema_keyring_store_async (const char          *provider_id,
                            const char          *kind,
                            const char          *label,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;
  KeyringOp *op;

  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (kind != NULL);
  g_return_if_fail (secret != NULL);

  task = new_op (OP_STORE, kinema_keyring_store_async, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  attributes = new_attributes (provider_id, kind);

  secret_password_storev (kinema_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label ? label : provider_id, secret, op->cancellable,
                          on_store_done, task);
}

gboolean
kinema_keyring_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_keyring_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_lookup_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    finish_op (task, translate_error (error), NULL);
  else
    finish_op (task, NULL, secret);
}

/**
 * kinema_keyring_lookup_async:
 * @provider_id: the provider's id
 * @kind: one of the KINEMA_KEYRING_KIND_* values
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the result
 * @user_data: data for @callback
 */
void
kinema_keyring_lookup_async (const char          *provider_id,
                             const char          *kind,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;
  KeyringOp *op;

  g_return_if_fail (provider_id != NULL);
  g_return_if_fail (kind != NULL);

  task = new_op (OP_LOOKUP, kinema_keyring_lookup_async, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  attributes = new_attributes (provider_id, kind);

  secret_password_lookupv (kinema_keyring_get_schema (), attributes, op->cancellable,
                           on_lookup_done, task);
}

/**
 * kinema_keyring_lookup_finish:
 * @result: the #GAsyncResult
 * @error: return location for a %KINEMA_ERROR_KEYRING error
 *
 * Returns: (transfer full) (nullable): the secret (free it with
 *   kinema_keyring_free_secret()), or %NULL when none is stored or on error
 */
char *
kinema_keyring_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_keyring_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_clear_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL)
    finish_op (task, translate_error (error), NULL);
  else
    finish_op (task, NULL, NULL);
}

/**
 * kinema_keyring_clear_async:
 * @provider_id: the provider's id
 * @kind: (nullable): one of the KINEMA_KEYRING_KIND_* values, or %NULL for all
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Removing a secret that does not exist is not an error.
 */
void
kinema_keyring_clear_async (const char          *provider_id,
                            const char          *kind,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  GTask *task;
  KeyringOp *op;

  g_return_if_fail (provider_id != NULL);

  task = new_op (OP_CLEAR, kinema_keyring_clear_async, cancellable, callback, user_data);
  op = g_task_get_task_data (task);
  attributes = new_attributes (provider_id, kind);

  secret_password_clearv (kinema_keyring_get_schema (), attributes, op->cancellable,
                          on_clear_done, task);
}

gboolean
kinema_keyring_clear_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kinema_keyring_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
