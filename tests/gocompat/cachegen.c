/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cachegen.c: write the sriov-cni cache that sriov's ADD would write for each config given,
 * with a fixed VF snapshot, into OUTDIR/<config's file name>; read each back with our own
 * parser and compare OrigVfState. test_corpus.sh then has the Go side (cachecheck) read them.
 *
 *	cachegen OUTDIR CONFIG...
 *
 * A config without deviceID gets one (Multus injects it); one that does not validate is
 * skipped and named. Exit 1 when a cache cannot be written or does not read back.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/json.h"
#include "sriov/sriovcni.h"

static char *slurp(const char *path, size_t *ret_len)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = calloc(1, CONF_MAX_INPUT + 1);
	if (!buf)
		return NULL;
	n = fread(buf, 1, CONF_MAX_INPUT, f);
	*ret_len = n;
	return buf;
}

/* The VF as a snapshot might find it: netdev ens1f0v3, its own MAC echoed in the PF table. */
static struct vf_record snapshot(bool dpdk, bool pinned)
{
	struct vf_record r = { 0 };

	snprintf(r.network, sizeof(r.network), "net");
	snprintf(r.container_id, sizeof(r.container_id), "cid-1");
	snprintf(r.ifname, sizeof(r.ifname), "net1");
	snprintf(r.netns, sizeof(r.netns), "/var/run/netns/pod");
	snprintf(r.pci, sizeof(r.pci), "0000:3b:02.3");
	snprintf(r.pf_name, sizeof(r.pf_name), "ens1f0");
	r.vf = 3;
	r.dpdk = dpdk;
	r.orig = (struct vf_info){ .vf = 3,
				   .mac = { 0x5a, 0x1b, 0, 0, 0, 3 },
				   .vlan_proto = 0x8100,
				   .spoofchk = 1,
				   .trust = 0,
				   .link_state = 0 };
	if (pinned)
		r.orig.mac[5] = 0x33;
	if (!dpdk) {
		snprintf(r.orig_name, sizeof(r.orig_name), "ens1f0v3");
		memcpy(r.orig_mac, (uint8_t[]){ 0x5a, 0x1b, 0, 0, 0, 3 }, 6);
		r.orig_mtu = 1500;
	}
	return r;
}

static int one(const char *outdir, const char *path, int variant)
{
	static const struct cni_env env = { .cmd = CNI_CMD_ADD,
					    .container_id = "cid-1",
					    .ifname = "net1",
					    .netns = "/var/run/netns/pod" };
	_cleanup_free_ char *text = NULL, *fixed = NULL, *cache = NULL;
	_cleanup_cjson_ cJSON *parsed = NULL;
	_cleanup_fclose_ FILE *out = NULL;
	struct cni_err err = { 0 };
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct vf_record rec = snapshot(variant == 1, variant == 2);
	struct sriovcni_cache back;
	char name[4096], base[1024];
	size_t len = 0;

	text = slurp(path, &len);
	parsed = text ? cJSON_ParseWithLength(text, len) : NULL;
	if (!cJSON_IsObject(parsed)) {
		printf("skip %s: not a JSON object\n", path);
		return 0;
	}
	if (!json_get(parsed, "deviceID"))
		cJSON_AddStringToObject(parsed, "deviceID", rec.pci);
	fixed = cJSON_PrintUnformatted(parsed);
	if (!fixed || conf_parse(fixed, strlen(fixed), &env, &c, &err) < 0) {
		printf("skip %s: %s\n", path, err.msg);
		return 0;
	}
	snprintf(rec.network, sizeof(rec.network), "%s", c.name);
	cache = sriovcni_cache_format(&c, &rec, rec.dpdk ? 9000 : rec.orig_mtu);
	if (!cache) {
		fprintf(stderr, "%s: cannot format\n", path);
		return -1;
	}
	snprintf(base, sizeof(base), "%s", path);
	snprintf(name, sizeof(name), "%s/%d-%s", outdir, variant, basename(base));
	out = fopen(name, "we");
	if (!out || fputs(cache, out) == EOF) {
		fprintf(stderr, "%s: %s\n", name, strerror(errno));
		return -1;
	}
	if (sriovcni_cache_parse(cache, strlen(cache), &back) < 0 ||
	    strcmp(back.device_id, rec.pci) != 0 || back.vlan != 0 || back.vlan_proto != 0x8100 ||
	    !back.spoofchk || back.trust || !back.has_trust ||
	    strcmp(back.host_ifname, rec.orig_name) != 0 || back.mtu != rec.orig_mtu ||
	    /* a DPDK VF's table MAC is its only one; a netdev's own MAC echoed there is no pin */
	    back.admin_mac[5] != (variant == 2 ? 0x33 :
				  variant == 1 ? 0x03 :
						 0) ||
	    back.has_effective_mac != !rec.dpdk) {
		fprintf(stderr, "%s: does not read back as written: %s\n", name, cache);
		return -1;
	}
	printf("wrote %s\n", name);
	return 0;
}

int main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: cachegen OUTDIR CONFIG...\n");
		return 2;
	}
	for (int i = 2; i < argc; i++)
		for (int variant = 0; variant < 3; variant++)
			if (one(argv[1], argv[i], variant) < 0)
				bad++;
	return bad ? 1 : 0;
}
