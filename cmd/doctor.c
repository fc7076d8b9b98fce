/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor.c: "sriov doctor [--json] [--dp-config FILE]": the node's PFs and VFs, who holds each
 * VF, and the problems found (lib/doctor*.c), as a table for people or as JSON for tools.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/doctor.h"
#include "sriov/json.h"
#include "sriov/text.h"

#include "cli.h"

#define DP_CONFIG_MAX (1024 * 1024)

/* Anything read from sysfs or a record, made printable (\xNN for control and non-UTF-8). */
static const char *clean(const char *s, char *buf, size_t size)
{
	return text_escape(s, SIZE_MAX, size / 4 - 8, false, buf, size);
}
#define CLEAN(s) clean((s), (char[4096]){ 0 }, 4096)

static const char *onoff(int v)
{
	return v < 0 ? "?" : v ? "on" : "off";
}

static const char *link_state_name(int v)
{
	static const char *const names[] = { "auto", "enable", "disable" };

	return v >= 0 && v <= 2 ? names[v] : "?";
}

static const char *netns_state_name(enum doctor_netns s)
{
	return s == DOCTOR_NETNS_ALIVE ? "alive" : s == DOCTOR_NETNS_GONE ? "gone" : "unknown";
}

static const char *pf_of(const struct doctor_report *r, const struct doctor_vf *vf)
{
	const struct doctor_pf *pf = &r->pfs[vf->pf];

	return pf->name[0] ? pf->name : pf->pci;
}

/* ---- JSON ---------------------------------------------------------------------------------- */

static cJSON *str_or_null(const char *s)
{
	return s && *s ? cJSON_CreateString(CLEAN(s)) : cJSON_CreateNull();
}

static cJSON *tri(int v)
{
	return v < 0 ? cJSON_CreateNull() : cJSON_CreateBool(v);
}

static cJSON *owner_json(const struct doctor_record *d)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddItemToObject(o, "network", str_or_null(d->rec.network));
	cJSON_AddItemToObject(o, "containerID", str_or_null(d->rec.container_id));
	cJSON_AddItemToObject(o, "ifname", str_or_null(d->rec.ifname));
	cJSON_AddItemToObject(o, "netns", str_or_null(d->rec.netns));
	cJSON_AddStringToObject(o, "netns_state", netns_state_name(d->netns));
	return o;
}

static cJSON *vf_json(const struct doctor_report *r, const struct doctor_vf *vf)
{
	const struct vf_info *i = &vf->info;
	cJSON *o = cJSON_CreateObject();
	char mac[18];

	if (!o)
		return NULL;
	cJSON_AddItemToObject(o, "pci", str_or_null(vf->pci));
	cJSON_AddItemToObject(o, "pf", str_or_null(pf_of(r, vf)));
	cJSON_AddNumberToObject(o, "vf", vf->index);
	cJSON_AddItemToObject(o, "driver", str_or_null(vf->driver));
	cJSON_AddItemToObject(o, "device", str_or_null(vf->id));
	cJSON_AddItemToObject(o, "netdev", str_or_null(vf->netdev));
	if (vf->has_info) {
		cJSON_AddStringToObject(o, "mac", conf_mac_str(i->mac, mac));
		cJSON_AddNumberToObject(o, "vlan", i->vlan);
		cJSON_AddNumberToObject(o, "qos", i->qos);
		cJSON_AddStringToObject(o, "vlan_proto",
					i->vlan_proto == 0x88a8 ? "802.1ad" : "802.1Q");
		cJSON_AddItemToObject(o, "spoofchk", tri(i->spoofchk));
		cJSON_AddItemToObject(o, "trust", tri(i->trust));
		cJSON_AddItemToObject(o, "link_state",
				      i->link_state < 0 ?
					      cJSON_CreateNull() :
					      cJSON_CreateString(link_state_name(i->link_state)));
		cJSON_AddNumberToObject(o, "min_tx_rate", i->min_tx_rate);
		cJSON_AddNumberToObject(o, "max_tx_rate", i->max_tx_rate);
	} else {
		/* The PF did not report this VF: the settings are unknown, not zero. */
		static const char *const keys[] = { "mac",	  "vlan",	 "qos",
						    "vlan_proto", "spoofchk",	 "trust",
						    "link_state", "min_tx_rate", "max_tx_rate" };

		for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
			cJSON_AddNullToObject(o, keys[k]);
	}
	cJSON_AddBoolToObject(o, "iommu_group", vf->iommu_group);
	cJSON_AddItemToObject(o, "owner",
			      vf->owner >= 0 ? owner_json(&r->records[vf->owner]) :
					       cJSON_CreateNull());
	return o;
}

