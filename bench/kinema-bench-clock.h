/* kinema-bench-clock.h
 *
 * Copyright 2026 The Kinema authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Time since the process started, from /proc/self/stat's start time, so that the
 * dynamic linking and library constructors before main() count too.
 */

#pragma once

#include <glib.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static inline double
kinema_bench_ms_since_process_start (void)
{
  g_autofree char *stat = NULL;
  const char *p;
  unsigned long long start_ticks = 0;
  struct timespec now;
  long hz = sysconf (_SC_CLK_TCK);

  clock_gettime (CLOCK_BOOTTIME, &now);
  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) ||
      (p = strrchr (stat, ')')) == NULL)
    return -1;
  /* Field 22 (starttime), counting from the state field after ") ". */
  if (sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
              &start_ticks) != 1)
    return -1;

  return (now.tv_sec * 1000.0 + now.tv_nsec / 1e6) - (start_ticks * 1000.0 / hz);
}
