/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper, run inside a VE: attempts kernel-level operations a VE must not perform and prints, for
   each, "name errno-name".  The caller asserts that every one was refused.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/io_uring.h>
#include <linux/sched.h>
#include <sched.h>
#include <linux/keyctl.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

static void
report (const char *name, long ret)
{
  printf ("%s %s\n", name, ret < 0 ? strerrorname_np (errno) : "ALLOWED");
}

int
main (void)
{
  struct perf_event_attr attr;
  union bpf_attr battr;
  struct timeval tv = { 0, 0 };
  char handle[128];

  memset (&attr, 0, sizeof (attr));
  attr.size = sizeof (attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  memset (&battr, 0, sizeof (battr));
  memset (handle, 0, sizeof (handle));
  ((int *) handle)[0] = 8;

  report ("init_module", syscall (SYS_init_module, "", 0, ""));
  report ("finit_module", syscall (SYS_finit_module, 0, "", 0));
  report ("delete_module", syscall (SYS_delete_module, "ext4", 0));
  report ("kexec_load", syscall (SYS_kexec_load, 0, 0, NULL, 0));
  report ("open_by_handle_at", syscall (SYS_open_by_handle_at, AT_FDCWD, handle, O_RDONLY));
  report ("settimeofday", settimeofday (&tv, NULL));
  report ("swapon", syscall (SYS_swapon, "/dev/null", 0));
  report ("keyctl", syscall (SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_USER_KEYRING, 0));
  report ("add_key", syscall (SYS_add_key, "user", "cairn", "x", 1, KEY_SPEC_SESSION_KEYRING));
  report ("bpf", syscall (SYS_bpf, BPF_MAP_CREATE, &battr, sizeof (battr)));
  report ("perf_event_open", syscall (SYS_perf_event_open, &attr, 0, -1, -1, 0));
  report ("acct", syscall (SYS_acct, NULL));
  report ("umount2_force", umount2 ("/proc", MNT_FORCE));
  report ("mount_ext4", mount ("/dev/null", "/mnt", "ext4", 0, NULL));
  {
    struct io_uring_params params;
    struct clone_args args;
    memset (&params, 0, sizeof (params));
    memset (&args, 0, sizeof (args));
    args.flags = CLONE_NEWUSER;
    args.exit_signal = SIGCHLD;
    report ("io_uring_setup", syscall (SYS_io_uring_setup, 8, &params));
    report ("unshare_user", unshare (CLONE_NEWUSER));
    report ("unshare_net", unshare (CLONE_NEWNET));
    report ("clone_user", syscall (SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
    report ("clone3_user", syscall (SYS_clone3, &args, sizeof (args)));
  }
  return 0;
}
