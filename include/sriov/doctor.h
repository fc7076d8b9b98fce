/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor.h: "sriov doctor": what the node's SR-IOV PFs, VFs, records and locks look like, as
 * plain structs (doctor_gather), and the problems found in them (doctor_diagnose, which only
 * reads the structs, so every rule can be tested without hardware).
 */
#ifndef SRIOV_DOCTOR_H
#define SRIOV_DOCTOR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "sriov/err.h"
#include "sriov/netlink.h"
#include "sriov/state.h"

/* Lists are cut at these lengths (a hostile state directory cannot make the report huge). */
#define DOCTOR_MAX_RECORDS 4096
#define DOCTOR_MAX_BAD 256
#define DOCTOR_MAX_LOCKS 4096
/* A lock held longer than other calls wait for it (state_lock) makes them fail. */
#define DOCTOR_LOCK_STUCK_S (STATE_LOCK_TIMEOUT_MS / 1000)

/* Does a network namespace still exist at a path? */
enum doctor_netns {
	DOCTOR_NETNS_UNKNOWN, /* could not tell (permissions) */
	DOCTOR_NETNS_ALIVE,
	DOCTOR_NETNS_GONE, /* missing, empty, not an nsfs file, or no path recorded */
};

struct doctor_pf {
	char pci[32];
	char name[IFNAMSIZ]; /* "" when the PF has no netdev in this netns */
	char driver[64]; /* "" when none is bound */
	char id[16]; /* "vendor:device", e.g. "8086:10c9" */
	int totalvfs;
	int numvfs;
	int ifindex;
	bool link_known; /* up and carrier were read */
	bool up; /* IFF_UP */
	bool carrier; /* IFF_LOWER_UP */
};

struct doctor_vf {
	char pci[32];
	size_t pf; /* index into doctor_report.pfs */
	unsigned int index; /* VF index on the PF */
	char driver[64]; /* "" when none is bound */
	char id[16];
	char netdev[IFNAMSIZ]; /* "" when the VF has no netdev in the host netns */
	uint8_t netdev_mac[6];
	bool has_netdev_mac;
	bool iommu_group; /* /sys/bus/pci/devices/<pci>/iommu_group exists */
	bool has_info; /* the PF reported this VF's settings */
	struct vf_info info; /* PF-side settings (admin MAC, VLAN, ...) */
	long owner; /* index into doctor_report.records, -1 when no record names this VF */
	bool locked; /* its VF lock is held right now (an ADD or DEL is running) */
	/* sriov-cni's allocation record <state>/pci/<pci>: the netns it names, "" when none */
	char other_netns[PATH_MAX];
	enum doctor_netns other_netns_state;
};

/* Where the VF of a record is, seen from the owner's netns (checked only when it is alive). */
enum doctor_pod {
	DOCTOR_POD_UNCHECKED,
	DOCTOR_POD_HAS_VF, /* the VF's netdev is in the owner's netns under its ifname */
	DOCTOR_POD_RENAMED, /* in the owner's netns under another name (pod_name) */
	DOCTOR_POD_LACKS_VF, /* not in the owner's netns */
};

/* A valid record of vf/<pci>.json. */
struct doctor_record {
	struct vf_record rec;
	enum doctor_netns netns;
	long vf; /* index into doctor_report.vfs, -1 when rec.pci is no VF of this node now */
	bool device_exists; /* when vf < 0: does the PCI device exist at all? */
	enum doctor_pod pod;
	char pod_name[IFNAMSIZ];
};

/* A record that could not be used: damaged in vf/, or already moved to quarantine/. */
struct doctor_bad_record {
	char file[NAME_MAX + 1]; /* relative to the state root, escaped for printing */
	char pci[32]; /* "" when the name does not carry one */
	bool quarantined;
	long long since; /* quarantine time (unix seconds) from the name, 0 unknown */
	char why[64]; /* for vf/: "does not parse or validate", or the read error */
};