static cJSON *report_json(const struct doctor_report *r)
{
	_cleanup_cjson_ cJSON *root = cJSON_CreateObject();
	cJSON *pfs, *vfs, *locks, *problems;

	if (!root || !(pfs = cJSON_AddArrayToObject(root, "pfs")) ||
	    !(vfs = cJSON_AddArrayToObject(root, "vfs")) ||
	    !(problems = cJSON_AddArrayToObject(root, "problems")) ||
	    !(locks = cJSON_AddArrayToObject(root, "locks")))
		return NULL;
	for (size_t i = 0; i < r->n_pfs; i++) {
		const struct doctor_pf *pf = &r->pfs[i];
		cJSON *o = cJSON_CreateObject();

		if (!o)
			return NULL;
		cJSON_AddItemToArray(pfs, o);
		cJSON_AddItemToObject(o, "name", str_or_null(pf->name));
		cJSON_AddItemToObject(o, "pci", str_or_null(pf->pci));
		cJSON_AddItemToObject(o, "driver", str_or_null(pf->driver));
		cJSON_AddItemToObject(o, "device", str_or_null(pf->id));
		cJSON_AddNumberToObject(o, "totalvfs", pf->totalvfs);
		cJSON_AddNumberToObject(o, "numvfs", pf->numvfs);
		cJSON_AddItemToObject(
			o, "up", pf->link_known ? cJSON_CreateBool(pf->up) : cJSON_CreateNull());
		cJSON_AddItemToObject(o, "carrier",
				      pf->link_known ? cJSON_CreateBool(pf->carrier) :
						       cJSON_CreateNull());
	}
	for (size_t i = 0; i < r->n_vfs; i++) {
		cJSON *o = vf_json(r, &r->vfs[i]);

		if (!o)
			return NULL;
		cJSON_AddItemToArray(vfs, o);
	}
	for (size_t i = 0; i < r->n_problems; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o)
			return NULL;
		cJSON_AddItemToArray(problems, o);
		cJSON_AddStringToObject(o, "kind", r->problems[i].kind);
		cJSON_AddItemToObject(o, "pci", str_or_null(r->problems[i].pci));
		cJSON_AddItemToObject(o, "message", str_or_null(r->problems[i].message));
	}
	for (size_t i = 0; i < r->n_locks; i++) {
		const struct doctor_lock *l = &r->locks[i];
		cJSON *o = cJSON_CreateObject();

		if (!o)
			return NULL;
		cJSON_AddItemToArray(locks, o);
		cJSON_AddStringToObject(o, "kind", l->kind);
		cJSON_AddStringToObject(o, "pci", l->pci);
		cJSON_AddItemToObject(o, "pid",
				      l->pid > 0 ? cJSON_CreateNumber(l->pid) : cJSON_CreateNull());
		cJSON_AddItemToObject(o, "comm", str_or_null(l->comm));
		cJSON_AddItemToObject(o, "seconds",
				      l->seconds >= 0 ? cJSON_CreateNumber((double)l->seconds) :
							cJSON_CreateNull());
		cJSON_AddNumberToObject(o, "waiters", l->waiters);
	}
	cJSON_AddNumberToObject(root, "iommu_groups", r->iommu_groups);
	cJSON_AddStringToObject(root, "state_dir", CLEAN(r->state_dir));
	return TAKE_PTR(root);
}

/* ---- the table ----------------------------------------------------------------------------- */

#define COLS_MAX 13
#define CELL 160

