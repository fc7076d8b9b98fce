/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs.h: opening files named by tenants: beneath a directory fd, never through a symlink,
 * never blocking on a FIFO, never opening a device to find out what it is.
 */
#ifndef SRIOV_FS_H
#define SRIOV_FS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

struct cni_err;

/*
 * fstat(2) of @fd by the fstat system call itself. glibc 2.33 to 2.38 (Debian 12: 2.36) makes
 * fstat() a newfstatat(@fd, "", AT_EMPTY_PATH), which kernels before 6.6 (Debian 12: 6.1,
 * fs/stat.c vfs_fstatat()) serve as a lookup of the empty path: a names_cache allocation and
 * a copy from user memory first, twice the cost of fstat in the test VM (8 against 3.5 us).
 * glibc >= 2.39 calls fstat again and Linux >= 6.6 short-cuts the empty path (9013c51c630a):
 * once the nodes run either, this can go. 0 or -1 with errno, as fstat().
 */
static inline int fs_fstat(int fd, struct stat *st)
{
#if defined(SYS_fstat) && (defined(__x86_64__) || defined(__aarch64__))
	return (int)syscall(SYS_fstat, fd, st);
#else
	return fstat(fd, st);
#endif
}

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
 * The directory @name of @dirfd, made with @mode when missing (opened first: no write when it
 * is there): an fd, or a negative errno (-ELOOP for a symlink, -ENOTDIR for another node).
 */
int fs_subdir_at(int dirfd, const char *name, mode_t mode);
/*
 * mkdir -p of the absolute admin-given @path (symlinks in it are followed, as Go's MkdirAll
 * does), the last component with @mode, missing parents with @parents, then opened: an fd or
 * a negative errno. The path is opened first; only when it is missing is anything made.
 */
int fs_mkdir_p(const char *path, mode_t parents, mode_t mode);

/*
 * Open the inode behind @fd (typically an O_PATH fd, already checked with fstat) again with
 * @flags through /proc/self/fd, so that no path is looked up a second time: the magic link
 * leads to the very file @fd holds, even if its name was replaced since. Returns an fd or a
 * negative errno (-ENOENT without /proc).
 */
int fs_reopen(int fd, int flags);

/*
 * Read a small text file the kernel makes (sysfs, procfs: one read() returns it whole) at
 * @path below @dirfd into @buf, NUL-terminated, at most @size - 1 bytes: its length, or a
 * negative errno. Opened with O_NONBLOCK and O_NOCTTY; not for the plugin's own files, which
 * fs_open_regular_at() opens.
 */
ssize_t fs_read_kernel_text_at(int dirfd, const char *path, char *buf, size_t size);

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

/*
 * The one lock primitive (VF/PF locks of lib/state.c and sriov-cni's, the IP store's lock).
 * Take an exclusive flock(2) on the file @name of @dirfd, created with @mode when missing and
 * opened with fs_open_regular_at(): a symlink, FIFO, device or directory planted there is
 * refused (code 5) and never opened for I/O. Contention is waited out by polling LOCK_NB with
 * a backoff (FS_LOCK_FIRST_DELAY_US doubling up to FS_LOCK_MAX_DELAY_US): no signal, no
 * timer, nothing that outlives the call or touches the caller's handlers. After @timeout_ms
 * it gives up with -ETIMEDOUT and code 11 (CNI_ERR_TRY_AGAIN: "try again later", SPEC.md):
 * the holder is alive and will finish, so a retried ADD or DEL succeeds. @what names the lock
 * in messages ("on vf 0000:01:00.2"). Returns the locked fd (O_CLOEXEC; the lock lives as
 * long as it, and with the process) or a negative errno with @err filled.
 */
#define FS_LOCK_FIRST_DELAY_US 100
#define FS_LOCK_MAX_DELAY_US 2000 /* a released lock is taken within 2 ms */
int fs_lock_at(int dirfd, const char *name, mode_t mode, int timeout_ms, const char *what,
	       struct cni_err *err);

/* write(2) all of @data, retried on EINTR and short writes. 0 or a negative errno. */
int fs_write_all(int fd, const void *data, size_t len);

/*
 * The temp file name of fs_replace_at(): ".<name>.<pid>.tmp", so that a reader of the
 * directory can tell a dead writer's leftover (state_record_foreach() removes those).
 * 0, or -ENAMETOOLONG.
 */
#define FS_TMP_SUFFIX ".tmp"
int fs_tmp_name(const char *name, pid_t pid, char ret[NAME_MAX + 1]);

/*
 * Replace the file @name of @dirfd by one holding @data, atomically against a killed process:
 * a temp file (fs_tmp_name(), created O_EXCL | O_NOFOLLOW with @mode) is written in @dirfd,
 * closed, then renameat() over @name; readers see the old content or the new, never a torn
 * one. A symlink at @name is replaced, never followed (rename acts on the name itself). On any
 * failure the temp file is removed and @name is untouched. Returns 0 or a negative errno.
 *
 * fsync: without FS_REPLACE_DURABLE there is none, which is right when a power loss may lose
 * the file without harm: VF records and sriov-cni's cache describe kernel state that a reboot
 * resets too; last_reserved_ip.N is a hint (a torn one is ignored, as host-local does); the
 * lease index is stamped with the boot ID and rebuilt after a reboot. With
 * FS_REPLACE_DURABLE: fsync(temp) before the rename, or a crash may leave @name empty or torn
 * (the rename can reach the disk before the data); fsync(@dirfd) after it, or the rename
 * itself may be lost. Lease files need durability but are never replaced (they are claimed
 * with a link, ipam/ipam_lease.c).
 */
#define FS_REPLACE_DURABLE 1u
int fs_replace_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		  unsigned int flags);
/*
 * The same with the content written by @fill(fd, @data) into the temp file (a large file
 * streamed in pieces; a test's fault point between write and rename). @fill returns 0 or a
 * negative errno, which aborts the replace.
 */
int fs_replace_at_with(int dirfd, const char *name, mode_t mode, unsigned int flags,
		       int (*fill)(int fd, void *data), void *data);

#endif
