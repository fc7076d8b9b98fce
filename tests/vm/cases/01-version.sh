#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 01-version.sh: CNI_COMMAND=VERSION prints the supported spec versions as JSON, exit 0.
set -eu
. /testbed/lib.sh

step "CNI_COMMAND=VERSION $SRIOV"
rc=0
out=$(env -i PATH="$PATH" CNI_COMMAND=VERSION "$SRIOV" </dev/null) || rc=$?
printf '%s\n' "$out"
check_eq 0 "$rc" "exit status"
check_json "$out" 'type == "object"' "output is one JSON object"
check_json "$out" '.cniVersion | type == "string"' "cniVersion is a string"
for v in 0.1.0 0.2.0 0.3.0 0.3.1 0.4.0 1.0.0 1.1.0; do
	check_json "$out" "any(.supportedVersions[]; . == \"$v\")" "supportedVersions has $v"
done
check_json "$out" '.supportedVersions | length == 7' "exactly the seven versions"
