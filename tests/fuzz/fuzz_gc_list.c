/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_gc_list.c: GC's valid-attachments read from the text (conf_split() and the walker of
 * lib/conf_gc.c) must give exactly what the whole tree gives: the same error for any text
 * json_parse() refuses, the same tree apart from the lists, the same list or the same error,
 * and the same again when the strings are decoded into the buffer itself. Inputs that do not
 * start with '{' become the list of a small config, so that the fuzzer spends its time there.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/json.h"
#include "../../lib/conf_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define WHAT "config"
#define PREFIX "{\"cniVersion\":\"1.1.0\",\"" CONF_VALID_KEY "\":[],\"" CONF_VALID_KEY "\":"

static void check(bool ok)
{
	if (!ok)
		abort();
}

static bool same_err(const struct cni_err *a, const struct cni_err *b)
{
	return a->code == b->code && strcmp(a->msg, b->msg) == 0;
}

/* Equal trees, member by member in order (cJSON_Compare() mixes up duplicate keys). */
static bool same_json(const cJSON *a, const cJSON *b)
{
	if ((a->type & 0xff) != (b->type & 0xff))
		return false;
	if (cJSON_IsString(a) || cJSON_IsNumber(a)) {
		if (!a->valuestring != !b->valuestring ||
		    (a->valuestring && strcmp(a->valuestring, b->valuestring) != 0))
			return false;
	}
	for (a = a->child, b = b->child; a && b; a = a->next, b = b->next) {
		if (!a->string != !b->string || (a->string && strcmp(a->string, b->string) != 0) ||
		    !same_json(a, b))
			return false;
	}
	return !a && !b;
}

/* The tree of the split is the whole tree with each list of ours emptied. */
static void same_tree(const cJSON *whole, const cJSON *split)
{
	const cJSON *a = whole ? whole->child : NULL, *b = split ? split->child : NULL;

	check(cJSON_IsObject(whole) == cJSON_IsObject(split));
	if (!cJSON_IsObject(whole)) {
		check(same_json(whole, split));
		return;
	}
	for (; a && b; a = a->next, b = b->next) {
		check(strcmp(a->string, b->string) == 0);
		if (strcmp(a->string, CONF_VALID_KEY) == 0 && cJSON_IsArray(a))
			check(cJSON_IsArray(b) && !b->child);
		else
			check(same_json(a, b));
	}
	check(!a && !b);
}

static void same_list(const struct sriov_conf *x, const struct sriov_conf *y)
{
	check(x->n_valid == y->n_valid);
	for (size_t i = 0; i < x->n_valid; i++) {
		check(strcmp(x->valid[i].container_id, y->valid[i].container_id) == 0);
		check(strcmp(x->valid[i].ifname, y->valid[i].ifname) == 0);
		check(!i || strcmp(x->valid[i - 1].container_id, x->valid[i].container_id) <= 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_cjson_ cJSON *whole = NULL, *split = NULL;
	_cleanup_conf_ struct sriov_conf c1 = { 0 }, c2 = { 0 }, c3 = { 0 };
	struct cni_err e1 = { 0 }, e2 = { 0 }, e3 = { 0 };
	_cleanup_free_ char *text = NULL, *own = NULL;
	struct conf_span list;
	size_t len;
	int r1, r2, r3;

	if (size > (1u << 20))
		return 0;
	text = malloc(sizeof(PREFIX) + size + 2);
	if (!text)
		return 0;
	if (size && data[0] == '{') {
		memcpy(text, data, size);
		len = size;
	} else {
		memcpy(text, PREFIX, strlen(PREFIX));
		memcpy(text + strlen(PREFIX), data, size);
		len = strlen(PREFIX) + size;
		text[len++] = '}';
	}
	text[len] = '\0';

	r1 = json_parse(text, len, WHAT, &whole, &e1);
	r2 = conf_split(text, len, WHAT, &split, &list, &e2);
	check((r1 < 0) == (r2 < 0));
	if (r1 < 0) {
		check(same_err(&e1, &e2));
		return 0;
	}
	same_tree(whole, split);
	check(!list.len || (list.off + list.len <= len && text[list.off] == '[' &&
			    text[list.off + list.len - 1] == ']'));
	if (!cJSON_IsObject(whole))
		return 0;

	/* The list from the tree (as before), from the text, and decoded into the buffer. */
	r1 = conf_valid_read(whole, text, (struct conf_span){ 0, 0 }, NULL, &c1, &e1);
	r2 = conf_valid_read(split, text, list, NULL, &c2, &e2);
	own = malloc(len + 1);
	if (!own)
		return 0;
	memcpy(own, text, len + 1);
	r3 = conf_valid_read(split, own, list, &own, &c3, &e3);
	check(r1 == r2 && r1 == r3);
	if (r1 < 0) {
		check(same_err(&e1, &e2) && same_err(&e1, &e3));
		/* Nothing is written before every element has passed. */
		check(own && memcmp(own, text, len + 1) == 0);
		return 0;
	}
	same_list(&c1, &c2);
	same_list(&c1, &c3);
	return 0;
}
