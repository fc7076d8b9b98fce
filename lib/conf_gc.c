/* SPDX-License-Identifier: Apache-2.0 */
/*
 * conf_gc.c: GC's "cni.dev/valid-attachments" without a tree of it. The runtime lists every
 * attachment of the node there, up to most of a 1 MiB config; cJSON would make each element
 * three nodes and four strings (about ten times the text). So the text is checked once as
 * json_parse() checks it, the list is found in it by the small walker below (on checked
 * text only), the rest of the config becomes the tree, and each element is parsed by cJSON
 * on its own and kept as two strings.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "conf_int.h"

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/*
 * The end of the JSON value that starts at @p: after its closing quote or bracket, or its
 * last character (numbers, true, false, null). Meant for text json_validate() accepted; on
 * anything else it returns NULL or some end within @end, never reading past @end.
 */
static const char *value_end(const char *p, const char *end)
{
	size_t depth = 0;

	if (p >= end)
		return NULL;
	if (*p != '"' && *p != '{' && *p != '[') {
		while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
		       *p != '\n' && *p != '\r')
			p++;
		return p;
	}
	for (; p < end; p++) {
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++) {
				if (*p == '\\' && ++p == end)
					return NULL;
			}
			if (p == end)
				return NULL;
			if (depth == 0)
				return p + 1;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return NULL;
			if (--depth == 0)
				return p + 1;
		}
	}
	return NULL;
}

/* Is the key, the JSON string [@p, @end), CONF_VALID_KEY once its escapes are decoded? */
static bool is_list_key(const char *p, const char *end)
{
	size_t n = (size_t)(end - p);
	cJSON *key;
	bool r;

	if (!memchr(p, '\\', n))
		return n == strlen(CONF_VALID_KEY) + 2 &&
		       memcmp(p + 1, CONF_VALID_KEY, strlen(CONF_VALID_KEY)) == 0;
	key = cJSON_ParseWithLength(p, n);
	r = cJSON_IsString(key) && strcmp(key->valuestring, CONF_VALID_KEY) == 0;
	cJSON_Delete(key);
	return r;
}

int conf_split(const char *text, size_t len, const char *what, cJSON **ret,
	       struct conf_span *ret_list, struct cni_err *err)
{
	_cleanup_free_ char *copy = NULL;
	const char *end = text + len, *done = text, *p;
	size_t n = 0;
	int r;

	*ret_list = (struct conf_span){ 0, 0 };
	r = json_validate(text, len, what, err);
	if (r < 0)
		return r;
	p = skip_ws(text, end);
	if (p < end && *p == '{')
		p = skip_ws(p + 1, end);
	else
		p = end;
	/* Each top-level member; the copy gets the text with each list of ours as "[]". */
	while (p < end && *p == '"') {
		const char *key = p, *key_end = value_end(p, end), *v, *v_end;

		p = key_end ? skip_ws(key_end, end) : end;
		if (p == end || *p != ':')
			break;
		v = skip_ws(p + 1, end);
		v_end = value_end(v, end);
		if (!v_end)
			break;
		if (is_list_key(key, key_end)) {
			*ret_list = (struct conf_span){ 0, 0 };
			if (*v == '[') {
				if (!copy && !(copy = malloc(len + 1)))
					return err_set(err, ENOMEM, CNI_ERR_INTERNAL,
						       "%s: out of memory", what);
				memcpy(copy + n, done, (size_t)(v - done));
				n += (size_t)(v - done);
				memcpy(copy + n, "[]", 2);
				n += 2;
				done = v_end;
				*ret_list = (struct conf_span){ (size_t)(v - text),
								(size_t)(v_end - v) };
			}
		}
		p = skip_ws(v_end, end);
		if (p == end || *p != ',')
			break;
		p = skip_ws(p + 1, end);
	}
	if (!copy)
		return json_parse(text, len, what, ret, err);
	memcpy(copy + n, done, (size_t)(end - done));
	n += (size_t)(end - done);
	return json_parse(copy, n, what, ret, err);
}

/* One pass over the list: counting (dst NULL) or copying the strings to dst. */
struct list_pass {
	size_t n; /* elements so far */
	size_t bytes; /* of their strings, with a NUL each */
	char *dst;
};

static int add_element(const cJSON *it, struct list_pass *lp, struct cni_err *err)
{
	const cJSON *id = json_get(it, "containerID"), *ifname = json_get(it, "ifname");

	if (!cJSON_IsString(id) || !cJSON_IsString(ifname))
		return err_set(err, EINVAL, CNI_ERR_DECODE,
			       "%s[%zu]: needs containerID and ifname strings", CONF_VALID_KEY,
			       lp->n);
	if (lp->dst) {
		lp->dst = stpcpy(lp->dst, id->valuestring) + 1;
		lp->dst = stpcpy(lp->dst, ifname->valuestring) + 1;
	} else {
		lp->bytes += strlen(id->valuestring) + strlen(ifname->valuestring) + 2;
	}
	lp->n++;
	return 0;
}

