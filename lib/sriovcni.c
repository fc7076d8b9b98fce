/* SPDX-License-Identifier: Apache-2.0 */
/* sriovcni.c: sriov-cni v2.10's cache, allocation record and VF lock: read, checked, written. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"
#include "sriov/gojson.h"
#include "sriov/json.h"
#include "sriov/sriovcni.h"
#include "sriov/text.h"

#define ETH_P_8021Q_ 0x8100
#define ETH_P_8021AD_ 0x88a8

/* ---- reading ------------------------------------------------------------------------------ */

/*
 * Read the regular file @name in @dirfd into @buf (NUL-terminated), at most @max - 1 bytes.
 * Never follows a symlink, never blocks on a FIFO. -ENOENT; -EBADMSG when it is no regular
 * file or too large; another negative errno when unreadable (with @err filled).
 */
static int read_small(int dirfd, const char *label, const char *name, char *buf, size_t max,
		      size_t *ret_len, struct cni_err *err)
{
	_cleanup_close_ int fd = -1;
	size_t len = 0;

	/* Never opened for I/O unless a regular file: a FIFO or device planted there stays shut. */
	fd = fs_open_regular_at(dirfd, name, O_RDONLY | O_NOCTTY, 0);
	if (fd == -ENOENT)
		return -ENOENT;
	if (fd == -ELOOP)
		return err_set(err, EBADMSG, CNI_ERR_IO, "%s is a symlink", label);
	if (fd == -EISDIR || fd == -EINVAL)
		return err_set(err, EBADMSG, CNI_ERR_IO, "%s is not a regular file", label);
	if (fd < 0)
		return err_set(err, -fd, CNI_ERR_IO, "open %s", label);
	for (;;) {
		ssize_t n = read(fd, buf + len, max - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, errno, CNI_ERR_IO, "read %s", label);
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == max - 1)
			return err_set(err, EBADMSG, CNI_ERR_IO, "%s is larger than %zu bytes",
				       label, max - 2);
	}
	buf[len] = '\0';
	*ret_len = len;
	return 0;
}

/*
 * sriov-cni's files are read back as hostile input: one that does not validate is left alone
 * (and quarantined by the callers), so the getters' messages go to a scratch cni_err.
 */

/* The config keys sriov-cni's DEL looks at: only their types and ranges matter to us. */
static bool conf_keys_valid(const cJSON *o)
{
	static const char *const strs[] = { "spoofchk", "trust",   "link_state", "vlanProto",
					    "logLevel", "logFile", "cniVersion", "type" };
	struct cni_err e;
	const cJSON *rc;
	const char *s;
	long long v;

	for (size_t i = 0; i < ARRAY_SIZE(strs); i++)
		if (json_get_string(o, strs[i], strs[i], &s, &e) < 0)
			return false;
	return json_get_object(o, "runtimeConfig", "runtimeConfig", &rc, &e) >= 0 &&
	       json_get_int(o, "vlan", "vlan", 0, 4095, &v, &e) >= 0 &&
	       json_get_int(o, "vlanQoS", "vlanQoS", 0, 7, &v, &e) >= 0 &&
	       json_get_int(o, "min_tx_rate", "min_tx_rate", 0, UINT32_MAX, &v, &e) >= 0 &&
	       json_get_int(o, "max_tx_rate", "max_tx_rate", 0, UINT32_MAX, &v, &e) >= 0 &&
	       json_get_int(o, "MTU", "MTU", 0, 65536, &v, &e) >= 0;
}

