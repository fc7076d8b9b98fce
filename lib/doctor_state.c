/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor_state.c: what "sriov doctor" reads under the state directory (records, damaged and
 * quarantined ones, lock files and who holds them in /proc/locks) and where each owner is:
 * only the netns a record names is looked at, never every namespace of the node.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <linux/magic.h>
#include <linux/nsfs.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/doctor.h"
#include "sriov/fs.h"
#include "sriov/text.h"
#include "sriov/vf.h"

#include "doctor_gather.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/*
 * Does the netns at @path exist? Looked at with O_PATH first (a record is input: a FIFO or a
 * device there is never opened for I/O), then, when it is nsfs, opened through that fd to
 * ask its type. With @ret_fd, an open fd of an alive netns is handed out.
 */
static enum doctor_netns probe_netns(const char *path, int *ret_fd)
{
	_cleanup_close_ int fd = -1, nfd = -1;
	struct statfs sfs;
	int type;

	if (!path[0])
		return DOCTOR_NETNS_GONE; /* what the plugin's ADD takes as a dead owner, too */
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return errno == EACCES || errno == EPERM ? DOCTOR_NETNS_UNKNOWN : DOCTOR_NETNS_GONE;
	if (fstatfs(fd, &sfs) < 0)
		return DOCTOR_NETNS_UNKNOWN;
	/* After "ip netns del" the path is an empty file on tmpfs, no longer a namespace. */
	if (sfs.f_type != NSFS_MAGIC)
		return DOCTOR_NETNS_GONE;
	nfd = fs_reopen(fd, O_RDONLY);
	if (nfd < 0)
		return DOCTOR_NETNS_UNKNOWN;
	type = ioctl(nfd, NS_GET_NSTYPE);
	if (type >= 0 && type != CLONE_NEWNET)
		return DOCTOR_NETNS_GONE;
	if (ret_fd)
		*ret_fd = TAKE_FD(nfd);
	return DOCTOR_NETNS_ALIVE;
}

/* State files: the records, the bad ones, and the lock files (for /proc/locks). */
struct lock_file {
	char kind[4];
	char pci[32];
	dev_t dev;
	ino_t ino;
};

struct state_scan {
	struct lock_file *locks;
	size_t n_locks, cap_locks;
	size_t cap_records, cap_bad;
};

static int add_bad(struct doctor_report *r, struct state_scan *s, const char *file, const char *pci,
		   bool quarantined, long long since, const char *why)
{
	struct doctor_bad_record *b;

	if (r->n_bad >= DOCTOR_MAX_BAD) {
		r->n_bad_dropped++;
		return 0;
	}
	if (doctor_grow(&r->bad, &s->cap_bad, r->n_bad, sizeof(*r->bad)) < 0)
		return -ENOMEM;
	b = &r->bad[r->n_bad++];
	text_escape(file, SIZE_MAX, NAME_MAX / 4 - 4, false, b->file, sizeof(b->file));
	snprintf(b->pci, sizeof(b->pci), "%s", pci ? pci : "");
	b->quarantined = quarantined;
	b->since = since;
	snprintf(b->why, sizeof(b->why), "%s", why);
	return 0;
}

/* "<pci><suffix>" -> pci, else false. */
static bool name_pci(const char *name, const char *suffix, char pci[32])
{
	size_t n = strlen(name), sl = strlen(suffix);

	if (n <= sl || n - sl >= 32 || strcmp(name + n - sl, suffix) != 0)
		return false;
	memcpy(pci, name, n - sl);
	pci[n - sl] = '\0';
	return conf_valid_pci(pci);
}

static int add_lock_file(struct state_scan *s, int dirfd, const char *kind, const char *pci,
			 const char *name)
{
	struct stat sb;
	struct lock_file *l;

	if (s->n_locks >= DOCTOR_MAX_LOCKS || fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(sb.st_mode))
		return 0;
	if (doctor_grow(&s->locks, &s->cap_locks, s->n_locks, sizeof(*s->locks)) < 0)
		return -ENOMEM;
	l = &s->locks[s->n_locks++];
	snprintf(l->kind, sizeof(l->kind), "%s", kind);
	snprintf(l->pci, sizeof(l->pci), "%s", pci);
	l->dev = sb.st_dev;
	l->ino = sb.st_ino;
	return 0;
}

