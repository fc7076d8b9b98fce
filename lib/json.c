/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.c: JSON read as Go's encoding/json reads it (sriov-cni, host-local, Multus and any
 * validating webhook are Go programs), on top of cJSON, plus typed getters.
 *
 * cJSON alone is more lenient than Go in ways a tenant can use: it stops a string at an
 * escaped NUL ("n\u0000/../x" reads as "n"), keeps only a double for a number ("5.0" and
 * "1e-400" look like integers), takes control characters as whitespace and in strings,
 * ignores whatever follows the value, and passes bytes that are not UTF-8. So every input
 * is first checked by a strict scanner (RFC 8259, as Go's scanner) that also records the
 * text of each number; after cJSON has built the tree, each number node gets its literal
 * in valuestring (cJSON_Delete() frees it), which the integer getters read.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"
#include "sriov/json.h"
#include "sriov/text.h"

struct scan {
	const char *s;
	size_t n, i;
	size_t *num_off; /* number literals in document order */
	unsigned char *num_len;
	size_t n_nums, cap;
	const char *why;
};

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int scan_fail(struct scan *x, const char *why)
{
	x->why = why;
	return -EINVAL;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int k = 0; k < 4; k++) {
		int h = text_hexval(p[k]);

		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* A string from its opening quote; keys and values alike. */
static int scan_string(struct scan *x)
{
	x->i++;
	while (x->i < x->n) {
		unsigned char c = (unsigned char)x->s[x->i];
		uint32_t cp;
		int len;

		if (c == '"') {
			x->i++;
			return 0;
		}
		if (c < 0x20)
			return scan_fail(x, "control character in a string");
		if (c != '\\') {
			len = text_utf8_next(x->s + x->i, x->n - x->i, &cp);
			if (len < 0)
				return scan_fail(x, "invalid UTF-8 in a string");
			x->i += (size_t)len;
			continue;
		}
		if (x->i + 1 >= x->n)
			break;
		c = (unsigned char)x->s[x->i + 1];
		if (c != 'u') {
			if (!strchr("\"\\/bfnrt", c) || !c)
				return scan_fail(x, "invalid escape in a string");
			x->i += 2;
			continue;
		}
		/* \uXXXX: NUL would cut the string short in C; lone surrogates fail in cJSON. */
		int v = x->i + 6 <= x->n ? hex4(x->s + x->i + 2) : -1;

		if (v < 0)
			return scan_fail(x, "invalid \\u escape in a string");
		if (v == 0)
			return scan_fail(x, "string with an embedded NUL (\\u0000)");
		if (v >= 0xdc00 && v <= 0xdfff)
			return scan_fail(x, "unpaired UTF-16 surrogate in a string");
		if (v >= 0xd800 && v <= 0xdbff) {
			int w = x->i + 12 <= x->n && x->s[x->i + 6] == '\\' &&
						x->s[x->i + 7] == 'u' ?
					hex4(x->s + x->i + 8) :
					-1;

			if (w < 0xdc00 || w > 0xdfff)
				return scan_fail(x, "unpaired UTF-16 surrogate in a string");
			x->i += 6;
		}
		x->i += 6;
	}
	return scan_fail(x, "unterminated string");
}

static int scan_number(struct scan *x)
{
	size_t start = x->i;

	if (x->s[x->i] == '-')
		x->i++;
	if (x->i < x->n && x->s[x->i] == '0') {
		x->i++;
	} else if (x->i < x->n && is_digit(x->s[x->i])) {
		while (x->i < x->n && is_digit(x->s[x->i]))
			x->i++;
	} else {
		return scan_fail(x, "invalid number");
	}
	if (x->i < x->n && x->s[x->i] == '.') {
		x->i++;
		if (x->i >= x->n || !is_digit(x->s[x->i]))
			return scan_fail(x, "invalid number");
		while (x->i < x->n && is_digit(x->s[x->i]))
			x->i++;
	}
	if (x->i < x->n && (x->s[x->i] == 'e' || x->s[x->i] == 'E')) {
		x->i++;
		if (x->i < x->n && (x->s[x->i] == '+' || x->s[x->i] == '-'))
			x->i++;
		if (x->i >= x->n || !is_digit(x->s[x->i]))
			return scan_fail(x, "invalid number");
		while (x->i < x->n && is_digit(x->s[x->i]))
			x->i++;
	}
	/* cJSON reads at most 63 characters of a number. */
	if (x->i - start > JSON_MAX_NUMBER_LEN)
		return scan_fail(x, "number literal longer than 63 characters");
	if (x->n_nums == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 64;
		size_t *off = realloc(x->num_off, cap * sizeof(*off));
		unsigned char *len;

		if (!off)
			return -ENOMEM;
		x->num_off = off;
		len = realloc(x->num_len, cap);
		if (!len)
			return -ENOMEM;
		x->num_len = len;
		x->cap = cap;
	}
	x->num_off[x->n_nums] = start;
	x->num_len[x->n_nums++] = (unsigned char)(x->i - start);
	return 0;
}

_Static_assert(JSON_MAX_DEPTH == 128, "the message of scan_document() says 128");

enum scan_want {
	WANT_VALUE,
	WANT_VALUE_OR_CLOSE, /* after '[' */
	WANT_KEY_OR_CLOSE, /* after '{' */
	WANT_KEY,
	WANT_COLON,
	WANT_NEXT, /* after a value: ',' or the closing bracket, or the end */
};

/* The whole input must be exactly one JSON value, with only whitespace around it. */
static int scan_document(struct scan *x)
{
	char stack[JSON_MAX_DEPTH];
	enum scan_want want = WANT_VALUE;
	int depth = 0, r;

	for (;;) {
		char c;

		while (x->i < x->n && is_ws(x->s[x->i]))
			x->i++;
		if (want == WANT_NEXT && depth == 0)
			return x->i == x->n ? 0 : scan_fail(x, "data after the JSON value");
		if (x->i >= x->n)
			return scan_fail(x, "unexpected end of input");
		c = x->s[x->i];
		switch (want) {
		case WANT_VALUE_OR_CLOSE:
		case WANT_VALUE:
			if (want == WANT_VALUE_OR_CLOSE && c == ']') {
				depth--;
				x->i++;
				want = WANT_NEXT;
				break;
			}
			if (c == '{' || c == '[') {
				if (depth >= JSON_MAX_DEPTH)
					return scan_fail(x, "nested deeper than 128 levels");
				stack[depth++] = c;
				x->i++;
				want = c == '{' ? WANT_KEY_OR_CLOSE : WANT_VALUE_OR_CLOSE;
				break;
			}
			if (c == '"')
				r = scan_string(x);
			else if (c == '-' || is_digit(c))
				r = scan_number(x);
			else if (x->n - x->i >= 4 && memcmp(x->s + x->i, "true", 4) == 0)
				r = (x->i += 4, 0);
			else if (x->n - x->i >= 5 && memcmp(x->s + x->i, "false", 5) == 0)
				r = (x->i += 5, 0);
			else if (x->n - x->i >= 4 && memcmp(x->s + x->i, "null", 4) == 0)
				r = (x->i += 4, 0);
			else
				r = scan_fail(x, "invalid character");
			if (r < 0)
				return r;
			want = WANT_NEXT;
			break;
		case WANT_KEY_OR_CLOSE:
		case WANT_KEY:
			if (want == WANT_KEY_OR_CLOSE && c == '}') {
				depth--;
				x->i++;
				want = WANT_NEXT;
				break;
			}
			if (c != '"')
				return scan_fail(x, "object key is not a string");
			r = scan_string(x);
			if (r < 0)
				return r;
			want = WANT_COLON;
			break;
		case WANT_COLON:
			if (c != ':')
				return scan_fail(x, "missing ':' after an object key");
			x->i++;
			want = WANT_VALUE;
			break;
		case WANT_NEXT:
			if (c == ',') {
				x->i++;
				want = stack[depth - 1] == '{' ? WANT_KEY : WANT_VALUE;
			} else if (c == (stack[depth - 1] == '{' ? '}' : ']')) {
				depth--;
				x->i++;
			} else {
				return scan_fail(x, "missing ',' or closing bracket");
			}
			break;
		}
	}
}

/* Give every number node, in document order, its literal text. */
static int attach_literals(cJSON *j, const struct scan *x, size_t *k)
{
	for (; j; j = j->next) {
		if (cJSON_IsNumber(j)) {
			if (*k >= x->n_nums || j->valuestring)
				return -EINVAL;
			j->valuestring = strndup(x->s + x->num_off[*k], x->num_len[*k]);
			if (!j->valuestring)
				return -ENOMEM;
			(*k)++;
		}
		if (j->child) {
			int r = attach_literals(j->child, x, k);

			if (r < 0)
				return r;
		}
	}
	return 0;
}

int json_parse(const char *text, size_t len, const char *what, cJSON **ret, struct cni_err *err)
{
	_cleanup_free_ size_t *off = NULL;
	_cleanup_free_ unsigned char *lens = NULL;
	_cleanup_cjson_ cJSON *root = NULL;
	struct scan x = { .s = text, .n = len };
	size_t k = 0;
	int r;

	r = scan_document(&x);
	off = x.num_off;
	lens = x.num_len;
	if (r == -ENOMEM)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "%s: out of memory", what);
	if (r < 0)
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: %s at byte %zu", what, x.why, x.i);
	root = cJSON_ParseWithLength(text, len);
	if (!root)
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: invalid JSON near byte %zu", what,
			       (size_t)(cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() - text : 0));
	r = attach_literals(root, &x, &k);
	if (r == 0 && k != x.n_nums)
		r = -EINVAL;
	if (r < 0)
		return err_set(err, -r, r == -ENOMEM ? CNI_ERR_INTERNAL : CNI_ERR_DECODE, "%s: %s",
			       what, r == -ENOMEM ? "out of memory" : "invalid JSON");
	*ret = TAKE_PTR(root);
	return 0;
}

