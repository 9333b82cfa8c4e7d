/* SPDX-License-Identifier: Apache-2.0 */
/* cairn-launcher: what the JVM cannot do for a VE -- clone into namespaces, id maps, mounts, pivot_root,
   capabilities, seccomp, exec -- and a small supervisor per VE that outlives the JVM.  State, cgroups and
   files stay in Java.

   cairn-launcher start --lower DIR --upper DIR --work DIR --merged DIR --idmapped DIR --hostname NAME
                        --uid-base N --uid-count N --console LOG [--console-size BYTES] --state-dir DIR
                        [--cgroup-procs FILE]... [--disk-image IMG --disk-dir DIR] [--lxcfs DIR]
                        [--network-hook SCRIPT] -- INIT [ARG]...
       Starts the VE and prints its init's host pid; a supervisor stays to restart it after `reboot` inside.
       The VE's console is a terminal of its own devpts: the supervisor keeps what it prints in LOG (and
       LOG.1), at most BYTES (1 MiB) in all, and relays it to clients of the socket DIR/console.sock.
       A VE that reboots 5 times within 30 s is left stopped, and DIR/failure says so.
       SCRIPT, when it exists, runs with the pid of the VE's first process before that process goes on.
   cairn-launcher exec --pid PID [--tty [--size-file FILE]] [--cgroup-procs FILE]... [--env NAME=VALUE]...
                       -- CMD [ARG]...
       Runs CMD in every namespace of the VE whose init is PID, as the VE's root; exits with its status.
       CMD's environment is the VE's fixed one and the --env given, never the launcher's own.
       With --tty, CMD gets a terminal of the VE's own devpts, relayed to the launcher's stdin and stdout.
       Its size follows the launcher's own terminal, or (--size-file) "ROWS COLS" in FILE, read again at SIGWINCH.
   cairn-launcher files --pid PID [--in-ve] [--cgroup-procs FILE]... -- PROGRAM [ARG]...
       Runs PROGRAM, a host path, as the VE's root over the VE's files only (for backups and restores).
   cairn-launcher sethostname --pid PID NAME
       Sets the live host name of the VE whose init is PID.
   cairn-launcher devices --cgroup DIR -- RULE...
       Allows the VE whose cgroup v2 directory is DIR the devices of the rules ("c 1:3 rwm", as v1's
       devices.allow) and no other.
   cairn-launcher grow-disk --loop /dev/loopN --disk-dir DIR
       Grows a running VE's ext4 disk online to the new size of its image (DIR: a path to its root).
   cairn-launcher checkpoint --pid PID --images DIR [--freeze-cgroup DIR] [--cgroup-root CONTROLLER:PATH]...
       Dumps the VE whose init is PID into DIR with CRIU, frozen through its freezer cgroup DIR, with every
       cgroup below its PATH of each hierarchy (those its init made and left empty too), then ends it.
   cairn-launcher restore START-OPTIONS --images DIR [--cgroup-root CONTROLLER:PATH]... -- INIT [ARG]...
       As start, but the VE's processes come back from the checkpoint in DIR, into its cgroup PATH of each
       hierarchy (CONTROLLER empty: the cgroup2 one); a reboot inside boots INIT.
   With --lxcfs DIR, /proc/meminfo, cpuinfo, stat, uptime ... are lxcfs's views of the VE's own cgroups.
   With --disk-image FILE --disk-dir DIR, start puts the VE's writable layer on its own ext4 image, mounted
   through a self-detaching loop device inside the VE's mount namespace only: the disk quota.  */
#define _GNU_SOURCE
#include "launcher.h"
#include "criu.h"
#include "devices.h"
#include "disk.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *const launcher_ve_environment[] = {
  "container=cairn", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
  "TERM=linux", NULL,
};

/* ---- command line ---- */

