/* SPDX-License-Identifier: Apache-2.0 */
/* log.h: the plugin's log (logLevel/logFile): one line per event, stderr by default. */
#ifndef SRIOV_LOG_H
#define SRIOV_LOG_H

#include "sriov/conf.h"

/* Open @file for appending (created 0644, parents 0755, symlinks refused); "" = stderr. */
int log_open(enum log_level level, const char *file, struct cni_err *err);
void log_close(void);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

#endif
