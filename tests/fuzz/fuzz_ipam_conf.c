/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_ipam_conf.c: libFuzzer harness for the host-local config parser, range math and CNI_ARGS. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "../../ipam/ipam_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_ipam_conf_ struct ipam_conf *c = NULL;
	_cleanup_free_ char *args = NULL;
	struct cni_err err = { 0 };
	const uint8_t *nl;
	size_t conf_len = size;

	/* An optional first line "ARGS:<CNI_ARGS>" feeds the CNI_ARGS parser too. */
	if (size > 5 && memcmp(data, "ARGS:", 5) == 0 && (nl = memchr(data, '\n', size))) {
		args = strndup((const char *)data + 5, (size_t)(nl - data) - 5);
		if (!args)
			return 0;
		conf_len = size - (size_t)(nl + 1 - data);
		data = nl + 1;
	}
	if (ipam_conf_parse_text((const char *)data, conf_len, args, &c, &err) < 0)
		return 0;
	/* Walk every set a bounded number of steps, as an allocation would. */
	for (int s = 0; s < c->n_sets; s++) {
		struct ipam_iter it;
		struct ipaddr ip;
		char buf[IPADDR_STRLEN], sbuf[2048];
		int steps = 0;

		ipam_iter_init(&it, c, s, c->n_req_ips ? &c->req_ips[0] : NULL);
		while (steps++ < 512 && ipam_iter_next(&it, &ip, NULL))
			(void)ipaddr_str(&ip, buf);
		ipam_set_str(c, s, sbuf, sizeof(sbuf));
		for (int i = 0; i < c->n_req_ips; i++)
			(void)ipam_set_find(c, s, &c->req_ips[i]);
	}
	return 0;
}
