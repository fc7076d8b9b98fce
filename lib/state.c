/* SPDX-License-Identifier: Apache-2.0 */
/* state.c: VF records (JSON, replaced atomically) and flock-based locks under the state root. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/fault.h"
#include "sriov/fs.h"
#include "sriov/json.h"
#include "sriov/state.h"
#include "sriov/text.h"

#define RECORD_SUFFIX ".json"
#define TMP_SUFFIX FS_TMP_SUFFIX
#define RECORD_MAX 8192

int state_open_dir_at(int dirfd, const char *name, struct cni_err *err)
{
	int fd = fs_subdir_at(dirfd, name, 0700);

	if (fd < 0)
		return err_set(err, -fd, CNI_ERR_IO, "state: open directory %s", name);
	return fd;
}

int state_open(struct state *st, struct cni_err *err)
{
	const char *root = getenv("SRIOV_STATE_DIR");
	int r;

	st->dirfd = st->vfdirfd = -1;
	if (!root || !*root)
		root = STATE_DEFAULT_DIR;
	if (root[0] != '/' || strlen(root) >= sizeof(st->root))
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
			       "SRIOV_STATE_DIR: must be an absolute path");
	snprintf(st->root, sizeof(st->root), "%s", root);
	/* mkdir -p the root itself; everything below it is opened relative to its fd. */
	st->dirfd = fs_mkdir_p(root, 0755, 0700);
	if (st->dirfd < 0) {
		r = -st->dirfd;
		st->dirfd = -1;
		return err_set(err, r, CNI_ERR_IO, "state: open %s", root);
	}
	r = state_open_dir_at(st->dirfd, "vf", err);
	if (r < 0) {
		state_close(st);
		return r;
	}
	st->vfdirfd = r;
	return 0;
}

void state_close(struct state *st)
{
	if (st->vfdirfd >= 0)
		(void)close(st->vfdirfd);
	if (st->dirfd >= 0)
		(void)close(st->dirfd);
	st->dirfd = st->vfdirfd = -1;
}

static int lock_at(int dirfd, const char *what, const char *name, int timeout_ms, int *ret_fd,
		   struct cni_err *err)
{
	int fd = fs_lock_at(dirfd, name, 0600, timeout_ms, what, err);

	if (fd < 0)
		return fd;
	*ret_fd = fd;
	return 0;
}

int state_lock_at(int dirfd, const char *what, const char *name, int *ret_fd, struct cni_err *err)
{
	return lock_at(dirfd, what, name, STATE_LOCK_TIMEOUT_MS, ret_fd, err);
}

static int lock_kind(struct state *st, const char *kind, const char *key, int timeout_ms,
		     int *ret_fd, struct cni_err *err)
{
	_cleanup_close_ int dfd = -1;
	char name[NAME_MAX], what[NAME_MAX + 64];

	/* Keys are PCI addresses: nothing else may become a file name below the state root. */
	if (!conf_valid_pci(key))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "state: invalid lock key \"%s\"",
			       key);
	snprintf(name, sizeof(name), "%s.lock", key);
	snprintf(what, sizeof(what), "on %s %s", kind, key);
	/* VF locks sit beside the records, whose directory state_open() keeps open. */
	if (strcmp(kind, "vf") == 0 && st->vfdirfd >= 0)
		return lock_at(st->vfdirfd, what, name, timeout_ms, ret_fd, err);
	dfd = state_open_dir_at(st->dirfd, kind, err);
	if (dfd < 0)
		return dfd;
	return lock_at(dfd, what, name, timeout_ms, ret_fd, err);
}

int state_lock(struct state *st, const char *kind, const char *key, int *ret_fd,
	       struct cni_err *err)
{
	return lock_kind(st, kind, key, STATE_LOCK_TIMEOUT_MS, ret_fd, err);
}

