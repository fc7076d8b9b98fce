/* SPDX-License-Identifier: Apache-2.0 */
/* log.h: the plugin's log (logLevel/logFile): one line per event, stderr by default. */
#ifndef SRIOV_LOG_H
#define SRIOV_LOG_H

#include <stddef.h>

enum log_level {
	LOG_LEVEL_PANIC,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* The directory logFile may name files in, unless the administrator's list replaces it. */
#define LOG_DEFAULT_DIR "/var/log"
/* The one directory log_open() creates when missing. */
#define LOG_OWN_DIR "/var/log/sriov"
/*
 * The administrator's list of allowed log directories: one absolute path per line, '#'
 * comments. Read only when it is a regular file owned by root, not writable by group or
 * others, in a directory with the same properties; it replaces LOG_DEFAULT_DIR.
 */
#define LOG_DIRS_FILE "/etc/sriov/log-dirs"
#define LOG_MAX_DIRS 16

/*
 * Send the log to @file (logFile; "" = stderr) at @level. @file is honoured only for a
 * regular file owned by root with one link, inside an allowed directory, reached without a
 * symlink in any component of its path; it is opened non-blocking for appending, and created
 * with mode 0600 when missing. No parent directory is created except LOG_OWN_DIR. Anything
 * else leaves the log on stderr with one warning line there: a log file never fails a verb.
 */
void log_open(enum log_level level, const char *file);
void log_close(void);

/*
 * Write one line "<RFC 3339 UTC time> [<level>] <message>\n". Control characters, DEL, C1
 * controls, U+2028/U+2029 and bytes that are not UTF-8 are written as \xNN, so no value in
 * a message can start a line of its own. Lines are cut at LOG_LINE_MAX bytes.
 */
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define LOG_LINE_MAX 4096

/* The escaping of log_msg() on its own: @n bytes of @s into @buf (always terminated). */
size_t log_escape(const char *s, size_t n, char *buf, size_t size);

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
