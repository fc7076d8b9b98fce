/* SPDX-License-Identifier: Apache-2.0 */
/* err.c: fill and wrap struct cni_err; never allocates, so reporting works under ENOMEM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sriov/err.h"

int err_ret(const struct cni_err *e)
{
	return e->errnum > 0 ? -e->errnum : -EINVAL;
}

void err_clear(struct cni_err *e)
{
	memset(e, 0, sizeof(*e));
}

int err_set(struct cni_err *e, int errnum, unsigned int code, const char *fmt, ...)
{
	va_list ap;

	e->errnum = errnum < 0 ? -errnum : errnum;
	e->code = code ? code : CNI_ERR_INTERNAL;
	e->details[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return err_ret(e);
}

int err_wrap(struct cni_err *e, const char *fmt, ...)
{
	char old[sizeof(e->msg)];
	size_t n;
	va_list ap;
	int w;

	memcpy(old, e->msg, sizeof(old));
	va_start(ap, fmt);
	w = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	n = w < 0 ? 0 : (size_t)w;
	if (n + 2 < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - n, ": %.*s", (int)(sizeof(e->msg) - n - 3),
			 old);
	if (!e->code)
		e->code = CNI_ERR_INTERNAL;
	return err_ret(e);
}

void err_details(struct cni_err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->details, sizeof(e->details), fmt, ap);
	va_end(ap);
}