/* Open directory @name below @rootfd, never through a symlink. */
static DIR *open_subdir(int rootfd, const char *name, int *ret_fd)
{
	int fd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;

	*ret_fd = -1;
	if (fd < 0)
		return NULL;
	*ret_fd = dup(fd);
	d = fdopendir(fd);
	if (!d) {
		(void)close(fd);
		if (*ret_fd >= 0)
			(void)close(*ret_fd);
		*ret_fd = -1;
	}
	return d;
}

static int scan_vf_dir(struct doctor_report *r, struct state_scan *s, int rootfd)
{
	_cleanup_closedir_ DIR *d = NULL;
	_cleanup_close_ int vffd = -1;
	struct dirent *de;

	d = open_subdir(rootfd, "vf", &vffd);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		/* state_open() refuses it the same way: every ADD and DEL fails. */
		return add_bad(r, s, "vf", NULL, false, 0,
			       errno == ELOOP || errno == ENOTDIR ? "is not a directory" :
								    strerror(errno));
	}
	while ((de = readdir(d))) {
		struct state st = { .dirfd = rootfd, .vfdirfd = vffd };
		struct cni_err e = { 0 };
		struct vf_record rec;
		char pci[32];
		int ret;

		if (de->d_name[0] == '.')
			continue; /* ".", "..", temp files of writers */
		if (name_pci(de->d_name, ".lock", pci)) {
			if (add_lock_file(s, vffd, "vf", pci, de->d_name) < 0)
				return -ENOMEM;
			continue;
		}
		if (!name_pci(de->d_name, ".json", pci))
			continue;
		ret = state_record_load(&st, pci, &rec, &e);
		if (ret == -ENOENT)
			continue; /* removed meanwhile by a DEL */
		if (ret < 0) {
			char file[NAME_MAX + 8];

			snprintf(file, sizeof(file), "vf/%s", de->d_name);
			if (add_bad(r, s, file, pci, false, 0,
				    ret == -EBADMSG ? "does not parse or validate" :
						      strerror(-ret)) < 0)
				return -ENOMEM;
			continue;
		}
		if (r->n_records >= DOCTOR_MAX_RECORDS)
			continue;
		if (doctor_grow(&r->records, &s->cap_records, r->n_records, sizeof(*r->records)) <
		    0)
			return -ENOMEM;
		r->records[r->n_records].rec = rec;
		r->records[r->n_records].vf = -1;
		r->n_records++;
	}
	return 0;
}

/* quarantine/vf-<pci>.<unix seconds>.<pid>.json (state_record_quarantine), or anything else. */
static int scan_quarantine(struct doctor_report *r, struct state_scan *s, int rootfd)
{
	_cleanup_closedir_ DIR *d = NULL;
	_cleanup_close_ int qfd = -1;
	struct dirent *de;

	d = open_subdir(rootfd, STATE_QUARANTINE_DIR, &qfd);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char file[NAME_MAX + 16], pci[32] = "";
		long long since = 0;
		const char *dot;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strncmp(de->d_name, "vf-", 3) == 0 && (dot = strchr(de->d_name + 3, '.')) &&
		    (dot = strchr(dot + 1, '.')) && (size_t)(dot - de->d_name - 3) < sizeof(pci)) {
			char *end;

			memcpy(pci, de->d_name + 3, (size_t)(dot - de->d_name - 3));
			pci[dot - de->d_name - 3] = '\0';
			since = strtoll(dot + 1, &end, 10);
			if (!conf_valid_pci(pci))
				pci[0] = '\0';
			if (*end != '.' || since < 0)
				since = 0;
		}
		snprintf(file, sizeof(file), STATE_QUARANTINE_DIR "/%s", de->d_name);
		if (add_bad(r, s, file, pci, true, since, "") < 0)
			return -ENOMEM;
	}
	return 0;
}

static int scan_pf_locks(struct state_scan *s, int rootfd)
{
	_cleanup_closedir_ DIR *d = NULL;
	_cleanup_close_ int pffd = -1;
	struct dirent *de;
	char pci[32];

	d = open_subdir(rootfd, "pf", &pffd);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (name_pci(de->d_name, ".lock", pci) &&
		    add_lock_file(s, pffd, "pf", pci, de->d_name) < 0)
			return -ENOMEM;
	return 0;
}

