/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sriovcni.h: sriov-cni v2.10's files, which live under the same root as our state: the
 * cache <root>/<containerID>-<ifname> (its NetConf with the VF's OrigVfState), the
 * allocation record <root>/pci/<deviceID> (the pod's netns path) and the per-VF lock
 * <root>/pci/vf_lock/<deviceID>.lock. Read back as hostile input, written as v2.10 writes
 * them (pkg/types/types.go, pkg/utils/utils.go, pkg/utils/pci_allocator.go).
 *
 * No name clashes with our own state: a cache name always contains '-' (containerID and
 * ifname are both non-empty), and our names under the root (vf, pf, quarantine) do not;
 * sriov-cni's directory is "pci", which we do not use.
 */
#ifndef SRIOV_SRIOVCNI_H
#define SRIOV_SRIOVCNI_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <net/if.h>

#include "sriov/conf.h"
#include "sriov/err.h"
#include "sriov/state.h"

#define SRIOVCNI_CACHE_MAX (64 * 1024) /* a real cache is 1-2 KiB; prevResult can add some */
#define SRIOVCNI_ALLOC_DIR "pci"
#define SRIOVCNI_LOCK_DIR "vf_lock" /* under SRIOVCNI_ALLOC_DIR */

/* A cache, validated. Names follow the Go fields. */
struct sriovcni_cache {
	char name[CNI_ID_MAX + 1]; /* network name, "" when absent */
	char device_id[CONF_PCI_STRLEN]; /* a PCI address, lower case */
	char master[IFNAMSIZ]; /* PF netdev when written, "" when absent */
	unsigned int vfid;
	char ipam_type[64]; /* "" = no IPAM */
	bool has_mac; /* "MAC": the configured MAC, which sriov-cni's DEL resets */
	uint8_t mac[6];

	/* OrigVfState: the VF before sriov-cni's ADD touched it */
	char host_ifname[IFNAMSIZ]; /* "" for a DPDK VF */
	bool spoofchk;
	bool has_trust; /* Trust came with v2.8 */
	bool trust;
	uint8_t admin_mac[6]; /* all-zero when none */
	bool has_effective_mac; /* false for a DPDK VF */
	uint8_t effective_mac[6];
	unsigned int vlan;
	unsigned int qos;
	uint16_t vlan_proto; /* 0 (not reported), 0x8100 or 0x88a8 */
	unsigned int min_tx_rate; /* Mbps */
	unsigned int max_tx_rate;
	unsigned int link_state; /* 0 auto, 1 enable, 2 disable */
	int mtu; /* 0 = not recorded */
};

/*
 * Parse and validate a cache's bytes: a JSON object whose deviceID is a PCI address, names
 * are valid network and interface names, MACs are MACs, and every number is an integer in its
 * field's range (Vlan 0-4095, VlanQoS 0-7, VlanProto 0/33024/34984, LinkState 0-2, rates and
 * VFID 0-2^31, MTU 0-65536). Keys match case-insensitively and unknown ones are ignored, as
 * Go's decoder does. 0 and *ret filled, or -EINVAL.
 */
int sriovcni_cache_parse(const char *text, size_t len, struct sriovcni_cache *ret);

/* "<containerID>-<ifname>" into @ret; false when the pair is invalid or the name too long. */
bool sriovcni_cache_file(const char *container_id, const char *ifname, char ret[NAME_MAX + 1]);

/*
 * Load the cache file @file (a name in the root, never a path). 0 and *ret; -ENOENT when
 * there is none; -EBADMSG (code 5) when it is not a regular file (a FIFO is never opened
 * blocking, a symlink never followed), is larger than SRIOVCNI_CACHE_MAX or does not
 * validate; other negative errno when unreadable.
 */
int sriovcni_cache_load(struct state *st, const char *file, struct sriovcni_cache *ret,
			struct cni_err *err);
/* Remove it (missing is success). */
int sriovcni_cache_remove(struct state *st, const char *file, struct cni_err *err);
/*
 * Move a cache that does not validate to <root>/quarantine/cache.<unix seconds>.<pid>.<file>
 * (truncated to NAME_MAX) and keep it. 0 and the new name relative to the root in @ret_name
 * (may be NULL); -ENOENT when there is none.
 */
int sriovcni_cache_quarantine(struct state *st, const char *file, char ret_name[PATH_MAX],
			      struct cni_err *err);
/*
 * Call @fn for every valid cache in the root (regular files whose name has the
 * "<containerID>-<ifname>" shape), with its file name. Caches that do not validate are
 * skipped. Stops at the first negative return of @fn.
 */
int sriovcni_cache_foreach(struct state *st,
			   int (*fn)(const char *file, const struct sriovcni_cache *c, void *data),
			   void *data, struct cni_err *err);

/*
 * The cache sriov-cni v2.10 would write for an ADD of @rec (our snapshot, taken before any
 * change) with config @c as conf_parse() read it for ADD (its parsed tree, c->json, gives the
 * keys kept verbatim: capabilities, dns, prevResult and the like; NULL without it): types.NetConf
 * merged with SriovNetConf through maps, so keys sorted at every level, Go's string escapes,
 * pointers null when unset. @mtu is the top-level "MTU" (the VF netdev's, or the PF's for a
 * DPDK VF). Two deliberate differences, so that sriov-cni's DEL restores the VF exactly:
 * a setting is listed only when ADD changes it (its DEL writes every listed one back, and a
 * driver without the operation fails that), and OrigVfState.AdminMAC is all-zero when the
 * PF's table only echoed the VF's own MAC (restoring that would pin it). malloc'ed, or NULL.
 */
char *sriovcni_cache_format(const struct sriov_conf *c, const struct vf_record *rec, int mtu);
/* Write @text as the cache @file, atomically (temp file + rename), mode 0600. */
int sriovcni_cache_save(struct state *st, const char *file, const char *text, struct cni_err *err);

/*
 * The allocation record of VF @pci: 0 and the netns path it holds in @ret; -ENOENT when there
 * is none; -EBADMSG when it is not a regular file, is empty or too long, or is not an
 * absolute path without "..".
 */
int sriovcni_alloc_read(struct state *st, const char *pci, char ret[PATH_MAX], struct cni_err *err);
/* Write @netns (no newline, mode 0600) as the allocation record of @pci, atomically. */
int sriovcni_alloc_write(struct state *st, const char *pci, const char *netns, struct cni_err *err);
int sriovcni_alloc_remove(struct state *st, const char *pci, struct cni_err *err);

/*
 * Take sriov-cni's per-VF flock (<root>/pci/vf_lock/<pci>.lock), as state_lock() does ours:
 * at most STATE_LOCK_TIMEOUT_MS, then code 11. Take it after our own VF lock, never before.
 */
int sriovcni_lock(struct state *st, const char *pci, int *ret_fd, struct cni_err *err);

#endif
