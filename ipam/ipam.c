/* SPDX-License-Identifier: Apache-2.0 */
/* ipam.c: the ipam.h verbs: embedded host-local (ADD/DEL/CHECK/GC/STATUS) or a delegate. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "ipam_int.h"

#define HOST_LOCAL "host-local"
#define SELF_TYPE "sriov"

static int check_attachment(const struct ipam_request *req, struct cni_err *err)
{
	if (!ipam_name_valid(req->network))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "invalid characters found in network name");
	if (!ipam_name_valid(req->container_id))
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
			       "invalid characters in containerID");
	if (!ipam_ifname_valid(req->ifname))
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "invalid interface name");
	return 0;
}

/*
 * The type, and for host-local its config as conf_parse() read it (or the error it gave
 * there). Nothing is parsed here: the section was parsed once, with the rest of the config.
 */
static int load(const struct ipam_request *req, const char **ret_type, const struct ipam_conf **ret,
		struct cni_err *err)
{
	static const struct ipam_conf none;
	const struct ipam_conf *c = req->conf ? req->conf : &none;
	int r;

	*ret = NULL;
	*ret_type = c->type;
	/* Running ourselves as IPAM would recurse (or wait on our own VF lock): refuse it. */
	if (strcmp(c->type, SELF_TYPE) == 0) {
		r = err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			    "ipam.type: \"%s\" is this plugin itself, not an IPAM plugin", c->type);
		err_details(err, "ipam.type");
		return r;
	}
	if (strcmp(c->type, HOST_LOCAL) != 0)
		return 0;
	if (c->parse_r < 0) {
		*err = c->parse_err;
		return c->parse_r;
	}
	*ret = c;
	return 0;
}

int ipam_validate(const struct ipam_request *req, struct cni_err *err)
{
	const struct ipam_conf *c = NULL;
	const char *type;
	int r = load(req, &type, &c, err);

	if (r < 0)
		return r;
	if (c)
		return ipam_data_dir_check(c->data_dir, req->data_roots, err);
	if (type[0] && strcmp(type, HOST_LOCAL) != 0 && strchr(type, '/'))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "invalid plugin name: %s",
			       type);
	if (type[0] && !c) {
		char path[PATH_MAX];
		struct cni_err ignored = { 0 };

		/* Not found is ADD's error to report; found, it must not be ourselves. */
		if (ipam_delegate_find(type, req->cni_path, path, sizeof(path), &ignored) == 0)
			return ipam_delegate_check_self(type, path, err);
	}
	return 0;
}

/* host-local's allocator.Get() for one range set. */
static int alloc_one(struct ipam_store *st, const struct ipam_conf *c, int set,
		     const struct ipam_request *req, const struct ipaddr *requested,
		     struct cni_ip *ret, struct cni_err *err)
{
	char ipb[IPADDR_STRLEN], setb[1024];
	const struct ipam_range *rg;
	struct ipaddr ip;
	int r;

	if (requested) {
		int ri = ipam_set_find(c, set, requested);

		if (ri < 0) {
			ipam_set_str(c, set, setb, sizeof(setb));
			return err_set(err, EINVAL, CNI_ERR_INTERNAL, "%s not in range set %s",
				       ipaddr_str(requested, ipb), setb);
		}
		rg = &c->ranges[c->sets[set].first + ri];
		if (ipaddr_eq(requested, &rg->gw))
			return err_set(err, EINVAL, CNI_ERR_INTERNAL,
				       "requested ip %s is subnet's gateway",
				       ipaddr_str(requested, ipb));
		r = ipam_store_reserve(st, req->container_id, req->ifname, requested, set, err);
		if (r < 0)
			return r;
		if (r == 0) {
			ipam_set_str(c, set, setb, sizeof(setb));
			return err_set(err, EEXIST, CNI_ERR_INTERNAL,
				       "requested IP address %s is not available in range set %s",
				       ipaddr_str(requested, ipb), setb);
		}
		ip = *requested;
	} else {
		struct ipaddr held[RESULT_MAX_IPS], last;
		struct ipam_iter it;
		int n, ri;
		bool got = false;

		/* The spec refuses a second allocation for one (containerID, ifname). */
		n = ipam_store_get_by_id(st, req->container_id, req->ifname, held, RESULT_MAX_IPS,
					 err);
		if (n < 0)
			return n;
		for (int i = 0; i < n; i++) {
			if (ipam_set_find(c, set, &held[i]) >= 0)
				return err_set(
					err, EEXIST, CNI_ERR_INTERNAL,
					"%s has been allocated to %s, duplicate allocation is not allowed",
					ipaddr_str(&held[i], ipb), req->container_id);
		}
		ipam_store_last_reserved(st, set, &last);
		ipam_iter_init(&it, c, set, &last);
		while (ipam_iter_next(&it, &ip, &ri)) {
			r = ipam_store_reserve(st, req->container_id, req->ifname, &ip, set, err);
			if (r < 0)
				return r;
			if (r > 0) {
				got = true;
				break;
			}
		}
		if (!got) {
			ipam_set_str(c, set, setb, sizeof(setb));
			return err_set(err, ENOSPC, CNI_ERR_INTERNAL,
				       "no IP addresses available in range set: %s", setb);
		}
		rg = &c->ranges[c->sets[set].first + ri];
	}
	memset(ret, 0, sizeof(*ret));
	ret->address.addr = ip;
	ret->address.len = rg->subnet.len;
	ret->gateway = rg->gw;
	ret->iface = -1;
	return 0;
}

