/* SPDX-License-Identifier: Apache-2.0 */
/* cli.h: the command-line side of the sriov binary (run without CNI_COMMAND): its subcommands. */
#ifndef SRIOV_CLI_H
#define SRIOV_CLI_H

#include <stddef.h>
#include <stdio.h>

/* Exit statuses of the subcommands. */
enum {
	CLI_OK = 0, /* done; for validate: every config is valid */
	CLI_INVALID = 1, /* validate, doctor: a problem was found */
	CLI_USAGE = 2, /* bad command line, or a file could not be read */
};

/*
 * "sriov COMMAND ARG..." (argv[1] is the command), for when CNI_COMMAND is not set: look the
 * command up and run it. Returns the exit status.
 */
int cli_main(int argc, char **argv);

/* "sriov validate FILE...": see validate.c and sriov(8). Returns a CLI_* status. */
int validate_main(int argc, char **argv);

/* "sriov install DIR": see install.c and sriov(8). Returns a CLI_* status. */
int install_main(int argc, char **argv);

/* "sriov doctor [--json]": see doctor.c and sriov(8). Returns a CLI_* status. */
int doctor_main(int argc, char **argv);

/*
 * Read the regular file @path ("-" for stdin) into a NUL-terminated buffer of at most @max
 * bytes. A symlink, a FIFO, a device or a directory is refused without blocking on it.
 * Returns 0, or -errno with @errbuf saying why.
 */
int cli_read_file(const char *path, size_t max, char **ret, size_t *ret_len, char *errbuf,
		  size_t errlen);

/*
 * Write @s to @f with every byte outside printable ASCII shown as \xNN, so that a value
 * taken from a config cannot send terminal escape sequences or fake extra report lines.
 */
void cli_put_clean(FILE *f, const char *s);

#endif
