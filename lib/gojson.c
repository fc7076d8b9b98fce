/* SPDX-License-Identifier: Apache-2.0 */
/* gojson.c: print a cJSON tree byte for byte as Go's encoding/json prints the same map. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/gojson.h"

struct out {
	char *buf;
	size_t len, cap;
	bool oom;
};

static void out_add(struct out *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 1024;
		char *p;

		while (cap < o->len + n + 1)
			cap *= 2;
		p = realloc(o->buf, cap);
		if (!p) {
			o->oom = true;
			return;
		}
		o->buf = p;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void out_str(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at @s, 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * A JSON string as Go's encoder writes it (encode.go appendString, HTML escaping on): short
 * escapes for \" \\ \b \f \n \r \t, \u00XX for other control bytes and for < > &,
 * \u2028 and \u2029 escaped, each invalid UTF-8 byte replaced by \ufffd.
 */
static void out_go_string(struct out *o, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;

	out_add(o, "\"", 1);
	while (*s) {
		size_t n = utf8_len(s);
		char esc[8];

		if (n == 0) {
			out_str(o, "\\ufffd");
			s++;
			continue;
		}
		if (n == 3 && s[0] == 0xe2 && s[1] == 0x80 && (s[2] == 0xa8 || s[2] == 0xa9)) {
			out_str(o, s[2] == 0xa8 ? "\\u2028" : "\\u2029");
			s += 3;
			continue;
		}
		if (n > 1) {
			out_add(o, (const char *)s, n);
			s += n;
			continue;
		}
		switch (*s) {
		case '"':
			out_str(o, "\\\"");
			break;
		case '\\':
			out_str(o, "\\\\");
			break;
		case '\b':
			out_str(o, "\\b");
			break;
		case '\f':
			out_str(o, "\\f");
			break;
		case '\n':
			out_str(o, "\\n");
			break;
		case '\r':
			out_str(o, "\\r");
			break;
		case '\t':
			out_str(o, "\\t");
			break;
		default:
			if (*s < 0x20 || *s == '<' || *s == '>' || *s == '&') {
				snprintf(esc, sizeof(esc), "\\u00%c%c", hex[*s >> 4],
					 hex[*s & 0xf]);
				out_str(o, esc);
			} else {
				out_add(o, (const char *)s, 1);
			}
		}
		s++;
	}
	out_add(o, "\"", 1);
}

/*
 * @buf is "%.*e" of @a: "d.ddde+XX". Replace it with the decimal one unit of its last digit
 * higher ("9.99e+05" becomes "1.00e+06") when that reads back as @a; else leave it.
 */
static bool decimal_up_reads_back(char *buf, double a)
{
	char up[64], *e = strchr(buf, 'e'), *p;
	int exp = atoi(e + 1);

	memcpy(up, buf, (size_t)(e - buf));
	p = up + (e - buf);
	for (;;) {
		--p;
		if (*p == '.')
			continue;
		if (*p != '9') {
			(*p)++;
			break;
		}
		*p = '0';
		if (p == up) {
			/* All nines: 1 followed by the same number of zeros, one power higher. */
			*p = '1';
			exp++;
			break;
		}
	}
	snprintf(up + (e - buf), sizeof(up) - (size_t)(e - buf), "e%+03d", exp);
	if (strtod(up, NULL) != a)
		return false;
	memcpy(buf, up, strlen(up) + 1);
	return true;
}

/*
 * A number as Go prints a float64 that came out of map[string]interface{} (encode.go,
 * floatEncoder): the shortest digits that read back (strconv.AppendFloat with precision -1),
 * laid out with 'f' for magnitudes in [1e-6, 1e21) and 'e' otherwise, "e-07" shortened to
 * "e-7". Integers below 2^53 (every number a cache or record holds) are their own shortest
 * digits and go out without printf.
 */
