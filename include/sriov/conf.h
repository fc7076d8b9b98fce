/* SPDX-License-Identifier: Apache-2.0 */
/* conf.h: the sriov network configuration (sriov-cni v2.10 keys) as a validated plain struct. */
#ifndef SRIOV_CONF_H
#define SRIOV_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sriov/cni.h"
#include "sriov/err.h"

#define CONF_MAX_INPUT (1024 * 1024) /* stdin larger than this is refused */
#define CONF_PCI_STRLEN 32

enum tristate {
	TRI_UNSET = 0,
	TRI_OFF,
	TRI_ON,
};

enum log_level {
	LOG_LEVEL_PANIC,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_WARNING,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

struct sriov_conf {
	char cni_version[16]; /* "0.1.0" when absent, as libcni does */
	char name[CNI_ID_MAX + 1];
	char device_id[CONF_PCI_STRLEN]; /* "" when absent (GC/STATUS) */

	bool has_vlan;
	unsigned int vlan;
	bool has_qos;
	unsigned int qos;
	bool has_proto;
	uint16_t vlan_proto; /* 0x8100 / 0x88a8 */

	bool has_mac; /* after precedence: config < CNI_ARGS MAC < runtimeConfig.mac */
	uint8_t mac[6];

	enum tristate spoofchk;
	enum tristate trust;
	int link_state; /* -1 unset, else IFLA_VF_LINK_STATE_* */
	long long min_tx_rate; /* -1 unset */
	long long max_tx_rate; /* -1 unset */

	enum log_level log_level;
	char log_file[PATH_MAX]; /* "" = stderr */

	char ipam_type[64]; /* "" = no IPAM */
	const cJSON *prev_result; /* borrowed from the parsed tree, may be NULL */
};

/*
 * Parse and validate stdin @text for @env->cmd. @ret_root receives the cJSON tree, which
 * @ret points into (prev_result) and which IPAM reads. For GC and STATUS deviceID is optional.
 * Every error names the offending field; nothing is touched before this succeeds.
 */
int conf_parse(const char *text, size_t len, const struct cni_env *env, struct sriov_conf *ret,
	       cJSON **ret_root, struct cni_err *err);

/*
 * Receives each problem conf_check() finds, in field order, with the key the failing check
 * owns (e.g. "vlan" for a vlanQoS problem too; NULL when the text is no JSON object).
 */
typedef void (*conf_report_t)(void *ctx, const char *field, const struct cni_err *problem);

/*
 * Check @text as conf_parse() checks it for ADD, without stopping at the first problem: each
 * wrong field is passed to @report (its message starts with the field's name), and the next
 * field is checked. A missing deviceID is accepted (Multus injects it), and a missing name is
 * taken as @default_name when that is not NULL (Multus injects the NetworkAttachmentDefinition's
 * name). Returns the number of problems (0: ADD would accept the config), with @ret and
 * @ret_root filled as far as the fields allowed, or a negative errno, reported too, when @text
 * is not a JSON object at all (then @ret and @ret_root are untouched).
 */
int conf_check(const char *text, size_t len, const char *default_name, conf_report_t report,
	       void *ctx, struct sriov_conf *ret, cJSON **ret_root);

struct ipam_attachment;
/*
 * GC: the "cni.dev/valid-attachments" list as (containerID, ifname) pairs pointing into
 * @root. *ret is malloc'ed (NULL when the list is empty).
 */
int conf_valid_attachments(const cJSON *root, struct ipam_attachment **ret, size_t *ret_n,
			   struct cni_err *err);

/* Only the version, for error replies when full parsing failed ("" if unreadable). */
void conf_peek_version(const char *text, size_t len, char buf[16]);

/* "dddd:bb:dd.f" (4-8 hex digit domain, lower case hex accepted as Go prints it). */
bool conf_valid_pci(const char *s);
/* "aa:bb:cc:dd:ee:ff" (also '-' separated); not multicast. */
int conf_parse_mac(const char *s, uint8_t ret[6]);
const char *conf_mac_str(const uint8_t mac[6], char buf[18]);

#endif