/* A lock file of ours that a process holds (from /proc/locks). */
struct doctor_lock {
	char kind[4]; /* "vf" or "pf" */
	char pci[32];
	int pid; /* the holder as /proc/locks shows it; 0 unknown (another pid namespace) */
	char comm[32]; /* its name, escaped; "" unknown */
	long long seconds; /* how long the holder has been running, -1 unknown */
	int waiters; /* processes blocked on it */
};

/* The SR-IOV network device plugin's config (--dp-config): its netDevice resources. */
struct doctor_dp_selector {
	/* each list is NULL-terminated, NULL when the selector does not use it */
	char **vendors, **devices, **drivers, **pf_names, **root_devices, **pci_addresses;
};

struct doctor_dp_resource {
	char name[128];
	struct doctor_dp_selector *selectors;
	size_t n_selectors;
};

struct doctor_dp {
	struct doctor_dp_resource *resources;
	size_t n_resources;
};

struct doctor_problem {
	const char *kind; /* "stale-owner", "dirty-vf", ...: see doctor_diagnose() */
	char pci[32]; /* the VF or PF concerned, "" for the node */
	char message[640]; /* what is wrong and what to do */
};

struct doctor_report {
	char state_dir[PATH_MAX];
	bool state_missing; /* the state directory does not exist: nothing recorded */
	int iommu_groups; /* entries of /sys/kernel/iommu_groups */
	struct doctor_pf *pfs;
	size_t n_pfs;
	struct doctor_vf *vfs;
	size_t n_vfs;
	struct doctor_record *records;
	size_t n_records;
	struct doctor_bad_record *bad;
	size_t n_bad;
	size_t n_bad_dropped; /* beyond DOCTOR_MAX_BAD */
	struct doctor_lock *locks;
	size_t n_locks;
	const struct doctor_dp *dp; /* not owned; NULL without --dp-config */
	struct doctor_problem *problems;
	size_t n_problems;
};

/*
 * Look at the node: every SR-IOV capable network PF and its VFs in sysfs, the PF's VF table
 * (netlink), the records, quarantine and locks under $SRIOV_STATE_DIR (or STATE_DEFAULT_DIR),
 * /proc/locks. Changes nothing and creates nothing; never follows a symlink out of sysfs or
 * the state directory, never opens a FIFO or device for reading, enters only the netns a
 * record names (to find its VF by PCI bus-info), never walks other namespaces. Returns 0, or
 * a negative errno (code 5 or 999) when the node cannot be examined (sysfs, netlink or the
 * state directory unreadable: not root?). Free with doctor_report_free() either way.
 */
int doctor_gather(struct doctor_report *r, struct cni_err *err);

/*
 * Find the problems in @r (which only this reads): fills r->problems, one per finding, in
 * report order. Kinds: stale-owner, vf-not-in-pod, missing-vf, dirty-vf, leftover-netdev,
 * untracked-vf, vf-no-driver, iommu-off, no-pf, no-vfs, pf-no-netdev, pf-down, pf-no-carrier,
 * corrupt-record, quarantined-record, lock-held, dp-no-match, numvfs-mismatch. Returns the
 * number of problems or -ENOMEM.
 */
int doctor_diagnose(struct doctor_report *r);

/*
 * Is a host netdev called @name probably a pod-side name left behind by a teardown that did
 * not rename the VF back: net<N>, dev<N> (the kernel's name on netns death when the pod name
 * is taken), temp_<N> (sriov-cni's temporary name), vf<hex> (ours after a damaged record)?
 */
bool doctor_leftover_name(const char *name);

/* Would the device plugin selector @s pick VF @vf of PF @pf? */
bool doctor_dp_selects(const struct doctor_dp_selector *s, const struct doctor_vf *vf,
		       const struct doctor_pf *pf);

/*
 * Parse the device plugin's config.json (its "resourceList"; "selectors" as one object or a
 * list of them). Resources of another deviceType than netDevice are left out. Code 6 when it
 * is not JSON, 7 when a field has the wrong type. Free with doctor_dp_free().
 */
int doctor_dp_parse(const char *text, size_t len, struct doctor_dp **ret, struct cni_err *err);
void doctor_dp_free(struct doctor_dp *dp);

void doctor_report_free(struct doctor_report *r);

#endif