/*
 * Each element of the list, from the text when @list is set, else from the tree @arr.
 * Copying into the text itself is safe: the strings of elements 0..k take fewer bytes than
 * those elements' text (each string without its quotes and escapes, plus a NUL), so they
 * end before element k + 1, and element k is a tree of its own by the time it is written.
 */
static int list_pass(const cJSON *arr, const char *text, struct conf_span list,
		     struct list_pass *lp, struct cni_err *err)
{
	const char *p, *end;
	const cJSON *it;
	int r;

	if (!list.len) {
		cJSON_ArrayForEach(it, arr) {
			r = add_element(it, lp, err);
			if (r < 0)
				return r;
		}
		return 0;
	}
	p = text + list.off + 1;
	end = text + list.off + list.len - 1;
	for (p = skip_ws(p, end); p < end;) {
		const char *q = value_end(p, end);
		_cleanup_cjson_ cJSON *elem = q ? cJSON_ParseWithLength(p, (size_t)(q - p)) : NULL;

		if (!elem)
			return err_set(err, q ? ENOMEM : EINVAL,
				       q ? CNI_ERR_INTERNAL : CNI_ERR_DECODE, "%s[%zu]: %s",
				       CONF_VALID_KEY, lp->n, q ? "out of memory" : "invalid JSON");
		r = add_element(elem, lp, err);
		if (r < 0)
			return r;
		p = skip_ws(q, end);
		if (p < end && *p != ',')
			return err_set(err, EINVAL, CNI_ERR_DECODE, "%s[%zu]: invalid JSON",
				       CONF_VALID_KEY, lp->n);
		if (p < end)
			p = skip_ws(p + 1, end);
	}
	return 0;
}

static int attachment_cmp(const void *a, const void *b)
{
	const struct ipam_attachment *x = a, *y = b;
	int r = strcmp(x->container_id, y->container_id);

	return r ? r : strcmp(x->ifname, y->ifname);
}

static void sift_down(struct ipam_attachment *v, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		struct ipam_attachment t;

		if (c >= n)
			return;
		if (c + 1 < n && attachment_cmp(&v[c], &v[c + 1]) < 0)
			c++;
		if (attachment_cmp(&v[i], &v[c]) >= 0)
			return;
		t = v[i];
		v[i] = v[c];
		v[c] = t;
		i = c;
	}
}

/* Heapsort, in place: glibc's qsort() merge-sorts through a copy as large as the list. */
static void sort_attachments(struct ipam_attachment *v, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (size_t end = n; end > 1;) {
		struct ipam_attachment t = v[0];

		end--;
		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end);
	}
}

int conf_valid_read(const cJSON *root, const char *text, struct conf_span list, char **own,
		    struct sriov_conf *c, struct cni_err *err)
{
	const cJSON *arr = NULL, *it;
	struct list_pass count = { 0 }, fill = { 0 };
	char *buf, *p;
	int r;

	/* Go decodes each duplicate in turn: the last one counts. */
	cJSON_ArrayForEach(it, root) {
		if (it->string && strcmp(it->string, CONF_VALID_KEY) == 0)
			arr = it;
	}
	if (!arr || cJSON_IsNull(arr))
		return 0;
	if (!cJSON_IsArray(arr))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be a list", CONF_VALID_KEY);
	/* First every element is checked and measured; nothing is written before all pass. */
	r = list_pass(arr, text, list, &count, err);
	if (r < 0)
		return r;
	if (!own || !list.len || !count.bytes) {
		own = NULL;
		buf = malloc(count.bytes + 1);
	} else {
		buf = *own + list.off;
	}
	if (!buf)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	fill.dst = buf;
	r = list_pass(arr, text, list, &fill, err);
	if (r < 0) {
		if (!own)
			free(buf);
		return r;
	}
	if (own) {
		/* The strings to the start of the buffer, and the buffer down to them. */
		memmove(*own, buf, count.bytes);
		buf = realloc(*own, count.bytes);
		if (!buf)
			buf = *own;
		*own = NULL;
	}
	free(c->valid_strings);
	c->valid_strings = buf;
	free(c->valid);
	c->n_valid = 0;
	c->valid = calloc(count.n + 1, sizeof(*c->valid));
	if (!c->valid)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	p = buf;
	for (size_t i = 0; i < count.n; i++) {
		c->valid[i].container_id = p;
		p += strlen(p) + 1;
		c->valid[i].ifname = p;
		p += strlen(p) + 1;
	}
	c->n_valid = count.n;
	sort_attachments(c->valid, c->n_valid);
	return 0;
}
