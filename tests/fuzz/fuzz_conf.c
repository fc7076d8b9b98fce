/* SPDX-License-Identifier: Apache-2.0 */
/* fuzz_conf.c: the network config parser and CNI_ARGS, for every verb, must never crash. */
#include <stdint.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cni_cmd cmds[] = { CNI_CMD_ADD, CNI_CMD_DEL, CNI_CMD_CHECK, CNI_CMD_GC,
					     CNI_CMD_STATUS };
	static const char *const known[] = { "MAC", "IP", NULL };
	char text[65536], buf[64], version[16];

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(cmds); i++) {
		struct cni_env env = {
			.cmd = cmds[i], .container_id = "c", .netns = "/x", .ifname = "net1"
		};
		_cleanup_conf_ struct sriov_conf c = { 0 };
		struct cni_err err = { 0 };

		/* GC reads cni.dev/valid-attachments, every verb prevResult and ipam. */
		(void)conf_parse(text, size, &env, &c, &err);
	}
	/* The same bytes as CNI_ARGS. */
	{
		struct cni_err err = { 0 };

		(void)cni_args_get(text, known, "MAC", buf, sizeof(buf), &err);
	}
	conf_peek_version(text, size, version);
	return 0;
}
