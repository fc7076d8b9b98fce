/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fs.c: confined opens for tenant-named paths (beneath a dir fd, no symlinks, no blocking), and
 * the two file primitives every module shares: the lock file and the atomic replace.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "sriov/cleanup.h"
#include "sriov/err.h"
#include "sriov/fs.h"

#define RESOLVE_CONFINED (RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)

/* Set once openat2 answered ENOSYS: the kernel (< 5.6) or a seccomp profile lacks it. */
static bool openat2_missing;

/* A ".." component anywhere, or an absolute path: both would leave the directory. */
static bool path_escapes(const char *path)
{
	if (path[0] == '/')
		return true;
	for (const char *s = path; *s;) {
		const char *e = strchrnul(s, '/');

		if (e - s == 2 && s[0] == '.' && s[1] == '.')
			return true;
		s = *e ? e + 1 : e;
	}
	return false;
}

/* After an O_NOFOLLOW open failed or gave a non-directory: was @name a symlink? */
static int symlink_or(int at, const char *name, int e)
{
	struct stat st;

	if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
		return -ELOOP;
	return -e;
}

int fs_open_beneath_walk(int dirfd, const char *path, int flags, mode_t mode)
{
	_cleanup_close_ int cur = -1;
	const char *p = path;
	int at = dirfd;

	if (!path || path_escapes(path))
		return -EXDEV;
	for (;;) {
		char name[NAME_MAX + 1];
		const char *e, *next;
		size_t len;
		int fd;

		while (*p == '/')
			p++;
		e = strchrnul(p, '/');
		len = (size_t)(e - p);
		for (next = e; *next == '/'; next++)
			;
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		if (len == 0 || (len == 1 && p[0] == '.')) {
			if (*next) {
				p = next;
				continue;
			}
			memcpy(name, ".", 2);
		} else {
			memcpy(name, p, len);
			name[len] = '\0';
		}
		if (*next) {
			fd = openat(at, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				return symlink_or(at, name, errno);
			(void)close(cur);
			cur = at = fd;
			p = next;
			continue;
		}
		fd = openat(at, name, flags | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd < 0)
			return errno == ENOTDIR ? symlink_or(at, name, errno) : -errno;
		if (flags & O_PATH) {
			struct stat st;

			/* O_PATH | O_NOFOLLOW opens a symlink itself instead of failing. */
			if (fs_fstat(fd, &st) < 0 || S_ISLNK(st.st_mode)) {
				(void)close(fd);
				return -ELOOP;
			}
		}
		return fd;
	}
}

int fs_open_beneath(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = { .flags = (uint64_t)(unsigned int)(flags | O_CLOEXEC),
				.resolve = RESOLVE_CONFINED };

	if (!path || path_escapes(path))
		return -EXDEV;
	if (!*path)
		path = ".";
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		how.mode = mode;
	for (int tries = 0; !openat2_missing && tries < 8; tries++) {
		long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

		if (fd >= 0)
			return (int)fd;
		/* EAGAIN: a rename or mount raced with the lookup; the kernel asks to retry. */
		if (errno == EAGAIN)
			continue;
		if (errno == ENOSYS)
			openat2_missing = true;
		else if (errno != EPERM)
			return -errno;
		/* EPERM: container seccomp profiles that predate openat2 answer that. */
		break;
	}
	return fs_open_beneath_walk(dirfd, path, flags, mode);
}

int fs_subdir_at(int dirfd, const char *name, mode_t mode)
{
	int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	/* mkdirat() never follows a symlink: an existing one gives EEXIST, and ELOOP below. */
	if (mkdirat(dirfd, name, mode) < 0 && errno != EEXIST)
		return -errno;
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

int fs_mkdir_p(const char *path, mode_t parents, mode_t mode)
{
	char buf[PATH_MAX];
	size_t n = path ? strlen(path) : 0;
	int fd;

	if (n == 0 || path[0] != '/')
		return -EINVAL;
	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : -errno;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, parents) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd >= 0 ? fd : -errno;
}

int fs_mkdir_beneath(int dirfd, const char *path, mode_t mode)
{
	_cleanup_close_ int cur = -1;
	const char *p = path;

	if (!path || path_escapes(path))
		return -EXDEV;
	/* Usually all there: one confined open. Anything else walks, making what is missing. */
	cur = fs_open_beneath(dirfd, path, O_RDONLY | O_DIRECTORY, 0);
	if (cur >= 0)
		return TAKE_FD(cur);
	cur = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -errno;
	for (;;) {
		char name[NAME_MAX + 1];
		size_t len;
		int fd;

		while (*p == '/')
			p++;
		if (!*p)
			return TAKE_FD(cur);
		len = strcspn(p, "/");
		if (len > NAME_MAX)
			return -ENAMETOOLONG;
		memcpy(name, p, len);
		name[len] = '\0';
		p += len;
		if (strcmp(name, ".") == 0)
			continue;
		fd = fs_subdir_at(cur, name, mode);
		if (fd < 0)
			return symlink_or(cur, name, -fd);
		(void)close(cur);
		cur = fd;
	}
}

int fs_reopen(int fd, int flags)
{
	char proc[64];
	int nfd;

	/*
	 * The magic link resolves to the file @fd holds (its dentry and mount), never to a name
	 * looked up again: the new fd is of the same inode, whatever happened to the name.
	 */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	nfd = open(proc, (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_CLOEXEC);
	return nfd < 0 ? -errno : nfd;
}

ssize_t fs_read_kernel_text_at(int dirfd, const char *path, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, size - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

int fs_open_regular_at(int dirfd, const char *name, int flags, mode_t mode)
{
	for (int tries = 0; tries < 4; tries++) {
		_cleanup_close_ int pfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		struct stat st, now;
		int fd;

		if (pfd < 0 && errno == ENOENT && (flags & O_CREAT)) {
			/* O_EXCL: what gets created is a new regular file, never an existing node. */
			fd = openat(dirfd, name,
				    (flags & ~O_TRUNC) | O_EXCL | O_NOFOLLOW | O_NONBLOCK |
					    O_CLOEXEC,
				    mode);
			if (fd >= 0)
				return fd;
			if (errno != EEXIST)
				return -errno;
			continue; /* made by someone else meanwhile: look at it first */
		}
		if (pfd < 0)
			return -errno;
		if (fs_fstat(pfd, &st) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (!S_ISREG(st.st_mode))
			return -EINVAL;
		fd = fs_reopen(pfd,
			       (flags & ~(O_CREAT | O_EXCL | O_TRUNC | O_NOFOLLOW)) | O_NONBLOCK);
		if (fd == -ENOENT) {
			/* No /proc: open the name again and insist on the inode looked at. */
			fd = openat(dirfd, name,
				    (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_NOFOLLOW |
					    O_NONBLOCK | O_CLOEXEC);
			if (fd < 0)
				return -errno;
			if (fs_fstat(fd, &now) < 0 || now.st_dev != st.st_dev ||
			    now.st_ino != st.st_ino) {
				(void)close(fd);
				continue;
			}
		}
		if (fd < 0)
			return fd;
		if ((flags & O_TRUNC) && ftruncate(fd, 0) < 0) {
			int e = errno;

			(void)close(fd);
			return -e;
		}
		return fd;
	}
	return -EAGAIN;
}

bool fs_world_readable(int fd)
{
	char proc[64], path[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (fs_fstat(fd, &st) < 0 || !(st.st_mode & S_IROTH))
		return false;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, path, sizeof(path) - 1);
	if (n <= 0 || (size_t)n >= sizeof(path) - 1 || path[0] != '/')
		return false;
	path[n] = '\0';
	if (strstr(path, " (deleted)"))
		return false;
	/* Every directory from / down to the file's parent must be searchable by others. */
	for (char *s = strrchr(path, '/');; s = strrchr(path, '/')) {
		if (s == path) {
			path[1] = '\0';
		} else {
			*s = '\0';
		}
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode) || !(st.st_mode & S_IXOTH))
			return false;
		if (s == path)
			return true;
	}
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int fs_lock_at(int dirfd, const char *name, mode_t mode, int timeout_ms, const char *what,
	       struct cni_err *err)
{
	_cleanup_close_ int fd = -1;
	long long deadline = -1;
	long delay_us = FS_LOCK_FIRST_DELAY_US;

	/* Never opened unless a regular file: a FIFO or device planted there is refused. */
	fd = fs_open_regular_at(dirfd, name, O_RDONLY | O_CREAT, mode);
	if (fd == -ELOOP || fd == -EISDIR || fd == -EINVAL)
		return err_set(err, -fd, CNI_ERR_IO, "the lock %s is not a regular file", what);
	if (fd < 0)
		return err_set(err, -fd, CNI_ERR_IO, "open the lock %s: %s", what, strerror(-fd));
	for (;;) {
		struct timespec nap;

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return TAKE_FD(fd);
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			return err_set(err, errno, CNI_ERR_IO, "lock %s: %s", what,
				       strerror(errno));
		/* The clock is read only once the lock is found busy. */
		if (deadline < 0 && timeout_ms > 0)
			deadline = mono_ms() + timeout_ms;
		else if (deadline < 0 || mono_ms() >= deadline)
			return err_set(err, ETIMEDOUT, CNI_ERR_TRY_AGAIN,
				       "timed out after %d ms waiting for the lock %s", timeout_ms,
				       what);
		nap.tv_sec = 0;
		nap.tv_nsec = delay_us * 1000;
		(void)nanosleep(&nap, NULL);
		if (delay_us < FS_LOCK_MAX_DELAY_US)
			delay_us = delay_us * 2 < FS_LOCK_MAX_DELAY_US ? delay_us * 2 :
									 FS_LOCK_MAX_DELAY_US;
	}
}

int fs_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int fs_tmp_name(const char *name, pid_t pid, char ret[NAME_MAX + 1])
{
	int n = snprintf(ret, NAME_MAX + 1,
			 "."
			 "%s.%d" FS_TMP_SUFFIX,
			 name, (int)pid);

	return n > 0 && n <= NAME_MAX ? 0 : -ENAMETOOLONG;
}

static pid_t own_pid;
static bool own_pid_hooked;

static void own_pid_forget(void)
{
	own_pid = 0;
}

/* getpid(), asked once per process (an ADD writes four files); a forked child asks again. */
static pid_t own_pid_get(void)
{
	if (!own_pid_hooked)
		own_pid_hooked = pthread_atfork(NULL, NULL, own_pid_forget) == 0;
	if (own_pid == 0 || !own_pid_hooked)
		own_pid = getpid();
	return own_pid;
}

int fs_replace_at_with(int dirfd, const char *name, mode_t mode, unsigned int flags,
		       int (*fill)(int fd, void *data), void *data)
{
	_cleanup_close_ int fd = -1;
	char tmp[NAME_MAX + 1];
	int r;

	r = fs_tmp_name(name, own_pid_get(), tmp);
	if (r < 0)
		return r;
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	/* A file of this name is a dead writer's whose PID we now have: no one else's. */
	if (fd < 0 && errno == EEXIST && unlinkat(dirfd, tmp, 0) == 0)
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	r = fill(fd, data);
	if (r >= 0 && (flags & FS_REPLACE_DURABLE) && fsync(fd) < 0)
		r = -errno;
	if (r >= 0 && close(TAKE_FD(fd)) < 0)
		r = -errno;
	if (r >= 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		(void)unlinkat(dirfd, tmp, 0);
		return r;
	}
	if ((flags & FS_REPLACE_DURABLE) && fsync(dirfd) < 0)
		return -errno;
	return 0;
}

struct replace_buf {
	const void *data;
	size_t len;
};

static int replace_fill(int fd, void *data)
{
	const struct replace_buf *b = data;

	return fs_write_all(fd, b->data, b->len);
}

int fs_replace_at(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		  unsigned int flags)
{
	struct replace_buf b = { data, len };

	return fs_replace_at_with(dirfd, name, mode, flags, replace_fill, &b);
}
