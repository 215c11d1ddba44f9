/* kinema-task-manager.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The façade the UI and kinema-cli use: creates tasks, stores them in the history
 * before anything is sent, submits, schedules polls, downloads, and resumes
 * unfinished tasks after a restart.
 */

#pragma once

#include <gio/gio.h>

#include "kinema-client.h"
#include "kinema-history.h"
#include "kinema-provider-registry.h"
#include "kinema-task.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_TASK_MANAGER (kinema_task_manager_get_type ())

G_DECLARE_FINAL_TYPE (KinemaTaskManager, kinema_task_manager, KINEMA, TASK_MANAGER, GObject)

KinemaTaskManager *kinema_task_manager_new              (const char              *data_dir,
                                                         const char              *downloads_dir,
                                                         KinemaProviderRegistry  *providers,
                                                         KinemaClient            *client);
/* Opens the history, fills the model and resumes unfinished tasks. */
void               kinema_task_manager_load_async       (KinemaTaskManager       *self,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
gboolean           kinema_task_manager_load_finish      (KinemaTaskManager       *self,
                                                         GAsyncResult            *result,
                                                         GError                 **error);
/* GListModel of KinemaTask, newest first. */
GListModel        *kinema_task_manager_get_tasks        (KinemaTaskManager       *self);
/* The history the tasks are kept in (transfer none): stories are kept there too. */
KinemaHistory     *kinema_task_manager_get_history      (KinemaTaskManager       *self);
/* The registry tasks' providers are looked up in, or NULL (transfer none). */
KinemaProviderRegistry *kinema_task_manager_get_providers (KinemaTaskManager *self);
KinemaTask        *kinema_task_manager_lookup           (KinemaTaskManager       *self,
                                                         const char              *task_id);
/* The provider @task is made at (transfer none): the registry's, else one used this run;
 * NULL when neither has it any more. */
KinemaProvider    *kinema_task_manager_lookup_provider  (KinemaTaskManager       *self,
                                                         KinemaTask              *task);
/* Validates, stores @n_variants tasks (one paid job each) and starts submitting them.
 * Returns: (transfer container) (element-type KinemaTask): the new tasks. */
GPtrArray         *kinema_task_manager_generate         (KinemaTaskManager       *self,
                                                         KinemaProvider          *provider,
                                                         KinemaRequest           *request,
                                                         guint                    n_variants,
                                                         GError                 **error);
/* Stops tracking (the provider may still finish and bill the job). */
void               kinema_task_manager_stop             (KinemaTaskManager       *self,
                                                         KinemaTask              *task);
/* A new paid job with the same settings; only on the user's explicit request. */
KinemaTask        *kinema_task_manager_retry            (KinemaTaskManager       *self,
                                                         KinemaTask              *task,
                                                         GError                 **error);
/* Sends a Not sent task (nothing left the computer) again, as the same job; only on
 * the user's explicit request. FALSE with @error for any other state. */
gboolean           kinema_task_manager_resend           (KinemaTaskManager       *self,
                                                         KinemaTask              *task,
                                                         GError                 **error);
void               kinema_task_manager_remove           (KinemaTaskManager       *self,
                                                         KinemaTask              *task);
const char        *kinema_task_manager_get_downloads_dir(KinemaTaskManager       *self);
void               kinema_task_manager_set_downloads_dir(KinemaTaskManager       *self,
                                                         const char              *downloads_dir);
/* Resolves when no task is active any more (for kinema-cli and tests). */
void               kinema_task_manager_wait_idle_async  (KinemaTaskManager       *self,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
gboolean           kinema_task_manager_wait_idle_finish (KinemaTaskManager       *self,
                                                         GAsyncResult            *result,
                                                         GError                 **error);

/* Additions (not in the first contract) */
/* The densest regular poll interval in seconds (default 2; kinema-cli --poll-interval,
 * tests). Every other interval and the back-offs scale with it. <= 0 restores the default. */
void               kinema_task_manager_set_poll_interval (KinemaTaskManager      *self,
                                                          double                  seconds);
double             kinema_task_manager_get_poll_interval (KinemaTaskManager      *self);
/* Polls the provider's tasks again after "provider-paused" (e.g. once a key was entered).
 * Generating on the provider also resumes it. */
void               kinema_task_manager_resume_provider   (KinemaTaskManager      *self,
                                                          KinemaProvider         *provider);
/* Remembers the thumbnail media made for @task (saved in the history). */
void               kinema_task_manager_set_thumbnail_path (KinemaTaskManager     *self,
                                                           KinemaTask            *task,
                                                           const char            *thumbnail_path);
/* Blocks until every change is written to the history (before exit). */
gboolean           kinema_task_manager_flush             (KinemaTaskManager      *self,
                                                          GError                **error);
/* Where an unreadable history was moved when it was loaded (a new one took its place), or NULL. */
const char        *kinema_task_manager_get_moved_aside_history (KinemaTaskManager *self);
/* For tests and benchmarks. */
KinemaScheduler   *kinema_task_manager_get_scheduler     (KinemaTaskManager      *self);
/* Call before loading: takes DATA_DIR/resume.lock for as long as @self lives, so that
 * one process at a time follows the unfinished tasks of a history. FALSE when another
 * process holds it: loading then leaves those tasks to that process (they are listed,
 * not resumed); new tasks are followed as usual. Without this call, loading resumes. */
gboolean           kinema_task_manager_lock_resume       (KinemaTaskManager      *self);

/* Signals: "task-finished" (KinemaTask *task) when a task reaches Succeeded, Failed,
 * Not sent or Needs checking;
 * "provider-paused" (KinemaProvider *provider, GError *error) once per provider when an
 * authentication error pauses its tasks. */

G_END_DECLS
