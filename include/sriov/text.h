/* SPDX-License-Identifier: Apache-2.0 */
/* text.h: locale-free character and path checks shared by the parsers. */
#ifndef SRIOV_TEXT_H
#define SRIOV_TEXT_H

#include <stdbool.h>

/* Value of a hex digit, -1 for anything else (no locale, unlike isxdigit). */
int text_hexval(char c);

/* An absolute path with no ".." component (so it cannot climb out of where it points). */
bool text_path_clean_abs(const char *p);

#endif
