/* SPDX-License-Identifier: Apache-2.0 */
/* Checkpoints and restores of a VE with CRIU, through its library (libcriu drives `criu swrk` over CRIU's RPC, as
   crun does; the RPC is what returns a restored console's master).  The library is loaded when first needed:
   a node without CRIU starts and stops VEs all the same.  */
#define _GNU_SOURCE
#include "criu.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CRIU_DIR "/usr/local/lib/cairn/criu"

/* libcriu's enums (criu.h), stable across its versions */
#define CG_MODE_SOFT 3
#define NETWORK_LOCK_NFTABLES 2
#define LOG_WARNINGS 2

struct criu_api
{
  int (*init_opts) (void **opts);
  void (*free_opts) (void *opts);
  int (*set_service_binary) (void *opts, const char *path);
  void (*set_pid) (void *opts, int pid);
  void (*set_images_dir_fd) (void *opts, int fd);
  int (*set_log_file) (void *opts, const char *file);
  void (*set_log_level) (void *opts, int level);
  void (*set_tcp_established) (void *opts, bool on);
  void (*set_tcp_skip_in_flight) (void *opts, bool on);
  void (*set_file_locks) (void *opts, bool on);
  void (*set_orphan_pts_master) (void *opts, bool on);
  void (*set_manage_cgroups) (void *opts, bool on);
  void (*set_manage_cgroups_mode) (void *opts, int mode);
  int (*set_freeze_cgroup) (void *opts, const char *path);
  int (*add_cg_root) (void *opts, const char *controller, const char *path);
  void (*set_auto_ext_mnt) (void *opts, bool on);
  void (*set_ext_sharing) (void *opts, bool on);
  void (*set_ext_masters) (void *opts, bool on);
  int (*set_network_lock) (void *opts, int method);
  void (*set_empty_ns) (void *opts, int namespaces);
  int (*set_root) (void *opts, const char *root);
  void (*set_notify_cb) (void *opts, int (*cb) (char *action, void *arg));
  int (*notify_pid) (void *arg);
  int (*dump) (void *opts);
  int (*restore_child) (void *opts);
  int (*orphan_pts_master_fd) (void);
  int (*add_irmap_path) (void *opts, const char *path);
};

static struct criu_api api;

static int
load_criu (launcher_error_t *err)
{
  static void *lib;
  struct
  {
    void **slot;
    const char *name;
  } symbols[] = {
    { (void **) &api.init_opts, "criu_local_init_opts" },
    { (void **) &api.free_opts, "criu_local_free_opts" },
    { (void **) &api.set_service_binary, "criu_local_set_service_binary" },
    { (void **) &api.set_pid, "criu_local_set_pid" },
    { (void **) &api.set_images_dir_fd, "criu_local_set_images_dir_fd" },
    { (void **) &api.set_log_file, "criu_local_set_log_file" },
    { (void **) &api.set_log_level, "criu_local_set_log_level" },
    { (void **) &api.set_tcp_established, "criu_local_set_tcp_established" },
    { (void **) &api.set_tcp_skip_in_flight, "criu_local_set_tcp_skip_in_flight" },
    { (void **) &api.set_file_locks, "criu_local_set_file_locks" },
    { (void **) &api.set_orphan_pts_master, "criu_local_set_orphan_pts_master" },
    { (void **) &api.set_manage_cgroups, "criu_local_set_manage_cgroups" },
    { (void **) &api.set_manage_cgroups_mode, "criu_local_set_manage_cgroups_mode" },
    { (void **) &api.set_freeze_cgroup, "criu_local_set_freeze_cgroup" },
    { (void **) &api.add_cg_root, "criu_local_add_cg_root" },
    { (void **) &api.set_auto_ext_mnt, "criu_local_set_auto_ext_mnt" },
    { (void **) &api.set_ext_sharing, "criu_local_set_ext_sharing" },
    { (void **) &api.set_ext_masters, "criu_local_set_ext_masters" },
    { (void **) &api.set_network_lock, "criu_local_set_network_lock" },
    { (void **) &api.set_empty_ns, "criu_local_set_empty_ns" },
    { (void **) &api.set_root, "criu_local_set_root" },
    { (void **) &api.set_notify_cb, "criu_local_set_notify_cb" },
    { (void **) &api.notify_pid, "criu_notify_pid" },
    { (void **) &api.dump, "criu_local_dump" },
    { (void **) &api.restore_child, "criu_local_restore_child" },
    { (void **) &api.orphan_pts_master_fd, "criu_get_orphan_pts_master_fd" },
    { (void **) &api.add_irmap_path, "criu_local_add_irmap_path" },
  };
  size_t i;

  if (lib != NULL)
    return 0;
  /* where deploy/criu.sh's CRIU keeps its cache of the kernel's features (gone with /run at a reboot) */
  mkdir ("/run/cairn", 0755);
  mkdir ("/run/cairn/criu", 0700);
  if (access (CRIU_DIR "/criu", X_OK) < 0)
    return launcher_fail (err, 0, "CRIU is not installed on this node (%s/criu): deploy/criu.sh builds it", CRIU_DIR);
  lib = dlopen (CRIU_DIR "/libcriu.so.2", RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL)
    return launcher_fail (err, 0, "load libcriu: %s (deploy/criu.sh installs it)", dlerror ());
  for (i = 0; i < sizeof (symbols) / sizeof (symbols[0]); i++)
    if ((*symbols[i].slot = dlsym (lib, symbols[i].name)) == NULL)
      {
        dlclose (lib);
        lib = NULL;
        return launcher_fail (err, 0, "libcriu lacks %s: CRIU 4.1 or later is needed", symbols[i].name);
      }
  return 0;
}

