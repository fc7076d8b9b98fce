/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_dp_config.c: what "sriov doctor --dp-config" reads: the SR-IOV network device plugin's
 * config.json, then its selectors (VF index ranges, names as regular expressions) applied to
 * a node of one PF and two VFs by the doctor's rules. Must never crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/doctor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct doctor_pf pf = { .pci = "0000:01:00.0",
				.name = "eth0",
				.driver = "igb",
				.id = "8086:10c9",
				.totalvfs = 7,
				.numvfs = 2,
				.ifindex = 2,
				.link_known = true,
				.up = true,
				.carrier = true };
	struct doctor_vf vfs[2] = {
		{ .pci = "0000:01:10.0",
		  .index = 0,
		  .driver = "igbvf",
		  .id = "8086:10ca",
		  .netdev = "eth1",
		  .owner = -1 },
		{ .pci = "0000:01:10.2",
		  .index = 1,
		  .driver = "vfio-pci",
		  .id = "8086:10ca",
		  .owner = -1,
		  .iommu_group = true },
	};
	struct doctor_report r = {
		.pfs = &pf, .n_pfs = 1, .vfs = vfs, .n_vfs = 2, .iommu_groups = 1
	};
	struct doctor_dp *dp = NULL;
	struct cni_err err = { 0 };

	if (size > 1 << 20 || doctor_dp_parse((const char *)data, size, &dp, &err) < 0)
		return 0;
	r.dp = dp;
	if (doctor_diagnose(&r) < 0)
		__builtin_trap(); /* only out of memory may fail */
	for (size_t i = 0; i < r.n_problems; i++)
		if (!r.problems[i].kind || strlen(r.problems[i].message) == 0)
			__builtin_trap();
	free(r.problems);
	doctor_dp_free(dp);
	return 0;
}
