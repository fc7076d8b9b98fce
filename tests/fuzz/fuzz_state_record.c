/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_state_record.c: a VF record read back from the state directory (vf/<pci>.json), through
 * the public state_record_load() and state_record_foreach(). The input is written as the
 * record of one VF in a private scratch state directory.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/state.h"

#define PCI "0000:00:01.0"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static struct state st = { -1, -1, "" };

static void cleanup(void)
{
	char path[128];

	state_close(&st);
	snprintf(path, sizeof(path), "%s/vf/" PCI ".json", dir);
	(void)unlink(path);
	snprintf(path, sizeof(path), "%s/vf", dir);
	(void)rmdir(path);
	(void)rmdir(dir);
}

static void setup(void)
{
	struct cni_err err = { 0 };

	snprintf(dir, sizeof(dir), "%s/fuzz_state.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir) || setenv("SRIOV_STATE_DIR", dir, 1) < 0 || state_open(&st, &err) < 0)
		abort();
	atexit(cleanup);
}

static int count_cb(const struct vf_record *rec, void *data)
{
	(*(int *)data)++;
	return strcmp(rec->pci, PCI) == 0 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cni_err err = { 0 };
	struct vf_record rec;
	int fd, n = 0, r;

	if (st.dirfd < 0)
		setup();
	fd = openat(st.vfdirfd, PCI ".json", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	r = state_record_load(&st, PCI, &rec, &err);
	if (r == 0) {
		/* Whatever was read fits its fields, terminated. */
		if (!memchr(rec.network, '\0', sizeof(rec.network)) ||
		    !memchr(rec.netns, '\0', sizeof(rec.netns)) ||
		    !memchr(rec.orig_name, '\0', sizeof(rec.orig_name)))
			abort();
	} else if (!err.code || !err.msg[0]) {
		abort();
	}
	err_clear(&err);
	(void)state_record_foreach(&st, NULL, count_cb, &n, &err);
	if (n > 1)
		abort();
	return 0;
}
