/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_vf_reply.c: feed raw bytes to the RTM_NEWLINK/VF-info parser and check what it returns. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/netlink.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const void *buf, size_t size, unsigned int vf)
{
	struct vf_info vi;
	struct cni_err err = { 0 };
	int r;

	memset(&vi, 0xa5, sizeof(vi));
	r = netlink_parse_vf_reply(buf, size, vf, &vi, &err);
	if (r == 0) {
		/* A success describes exactly the VF asked for, with in-range tri-states. */
		if (vi.vf != vf || vi.spoofchk < -1 || vi.spoofchk > 1 || vi.trust < -1 ||
		    vi.trust > 1 || vi.link_state < -1 || vi.link_state > 2 || vi.vlan_proto == 0) {
			fprintf(stderr, "fuzz_vf_reply: inconsistent VF %u\n", vf);
			abort();
		}
		return;
	}
	if ((r != -ENOENT && r != -EBADMSG) || err.errnum != -r || !err.msg[0] ||
	    !memchr(err.msg, '\0', sizeof(err.msg))) {
		fprintf(stderr, "fuzz_vf_reply: unexpected failure %d: %s\n", r, err.msg);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/*
	 * Netlink buffers are aligned when they come from recvmsg(); malloc() keeps that, and an
	 * exact-size copy lets sanitizers see any read past the end.
	 */
	_cleanup_free_ uint8_t *buf = calloc(size ? size : 1, 1);

	if (!buf)
		return 0;
	if (size)
		memcpy(buf, data, size);
	check(buf, size, 0);
	check(buf, size, 1);
	check(buf, size, 3);
	/* Let the input pick one index too, from its last byte. */
	if (size)
		check(buf, size, data[size - 1]);
	return 0;
}
