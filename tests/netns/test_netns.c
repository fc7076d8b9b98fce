/* SPDX-License-Identifier: Apache-2.0 */
/* test_netns.c: netns_open checks, enter/leave, per-netns sysctl writes, the stuck-leave exit. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/err.h"
#include "sriov/netns.h"
#include "netns_test.h"

static ino_t netns_inode(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

static ino_t current_inode(void)
{
	_cleanup_close_ int fd = nt_current_netns();

	assert_true(fd >= 0);
	return netns_inode(fd);
}

/* Read /proc/sys/<key> in the current netns, trailing newline removed. */
static void read_sysctl(const char *key, char *buf, size_t len)
{
	char path[256];
	_cleanup_fclose_ FILE *f = NULL;

	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	f = fopen(path, "re");
	assert_non_null(f);
	assert_non_null(fgets(buf, (int)len, f));
	buf[strcspn(buf, "\n")] = '\0';
}

static void test_open(void **state)
{
	char tmpl[] = "/tmp/sriov-netns-test-XXXXXX";
	_cleanup_close_ int tmp = -1;
	struct cni_err err = { 0 };
	int fd = -1;

	(void)state;
	assert_int_equal(netns_open("/nonexistent/netns/x", &fd, &err), -ENOENT);
	assert_int_equal(fd, -1);
	assert_non_null(strstr(err.msg, "/nonexistent/netns/x"));

	/* What "ip netns del" leaves behind: a plain file where the bind mount was. */
	tmp = mkstemp(tmpl);
	assert_true(tmp >= 0);
	assert_int_equal(netns_open(tmpl, &fd, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not a network namespace"));
	(void)unlink(tmpl);

	assert_int_equal(netns_open("/tmp", &fd, &err), -EINVAL);
	/* nsfs, but the wrong kind of namespace. */
	assert_int_equal(netns_open("/proc/self/ns/uts", &fd, &err), -EINVAL);
	assert_int_equal(netns_open("", &fd, &err), -EINVAL);

	assert_int_equal(netns_open("/proc/self/ns/net", &fd, &err), 0);
	assert_true(fd >= 0);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	assert_int_equal(netns_inode(fd), current_inode());
	close(fd);

	assert_int_equal(netns_open_current(&fd, &err), 0);
	assert_int_equal(netns_inode(fd), current_inode());
	close(fd);
}

static void test_enter_leave(void **state)
{
	_cleanup_close_ int ns = nt_netns_new();
	struct cni_err err = { 0 };
	ino_t home = current_inode();
	int saved = -1;

	(void)state;
	assert_true(ns >= 0);
	assert_int_equal(netns_enter(ns, &saved, &err), 0);
	assert_true(saved >= 0);
	assert_int_equal(current_inode(), netns_inode(ns));
	netns_leave(&saved);
	assert_int_equal(saved, -1);
	assert_int_equal(current_inode(), home);
	/* Leaving twice, or with nothing saved, is a no-op. */
	netns_leave(&saved);
	netns_leave(NULL);

	/* Entering something that is not a netns fails and stays put. */
	assert_int_equal(netns_enter(STDIN_FILENO, &saved, &err), -EINVAL);
	assert_int_equal(saved, -1);
	assert_int_equal(current_inode(), home);
}

/*
 * Enters nest: each leave returns to the netns its enter came from, whether that was the
 * process's own (whose fd is kept for later enters) or a pod's; and the own netns is still
 * the one returned to after many rounds.
 */
static void test_enter_nested(void **state)
{
	_cleanup_close_ int a = nt_netns_new(), b = nt_netns_new();
	struct cni_err err = { 0 };
	ino_t home = current_inode();
	int saved_a = -1, saved_b = -1;

	(void)state;
	assert_true(a >= 0 && b >= 0);
	for (int round = 0; round < 3; round++) {
		assert_int_equal(netns_enter(a, &saved_a, &err), 0);
		assert_int_equal(current_inode(), netns_inode(a));
		assert_true(netns_is_current(a));
		assert_int_equal(netns_enter(b, &saved_b, &err), 0);
		assert_int_equal(current_inode(), netns_inode(b));
		assert_int_equal(netns_inode(saved_b), netns_inode(a));
		netns_leave(&saved_b);
		assert_int_equal(current_inode(), netns_inode(a));
		assert_false(netns_is_current(b));
		netns_leave(&saved_a);
		assert_int_equal(current_inode(), home);
		assert_false(netns_is_current(a));
	}
	/* The own netns's fd is one kept fd, still open after every leave. */
	{
		int h1 = -1, h2 = -1;

		assert_int_equal(netns_home(&h1, &err), 0);
		assert_int_equal(netns_home(&h2, &err), 0);
		assert_int_equal(h1, h2);
		assert_int_equal(netns_inode(h1), home);
		assert_true(fcntl(h1, F_GETFD) & FD_CLOEXEC);
	}
	/* A failed enter inside another leaves the thread where it was. */
	assert_int_equal(netns_enter(a, &saved_a, &err), 0);
	assert_int_equal(netns_enter(STDIN_FILENO, &saved_b, &err), -EINVAL);
	assert_int_equal(saved_b, -1);
	assert_int_equal(current_inode(), netns_inode(a));
	netns_leave(&saved_a);
	assert_int_equal(current_inode(), home);
}

static void test_sysctl(void **state)
{
	_cleanup_close_ int ns = nt_netns_new();
	struct cni_err err = { 0 };
	char buf[64];
	int saved = -1;

	(void)state;
	assert_true(ns >= 0);
	assert_int_equal(nt_sh(ns, "ip link add name sv0 type veth peer name sv1"), 0);

	assert_int_equal(netns_sysctl_write(ns, "net/ipv4/conf/sv0/arp_notify", "1", &err), 0);
	assert_int_equal(netns_sysctl_write(ns, "net/ipv4/ip_forward", "1", &err), 0);
	assert_int_equal(netns_sysctl_write(ns, "net/ipv6/conf/sv0/disable_ipv6", "1\n", &err), 0);

	/* Visible inside the netns... */
	assert_int_equal(netns_enter(ns, &saved, &err), 0);
	read_sysctl("net/ipv4/conf/sv0/arp_notify", buf, sizeof(buf));
	assert_string_equal(buf, "1");
	read_sysctl("net/ipv4/ip_forward", buf, sizeof(buf));
	assert_string_equal(buf, "1");
	read_sysctl("net/ipv6/conf/sv0/disable_ipv6", buf, sizeof(buf));
	assert_string_equal(buf, "1");
	netns_leave(&saved);

	/* ...and not outside it. */
	read_sysctl("net/ipv4/ip_forward", buf, sizeof(buf));
	assert_string_equal(buf, "0");
	assert_int_equal(access("/proc/sys/net/ipv4/conf/sv0", F_OK), -1);

	assert_int_equal(netns_sysctl_write(ns, "net/ipv4/conf/nosuch/arp_notify", "1", &err),
			 -ENOENT);
	assert_non_null(strstr(err.msg, "nosuch"));
	assert_int_equal(netns_sysctl_write(ns, "net/ipv4/ip_forward", "banana", &err), -EINVAL);

	/* Several keys, one entry: a missing one does not stop the next; its error is kept. */
	{
		const char *keys[] = { "net/ipv4/conf/sv0/arp_accept",
				       "net/ipv4/conf/nosuch/arp_accept",
				       "net/ipv6/conf/sv0/ndisc_notify" };
		const char *bad[] = { "net/ipv4/conf/sv0/arp_ignore", "../self/comm" };

		assert_int_equal(netns_sysctl_write_all(ns, keys, 3, "1", &err), -ENOENT);
		assert_non_null(strstr(err.msg, "nosuch"));
		assert_int_equal(netns_enter(ns, &saved, &err), 0);
		read_sysctl("net/ipv4/conf/sv0/arp_accept", buf, sizeof(buf));
		assert_string_equal(buf, "1");
		read_sysctl("net/ipv6/conf/sv0/ndisc_notify", buf, sizeof(buf));
		assert_string_equal(buf, "1");
		netns_leave(&saved);
		/* An invalid key refuses the whole list before anything is written. */
		assert_int_equal(netns_sysctl_write_all(ns, bad, 2, "1", &err), -EINVAL);
		assert_int_equal(netns_enter(ns, &saved, &err), 0);
		read_sysctl("net/ipv4/conf/sv0/arp_ignore", buf, sizeof(buf));
		assert_string_equal(buf, "0");
		netns_leave(&saved);
	}

	/* Keys never leave /proc/sys. */
	assert_int_equal(netns_sysctl_write(ns, "../self/comm", "x", &err), -EINVAL);
	assert_int_equal(netns_sysctl_write(ns, "net/../../etc", "x", &err), -EINVAL);
	assert_int_equal(netns_sysctl_write(ns, "/net/ipv4/ip_forward", "1", &err), -EINVAL);
	assert_int_equal(netns_sysctl_write(ns, "net//ipv4", "1", &err), -EINVAL);
	assert_int_equal(netns_sysctl_write(ns, "net/ipv4/", "1", &err), -EINVAL);
	assert_int_equal(netns_sysctl_write(ns, "net/ipv4/conf/a b", "1", &err), -EINVAL);
	assert_int_equal(netns_sysctl_write(ns, "", "1", &err), -EINVAL);
	/* Back in the original netns after every failure. */
	read_sysctl("net/ipv4/ip_forward", buf, sizeof(buf));
	assert_string_equal(buf, "0");

	/* A netns fd that is not one: the write fails before touching anything. */
	assert_int_equal(netns_sysctl_write(STDIN_FILENO, "net/ipv4/ip_forward", "1", &err),
			 -EINVAL);
}

static void test_leave_impossible_exits(void **state)
{
	int status = 0;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* An fd that setns() rejects stands in for a namespace we can't return to. */
		int saved = open("/dev/null", O_RDONLY | O_CLOEXEC);

		netns_leave(&saved);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), NETNS_EXIT_LOST);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_enter_leave),
		cmocka_unit_test(test_enter_nested),
		cmocka_unit_test(test_sysctl),
		cmocka_unit_test(test_leave_impossible_exits),
	};

	nt_require_root();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
