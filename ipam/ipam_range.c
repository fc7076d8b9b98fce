/* SPDX-License-Identifier: Apache-2.0 */
/* ipam_range.c: host-local's range and range-set math: defaults, validation, round-robin walk. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ipam_int.h"

/* Range.Contains(): family, subnet, and the bounds that are already known (unset = no bound). */
static bool range_contains(const struct ipprefix *subnet, const struct ipaddr *start,
			   const struct ipaddr *end, const struct ipaddr *a)
{
	if (a->family != subnet->addr.family)
		return false;
	if (!ipprefix_contains(subnet, a))
		return false;
	if (!ipaddr_is_unset(start) && ipaddr_cmp(a, start) < 0)
		return false;
	if (!ipaddr_is_unset(end) && ipaddr_cmp(a, end) > 0)
		return false;
	return true;
}

bool ipam_range_contains(const struct ipam_range *r, const struct ipaddr *a)
{
	return range_contains(&r->subnet, &r->start, &r->end, a);
}

static void prefix_go_str(const struct ipprefix *p, bool v4mapped, char buf[IPPREFIX_STRLEN])
{
	char a[IPADDR_STRLEN];
	int len = p->len;

	/* Go prints a 16-byte mask next to an IPv4 address by its last 4 bytes. */
	if (v4mapped)
		len = len > 96 ? len - 96 : 0;
	snprintf(buf, IPPREFIX_STRLEN, "%s/%d", ipaddr_str(&p->addr, a), len);
}

int ipam_range_canonicalize(struct ipam_range *r, const struct ipaddr *start,
			    const struct ipaddr *end, const struct ipaddr *gw, bool subnet_v4mapped,
			    struct cni_err *err)
{
	char sbuf[IPPREFIX_STRLEN], abuf[IPADDR_STRLEN];
	int bits = subnet_v4mapped ? 128 : ipaddr_len(&r->subnet.addr) * 8;
	struct ipaddr net;

	if (r->subnet.len > bits - 2) {
		prefix_go_str(&r->subnet, subnet_v4mapped, sbuf);
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "Network %s too small to allocate from", sbuf);
	}
	if (subnet_v4mapped)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "IPNet IP and Mask version mismatch");
	net = ipprefix_network(&r->subnet);
	if (!ipaddr_eq(&net, &r->subnet.addr))
		return err_set(
			err, EINVAL, CNI_ERR_INVALID_CONFIG,
			"Network has host bits set. For a subnet mask of length %d the network address is %s",
			r->subnet.len, ipaddr_str(&net, abuf));

	if (ipaddr_is_unset(gw)) {
		r->gw = net;
		ipaddr_next(&r->gw);
	} else {
		r->gw = *gw;
	}

	memset(&r->start, 0, sizeof(r->start));
	memset(&r->end, 0, sizeof(r->end));
	if (end)
		r->end = *end;
	if (start && !ipaddr_is_unset(start)) {
		if (!range_contains(&r->subnet, start, &r->end, start)) {
			prefix_go_str(&r->subnet, false, sbuf);
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "RangeStart %s not in network %s", ipaddr_str(start, abuf),
				       sbuf);
		}
		r->start = *start;
	} else {
		r->start = net;
		ipaddr_next(&r->start);
	}

	if (end && !ipaddr_is_unset(end)) {
		if (!range_contains(&r->subnet, &r->start, end, end)) {
			prefix_go_str(&r->subnet, false, sbuf);
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "RangeEnd %s not in network %s", ipaddr_str(end, abuf),
				       sbuf);
		}
	} else {
		int n = ipaddr_len(&net);

		r->end = net;
		for (int i = 0; i < n * 8; i++) {
			if (i >= r->subnet.len)
				r->end.a[i / 8] |= (uint8_t)(0x80u >> (i % 8));
		}
		/* IPv4 leaves the broadcast address out; IPv6 has none. */
		if (r->end.family == AF_INET)
			r->end.a[3]--;
	}

	/*
	 * After the defaults (containernetworking/plugins#1292): a range must run forward
	 * inside its subnet, and an IPv4 range must not include the network or broadcast
	 * address. Otherwise the walk would hand out the broadcast address, or step past
	 * 255.255.255.255 to 0.0.0.0.
	 */
	if (ipaddr_eq(&r->start, &net)) {
		prefix_go_str(&r->subnet, false, sbuf);
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "RangeStart %s is the network address of %s",
			       ipaddr_str(&r->start, abuf), sbuf);
	}
	if (ipaddr_cmp(&r->start, &r->end) > 0) {
		char ebuf[IPADDR_STRLEN];

		prefix_go_str(&r->subnet, false, sbuf);
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "RangeStart %s is after RangeEnd %s in network %s",
			       ipaddr_str(&r->start, abuf), ipaddr_str(&r->end, ebuf), sbuf);
	}
	if (r->end.family == AF_INET) {
		struct ipaddr bcast = net;

		for (int i = r->subnet.len; i < 32; i++)
			bcast.a[i / 8] |= (uint8_t)(0x80u >> (i % 8));
		if (ipaddr_eq(&r->end, &bcast)) {
			prefix_go_str(&r->subnet, false, sbuf);
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "RangeEnd %s is the broadcast address of %s",
				       ipaddr_str(&r->end, abuf), sbuf);
		}
	}
	return 0;
}

