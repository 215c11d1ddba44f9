/* kinema-bench-hello.c
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The startup baseline: a bare AdwApplicationWindow with a header bar, built with
 * the same flags as Kinema. Prints the time from process start to the first painted
 * frame ("first-frame-ms: N") and quits, exactly like `kinema` does when
 * KINEMA_BENCH_STARTUP=1 is set.
 */

#include "config.h"

#include <adwaita.h>

#include "kinema-bench-clock.h"

static void
on_after_paint (GdkFrameClock *clock,
                GtkWindow     *window)
{
  g_print ("first-frame-ms: %.3f\n", kinema_bench_ms_since_process_start ());
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, window);
  gtk_window_destroy (window);
}

static void
on_map (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), widget);
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), gtk_label_new ("Hello"));
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  g_signal_connect (window, "map", G_CALLBACK (on_map), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.kinema.BenchHello",
                                                        G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