int json_validate(const char *text, size_t len, const char *what, struct cni_err *err)
{
	struct scan x = { .s = text, .n = len };
	int r = scan_document(&x);

	free(x.num_off);
	free(x.num_len);
	if (r == -ENOMEM)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "%s: out of memory", what);
	if (r < 0)
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: %s at byte %zu", what, x.why, x.i);
	return 0;
}

/*
 * Go's encoding/json folds keys with bytes.EqualFold: ASCII case, plus the two non-ASCII
 * runes whose folding orbit holds an ASCII letter: K (U+212A KELVIN SIGN) ~ k and
 * ſ (U+017F LATIN SMALL LETTER LONG S) ~ s. @field is ASCII.
 */
static bool key_matches(const char *key, const char *field)
{
	const char *k = key;

	/*
	 * Most keys differ from the field in their first byte: an ASCII one that differs even
	 * with bit 5 (ASCII case) ignored cannot fold to it. A non-ASCII first byte may start
	 * K or ſ: the full comparison below decides.
	 */
	if ((unsigned char)*k < 0x80 && (*k | 0x20) != (*field | 0x20))
		return false;

	for (const char *f = field; *f; f++) {
		char lf = (char)(*f >= 'A' && *f <= 'Z' ? *f + 32 : *f);

		if (lf == 'k' && strncmp(k, "\xe2\x84\xaa", 3) == 0) {
			k += 3;
			continue;
		}
		if (lf == 's' && strncmp(k, "\xc5\xbf", 2) == 0) {
			k += 2;
			continue;
		}
		if (!*k || (char)(*k >= 'A' && *k <= 'Z' ? *k + 32 : *k) != lf)
			return false;
		k++;
	}
	return !*k;
}

