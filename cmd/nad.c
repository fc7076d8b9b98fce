/* SPDX-License-Identifier: Apache-2.0 */
/* nad.c: find the NetworkAttachmentDefinitions of a YAML stream with libyaml's document loader. */
#include <stdio.h>
#include <string.h>

#include <yaml.h>

#include "nad.h"

/* Scalar node text, NUL-terminated by libyaml; NULL for anything else. */
static const char *scalar(yaml_document_t *doc, yaml_node_t *n, size_t *ret_len)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	if (ret_len)
		*ret_len = n->data.scalar.length;
	return (const char *)n->data.scalar.value;
}

/* The value node of @key in mapping @map, NULL when @map is no mapping or lacks @key. */
static yaml_node_t *member(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	/* Kubernetes decodes with the last of duplicate keys winning: search backwards. */
	for (p = map->data.mapping.pairs.top; p-- > map->data.mapping.pairs.start;) {
		const char *k = scalar(doc, yaml_document_get_node(doc, p->key), NULL);

		if (k && strcmp(k, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

/* @obj is a Kubernetes object: if it is a NetworkAttachmentDefinition, visit it. */
static int visit_object(yaml_document_t *doc, yaml_node_t *obj, nad_visit_t visit, void *ctx)
{
	const char *kind = scalar(doc, member(doc, obj, "kind"), NULL);
	yaml_node_t *meta, *config;
	struct nad nad = { 0 };

	if (!kind || strcmp(kind, "NetworkAttachmentDefinition") != 0)
		return 0;
	meta = member(doc, obj, "metadata");
	nad.name = scalar(doc, member(doc, meta, "name"), NULL);
	nad.namespace = scalar(doc, member(doc, meta, "namespace"), NULL);
	config = member(doc, member(doc, obj, "spec"), "config");
	nad.config = scalar(doc, config, &nad.config_len);
	nad.line = (config ? config : obj)->start_mark.line + 1;
	visit(ctx, &nad);
	return 1;
}

int nad_scan(const char *text, size_t len, nad_visit_t visit, void *ctx, char *errbuf,
	     size_t errlen)
{
	yaml_parser_t parser;
	int found = 0;

	if (!yaml_parser_initialize(&parser)) {
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	for (;;) {
		yaml_document_t doc;
		yaml_node_t *root, *items;

		if (!yaml_parser_load(&parser, &doc)) {
			snprintf(errbuf, errlen, "line %lu, column %lu: %s",
				 (unsigned long)parser.problem_mark.line + 1,
				 (unsigned long)parser.problem_mark.column + 1,
				 parser.problem ? parser.problem : "YAML error");
			yaml_parser_delete(&parser);
			return -1;
		}
		root = yaml_document_get_root_node(&doc);
		if (!root) { /* the end of the stream */
			yaml_document_delete(&doc);
			break;
		}
		found += visit_object(&doc, root, visit, ctx);
		items = member(&doc, root, "items");
		if (items && items->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *it = items->data.sequence.items.start;
			     it < items->data.sequence.items.top; it++)
				found += visit_object(&doc, yaml_document_get_node(&doc, *it),
						      visit, ctx);
		}
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return found;
}
