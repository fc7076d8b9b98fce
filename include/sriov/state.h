/* SPDX-License-Identifier: Apache-2.0 */
/*
 * state.h: the small files that survive between calls: one record per VF in use (its owner
 * and the state it had before we touched it) and the locks that serialise work on a VF/PF.
 */
#ifndef SRIOV_STATE_H
#define SRIOV_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "sriov/cni.h"
#include "sriov/err.h"
#include "sriov/netlink.h"

#define STATE_DEFAULT_DIR "/var/lib/cni/sriov"
#define STATE_LOCK_TIMEOUT_MS 30000
/*
 * Records that did not parse or validate are moved, not deleted, to
 * <root>/quarantine/vf-<pci>.<unix seconds>.<pid>.json, and kept there for diagnosis.
 */
#define STATE_QUARANTINE_DIR "quarantine"

struct state {
	int dirfd; /* the state root */
	int vfdirfd; /* <root>/vf */
	char root[PATH_MAX];
};

struct vf_record {
	/* owner: the attachment (network, containerID, ifname) holding the VF */
	char network[CNI_ID_MAX + 1];
	char container_id[CNI_ID_MAX + 1];
	char ifname[IFNAMSIZ];
	char netns[PATH_MAX];

	char pci[32];
	char pf_name[IFNAMSIZ];
	unsigned int vf;
	bool dpdk;
	/*
	 * ADD also wrote sriov-cni's cache and allocation record (migrate.h). Once sriov-cni's
	 * DEL (after a rollback) removed that allocation record, the record is stale even while
	 * its owner's netns lives. False in records written before there was such a thing.
	 */
	bool sriovcni;

	/* before we touched it */
	struct vf_info orig; /* PF-side settings */
	char orig_name[IFNAMSIZ]; /* host netdev name ("" for DPDK) */
	uint8_t orig_mac[6]; /* netdev MAC */
	int orig_mtu;
	bool orig_up;
	int ifindex; /* netdev ifindex when recorded */
};

/* Open (creating) the state root: $SRIOV_STATE_DIR or STATE_DEFAULT_DIR. */
int state_open(struct state *st, struct cni_err *err);
/*
 * Open directory @name below @dirfd, creating it (0700) if missing, never through a symlink:
 * an O_DIRECTORY fd, or -errno with @err set (code 5, "state: ... directory <name>").
 */
int state_open_dir_at(int dirfd, const char *name, struct cni_err *err);
void state_close(struct state *st);
static inline void state_closep(struct state *st)
{
	state_close(st);
}
#define _cleanup_state_ __attribute__((cleanup(state_closep)))

/*
 * Whether a record of VF @pci exists (any file by its name: whether it is a valid record is
 * state_record_load()'s question). False for an invalid PCI address. One faccessat().
 */
bool state_record_exists(struct state *st, const char *pci);
/*
 * Load the record of VF @pci (a PCI address, checked). 0 and *ret filled; -ENOENT when there
 * is none; -EBADMSG (code 5, "state: vf/<pci>.json is corrupt") when it does not parse, fails
 * state_record_valid(), names another PCI address, or is not a regular file (a FIFO is never
 * opened blocking); other negative errno when unreadable.
 */
int state_record_load(struct state *st, const char *pci, struct vf_record *ret,
		      struct cni_err *err);
/* Replace the record atomically (temp file + rename). An invalid record is refused. */
int state_record_save(struct state *st, const struct vf_record *rec, struct cni_err *err);
int state_record_remove(struct state *st, const char *pci, struct cni_err *err);
/*
 * Move the record of @pci into STATE_QUARANTINE_DIR (call it under the VF lock). 0 and the
 * new name relative to the root in @ret_name (may be NULL); -ENOENT when there is none.
 */
int state_record_quarantine(struct state *st, const char *pci, char ret_name[NAME_MAX],
			    struct cni_err *err);
/*
 * Every field of a record read back from disk is input: names and IDs as in CNI_*, an
 * absolute netns path without "..", a PCI address, interface names.
 */
bool state_record_valid(const struct vf_record *rec);
/* Find the record owned by (network, container_id, ifname): 0 and @ret, or -ENOENT. */
int state_record_find_owner(struct state *st, const char *network, const char *container_id,
			    const char *ifname, struct vf_record *ret, struct cni_err *err);
/*
 * Call @fn for each valid record of @network (GC). Stops at the first negative return of
 * @fn. Corrupt records are skipped; temp files of killed writers are removed on the way.
 */
int state_record_foreach(struct state *st, const char *network,
			 int (*fn)(const struct vf_record *rec, void *data), void *data,
			 struct cni_err *err);
bool state_record_owned_by(const struct vf_record *rec, const char *network,
			   const char *container_id, const char *ifname);

/*
 * Take an exclusive flock on <root>/<kind>/<key>.lock with fs_lock_at(), waiting at most
 * STATE_LOCK_TIMEOUT_MS: then -ETIMEDOUT and code 11 (try again later), which a DEL may
 * return because a retry succeeds once the holder is done. The lock lives as long as the
 * returned fd, and with the process.
 */
int state_lock(struct state *st, const char *kind, const char *key, int *ret_fd,
	       struct cni_err *err);
/*
 * state_lock() without waiting: -ETIMEDOUT (code 11) at once when another process holds the
 * lock.
 */
int state_trylock(struct state *st, const char *kind, const char *key, int *ret_fd,
		  struct cni_err *err);
/*
 * The same for the file @name in the directory @dirfd (created 0600 if missing, never through
 * a symlink, never a FIFO: code 5); @what names the lock in messages ("on vf <pci>").
 */
int state_lock_at(int dirfd, const char *what, const char *name, int *ret_fd, struct cni_err *err);

#endif