int state_trylock(struct state *st, const char *kind, const char *key, int *ret_fd,
		  struct cni_err *err)
{
	return lock_kind(st, kind, key, 0, ret_fd, err);
}

static int add_mac(cJSON *o, const char *key, const uint8_t mac[6])
{
	char buf[18];

	return cJSON_AddStringToObject(o, key, conf_mac_str(mac, buf)) ? 0 : -ENOMEM;
}

static cJSON *record_to_json(const struct vf_record *r)
{
	_cleanup_cjson_ cJSON *o = cJSON_CreateObject();
	cJSON *orig;

	if (!o || !cJSON_AddNumberToObject(o, "version", 1) ||
	    !cJSON_AddStringToObject(o, "network", r->network) ||
	    !cJSON_AddStringToObject(o, "containerID", r->container_id) ||
	    !cJSON_AddStringToObject(o, "ifname", r->ifname) ||
	    !cJSON_AddStringToObject(o, "netns", r->netns) ||
	    !cJSON_AddStringToObject(o, "pci", r->pci) ||
	    !cJSON_AddStringToObject(o, "pf", r->pf_name) ||
	    !cJSON_AddNumberToObject(o, "vf", r->vf) ||
	    !cJSON_AddBoolToObject(o, "dpdk", r->dpdk) ||
	    !cJSON_AddBoolToObject(o, "sriovcni", r->sriovcni) ||
	    !(orig = cJSON_AddObjectToObject(o, "orig")))
		return NULL;
	if (add_mac(orig, "adminMac", r->orig.mac) < 0 ||
	    !cJSON_AddNumberToObject(orig, "vlan", r->orig.vlan) ||
	    !cJSON_AddNumberToObject(orig, "qos", r->orig.qos) ||
	    !cJSON_AddNumberToObject(orig, "vlanProto", r->orig.vlan_proto) ||
	    !cJSON_AddNumberToObject(orig, "minTxRate", r->orig.min_tx_rate) ||
	    !cJSON_AddNumberToObject(orig, "maxTxRate", r->orig.max_tx_rate) ||
	    !cJSON_AddNumberToObject(orig, "spoofchk", r->orig.spoofchk) ||
	    !cJSON_AddNumberToObject(orig, "trust", r->orig.trust) ||
	    !cJSON_AddNumberToObject(orig, "linkState", r->orig.link_state) ||
	    !cJSON_AddStringToObject(orig, "name", r->orig_name) ||
	    add_mac(orig, "mac", r->orig_mac) < 0 ||
	    !cJSON_AddNumberToObject(orig, "mtu", r->orig_mtu) ||
	    !cJSON_AddBoolToObject(orig, "up", r->orig_up) ||
	    !cJSON_AddNumberToObject(orig, "ifindex", r->ifindex))
		return NULL;
	return TAKE_PTR(o);
}

bool state_record_valid(const struct vf_record *r)
{
	/* The same rules as for CNI_* and the config: a record is input like any other. */
	return cni_valid_id(r->network) && cni_valid_id(r->container_id) &&
	       cni_valid_ifname(r->ifname) && (!r->netns[0] || text_path_clean_abs(r->netns)) &&
	       conf_valid_pci(r->pci) && cni_valid_ifname(r->pf_name) &&
	       (r->dpdk ? !r->orig_name[0] : cni_valid_ifname(r->orig_name));
}

/*
 * A record is read back as hostile input: any field missing, of the wrong type or out of
 * range makes it corrupt (quarantined by the callers), so the getters' messages are not kept.
 */