/* Seconds process @pid has been running (from /proc/<pid>/stat), -1 when unknown. */
static long long process_age(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	double up = 0;
	long tck = sysconf(_SC_CLK_TCK);
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (doctor_read_text_at(AT_FDCWD, path, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')))
		return -1;
	/* After "pid (comm)": state is field 3, starttime field 22. */
	for (i = 3, p++; i < 22 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p, " %llu", &start) != 1 || tck <= 0)
		return -1;
	if (doctor_read_text_at(AT_FDCWD, "/proc/uptime", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "%lf", &up) != 1)
		return -1;
	return up > (double)start / (double)tck ? (long long)(up - (double)start / (double)tck) : 0;
}

/* Which of our lock files are held, and by whom: /proc/locks, no lock taken by us. */
static int gather_locks(struct doctor_report *r, const struct state_scan *s)
{
	_cleanup_fclose_ FILE *f = NULL;
	char line[512];
	size_t cap = 0;

	if (!s->n_locks || !(f = fopen("/proc/locks", "re")))
		return 0;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok[8];
		unsigned int maj, min;
		unsigned long long ino;
		int n = 0, at = 1, pid;
		bool waiter;

		for (char *t = strtok_r(line, " \t\n", &save); t && n < 8;
		     t = strtok_r(NULL, " \t\n", &save))
			tok[n++] = t;
		/* "1: FLOCK ADVISORY WRITE <pid> <maj>:<min>:<ino> 0 EOF", waiters with "->". */
		waiter = n > 1 && strcmp(tok[1], "->") == 0;
		at += waiter;
		if (n < at + 5 || strcmp(tok[at], "FLOCK") != 0 ||
		    sscanf(tok[at + 4], "%x:%x:%llu", &maj, &min, &ino) != 3)
			continue;
		pid = atoi(tok[at + 3]);
		for (size_t i = 0; i < s->n_locks; i++) {
			const struct lock_file *lf = &s->locks[i];
			struct doctor_lock *l = NULL;

			if (major(lf->dev) != maj || minor(lf->dev) != min ||
			    (unsigned long long)lf->ino != ino)
				continue;
			for (size_t k = 0; k < r->n_locks; k++)
				if (strcmp(r->locks[k].kind, lf->kind) == 0 &&
				    strcmp(r->locks[k].pci, lf->pci) == 0)
					l = &r->locks[k];
			if (!l) {
				if (doctor_grow(&r->locks, &cap, r->n_locks, sizeof(*r->locks)) < 0)
					return -ENOMEM;
				l = &r->locks[r->n_locks++];
				snprintf(l->kind, sizeof(l->kind), "%s", lf->kind);
				snprintf(l->pci, sizeof(l->pci), "%s", lf->pci);
				l->seconds = -1;
			}
			if (waiter) {
				l->waiters++;
			} else if (pid > 0) {
				char path[64], comm[32];

				l->pid = pid;
				l->seconds = process_age(pid);
				snprintf(path, sizeof(path), "/proc/%d/comm", pid);
				if (doctor_read_text_at(AT_FDCWD, path, comm, sizeof(comm)) == 0)
					text_escape(comm, SIZE_MAX, 16, false, l->comm,
						    sizeof(l->comm));
			}
			break;
		}
	}
	for (size_t k = 0; k < r->n_locks; k++)
		for (size_t v = 0; v < r->n_vfs; v++)
			if (strcmp(r->locks[k].kind, "vf") == 0 &&
			    strcmp(r->locks[k].pci, r->vfs[v].pci) == 0 && r->locks[k].pid)
				r->vfs[v].locked = true;
	return 0;
}

static int record_cmp(const void *a, const void *b)
{
	return strcmp(((const struct doctor_record *)a)->rec.pci,
		      ((const struct doctor_record *)b)->rec.pci);
}

static int bad_cmp(const void *a, const void *b)
{
	return strcmp(((const struct doctor_bad_record *)a)->file,
		      ((const struct doctor_bad_record *)b)->file);
}

