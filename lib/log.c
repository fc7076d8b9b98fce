/* SPDX-License-Identifier: Apache-2.0 */
/*
 * log.c: the plugin's log, in the style of the Go cni-log ("<RFC 3339> [level] msg"). logFile
 * comes from the network config, which tenants write, and the plugin runs as root: the file
 * is confined to the allowed log directories and every line is escaped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"
#include "sriov/log.h"
#include "sriov/text.h"

#define LOG_DIRS_FILE_MAX 4096

static int log_fd = STDERR_FILENO;
static enum log_level log_max = LOG_LEVEL_INFO;

static const char *const level_names[] = { "panic", "error", "warning", "info", "debug" };

size_t log_escape(const char *s, size_t n, char *buf, size_t size)
{
	size_t o = 0, i = 0;

	if (!size)
		return 0;
	while (i < n) {
		uint32_t cp = 0;
		int len = text_utf8_next(s + i, n - i, &cp);
		bool esc = len < 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
			   cp == 0x2028 || cp == 0x2029;

		if (len < 0)
			len = 1;
		if (o + (size_t)len * 4 + 1 > size)
			break; /* never half an escape or half a character */
		if (!esc) {
			memcpy(buf + o, s + i, (size_t)len);
			o += (size_t)len;
		} else {
			for (int k = 0; k < len; k++)
				o += (size_t)snprintf(buf + o, size - o, "\\x%02x",
						      (unsigned char)s[i + k]);
		}
		i += (size_t)len;
	}
	buf[o] = '\0';
	return o;
}

/*
 * UTC calendar time of @t (year, month, day, hour, minute, second). Not gmtime_r() or
 * strftime(): glibc's initialise the time zone on first use (tzset), which opens
 * /etc/localtime with a blocking open, so a FIFO there would hang every log line, VF lock held
 * or not. Days to civil date: H. Hinnant's "chrono-compatible low-level date algorithms".
 */
static void utc_time(time_t t, struct tm *ret)
{
	long long days = (long long)t / 86400, secs = (long long)t % 86400;
	long long z, era, doe, yoe, doy, mp;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	memset(ret, 0, sizeof(*ret));
	ret->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	ret->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
	ret->tm_year = (int)(yoe + era * 400 + (ret->tm_mon <= 1) - 1900);
	ret->tm_hour = (int)(secs / 3600);
	ret->tm_min = (int)(secs % 3600 / 60);
	ret->tm_sec = (int)(secs % 60);
}

/* One line, whatever the level: the message @msg is escaped, the prefix is ours. */
static void log_line(enum log_level level, const char *msg)
{
	char line[LOG_LINE_MAX];
	struct timespec ts;
	struct tm tm;
	size_t n;

	(void)clock_gettime(CLOCK_REALTIME, &ts);
	utc_time(ts.tv_sec, &tm);
	n = (size_t)snprintf(line, sizeof(line), "%04d-%02d-%02dT%02d:%02d:%02dZ [%s] ",
			     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			     tm.tm_sec, level_names[level]);
	n += log_escape(msg, strlen(msg), line + n, sizeof(line) - n - 1);
	line[n++] = '\n';
	(void)!write(log_fd, line, n);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	if (level > log_max)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_line(level, msg);
}

static void refuse(const char *file, const char *why)
{
	char msg[LOG_LINE_MAX];

	snprintf(msg, sizeof(msg), "logFile %s: %s; logging to stderr", QUOTE(file), why);
	log_line(LOG_LEVEL_WARNING, msg);
}

