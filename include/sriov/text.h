/* SPDX-License-Identifier: Apache-2.0 */
/* text.h: locale-free character, UTF-8, quoting and path helpers shared by the parsers. */
#ifndef SRIOV_TEXT_H
#define SRIOV_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value of a hex digit, -1 for anything else (no locale, unlike isxdigit). */
int text_hexval(char c);

/* An absolute path with no ".." component (so it cannot climb out of where it points). */
bool text_path_clean_abs(const char *p);

/*
 * @p (absolute, without "..") into @buf as "/a/b": repeated slashes, "." components and a
 * trailing slash removed ("/" stays "/"). False when @p is not clean or does not fit.
 */
bool text_path_normalize(const char *p, char *buf, size_t size);

/*
 * If the normalized path @p lies strictly below the normalized directory @dir ("/var/log"),
 * the rest after "dir/" ("a/b.log"); else NULL. @dir "/" never matches.
 */
const char *text_path_below(const char *p, const char *dir);

/*
 * Length (1-4) of the well-formed UTF-8 sequence at @s (at most @n bytes) and its code point
 * in *@cp; -1 when the bytes are not UTF-8 (overlong forms, surrogates and values above
 * U+10FFFF included, as RFC 3629 says).
 */
int text_utf8_next(const char *s, size_t n, uint32_t *cp);

/*
 * @n bytes of @s (SIZE_MAX: up to its NUL) for a message that echoes input. With @quote,
 * double-quoted as Go's %q does it: \" \\ \n \r \t, and \xNN for other control characters,
 * DEL, C1 controls, U+2028/U+2029 and bytes that are not UTF-8. Without @quote only those
 * \xNN escapes are made, so clean text reads exactly as Go prints it unquoted. At most @max
 * input bytes are shown, then "..." follows.
 */
const char *text_escape(const char *s, size_t n, size_t max, bool quote, char *buf, size_t size);
#define TEXT_ESCAPE_MAX 64
#define TEXT_ESCAPE_SIZE (TEXT_ESCAPE_MAX * 4 + 8)
/* Escaped copies that live until the end of the enclosing block (for printf arguments). */
#define QUOTE(s)                                                                         \
	text_escape((s), SIZE_MAX, TEXT_ESCAPE_MAX, true, (char[TEXT_ESCAPE_SIZE]){ 0 }, \
		    TEXT_ESCAPE_SIZE)
#define QUOTE_N(s, n)                                                               \
	text_escape((s), (n), TEXT_ESCAPE_MAX, true, (char[TEXT_ESCAPE_SIZE]){ 0 }, \
		    TEXT_ESCAPE_SIZE)
#define ESCAPED_N(s, n)                                                              \
	text_escape((s), (n), TEXT_ESCAPE_MAX, false, (char[TEXT_ESCAPE_SIZE]){ 0 }, \
		    TEXT_ESCAPE_SIZE)
#define ESCAPED(s)                                                                        \
	text_escape((s), SIZE_MAX, TEXT_ESCAPE_MAX, false, (char[TEXT_ESCAPE_SIZE]){ 0 }, \
		    TEXT_ESCAPE_SIZE)

#endif
