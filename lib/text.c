/* SPDX-License-Identifier: Apache-2.0 */
/* text.c: locale-free character, UTF-8, quoting and path helpers shared by the parsers. */
#include <stdio.h>
#include <string.h>

#include "sriov/text.h"

int text_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool text_path_clean_abs(const char *p)
{
	if (!p || p[0] != '/')
		return false;
	for (const char *s = p; *s;) {
		const char *e;

		while (*s == '/')
			s++;
		e = strchrnul(s, '/');
		if (e - s == 2 && s[0] == '.' && s[1] == '.')
			return false;
		s = e;
	}
	return true;
}

bool text_path_normalize(const char *p, char *buf, size_t size)
{
	size_t o = 0;

	if (!text_path_clean_abs(p) || size < 2)
		return false;
	for (const char *s = p; *s;) {
		size_t len;

		while (*s == '/')
			s++;
		len = strcspn(s, "/");
		if (len == 0 || (len == 1 && s[0] == '.')) {
			s += len;
			continue;
		}
		if (o + 1 + len + 1 > size)
			return false;
		buf[o++] = '/';
		memcpy(buf + o, s, len);
		o += len;
		s += len;
	}
	if (o == 0)
		buf[o++] = '/';
	buf[o] = '\0';
	return true;
}

const char *text_path_below(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	if (n <= 1 || strncmp(p, dir, n) != 0 || p[n] != '/' || !p[n + 1])
		return NULL;
	return p + n + 1;
}

int text_utf8_next(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c, min;
	int len;

	if (n == 0)
		return -1;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
		min = 0x80;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
		min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	if ((size_t)len > n)
		return -1;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return len;
}

const char *text_escape(const char *s, size_t n, size_t max, bool quote, char *buf, size_t size)
{
	size_t o = 0, i = 0;

	if (n == SIZE_MAX)
		n = s ? strlen(s) : 0;
	if (size < 8) {
		if (size)
			buf[0] = '\0';
		return buf;
	}
	if (quote)
		buf[o++] = '"';
	while (i < n && i < max) {
		unsigned char ch = (unsigned char)s[i];
		uint32_t cp = 0;
		int len = text_utf8_next(s + i, n - i, &cp);
		char esc = 0;

		if (quote && (ch == '"' || ch == '\\'))
			esc = (char)ch;
		else if (quote && ch == '\n')
			esc = 'n';
		else if (quote && ch == '\r')
			esc = 'r';
		else if (quote && ch == '\t')
			esc = 't';
		if (len < 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
		    cp == 0x2028 || cp == 0x2029 || esc)
			len = len < 0 ? 1 : len;
		else
			esc = -1; /* printable: copied as it is */
		if (o + (size_t)len * 4 + 5 > size)
			break;
		if (esc == -1) {
			memcpy(buf + o, s + i, (size_t)len);
			o += (size_t)len;
		} else if (esc) {
			buf[o++] = '\\';
			buf[o++] = esc;
		} else {
			for (int k = 0; k < len; k++)
				o += (size_t)snprintf(buf + o, size - o, "\\x%02x",
						      (unsigned char)s[i + k]);
		}
		i += (size_t)len;
	}
	if (quote)
		buf[o++] = '"';
	if (i < n && o + 4 <= size) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}