cJSON *json_get(const cJSON *obj, const char *key)
{
	cJSON *found = NULL;
	cJSON *it;

	if (!cJSON_IsObject(obj))
		return NULL;
	/* Go assigns every key that folds to the field name in turn, so the last one wins. */
	cJSON_ArrayForEach(it, obj) {
		if (it->string && key_matches(it->string, key))
			found = it;
	}
	return found;
}

/*
 * Go decodes every occurrence of a duplicated key into the field, in order: each must have
 * the field's type, and a null leaves the field as it was. So: every matching member is
 * checked with @ok, and the last non-null one is returned (NULL: absent or only nulls).
 */
static int get_checked(const cJSON *obj, const char *key, const char *what,
		       cJSON_bool (*ok)(const cJSON *), const char *type, cJSON **ret,
		       struct cni_err *err)
{
	cJSON *it;

	*ret = NULL;
	if (!cJSON_IsObject(obj))
		return 0;
	cJSON_ArrayForEach(it, obj) {
		if (!it->string || !key_matches(it->string, key) || cJSON_IsNull(it))
			continue;
		if (!ok(it))
			return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be %s", what, type);
		*ret = it;
	}
	return *ret ? 1 : 0;
}

int json_get_string(const cJSON *obj, const char *key, const char *what, const char **ret,
		    struct cni_err *err)
{
	cJSON *j;
	int r = get_checked(obj, key, what, cJSON_IsString, "a string", &j, err);

