/* SPDX-License-Identifier: Apache-2.0 */
/* announce.h: tell the segment about a pod's new addresses (gratuitous ARP, unsolicited NA). */
#ifndef SRIOV_ANNOUNCE_H
#define SRIOV_ANNOUNCE_H

#include "sriov/err.h"
#include "sriov/netlink.h"
#include "sriov/result.h"

/*
 * Announce the addresses of @r that belong to @link (ips whose iface names it, or that name
 * no interface): one gratuitous ARP request per IPv4 address, one unsolicited neighbour
 * advertisement (override flag, target link-layer address, to ff02::1) per IPv6 address.
 * @link is the link as just read through @nl, a handle in the netns @netns_fd (-1: the
 * current one) where the link lives; it must be up (-ENETDOWN) and have an Ethernet address.
 * An IPv4 address the kernel would name as the sender of an ARP request for itself (the
 * primary address of its subnet) is announced by the kernel (netlink_neigh_probe(): now, and
 * again after 1 and 2 s by default, which also covers a carrier that comes up late); any other
 * from a packet socket. An IPv6 address is only announced once it has left the tentative (DAD)
 * state, waited for up to ANNOUNCE_DAD_WAIT_MS. Every address is tried; the first failure is
 * returned. Neighbours learn addresses anyway, so callers should only log a failure.
 */
int announce_addresses(struct netlink *nl, int netns_fd, const struct netlink_link *link,
		       const struct cni_result *r, struct cni_err *err);

#define ANNOUNCE_DAD_WAIT_MS 3000

#endif
