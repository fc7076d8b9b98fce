/* SPDX-License-Identifier: Apache-2.0 */
/* test_log.c: log levels, the line format, and the escaping that keeps values on their line. */
#include <fcntl.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sriov/log.h"

/* Run @fn with stderr captured; the captured text into @buf. */
static void capture(void (*fn)(void), char *buf, size_t size)
{
	char path[] = "/tmp/test_log.XXXXXX";
	int fd = mkstemp(path), saved = dup(STDERR_FILENO);
	ssize_t n;

	assert_true(fd >= 0 && saved >= 0);
	unlink(path);
	assert_int_equal(dup2(fd, STDERR_FILENO), STDERR_FILENO);
	fn();
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	n = pread(fd, buf, size - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	close(fd);
}

static void levels_info(void)
{
	log_open(LOG_LEVEL_INFO, "");
	log_debug("hidden %d", 1);
	log_info("shown %d", 2);
	log_warn("warned");
	log_error("failed: %s", "why");
}

static void levels_error(void)
{
	log_open(LOG_LEVEL_ERROR, NULL);
	log_info("hidden");
	log_warn("hidden too");
	log_error("only this");
	log_msg(LOG_LEVEL_PANIC, "and this");
}

static void test_levels(void **state)
{
	char out[4096];

	capture(levels_info, out, sizeof(out));
	assert_null(strstr(out, "hidden"));
	assert_non_null(strstr(out, " [info] shown 2\n"));
	assert_non_null(strstr(out, " [warning] warned\n"));
	assert_non_null(strstr(out, " [error] failed: why\n"));
	capture(levels_error, out, sizeof(out));
	assert_null(strstr(out, "hidden"));
	assert_non_null(strstr(out, " [error] only this\n"));
	assert_non_null(strstr(out, " [panic] and this\n"));
}

static void one_line(void)
{
	log_open(LOG_LEVEL_DEBUG, "");
	log_debug("DEL container %s", "c1");
}

static void test_format(void **state)
{
	char out[4096];
	regex_t re;

	capture(one_line, out, sizeof(out));
	/* RFC 3339 UTC time, the level in brackets, the message, one newline. */
	assert_int_equal(regcomp(&re,
				 "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z "
				 "\\[debug\\] DEL container c1\n$",
				 REG_EXTENDED),
			 0);
	if (regexec(&re, out, 0, NULL, 0) != 0)
		fail_msg("unexpected line: \"%s\"", out);
	regfree(&re);
}

static void hostile(void)
{
	log_open(LOG_LEVEL_INFO, "");
	log_error("invalid CIDR address: %s",
		  "x\nssh-ed25519 AAAA attacker\r\n#\x1b[2J\x7f\xc2\x85\xe2\x80\xa8\xff\xc3");
}

static void test_escaping(void **state)
{
	char out[4096];

	capture(hostile, out, sizeof(out));
	/* One line; every control byte, C1 control, U+2028 and stray byte written as \xNN. */
	assert_non_null(strchr(out, '\n'));
	assert_int_equal(strchr(out, '\n')[1], '\0');
	assert_non_null(strstr(
		out,
		" [error] invalid CIDR address: x\\x0assh-ed25519 AAAA attacker\\x0d\\x0a#\\x1b[2J"
		"\\x7f\\xc2\\x85\\xe2\\x80\\xa8\\xff\\xc3\n"));
}

static void test_escape_keeps_text(void **state)
{
	char buf[64];

	/* Printable UTF-8 (é, €, 😀) stays as it is; a NUL-free ASCII text is unchanged. */
	assert_int_equal(
		log_escape("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 b", 12, buf, sizeof(buf)), 12);
	assert_string_equal(buf, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 b");
	/* Overlong encodings and surrogates are not UTF-8. */
	log_escape("\xc0\xaf\xed\xa0\x80", 5, buf, sizeof(buf));
	assert_string_equal(buf, "\\xc0\\xaf\\xed\\xa0\\x80");
	/* A full buffer never ends in half an escape. */
	assert_int_equal(log_escape("\n\n\n", 3, buf, 10), 8);
	assert_string_equal(buf, "\\x0a\\x0a");
}

static void long_line(void)
{
	static char big[3 * LOG_LINE_MAX];

	log_open(LOG_LEVEL_INFO, "");
	memset(big, '\n', sizeof(big) - 1);
	log_info("%s", big);
}

static void test_long_line_cut(void **state)
{
	static char out[4 * LOG_LINE_MAX];

	capture(long_line, out, sizeof(out));
	assert_true(strlen(out) <= LOG_LINE_MAX);
	assert_non_null(strchr(out, '\n'));
	assert_int_equal(strchr(out, '\n')[1], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_levels),	      cmocka_unit_test(test_format),
		cmocka_unit_test(test_escaping),      cmocka_unit_test(test_escape_keeps_text),
		cmocka_unit_test(test_long_line_cut),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
