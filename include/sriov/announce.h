/* SPDX-License-Identifier: Apache-2.0 */
/* announce.h: tell the segment about a pod's new addresses (gratuitous ARP, unsolicited NA). */
#ifndef SRIOV_ANNOUNCE_H
#define SRIOV_ANNOUNCE_H

#include "sriov/err.h"
#include "sriov/result.h"

/*
 * From inside netns @netns_fd (-1: the current one), send one gratuitous ARP request per IPv4
 * address and one unsolicited neighbour advertisement (override flag, target link-layer
 * address, to ff02::1) per IPv6 address of @r that belongs to link @ifindex: ips whose iface
 * names that link, or that name no interface. The link must be up. An IPv6 address is only
 * announced once it has left the tentative (DAD) state; this waits up to
 * ANNOUNCE_DAD_WAIT_MS for that. Every address is tried; the first failure is returned.
 * Neighbours learn addresses anyway, so callers should only log a failure.
 */
int announce_addresses(int netns_fd, int ifindex, const struct cni_result *r, struct cni_err *err);

#define ANNOUNCE_DAD_WAIT_MS 3000

#endif
