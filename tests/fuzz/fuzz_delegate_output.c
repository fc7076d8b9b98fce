/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_delegate_output.c: what a delegated IPAM plugin prints, after success and failure. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/result.h"
#include "../../ipam/ipam_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const versions[] = { "0.2.0", "0.4.0", "1.0.0", "1.1.0" };
	_cleanup_free_ struct cni_result *res = malloc(sizeof(*res));
	const char *out = (const char *)data;

	if (!res || size > (1u << 20))
		return 0;
	for (int failed = 0; failed < 2; failed++) {
		struct cni_err err = { 0 };
		int r = ipam_conf_parse_delegate_output(out, size, failed, "exit status 1",
							versions[size % 4], res, &err);

		/* A failed plugin always yields an error; any error has a code and a message. */
		if ((failed && r >= 0) || (r < 0 && (!err.code || !err.msg[0])))
			abort();
		if (r == 0 && (res->n_ips < 0 || res->n_ips > RESULT_MAX_IPS || res->n_routes < 0 ||
			       res->n_routes > RESULT_MAX_ROUTES))
			abort();
	}
	return 0;
}