static int parse_orig(const cJSON *s, struct sriovcni_cache *c)
{
	const char *name = NULL, *admin = NULL, *eff = NULL;
	long long v[8] = { 0 };
	bool trust = false;
	struct cni_err e;
	int has_trust;

	/*
	 * Required: the fields every sriov-cni release since v2.6 writes. Trust, VlanProto and
	 * MTU came later (v2.8, v2.10): absent, they restore nothing.
	 */
	if (json_get_string(s, "HostIFName", "HostIFName", &name, &e) != 1 ||
	    json_get_bool(s, "SpoofChk", "SpoofChk", &c->spoofchk, &e) != 1 ||
	    json_get_string(s, "AdminMAC", "AdminMAC", &admin, &e) != 1 ||
	    json_get_string(s, "EffectiveMAC", "EffectiveMAC", &eff, &e) != 1 ||
	    json_get_int(s, "Vlan", "Vlan", 0, 4095, &v[0], &e) != 1 ||
	    json_get_int(s, "VlanQoS", "VlanQoS", 0, 7, &v[1], &e) != 1 ||
	    json_get_int(s, "MinTxRate", "MinTxRate", 0, UINT32_MAX, &v[2], &e) != 1 ||
	    json_get_int(s, "MaxTxRate", "MaxTxRate", 0, UINT32_MAX, &v[3], &e) != 1 ||
	    json_get_int(s, "LinkState", "LinkState", 0, 2, &v[4], &e) != 1 ||
	    json_get_int(s, "VlanProto", "VlanProto", 0, 0xffff, &v[5], &e) < 0 ||
	    json_get_int(s, "MTU", "MTU", 0, 65536, &v[6], &e) < 0)
		return -EINVAL;
	has_trust = json_get_bool(s, "Trust", "Trust", &trust, &e);
	if (has_trust < 0)
		return -EINVAL;
	if (v[5] != 0 && v[5] != ETH_P_8021Q_ && v[5] != ETH_P_8021AD_)
		return -EINVAL;
	/* sriov-cni records the netdev's MAC whenever it had one (SetupVF). */
	if (*name && (!cni_valid_ifname(name) || !*eff))
		return -EINVAL;
	/* net.HardwareAddr.String(): "" for none, else six bytes in either case. */
	if (json_get_mac(s, "AdminMAC", "AdminMAC", c->admin_mac, &e) < 0 ||
	    json_get_mac(s, "EffectiveMAC", "EffectiveMAC", c->effective_mac, &e) < 0)
		return -EINVAL;
	snprintf(c->host_ifname, sizeof(c->host_ifname), "%s", name);
	c->has_effective_mac = *eff != '\0';
	c->has_trust = has_trust > 0;
	c->trust = trust;
	c->vlan = (unsigned int)v[0];
	c->qos = (unsigned int)v[1];
	c->min_tx_rate = (unsigned int)v[2];
	c->max_tx_rate = (unsigned int)v[3];
	c->link_state = (unsigned int)v[4];
	c->vlan_proto = (uint16_t)v[5];
	c->mtu = (int)v[6];
	return 0;
}

int sriovcni_cache_parse(const char *text, size_t len, struct sriovcni_cache *ret)
{
	_cleanup_cjson_ cJSON *o = cJSON_ParseWithLength(text, len);
	struct sriovcni_cache c = { 0 };
	const cJSON *ipam = NULL, *orig = NULL;
	const char *s = NULL;
	struct cni_err e;
	long long v = 0;

	if (!cJSON_IsObject(o) || !conf_keys_valid(o))
		return -EINVAL;
	if (json_get_string(o, "deviceID", "deviceID", &s, &e) != 1 || !conf_valid_pci(s))
		return -EINVAL;
	for (size_t i = 0; s[i]; i++)
		c.device_id[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
	s = "";
	if (json_get_string(o, "name", "name", &s, &e) < 0 || (*s && !cni_valid_id(s)))
		return -EINVAL;
	snprintf(c.name, sizeof(c.name), "%s", s);
	s = "";
	if (json_get_string(o, "Master", "Master", &s, &e) < 0 || (*s && !cni_valid_ifname(s)))
		return -EINVAL;
	snprintf(c.master, sizeof(c.master), "%s", s);
	if (json_get_int(o, "VFID", "VFID", 0, INT32_MAX, &v, &e) != 1)
		return -EINVAL;
	c.vfid = (unsigned int)v;
	s = "";
	if (json_get_string(o, "MAC", "MAC", &s, &e) < 0 || (*s && conf_parse_mac(s, c.mac) < 0))
		return -EINVAL;
	c.has_mac = *s != '\0';
	if (json_get_object(o, "ipam", "ipam", &ipam, &e) < 0 ||
	    json_get_strbuf(ipam, "type", "type", c.ipam_type, sizeof(c.ipam_type), &e) < 0)
		return -EINVAL;
	if (json_get_object(o, "OrigVfState", "OrigVfState", &orig, &e) != 1 ||
	    parse_orig(orig, &c) < 0)
		return -EINVAL;
	*ret = c;
	return 0;
}

bool sriovcni_cache_file(const char *container_id, const char *ifname, char ret[NAME_MAX + 1])
{
	if (!container_id || !ifname || !cni_valid_id(container_id) || !cni_valid_ifname(ifname))
		return false;
	return snprintf(ret, NAME_MAX + 1, "%s-%s", container_id, ifname) <= NAME_MAX;
}

/* A root entry that can be a cache: "<id>-<ifname>" for some split at a '-'. */
static bool cache_name_shape(const char *name)
{
	char id[NAME_MAX + 1];

	for (const char *p = strchr(name, '-'); p; p = strchr(p + 1, '-')) {
		size_t n = (size_t)(p - name);

		memcpy(id, name, n);
		id[n] = '\0';
		if (cni_valid_id(id) && cni_valid_ifname(p + 1))
			return true;
	}
	return false;
}

int sriovcni_cache_load(struct state *st, const char *file, struct sriovcni_cache *ret,
			struct cni_err *err)
{
	_cleanup_free_ char *buf = NULL;
	char label[NAME_MAX + 32];
	size_t len = 0;
	int r;

	if (!cache_name_shape(file))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "sriov-cni cache: invalid name");
	snprintf(label, sizeof(label), "sriov-cni cache %s", file);
	buf = malloc(SRIOVCNI_CACHE_MAX + 2);
	if (!buf)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	r = read_small(st->dirfd, label, file, buf, SRIOVCNI_CACHE_MAX + 2, &len, err);
	if (r < 0)
		return r;
	if (sriovcni_cache_parse(buf, len, ret) < 0)
		return err_set(err, EBADMSG, CNI_ERR_IO, "%s is corrupt", label);
	return 0;
}

