/* SPDX-License-Identifier: Apache-2.0 */
/*
 * numprint.c: for each "<bits in hex> ..." line on stdin, the float64 with those bits as
 * gojson_print() prints it, as "<bits> <text>" (numgen.go's format; test_numbers.sh).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/gojson.h"
#include "sriov/json.h"

int main(void)
{
	char line[512];

	while (fgets(line, sizeof(line), stdin)) {
		_cleanup_cjson_ cJSON *arr = cJSON_CreateArray();
		_cleanup_free_ char *text = NULL;
		uint64_t bits = strtoull(line, NULL, 16);
		double d;
		size_t n;

		memcpy(&d, &bits, sizeof(d));
		if (!arr || !cJSON_AddItemToArray(arr, cJSON_CreateNumber(d)) ||
		    !(text = gojson_print(arr)))
			return 1;
		n = strlen(text); /* "[<number>]" */
		printf("%016" PRIx64 " %.*s\n", bits, (int)(n - 2), text + 1);
	}
	return 0;
}
