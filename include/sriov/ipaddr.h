/* SPDX-License-Identifier: Apache-2.0 */
/* ipaddr.h: IPv4/IPv6 addresses and prefixes as plain values (parse, print, compare, math). */
#ifndef SRIOV_IPADDR_H
#define SRIOV_IPADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/* IPv4 lives in the first 4 bytes of a[]; the rest is zero. */
struct ipaddr {
	int family; /* AF_INET, AF_INET6, 0 = unset */
	uint8_t a[16];
};

struct ipprefix {
	struct ipaddr addr; /* may have host bits set (an interface address) */
	int len;
};

#define IPADDR_STRLEN 46 /* INET6_ADDRSTRLEN */
#define IPPREFIX_STRLEN (IPADDR_STRLEN + 4)

int ipaddr_len(const struct ipaddr *a); /* 4, 16, or 0 when unset */
/* Parse dotted quad or IPv6 text (Go's net.ParseIP also maps "::ffff:1.2.3.4" to IPv4). */
int ipaddr_parse(const char *s, struct ipaddr *ret);
/* Parse "addr/len". */
int ipprefix_parse(const char *s, struct ipprefix *ret);
/* Canonical text as Go prints it (RFC 5952 for IPv6). */
const char *ipaddr_str(const struct ipaddr *a, char buf[IPADDR_STRLEN]);
const char *ipprefix_str(const struct ipprefix *p, char buf[IPPREFIX_STRLEN]);
int ipaddr_cmp(const struct ipaddr *a, const struct ipaddr *b);
bool ipaddr_eq(const struct ipaddr *a, const struct ipaddr *b);
/* Network address of @p (host bits cleared). */
struct ipaddr ipprefix_network(const struct ipprefix *p);
bool ipprefix_contains(const struct ipprefix *p, const struct ipaddr *a);
/* a + 1 / a - 1 within the family; false on wrap-around. */
bool ipaddr_next(struct ipaddr *a);
bool ipaddr_prev(struct ipaddr *a);
bool ipaddr_is_unset(const struct ipaddr *a);
/* An IPv6 address in ::ffff:0:0/96 (an IPv4 address written as IPv6). */
bool ipaddr_is_v4mapped(const struct ipaddr *a);

#endif
