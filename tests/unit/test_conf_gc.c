/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_conf_gc.c: GC's cni.dev/valid-attachments, read from the text one element at a time
 * (lib/conf_gc.c): the same list, the same errors as a tree of the whole config gives, and
 * the list decoded into stdin's own buffer when nothing else reads it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/json.h"

#define KEY "\"cni.dev/valid-attachments\""
#define HEAD "{\"cniVersion\":\"1.1.0\",\"name\":\"n\","
#define WHAT "error unmarshall network config"

static const struct cni_env gc = { .cmd = CNI_CMD_GC };

static int parse_gc(const char *text, struct sriov_conf *c, struct cni_err *err)
{
	memset(err, 0, sizeof(*err));
	conf_release(c); /* a test may parse into the same struct again */
	return conf_parse(text, strlen(text), &gc, c, err);
}

static void assert_pair(const struct sriov_conf *c, size_t i, const char *id, const char *ifname)
{
	assert_true(i < c->n_valid);
	assert_string_equal(c->valid[i].container_id, id);
	assert_string_equal(c->valid[i].ifname, ifname);
}

/* Go decodes each duplicate key in turn: the last one is the list, null included. */
static void test_duplicates_last_wins(void **state)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	(void)state;
	assert_int_equal(parse_gc(HEAD KEY ":[]," KEY
					   ":[{\"containerID\":\"b\",\"ifname\":\"x\"}]}",
				  &c, &err),
			 0);
	assert_int_equal(c.n_valid, 1);
	assert_pair(&c, 0, "b", "x");
	conf_release(&c);
	assert_int_equal(parse_gc(HEAD KEY ":[{\"containerID\":\"b\",\"ifname\":\"x\"}]," KEY
					   ":null}",
				  &c, &err),
			 0);
	assert_int_equal(c.n_valid, 0);
	conf_release(&c);
	assert_true(parse_gc(HEAD KEY ":[{\"containerID\":\"b\",\"ifname\":\"x\"}]," KEY ":\"x\"}",
			     &c, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_DECODE);
	assert_string_equal(err.msg, "cni.dev/valid-attachments: must be a list");
	/* an element that fails in a list that does not count is no error */
	assert_int_equal(parse_gc(HEAD KEY ":[1]," KEY ":[]}", &c, &err), 0);
	assert_int_equal(c.n_valid, 0);
}

/* Escaped keys and values, keys as Go matches them, other members skipped whatever they hold. */
static void test_shapes(void **state)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	(void)state;
	assert_int_equal(parse_gc(HEAD
				  "\"cni.dev\\/valid-attachment\\u0073\" : [ \n"
				  "{\"x\":[\"]}\\\"\",{\"y\":\"[\"}],\"ifname\":\"net\\u0031\","
				  "\"containerID\":\"z\\u00e9\"} ,\t{\"CONTAINERID\":\"a\","
				  "\"containerid\":\"b\",\"IfName\":\"e\\\"\\\\\"}\r\n],"
				  "\"ipam\":{\"cni.dev/valid-attachments\":[1]}}",
				  &c, &err),
			 0);
	assert_int_equal(c.n_valid, 2);
	/* sorted by containerID: "b" < "z\u00e9" */
	assert_pair(&c, 0, "b", "e\"\\");
	assert_pair(&c, 1, "z\xc3\xa9", "net1");
	conf_release(&c);
	/*
	 * An escaped quote does not end a string, whatever follows it; and the list was found in
	 * the text (the buffer is taken), not read from a tree of the whole config.
	 */
	{
		static const char conf[] =
			HEAD "\"x\":\"\\\",\\\"cni.dev/valid-attachments\\\":[1],\\\"\"," KEY
			     ":[{\"containerID\":\"a\\\",]}\",\"ifname\":\"b\"}]}";
		char *text = strdup(conf);

		assert_non_null(text);
		assert_int_equal(conf_parse_owned(&text, strlen(conf), &gc, &c, &err), 0);
		free(text);
		assert_null(text);
		assert_int_equal(c.n_valid, 1);
		assert_pair(&c, 0, "a\",]}", "b");
		conf_release(&c);
	}
	/* its exact key only, as before */
	assert_int_equal(parse_gc(HEAD "\"CNI.dev/valid-attachments\":[1]}", &c, &err), 0);
	assert_int_equal(c.n_valid, 0);
	assert_true(parse_gc(HEAD KEY ":[{\"containerID\":\"a\",\"ifname\":\"b\"},"
				      "{\"containerID\":\"a\",\"ifname\":2}]}",
			     &c, &err) < 0);
	assert_string_equal(err.msg,
			    "cni.dev/valid-attachments[1]: needs containerID and ifname strings");
}

/* Text json_parse() refuses gets its error, byte for byte, whatever the list holds. */
static void assert_as_json_parse(const char *text, size_t len)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	_cleanup_cjson_ cJSON *root = NULL;
	struct cni_err want = { 0 }, err = { 0 };

	assert_true(json_parse(text, len, WHAT, &root, &want) < 0);
	assert_true(conf_parse(text, len, &gc, &c, &err) < 0);
	assert_int_equal(err.code, want.code);
	assert_string_equal(err.msg, want.msg);
}