static void out_number(struct out *o, double d)
{
	char buf[64], digits[24], *p = buf + sizeof(buf), *e;
	double a = fabs(d);
	size_t n = 0;
	int exp;

	if (!isfinite(d)) {
		out_str(o, "null");
		return;
	}
	if (a < 9007199254740992.0 && d == floor(d) && !(d == 0 && signbit(d))) {
		unsigned long long u = (unsigned long long)a;

		*--p = '\0';
		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (d < 0)
			*--p = '-';
		out_str(o, p);
		return;
	}
	/*
	 * The fewest digits that read back, as strconv picks them: at each length the nearest
	 * decimal ("%.*e"), else the next one up. The second matters only at a power of two,
	 * whose gap to the double below is half the gap above: the nearest decimal can fall
	 * below, outside the narrow side, while the next one up is inside the wide side.
	 */
	for (int prec = 0; prec <= 16; prec++) {
		snprintf(buf, sizeof(buf), "%.*e", prec, a);
		if (strtod(buf, NULL) == a || decimal_up_reads_back(buf, a))
			break;
	}
	e = strchr(buf, 'e');
	exp = atoi(e + 1);
	for (const char *s = buf; s < e; s++)
		if (*s != '.')
			digits[n++] = *s;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	if (signbit(d))
		out_add(o, "-", 1);
	if (a != 0 && (a < 1e-6 || a >= 1e21)) {
		out_add(o, digits, 1);
		if (n > 1) {
			out_add(o, ".", 1);
			out_add(o, digits + 1, n - 1);
		}
		/* Exponents here are below -5 or above 20: no padding digit ("e+21", "e-7"). */
		snprintf(buf, sizeof(buf), "e%c%d", exp < 0 ? '-' : '+', abs(exp));
		out_str(o, buf);
	} else if (exp < 0) {
		out_add(o, "0.", 2);
		for (int i = -1; i > exp; i--)
			out_add(o, "0", 1);
		out_add(o, digits, n);
	} else if ((size_t)exp + 1 >= n) {
		out_add(o, digits, n);
		for (size_t i = n; i < (size_t)exp + 1; i++)
			out_add(o, "0", 1);
	} else {
		out_add(o, digits, (size_t)exp + 1);
		out_add(o, ".", 1);
		out_add(o, digits + exp + 1, n - (size_t)exp - 1);
	}
}

struct kid {
	const cJSON *j;
	size_t idx;
};

static int kid_cmp(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;
	int c = strcmp(x->j->string, y->j->string);

	/* Equal keys keep their order, so that the last one (Go's winner) comes last. */
	return c ? c : (x->idx < y->idx ? -1 : 1);
}

static void out_value(struct out *o, const cJSON *j);

/* Objects with keys in byte order: Go marshals a map that way. */
static void out_object(struct out *o, const cJSON *j)
{
	_cleanup_free_ struct kid *kids = NULL;
	size_t n = 0, i = 0, printed = 0;
	const cJSON *it;

	cJSON_ArrayForEach(it, j)
		n++;
	kids = calloc(n + 1, sizeof(*kids));
	if (!kids) {
		o->oom = true;
		return;
	}
	cJSON_ArrayForEach(it, j) {
		kids[i].j = it;
		kids[i].idx = i;
		i++;
	}
	qsort(kids, n, sizeof(*kids), kid_cmp);
	out_add(o, "{", 1);
	for (i = 0; i < n; i++) {
		if (i + 1 < n && strcmp(kids[i].j->string, kids[i + 1].j->string) == 0)
			continue; /* a duplicate key: the last one wins, as in Go */
		if (printed++)
			out_add(o, ",", 1);
		out_go_string(o, kids[i].j->string);
		out_add(o, ":", 1);
		out_value(o, kids[i].j);
	}
	out_add(o, "}", 1);
}

static void out_value(struct out *o, const cJSON *j)
{
	const cJSON *it;

	if (cJSON_IsObject(j)) {
		out_object(o, j);
	} else if (cJSON_IsArray(j)) {
		out_add(o, "[", 1);
		cJSON_ArrayForEach(it, j) {
			if (it != j->child)
				out_add(o, ",", 1);
			out_value(o, it);
		}
		out_add(o, "]", 1);
	} else if (cJSON_IsString(j)) {
		out_go_string(o, j->valuestring);
	} else if (cJSON_IsNumber(j)) {
		out_number(o, j->valuedouble);
	} else if (cJSON_IsTrue(j)) {
		out_str(o, "true");
	} else if (cJSON_IsFalse(j)) {
		out_str(o, "false");
	} else {
		out_str(o, "null");
	}
}

char *gojson_print(const cJSON *j)
{
	struct out out = { 0 };

	out_value(&out, j);
	if (out.oom || !out.buf) {
		free(out.buf);
		return NULL;
	}
	return out.buf;
}