int sriovcni_cache_remove(struct state *st, const char *file, struct cni_err *err)
{
	if (!cache_name_shape(file))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "sriov-cni cache: invalid name");
	if (unlinkat(st->dirfd, file, 0) < 0 && errno != ENOENT)
		return err_set(err, errno, CNI_ERR_IO, "remove sriov-cni cache %s", file);
	return 0;
}

int sriovcni_cache_quarantine(struct state *st, const char *file, char ret_name[PATH_MAX],
			      struct cni_err *err)
{
	_cleanup_close_ int qfd = -1;
	char name[NAME_MAX + 1];
	struct timespec now;

	if (!cache_name_shape(file))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "sriov-cni cache: invalid name");
	qfd = state_open_dir_at(st->dirfd, STATE_QUARANTINE_DIR, err);
	if (qfd < 0)
		return qfd;
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(name, sizeof(name), "cache.%lld.%d.%s", (long long)now.tv_sec, (int)getpid(),
		 file);
	if (renameat(st->dirfd, file, qfd, name) < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return err_set(err, errno, CNI_ERR_IO, "move sriov-cni cache %s to %s/", file,
			       STATE_QUARANTINE_DIR);
	}
	if (ret_name)
		snprintf(ret_name, PATH_MAX, "%s/%s", STATE_QUARANTINE_DIR, name);
	return 0;
}

