/* SPDX-License-Identifier: Apache-2.0 */
/*
 * install.c: "sriov install DIR": copy this sriov into a CNI bin directory, as a DaemonSet's
 * init container does with a node's /opt/cni/bin (the image is FROM scratch: no cp, no shell).
 * Run from the self-contained bundle, it copies the launcher and its library directory; run as
 * a plain build, the one binary. Every file is written to a temporary name and renamed into
 * place, the launcher last, so that a runtime calling the plugin meanwhile runs either the old
 * or the new one, never a half-written file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"

#include "cli.h"

#ifndef SRIOV_BUNDLE_LIBDIR
#define SRIOV_BUNDLE_LIBDIR "sriov.lib"
#endif

/* Copy @src to @name in directory @dfd, mode @mode, through a temporary file and rename(2). */
static int copy_into(const char *src, int dfd, const char *name, mode_t mode)
{
	_cleanup_close_ int in = -1, out = -1;
	char tmp[NAME_MAX + 1], buf[65536];
	ssize_t n;
	int e;

	if ((size_t)snprintf(tmp, sizeof(tmp), ".%s.%d.tmp", name, (int)getpid()) >= sizeof(tmp))
		return -ENAMETOOLONG;
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	(void)unlinkat(dfd, tmp, 0);
	out = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (out < 0)
		return -errno;
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(out, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				goto fail;
			off += w;
		}
	}
	if (fchmod(out, mode) < 0 || fsync(out) < 0 || renameat(dfd, tmp, dfd, name) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	(void)unlinkat(dfd, tmp, 0);
	return -e;
}

static int say_fail(const char *what, const char *path, int r)
{
	fprintf(stderr, "sriov install: %s ", what);
	cli_put_clean(stderr, path);
	fprintf(stderr, ": %s\n", strerror(-r));
	return CLI_USAGE;
}

int install_main(int argc, char **argv)
{
	_cleanup_close_ int dfd = -1, ldfd = -1;
	char exe[PATH_MAX], src[PATH_MAX + NAME_MAX + 2], *slash;
	ssize_t n;
	bool bundle;
	int r;

	if (argc != 2 || argv[1][0] == '-') {
		fputs("usage: sriov install DIR\n"
		      "Copy this sriov (with its library directory, when it is the self-contained\n"
		      "build) into the CNI bin directory DIR, atomically.\n",
		      argc == 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr);
		return argc == 2 && strcmp(argv[1], "--help") == 0 ? CLI_OK : CLI_USAGE;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return say_fail("cannot find itself through", "/proc/self/exe", -errno);
	exe[n] = '\0';
	dfd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return say_fail("cannot open the directory", argv[1], -errno);

	/* In the bundle, the launcher runs the loader in <dir>/SRIOV_BUNDLE_LIBDIR/. */
	slash = strrchr(exe, '/');
	*slash = '\0';
	{
		const char *base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;

		bundle = strcmp(base, SRIOV_BUNDLE_LIBDIR) == 0;
	}
	if (!bundle) {
		*slash = '/';
		r = copy_into(exe, dfd, "sriov", 0755);
		if (r < 0)
			return say_fail("cannot copy to", argv[1], r);
	} else {
		_cleanup_closedir_ DIR *d = opendir(exe);
		struct dirent *de;

		if (!d)
			return say_fail("cannot read", exe, -errno);
		if (mkdirat(dfd, SRIOV_BUNDLE_LIBDIR, 0755) < 0 && errno != EEXIST)
			return say_fail("cannot create " SRIOV_BUNDLE_LIBDIR " in", argv[1],
					-errno);
		ldfd = openat(dfd, SRIOV_BUNDLE_LIBDIR,
			      O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (ldfd < 0)
			return say_fail("cannot open " SRIOV_BUNDLE_LIBDIR " in", argv[1], -errno);
		while ((de = readdir(d))) {
			struct stat st;

			if (de->d_name[0] == '.')
				continue;
			snprintf(src, sizeof(src), "%s/%s", exe, de->d_name);
			if (stat(src, &st) < 0 || !S_ISREG(st.st_mode))
				continue;
			r = copy_into(src, ldfd, de->d_name, st.st_mode & 0111 ? 0755 : 0644);
			if (r < 0)
				return say_fail("cannot copy", src, r);
		}
		if (fsync(ldfd) < 0)
			return say_fail("cannot sync", SRIOV_BUNDLE_LIBDIR, -errno);
		/* The launcher (beside the library directory) last: from here on runtimes run
		 * the new library directory. */
		slash = strrchr(exe, '/');
		if (!slash)
			return say_fail("cannot find the launcher beside", exe, -ENOENT);
		*slash = '\0';
		snprintf(src, sizeof(src), "%s/sriov", exe);
		r = copy_into(src, dfd, "sriov", 0755);
		if (r < 0)
			return say_fail("cannot copy", src, r);
	}
	if (fsync(dfd) < 0)
		return say_fail("cannot sync", argv[1], -errno);
	fputs("sriov install: ", stdout);
	cli_put_clean(stdout, argv[1]);
	puts(bundle ? "/sriov and " SRIOV_BUNDLE_LIBDIR "/" : "/sriov");
	return CLI_OK;
}
