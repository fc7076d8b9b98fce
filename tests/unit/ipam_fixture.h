/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_fixture.h: the fixture of the embedded host-local's unit tests (test_ipam.c,
 * test_ipam_store.c): a temporary dataDir and state dir, a config, and ADD/DEL/CHECK calls.
 * Include after cmocka.h.
 */
#ifndef SRIOV_TEST_IPAM_FIXTURE_H
#define SRIOV_TEST_IPAM_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sriov/ipam.h"
#include "sriov/ipam_parse.h"
#include "../../ipam/ipam_int.h"

struct fixture {
	char dir[64]; /* temporary root */
	const char *roots[2]; /* where dataDir may be: the temporary root */
	char data[128]; /* dataDir */
	char state[128]; /* state dir (index) */
	char text[8192]; /* config text */
	cJSON *conf;
	struct ipam_request req;
	struct cni_result res;
	struct cni_err err;
};

/* The ipam section of f->conf, parsed once as conf_parse() parses it for the plugin. */
static inline const struct ipam_conf *section(struct fixture *f, const char *version,
					      const char *args)
{
	static struct ipam_conf s;

	assert_int_equal(ipam_section_parse(f->conf, version, args, &s, &f->err), 0);
	return &s;
}

static inline int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_ipam.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->data, sizeof(f->data), "%s/data", f->dir);
	snprintf(f->state, sizeof(f->state), "%s/state", f->dir);
	f->roots[0] = f->dir;
	*state = f;
	return 0;
}

static inline int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[256];

	if (f->conf)
		cJSON_Delete(f->conf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Config with @ipam_members inside ipam (dataDir added) and @top extra top-level members. */
static inline void conf_set(struct fixture *f, const char *version, const char *ipam_members,
			    const char *top)
{
	snprintf(f->text, sizeof(f->text),
		 "{\"cniVersion\":\"%s\",\"name\":\"net1\",%s%s\"ipam\":{\"type\":\"host-local\","
		 "\"dataDir\":\"%s\"%s%s}}",
		 version, top ? top : "", top ? "," : "", f->data, ipam_members[0] ? "," : "",
		 ipam_members);
	if (f->conf)
		cJSON_Delete(f->conf);
	f->conf = cJSON_Parse(f->text);
	assert_non_null(f->conf);
	memset(&f->req, 0, sizeof(f->req));
	f->req.cni_version = version;
	f->req.network = "net1";
	f->req.container_id = "ctr1";
	f->req.ifname = "eth0";
	f->req.conf = section(f, version, NULL);
	f->req.conf_text = f->text;
	f->req.conf_len = strlen(f->text);
	f->req.cni_path = "/nonexistent";
	f->req.data_roots = f->roots;
}

static inline int add(struct fixture *f, const char *id, const char *ifname, char *ips, size_t size)
{
	int r;

	f->req.container_id = id;
	f->req.ifname = ifname;
	memset(&f->res, 0, sizeof(f->res));
	err_clear(&f->err);
	r = ipam_add(&f->req, &f->res, &f->err);
	if (ips) {
		size_t o = 0;

		ips[0] = '\0';
		for (int i = 0; r == 0 && i < f->res.n_ips; i++) {
			char a[IPPREFIX_STRLEN], g[IPADDR_STRLEN];

			o += (size_t)snprintf(ips + o, size - o, "%s%s(%s)", i ? " " : "",
					      ipprefix_str(&f->res.ips[i].address, a),
					      ipaddr_str(&f->res.ips[i].gateway, g));
			assert_int_equal(f->res.ips[i].iface, -1);
		}
	}
	return r;
}

static inline int del(struct fixture *f, const char *id, const char *ifname)
{
	f->req.container_id = id;
	f->req.ifname = ifname;
	err_clear(&f->err);
	return ipam_del(&f->req, &f->err);
}

/* GC as the runtime calls it: no attachment of its own, the list @valid[0..@n). */
static inline int gc(struct fixture *f, const struct ipam_attachment *valid, size_t n)
{
	f->req.container_id = f->req.ifname = NULL;
	f->req.valid = valid;
	f->req.n_valid = n;
	err_clear(&f->err);
	return ipam_gc(&f->req, &f->err);
}

static inline int check(struct fixture *f, const char *id, const char *ifname)
{
	f->req.container_id = id;
	f->req.ifname = ifname;
	err_clear(&f->err);
	return ipam_check(&f->req, &f->err);
}

static inline void read_file(const char *path, char *buf, size_t size)
{
	FILE *fp = fopen(path, "re");
	size_t n;

	assert_non_null(fp);
	n = fread(buf, 1, size - 1, fp);
	buf[n] = '\0';
	fclose(fp);
}

static inline void write_file(const char *path, const char *content)
{
	FILE *fp = fopen(path, "we");

	assert_non_null(fp);
	fputs(content, fp);
	fclose(fp);
}

static inline bool exists(struct fixture *f, const char *name)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/net1/%s", f->data, name);
	return access(p, F_OK) == 0;
}

#endif
