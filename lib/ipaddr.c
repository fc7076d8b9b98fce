/* SPDX-License-Identifier: Apache-2.0 */
/* ipaddr.c: IP address parse/print with Go net.IP semantics, prefix math and comparisons. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sriov/ipaddr.h"
#include "sriov/text.h"

static const uint8_t v4mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

int ipaddr_len(const struct ipaddr *a)
{
	if (a->family == AF_INET)
		return 4;
	if (a->family == AF_INET6)
		return 16;
	return 0;
}

bool ipaddr_is_unset(const struct ipaddr *a)
{
	return a->family != AF_INET && a->family != AF_INET6;
}

/*
 * Dotted quad as Go >= 1.17 accepts it: exactly four decimal fields of 1-3 digits, each <= 255,
 * no leading zeros (so "010.1.1.1" is refused rather than read as octal or decimal).
 */
static int ipaddr_parse4(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;

	for (int field = 0; field < 4; field++) {
		unsigned int v = 0;
		size_t digits = 0;

		if (field > 0) {
			if (i >= n || s[i] != '.')
				return -EINVAL;
			i++;
		}
		while (i < n && s[i] >= '0' && s[i] <= '9') {
			if (digits > 0 && v == 0)
				return -EINVAL; /* leading zero */
			v = v * 10 + (unsigned int)(s[i] - '0');
			if (v > 255)
				return -EINVAL;
			digits++;
			i++;
		}
		if (digits == 0)
			return -EINVAL;
		out[field] = (uint8_t)v;
	}
	return i == n ? 0 : -EINVAL;
}

/* IPv6 text: groups of 1-4 hex digits, at most one "::", optional dotted quad in the last 32 bits. */
static int ipaddr_parse6(const char *s, size_t n, uint8_t out[16])
{
	uint8_t ip[16] = { 0 };
	int ellipsis = -1;
	size_t i = 0;
	int j = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		ellipsis = 0;
		i = 2;
		if (i == n) {
			memset(out, 0, 16);
			return 0;
		}
	}
	while (i < n && j < 16) {
		unsigned int v = 0;
		size_t k = i;

		while (k < n && k - i < 5 && text_hexval(s[k]) >= 0) {
			v = v * 16 + (unsigned int)text_hexval(s[k]);
			k++;
		}
		if (k == i || k - i > 4)
			return -EINVAL;
		if (k < n && s[k] == '.') {
			/* Embedded IPv4: must be the tail and fit in the remaining bytes. */
			if (ellipsis < 0 && j != 12)
				return -EINVAL;
			if (j + 4 > 16)
				return -EINVAL;
			if (ipaddr_parse4(s + i, n - i, ip + j) < 0)
				return -EINVAL;
			j += 4;
			i = n;
			break;
		}
		ip[j] = (uint8_t)(v >> 8);
		ip[j + 1] = (uint8_t)v;
		j += 2;
		i = k;
		if (i == n)
			break;
		if (s[i] != ':' || i + 1 == n)
			return -EINVAL;
		i++;
		if (s[i] == ':') {
			if (ellipsis >= 0)
				return -EINVAL;
			ellipsis = j;
			i++;
			if (i == n)
				break;
		}
	}
	if (i != n)
		return -EINVAL;
	if (j < 16) {
		size_t tail;

		if (ellipsis < 0)
			return -EINVAL;
		tail = (size_t)(j - ellipsis);
		memmove(ip + 16 - tail, ip + ellipsis, tail);
		memset(ip + ellipsis, 0, (size_t)(16 - j));
	} else if (ellipsis >= 0) {
		/* "::" must stand for at least one group. */
		return -EINVAL;
	}
	memcpy(out, ip, 16);
	return 0;
}

static int ipaddr_parse_n(const char *s, size_t n, bool map4, struct ipaddr *ret)
{
	struct ipaddr a = { 0 };
	bool v6 = memchr(s, ':', n) != NULL;

	if (n == 0)
		return -EINVAL;
	if (!v6) {
		if (ipaddr_parse4(s, n, a.a) < 0)
			return -EINVAL;
		a.family = AF_INET;
	} else {
		if (ipaddr_parse6(s, n, a.a) < 0)
			return -EINVAL;
		a.family = AF_INET6;
		if (map4 && memcmp(a.a, v4mapped_prefix, 12) == 0) {
			memmove(a.a, a.a + 12, 4);
			memset(a.a + 4, 0, 12);
			a.family = AF_INET;
		}
	}
	*ret = a;
	return 0;
}

int ipaddr_parse(const char *s, struct ipaddr *ret)
{
	if (!s)
		return -EINVAL;
	return ipaddr_parse_n(s, strlen(s), true, ret);
}

