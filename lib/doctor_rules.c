/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor_rules.c: the problems "sriov doctor" finds, from the gathered structs alone: each rule
 * is what an engineer would look for by hand (ip link show, virtfn links, sriov_numvfs, dmesg
 * for the IOMMU, the device plugin's selectors), with a message saying what to do.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sriov/conf.h"
#include "sriov/doctor.h"
#include "sriov/text.h"
#include "sriov/vf.h"

#include "doctor_gather.h"

struct out {
	struct doctor_report *r;
	size_t cap;
	int err;
};

static void add(struct out *o, const char *kind, const char *pci, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct out *o, const char *kind, const char *pci, const char *fmt, ...)
{
	struct doctor_report *r = o->r;
	struct doctor_problem *p;
	va_list ap;

	if (o->err)
		return;
	if (r->n_problems == o->cap) {
		size_t c = o->cap ? o->cap * 2 : 16;
		struct doctor_problem *np = reallocarray(r->problems, c, sizeof(*np));

		if (!np) {
			o->err = -ENOMEM;
			return;
		}
		r->problems = np;
		o->cap = c;
	}
	p = &r->problems[r->n_problems++];
	p->kind = kind;
	snprintf(p->pci, sizeof(p->pci), "%s", pci ? pci : "");
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
}

/* Names, paths and IDs come from records and sysfs: escaped before they enter a message. */
#define ESC(s) text_escape((s), SIZE_MAX, 200, false, (char[808]){ 0 }, 808)

static bool all_digits(const char *s, const char *set, size_t min, size_t max)
{
	size_t n = strspn(s, set);

	return n >= min && n <= max && s[n] == '\0';
}

bool doctor_leftover_name(const char *name)
{
	static const char dec[] = "0123456789", hex[] = "0123456789abcdef";

	if (strncmp(name, "net", 3) == 0 || strncmp(name, "dev", 3) == 0)
		return all_digits(name + 3, dec, 1, 10);
	if (strncmp(name, "temp_", 5) == 0)
		return all_digits(name + 5, dec, 1, 10);
	/* "vf" + domain (hex, no leading zeros) + bus + device + function: 6 to 13 digits. */
	if (strncmp(name, "vf", 2) == 0)
		return all_digits(name + 2, hex, 6, 13);
	return false;
}

static const char *pf_label(const struct doctor_pf *pf)
{
	return pf->name[0] ? pf->name : pf->pci;
}

static void pf_rules(struct out *o, const struct doctor_pf *pf)
{
	char where[128];

	if (pf->name[0])
		snprintf(where, sizeof(where), "/sys/class/net/%s/device/sriov_numvfs",
			 ESC(pf->name));
	else
		snprintf(where, sizeof(where), "/sys/bus/pci/devices/%s/sriov_numvfs", pf->pci);
	if (pf->numvfs == 0)
		add(o, "no-vfs", pf->pci,
		    "PF %s can have %d VFs but has none, so no pod can get one here: create them "
		    "with echo N > %s (N at most %d), and make that persistent (a udev rule or a "
		    "systemd unit), as the device plugin only advertises VFs that exist",
		    ESC(pf_label(pf)), pf->totalvfs, where, pf->totalvfs);
	if (pf->numvfs == 0)
		return;
	if (!pf->name[0])
		add(o, "pf-no-netdev", pf->pci,
		    "PF %s has %d VFs but no network interface (driver \"%s\"): its VF table "
		    "cannot be read or set, so every ADD on its VFs fails; bind it to its network "
		    "driver",
		    pf->pci, pf->numvfs, ESC(pf->driver));
	else if (pf->link_known && !pf->up)
		add(o, "pf-down", pf->pci,
		    "PF %s is down: its VFs have no link, and the device plugin reports them "
		    "unhealthy; bring it up with ip link set %s up (and in the node's network "
		    "configuration)",
		    ESC(pf->name), ESC(pf->name));
	else if (pf->link_known && !pf->carrier)
		add(o, "pf-no-carrier", pf->pci,
		    "PF %s is up but has no carrier: its VFs cannot reach the network; check the "
		    "cable, the transceiver and the switch port (ethtool %s)",
		    ESC(pf->name), ESC(pf->name));
}

static bool mac_zero(const uint8_t m[6])
{
	return !(m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
}

/* PF drivers whose VFs start with spoofchk off, where off is not a sign of anything. */
static bool spoofchk_off_by_default(const char *pf_driver)
{
	return strcmp(pf_driver, "mlx5_core") == 0;
}

/* The settings of an unowned VF that differ from a fresh VF's, and the ip(8) words that reset them. */
static void dirty_rule(struct out *o, const struct doctor_vf *vf, const struct doctor_pf *pf)
{
	static const char *const states[] = { "auto", "enable", "disable" };
	const struct vf_info *i = &vf->info;
	char what[256] = "", fix[256] = "", m1[18], m2[18];
	size_t w = 0, f = 0;

#define DIRTY(...) \
	w += (size_t)snprintf(what + w, w < sizeof(what) ? sizeof(what) - w : 0, __VA_ARGS__)
#define FIX(...) f += (size_t)snprintf(fix + f, f < sizeof(fix) ? sizeof(fix) - f : 0, __VA_ARGS__)
	if (i->vlan || i->qos) {
		DIRTY("%svlan %u qos %u", w ? ", " : "", i->vlan, i->qos);
		FIX(" vlan 0 qos 0");
	}
	if (!mac_zero(i->mac) && vf->has_netdev_mac && memcmp(i->mac, vf->netdev_mac, 6) != 0) {
		DIRTY("%sadmin MAC %s (its netdev has %s)", w ? ", " : "", conf_mac_str(i->mac, m1),
		      conf_mac_str(vf->netdev_mac, m2));
		FIX(" mac 00:00:00:00:00:00");
	}
	if (i->spoofchk == 0 && !spoofchk_off_by_default(pf->driver)) {
		DIRTY("%sspoofchk off", w ? ", " : "");
		FIX(" spoofchk on");
	}
	if (i->trust == 1) {
		DIRTY("%strust on", w ? ", " : "");
		FIX(" trust off");
	}
	if (i->min_tx_rate || i->max_tx_rate) {
		DIRTY("%smin_tx_rate %u max_tx_rate %u", w ? ", " : "", i->min_tx_rate,
		      i->max_tx_rate);
		FIX(" max_tx_rate 0 min_tx_rate 0");
	}
	if (i->link_state == 1 || i->link_state == 2) {
		DIRTY("%slink_state %s", w ? ", " : "", states[i->link_state]);
		FIX(" state auto");
	}
#undef DIRTY
#undef FIX
	if (!w)
		return;
	add(o, "dirty-vf", vf->pci,
	    "VF %u of %s has no owner, but its PF-side settings are not those of a fresh VF (%s), "
	    "as another tool or a failed teardown leaves them; the next pod whose config does "
	    "not set them gets them. Reset: ip link set %s vf %u%s",
	    vf->index, ESC(pf->name), what, ESC(pf->name), vf->index, fix);
}

static void owner_text(const struct vf_record *rec, char *buf, size_t len)
{
	snprintf(buf, len, "network %s, container %s, interface %s", rec->network,
		 rec->container_id, ESC(rec->ifname));
}

static void vf_rules(struct out *o, const struct doctor_report *r, const struct doctor_vf *vf)
{
	const struct doctor_pf *pf = &r->pfs[vf->pf];
	const struct doctor_record *d = vf->owner >= 0 ? &r->records[vf->owner] : NULL;
	bool kernel_driver = vf->driver[0] && !vf_userspace_driver(vf->driver);
	char owner[1024];

	if (d) {
		owner_text(&d->rec, owner, sizeof(owner));
		if (d->netns == DOCTOR_NETNS_GONE)
			add(o, "stale-owner", vf->pci,
			    "VF %u of %s belongs to %s, whose netns %s is gone: the pod ended "
			    "without a CNI DEL, and the VF keeps its settings. The runtime's DEL or "
			    "GC gives it back and releases the lease, and the next ADD of this VF "
			    "reclaims it; if the pod is still listed, remove its sandbox (crictl rmp) "
			    "so that DEL runs",
			    vf->index, ESC(pf_label(pf)), owner,
			    d->rec.netns[0] ? ESC(d->rec.netns) : "(none recorded)");
		else if (d->pod == DOCTOR_POD_LACKS_VF && !vf->locked)
			add(o, "vf-not-in-pod", vf->pci,
			    "VF %u of %s belongs to %s, whose netns %s exists, but the VF is %s%s: "
			    "the pod has lost its interface. Delete the pod: its DEL brings the VF "
			    "home",
			    vf->index, ESC(pf_label(pf)), owner, ESC(d->rec.netns),
			    vf->netdev[0] ? "in the host as " : "not in it",
			    vf->netdev[0] ? ESC(vf->netdev) : "");
	} else if (vf->other_netns[0] && vf->other_netns_state != DOCTOR_NETNS_GONE) {
		add(o, "untracked-vf", vf->pci,
		    "VF %u of %s is attached by sriov-cni (its allocation record names netns %s, "
		    "which exists), not by sriov: only sriov-cni's DEL restores it; drain the node "
		    "before switching plugins",
		    vf->index, ESC(pf_label(pf)), ESC(vf->other_netns));
	} else if (kernel_driver && !vf->netdev[0] && !vf->locked) {
		add(o, "untracked-vf", vf->pci,
		    "VF %u of %s has its netdev in another network namespace, and sriov has no "
		    "record of it: another plugin or a person moved it there, so sriov's DEL will "
		    "not give it back; that plugin's DEL, or the end of that namespace, returns it",
		    vf->index, ESC(pf_label(pf)));
	} else if (!vf->locked) {
		if (vf->has_info && pf->name[0])
			dirty_rule(o, vf, pf);
		if (vf->netdev[0] && doctor_leftover_name(vf->netdev))
			add(o, "leftover-netdev", vf->pci,
			    "VF %u of %s has no owner but is in the host as %s, a name a pod or a "
			    "recovery gave it: a netns died without a DEL that renamed it back, or "
			    "its record was damaged. Its original name is not known; give it the "
			    "name the node expects: ip link set dev %s down; ip link set dev %s name "
			    "NAME",
			    vf->index, ESC(pf_label(pf)), ESC(vf->netdev), ESC(vf->netdev),
			    ESC(vf->netdev));
	}
	if (!vf->driver[0])
		add(o, "vf-no-driver", vf->pci,
		    "VF %u of %s is bound to no driver: it has neither a netdev nor a userspace "
		    "device, so ADD fails on it. Bind it: echo %s > /sys/bus/pci/drivers_probe (or "
		    "bind vfio-pci for DPDK)",
		    vf->index, ESC(pf_label(pf)), vf->pci);
	if (strcmp(vf->driver, "vfio-pci") == 0 && (r->iommu_groups == 0 || !vf->iommu_group))
		add(o, "iommu-off", vf->pci,
		    "VF %u of %s is bound to vfio-pci, but %s: vfio cannot hand it to a DPDK pod "
		    "safely (only in no-IOMMU mode, if at all). Enable VT-d or AMD-Vi in the "
		    "firmware and boot with intel_iommu=on iommu=pt (AMD: amd_iommu=on)",
		    vf->index, ESC(pf_label(pf)),
		    r->iommu_groups == 0 ? "the kernel has no IOMMU groups" :
					   "it is in no IOMMU group");
}

static void record_rules(struct out *o, const struct doctor_report *r,
			 const struct doctor_record *d)
{
	char owner[1024];

	if (d->vf >= 0)
		return;
	owner_text(&d->rec, owner, sizeof(owner));
	if (!d->device_exists)
		add(o, "missing-vf", d->rec.pci,
		    "the record of VF %s (%s) names a PCI device that no longer exists: the VFs "
		    "were removed or re-created (sriov_numvfs changed). The owner's DEL or CNI GC "
		    "releases its lease and drops the record; if that pod is gone for good, delete "
		    "%s/vf/%s.json",
		    d->rec.pci, owner, ESC(r->state_dir), d->rec.pci);
	else
		add(o, "missing-vf", d->rec.pci,
		    "the record of VF %s (%s) names a PCI device that is not a VF now: the VFs "
		    "were re-created or the record is wrong. Make sure no pod uses %s, then delete "
		    "%s/vf/%s.json",
		    d->rec.pci, owner, d->rec.pci, ESC(r->state_dir), d->rec.pci);
}

static void bad_rules(struct out *o, const struct doctor_report *r,
		      const struct doctor_bad_record *b)
{
	char when[64] = "earlier";

	if (!b->quarantined && strcmp(b->file, "vf") == 0) {
		add(o, "corrupt-record", "",
		    "%s/vf %s: every ADD and DEL fails until it is a directory; move it away (sriov "
		    "creates it again)",
		    ESC(r->state_dir), b->why);
		return;
	}
	if (!b->quarantined) {
		add(o, "corrupt-record", b->pci,
		    "%s/%s %s: the next ADD or DEL of VF %s moves it to %s/ and takes the VF as it "
		    "is (its original name and settings were in the record); read it first if "
		    "they matter",
		    ESC(r->state_dir), b->file, b->why, b->pci, STATE_QUARANTINE_DIR);
		return;
	}
	if (b->since > 0) {
		time_t t = (time_t)b->since;
		struct tm tm;

		if (gmtime_r(&t, &tm))
			strftime(when, sizeof(when), "on %Y-%m-%d at %H:%M:%S UTC", &tm);
	}
	add(o, "quarantined-record", b->pci,
	    "%s/%s: a damaged record%s%s, set aside %s. The VF may still carry settings or a name "
	    "a pod gave it (see its line); check it, then delete the file",
	    ESC(r->state_dir), b->file, b->pci[0] ? " of VF " : "", b->pci, when);
}

static void lock_rules(struct out *o, const struct doctor_lock *l)
{
	if (l->pid <= 0 || l->seconds <= DOCTOR_LOCK_STUCK_S)
		return;
	add(o, "lock-held", l->pci,
	    "the %s lock of %s has been held for %lld s by pid %d (%s), longer than the %d s "
	    "other calls wait for it: ADD and DEL on this %s fail with code 11 meanwhile. If that "
	    "process hangs (cat /proc/%d/stack), end it; its record lets the next DEL finish",
	    l->kind, l->pci, l->seconds, l->pid, l->comm[0] ? l->comm : "?", DOCTOR_LOCK_STUCK_S,
	    strcmp(l->kind, "vf") == 0 ? "VF" : "PF", l->pid);
}

/*
 * The largest VF index in "#1,3,5-9" after @sel's '#', -1 when there is none or it is
 * malformed (a number that does not fit counts as malformed, as Go's strconv.Atoi fails).
 */
static long max_index(const char *sel)
{
	const char *p = strchr(sel, '#');
	long max = -1;

	if (!p)
		return -1;
	for (p++; *p;) {
		char *end;
		long a, b;

		errno = 0;
		a = b = strtol(p, &end, 10);
		if (end == p || a < 0 || errno)
			return -1;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || b < a || errno)
				return -1;
		}
		if (*end && *end != ',')
			return -1;
		max = b > max ? b : max;
		p = *end ? end + 1 : end;
	}
	return max;
}

