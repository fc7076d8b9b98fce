/* SPDX-License-Identifier: Apache-2.0 */
/* main.c: the sriov CNI plugin entry point (provisional: VERSION only). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
	const char *cmd = getenv("CNI_COMMAND");

	if (cmd && strcmp(cmd, "VERSION") == 0) {
		printf("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n");
		return 0;
	}
	printf("{\"code\":4,\"msg\":\"unknown CNI_COMMAND\"}\n");
	return 1;
}
