/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netlink_fake.h: include/sriov/netlink.h in memory, for the flows that need SR-IOV hardware:
 * one network namespace of links, one PF's VF table, scripted failures and a log of every
 * change. Linked only into the tests that ask for it (tests/CMakeLists.txt).
 */
#ifndef SRIOV_NETLINK_FAKE_H
#define SRIOV_NETLINK_FAKE_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "sriov/netlink.h"

#define FAKE_MAX_LINKS 16
#define FAKE_MAX_VFS 8
#define FAKE_MAX_FAILS 4

struct fake_link {
	int ifindex; /* 0: free slot */
	char name[IFNAMSIZ];
	uint8_t mac[6];
	int mtu;
	unsigned int flags;
	char altnames[NETLINK_MAX_ALTNAMES][NETLINK_ALTNAMSIZ];
	int n_altnames;
};

struct fake_fail {
	char op[64]; /* prefix of the operation's log line, e.g. "vf 1: set trust" */
	int nth; /* the nth matching call fails (1 = the first) */
	int times; /* and the times - 1 after it */
	int seen;
	int errnum;
	char extack[128];
};

struct fake_net {
	struct fake_link links[FAKE_MAX_LINKS];
	int pf_ifindex;
	struct vf_info vfs[FAKE_MAX_VFS];
	unsigned int num_vfs;
	struct fake_fail fails[FAKE_MAX_FAILS];
	char log[16384]; /* one line per change, in order */
};

extern struct fake_net fake;

/* Empty the fake: no links, no VFs, no failures, an empty log. */
void fake_reset(void);
/* Add a link; returns its ifindex. */
int fake_link_add(const char *name, const uint8_t mac[6]);
struct fake_link *fake_link_find(int ifindex);
/*
 * Make the @nth call whose log line starts with @op fail with @errnum, and the kernel's
 * extack text @extack (may be NULL); the VF table and links are left as they were. A request
 * of several VF attributes fails when one of them would ("VF 1 of pf: set trust").
 */
void fake_fail(const char *op, int nth, int errnum, const char *extack);
/* As fake_fail(), for the @times matching calls from the @nth on (a PF that keeps refusing). */
void fake_fail_times(const char *op, int nth, int times, int errnum, const char *extack);

#endif
