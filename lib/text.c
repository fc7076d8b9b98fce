/* SPDX-License-Identifier: Apache-2.0 */
/* text.c: locale-free character and path checks shared by the parsers. */
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
