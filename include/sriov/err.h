/* SPDX-License-Identifier: Apache-2.0 */
/* err.h: the one error type: errno + CNI code + message, filled once, wrapped on the way up. */
#ifndef SRIOV_ERR_H
#define SRIOV_ERR_H

#include <stdarg.h>

/* CNI well-known error codes (SPEC.md), plus our own. */
enum {
	CNI_ERR_INCOMPATIBLE_VERSION = 1,
	CNI_ERR_UNSUPPORTED_FIELD = 2,
	CNI_ERR_UNKNOWN_CONTAINER = 3,
	CNI_ERR_INVALID_ENV = 4,
	CNI_ERR_IO = 5,
	CNI_ERR_DECODE = 6,
	CNI_ERR_INVALID_CONFIG = 7,
	CNI_ERR_TRY_AGAIN = 11,
	CNI_ERR_NOT_AVAILABLE = 50,
	CNI_ERR_LIMITED_CONNECTIVITY = 51,
	CNI_ERR_INTERNAL = 999,
};

struct cni_err {
	int errnum; /* positive errno, 0 if none applies */
	unsigned int code; /* CNI code, see above */
	char msg[512]; /* "outer ctx: inner ctx: cause" */
	char details[256]; /* kernel extack text, offending value */
};

/* Fill @e and return -errnum (or -EINVAL when errnum is 0). */
int err_set(struct cni_err *e, int errnum, unsigned int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Prefix context to the message; keep errnum and code. Returns -errnum (or -EINVAL). */
int err_wrap(struct cni_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Set the details text (e.g. the kernel's extended ACK message). */
void err_details(struct cni_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Return value matching what err_set() returned. */
int err_ret(const struct cni_err *e);
void err_clear(struct cni_err *e);

#endif
