/* SPDX-License-Identifier: Apache-2.0 */
/* test_fs.c: confined opens: symlinks, "..", FIFOs, devices, both with openat2 and the walk. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/err.h"
#include "sriov/fs.h"

typedef int (*open_fn_t)(int dirfd, const char *path, int flags, mode_t mode);

struct fixture {
	char dir[64];
	int dfd;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char p[128];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_fs.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	f->dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(f->dfd >= 0);
	/* a/b/file, a/link -> b (dir symlink), a/flink -> b/file, a/abs -> /etc, a/fifo */
	assert_int_equal(mkdirat(f->dfd, "a", 0755), 0);
	assert_int_equal(mkdirat(f->dfd, "a/b", 0755), 0);
	snprintf(p, sizeof(p), "%s/a/b/file", f->dir);
	assert_int_equal(close(open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)), 0);
	assert_int_equal(symlinkat("b", f->dfd, "a/link"), 0);
	assert_int_equal(symlinkat("b/file", f->dfd, "a/flink"), 0);
	assert_int_equal(symlinkat("/etc", f->dfd, "a/abs"), 0);
	assert_int_equal(mkfifoat(f->dfd, "a/fifo", 0600), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	close(f->dfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void check_open(open_fn_t fn, int dfd)
{
	static const struct {
		const char *path;
		int flags;
		int want; /* 0 = success, else -errno */
	} cases[] = {
		{ "a/b/file", O_RDONLY, 0 },
		{ "a//b/./file", O_RDONLY, 0 },
		{ "a/b", O_PATH | O_DIRECTORY, 0 },
		{ "", O_PATH | O_DIRECTORY, 0 },
		{ "a/link/file", O_RDONLY, -ELOOP }, /* symlink in the middle */
		{ "a/flink", O_RDONLY, -ELOOP }, /* symlink at the end */
		{ "a/flink", O_PATH, -ELOOP }, /* O_PATH would open the link itself */
		{ "a/abs/passwd", O_RDONLY, -ELOOP }, /* absolute symlink */
		{ "a/link", O_PATH | O_DIRECTORY, -ELOOP },
		{ "a/../a/b/file", O_RDONLY, -EXDEV },
		{ "..", O_PATH, -EXDEV },
		{ "/etc/passwd", O_RDONLY, -EXDEV },
		{ "a/missing", O_RDONLY, -ENOENT },
		{ "a/b/file/x", O_RDONLY, -ENOTDIR },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int fd = fn(dfd, cases[i].path, cases[i].flags, 0);

		if (cases[i].want == 0 && fd < 0)
			fail_msg("%s: %s", cases[i].path, strerror(-fd));
		if (cases[i].want != 0 && fd != cases[i].want)
			fail_msg("%s: got %d, want %d", cases[i].path, fd, cases[i].want);
		if (fd >= 0)
			close(fd);
	}
}

static void test_open_beneath(void **state)
{
	struct fixture *f = *state;

	check_open(fs_open_beneath, f->dfd);
}

static void test_open_beneath_walk(void **state)
{
	struct fixture *f = *state;

	check_open(fs_open_beneath_walk, f->dfd);
}

static void test_fifo_never_blocks(void **state)
{
	struct fixture *f = *state;
	_cleanup_close_ int pfd = -1;
	struct stat st;

	/* O_PATH looks without opening: a FIFO (or device) is seen, never opened for I/O. */
	pfd = fs_open_beneath(f->dfd, "a/fifo", O_PATH, 0);
	assert_true(pfd >= 0);
	assert_int_equal(fstat(pfd, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_false(fs_world_readable(pfd));
}

static void test_create(void **state)
{
	struct fixture *f = *state;
	int fd;
	struct stat st;

	for (int walk = 0; walk < 2; walk++) {
		open_fn_t fn = walk ? fs_open_beneath_walk : fs_open_beneath;
		const char *name = walk ? "a/b/new2" : "a/b/new1";

		fd = fn(f->dfd, name, O_WRONLY | O_CREAT | O_EXCL, 0600);
		assert_true(fd >= 0);
		assert_int_equal(fstat(fd, &st), 0);
		assert_int_equal(st.st_mode & 077, 0);
		close(fd);
		/* never through a symlinked directory */
		assert_int_equal(fn(f->dfd, "a/link/new3", O_WRONLY | O_CREAT, 0600), -ELOOP);
		assert_int_equal(faccessat(f->dfd, "a/b/new3", F_OK, 0), -1);
	}
}

static void test_mkdir_beneath(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	int fd;

	fd = fs_mkdir_beneath(f->dfd, "a/b/c/d", 0750);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(fstatat(f->dfd, "a/b/c/d", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* an existing symlink is never entered, and nothing is made through it */
	assert_int_equal(fs_mkdir_beneath(f->dfd, "a/link/x", 0755), -ELOOP);
	assert_int_equal(faccessat(f->dfd, "a/b/x", F_OK, 0), -1);
	assert_int_equal(fs_mkdir_beneath(f->dfd, "a/abs/x", 0755), -ELOOP);
	assert_int_equal(fs_mkdir_beneath(f->dfd, "a/b/file/x", 0755), -ENOTDIR);
	assert_int_equal(fs_mkdir_beneath(f->dfd, "a/../x", 0755), -EXDEV);
	/* a path that exists whole through a symlink, a symlink or a FIFO at the end: refused */
	assert_int_equal(fs_mkdir_beneath(f->dfd, "a/link/c/d", 0755), -ELOOP);
	assert_int_equal(fs_mkdir_beneath(f->dfd, "a/link", 0755), -ELOOP);
	assert_int_equal(fs_mkdir_beneath(f->dfd, "a/abs", 0755), -ELOOP);
	assert_int_equal(fs_mkdir_beneath(f->dfd, "a/fifo", 0755), -ENOTDIR);
}

static void test_reopen_and_world_readable(void **state)
{
	struct fixture *f = *state;
	_cleanup_close_ int pfd = -1, fd = -1;
	char buf[8];

	assert_int_equal(fchmod(f->dfd, 0755), 0);
	pfd = fs_open_beneath(f->dfd, "a/b/file", O_PATH, 0);
	assert_true(pfd >= 0);
	fd = fs_reopen(pfd, O_RDONLY | O_NONBLOCK);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, buf, sizeof(buf)), 0);
	assert_int_equal(fchmodat(f->dfd, "a/b/file", 0644, 0), 0);
	assert_true(fs_world_readable(pfd));
	assert_int_equal(fchmodat(f->dfd, "a/b/file", 0640, 0), 0);
	assert_false(fs_world_readable(pfd));
	assert_int_equal(fchmodat(f->dfd, "a/b/file", 0644, 0), 0);
	/* a directory on the way that others cannot search hides the file */
	assert_int_equal(fchmodat(f->dfd, "a/b", 0750, 0), 0);
	assert_false(fs_world_readable(pfd));
	assert_int_equal(fchmodat(f->dfd, "a/b", 0755, 0), 0);
	assert_true(fs_world_readable(pfd));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool has_tmp(int dfd)
{
	_cleanup_closedir_ DIR *d = NULL;
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;

	assert_true(fd >= 0);
	d = fdopendir(fd);
	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 4 && strcmp(de->d_name + n - 4, ".tmp") == 0)
			return true;
	}
	return false;
}

static void test_lock(void **state)
{
	struct fixture *f = *state;
	struct cni_err err = { 0 };
	struct stat st;
	long long t0;
	int fd, fd2;
	pid_t pid;

	fd = fs_lock_at(f->dfd, "l", 0640, 1000, "l", &err);
	assert_true(fd >= 0);
	assert_int_equal(fstatat(f->dfd, "l", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0640);
	/* held: a second open file description times out with code 11, after the deadline */
	t0 = now_ms();
	fd2 = fs_lock_at(f->dfd, "l", 0640, 150, "l", &err);
	assert_int_equal(fd2, -ETIMEDOUT);
	assert_true(now_ms() - t0 >= 150);
	assert_true(now_ms() - t0 < 2000);
	assert_int_equal(err.code, CNI_ERR_TRY_AGAIN);
	assert_int_equal(err.errnum, ETIMEDOUT);
	assert_non_null(strstr(err.msg, "timed out after 150 ms waiting for the lock l"));
	close(fd);
	fd = fs_lock_at(f->dfd, "l", 0640, 0, "l", &err);
	assert_true(fd >= 0);
	/* released while waited for: taken soon after, well before the deadline */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(200 * 1000);
		_exit(0); /* the child's copy of fd goes; the parent's stays until closed below */
	}
	t0 = now_ms();
	usleep(100 * 1000);
	close(fd);
	fd = fs_lock_at(f->dfd, "l", 0640, 10000, "l", &err);
	assert_true(fd >= 0);
	assert_true(now_ms() - t0 < 5000);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	close(fd);
}

static void test_lock_confined(void **state)
{
	struct fixture *f = *state;
	struct cni_err err = { 0 };
	struct stat st;
	long long t0;

	/* a symlink planted as the lock: refused, its target neither created nor opened */
	assert_int_equal(symlinkat("target", f->dfd, "sl"), 0);
	assert_int_equal(fs_lock_at(f->dfd, "sl", 0600, 100, "sl", &err), -ELOOP);
	assert_int_equal(err.code, CNI_ERR_IO);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_int_equal(fstatat(f->dfd, "target", &st, 0), -1);
	/* a FIFO: refused at once, never opened (an open for reading would block) */
	t0 = now_ms();
	assert_int_equal(fs_lock_at(f->dfd, "a/fifo", 0600, 5000, "fifo", &err), -EINVAL);
	assert_true(now_ms() - t0 < 1000);
	assert_non_null(strstr(err.msg, "not a regular file"));
	/* a directory */
	assert_int_equal(fs_lock_at(f->dfd, "a", 0600, 100, "a", &err), -EISDIR);
}

static int fail_fill(int fd, void *data)
{
	assert_int_equal(write(fd, "partial", 7), 7);
	return -ENOSPC;
}

static void read_at(int dfd, const char *name, char *buf, size_t size)
{
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, size - 1);
	assert_true(n >= 0);
	buf[n] = '\0';
}

/* @fill of test_replace_pid(): is the temp file named with this process's own PID? */
static int pid_fill(int fd, void *data)
{
	char proc[64], path[PATH_MAX], want[64];
	ssize_t n;

	(void)data;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, path, sizeof(path) - 1);
	if (n <= 0)
		return -EIO;
	path[n] = '\0';
	snprintf(want, sizeof(want), "/.p.%d" FS_TMP_SUFFIX, (int)getpid());
	return strstr(path, want) ? 0 : -ESRCH;
}

/* The temp name carries the writer's PID, also in a child forked after the parent wrote. */
static void test_replace_pid(void **state)
{
	struct fixture *f = *state;
	int status = 0;
	pid_t pid;

	assert_int_equal(fs_replace_at_with(f->dfd, "p", 0600, 0, pid_fill, NULL), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fs_replace_at_with(f->dfd, "p", 0600, 0, pid_fill, NULL) == 0 ? 0 : 1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(fs_replace_at_with(f->dfd, "p", 0600, 0, pid_fill, NULL), 0);
}

static void test_replace(void **state)
{
	struct fixture *f = *state;
	char buf[64], tmp[NAME_MAX + 1], longname[300];
	struct stat st;

	assert_int_equal(fs_replace_at(f->dfd, "r", "one", 3, 0600, 0), 0);
	read_at(f->dfd, "r", buf, sizeof(buf));
	assert_string_equal(buf, "one");
	assert_int_equal(fstatat(f->dfd, "r", &st, 0), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(fs_replace_at(f->dfd, "r", "two", 3, 0644, FS_REPLACE_DURABLE), 0);
	read_at(f->dfd, "r", buf, sizeof(buf));
	assert_string_equal(buf, "two");
	assert_false(has_tmp(f->dfd));

	/* a symlink at the target is replaced, not followed: its target keeps its content */
	assert_int_equal(symlinkat("a/b/file", f->dfd, "s"), 0);
	assert_int_equal(fs_replace_at(f->dfd, "s", "new", 3, 0600, 0), 0);
	assert_int_equal(fstatat(f->dfd, "s", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISREG(st.st_mode));
	read_at(f->dfd, "a/b/file", buf, sizeof(buf));
	assert_string_equal(buf, "");

	/* a failed write: the target untouched, no temp file left */
	assert_int_equal(fs_replace_at_with(f->dfd, "r", 0600, 0, fail_fill, NULL), -ENOSPC);
	read_at(f->dfd, "r", buf, sizeof(buf));
	assert_string_equal(buf, "two");
	assert_false(has_tmp(f->dfd));
	/* a failed rename (the target is a directory that is not empty): no temp file left */
	assert_true(fs_replace_at(f->dfd, "a", "x", 1, 0600, 0) < 0);
	assert_false(has_tmp(f->dfd));
	assert_int_equal(fstatat(f->dfd, "a/b/file", &st, 0), 0);

	/* a dead writer's temp file with our PID is no obstacle */
	assert_int_equal(fs_tmp_name("r", getpid(), tmp), 0);
	assert_int_equal(close(openat(f->dfd, tmp, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)), 0);
	assert_int_equal(fs_replace_at(f->dfd, "r", "three", 5, 0600, 0), 0);
	read_at(f->dfd, "r", buf, sizeof(buf));
	assert_string_equal(buf, "three");
	assert_false(has_tmp(f->dfd));

	/* a name whose temp name would not fit */
	memset(longname, 'n', 250);
	longname[250] = '\0';
	assert_int_equal(fs_replace_at(f->dfd, longname, "x", 1, 0600, 0), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_beneath, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_beneath_walk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_never_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_create, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mkdir_beneath, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen_and_world_readable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_confined, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replace_pid, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