static void dp_numvfs_rule(struct out *o, const struct doctor_report *r, const char *res,
			   char **list, bool by_name)
{
	for (char **s = list; s && *s; s++) {
		long max = max_index(*s);
		size_t n = strcspn(*s, "#");

		if (max < 0)
			continue;
		for (size_t p = 0; p < r->n_pfs; p++) {
			const struct doctor_pf *pf = &r->pfs[p];
			const char *key = by_name ? pf->name : pf->pci;

			if (!key[0] || strlen(key) != n || strncasecmp(key, *s, n) != 0 ||
			    max < pf->numvfs)
				continue;
			if (max >= pf->totalvfs)
				add(o, "numvfs-mismatch", pf->pci,
				    "device plugin resource %s selects \"%s\", VFs up to %ld of %s, but "
				    "%s can have at most %d VFs: change the selector",
				    ESC(res), ESC(*s), max, ESC(pf_label(pf)), ESC(pf_label(pf)),
				    pf->totalvfs);
			else
				add(o, "numvfs-mismatch", pf->pci,
				    "device plugin resource %s selects \"%s\", VFs up to %ld of %s, but "
				    "%s has sriov_numvfs %d: set it to at least %ld, or change the "
				    "selector",
				    ESC(res), ESC(*s), max, ESC(pf_label(pf)), ESC(pf_label(pf)),
				    pf->numvfs, max + 1);
		}
	}
}