static int
usage (void)
{
  fprintf (stderr, "usage: cairn-launcher start OPTIONS -- INIT [ARG]...\n"
                   "       cairn-launcher exec --pid PID [--tty [--size-file FILE]] [--cgroup-procs FILE]... [--env NAME=VALUE]...\n"
                   "                           -- CMD [ARG]...\n"
                   "       cairn-launcher sethostname --pid PID NAME\n"
                   "       cairn-launcher files --pid PID [--in-ve] [--cgroup-procs FILE]... [--tree NAME=DIR]... -- PROGRAM [ARG]...\n"
                   "       cairn-launcher devices --cgroup DIR -- RULE...\n"
                   "       cairn-launcher grow-disk --loop /dev/loopN --disk-dir DIR\n"
                   "       cairn-launcher checkpoint --pid PID --images DIR [--freeze-cgroup DIR] [--cgroup-root C:PATH]...\n"
                   "       cairn-launcher restore START-OPTIONS --images DIR [--cgroup-root CONTROLLER:PATH]...\n"
                   "                              -- INIT [ARG]...\n");
  return 2;
}

int
main (int argc, char **argv)
{
  static const struct option options[]
      = { { "lower", required_argument, 0, 'l' },     { "upper", required_argument, 0, 'u' },
          { "work", required_argument, 0, 'w' },      { "merged", required_argument, 0, 'm' },
          { "idmapped", required_argument, 0, 'i' },  { "hostname", required_argument, 0, 'h' },
          { "uid-base", required_argument, 0, 'b' },  { "uid-count", required_argument, 0, 'c' },
          { "console", required_argument, 0, 'o' },   { "state-dir", required_argument, 0, 's' },
          { "cgroup-procs", required_argument, 0, 'g' }, { "pid", required_argument, 0, 'p' },
          { "tty", no_argument, 0, 't' },          { "disk-image", required_argument, 0, 'D' },
          { "disk-dir", required_argument, 0, 'd' }, { "loop", required_argument, 0, 'L' },
          { "lxcfs", required_argument, 0, 'x' },     { "network-hook", required_argument, 0, 'N' },
          { "hold", no_argument, 0, 'H' },          { "in-ve", no_argument, 0, 'V' },
          { "size-file", required_argument, 0, 'z' }, { "env", required_argument, 0, 'e' },
          { "console-size", required_argument, 0, 'C' }, { "cgroup", required_argument, 0, 'G' },
          { "run-tmpfs", no_argument, 0, 'R' },       { "cgroup2", no_argument, 0, '2' },
          { "tree", required_argument, 0, 'T' },       { "nesting", no_argument, 0, 'n' },
          { "images", required_argument, 0, 'I' },     { "cgroup-root", required_argument, 0, 'r' },
          { "freeze-cgroup", required_argument, 0, 'f' },
          { 0, 0, 0, 0 } };
  struct start_opts o;
  const char *command;
  pid_t target = 0;
  int opt, tty = 0, in_ve = 0;
  const char *loop = NULL, *size_file = NULL, *cgroup = NULL, *freeze_cgroup = NULL;
  char *env[16], *trees[4];
  int n_env = 0, n_trees = 0;

  if (argc < 2)
    return usage ();
  command = argv[1];
  memset (&o, 0, sizeof (o));
  o.console_size = 1L << 20;
  optind = 2;
  while ((opt = getopt_long (argc, argv, "", options, NULL)) != -1)
    {
      switch (opt)
        {
        case 'l': o.lower = optarg; break;
        case 'u': o.upper = optarg; break;
        case 'w': o.work = optarg; break;
        case 'm': o.merged = optarg; break;
        case 'i': o.idmapped = optarg; break;
        case 'h': o.hostname = optarg; break;
        case 'b': o.uid_base = strtol (optarg, NULL, 10); break;
        case 'c': o.uid_count = strtol (optarg, NULL, 10); break;
        case 'o': o.console = optarg; break;
        case 's': o.state_dir = optarg; break;
        case 'p': target = (pid_t) strtol (optarg, NULL, 10); break;
        case 't': tty = 1; break;
        case 'D': o.disk_image = optarg; break;
        case 'd': o.disk_dir = optarg; break;
        case 'L': loop = optarg; break;
        case 'x': o.lxcfs = optarg; break;
        case 'N': o.network_hook = optarg; break;
        case 'H': o.hold = 1; break;
        case 'R': o.run_tmpfs = 1; break;
        case '2': o.cgroup2 = 1; break;
        case 'n': o.nesting = 1; break;
        case 'V': in_ve = 1; break;
        case 'z': size_file = optarg; break;
        case 'G': cgroup = optarg; break;
        case 'C': o.console_size = strtol (optarg, NULL, 10); break;
        case 'I': o.images = optarg; break;
        case 'r':
          if (o.n_cgroup_roots == MAX_CGROUPS || strchr (optarg, ':') == NULL)
            return usage ();
          o.cgroup_roots[o.n_cgroup_roots++] = optarg;
          break;
        case 'f': freeze_cgroup = optarg; break;
        case 'e':
          if (n_env == 16 || strchr (optarg, '=') == NULL || optarg[0] == '=')
            return usage ();
          env[n_env++] = optarg;
          break;
        case 'T':
          if (n_trees == 4 || !launcher_valid_tree (optarg))
            return usage ();
          trees[n_trees++] = optarg;
          break;
        case 'g':
          if (o.n_cgroups == MAX_CGROUPS)
            return usage ();
          o.cgroup_procs[o.n_cgroups++] = optarg;
          break;
        default: return usage ();
        }
    }
  if (strcmp (command, "grow-disk") == 0)
    {
      launcher_error_t err;
      if (loop == NULL || o.disk_dir == NULL)
        return usage ();
      if (launcher_grow_disk (loop, o.disk_dir, &err) < 0)
        {
          fprintf (stderr, "cairn-launcher: %s\n", err.msg);
          return 1;
        }
      return 0;
    }
  if (strcmp (command, "checkpoint") == 0)
    return target > 0 && o.images != NULL && optind == argc
               ? launcher_cmd_checkpoint (target, o.images, freeze_cgroup, o.cgroup_roots, o.n_cgroup_roots)
               : usage ();
  if (optind >= argc)
    return usage ();
  if (strcmp (command, "devices") == 0)
    {
      launcher_error_t err;
      if (cgroup == NULL)
        return usage ();
      if (launcher_limit_devices (cgroup, argv + optind, argc - optind, &err) < 0)
        {
          fprintf (stderr, "cairn-launcher: %s\n", err.msg);
          return 1;
        }
      return 0;
    }
  if (strcmp (command, "exec") == 0)
    return target > 0 ? launcher_cmd_exec (target, tty, size_file, o.cgroup_procs, o.n_cgroups, env, n_env,
                                                   o.nesting, argv + optind)
                      : usage ();
  if (strcmp (command, "sethostname") == 0)
    return target > 0 && optind + 1 == argc ? launcher_cmd_sethostname (target, argv[optind]) : usage ();
  if (strcmp (command, "files") == 0)
    return target > 0 ? launcher_cmd_files (target, in_ve, o.cgroup_procs, o.n_cgroups, trees, n_trees, argv + optind) : usage ();
  if (strcmp (command, "start") == 0 || strcmp (command, "restore") == 0)
    {
      int restore = strcmp (command, "restore") == 0;
      if (restore != (o.images != NULL) || (!restore && o.n_cgroup_roots > 0) || (restore && o.hold))
        return usage ();
      if (!o.lower || !o.upper || !o.work || !o.merged || !o.idmapped || !o.hostname || !o.console || !o.state_dir
          || o.uid_base <= 0 || o.uid_count <= 0 || (o.disk_image != NULL) != (o.disk_dir != NULL))
        return usage ();
      o.init_argv = argv + optind;
      return launcher_cmd_start (&o);
    }
  return usage ();
}
