# SPDX-License-Identifier: Apache-2.0
# checks.sh: how the scripts of tests/cli and tests/package count their checks; sourced.
# ok: one check passed. fail MESSAGE: one check failed, said on stdout. At the end a script
# exits 1 when $failed is not 0.
checks=0
failed=0

ok()
{
	checks=$((checks + 1))
}

fail()
{
	checks=$((checks + 1))
	failed=$((failed + 1))
	echo "FAIL: $*"
}