/* The file or directory behind an O_PATH fd is root's and nobody else may change it. */
static bool root_only(int fd, bool dir)
{
	struct stat st;

	return fs_fstat(fd, &st) == 0 && st.st_uid == 0 && !(st.st_mode & (S_IWGRP | S_IWOTH)) &&
	       (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

/*
 * The administrator's LOG_DIRS_FILE into @dirs (normalized paths). Returns the count; 0 when
 * there is no such file, -1 when it exists but cannot be trusted or read.
 */
static int read_dirs_file(int root, char dirs[][PATH_MAX], int max)
{
	_cleanup_close_ int dfd = -1, pfd = -1, fd = -1;
	char text[LOG_DIRS_FILE_MAX + 1], *save = NULL;
	size_t off = 0;
	int n = 0;

	pfd = fs_open_beneath(root, &LOG_DIRS_FILE[1], O_PATH, 0);
	if (pfd == -ENOENT)
		return 0;
	dfd = fs_open_beneath(root, "etc/sriov", O_PATH | O_DIRECTORY, 0);
	if (pfd < 0 || dfd < 0 || !root_only(pfd, false) || !root_only(dfd, true))
		return -1;
	fd = fs_reopen(pfd, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return -1;
	for (;;) {
		ssize_t r = read(fd, text + off, sizeof(text) - 1 - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		off += (size_t)r;
		if (off == sizeof(text) - 1)
			return -1; /* longer than any sane list */
	}
	text[off] = '\0';
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		size_t len;

		while (*l == ' ' || *l == '\t')
			l++;
		len = strlen(l);
		while (len && (l[len - 1] == ' ' || l[len - 1] == '\t' || l[len - 1] == '\r'))
			l[--len] = '\0';
		if (!*l || *l == '#')
			continue;
		/* "/" would allow every file of the node: never. */
		if (n < max && text_path_normalize(l, dirs[n], PATH_MAX) && strcmp(dirs[n], "/"))
			n++;
	}
	return n;
}

/* Open, or create 0600, @rel below @dfd for appending; the checks of log_open(). */
static int open_log_at(int dfd, const char *rel, const char **why)
{
	_cleanup_close_ int pfd = -1;
	struct stat st;
	int fd;

	for (int tries = 0; tries < 2; tries++) {
		pfd = fs_open_beneath(dfd, rel, O_PATH, 0);
		if (pfd != -ENOENT)
			break;
		fd = fs_open_beneath(dfd, rel,
				     O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NONBLOCK | O_NOCTTY,
				     0600);
		if (fd >= 0) {
			(void)fchmod(fd, 0600); /* whatever the umask was */
			return fd;
		}
		if (fd != -EEXIST) {
			*why = fd == -ENOENT ? "its directory does not exist" :
			       fd == -ELOOP  ? "a symlink in its path" :
					       strerror(-fd);
			return fd;
		}
	}
	if (pfd < 0) {
		*why = pfd == -ELOOP ? "a symlink in its path" : strerror(-pfd);
		return pfd;
	}
	if (fs_fstat(pfd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*why = "not a regular file";
		return -EINVAL;
	}
	if (st.st_uid != geteuid() || st.st_nlink != 1) {
		*why = st.st_nlink != 1 ? "a file with other hard links" : "not owned by root";
		return -EPERM;
	}
	fd = fs_reopen(pfd, O_WRONLY | O_APPEND | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		*why = strerror(-fd);
	return fd;
}

/* The fd of @file if allowed, else -1 with *why set. */
static int resolve(const char *file, const char **why)
{
	char dirs[LOG_MAX_DIRS][PATH_MAX], path[PATH_MAX];
	_cleanup_close_ int root = -1, dfd = -1;
	const char *rel = NULL;
	int n, i;

	if (!text_path_normalize(file, path, sizeof(path))) {
		*why = "must be an absolute path without \"..\"";
		return -1;
	}
	root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		*why = strerror(errno);
		return -1;
	}
	n = read_dirs_file(root, dirs, LOG_MAX_DIRS);
	if (n < 0)
		log_line(LOG_LEVEL_WARNING, "ignoring " LOG_DIRS_FILE ": not a root-owned regular "
					    "file, writable by root only, of at most 4096 bytes");
	if (n <= 0) {
		snprintf(dirs[0], PATH_MAX, "%s", LOG_DEFAULT_DIR);
		n = 1;
	}
	for (i = 0; i < n && !rel; i++)
		rel = text_path_below(path, dirs[i]);
	if (!rel) {
		*why = n == 1 && strcmp(dirs[0], LOG_DEFAULT_DIR) == 0 ?
			       "outside the allowed log directory " LOG_DEFAULT_DIR :
			       "outside the allowed log directories of " LOG_DIRS_FILE;
		return -1;
	}
	i--;
	dfd = fs_open_beneath(root, dirs[i] + 1, O_PATH | O_DIRECTORY, 0);
	if (dfd < 0) {
		*why = dfd == -ELOOP ? "a symlink in the path of its log directory" :
				       "its log directory cannot be opened";
		return -1;
	}
	/* The one parent ever created: /var/log/sriov, root's alone. */
	if (strcmp(dirs[i], LOG_DEFAULT_DIR) == 0 &&
	    text_path_below(path, LOG_OWN_DIR) == rel + strlen("sriov/") && !strchr(rel + 6, '/'))
		(void)mkdirat(dfd, "sriov", 0700);
	return open_log_at(dfd, rel, why);
}

void log_open(enum log_level level, const char *file)
{
	const char *why = NULL;
	int fd;

	log_max = level;
	if (!file || !*file)
		return;
	fd = resolve(file, &why);
	if (fd < 0) {
		refuse(file, why ? why : "cannot be used");
		return;
	}
	log_close();
	log_fd = fd;
}

void log_close(void)
{
	if (log_fd != STDERR_FILENO)
		(void)close(log_fd);
	log_fd = STDERR_FILENO;
}
