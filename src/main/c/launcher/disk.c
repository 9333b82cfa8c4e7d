/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <linux/mount.h>
#include <linux/fs.h>
#include <linux/types.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#define EXT4_IOC_RESIZE_FS _IOW ('f', 16, __u64)

static int
attach_loop (const char *image, char *loop_path, size_t len, launcher_error_t *err)
{
  cleanup_close int control = open ("/dev/loop-control", O_RDWR | O_CLOEXEC);
  cleanup_close int backing = open (image, O_RDWR | O_CLOEXEC);
  struct loop_config config;
  int attempt;

  if (UNLIKELY (control < 0))
    return launcher_fail (err, errno, "open /dev/loop-control");
  if (UNLIKELY (backing < 0))
    return launcher_fail (err, errno, "open `%s`", image);
  memset (&config, 0, sizeof (config));
  config.fd = backing;
  config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
  /* another process may take the free device first: ask again */
  for (attempt = 0; attempt < 20; attempt++)
    {
      int n = ioctl (control, LOOP_CTL_GET_FREE);
      int loop;
      if (UNLIKELY (n < 0))
        return launcher_fail (err, errno, "find a free loop device");
      snprintf (loop_path, len, "/dev/loop%d", n);
      loop = open (loop_path, O_RDWR | O_CLOEXEC);
      if (loop < 0)
        continue;
      if (ioctl (loop, LOOP_CONFIGURE, &config) == 0)
        return loop;
      close (loop);
      if (errno != EBUSY)
        return launcher_fail (err, errno, "attach `%s` to %s", image, loop_path);
    }
  return launcher_fail (err, EBUSY, "attach `%s` to a loop device", image);
}

int
launcher_mount_disk (const char *image, char *loop_path, size_t loop_path_len, launcher_error_t *err)
{
  cleanup_close int loop = attach_loop (image, loop_path, loop_path_len, err);
  cleanup_close int fs = -1;
  int mnt;

  if (loop < 0)
    return -1;
  fs = syscall (SYS_fsopen, "ext4", FSOPEN_CLOEXEC);
  if (UNLIKELY (fs < 0))
    return launcher_fail (err, errno, "fsopen ext4");
  /* noinit_itable: the image was made sparse, so its inode tables already read as zeros; the kernel's
     background zeroing would only fill the holes. minixdf: statfs counts the whole disk, its metadata as
     used, so that df's size inside is the size the customer bought */
  if (UNLIKELY (syscall (SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", loop_path, 0) < 0
                || syscall (SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "noinit_itable", NULL, 0) < 0
                || syscall (SYS_fsconfig, fs, FSCONFIG_SET_FLAG, "minixdf", NULL, 0) < 0
                || syscall (SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0))
    return launcher_fail (err, errno, "mount the VE's disk %s (%s)", loop_path, image);
  /* ext4 holds back 2% (at most 4096 blocks) from everyone but metadata; on a VE's own disk its used and
     available space add up to its size instead */
  {
    char knob[128];
    const char *name = strrchr (loop_path, '/');
    snprintf (knob, sizeof (knob), "/sys/fs/ext4/%s/reserved_clusters", name != NULL ? name + 1 : loop_path);
    if (UNLIKELY (launcher_write_file (knob, "0", err) < 0))
      return -1;
  }
  mnt = syscall (SYS_fsmount, fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NODEV);
  if (UNLIKELY (mnt < 0))
    return launcher_fail (err, errno, "fsmount the VE's disk %s", loop_path);
  return mnt;
}

int
launcher_grow_disk (const char *loop_path, const char *fs_dir, launcher_error_t *err)
{
  cleanup_close int loop = open (loop_path, O_RDWR | O_CLOEXEC);
  cleanup_close int dir = -1;
  struct statfs fs;
  struct stat device;
  __u64 blocks;

  if (UNLIKELY (loop < 0))
    return launcher_fail (err, errno, "open `%s`", loop_path);
  if (UNLIKELY (ioctl (loop, LOOP_SET_CAPACITY, 0) < 0))
    return launcher_fail (err, errno, "let %s see its image's new size", loop_path);
  dir = open (fs_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (UNLIKELY (dir < 0))
    return launcher_fail (err, errno, "open the VE's disk at `%s`", fs_dir);
  if (UNLIKELY (fstatfs (dir, &fs) < 0 || fstat (loop, &device) < 0))
    return launcher_fail (err, errno, "statfs `%s`", fs_dir);
  if (UNLIKELY (ioctl (loop, BLKGETSIZE64, &blocks) < 0))
    return launcher_fail (err, errno, "size of %s", loop_path);
  blocks /= fs.f_bsize;
  if (UNLIKELY (ioctl (dir, EXT4_IOC_RESIZE_FS, &blocks) < 0))
    return launcher_fail (err, errno, "grow the VE's disk to %llu blocks", (unsigned long long) blocks);
  return 0;
}