	if (r > 0)
		*ret = j->valuestring;
	return r;
}

/*
 * An integer as strconv.ParseInt reads the number's literal, which is what Go's decoder does
 * for an int field: "5.0", "1e3" and "1e-400" are refused, "-0" is 0.
 */
static int number_int(const cJSON *j, const char *what, long long *ret, struct cni_err *err)
{
	const char *lit = j->valuestring;
	char *end;
	long long v;

	if (!lit) {
		/* A node built in memory, not parsed by json_parse(): only the double exists. */
		double d = j->valuedouble;

		if (!isfinite(d) || d != floor(d) || d < -9.2e18 || d > 9.2e18)
			return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be an integer", what);
		*ret = (long long)d;
		return 0;
	}
	if (strpbrk(lit, ".eE"))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be an integer, not %s", what,
			       lit);
	errno = 0;
	v = strtoll(lit, &end, 10);
	if (errno == ERANGE || *end)
		return err_set(err, ERANGE, CNI_ERR_DECODE, "%s: %s does not fit an integer", what,
			       lit);
	*ret = v;
	return 0;
}

static cJSON_bool is_number(const cJSON *j)
{
	return cJSON_IsNumber(j);
}

int json_get_int(const cJSON *obj, const char *key, const char *what, long long min, long long max,
		 long long *ret, struct cni_err *err)
{
	cJSON *it, *found = NULL;
	long long v = 0;

	if (get_checked(obj, key, what, is_number, "a number", &found, err) < 0)
		return err_ret(err);
	if (!found)
		return 0;
	/* Each occurrence goes through the decoder, so each must be a valid integer. */
	cJSON_ArrayForEach(it, obj) {
		if (!it->string || !key_matches(it->string, key) || cJSON_IsNull(it))
			continue;
		if (number_int(it, what, &v, err) < 0)
			return err_ret(err);
	}
	if (v < min || v > max)
		return err_set(err, ERANGE, CNI_ERR_INVALID_CONFIG,
			       "%s: %lld is out of range %lld-%lld", what, v, min, max);
	*ret = v;
	return 1;
}

static cJSON_bool is_bool(const cJSON *j)
{
	return cJSON_IsBool(j);
}

int json_get_bool(const cJSON *obj, const char *key, const char *what, bool *ret,
		  struct cni_err *err)
{
	cJSON *j;
	int r = get_checked(obj, key, what, is_bool, "true or false", &j, err);

	if (r > 0)
		*ret = cJSON_IsTrue(j);
	return r;
}

static cJSON_bool is_array(const cJSON *j)
{
	return cJSON_IsArray(j);
}

static cJSON_bool is_object(const cJSON *j)
{
	return cJSON_IsObject(j);
}

int json_get_array(const cJSON *obj, const char *key, const char *what, const cJSON **ret,
		   struct cni_err *err)
{
	cJSON *j;
	int r = get_checked(obj, key, what, is_array, "a list", &j, err);

	if (r > 0)
		*ret = j;
	return r;
}

int json_get_object(const cJSON *obj, const char *key, const char *what, const cJSON **ret,
		    struct cni_err *err)
{
	cJSON *j;
	int r = get_checked(obj, key, what, is_object, "an object", &j, err);

	if (r > 0)
		*ret = j;
	return r;
}

static int too_long(const char *what, size_t len, size_t size, struct cni_err *err)
{
	return err_set(err, ENAMETOOLONG, CNI_ERR_INVALID_CONFIG,
		       "%s: %zu bytes long, at most %zu are supported", what, len, size - 1);
}

