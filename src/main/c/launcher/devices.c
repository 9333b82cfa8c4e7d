/* SPDX-License-Identifier: Apache-2.0 */
/* The devices a VE may use, on cgroup v2: v2 has no devices.allow, so the allow list is an eBPF program of type
   BPF_PROG_TYPE_CGROUP_DEVICE attached to the VE's cgroup (as systemd and crun do).  Rules are those of v1's
   devices.allow ("c 1:3 rwm", "b *:* m"); anything no rule allows is refused.  */
#define _GNU_SOURCE
#include "devices.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_INSNS 512

struct program
{
  struct bpf_insn insns[MAX_INSNS];
  int n;
};

static void
emit (struct program *p, __u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
  if (p->n < MAX_INSNS)
    p->insns[p->n++] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
}

/* "c 1:3 rwm": type, major and minor (-1 for *), access bits; 0 when the rule is not one.  */
static int
parse_rule (const char *rule, int *type, long *major, long *minor, int *access)
{
  char t, majs[16], mins[16], acc[8];
  const char *a;

  if (sscanf (rule, "%c %15[0-9*]:%15[0-9*] %7s", &t, majs, mins, acc) != 4 || (t != 'c' && t != 'b'))
    return 0;
  *type = t == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
  *major = strcmp (majs, "*") == 0 ? -1 : strtol (majs, NULL, 10);
  *minor = strcmp (mins, "*") == 0 ? -1 : strtol (mins, NULL, 10);
  *access = 0;
  for (a = acc; *a; a++)
    switch (*a)
      {
      case 'r': *access |= BPF_DEVCG_ACC_READ; break;
      case 'w': *access |= BPF_DEVCG_ACC_WRITE; break;
      case 'm': *access |= BPF_DEVCG_ACC_MKNOD; break;
      default: return 0;
      }
  return 1;
}

/* r2: type, r3: access wanted, r4: major, r5: minor; each rule returns 1 when it matches, else jumps on.  */
static int
build (struct program *p, char *const *rules, int n_rules, launcher_error_t *err)
{
  int i, type, access, start;
  long major, minor;

  emit (p, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_2, BPF_REG_1, 0, 0); /* access_type */
  emit (p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_3, BPF_REG_2, 0, 0);
  emit (p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xffff);
  emit (p, BPF_ALU64 | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16);
  emit (p, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_4, BPF_REG_1, 4, 0);
  emit (p, BPF_LDX | BPF_W | BPF_MEM, BPF_REG_5, BPF_REG_1, 8, 0);
  for (i = 0; i < n_rules; i++)
    {
      int jumps[4], n_jumps = 0, j;
      if (!parse_rule (rules[i], &type, &major, &minor, &access))
        return launcher_fail (err, 0, "`%s` is not a device rule (such as `c 1:3 rwm`)", rules[i]);
      start = p->n;
      jumps[n_jumps++] = p->n;
      emit (p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0, type);
      /* every access asked for is one the rule allows */
      emit (p, BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_3, 0, 0);
      emit (p, BPF_ALU64 | BPF_AND | BPF_K, BPF_REG_6, 0, 0, ~access);
      jumps[n_jumps++] = p->n;
      emit (p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_6, 0, 0, 0);
      if (major >= 0)
        {
          jumps[n_jumps++] = p->n;
          emit (p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, major);
        }
      if (minor >= 0)
        {
          jumps[n_jumps++] = p->n;
          emit (p, BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, minor);
        }
      emit (p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 1);
      emit (p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
      /* a failed test jumps past this rule */
      for (j = 0; j < n_jumps; j++)
        p->insns[jumps[j]].off = p->n - jumps[j] - 1;
      (void) start;
    }
  emit (p, BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0);
  emit (p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
  if (p->n >= MAX_INSNS)
    return launcher_fail (err, 0, "too many device rules");
  return 0;
}

int
launcher_limit_devices (const char *cgroup, char *const *rules, int n_rules, launcher_error_t *err)
{
  static struct program program;
  static char log[65536];
  union bpf_attr attr;
  int prog, dir;

  memset (&program, 0, sizeof (program));
  if (build (&program, rules, n_rules, err) < 0)
    return -1;
  memset (&attr, 0, sizeof (attr));
  attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
  attr.insns = (__u64) (unsigned long) program.insns;
  attr.insn_cnt = program.n;
  attr.license = (__u64) (unsigned long) "Apache-2.0";
  prog = syscall (SYS_bpf, BPF_PROG_LOAD, &attr, sizeof (attr));
  if (UNLIKELY (prog < 0))
    {
      /* again, with the verifier's log for the message */
      int saved = errno;
      attr.log_buf = (__u64) (unsigned long) log;
      attr.log_size = sizeof (log);
      attr.log_level = 1;
      if (syscall (SYS_bpf, BPF_PROG_LOAD, &attr, sizeof (attr)) < 0)
        saved = errno;
      log[sizeof (log) - 1] = '\0';
      return launcher_fail (err, saved, "load the device program (%.300s)", log);
    }
  dir = open (cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (UNLIKELY (dir < 0))
    {
      close (prog);
      return launcher_fail (err, errno, "open `%s`", cgroup);
    }
  memset (&attr, 0, sizeof (attr));
  attr.target_fd = dir;
  attr.attach_bpf_fd = prog;
  attr.attach_type = BPF_CGROUP_DEVICE;
  attr.attach_flags = BPF_F_ALLOW_MULTI;
  if (UNLIKELY (syscall (SYS_bpf, BPF_PROG_ATTACH, &attr, sizeof (attr)) < 0))
    {
      close (dir);
      close (prog);
      return launcher_fail (err, errno, "attach the device program to `%s`", cgroup);
    }
  /* the cgroup holds the program from now on, until it is removed */
  close (dir);
  close (prog);
  return 0;
}
