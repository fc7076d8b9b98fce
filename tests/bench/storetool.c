/* SPDX-License-Identifier: Apache-2.0 */
/*
 * storetool.c: lease stores for store_bench.sh and perf-guest.sh (built statically, so that it
 * also runs in the test VM).
 *   storetool fill <dir> <count> <a.b> [<from>]
 *                                           <count> leases <a.b>.0.2 upwards in <dir>, as the
 *                                           Go host-local writes them (mode 0644, content
 *                                           "c<i>\r\neth0", no newline), and
 *                                           last_reserved_ip.0 naming the last one; with
 *                                           <from>, only those of c<from> onwards
 *   storetool unlink <dir> <from> <count> <a.b>
 *                                           unlink the leases of c<from>..c<count - 1>: the
 *                                           floor of a GC that keeps c0..: "<files> <ms>"
 *   storetool readall <dir> [typed]         read every regular file of <dir> once, as a
 *                                           store scan must: prints "<files> <ms>"; with
 *                                           "typed", fstat() each one first (fs_fstat()) and
 *                                           read it only if it is a regular file, as sriov's
 *                                           scan does
 *   storetool gclist <config> <max bytes>   the config (a JSON object) with a
 *                                           "cni.dev/valid-attachments" list of c0, c1, ...
 *                                           on eth0, as long as it fits in <max bytes>, on
 *                                           stdout; the count on stderr
 *   storetool spin <n>                      <n> getppid() calls: prints "<ms>", so that a
 *                                           tracer's cost per system call can be measured
 *   storetool fsync <dir> <n>               a lease created <n> times the way ours is
 *                                           (O_TMPFILE, write, linkat), with and without
 *                                           fdatasync before the link, then removed: prints
 *                                           "<ms per lease with> <ms per lease without>"
 * A tool of the benchmark, not a test.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "sriov/fs.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The lease of owner c<i>: <prefix>.0.2 upwards, as fill() writes them. */
static void lease_name(const char *prefix, long i, char name[64])
{
	long a = i + 2;

	snprintf(name, 64, "%s.%ld.%ld", prefix, a / 256, a % 256);
}

static int fill(const char *dir, long count, const char *prefix, long from)
{
	char name[64], content[64], last[64] = "";
	int dfd, fd, n;

	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return perror(dir), 1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return perror(dir), 1;
	for (long i = from; i < count; i++) {
		if (i + 2 > 65534)
			return fprintf(stderr, "storetool: more leases than a /16 holds\n"), 1;
		lease_name(prefix, i, name);
		n = snprintf(content, sizeof(content), "c%ld\r\neth0", i);
		fd = openat(dfd, name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, content, (size_t)n) != n || close(fd) < 0)
			return perror(name), 1;
		snprintf(last, sizeof(last), "%s", name);
	}
	fd = openat(dfd, "last_reserved_ip.0", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, last, strlen(last)) != (ssize_t)strlen(last) || close(fd) < 0)
		return perror("last_reserved_ip.0"), 1;
	return 0;
}

static int readall(const char *dir, bool typed)
{
	double t0 = now_ms();
	struct dirent *de;
	struct stat st;
	long files = 0;
	char buf[4096];
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd < 0 ? NULL : fdopendir(dfd);

	if (!d)
		return perror(dir), 1;
	while ((de = readdir(d))) {
		int fd;

		if (de->d_type != DT_REG)
			continue;
		fd = openat(dfd, de->d_name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			continue;
		if (typed && (fs_fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))) {
			close(fd);
			continue;
		}
		/* A short read is the whole of a regular file: one read() for a lease. */
		while (read(fd, buf, sizeof(buf)) == (ssize_t)sizeof(buf))
			;
		close(fd);
		files++;
	}
	closedir(d);
	printf("%ld %.3f\n", files, now_ms() - t0);
	return 0;
}

