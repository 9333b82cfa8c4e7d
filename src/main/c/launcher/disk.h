/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LAUNCHER_DISK_H
#define LAUNCHER_DISK_H

#include "util.h"

/* Mounts a VE's ext4 disk image, through a loop device that detaches by itself once the file system is
   gone, as a mount attached nowhere; returns the mount's fd and writes the loop device's path.  */
int launcher_mount_disk (const char *image, char *loop_path, size_t loop_path_len, launcher_error_t *err);

/* Grows a mounted VE disk online to the size of its (already enlarged) image.  */
int launcher_grow_disk (const char *loop_path, const char *fs_dir, launcher_error_t *err);

#endif
