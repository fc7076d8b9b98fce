/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plugin_check.c: CHECK, against the VF record (or sriov-cni's cache), the VF's PF-side
 * settings, the netdev in the pod and prevResult's addresses and routes.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "sriov/cleanup.h"
#include "sriov/ipam.h"
#include "sriov/migrate.h"
#include "sriov/netlink.h"
#include "sriov/netns.h"
#include "sriov/plugin_check.h"
#include "sriov/state.h"
#include "sriov/vf.h"
#include "sriov/vfcfg.h"

static int check_addresses(struct netlink *pod, int ifindex, const struct cni_result *prev,
			   struct cni_err *err)
{
	int r;

	for (int i = 0; i < prev->n_ips; i++) {
		char buf[IPPREFIX_STRLEN];
		bool found = false;

		if (prev->ips[i].iface > 0)
			continue; /* another plugin's interface */
		r = netlink_addr_exists(pod, ifindex, &prev->ips[i].address, &found, err);
		if (r < 0)
			return r;
		if (!found)
			return err_set(err, ENOENT, CNI_ERR_INTERNAL,
				       "address %s from prevResult is not on the interface",
				       ipprefix_str(&prev->ips[i].address, buf));
	}
	for (int i = 0; i < prev->n_routes; i++) {
		char buf[IPPREFIX_STRLEN];
		bool exists = false;

		r = netlink_route_exists(pod, ifindex, &prev->routes[i], &exists, err);
		if (r < 0)
			return r;
		if (!exists)
			return err_set(err, ENOENT, CNI_ERR_INTERNAL,
				       "route to %s from prevResult is missing",
				       ipprefix_str(&prev->routes[i].dst, buf));
	}
	return 0;
}

int plugin_check(const struct plugin_call *call, struct cni_err *err)
{
	const struct cni_env *env = call->env;
	const struct sriov_conf *conf = call->conf;
	_cleanup_state_ struct state st = { -1, -1, "" };
	_cleanup_netlink_ struct netlink *host = NULL, *pod = NULL;
	_cleanup_close_ int podfd = -1;
	const struct cni_result *prev = conf->prev_result;
	struct vf_record rec;
	struct vf_dev vf;
	struct netlink_link l;
	char name[IFNAMSIZ], mac[18];
	int r, ifindex = 0;

	r = plugin_ipam_checked(call, err);
	if (r < 0)
		return r;
	if (!prev)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "prevResult: required for CHECK");
	if (conf->prev_result_r < 0) {
		/* parsed with the config; its error is CHECK's alone */
		*err = conf->prev_result_err;
		return err_wrap(err, "prevResult");
	}
	r = state_open(&st, err);
	if (r < 0)
		return r;
	r = state_record_load(&st, conf->device_id, &rec, err);
	if (r == -ENOENT) {
		/* A pod that sriov-cni set up: its cache names the VF. */
		struct migrate_attachment a = { conf->name, env->container_id, env->ifname,
						env->netns, conf->device_id };

		r = migrate_check(&st, &a, &rec, err);
	}
	if (r == -ENOENT ||
	    (r == 0 && !state_record_owned_by(&rec, conf->name, env->container_id, env->ifname)))
		return err_set(err, ENOENT, CNI_ERR_INTERNAL,
			       "VF %s is not attached to %s/%s in network %s", conf->device_id,
			       env->container_id, env->ifname, conf->name);
	if (r < 0)
		return r;
	r = vf_resolve(conf->device_id, &vf, err);
	if (r < 0)
		return r;
	r = netlink_open(-1, &host, err);
	if (r < 0)
		return r;
	r = vfcfg_check(host, &vf, conf, err);
	if (r < 0)
		return r;
	if (!rec.dpdk) {
		r = netns_open(env->netns, &podfd, err);
		if (r < 0)
			return err_wrap(err, "CNI_NETNS: failed to open netns %s", env->netns);
		r = vf_netdev_in_netns(podfd, vf.pci, 0, env->ifname, &ifindex, name, err);
		if (r < 0 || strcmp(name, env->ifname) != 0)
			return err_set(err, ENOENT, CNI_ERR_INTERNAL,
				       "interface %s in netns %s is not VF %s", env->ifname,
				       env->netns, vf.pci);
		r = netlink_open(podfd, &pod, err);
		if (r < 0)
			return r;
		r = netlink_link_get(pod, ifindex, NULL, &l, err);
		if (r < 0)
			return r;
		if (!(l.flags & IFF_UP))
			return err_set(err, ENETDOWN, CNI_ERR_INTERNAL, "interface %s is down",
				       env->ifname);
		conf_mac_str(l.mac, mac);
		for (int i = 0; i < prev->n_ifaces; i++)
			if (strcmp(prev->ifaces[i].name, env->ifname) == 0 &&
			    prev->ifaces[i].mac[0] && strcasecmp(prev->ifaces[i].mac, mac) != 0)
				return err_set(err, EINVAL, CNI_ERR_INTERNAL,
					       "interface %s has MAC %s, prevResult says %s",
					       env->ifname, mac, prev->ifaces[i].mac);
		if (conf->has_mac && memcmp(l.mac, conf->mac, 6) != 0) {
			char want[18];

			return err_set(err, EINVAL, CNI_ERR_INTERNAL,
				       "interface %s has MAC %s, the config says %s", env->ifname,
				       mac, conf_mac_str(conf->mac, want));
		}
		r = check_addresses(pod, ifindex, prev, err);
		if (r < 0)
			return r;
	}
	if (conf->ipam.type[0]) {
		struct ipam_request req = plugin_ipam_req(call, &st);

		r = ipam_check(&req, err);
		if (r < 0)
			return r;
	}
	return 0;
}