int sriovcni_cache_foreach(struct state *st,
			   int (*fn)(const char *file, const struct sriovcni_cache *c, void *data),
			   void *data, struct cni_err *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	int fd = openat(st->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			(void)close(fd);
		return err_set(err, errno, CNI_ERR_IO, "state: list %s", st->root);
	}
	while ((de = readdir(d))) {
		struct sriovcni_cache c;
		struct cni_err ignored = { 0 };
		int r;

		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
			continue;
		if (!cache_name_shape(de->d_name) ||
		    sriovcni_cache_load(st, de->d_name, &c, &ignored) < 0)
			continue;
		r = fn(de->d_name, &c, data);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Would ADD change this setting? Mirrors vfcfg's "write only what differs" rule. */
static bool vlan_changes(const struct sriov_conf *c, const struct vf_info *o)
{
	unsigned int qos = c->has_qos ? c->qos : 0;

	return c->has_vlan && !(c->vlan == o->vlan && qos == o->qos &&
				(c->vlan == 0 || c->vlan_proto == o->vlan_proto));
}

static bool rate_changes(const struct sriov_conf *c, const struct vf_info *o)
{
	return c->min_tx_rate >= 0 && ((unsigned int)c->min_tx_rate != o->min_tx_rate ||
				       (unsigned int)c->max_tx_rate != o->max_tx_rate);
}

static bool onoff_changes(enum tristate t, int orig)
{
	return t != TRI_UNSET && (t == TRI_ON ? 1 : 0) != orig;
}

static bool add_str(cJSON *o, const char *key, const char *val)
{
	return cJSON_AddStringToObject(o, key, val) != NULL;
}

/* A raw string key of the config, copied when non-empty (Go's omitempty). */
static bool copy_str(cJSON *o, const cJSON *root, const char *key)
{
	const cJSON *j = json_get(root, key);

	if (!cJSON_IsString(j) || !*j->valuestring)
		return true;
	return add_str(o, key, j->valuestring);
}

/* types.DNS of the config: only non-empty string fields, and nothing when it is all empty. */
static bool copy_dns(cJSON *o, const cJSON *root)
{
	static const char *const lists[] = { "nameservers", "search", "options" };
	const cJSON *dns = json_get(root, "dns"), *it;
	_cleanup_cjson_ cJSON *out = cJSON_CreateObject();

	if (!out)
		return false;
	if (!cJSON_IsObject(dns))
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(lists); i++) {
		const cJSON *l = json_get(dns, lists[i]);
		cJSON *arr;

		if (!cJSON_IsArray(l) || !cJSON_GetArraySize(l))
			continue;
		if (!(arr = cJSON_AddArrayToObject(out, lists[i])))
			return false;
		cJSON_ArrayForEach(it, l) {
			if (cJSON_IsString(it) &&
			    !cJSON_AddItemToArray(arr, cJSON_CreateString(it->valuestring)))
				return false;
		}
	}
	if (!copy_str(out, dns, "domain"))
		return false;
	if (!out->child)
		return true;
	cJSON_AddItemToObject(o, "dns", TAKE_PTR(out));
	return true;
}

static bool copy_capabilities(cJSON *o, const cJSON *root)
{
	const cJSON *caps = json_get(root, "capabilities"), *it;
	_cleanup_cjson_ cJSON *out = cJSON_CreateObject();

	if (!out)
		return false;
	if (!cJSON_IsObject(caps))
		return true;
	cJSON_ArrayForEach(it, caps) {
		if (cJSON_IsBool(it) && !cJSON_AddBoolToObject(out, it->string, cJSON_IsTrue(it)))
			return false;
	}
	if (out->child)
		cJSON_AddItemToObject(o, "capabilities", TAKE_PTR(out));
	return true;
}

static bool add_num_or_null(cJSON *o, const char *key, bool set, double v)
{
	return set ? cJSON_AddNumberToObject(o, key, v) != NULL :
		     cJSON_AddNullToObject(o, key) != NULL;
}

static bool add_orig(cJSON *o, const struct vf_record *rec)
{
	static const uint8_t zero[6];
	cJSON *s = cJSON_AddObjectToObject(o, "OrigVfState");
	const struct vf_info *v = &rec->orig;
	/* The same rule as vfcfg's MAC restore: a table MAC that is the netdev's own is no pin. */
	bool pinned = memcmp(v->mac, zero, 6) != 0 &&
		      (rec->dpdk || memcmp(v->mac, rec->orig_mac, 6) != 0);
	char mac[18];

	return s && add_str(s, "HostIFName", rec->dpdk ? "" : rec->orig_name) &&
	       cJSON_AddBoolToObject(s, "SpoofChk", v->spoofchk != 0) &&
	       cJSON_AddBoolToObject(s, "Trust", v->trust != 0) &&
	       add_str(s, "AdminMAC", conf_mac_str(pinned ? v->mac : zero, mac)) &&
	       add_str(s, "EffectiveMAC", rec->dpdk ? "" : conf_mac_str(rec->orig_mac, mac)) &&
	       cJSON_AddNumberToObject(s, "Vlan", v->vlan) &&
	       cJSON_AddNumberToObject(s, "VlanQoS", v->qos) &&
	       cJSON_AddNumberToObject(s, "VlanProto", v->vlan_proto) &&
	       cJSON_AddNumberToObject(s, "MinTxRate", v->min_tx_rate) &&
	       cJSON_AddNumberToObject(s, "MaxTxRate", v->max_tx_rate) &&
	       cJSON_AddNumberToObject(s, "LinkState", v->link_state > 0 ? v->link_state : 0) &&
	       cJSON_AddNumberToObject(s, "MTU", rec->dpdk ? 0 : rec->orig_mtu);
}

static cJSON *cache_json(const struct sriov_conf *c, const cJSON *root, const struct vf_record *rec,
			 int mtu)
{
	static const char *const link_states[] = { "auto", "enable", "disable" };
	_cleanup_cjson_ cJSON *o = cJSON_CreateObject();
	const struct vf_info *v = &rec->orig;
	bool vlan = vlan_changes(c, v), rate = rate_changes(c, v);
	bool mac = c->has_mac && memcmp(c->mac, v->mac, 6) != 0;
	const cJSON *rc = json_get(root, "runtimeConfig"), *rcmac = json_get(rc, "mac"), *prev;
	cJSON *ipam, *rco;
	char buf[18];

	if (!o || !add_str(o, "MAC", mac ? conf_mac_str(c->mac, buf) : "") ||
	    !add_num_or_null(o, "MTU", mtu > 0, mtu) || !add_str(o, "Master", rec->pf_name) ||
	    !add_orig(o, rec) || !cJSON_AddNumberToObject(o, "VFID", rec->vf) ||
	    !copy_capabilities(o, root) || !copy_str(o, root, "cniVersion") ||
	    !add_str(o, "deviceID", rec->pci) || !copy_dns(o, root) ||
	    !(ipam = cJSON_AddObjectToObject(o, "ipam")) ||
	    (c->ipam.type[0] && !add_str(ipam, "type", c->ipam.type)) ||
	    !copy_str(o, root, "logFile") || !copy_str(o, root, "logLevel") ||
	    !add_num_or_null(o, "max_tx_rate", rate && json_get(root, "max_tx_rate"),
			     (double)c->max_tx_rate) ||
	    !add_num_or_null(o, "min_tx_rate", rate && json_get(root, "min_tx_rate"),
			     (double)c->min_tx_rate) ||
	    !add_str(o, "name", c->name) || !(rco = cJSON_AddObjectToObject(o, "runtimeConfig")) ||
	    (cJSON_IsString(rcmac) && *rcmac->valuestring &&
	     !add_str(rco, "mac", rcmac->valuestring)) ||
	    !copy_str(o, root, "type") || !add_num_or_null(o, "vlan", vlan, c->vlan) ||
	    !add_num_or_null(o, "vlanQoS", vlan, c->has_qos ? c->qos : 0) ||
	    (vlan ? !add_str(o, "vlanProto",
			     c->vlan_proto == ETH_P_8021AD_ ? "802.1ad" : "802.1q") :
		    !cJSON_AddNullToObject(o, "vlanProto")))
		return NULL;
	/*
	 * A rate alone is still listed with its partner as Go keeps it (nil when not given);
	 * sriov-cni's DEL resets both rates when either is set.
	 */
	if ((onoff_changes(c->spoofchk, v->spoofchk) &&
	     !add_str(o, "spoofchk", c->spoofchk == TRI_ON ? "on" : "off")) ||
	    (onoff_changes(c->trust, v->trust) &&
	     !add_str(o, "trust", c->trust == TRI_ON ? "on" : "off")) ||
	    (c->link_state >= 0 && c->link_state != v->link_state &&
	     !add_str(o, "link_state", link_states[c->link_state])))
		return NULL;
	prev = json_get(root, "prevResult");
	if (cJSON_IsObject(prev) &&
	    !cJSON_AddItemToObject(o, "prevResult", cJSON_Duplicate(prev, true)))
		return NULL;
	return TAKE_PTR(o);
}

char *sriovcni_cache_format(const struct sriov_conf *c, const struct vf_record *rec, int mtu)
{
	_cleanup_cjson_ cJSON *o = NULL;

	if (!c->json)
		return NULL; /* not a config conf_parse() read for ADD */
	o = cache_json(c, c->json, rec, mtu);
	return o ? gojson_print(o) : NULL;
}

/* Write @len bytes as @name in @dirfd atomically, mode 0600. */
/*
 * fs_replace_at() without fsync: the cache and the allocation record describe kernel state
 * (a VF's settings, which netns holds it) that a reboot resets too; a killed writer leaves
 * the old file or the new one.
 */
static int write_atomic(int dirfd, const char *label, const char *name, const char *text,
			size_t len, struct cni_err *err)
{
	int r = fs_replace_at(dirfd, name, text, len, 0600, 0);

	if (r == -ENAMETOOLONG)
		return err_set(err, ENAMETOOLONG, CNI_ERR_INTERNAL, "write %s: name too long",
			       label);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_IO, "write %s", label);
	return 0;
}