struct table {
	char (*cells)[COLS_MAX][CELL];
	size_t rows, cap, cols;
	int width[COLS_MAX];
};

static int table_row(struct table *t, ...)
{
	va_list ap;

	if (t->rows == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 16;
		void *n = reallocarray(t->cells, c, sizeof(*t->cells));

		if (!n)
			return -ENOMEM;
		t->cells = n;
		t->cap = c;
	}
	va_start(ap, t);
	for (size_t c = 0; c < t->cols; c++) {
		const char *s = va_arg(ap, const char *);
		char *cell = t->cells[t->rows][c];
		int w;

		/* Only printable ASCII reaches the terminal: no escape sequences from a name. */
		w = 0;
		for (const unsigned char *p = (const unsigned char *)(s && *s ? s : "-");
		     *p && w < CELL - 5; p++)
			w += *p >= 0x20 && *p < 0x7f ? snprintf(cell + w, 2, "%c", *p) :
						       snprintf(cell + w, 5, "\\x%02x", *p);
		if (w > t->width[c])
			t->width[c] = w;
	}
	va_end(ap);
	t->rows++;
	return 0;
}

static void table_print(const struct table *t)
{
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t c = 0; c < t->cols; c++) {
			if (c + 1 == t->cols)
				printf("%s\n", t->cells[r][c]);
			else
				printf("%-*s  ", t->width[c], t->cells[r][c]);
		}
	}
}

static const char *pf_link(const struct doctor_pf *pf)
{
	if (!pf->link_known)
		return "?";
	return !pf->up ? "down" : !pf->carrier ? "no-carrier" : "up";
}

static int print_table(const struct doctor_report *r)
{
	struct table pft = { .cols = 6 }, vft = { .cols = 13 };
	int ret = 0;

	ret |= table_row(&pft, "PF", "PCI", "DRIVER", "DEVICE", "VFS", "LINK");
	for (size_t i = 0; i < r->n_pfs; i++) {
		const struct doctor_pf *pf = &r->pfs[i];
		char vfs[32];

		snprintf(vfs, sizeof(vfs), "%d/%d", pf->numvfs, pf->totalvfs);
		ret |= table_row(&pft, pf->name, pf->pci, pf->driver, pf->id, vfs, pf_link(pf));
	}
	ret |= table_row(&vft, "PF", "VF", "PCI", "DRIVER", "NETDEV", "MAC", "VLAN", "QOS",
			 "SPOOFCHK", "TRUST", "LINK", "RATE", "OWNER");
	for (size_t i = 0; i < r->n_vfs; i++) {
		const struct doctor_vf *vf = &r->vfs[i];
		const struct vf_info *in = &vf->info;
		const char *mac = "?", *spoofchk = "?", *trust = "?", *link = "?";
		char idx[16], macbuf[18], vlan[16] = "?", qos[16] = "?", rate[32] = "?";
		char owner[CNI_ID_MAX * 2 + 64] = "-";

		snprintf(idx, sizeof(idx), "%u", vf->index);
		if (vf->has_info) {
			static const uint8_t zero[6];

			mac = memcmp(in->mac, zero, 6) == 0 ? "-" : conf_mac_str(in->mac, macbuf);
			snprintf(vlan, sizeof(vlan), "%u%s", in->vlan,
				 in->vlan_proto == 0x88a8 ? "/ad" : "");
			snprintf(qos, sizeof(qos), "%u", in->qos);
			spoofchk = onoff(in->spoofchk);
			trust = onoff(in->trust);
			link = link_state_name(in->link_state);
			snprintf(rate, sizeof(rate), "%u/%u", in->min_tx_rate, in->max_tx_rate);
		}
		if (vf->owner >= 0) {
			const struct doctor_record *d = &r->records[vf->owner];

			/* Container IDs are 64 hex digits: the first 12 tell them apart, as crictl does. */
			snprintf(owner, sizeof(owner), "%s/%.12s/%s%s", d->rec.network,
				 d->rec.container_id, d->rec.ifname,
				 d->netns == DOCTOR_NETNS_GONE ? " (netns gone)" : "");
		} else if (vf->other_netns[0] && vf->other_netns_state != DOCTOR_NETNS_GONE) {
			snprintf(owner, sizeof(owner), "(sriov-cni)");
		}
		ret |= table_row(&vft, pf_of(r, vf), idx, vf->pci, vf->driver, vf->netdev, mac,
				 vlan, qos, spoofchk, trust, link, rate, owner);
	}
	if (ret == 0 && r->n_pfs) {
		table_print(&pft);
		putchar('\n');
		table_print(&vft);
		putchar('\n');
	}
	if (ret == 0) {
		if (!r->n_problems)
			printf("no problems found\n");
		else
			printf("%zu problem%s:\n", r->n_problems, r->n_problems == 1 ? "" : "s");
		for (size_t i = 0; i < r->n_problems; i++) {
			const struct doctor_problem *p = &r->problems[i];

			printf("%s%s%s: ", p->kind, p->pci[0] ? " " : "", p->pci);
			cli_put_clean(stdout, p->message);
			putchar('\n');
		}
	}
	free(pft.cells);
	free(vft.cells);
	return ret ? -ENOMEM : 0;
}

