/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fault.h: crash-safety test hook. With SRIOV_FAULT_KILL_AT=N in the environment the process
 * SIGKILLs itself at the N-th fault point it passes, the way a runtime timeout or the OOM
 * killer would. Without the variable a fault point costs one branch.
 */
#ifndef SRIOV_FAULT_H
#define SRIOV_FAULT_H

/* Mark a point where a crash must still leave a recoverable state. */
void fault_point(const char *where);

#endif