static int record_from_json(const cJSON *o, struct vf_record *ret)
{
	struct vf_record r = { 0 };
	struct cni_err e; /* scratch: only whether the record is valid matters */
	const cJSON *orig = NULL;
	long long v[12];
	bool ok;

#define STR(obj, key, buf) (json_get_strbuf(obj, key, key, buf, sizeof(buf), &e) == 1)
#define NUM(obj, key, min, max, i) (json_get_int(obj, key, key, min, max, &v[i], &e) == 1)
#define MAC(obj, key, mac) (json_get_mac(obj, key, key, mac, &e) == 1)
	ok = STR(o, "network", r.network) && STR(o, "containerID", r.container_id) &&
	     STR(o, "ifname", r.ifname) && STR(o, "netns", r.netns) && STR(o, "pci", r.pci) &&
	     STR(o, "pf", r.pf_name) && NUM(o, "vf", 0, INT32_MAX, 0) &&
	     json_get_bool(o, "dpdk", "dpdk", &r.dpdk, &e) >= 0 &&
	     json_get_bool(o, "sriovcni", "sriovcni", &r.sriovcni, &e) >= 0 &&
	     json_get_object(o, "orig", "orig", &orig, &e) == 1 &&
	     MAC(orig, "adminMac", r.orig.mac) && NUM(orig, "vlan", 0, 4095, 1) &&
	     NUM(orig, "qos", 0, 7, 2) && NUM(orig, "vlanProto", 0, 0xffff, 3) &&
	     NUM(orig, "minTxRate", 0, UINT32_MAX, 4) && NUM(orig, "maxTxRate", 0, UINT32_MAX, 5) &&
	     NUM(orig, "spoofchk", -1, 1, 6) && NUM(orig, "trust", -1, 1, 7) &&
	     NUM(orig, "linkState", -1, 2, 8) && STR(orig, "name", r.orig_name) &&
	     MAC(orig, "mac", r.orig_mac) && NUM(orig, "mtu", 0, INT32_MAX, 9) &&
	     NUM(orig, "ifindex", 0, INT32_MAX, 10) &&
	     json_get_bool(orig, "up", "up", &r.orig_up, &e) >= 0;
#undef STR
#undef NUM
#undef MAC
	if (!ok)
		return -EINVAL;
	r.vf = (unsigned int)v[0];
	r.orig.vf = r.vf;
	r.orig.vlan = (unsigned int)v[1];
	r.orig.qos = (unsigned int)v[2];
	r.orig.vlan_proto = (uint16_t)v[3];
	r.orig.min_tx_rate = (unsigned int)v[4];
	r.orig.max_tx_rate = (unsigned int)v[5];
	r.orig.spoofchk = (int)v[6];
	r.orig.trust = (int)v[7];
	r.orig.link_state = (int)v[8];
	r.orig_mtu = (int)v[9];
	r.ifindex = (int)v[10];
	if (!state_record_valid(&r))
		return -EINVAL;
	*ret = r;
	return 0;
}

/* "<pci>.json" for a valid PCI address, else false. */
static bool record_file(const char *pci, char file[NAME_MAX])
{
	if (!pci || !conf_valid_pci(pci))
		return false;
	snprintf(file, NAME_MAX, "%s" RECORD_SUFFIX, pci);
	return true;
}

static int record_load_at(int dirfd, const char *pci, struct vf_record *ret, struct cni_err *err)
{
	_cleanup_close_ int fd = -1;
	_cleanup_cjson_ cJSON *o = NULL;
	char file[NAME_MAX], buf[RECORD_MAX];
	size_t len = 0;

	if (!record_file(pci, file))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "state: invalid PCI address \"%s\"",
			       pci ? pci : "");
	/*
	 * A symlink, directory, FIFO or device planted as a record counts as corrupt, and is
	 * never opened for reading: a FIFO must not hang DEL or GC, a device not be touched.
	 */
	fd = fs_open_regular_at(dirfd, file, O_RDONLY, 0);
	if (fd == -ENOENT)
		return -ENOENT;
	if (fd == -ELOOP || fd == -EISDIR || fd == -EINVAL)
		return err_set(err, EBADMSG, CNI_ERR_IO, "state: vf/%s is corrupt", file);
	if (fd < 0)
		return err_set(err, -fd, CNI_ERR_IO, "state: open vf/%s", file);
	for (;;) {
		ssize_t n = read(fd, buf + len, sizeof(buf) - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, errno, CNI_ERR_IO, "state: read vf/%s", file);
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == sizeof(buf))
			return err_set(err, EBADMSG, CNI_ERR_IO, "state: vf/%s is corrupt", file);
	}
	o = cJSON_ParseWithLength(buf, len);
	/* The record of VF X must describe VF X: its file name is where every lookup starts. */
	if (!o || record_from_json(o, ret) < 0 || strcmp(ret->pci, pci) != 0)
		return err_set(err, EBADMSG, CNI_ERR_IO, "state: vf/%s is corrupt", file);
	return 0;
}