/*
 * Go's net.ParseCIDR: the prefix length is decimal (leading zeros tolerated) and bounded by the
 * textual family, so "::ffff:10.0.0.0/104" stays an IPv6 prefix here (host-local then refuses it
 * as a family mismatch) instead of silently becoming IPv4.
 */
int ipprefix_parse(const char *s, struct ipprefix *ret)
{
	struct ipprefix p = { 0 };
	const char *slash;
	const char *q;
	int len = 0;
	int max;

	if (!s)
		return -EINVAL;
	slash = strchr(s, '/');
	if (!slash)
		return -EINVAL;
	if (ipaddr_parse_n(s, (size_t)(slash - s), false, &p.addr) < 0)
		return -EINVAL;
	max = p.addr.family == AF_INET ? 32 : 128;
	q = slash + 1;
	if (!*q)
		return -EINVAL;
	for (; *q; q++) {
		if (*q < '0' || *q > '9')
			return -EINVAL;
		len = len * 10 + (*q - '0');
		if (len > max)
			return -EINVAL;
	}
	p.len = len;
	*ret = p;
	return 0;
}

bool ipaddr_is_v4mapped(const struct ipaddr *a)
{
	return a->family == AF_INET6 && memcmp(a->a, v4mapped_prefix, 12) == 0;
}

/* "%u" of @v (0..255) at @p; returns the end. snprintf() was most of a 60,000-lease scan. */
static char *octet_str(char *p, unsigned int v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

const char *ipaddr_str(const struct ipaddr *a, char buf[IPADDR_STRLEN])
{
	const uint8_t *b = a->a;
	int best = -1, best_len = 0;
	char *p = buf;

	if (a->family == AF_INET || ipaddr_is_v4mapped(a)) {
		if (a->family == AF_INET6)
			b += 12;
		for (int i = 0; i < 4; i++) {
			if (i)
				*p++ = '.';
			p = octet_str(p, b[i]);
		}
		*p = '\0';
		return buf;
	}
	if (a->family != AF_INET6) {
		/* Go prints a nil IP as "<nil>". */
		snprintf(buf, IPADDR_STRLEN, "<nil>");
		return buf;
	}
	/* RFC 5952: compress the longest run (>= 2 groups) of zero groups, the first on ties. */
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && b[2 * j] == 0 && b[2 * j + 1] == 0)
			j++;
		if (j - i >= 2 && j - i > best_len) {
			best = i;
			best_len = j - i;
		}
		i = j > i ? j : i + 1;
	}
	for (int i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			*p++ = ':';
			i += best_len - 1;
			continue;
		}
		if (i > 0 && p[-1] != ':')
			*p++ = ':';
		p += sprintf(p, "%x", (unsigned int)(b[2 * i] << 8 | b[2 * i + 1]));
	}
	*p = '\0';
	return buf;
}

const char *ipprefix_str(const struct ipprefix *pfx, char buf[IPPREFIX_STRLEN])
{
	char a[IPADDR_STRLEN];

	snprintf(buf, IPPREFIX_STRLEN, "%s/%d", ipaddr_str(&pfx->addr, a), pfx->len);
	return buf;
}

int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	r = memcmp(a->a, b->a, sizeof(a->a));
	return r < 0 ? -1 : r > 0;
}

bool ipaddr_eq(const struct ipaddr *a, const struct ipaddr *b)
{
	return ipaddr_cmp(a, b) == 0;
}

struct ipaddr ipprefix_network(const struct ipprefix *p)
{
	struct ipaddr n = p->addr;
	int bits = ipaddr_len(&n) * 8;

	for (int i = 0; i < bits; i++) {
		if (i >= p->len)
			n.a[i / 8] &= (uint8_t) ~(0x80u >> (i % 8));
	}
	return n;
}

bool ipprefix_contains(const struct ipprefix *p, const struct ipaddr *a)
{
	struct ipprefix q;
	struct ipaddr n1, n2;

	if (a->family != p->addr.family || ipaddr_is_unset(a))
		return false;
	q.addr = *a;
	q.len = p->len;
	n1 = ipprefix_network(p);
	n2 = ipprefix_network(&q);
	return ipaddr_eq(&n1, &n2);
}

bool ipaddr_next(struct ipaddr *a)
{
	int n = ipaddr_len(a);

	for (int i = n - 1; i >= 0; i--) {
		if (++a->a[i] != 0)
			return true;
	}
	return false;
}

bool ipaddr_prev(struct ipaddr *a)
{
	int n = ipaddr_len(a);

	for (int i = n - 1; i >= 0; i--) {
		if (a->a[i]-- != 0)
			return true;
	}
	return false;
}