int sriovcni_cache_save(struct state *st, const char *file, const char *text, struct cni_err *err)
{
	char label[NAME_MAX + 32];

	if (!cache_name_shape(file))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "sriov-cni cache: invalid name");
	snprintf(label, sizeof(label), "sriov-cni cache %s", file);
	return write_atomic(st->dirfd, label, file, text, strlen(text), err);
}

/* ---- allocation record and lock ---------------------------------------------------------- */

/*
 * <root>/pci, opened without following a symlink. sriov-cni makes it (and vf_lock below it)
 * with mode 0600, which only works because root ignores the missing search bit; we make it
 * 0700 and use whatever is there.
 */
static int alloc_dir(struct state *st, struct cni_err *err)
{
	return state_open_dir_at(st->dirfd, SRIOVCNI_ALLOC_DIR, err);
}

int sriovcni_alloc_read(struct state *st, const char *pci, char ret[PATH_MAX], struct cni_err *err)
{
	_cleanup_close_ int dfd = -1;
	char label[64], buf[PATH_MAX + 1];
	size_t len = 0;
	int r;

	if (!conf_valid_pci(pci))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "invalid PCI address \"%s\"", pci);
	snprintf(label, sizeof(label), "sriov-cni allocation record pci/%s", pci);
	/* Reading creates nothing: without the directory there is no record. */
	dfd = openat(st->dirfd, SRIOVCNI_ALLOC_DIR,
		     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ?
			       -ENOENT :
			       err_set(err, errno, CNI_ERR_IO, "open %s/", SRIOVCNI_ALLOC_DIR);
	r = read_small(dfd, label, pci, buf, sizeof(buf), &len, err);
	if (r < 0)
		return r;
	if (len == 0 || len >= PATH_MAX || strlen(buf) != len || !text_path_clean_abs(buf))
		return err_set(err, EBADMSG, CNI_ERR_IO, "%s is corrupt", label);
	memcpy(ret, buf, len + 1);
	return 0;
}

