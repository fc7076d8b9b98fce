/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fault.h: crash-safety and rollback test hooks, read from the environment (which only the
 * runtime sets, never a config). With SRIOV_FAULT_KILL_AT=N the process SIGKILLs itself at
 * the N-th fault point it passes, the way a runtime timeout or the OOM killer would. With
 * SRIOV_FAULT_FAIL=<step> the named step fails as if the kernel had refused it. Without the
 * variables a hook costs one branch.
 */
#ifndef SRIOV_FAULT_H
#define SRIOV_FAULT_H

#include "sriov/err.h"

/* Mark a point where a crash must still leave a recoverable state. */
void fault_point(const char *where);

/*
 * 0, or -EIO with @err filled (code 999) when SRIOV_FAULT_FAIL names @step. Steps:
 * "move into the pod", "add address", "add route".
 */
int fault_fail(const char *step, struct cni_err *err);

#endif