/* What a VE's dump and restore have in common: the images, what the VE holds from outside (the node's device
   nodes, lxcfs's files, the masked /proc files: external mounts found by their source), its cgroups (made by the
   engine with its limits: CRIU only puts the processes back, and makes what the VE's init made below), its TCP connections and its console.  */
static void *
common_options (const char *images, const char *log, int *images_fd, launcher_error_t *err)
{
  void *opts = NULL;

  *images_fd = open (images, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (UNLIKELY (*images_fd < 0))
    {
      launcher_fail (err, errno, "open `%s`", images);
      return NULL;
    }
  if (api.init_opts (&opts) < 0 || api.set_service_binary (opts, CRIU_DIR "/criu") < 0)
    {
      launcher_fail (err, ENOMEM, "libcriu's options");
      return NULL;
    }
  /* the fd is read by criu through /proc/<this process>/fd: it stays open, without O_CLOEXEC mattering */
  api.set_images_dir_fd (opts, *images_fd);
  api.set_log_file (opts, log);
  api.set_log_level (opts, LOG_WARNINGS);
  api.set_tcp_established (opts, true);
  /* a connection not yet accepted (a client's SYN answered by the kernel) cannot be saved: its client tries again */
  api.set_tcp_skip_in_flight (opts, true);
  api.set_file_locks (opts, true);
  api.set_orphan_pts_master (opts, true);
  api.set_manage_cgroups (opts, true);
  api.set_manage_cgroups_mode (opts, CG_MODE_SOFT);
  api.set_auto_ext_mnt (opts, true);
  api.set_ext_sharing (opts, true);
  api.set_ext_masters (opts, true);
  api.set_network_lock (opts, NETWORK_LOCK_NFTABLES);
  /* the VE's link and addresses are the engine's: its network script builds them again on restore */
  api.set_empty_ns (opts, CLONE_NEWNET);
  /* where CRIU looks for a watched file whose handle it cannot open (overlayfs gives none it can): dbus-daemon's
     folders, /etc and the time zones (systemd watches /etc/localtime, a restored watch is on the zone's file) */
  api.add_irmap_path (opts, "/etc");
  api.add_irmap_path (opts, "/etc/dbus-1");
  api.add_irmap_path (opts, "/usr/share/dbus-1");
  api.add_irmap_path (opts, "/usr/share/zoneinfo");
  return opts;
}

/* The VE's cgroup of each hierarchy ("CONTROLLER:PATH", the controller empty for cgroup2): a dump walks them
   whole (the empty cgroups a systemd made below them too), a restore maps them to this node's.  */
static int
add_cgroup_roots (void *opts, const char *const *cgroup_roots, int n_cgroup_roots, launcher_error_t *err)
{
  int i;

  for (i = 0; i < n_cgroup_roots; i++)
    {
      char controller[64];
      const char *colon = strchr (cgroup_roots[i], ':');
      if (colon == NULL || colon - cgroup_roots[i] >= (long) sizeof (controller))
        return launcher_fail (err, EINVAL, "--cgroup-root %s", cgroup_roots[i]);
      snprintf (controller, sizeof (controller), "%.*s", (int) (colon - cgroup_roots[i]), cgroup_roots[i]);
      if (api.add_cg_root (opts, controller, colon + 1) < 0)
        return launcher_fail (err, ENOMEM, "--cgroup-root %s", cgroup_roots[i]);
    }
  return 0;
}

/* CRIU's first error in its log (what it could not dump: "sk unix: ... is external", say), the cause a user needs.  */
static int
criu_failure (const char *what, const char *images, const char *log, int ret, launcher_error_t *err)
{
  char path[4096], line[1024];
  FILE *f;

  snprintf (path, sizeof (path), "%s/%s", images, log);
  f = fopen (path, "re");
  if (f != NULL)
    {
      while (fgets (line, sizeof (line), f) != NULL)
        {
          char *e = strstr (line, "Error (");
          char *colon = e != NULL ? strstr (e, "): ") : NULL;
          /* CRIU raising its own limit of open files inside a VE's: logged as an error, and harmless */
          if (colon == NULL || strstr (colon, "RLIMIT_NOFILE") != NULL)
            continue;
          line[strcspn (line, "\n")] = '\0';
          fclose (f);
          return launcher_fail (err, 0, "CRIU could not %s the VE: %s (%s)", what, colon + 3, path);
        }
      fclose (f);
    }
  return launcher_fail (err, ret < 0 ? -ret : 0, "CRIU could not %s the VE (%s)", what, path);
}

int
launcher_cmd_checkpoint (pid_t init, const char *images, const char *freeze_cgroup,
                         const char *const *cgroup_roots, int n_cgroup_roots)
{
  launcher_error_t err;
  cleanup_close int images_fd = -1;
  void *opts;
  int ret;

  if (load_criu (&err) < 0 || (opts = common_options (images, "dump.log", &images_fd, &err)) == NULL)
    {
      fprintf (stderr, "cairn-launcher: %s\n", err.msg);
      return 1;
    }
  if (add_cgroup_roots (opts, cgroup_roots, n_cgroup_roots, &err) < 0)
    {
      api.free_opts (opts);
      fprintf (stderr, "cairn-launcher: %s\n", err.msg);
      return 1;
    }
  api.set_pid (opts, init);
  /* the whole VE stops at once through its freezer, not process by process */
  if (freeze_cgroup != NULL)
    api.set_freeze_cgroup (opts, freeze_cgroup);
  ret = api.dump (opts);
  api.free_opts (opts);
  if (ret < 0)
    {
      criu_failure ("checkpoint", images, "dump.log", ret, &err);
      fprintf (stderr, "cairn-launcher: %s\n", err.msg);
      return 1;
    }
  return 0;
}

/* libcriu's notifications carry no argument of the caller's */
static launcher_criu_hook restore_hook;
static void *restore_hook_arg;
static launcher_error_t restore_hook_err;
static int restore_hook_failed;

static int
notified (char *action, void *arg)
{
  if (strcmp (action, "setup-namespaces") != 0 || restore_hook == NULL)
    return 0;
  if (restore_hook (api.notify_pid (arg), restore_hook_arg, &restore_hook_err) == 0)
    return 0;
  restore_hook_failed = 1;
  return -1;
}

pid_t
launcher_criu_restore (const char *images, const char *root, const char *const *cgroup_roots, int n_cgroup_roots,
                       launcher_criu_hook hook, void *arg, int *master, launcher_error_t *err)
{
  cleanup_close int images_fd = -1;
  void *opts;
  int ret;

  *master = -1;
  if (load_criu (err) < 0 || (opts = common_options (images, "restore.log", &images_fd, err)) == NULL)
    return -1;
  api.set_root (opts, root);
  /* the VE's cgroups on this node (another node's engine may keep its VEs elsewhere); per hierarchy, so that the
     node's own ones (name=systemd) stay as they were */
  if (add_cgroup_roots (opts, cgroup_roots, n_cgroup_roots, err) < 0)
    {
      api.free_opts (opts);
      return -1;
    }
  restore_hook = hook;
  restore_hook_arg = arg;
  restore_hook_failed = 0;
  api.set_notify_cb (opts, notified);
  /* the restored init is this process's child (rst_sibling), as a started one is */
  ret = api.restore_child (opts);
  api.free_opts (opts);
  restore_hook = NULL;
  if (ret <= 0 && restore_hook_failed)
    return launcher_fail (err, 0, "%s", restore_hook_err.msg);
  if (ret <= 0)
    return criu_failure ("restore", images, "restore.log", ret, err);
  *master = api.orphan_pts_master_fd ();
  return ret;
}
