/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_CONSOLE_H
#define LAUNCHER_CONSOLE_H

#include "util.h"

#include <sys/types.h>

#define CONSOLE_MAX_CLIENTS 8

/* The supervisor's side of a VE's console: the master of a terminal of the VE's own devpts, a log of what it
   printed on the node (root's, mode 0600, at most `cap` bytes over two files, as LXC's console buffer), and a
   unix socket (root's, mode 0600) through which the CLI and the panel attach.  */
struct launcher_console
{
  int master;  /* -1 while the VE has none (between runs, or a held VE) */
  int log;
  off_t log_size;
  long cap;
  char log_path[4096];
  int listener;
  char socket_path[108];
  int clients[CONSOLE_MAX_CLIENTS];
};

/* In the VE's first process, with its devpts mounted under ./dev: opens a terminal pair there and binds its
   slave on ./dev/console; returns the master and sets *slave.  */
int launcher_console_open_in_ve (int *slave, launcher_error_t *err);

int launcher_console_init (struct launcher_console *c, const char *log_path, long cap, const char *socket_path,
                           launcher_error_t *err);

/* Copies the console to the log and the attached clients, and their keys to the console, until pidfd (the
   VE's init) ends.  */
void launcher_console_serve (struct launcher_console *c, int pidfd);

/* Drops the master of an ended run of the VE; the log and the clients stay for the next.  */
void launcher_console_end_run (struct launcher_console *c);

void launcher_console_close (struct launcher_console *c);

#endif
