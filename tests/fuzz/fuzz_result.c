/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_result.c: parse a CNI result, render it in every version, and check the output re-parses. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sriov/cleanup.h"
#include "sriov/json.h"
#include "sriov/cni_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const versions[] = { "0.1.0", "0.2.0", "0.3.0", "0.3.1",
					"0.4.0", "1.0.0", "1.1.0" };

static void die(const char *what, const char *version, const struct cni_err *err)
{
	fprintf(stderr, "fuzz_result: %s (version %s): %s\n", what, version, err->msg);
	abort();
}

/*
 * Whatever the parser accepts, every version must render; the rendering must parse back and
 * render to the same JSON again (a result is a fixed point after one trip through a version).
 */
static void check_version(const struct cni_result *r, const char *version)
{
	_cleanup_free_ struct cni_result *back = malloc(sizeof(*back));
	_cleanup_cjson_ cJSON *out = NULL;
	_cleanup_cjson_ cJSON *again = NULL;
	struct cni_err err = { 0 };

	if (!back)
		return;
	out = result_to_json(r, version, &err);
	if (!out)
		die("cannot render a parsed result", version, &err);
	if (result_from_json(out, NULL, back, &err) < 0)
		die("rendered result does not parse", version, &err);
	again = result_to_json(back, version, &err);
	if (!again)
		die("cannot render a re-parsed result", version, &err);
	if (!cJSON_Compare(out, again, true)) {
		_cleanup_free_ char *a = cJSON_PrintUnformatted(out);
		_cleanup_free_ char *b = cJSON_PrintUnformatted(again);

		fprintf(stderr, "fuzz_result: version %s not stable:\n%s\n%s\n", version,
			a ? a : "?", b ? b : "?");
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ struct cni_result *r = NULL;
	_cleanup_cjson_ cJSON *j = NULL;
	struct cni_err err = { 0 };
	size_t i;

	if (size > (1u << 20))
		return 0;
	if (json_parse((const char *)data, size, "result", &j, &err) < 0)
		return 0;
	r = malloc(sizeof(*r));
	if (!r)
		return 0;
	/* The caller's version only matters when the input has none; vary it with the input. */
	if (result_from_json(j, versions[size % ARRAY_SIZE(versions)], r, &err) < 0) {
		if (!err.code || !err.msg[0] || err_ret(&err) >= 0)
			abort();
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(versions); i++)
		check_version(r, versions[i]);
	if (result_to_json(r, "9.9.9", &err) || err.code != CNI_ERR_INCOMPATIBLE_VERSION)
		abort();
	return 0;
}