static int gclist(const char *conf, long max)
{
	static char text[1 << 20];
	char entry[64];
	size_t len;
	long total, n = 0;
	FILE *f = fopen(conf, "r");

	if (!f)
		return perror(conf), 1;
	len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (!len || text[len - 1] != '}')
		return fprintf(stderr, "storetool: %s is not a JSON object\n", conf), 1;
	len--;
	fwrite(text, 1, len, stdout);
	fputs(",\"cni.dev/valid-attachments\":[", stdout);
	total = (long)len + 30 + 2;
	for (;; n++) {
		int m = snprintf(entry, sizeof(entry),
				 "%s{\"containerID\":\"c%ld\",\"ifname\":\"eth0\"}", n ? "," : "",
				 n);

		if (total + m > max)
			break;
		fputs(entry, stdout);
		total += m;
	}
	fputs("]}", stdout);
	fprintf(stderr, "%ld %ld\n", n, total);
	return 0;
}

/* One lease as ipam_store.c creates it: O_TMPFILE in @dfd, content, fdatasync?, linkat. */
static int lease_once(int dfd, long i, int sync)
{
	char proc[64], name[64];
	int fd = openat(dfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, "c0\r\neth0", 8) != 8 || (sync && fdatasync(fd) < 0))
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	snprintf(name, sizeof(name), "10.99.%ld.%ld", i / 256, i % 256);
	if (linkat(AT_FDCWD, proc, dfd, name, AT_SYMLINK_FOLLOW) < 0)
		return -1;
	close(fd);
	return 0;
}

static int fsync_cost(const char *dir, long n)
{
	double ms[2];
	char name[64];
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return perror(dir), 1;
	for (int sync = 1; sync >= 0; sync--) {
		double t0 = now_ms();

		for (long i = 0; i < n; i++)
			if (lease_once(dfd, i, sync) < 0)
				return perror("lease"), 1;
		ms[sync] = (now_ms() - t0) / (double)n;
		for (long i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "10.99.%ld.%ld", i / 256, i % 256);
			(void)unlinkat(dfd, name, 0);
		}
	}
	printf("%.3f %.3f\n", ms[1], ms[0]);
	return 0;
}

static int spin(long n)
{
	double t0 = now_ms();

	for (long i = 0; i < n; i++)
		(void)getppid();
	printf("%.3f\n", now_ms() - t0);
	return 0;
}

/* Unlink the leases fill() wrote for owners @from..@count - 1: what a GC keeping c0..c<from - 1>
 * must remove, and nothing more. */
static int unlink_leases(const char *dir, long from, long count, const char *prefix)
{
	double t0 = now_ms();
	char name[64];
	long n = 0;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return perror(dir), 1;
	for (long i = from; i < count; i++) {
		lease_name(prefix, i, name);
		n += unlinkat(dfd, name, 0) == 0;
	}
	close(dfd);
	printf("%ld %.3f\n", n, now_ms() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "fill") == 0)
		return fill(argv[2], atol(argv[3]), argv[4], argc == 6 ? atol(argv[5]) : 0);
	if (argc == 6 && strcmp(argv[1], "unlink") == 0)
		return unlink_leases(argv[2], atol(argv[3]), atol(argv[4]), argv[5]);
	if (argc == 3 && strcmp(argv[1], "readall") == 0)
		return readall(argv[2], false);
	if (argc == 4 && strcmp(argv[1], "readall") == 0 && strcmp(argv[3], "typed") == 0)
		return readall(argv[2], true);
	if (argc == 4 && strcmp(argv[1], "gclist") == 0)
		return gclist(argv[2], atol(argv[3]));
	if (argc == 4 && strcmp(argv[1], "fsync") == 0)
		return fsync_cost(argv[2], atol(argv[3]));
	if (argc == 3 && strcmp(argv[1], "spin") == 0)
		return spin(atol(argv[2]));
	fprintf(stderr,
		"usage: storetool fill DIR COUNT A.B [FROM] | unlink DIR FROM COUNT A.B | readall DIR [typed] |"
		" gclist CONFIG MAX | spin N | fsync DIR N\n");
	return 2;
}
