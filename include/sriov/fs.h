/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs.h: opening files named by tenants: beneath a directory fd, never through a symlink,
 * never blocking on a FIFO, never opening a device to find out what it is.
 */
#ifndef SRIOV_FS_H
#define SRIOV_FS_H

#include <stdbool.h>
#include <sys/types.h>

/*
 * Open @path relative to @dirfd without following a symlink in any component and without
 * leaving @dirfd: openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS (Linux >= 5.6), else fs_open_beneath_walk(). @path must be relative
 * ("" or "." is @dirfd itself); O_CLOEXEC is always added; @mode is used with O_CREAT only.
 * Returns an fd or a negative errno: -ELOOP (a symlink on the way), -EXDEV (an absolute path
 * or a ".." component), -ENOTDIR, -ENOENT, and whatever open(2) gives.
 */
int fs_open_beneath(int dirfd, const char *path, int flags, mode_t mode);

/*
 * The same with one openat(O_NOFOLLOW) per component, for kernels without openat2 (< 5.6) or
 * where a seccomp filter refuses it. ".." is refused outright. Exported for the tests.
 */
int fs_open_beneath_walk(int dirfd, const char *path, int flags, mode_t mode);

/*
 * "mkdir -p" of the relative @path below @dirfd, each directory created with @mode when
 * missing and entered without following a symlink. Returns an O_DIRECTORY fd of the last
 * component or a negative errno (-ELOOP when a component is a symlink, -ENOTDIR when it is
 * not a directory).
 */
int fs_mkdir_beneath(int dirfd, const char *path, mode_t mode);

/*
 * Open the inode behind @fd (typically an O_PATH fd, already checked with fstat) again with
 * @flags through /proc/self/fd, so that no path is looked up a second time. The new fd must
 * name the same inode (checked). Returns an fd or a negative errno (-ENOENT without /proc).
 */
int fs_reopen(int fd, int flags);

/*
 * Could an unprivileged user read the file behind @fd? Other-read permission on the file and
 * other-search permission on every directory of its path (as /proc/self/fd shows it).
 * False when that cannot be established.
 */
bool fs_world_readable(int fd);

#endif
