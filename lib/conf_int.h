/* SPDX-License-Identifier: Apache-2.0 */
/* conf_int.h: between conf.c and conf_gc.c (GC's list of valid attachments). */
#ifndef SRIOV_CONF_INT_H
#define SRIOV_CONF_INT_H

#include <stddef.h>

#include "sriov/conf.h"
#include "sriov/json.h"

#define CONF_VALID_KEY "cni.dev/valid-attachments" /* exact, as libcni writes it */

/* Where the list GC reads is in the text: [off, off + len), or len 0 when not there. */
struct conf_span {
	size_t off, len;
};

/*
 * Parse @text as json_parse() does (same checks, same errors, with @what), into a tree in
 * which the value of every top-level CONF_VALID_KEY member that is a list reads "[]": the
 * list of a GC may fill most of a 1 MiB config and would take ten times that as a tree.
 * *@ret_list: the text of the last such member's list, which is the one that counts (Go
 * decodes duplicate keys in turn); len 0 when the last CONF_VALID_KEY member is no list
 * (the tree then holds its value) or there is none.
 */
int conf_split(const char *text, size_t len, const char *what, cJSON **ret,
	       struct conf_span *ret_list, struct cni_err *err);

/*
 * GC's list into @c->valid, sorted by (containerID, ifname): the last CONF_VALID_KEY member
 * of @root, whose elements are read from @text at @list when that is set (conf_split()), one
 * at a time, else from the tree. Absent or null: no list. Code 6 for a value that is no list
 * or an element without containerID and ifname strings (keys as Go matches them), naming it.
 * With @own (the writable, malloc'ed buffer @text is in), the strings are decoded into the
 * list's own bytes of the buffer, which then becomes @c's, shrunk to them (*@own = NULL).
 */
int conf_valid_read(const cJSON *root, const char *text, struct conf_span list, char **own,
		    struct sriov_conf *c, struct cni_err *err);

#endif