bool state_record_exists(struct state *st, const char *pci)
{
	char file[NAME_MAX];

	return record_file(pci, file) &&
	       faccessat(st->vfdirfd, file, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int state_record_load(struct state *st, const char *pci, struct vf_record *ret, struct cni_err *err)
{
	return record_load_at(st->vfdirfd, pci, ret, err);
}

struct record_text {
	const char *text;
	size_t len;
};

static int record_fill(int fd, void *data)
{
	const struct record_text *t = data;
	int r = fs_write_all(fd, t->text, t->len);

	if (r >= 0)
		fault_point("state: record written to its temp file");
	return r;
}

int state_record_save(struct state *st, const struct vf_record *rec, struct cni_err *err)
{
	_cleanup_cjson_ cJSON *o = NULL;
	_cleanup_free_ char *text = NULL;
	char file[NAME_MAX];
	int r;

	if (!state_record_valid(rec) || !record_file(rec->pci, file))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "state: refusing an invalid record");
	o = record_to_json(rec);
	/*
	 * cJSON's printer, not gojson_print(): names are bytes (CNI_IFNAME, CNI_NETNS, netdev
	 * names may hold any byte above 0x7f), which it keeps as they are, where Go's string
	 * rules would replace invalid UTF-8 and the record would no longer name its owner.
	 */
	if (!o || !(text = cJSON_PrintUnformatted(o)))
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "state: encode record");
	/*
	 * No fsync: a record describes kernel objects (VF settings, netdevs) that do not survive
	 * a reboot either. What must hold is atomicity against a killed process, which the
	 * rename gives: readers see the old record or the new one, never a torn one. A temp file
	 * left by a killed writer is removed by the next scan (state_record_foreach).
	 */
	r = fs_replace_at_with(st->vfdirfd, file, 0600, 0, record_fill,
			       &(struct record_text){ text, strlen(text) });
	if (r < 0)
		return err_set(err, -r, CNI_ERR_IO, "state: write vf/%s", file);
	fault_point("state: record saved");
	return 0;
}

int state_record_remove(struct state *st, const char *pci, struct cni_err *err)
{
	char file[NAME_MAX];

	if (!record_file(pci, file))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "state: invalid PCI address \"%s\"",
			       pci ? pci : "");
	if (unlinkat(st->vfdirfd, file, 0) < 0 && errno != ENOENT)
		return err_set(err, errno, CNI_ERR_IO, "state: remove vf/%s", file);
	return 0;
}

int state_record_quarantine(struct state *st, const char *pci, char ret_name[NAME_MAX],
			    struct cni_err *err)
{
	_cleanup_close_ int qfd = -1;
	char file[NAME_MAX], name[64];
	struct timespec now;

	if (!record_file(pci, file))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "state: invalid PCI address \"%s\"",
			       pci ? pci : "");
	qfd = state_open_dir_at(st->dirfd, STATE_QUARANTINE_DIR, err);
	if (qfd < 0)
		return qfd;
	clock_gettime(CLOCK_REALTIME, &now);
	snprintf(name, sizeof(name), "vf-%s.%lld.%d" RECORD_SUFFIX, pci, (long long)now.tv_sec,
		 (int)getpid());
	if (renameat(st->vfdirfd, file, qfd, name) < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return err_set(err, errno, CNI_ERR_IO, "state: move vf/%s to %s/", file,
			       STATE_QUARANTINE_DIR);
	}
	if (ret_name)
		snprintf(ret_name, NAME_MAX, "%s/%s", STATE_QUARANTINE_DIR, name);
	return 0;
}