/* ---- the command --------------------------------------------------------------------------- */

static void doctor_usage(FILE *f)
{
	fputs("usage: sriov doctor [--json] [--dp-config FILE|-]\n"
	      "Shows the SR-IOV PFs and VFs of this node, who holds each VF, and the problems\n"
	      "found, each with what to do. Exit status 0: no problem, 1: problems, 2: cannot run.\n",
	      f);
}

int doctor_main(int argc, char **argv)
{
	_cleanup_free_ char *dp_text = NULL;
	struct doctor_report r = { 0 };
	struct doctor_dp *dp = NULL;
	struct cni_err err = { 0 };
	const char *dp_path = NULL;
	bool json = false;
	int n, ret;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--dp-config") == 0 && i + 1 < argc) {
			dp_path = argv[++i];
		} else if (strncmp(argv[i], "--dp-config=", 12) == 0) {
			dp_path = argv[i] + 12;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			doctor_usage(stdout);
			return CLI_OK;
		} else {
			fputs("sriov doctor: unknown argument \"", stderr);
			cli_put_clean(stderr, argv[i]);
			fputs("\"\n", stderr);
			doctor_usage(stderr);
			return CLI_USAGE;
		}
	}
	if (dp_path) {
		char why[256];
		size_t len;

		ret = cli_read_file(dp_path, DP_CONFIG_MAX, &dp_text, &len, why, sizeof(why));
		if (ret == 0)
			ret = doctor_dp_parse(dp_text, len, &dp, &err);
		else
			snprintf(err.msg, sizeof(err.msg), "%s", why);
		if (ret < 0) {
			fputs("sriov doctor: --dp-config ", stderr);
			cli_put_clean(stderr, dp_path);
			fputs(": ", stderr);
			cli_put_clean(stderr, err.msg);
			fputc('\n', stderr);
			return CLI_USAGE;
		}
	}
	ret = doctor_gather(&r, &err);
	if (ret < 0) {
		fputs("sriov doctor: ", stderr);
		cli_put_clean(stderr, err.msg);
		fputs(ret == -EACCES || ret == -EPERM ? " (run it as root)\n" : "\n", stderr);
		doctor_report_free(&r);
		doctor_dp_free(dp);
		return CLI_USAGE;
	}
	r.dp = dp;
	n = doctor_diagnose(&r);
	if (n >= 0 && json) {
		cJSON *j = report_json(&r);

		ret = j ? json_print(stdout, j) : -ENOMEM;
		cJSON_Delete(j);
	} else if (n >= 0) {
		ret = print_table(&r);
	}
	if (n >= 0 && ret == 0 && fflush(stdout) != 0)
		ret = -EIO;
	doctor_report_free(&r);
	doctor_dp_free(dp);
	if (n < 0 || ret < 0) {
		fprintf(stderr, "sriov doctor: %s\n", strerror(n < 0 ? -n : -ret));
		return CLI_USAGE;
	}
	return n > 0 ? CLI_INVALID : CLI_OK;
}