int json_get_strbuf(const cJSON *obj, const char *key, const char *what, char *buf, size_t size,
		    struct cni_err *err)
{
	const char *s = NULL;
	size_t len;
	int r = json_get_string(obj, key, what, &s, err);

	if (r <= 0)
		return r;
	len = strlen(s);
	if (len >= size)
		return too_long(what, len, size, err);
	memcpy(buf, s, len + 1);
	return 1;
}

int json_get_string_list(const cJSON *obj, const char *key, const char *what, int max_n,
			 size_t size, const cJSON **ret, struct cni_err *err)
{
	const cJSON *a = NULL, *it;
	int n, i = 0, r;

	r = json_get_array(obj, key, what, &a, err);
	if (r <= 0)
		return r;
	n = cJSON_GetArraySize(a);
	if (n > max_n)
		return err_set(err, E2BIG, CNI_ERR_INVALID_CONFIG,
			       "%s: too many entries (%d), at most %d are supported", what, n,
			       max_n);
	cJSON_ArrayForEach(it, a) {
		char at[32];

		snprintf(at, sizeof(at), "[%d]", i++);
		if (!cJSON_IsString(it))
			return err_set(err, EINVAL, CNI_ERR_DECODE, "%s%s: must be a string", what,
				       at);
		if (strlen(it->valuestring) >= size) {
			char w[256];

			snprintf(w, sizeof(w), "%s%s", what, at);
			return too_long(w, strlen(it->valuestring), size, err);
		}
	}
	*ret = a;
	return 1;
}

int json_get_mac(const cJSON *obj, const char *key, const char *what, uint8_t mac[6],
		 struct cni_err *err)
{
	const char *s = NULL;
	uint8_t m[6];
	int r = json_get_string(obj, key, what, &s, err);

	if (r <= 0 || !*s)
		return r < 0 ? r : 0;
	if (strlen(s) != 17)
		goto bad;
	for (int i = 0; i < 6; i++) {
		int hi = text_hexval(s[i * 3]), lo = text_hexval(s[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			goto bad;
		m[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, m, 6);
	return 1;
bad:
	return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: invalid MAC address %s", what, QUOTE(s));
}

static int net_error(const char *what, const char *type, const char *s, enum json_net_words words,
		     struct cni_err *err)
{
	if (words == JSON_NET_QUOTED)
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: invalid %s %s", what, type,
			       QUOTE(s));
	err_set(err, EINVAL, CNI_ERR_DECODE, "invalid %s: %s", type, ESCAPED(s));
	err_details(err, "%s", what);
	return err_ret(err);
}

int json_get_ipaddr(const cJSON *obj, const char *key, const char *what, enum json_net_words words,
		    struct ipaddr *ret, struct cni_err *err)
{
	const char *s = NULL;
	int r = json_get_string(obj, key, what, &s, err);

	if (r <= 0 || !*s)
		return r < 0 ? r : 0;
	if (ipaddr_parse(s, ret) < 0)
		return net_error(what, "IP address", s, words, err);
	return 1;
}

int json_get_prefix(const cJSON *obj, const char *key, const char *what, enum json_net_words words,
		    struct ipprefix *ret, struct cni_err *err)
{
	const char *s = NULL;
	int r = json_get_string(obj, key, what, &s, err);

	if (r <= 0)
		return r;
	if (ipprefix_parse(s, ret) < 0)
		return net_error(what, "CIDR address", s, words, err);
	return 1;
}

int json_config_err(int r, const char *path, struct cni_err *err)
{
	if (r < 0) {
		err->code = CNI_ERR_INVALID_CONFIG;
		if (path)
			err_details(err, "%s", path);
	}
	return r;
}

int json_print(FILE *f, const cJSON *j)
{
	_cleanup_free_ char *s = cJSON_PrintUnformatted(j);
	size_t len = s ? strlen(s) : 0;

	if (!s)
		return -ENOMEM;
	s[len] = '\n';
	return fflush(f) == EOF || fs_write_all(fileno(f), s, len + 1) < 0 ? -EIO : 0;
}
