/* SPDX-License-Identifier: Apache-2.0 */
/* conf.h: the sriov network configuration (sriov-cni v2.10 keys) as a validated plain struct. */
#ifndef SRIOV_CONF_H
#define SRIOV_CONF_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "sriov/cni.h"
#include "sriov/err.h"
#include "sriov/ipam_conf.h"
#include "sriov/log.h"

struct cni_result;

#define CONF_MAX_INPUT (1024 * 1024) /* stdin larger than this is refused */
#define CONF_PCI_STRLEN 32

enum tristate {
	TRI_UNSET = 0,
	TRI_OFF,
	TRI_ON,
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

	/* The ipam section, parsed here once (ipam_conf.h); ipam.type "" = no IPAM. */
	struct ipam_conf ipam;

	/*
	 * prevResult in the config's version, malloc'ed; NULL when absent. When it is an object
	 * that does not parse as a result, prev_result_r < 0 and prev_result_err say why (CHECK
	 * fails with that; the other verbs do not read it).
	 */
	struct cni_result *prev_result;
	int prev_result_r;
	struct cni_err prev_result_err;

	/*
	 * GC: cni.dev/valid-attachments sorted by (containerID, ifname), malloc'ed (NULL when
	 * absent or not GC); the strings are in valid_strings.
	 */
	struct ipam_attachment *valid;
	size_t n_valid;
	char *valid_strings;

	/*
	 * ADD: the config as parsed, for what is copied from it as it stands
	 * (sriovcni_cache_format()); NULL for the other verbs and from conf_check().
	 */
	struct cJSON *json;
};

/*
 * Parse and validate stdin @text for @env->cmd into @ret, plain structs only: the whole
 * config is read here, once. For GC and STATUS deviceID is optional; GC also reads
 * cni.dev/valid-attachments. Every error names the offending field; nothing is touched before
 * this succeeds. Free what @ret holds with conf_release().
 */
int conf_parse(const char *text, size_t len, const struct cni_env *env, struct sriov_conf *ret,
	       struct cni_err *err);
/*
 * conf_parse() of a text its caller does not read again when GC's IPAM is ours: *@text is
 * malloc'ed, @len bytes and a NUL. For GC with host-local or no IPAM, the strings of the
 * valid-attachments list are decoded into the list's own bytes of the buffer, which then
 * belongs to @ret (*@text becomes NULL): a 1 MiB list is then held once, not twice. In every
 * other case *@text is left as it was; on failure it stays the caller's, unchanged unless
 * memory ran out while the list was being decoded.
 */
int conf_parse_owned(char **text, size_t len, const struct cni_env *env, struct sriov_conf *ret,
		     struct cni_err *err);
/* Free the memory @c holds (prevResult, valid attachments); @c may be zeroed. */
void conf_release(struct sriov_conf *c);
static inline void conf_releasep(struct sriov_conf *c)
{
	conf_release(c);
}
#define _cleanup_conf_ __attribute__((cleanup(conf_releasep)))

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
 * name). Returns the number of problems (0: ADD would accept the config), with @ret filled as
 * far as the fields allowed (release it with conf_release()), or a negative errno, reported
 * too, when @text is not a JSON object at all (then @ret is zeroed).
 */
int conf_check(const char *text, size_t len, const char *default_name, conf_report_t report,
	       void *ctx, struct sriov_conf *ret);

/* Only the version, for error replies when full parsing failed ("" if unreadable). */
void conf_peek_version(const char *text, size_t len, char buf[16]);

/* "dddd:bb:dd.f" (4-8 hex digit domain, lower case hex accepted as Go prints it). */
bool conf_valid_pci(const char *s);
/* "aa:bb:cc:dd:ee:ff" (also '-' separated); not multicast. */
int conf_parse_mac(const char *s, uint8_t ret[6]);
const char *conf_mac_str(const uint8_t mac[6], char buf[18]);

#endif
