/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_nad_conf.c: what "sriov validate" parses from files it is given: YAML with
 * NetworkAttachmentDefinitions (libyaml through cmd/nad.c), and each config in it checked by
 * conf_check, which runs every field check to the end. Must never crash or leak.
 */
#include <stdint.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/json.h"

#include "nad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ignore(void *ctx, const char *field, const struct cni_err *problem)
{
	int *n = ctx;

	(*n)++;
}

static void check(const char *text, size_t len, const char *name)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	int n = 0;

	if (conf_check(text, len, name, ignore, &n, &c) >= 0 && n == 0 && strlen(c.name) == 0)
		__builtin_trap(); /* a valid config always has a name */
}

static void visit(void *ctx, const struct nad *nad)
{
	if (nad->config)
		check(nad->config, nad->config_len, nad->name ? nad->name : "n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[256];

	if (size > 1 << 20)
		return 0;
	check((const char *)data, size, "n");
	(void)nad_scan((const char *)data, size, visit, NULL, errbuf, sizeof(errbuf));
	return 0;
}