static int host_local_add(const struct ipam_request *req, const struct ipam_conf *c,
			  struct cni_result *ret, struct cni_err *err)
{
	_cleanup_ipam_store_ struct ipam_store *st = NULL;
	_cleanup_close_ int data_fd = -1;
	struct cni_dns dns = { 0 };
	struct cni_ip ips[IPAM_MAX_SETS];
	bool used[IPAM_MAX_REQ_IPS] = { false };
	int r;

	r = check_attachment(req, err);
	if (r < 0)
		return r;
	if (c->resolv_conf[0]) {
		r = ipam_resolv_conf_parse(c->resolv_conf, &dns, err);
		if (r < 0)
			return r;
	}
	r = ipam_data_dir_open(c->data_dir, req->data_roots, true, &data_fd, err);
	if (r < 0)
		return r;
	r = ipam_store_open(data_fd, req->network, req->state_dir, true, &st, err);
	if (r < 0)
		return r;
	for (int s = 0; s < c->n_sets; s++) {
		const struct ipaddr *want = NULL;

		for (int i = 0; i < c->n_req_ips; i++) {
			if (!used[i] && ipam_set_find(c, s, &c->req_ips[i]) >= 0) {
				used[i] = true;
				want = &c->req_ips[i];
				break;
			}
		}
		r = alloc_one(st, c, s, req, want, &ips[s], err);
		if (r < 0) {
			struct cni_err ignored = { 0 };

			/* host-local releases once per range set done so far. */
			if (s > 0)
				(void)ipam_store_release_by_id(st, req->container_id, req->ifname,
							       s, &ignored);
			return err_wrap(err, "failed to allocate for range %d", s);
		}
	}
	for (int i = 0; i < c->n_req_ips; i++) {
		char msg[sizeof(err->msg)] = "failed to allocate all requested IPs:";
		struct cni_err ignored = { 0 };
		size_t o = strlen(msg);

		if (used[i])
			continue;
		for (int k = i; k < c->n_req_ips; k++) {
			char b[IPADDR_STRLEN];

			if (!used[k] && o + IPADDR_STRLEN + 1 < sizeof(msg))
				o += (size_t)snprintf(msg + o, sizeof(msg) - o, " %s",
						      ipaddr_str(&c->req_ips[k], b));
		}
		(void)ipam_store_release_by_id(st, req->container_id, req->ifname, c->n_sets,
					       &ignored);
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "%s", msg);
	}

	memcpy(ret->ips, ips, sizeof(ips[0]) * (size_t)c->n_sets);
	ret->n_ips = c->n_sets;
	memcpy(ret->routes, c->routes, sizeof(c->routes[0]) * (size_t)c->n_routes);
	ret->n_routes = c->n_routes;
	ret->dns = dns;
	return 0;
}

int ipam_add(const struct ipam_request *req, struct cni_result *ret, struct cni_err *err)
{
	const struct ipam_conf *c = NULL;
	const char *type;
	int r = load(req, &type, &c, err);

	if (r < 0)
		return r;
	/* ADD without an IPAM type gets host-local's own complaint ("missing 'ipam' key", ...). */
	if (!type[0] && req->conf) {
		if (req->conf->parse_r < 0) {
			*err = req->conf->parse_err;
			return req->conf->parse_r;
		}
		c = req->conf;
	}
	if (c)
		return host_local_add(req, c, ret, err);
	ret->n_ips = ret->n_routes = 0;
	memset(&ret->dns, 0, sizeof(ret->dns));
	r = ipam_delegate_run(req, type, "ADD", ret, err);
	if (r < 0)
		return r;
	/* A delegate's result carries no interfaces; its ips must not point at any. */
	for (int i = 0; i < ret->n_ips; i++)
		ret->ips[i].iface = -1;
	return 0;
}