bool state_record_owned_by(const struct vf_record *rec, const char *network,
			   const char *container_id, const char *ifname)
{
	return strcmp(rec->network, network) == 0 && strcmp(rec->container_id, container_id) == 0 &&
	       strcmp(rec->ifname, ifname) == 0;
}

/*
 * ".<pci>.json.<pid>.tmp" of a writer that is gone (killed between write and rename): remove
 * it. A live writer's file, or a PID we cannot judge, is left alone.
 */
static void drop_stale_tmp(int dirfd, const char *name)
{
	size_t n = strlen(name), sl = strlen(RECORD_SUFFIX "."), tl = strlen(TMP_SUFFIX);
	const char *p, *dot;
	char pci[32], *end;
	long pid;

	if (name[0] != '.' || n <= tl || strcmp(name + n - tl, TMP_SUFFIX) != 0)
		return;
	p = strstr(name, RECORD_SUFFIX ".");
	if (!p || (size_t)(p - name - 1) >= sizeof(pci))
		return;
	memcpy(pci, name + 1, (size_t)(p - name - 1));
	pci[p - name - 1] = '\0';
	dot = p + sl;
	pid = strtol(dot, &end, 10);
	if (!conf_valid_pci(pci) || end == dot || strcmp(end, TMP_SUFFIX) != 0 || pid <= 0)
		return;
	if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
		return;
	(void)unlinkat(dirfd, name, 0);
}

int state_record_foreach(struct state *st, const char *network,
			 int (*fn)(const struct vf_record *rec, void *data), void *data,
			 struct cni_err *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	int fd = openat(st->vfdirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			(void)close(fd);
		return err_set(err, errno, CNI_ERR_IO, "state: list vf/");
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name), sl = strlen(RECORD_SUFFIX);
		struct vf_record rec;
		struct cni_err ignored = { 0 };
		char pci[NAME_MAX];
		int r;

		if (de->d_name[0] == '.') {
			drop_stale_tmp(st->vfdirfd, de->d_name);
			continue;
		}
		if (n <= sl || n - sl >= sizeof(pci) ||
		    strcmp(de->d_name + n - sl, RECORD_SUFFIX) != 0)
			continue;
		memcpy(pci, de->d_name, n - sl);
		pci[n - sl] = '\0';
		/*
		 * A corrupt or vanished record, or a name that is no PCI address, is skipped: the
		 * DEL that names its VF moves it aside under the VF lock and recovers the VF.
		 */
		if (record_load_at(st->vfdirfd, pci, &rec, &ignored) < 0)
			continue;
		if (network && strcmp(rec.network, network) != 0)
			continue;
		r = fn(&rec, data);
		if (r < 0)
			return r;
	}
	return 0;
}

struct find_owner {
	const char *network, *container_id, *ifname;
	struct vf_record *ret;
	bool found;
};

static int find_owner_cb(const struct vf_record *rec, void *data)
{
	struct find_owner *f = data;

	if (!state_record_owned_by(rec, f->network, f->container_id, f->ifname))
		return 0;
	*f->ret = *rec;
	f->found = true;
	return -1; /* stop */
}

int state_record_find_owner(struct state *st, const char *network, const char *container_id,
			    const char *ifname, struct vf_record *ret, struct cni_err *err)
{
	struct find_owner f = { network, container_id, ifname, ret, false };
	int r = state_record_foreach(st, network, find_owner_cb, &f, err);

	if (f.found)
		return 0;
	return r < 0 ? r : -ENOENT;
}