static void dp_rules(struct out *o, const struct doctor_report *r)
{
	for (size_t i = 0; r->dp && i < r->dp->n_resources; i++) {
		const struct doctor_dp_resource *res = &r->dp->resources[i];
		char seen[256] = "";
		size_t matched = 0, w = 0;

		for (size_t s = 0; s < res->n_selectors; s++) {
			dp_numvfs_rule(o, r, res->name, res->selectors[s].pf_names, true);
			dp_numvfs_rule(o, r, res->name, res->selectors[s].root_devices, false);
			for (size_t v = 0; v < r->n_vfs; v++)
				matched += doctor_dp_selects(&res->selectors[s], &r->vfs[v],
							     &r->pfs[r->vfs[v].pf]);
		}
		if (matched || !r->n_vfs)
			continue;
		/* Which vendor:device and driver pairs are here, to compare with the selectors. */
		for (size_t v = 0; v < r->n_vfs && w < sizeof(seen) - 64; v++) {
			char pair[96];

			snprintf(pair, sizeof(pair), "%s %s", r->vfs[v].id,
				 r->vfs[v].driver[0] ? r->vfs[v].driver : "(no driver)");
			if (!strstr(seen, pair))
				w += (size_t)snprintf(seen + w, sizeof(seen) - w, "%s%s",
						      w ? ", " : "", pair);
		}
		add(o, "dp-no-match", "",
		    "device plugin resource %s selects none of the %zu VFs here, so it advertises 0 "
		    "and pods that request it stay Pending: its vendors, devices, drivers, pfNames "
		    "or rootDevices do not match what this node has (%s)",
		    ESC(res->name), r->n_vfs, seen);
	}
}

int doctor_diagnose(struct doctor_report *r)
{
	struct out o = { .r = r };

	free(r->problems);
	r->problems = NULL;
	r->n_problems = 0;
	if (!r->n_pfs)
		add(&o, "no-pf", "",
		    "no SR-IOV capable network PF on this node (lspci -v shows \"Single Root I/O "
		    "Virtualization\" for one): enable SR-IOV and VT-d or AMD-Vi in the firmware, "
		    "and check that the NIC's driver is loaded");
	for (size_t i = 0; i < r->n_pfs; i++)
		pf_rules(&o, &r->pfs[i]);
	for (size_t i = 0; i < r->n_vfs; i++)
		vf_rules(&o, r, &r->vfs[i]);
	for (size_t i = 0; i < r->n_records; i++)
		record_rules(&o, r, &r->records[i]);
	for (size_t i = 0; i < r->n_bad; i++)
		bad_rules(&o, r, &r->bad[i]);
	for (size_t i = 0; i < r->n_locks; i++)
		lock_rules(&o, &r->locks[i]);
	dp_rules(&o, r);
	return o.err ? o.err : (int)r->n_problems;
}
