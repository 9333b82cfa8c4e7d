/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include "security.h"

#include <errno.h>
#include <linux/capability.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* What LXC drops for system containers, plus net_admin: a VE must not change its own network,
   as on OpenVZ.  Everything else is scoped to the VE's user namespace by the kernel.  */
static const int dropped_caps[] = {
  CAP_SYS_MODULE, CAP_SYS_RAWIO, CAP_SYS_TIME, CAP_MAC_ADMIN, CAP_MAC_OVERRIDE, CAP_NET_ADMIN,
};

/* Kernel-level operations refused with EPERM, following Docker's and LXC's default profiles.  */
static const char *const refused_syscalls[] = {
  "init_module",     "finit_module",    "delete_module", "kexec_load",   "kexec_file_load",
  "open_by_handle_at", "swapon",        "swapoff",       "settimeofday", "clock_settime",
  "clock_adjtime",   "adjtimex",
  "bpf",             "perf_event_open", "acct",          "quotactl",     "iopl",
  "ioperm",          "lookup_dcookie",  "userfaultfd",   "syslog",       "nfsservctl",
  "vm86",            "vm86old",         "uselib",        "fanotify_init", "kcmp",
  /* io_uring has been the source of many kernel escapes; runc's and Docker's profiles refuse it too */
  "io_uring_setup",  "io_uring_enter",  "io_uring_register",
};

/* The kernel keyring, which is not the VE's own: answered "not implemented", as LXC does, so that container
   runtimes inside (runc, crun) go on without a session keyring instead of failing.  */
static const char *const unsupported_syscalls[] = { "keyctl", "add_key", "request_key" };

/* Nested user and network namespaces: a user namespace gives its maker every capability over new kernel
   objects (the widest kernel surface there is), and a network namespace of its own lets a VE's processes
   leave the link the engine accounts and limits.  */
static const scmp_datum_t nested_flags[] = { CLONE_NEWUSER, CLONE_NEWNET };

int
launcher_drop_capabilities (launcher_error_t *err)
{
  size_t i;

  for (i = 0; i < sizeof (dropped_caps) / sizeof (dropped_caps[0]); i++)
    if (UNLIKELY (prctl (PR_CAPBSET_DROP, dropped_caps[i], 0, 0, 0) < 0))
      return launcher_fail (err, errno, "drop capability %d", dropped_caps[i]);
  if (UNLIKELY (prctl (PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0))
    return launcher_fail (err, errno, "clear ambient capabilities");
  return 0;
}

int
launcher_load_seccomp (int nesting, launcher_error_t *err)
{
  scmp_filter_ctx ctx = seccomp_init (SCMP_ACT_ALLOW);
  size_t i;
  int ret;

  if (UNLIKELY (ctx == NULL))
    return launcher_fail (err, ENOMEM, "seccomp_init");
  /* libseccomp sets no_new_privs by default, which would break setuid programs (su, passwd) inside;
     the VE's root holds CAP_SYS_ADMIN in its user namespace, which is enough to load the filter.  */
  ret = seccomp_attr_set (ctx, SCMP_FLTATR_CTL_NNP, 0);
  if (UNLIKELY (ret < 0))
    {
      seccomp_release (ctx);
      return launcher_fail (err, -ret, "seccomp: keep no_new_privs off");
    }
  for (i = 0; i < sizeof (refused_syscalls) / sizeof (refused_syscalls[0]); i++)
    {
      int nr = seccomp_syscall_resolve_name (refused_syscalls[i]);
      if (nr == __NR_SCMP_ERROR)
        continue; /* not on this architecture */
      ret = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), nr, 0);
      if (UNLIKELY (ret < 0))
        {
          seccomp_release (ctx);
          return launcher_fail (err, -ret, "seccomp rule for %s", refused_syscalls[i]);
        }
    }
  for (i = 0; i < sizeof (unsupported_syscalls) / sizeof (unsupported_syscalls[0]); i++)
    {
      ret = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), seccomp_syscall_resolve_name (unsupported_syscalls[i]), 0);
      if (UNLIKELY (ret < 0))
        {
          seccomp_release (ctx);
          return launcher_fail (err, -ret, "seccomp rule for %s", unsupported_syscalls[i]);
        }
    }
  /* a forced unmount could pull a file system from under the host (LXC: reject_force_umount) */
  ret = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (umount2), 1,
                          SCMP_A1 (SCMP_CMP_MASKED_EQ, MNT_FORCE, MNT_FORCE));
  for (i = 0; ret == 0 && !nesting && i < sizeof (nested_flags) / sizeof (nested_flags[0]); i++)
    {
      ret = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (unshare), 1,
                              SCMP_A0 (SCMP_CMP_MASKED_EQ, nested_flags[i], nested_flags[i]));
      if (ret == 0)
        ret = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (EPERM), SCMP_SYS (clone), 1,
                                SCMP_A0 (SCMP_CMP_MASKED_EQ, nested_flags[i], nested_flags[i]));
    }
  /* clone3 passes its flags in memory, which seccomp cannot read: ENOSYS makes glibc fall back to clone,
     as Docker's profile does */
  if (ret == 0)
    ret = seccomp_rule_add (ctx, SCMP_ACT_ERRNO (ENOSYS), SCMP_SYS (clone3), 0);

  if (ret == 0)
    ret = seccomp_load (ctx);
  seccomp_release (ctx);
  if (UNLIKELY (ret < 0))
    return launcher_fail (err, -ret, "load the seccomp filter");
  return 0;
}
