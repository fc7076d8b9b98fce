/* SPDX-License-Identifier: Apache-2.0 */
/* fault.c: SIGKILL at the N-th fault point, or a named step made to fail, for the tests. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sriov/fault.h"

static long fault_target = -1; /* -1: not read yet, 0: disabled */
static long fault_count;

void fault_point(const char *where)
{
	if (fault_target < 0) {
		const char *s = getenv("SRIOV_FAULT_KILL_AT");
		char *end;

		fault_target = s ? strtol(s, &end, 10) : 0;
		if (!s || *end || fault_target < 0)
			fault_target = 0;
	}
	if (!fault_target || ++fault_count != fault_target)
		return;
	/* Say where, so the test can count distinct points; then die as a kill -9 would. */
	fprintf(stderr, "fault point %ld: %s\n", fault_count, where);
	(void)kill(getpid(), SIGKILL);
}

int fault_fail(const char *step, struct cni_err *err)
{
	const char *s = getenv("SRIOV_FAULT_FAIL");

	if (!s || strcmp(s, step) != 0)
		return 0;
	return err_set(err, EIO, CNI_ERR_INTERNAL, "%s: failure injected by SRIOV_FAULT_FAIL",
		       step);
}