static void test_hostile(void **state)
{
	static const char *const bad[] = {
		HEAD KEY ":[{\"containerID\":\"a,\"ifname\":\"b\"}]}", /* unterminated string */
		HEAD KEY ":[{\"containerID\":\"a\",\"ifname\":\"b\"},]}",
		HEAD KEY ":[{\"containerID\":\"a\\u0000\",\"ifname\":\"b\"}]}",
		HEAD KEY ":[{\"containerID\":\"a\" \"ifname\":\"b\"}]}",
		HEAD KEY ":[{\"containerID\":\"a\",\"ifname\":\"b\"}]",
		HEAD KEY ":[{\"containerID\":\"a\",\"ifname\":\"b\"}]}}",
		HEAD KEY ":[\"\\",
		HEAD KEY ":[\v]}",
	};
	const char *good = HEAD KEY ":[{\"containerID\":\"a\",\"ifname\":\"b\\\"]\"}], \"x\":{}}";
	size_t deep = 10000;
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_as_json_parse(bad[i], strlen(bad[i]));
	/* every truncation of a good config */
	for (size_t n = 0; n < strlen(good); n++)
		assert_as_json_parse(good, n);
	/* nested 10,000 deep inside the list */
	text = malloc(strlen(HEAD KEY) + 2 * deep + 8);
	assert_non_null(text);
	strcpy(text, HEAD KEY ":");
	memset(text + strlen(text), '[', deep);
	text[strlen(HEAD KEY) + 1 + deep] = '\0';
	memset(text + strlen(text), ']', deep);
	text[strlen(HEAD KEY) + 1 + 2 * deep] = '\0';
	strcat(text, "}");
	assert_as_json_parse(text, strlen(text));
	free(text);
}

static char *dup_text(const char *s)
{
	char *t = strdup(s);

	assert_non_null(t);
	return t;
}

/* The list decoded into the buffer only when nothing reads the text again. */
static void test_owned(void **state)
{
	static const char *const list =
		KEY ":[{\"containerID\":\"c2\",\"ifname\":\"eth0\"},{\"containerID\":\"c\\u0031\","
		    "\"ifname\":\"eth1\"}]}";
	static const struct cni_env add = {
		.cmd = CNI_CMD_ADD, .container_id = "c", .netns = "/x", .ifname = "net1"
	};
	char conf[512];
	struct cni_err err;
	char *text;

	(void)state;
	/* host-local: the buffer is the list's now */
	snprintf(conf, sizeof(conf),
		 "%s\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.1.0.0/16\"},%s", HEAD, list);
	text = dup_text(conf);
	{
		_cleanup_conf_ struct sriov_conf c = { 0 };

		assert_int_equal(conf_parse_owned(&text, strlen(conf), &gc, &c, &err), 0);
		assert_null(text);
		assert_int_equal(c.n_valid, 2);
		assert_pair(&c, 0, "c1", "eth1");
		assert_pair(&c, 1, "c2", "eth0");
		assert_ptr_equal(c.valid[0].container_id, c.valid_strings + strlen("c2") + 6);
	}
	/* a delegated IPAM gets the text on stdin: it stays as it was */
	snprintf(conf, sizeof(conf), "%s\"ipam\":{\"type\":\"dhcp\"},%s", HEAD, list);
	text = dup_text(conf);
	{
		_cleanup_conf_ struct sriov_conf c = { 0 };

		assert_int_equal(conf_parse_owned(&text, strlen(conf), &gc, &c, &err), 0);
		assert_non_null(text);
		assert_string_equal(text, conf);
		assert_int_equal(c.n_valid, 2);
		assert_pair(&c, 0, "c1", "eth1");
	}
	/* other verbs, and a list that fails, leave it too */
	free(text);
	snprintf(conf, sizeof(conf), "%s\"deviceID\":\"0000:01:00.1\",%s", HEAD, list);
	text = dup_text(conf);
	{
		_cleanup_conf_ struct sriov_conf c = { 0 };

		assert_int_equal(conf_parse_owned(&text, strlen(conf), &add, &c, &err), 0);
		assert_non_null(text);
		assert_int_equal(c.n_valid, 0);
	}
	free(text);
	snprintf(conf, sizeof(conf),
		 "%s" KEY
		 ":[{\"containerID\":\"c2\",\"ifname\":\"eth0\"},{\"containerID\":\"c1\"}]}",
		 HEAD);
	text = dup_text(conf);
	{
		_cleanup_conf_ struct sriov_conf c = { 0 };

		assert_true(conf_parse_owned(&text, strlen(conf), &gc, &c, &err) < 0);
		assert_non_null(text);
		assert_string_equal(text, conf);
	}
	free(text);
}

/* 20,000 attachments (about 900 KB), in the buffer: every one is there, in order. */
static void test_large(void **state)
{
	size_t n = 20000, cap = 64 + n * 64, len;
	char *text = malloc(cap), *p;
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	(void)state;
	assert_non_null(text);
	p = text + sprintf(text, HEAD KEY ":[");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s{\"containerID\":\"c%zu\",\"ifname\":\"eth%zu\"}", i ? "," : "",
			     n - 1 - i, i % 3);
	strcpy(p, "]}");
	len = strlen(text);
	assert_int_equal(conf_parse_owned(&text, len, &gc, &c, &err), 0);
	assert_null(text);
	assert_int_equal(c.n_valid, n);
	for (size_t i = 1; i < n; i++)
		assert_true(strcmp(c.valid[i - 1].container_id, c.valid[i].container_id) < 0);
	/* a sample, each found by a plain search */
	for (size_t i = 0; i < n; i += 997) {
		char id[32], ifname[16];
		size_t k;

		snprintf(id, sizeof(id), "c%zu", i);
		for (k = 0; k < n && strcmp(c.valid[k].container_id, id) != 0; k++)
			;
		assert_true(k < n);
		snprintf(ifname, sizeof(ifname), "eth%zu", (n - 1 - i) % 3);
		assert_string_equal(c.valid[k].ifname, ifname);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duplicates_last_wins),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_owned),
		cmocka_unit_test(test_large),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
