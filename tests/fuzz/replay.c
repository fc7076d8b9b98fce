/* SPDX-License-Identifier: Apache-2.0 */
/* replay.c: main() for builds without libFuzzer: run a harness over built-ins and corpus files. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (16u << 20)

/* Shapes every parser meets first: nothing, the wrong JSON type, truncation, bad bytes. */
static const char *const builtin_inputs[] = {
	"",
	" ",
	"{}",
	"[]",
	"null",
	"0",
	"\"\"",
	"{\"",
	"{\"cniVersion\":",
	"\xff\xfe",
	"{\"cniVersion\":\"1.1.0\"}",
	"{\"cniVersion\":\"0.2.0\"}",
	"[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]",
	"{\"a\":[{\"b\":{\"c\":null}}],\"A\":1,\"a\":\"x\"}",
};

static void run_one(const uint8_t *data, size_t size)
{
	/* An exact-size heap copy, so sanitizers see any read past the end. */
	_cleanup_free_ uint8_t *copy = malloc(size ? size : 1);

	if (!copy) {
		fprintf(stderr, "replay: out of memory\n");
		exit(1);
	}
	memcpy(copy, data, size);
	(void)LLVMFuzzerTestOneInput(copy, size);
}

static int run_file(int dfd, const char *name, const char *shown)
{
	_cleanup_close_ int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ uint8_t *buf = NULL;
	struct stat st;
	size_t off = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", shown, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	if ((uintmax_t)st.st_size > REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: larger than %u bytes, skipped\n", shown,
			REPLAY_MAX_INPUT);
		return 0;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return -1;
	while (off < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + off, (size_t)st.st_size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "replay: %s: %s\n", shown, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		off += (size_t)n;
	}
	run_one(buf, off);
	return 1;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every regular file directly in @path, in name order; dotfiles are skipped. */
static int run_dir(const char *path, int *count)
{
	_cleanup_close_ int dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent **names = NULL;
	int n, i, failed = 0;

	if (dfd < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	n = scandir(path, &names, NULL, name_cmp);
	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char shown[4096];
		int r = 0;

		if (names[i]->d_name[0] != '.') {
			snprintf(shown, sizeof(shown), "%s/%s", path, names[i]->d_name);
			r = run_file(dfd, names[i]->d_name, shown);
		}
		if (r < 0)
			failed = 1;
		else
			*count += r;
		free(names[i]);
	}
	free(names);
	return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
	int count = 0, failed = 0, i;
	size_t b;

	for (b = 0; b < ARRAY_SIZE(builtin_inputs); b++)
		run_one((const uint8_t *)builtin_inputs[b], strlen(builtin_inputs[b]));
	for (i = 1; i < argc; i++) {
		struct stat st;
		int r;

		/* A harness without seeds yet still runs the built-in inputs. */
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s%s\n", argv[i], strerror(errno),
				errno == ENOENT ? ", skipped" : "");
			if (errno != ENOENT)
				failed = 1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			r = run_dir(argv[i], &count);
		} else {
			r = run_file(AT_FDCWD, argv[i], argv[i]);
			if (r > 0)
				count += r;
		}
		if (r < 0)
			failed = 1;
	}
	printf("replay: %zu built-in and %d corpus inputs\n", ARRAY_SIZE(builtin_inputs), count);
	return failed;
}
