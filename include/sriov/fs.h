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
 * Open the file @name of @dirfd (one component, not followed if a symlink) only if it is a
 * regular file: looked at with O_PATH first, so that a FIFO or a device node planted there is
 * never opened for I/O, then opened again with @flags through /proc/self/fd. With O_CREAT a
 * missing file is created (O_EXCL, @mode), never an existing node opened; O_TRUNC truncates
 * only the regular file found. O_NONBLOCK and O_CLOEXEC are always added. For the plugin's
 * own files (state records, locks, the lease store and its index), which someone may have
 * replaced. Returns an fd or a negative errno: -ENOENT, -ELOOP (a symlink), -EISDIR,
 * -EINVAL (a FIFO, device or socket), or what open(2) gives.
 */
int fs_open_regular_at(int dirfd, const char *name, int flags, mode_t mode);

/*
 * Could an unprivileged user read the file behind @fd? Other-read permission on the file and
 * other-search permission on every directory of its path (as /proc/self/fd shows it).
 * False when that cannot be established.
 */
bool fs_world_readable(int fd);

#endif