bool ipam_range_overlaps(const struct ipam_range *a, const struct ipam_range *b)
{
	if (a->start.family != b->start.family)
		return false;
	return ipam_range_contains(a, &b->start) || ipam_range_contains(a, &b->end) ||
	       ipam_range_contains(b, &a->start) || ipam_range_contains(b, &a->end);
}

void ipam_range_str(const struct ipam_range *r, char *buf, size_t size)
{
	char s[IPADDR_STRLEN], e[IPADDR_STRLEN];

	snprintf(buf, size, "%s-%s", ipaddr_str(&r->start, s), ipaddr_str(&r->end, e));
}

int ipam_set_family(const struct ipam_conf *c, int s)
{
	return c->ranges[c->sets[s].first].start.family;
}

int ipam_set_check(const struct ipam_conf *c, int s, struct cni_err *err)
{
	const struct ipam_set *set = &c->sets[s];
	int fam = ipam_set_family(c, s);

	for (int i = 1; i < set->n; i++) {
		if (c->ranges[set->first + i].start.family != fam)
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "mixed address families");
	}
	for (int i = 0; i < set->n - 1; i++) {
		for (int j = i + 1; j < set->n; j++) {
			const struct ipam_range *a = &c->ranges[set->first + i];
			const struct ipam_range *b = &c->ranges[set->first + j];
			char as[2 * IPADDR_STRLEN + 2], bs[2 * IPADDR_STRLEN + 2];

			if (!ipam_range_overlaps(a, b))
				continue;
			ipam_range_str(a, as, sizeof(as));
			ipam_range_str(b, bs, sizeof(bs));
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "subnets %s and %s overlap", as, bs);
		}
	}
	return 0;
}

int ipam_set_find(const struct ipam_conf *c, int s, const struct ipaddr *a)
{
	const struct ipam_set *set = &c->sets[s];

	for (int i = 0; i < set->n; i++) {
		if (ipam_range_contains(&c->ranges[set->first + i], a))
			return i;
	}
	return -1;
}

void ipam_set_str(const struct ipam_conf *c, int s, char *buf, size_t size)
{
	const struct ipam_set *set = &c->sets[s];
	size_t off = 0;

	buf[0] = '\0';
	for (int i = 0; i < set->n && off < size; i++) {
		char r[2 * IPADDR_STRLEN + 2];
		int w;

		ipam_range_str(&c->ranges[set->first + i], r, sizeof(r));
		w = snprintf(buf + off, size - off, "%s%s", i ? "," : "", r);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

void ipam_iter_init(struct ipam_iter *it, const struct ipam_conf *c, int set,
		    const struct ipaddr *last_reserved)
{
	int ri = -1;

	memset(it, 0, sizeof(*it));
	it->c = c;
	it->set = set;
	/* A last_reserved_ip outside the set (config changed) only costs the round-robin once. */
	if (last_reserved && !ipaddr_is_unset(last_reserved))
		ri = ipam_set_find(c, set, last_reserved);
	if (ri >= 0) {
		it->ri = ri;
		it->cur = *last_reserved;
	} else {
		it->ri = 0;
		it->start = c->ranges[c->sets[set].first].start;
	}
}

/*
 * Same walk as allocator.go RangeIter.Next(): from the cursor to the range end, on to the next
 * range of the set, wrapping around, until the first candidate comes up again; each range's
 * gateway is skipped. Written as a loop instead of Go's recursion.
 */
bool ipam_iter_next(struct ipam_iter *it, struct ipaddr *ret_ip, int *ret_range)
{
	const struct ipam_set *set = &it->c->sets[it->set];

	for (;;) {
		const struct ipam_range *r = &it->c->ranges[set->first + it->ri];

		if (ipaddr_is_unset(&it->cur)) {
			it->cur = r->start;
			it->start = it->cur;
		} else {
			if (ipaddr_eq(&it->cur, &r->end)) {
				it->ri = (it->ri + 1) % set->n;
				r = &it->c->ranges[set->first + it->ri];
				it->cur = r->start;
			} else {
				ipaddr_next(&it->cur);
			}
			if (ipaddr_is_unset(&it->start))
				it->start = it->cur;
			else if (ipaddr_eq(&it->cur, &it->start))
				return false;
		}
		if (ipaddr_eq(&it->cur, &r->gw))
			continue;
		*ret_ip = it->cur;
		if (ret_range)
			*ret_range = it->ri;
		return true;
	}
}
