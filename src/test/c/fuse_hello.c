/* SPDX-License-Identifier: Apache-2.0 */
/* Test helper, run inside a VE: mounts a one-directory FUSE file system on the given directory through
   /dev/fuse, as sshfs would, and serves it until unmounted.  Prints "mounted" once the mount succeeded.
   Answers INIT, GETATTR of the root and ENOSYS to the rest: enough for `stat` and `ls` of the mount.  */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static void
reply (int fd, uint64_t unique, int error, const void *body, size_t len)
{
  char buf[4096];
  struct fuse_out_header *out = (struct fuse_out_header *) buf;

  out->len = sizeof (*out) + len;
  out->error = error;
  out->unique = unique;
  if (len > 0)
    memcpy (buf + sizeof (*out), body, len);
  if (write (fd, buf, out->len) < 0)
    perror ("reply");
}

int
main (int argc, char **argv)
{
  static char buf[1 << 20];
  char options[128];
  int fd;

  if (argc != 2)
    return 2;
  fd = open ("/dev/fuse", O_RDWR);
  if (fd < 0)
    {
      perror ("open /dev/fuse");
      return 1;
    }
  snprintf (options, sizeof (options), "fd=%d,rootmode=40755,user_id=0,group_id=0", fd);
  if (mount ("cairn-fuse", argv[1], "fuse.cairn", MS_NOSUID | MS_NODEV, options) < 0)
    {
      perror ("mount fuse");
      return 1;
    }
  printf ("mounted\n");
  fflush (stdout);
  for (;;)
    {
      ssize_t n = read (fd, buf, sizeof (buf));
      struct fuse_in_header *in = (struct fuse_in_header *) buf;
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return 0; /* ENODEV: unmounted */
      if (in->opcode == FUSE_INIT)
        {
          struct fuse_init_in *init = (struct fuse_init_in *) (buf + sizeof (*in));
          struct fuse_init_out out;
          memset (&out, 0, sizeof (out));
          out.major = FUSE_KERNEL_VERSION;
          out.minor = init->minor < FUSE_KERNEL_MINOR_VERSION ? init->minor : FUSE_KERNEL_MINOR_VERSION;
          out.max_write = 4096;
          out.max_readahead = init->max_readahead;
          reply (fd, in->unique, 0, &out, sizeof (out));
        }
      else if (in->opcode == FUSE_GETATTR)
        {
          struct fuse_attr_out out;
          memset (&out, 0, sizeof (out));
          out.attr.ino = 1;
          out.attr.mode = S_IFDIR | 0755;
          out.attr.nlink = 2;
          out.attr_valid = 1;
          reply (fd, in->unique, 0, &out, sizeof (out));
        }
      else if (in->opcode == FUSE_FORGET || in->opcode == FUSE_BATCH_FORGET)
        continue;
      else if (in->opcode == FUSE_DESTROY)
        {
          reply (fd, in->unique, 0, NULL, 0);
          return 0;
        }
      else
        reply (fd, in->unique, -ENOSYS, NULL, 0);
    }
}