/* Is the VF of @d in its owner's netns @nsfd under its recorded ifname? By PCI bus-info. */
static void check_pod(struct doctor_record *d, int nsfd)
{
	char name[IFNAMSIZ];
	struct cni_err e = { 0 };
	int ifindex = 0;

	if (vf_netdev_in_netns(nsfd, d->rec.pci, d->rec.ifindex, d->rec.ifname, &ifindex, name,
			       &e) < 0) {
		d->pod = DOCTOR_POD_LACKS_VF;
	} else if (strcmp(name, d->rec.ifname) == 0) {
		d->pod = DOCTOR_POD_HAS_VF;
	} else {
		d->pod = DOCTOR_POD_RENAMED;
		snprintf(d->pod_name, sizeof(d->pod_name), "%s", name);
	}
}

/*
 * sriov-cni's allocation record of a VF we have no record of: <state>/pci/<pci>, holding the
 * netns path of its pod (a regular file, not through a symlink, never blocking).
 */
static void other_owner(struct doctor_vf *vf, int rootfd)
{
	_cleanup_close_ int dfd = -1, fd = -1;
	struct stat sb;
	char buf[PATH_MAX];
	ssize_t n;

	dfd = openat(rootfd, "pci", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return;
	fd = openat(dfd, vf->pci, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || fs_fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (!text_path_clean_abs(buf))
		return;
	snprintf(vf->other_netns, sizeof(vf->other_netns), "%s", buf);
	vf->other_netns_state = probe_netns(buf, NULL);
}

int doctor_gather_state(struct doctor_report *r, int devfd, struct cni_err *err)
{
	const char *root = getenv("SRIOV_STATE_DIR");
	struct state_scan s = { 0 };
	_cleanup_close_ int rootfd = -1;
	int ret;

	if (!root || !*root)
		root = STATE_DEFAULT_DIR;
	if (root[0] != '/' || strlen(root) >= sizeof(r->state_dir))
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
			       "SRIOV_STATE_DIR: must be an absolute path");
	snprintf(r->state_dir, sizeof(r->state_dir), "%s", root);
	rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 && errno == ENOENT) {
		r->state_missing = true;
		return 0;
	}
	if (rootfd < 0)
		return err_set(err, errno, CNI_ERR_IO, "cannot read the state directory %s", root);
	/* readdir() of a directory we may not read returns nothing: say so instead. */
	if (faccessat(rootfd, ".", R_OK | X_OK, AT_EACCESS) < 0)
		return err_set(err, errno, CNI_ERR_IO, "cannot read the state directory %s", root);
	ret = scan_vf_dir(r, &s, rootfd);
	if (ret == 0)
		ret = scan_quarantine(r, &s, rootfd);
	if (ret == 0)
		ret = scan_pf_locks(&s, rootfd);
	if (ret == 0)
		ret = gather_locks(r, &s);
	free(s.locks);
	if (ret < 0)
		return err_set(err, -ret, CNI_ERR_INTERNAL, "out of memory");
	if (r->n_records)
		qsort(r->records, r->n_records, sizeof(*r->records), record_cmp);
	if (r->n_bad)
		qsort(r->bad, r->n_bad, sizeof(*r->bad), bad_cmp);

	for (size_t i = 0; i < r->n_records; i++) {
		struct doctor_record *d = &r->records[i];
		_cleanup_close_ int nsfd = -1;
		struct doctor_vf *vf = NULL;

		for (size_t v = 0; v < r->n_vfs && !vf; v++)
			if (strcmp(r->vfs[v].pci, d->rec.pci) == 0) {
				vf = &r->vfs[v];
				d->vf = (long)v;
				vf->owner = (long)i;
			}
		if (!vf)
			d->device_exists = faccessat(devfd, d->rec.pci, F_OK, 0) == 0;
		d->netns = probe_netns(d->rec.netns, &nsfd);
		/* Only the owner's own netns is entered, and only when the VF is not here. */
		if (vf && d->netns == DOCTOR_NETNS_ALIVE && !d->rec.dpdk && vf->driver[0] &&
		    !vf_userspace_driver(vf->driver)) {
			if (vf->netdev[0])
				d->pod = DOCTOR_POD_LACKS_VF;
			else
				check_pod(d, nsfd);
		}
	}
	for (size_t v = 0; v < r->n_vfs; v++)
		if (r->vfs[v].owner < 0 && !r->vfs[v].netdev[0])
			other_owner(&r->vfs[v], rootfd);
	return 0;
}
