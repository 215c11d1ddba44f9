/* kinema-demo.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backend of the "Demo (offline)" provider: the gateway simulator running inside
 * the app on 127.0.0.1, speaking Kling's own bodies on the passthrough route
 * (`{base}/kling/v1/videos/…`, bearer KINEMA_PROVIDER_DEMO_KEY), with a short clock
 * (submitted, then processing, then succeed after about 11 s) and clips made by the
 * clip renderer at 720p with a "DEMO" badge. Jobs and clips are kept in the state
 * directory, so demo tasks resume after the app restarts; the port may change between
 * runs (the last one is tried first) and the demo provider's base URL follows it.
 *
 * Usage, on the main thread of the app or kinema-cli:
 *
 *   demo = kinema_demo_new (registry, NULL);       // NULL: $XDG_DATA_HOME/kinema/demo
 *   if (!kinema_demo_start (demo, &error))
 *     …                                             // the demo provider stays without URL
 *   …                                              // keep @demo alive while tasks may use it
 *   kinema_demo_stop (demo);                        // or just drop the last reference
 */

#pragma once

#include <gio/gio.h>

#include "kinema-provider-registry.h"
#include "kinema-sim-server.h"

G_BEGIN_DECLS

/* How long a demo job stays submitted, then processing (milliseconds). */
#define KINEMA_DEMO_QUEUED_MS  3000
#define KINEMA_DEMO_RUNNING_MS 8000
/* The short side of demo clips. */
#define KINEMA_DEMO_HEIGHT     720

#define KINEMA_TYPE_DEMO (kinema_demo_get_type ())

G_DECLARE_FINAL_TYPE (KinemaDemo, kinema_demo, KINEMA, DEMO, GObject)

KinemaDemo             *kinema_demo_new                   (KinemaProviderRegistry  *registry,
                                                           const char              *state_dir);
gboolean                kinema_demo_start                 (KinemaDemo              *self,
                                                           GError                 **error);
void                    kinema_demo_stop                  (KinemaDemo              *self);
gboolean                kinema_demo_get_running           (KinemaDemo              *self);
/* The demo provider's base URL while running (`http://127.0.0.1:PORT/kling`), else NULL. */
const char             *kinema_demo_get_base_url          (KinemaDemo              *self);
const char             *kinema_demo_get_state_dir         (KinemaDemo              *self);
KinemaProviderRegistry *kinema_demo_get_registry          (KinemaDemo              *self);
/* The simulator while running, for tests (its clock, its counters). */
KinemaSimServer        *kinema_demo_get_server            (KinemaDemo              *self);
/* $XDG_DATA_HOME/kinema/demo */
char                   *kinema_demo_dup_default_state_dir (void);

G_END_DECLS
