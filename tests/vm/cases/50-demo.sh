#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 50-demo.sh: the README's first command (examples/demo.sh) plays examples/demo-guest.sh in this
# VM; run it here too, with a short iperf3, so that the demo keeps working: two pods with VFs,
# ping, the seed's iperf3 and ping -c 100 performance test, DEL.
# vm-needs: iperf3
# vm-timeout: 240
set -eu
. /testbed/lib.sh

step "examples/demo-guest.sh"
rc=0
DEMO_IPERF_SECS=3 sh /testbed/examples/demo-guest.sh >/tmp/demo.out 2>&1 || rc=$?
cat /tmp/demo.out
check_eq 0 "$rc" "the demo ran to the end"
# has ERE TEXT: a line of the demo's output matches ERE.
has()
{
	grep -Eq -- "$1" /tmp/demo.out && ok "$2" || fail "$2: no line matches /$1/"
}
has '^ok   - iperf3: [0-9.]+ Mbit/s sent, [0-9.]+ Mbit/s received' "the demo measured throughput"
has '^ok   - ping: min/avg/max [0-9.]+/[0-9.]+/[0-9.]+ ms over 100 pings' "the demo measured latency"
has '^result: all [0-9]+ checks passed' "every check of the demo passed"
