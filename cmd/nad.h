/* SPDX-License-Identifier: Apache-2.0 */
/* nad.h: NetworkAttachmentDefinitions in a Kubernetes YAML file (libyaml stays in nad.c). */
#ifndef SRIOV_NAD_H
#define SRIOV_NAD_H

#include <stddef.h>

/* One NetworkAttachmentDefinition as Multus reads it; strings point into the parsed document. */
struct nad {
	const char *name; /* metadata.name, NULL when absent or not a string */
	const char *namespace; /* metadata.namespace, NULL when absent ("default" for Multus) */
	const char *config; /* spec.config (the CNI config text), NULL when absent */
	size_t config_len;
	unsigned long line; /* 1-based line of the object, or of spec.config when present */
};

typedef void (*nad_visit_t)(void *ctx, const struct nad *nad);

/*
 * Parse the YAML stream @text (@len bytes; any number of "---" documents) and call @visit for
 * every object of kind NetworkAttachmentDefinition: a top-level document, or an item of a
 * top-level "items" list (kubectl's List and NetworkAttachmentDefinitionList). Other kinds are
 * passed over. Returns the number of NetworkAttachmentDefinitions found, or -1 when the text is
 * not YAML, with @errbuf saying where and why.
 */
int nad_scan(const char *text, size_t len, nad_visit_t visit, void *ctx, char *errbuf,
	     size_t errlen);

#endif
