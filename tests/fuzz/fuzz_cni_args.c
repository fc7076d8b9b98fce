/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_cni_args.c: CNI_ARGS as the plugin (MAC=) and the embedded host-local (IP=) read it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/cni.h"
#include "../../ipam/ipam_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_err(int r, const struct cni_err *err)
{
	/* A failure always carries a code and a terminated, non-empty message. */
	if (r < 0 && (!err->code || !err->msg[0] || !memchr(err->msg, '\0', sizeof(err->msg))))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const known[] = { "MAC", "IP", NULL };
	/* An environment variable ends at its first NUL. */
	_cleanup_free_ char *args = strndup((const char *)data, size);
	struct cni_err err = { 0 };
	struct ipaddr ip;
	bool has_ip = false;
	char buf[64];
	int r;

	if (!args)
		return 0;
	memset(buf, 0xa5, sizeof(buf));
	r = cni_args_get(args, known, "MAC", buf, sizeof(buf), &err);
	check_err(r, &err);
	if (r > 0 && !memchr(buf, '\0', sizeof(buf)))
		abort();
	err_clear(&err);
	r = cni_args_get(args, NULL, "IgnoreUnknown", buf, 8, &err);
	check_err(r, &err);
	err_clear(&err);
	r = ipam_args_parse(args, &ip, &has_ip, &err);
	check_err(r, &err);
	if (r == 0 && has_ip && ip.family != AF_INET && ip.family != AF_INET6)
		abort();
	return 0;
}