int sriovcni_alloc_write(struct state *st, const char *pci, const char *netns, struct cni_err *err)
{
	_cleanup_close_ int dfd = -1;
	char label[64];

	if (!conf_valid_pci(pci) || !netns || !text_path_clean_abs(netns))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL,
			       "sriov-cni allocation record: invalid");
	snprintf(label, sizeof(label), "sriov-cni allocation record pci/%s", pci);
	dfd = alloc_dir(st, err);
	if (dfd < 0)
		return dfd;
	return write_atomic(dfd, label, pci, netns, strlen(netns), err);
}

int sriovcni_alloc_remove(struct state *st, const char *pci, struct cni_err *err)
{
	_cleanup_close_ int dfd = -1;

	if (!conf_valid_pci(pci))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "invalid PCI address \"%s\"", pci);
	dfd = openat(st->dirfd, SRIOVCNI_ALLOC_DIR,
		     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return errno == ENOENT ?
			       0 :
			       err_set(err, errno, CNI_ERR_IO, "open %s/", SRIOVCNI_ALLOC_DIR);
	if (unlinkat(dfd, pci, 0) < 0 && errno != ENOENT)
		return err_set(err, errno, CNI_ERR_IO, "remove sriov-cni allocation record pci/%s",
			       pci);
	return 0;
}

int sriovcni_lock(struct state *st, const char *pci, int *ret_fd, struct cni_err *err)
{
	_cleanup_close_ int dfd = -1, lfd = -1;
	char name[64], what[128];

	if (!conf_valid_pci(pci))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "invalid PCI address \"%s\"", pci);
	dfd = alloc_dir(st, err);
	if (dfd < 0)
		return dfd;
	lfd = state_open_dir_at(dfd, SRIOVCNI_LOCK_DIR, err);
	if (lfd < 0)
		return lfd;
	snprintf(name, sizeof(name), "%s.lock", pci);
	snprintf(what, sizeof(what), "on sriov-cni's %s/%s/%s", SRIOVCNI_ALLOC_DIR,
		 SRIOVCNI_LOCK_DIR, name);
	return state_lock_at(lfd, what, name, ret_fd, err);
}
