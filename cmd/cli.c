/* SPDX-License-Identifier: Apache-2.0 */
/* cli.c: "sriov COMMAND ...", run by a person or a script rather than by a CNI runtime. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"

#include "cli.h"

/* To add a subcommand: write its NAME_main(argc, argv) and list it here. */
static const struct {
	const char *name;
	int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
	const char *summary;
} cli_commands[] = {
	{ "validate", validate_main,
	  "check CNI configs, conflists and NetworkAttachmentDefinitions as ADD would" },
	{ "install", install_main, "copy this sriov into a CNI bin directory (DaemonSet)" },
	{ "doctor", doctor_main, "show this node's PFs, VFs and their owners, and what is wrong" },
};

static void usage(FILE *f)
{
	fputs("usage: sriov COMMAND [ARG...]\n"
	      "       CNI_COMMAND=ADD|DEL|CHECK|GC|STATUS|VERSION sriov < config   (as a CNI plugin)\n"
	      "Commands:\n",
	      f);
	for (size_t i = 0; i < ARRAY_SIZE(cli_commands); i++)
		fprintf(f, "  %-10s %s\n", cli_commands[i].name, cli_commands[i].summary);
	fputs("  --version  print the version\n"
	      "See sriov(8).\n",
	      f);
}

int cli_main(int argc, char **argv)
{
	const char *cmd = argv[1];

	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("sriov %s\n", SRIOV_VERSION);
		return CLI_OK;
	}
	for (size_t i = 0; i < ARRAY_SIZE(cli_commands); i++)
		if (strcmp(cmd, cli_commands[i].name) == 0)
			return cli_commands[i].run(argc - 1, argv + 1);
	fputs("sriov: unknown command \"", stderr);
	cli_put_clean(stderr, cmd);
	fputs("\"\n", stderr);
	usage(stderr);
	return CLI_USAGE;
}

int cli_read_file(const char *path, size_t max, char **ret, size_t *ret_len, char *errbuf,
		  size_t errlen)
{
	_cleanup_close_ int fd = -1;
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	struct stat st;

	if (strcmp(path, "-") == 0) {
		fd = dup(STDIN_FILENO);
	} else {
		/*
		 * Not following a symlink and not waiting for a FIFO's writer: the path may come
		 * from a repository of manifests that someone else wrote.
		 */
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd >= 0 && fs_fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
			snprintf(errbuf, errlen, "not a regular file");
			return -EINVAL;
		}
	}
	if (fd < 0) {
		int e = errno;

		snprintf(errbuf, errlen, "%s",
			 e == ELOOP ? "a symlink: give the path of the file itself" : strerror(e));
		return -e;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap > max) {
				snprintf(errbuf, errlen, "larger than %zu bytes", max);
				return -EFBIG;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				snprintf(errbuf, errlen, "out of memory");
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			snprintf(errbuf, errlen, "%s", strerror(e));
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		snprintf(errbuf, errlen, "larger than %zu bytes", max);
		return -EFBIG;
	}
	if (!buf && !(buf = calloc(1, 1))) {
		snprintf(errbuf, errlen, "out of memory");
		return -ENOMEM;
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

void cli_put_clean(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			fputc(*p, f);
		else
			fprintf(f, "\\x%02x", *p);
	}
}