/*
 * The common head of DEL, CHECK and GC. With no IPAM, or a delegated type, the verb is
 * finished here: *ret_done is set and the return value is the verb's result. For the
 * embedded host-local the names are checked (all three for an attachment, the network
 * alone for GC) and the network's store is opened, never created: -ENOENT (@err untouched)
 * when it does not exist, so nothing can be held there.
 */
static int open_store(const struct ipam_request *req, const char *verb, bool attachment,
		      const struct ipam_conf **ret_conf, struct ipam_store **ret_store,
		      bool *ret_done, struct cni_err *err)
{
	_cleanup_close_ int data_fd = -1;
	const char *type;
	int r = load(req, &type, ret_conf, err);

	*ret_done = true;
	if (r < 0 || !type[0])
		return r;
	if (!*ret_conf)
		return ipam_delegate_run(req, type, verb, NULL, err);
	*ret_done = false;
	if (attachment)
		r = check_attachment(req, err);
	else if (!ipam_name_valid(req->network))
		r = err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			    "invalid characters found in network name");
	if (r < 0)
		return r;
	r = ipam_data_dir_open((*ret_conf)->data_dir, req->data_roots, false, &data_fd, err);
	if (r < 0)
		return r;
	return ipam_store_open(data_fd, req->network, req->state_dir, false, ret_store, err);
}

int ipam_del(const struct ipam_request *req, struct cni_err *err)
{
	const struct ipam_conf *c = NULL;
	_cleanup_ipam_store_ struct ipam_store *st = NULL;
	bool done;
	int r = open_store(req, "DEL", true, &c, &st, &done, err);

	if (r == -ENOENT && !done)
		return 0; /* no store, no lease */
	if (done || r < 0)
		return r;
	r = ipam_store_release_by_id(st, req->container_id, req->ifname, c->n_sets, err);
	return r < 0 ? r : 0;
}

int ipam_check(const struct ipam_request *req, struct cni_err *err)
{
	const struct ipam_conf *c = NULL;
	_cleanup_ipam_store_ struct ipam_store *st = NULL;
	bool done;
	int r = open_store(req, "CHECK", true, &c, &st, &done, err);

	if (r == -ENOENT && !done)
		r = 0; /* no store: reported as not found below */
	else if (done || r < 0)
		return r;
	else
		r = ipam_store_find_by_id(st, req->container_id, req->ifname, err);
	if (r < 0)
		return r;
	if (r == 0)
		return err_set(err, ENOENT, CNI_ERR_INTERNAL,
			       "host-local: Failed to find address added by container %s",
			       req->container_id);
	return 0;
}

int ipam_gc(const struct ipam_request *req, struct cni_err *err)
{
	const struct ipam_conf *c = NULL;
	_cleanup_ipam_store_ struct ipam_store *st = NULL;
	bool done;
	int r = open_store(req, "GC", false, &c, &st, &done, err);

	if (r == -ENOENT && !done)
		return 0;
	if (done || r < 0)
		return r;
	r = ipam_store_gc(st, req->valid, req->n_valid, err);
	return r < 0 ? r : 0;
}

int ipam_status(const struct ipam_request *req, struct cni_err *err)
{
	const struct ipam_conf *c = NULL;
	_cleanup_ipam_store_ struct ipam_store *st = NULL;
	_cleanup_close_ int data_fd = -1;
	const char *type;
	int r = load(req, &type, &c, err);

	if (r < 0)
		return r;
	if (!type[0])
		return 0;
	if (!c)
		return ipam_delegate_run(req, type, "STATUS", NULL, err);
	/* Nothing is created here: a store that does not exist yet is made by the next ADD. */
	r = ipam_data_dir_open(c->data_dir, req->data_roots, false, &data_fd, err);
	if (r == 0)
		r = ipam_store_open(data_fd, req->network, req->state_dir, false, &st, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		err->code = CNI_ERR_NOT_AVAILABLE;
		return r;
	}
	return ipam_store_writable(st, err);
}
