/* SPDX-License-Identifier: Apache-2.0 */
/* log.c: append-only plugin log with RFC 3339 timestamps, in the style of the Go cni-log. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sriov/log.h"

static int log_fd = STDERR_FILENO;
static enum log_level log_max = LOG_LEVEL_INFO;

static const char *const level_names[] = { "panic", "error", "warning", "info", "debug" };

int log_open(enum log_level level, const char *file, struct cni_err *err)
{
	char dir[PATH_MAX];
	int fd;

	log_max = level;
	if (!file || !*file)
		return 0;
	snprintf(dir, sizeof(dir), "%s", file);
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		(void)mkdir(dir, 0755);
		*p = '/';
	}
	fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return err_set(err, errno, CNI_ERR_INVALID_CONFIG, "logFile: cannot open %s", file);
	log_fd = fd;
	return 0;
}

void log_close(void)
{
	if (log_fd != STDERR_FILENO)
		(void)close(log_fd);
	log_fd = STDERR_FILENO;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	size_t n;
	va_list ap;

	if (level > log_max)
		return;
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	(void)gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n += (size_t)snprintf(line + n, sizeof(line) - n, " [%s] ", level_names[level]);
	va_start(ap, fmt);
	if (n < sizeof(line))
		n += (size_t)vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(log_fd, line, n);
}
