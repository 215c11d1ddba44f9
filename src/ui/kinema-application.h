/* kinema-application.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The application: owns the core objects (providers, client, task manager, offline demo,
 * settings) and hands them to the window; app actions and accelerators.
 */

#pragma once

#include <adwaita.h>

#include "kinema-client.h"
#include "kinema-demo.h"
#include "kinema-provider-registry.h"
#include "kinema-task-manager.h"

G_BEGIN_DECLS

#define KINEMA_TYPE_APPLICATION (kinema_application_get_type ())

G_DECLARE_FINAL_TYPE (KinemaApplication, kinema_application, KINEMA, APPLICATION, AdwApplication)

/* clang-format off */
KinemaApplication      *kinema_application_new               (void);
KinemaProviderRegistry *kinema_application_get_providers     (KinemaApplication *self);
KinemaClient           *kinema_application_get_client        (KinemaApplication *self);
/* (type KinemaTaskManager): NULL when the history could not be opened. */
KinemaTaskManager      *kinema_application_get_task_manager  (KinemaApplication *self);
KinemaDemo             *kinema_application_get_demo          (KinemaApplication *self);
GSettings              *kinema_application_get_settings      (KinemaApplication *self);
/* $XDG_VIDEOS_DIR/Kinema, or the downloads-folder setting when set. */
char                   *kinema_application_dup_downloads_dir (KinemaApplication *self);
/* clang-format on */

G_END_DECLS
