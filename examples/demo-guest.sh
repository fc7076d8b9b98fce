#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# demo-guest.sh: the demo scenario, run inside the test VM by examples/demo.sh. Two pods get a VF
# each from the sriov plugin, with addresses from host-local IPAM; they ping each other; DEL
# gives the VFs back to the host. In between, the seed's performance test: an iperf3 server and
# client in the two pods and ping -c 100 between them (an emulated NIC under TCG: the figures
# show the workflow, not line rate). Every step prints what it runs; any failure stops the demo
# with a non-zero status. DEMO_IPERF_SECS sets the iperf3 run time (default 10).
# vm-needs: iperf3
set -eu
. /testbed/lib.sh

# show CMD...: print a command, then run it.
show()
{
	echo "# $*"
	"$@"
}

pf=$(pf_name)

step "1. The PF $pf ($(pf_pci)) and its $(vf_count) VFs"
show cat "/sys/class/net/$pf/device/sriov_totalvfs" "/sys/class/net/$pf/device/sriov_numvfs"
echo "index pci netdev driver"
vf_list
show ip -d link show "$pf"

step "2. Two pods: network namespaces pod-a and pod-b"
netns_add pod-a
netns_add pod-b
show ip netns list

step "3. CNI ADD: VF 0 to pod-a, VF 1 to pod-b, as net1"
for pod in a b; do
	case $pod in a) vf=0 ;; b) vf=1 ;; esac
	conf=$(sriov_conf "$(vf_pci $vf)")
	echo "network config for pod-$pod (VF $vf, $(vf_netdev $vf)):"
	printf '%s\n' "$conf" | jq .
	cni_run ADD "cid-pod-$pod" "pod-$pod" net1 "$conf"
	[ "$CNI_RC" = 0 ] || die "ADD for pod-$pod failed with exit status $CNI_RC: $CNI_OUT"
	printf '%s\n' "$CNI_OUT" | jq . >/dev/null 2>&1 || die "ADD for pod-$pod printed no JSON"
	echo "result for pod-$pod:"
	printf '%s\n' "$CNI_OUT" | jq .
	addr=$(printf '%s\n' "$CNI_OUT" | jq -r '.ips[0].address // empty')
	[ -n "$addr" ] || die "ADD for pod-$pod: no address in the result"
	eval "addr_$pod=\$addr"
	check_eq "" "$(vf_netdev $vf)" "VF $vf left the host"
done

step "4. Inside the pods"
for pod in a b; do
	show ip -n "pod-$pod" addr show
	show ip -n "pod-$pod" route show
done
check_match "$(ip -n pod-a -o addr show dev net1)" "inet ${addr_a%/*}/" "pod-a net1 has $addr_a"
check_match "$(ip -n pod-b -o addr show dev net1)" "inet ${addr_b%/*}/" "pod-b net1 has $addr_b"
check_match "$(ip -n pod-a route show)" '^default via 10\.56\.217\.1 ' "pod-a default route"

step "5. Ping pod-b (${addr_b%/*}) from pod-a"
pinged=0
for try in 1 2 3; do
	if show ip netns exec pod-a ping -c 3 -W 2 "${addr_b%/*}"; then
		pinged=1
		break
	fi
done
[ "$pinged" = 1 ] && ok "pod-a reaches pod-b" || fail "pod-a cannot ping pod-b"

step "6. Performance: iperf3 server in pod-b, client in pod-a, over the VFs"
secs=${DEMO_IPERF_SECS:-10}
ip netns exec pod-b iperf3 -s -1 >/tmp/iperf3-server.log 2>&1 &
server=$!
# Port 5201 (hex 1451) listening, on IPv4 or on a dual-stack IPv6 socket.
wait_for 10 sh -c "/usr/sbin/ip netns exec pod-b cat /proc/net/tcp /proc/net/tcp6 | grep -q ':1451 .* 0A '" ||
	die "the iperf3 server did not listen on port 5201: $(cat /tmp/iperf3-server.log)"
echo "# ip netns exec pod-a iperf3 -c ${addr_b%/*} -t $secs -P 4"
ip netns exec pod-a iperf3 -c "${addr_b%/*}" -t "$secs" -P 4 -J >/tmp/iperf3.json ||
	die "iperf3 failed: $(jq -r '.error // empty' /tmp/iperf3.json 2>/dev/null)"
wait "$server" || true
jq -r '.intervals[] | .sum | "  \(.start | floor)-\(.end | floor) s: \(.bits_per_second / 1e6 | . * 10 | round / 10) Mbit/s"' /tmp/iperf3.json
sent=$(jq -r '.end.sum_sent.bits_per_second / 1e6 | . * 10 | round / 10' /tmp/iperf3.json)
recv=$(jq -r '.end.sum_received.bits_per_second / 1e6 | . * 10 | round / 10' /tmp/iperf3.json)
[ "$(jq -r '.end.sum_received.bytes > 0' /tmp/iperf3.json)" = true ] &&
	ok "iperf3: $sent Mbit/s sent, $recv Mbit/s received (4 streams, $secs s)" ||
	fail "iperf3 moved no data"

step "7. Latency: ping -c 100 from pod-a to pod-b"
echo "# ip netns exec pod-a ping -c 100 -i 0.1 ${addr_b%/*}"
ip netns exec pod-a ping -c 100 -i 0.1 -q "${addr_b%/*}" >/tmp/ping.out 2>&1 || true
cat /tmp/ping.out
rtt=$(sed -n 's/.*min\/avg\/max = //p' /tmp/ping.out)
lost=$(sed -n 's/.* \([0-9]*\)% packet loss.*/\1/p' /tmp/ping.out)
[ -n "$rtt" ] && [ "${lost:-100}" -le 5 ] && ok "ping: min/avg/max $rtt over 100 pings, ${lost}% loss" ||
	fail "ping: ${lost:-?}% loss"
echo
echo "figures: throughput $recv Mbit/s (iperf3, 4 streams, $secs s); latency min/avg/max $rtt (ping, 100 packets)"

step "8. The PF's VF table with both VFs in use"
show ip -d link show "$pf"

step "9. CNI DEL for both pods"
for pod in a b; do
	case $pod in a) vf=0 ;; b) vf=1 ;; esac
	cni_run DEL "cid-pod-$pod" "pod-$pod" net1 "$(sriov_conf "$(vf_pci $vf)")"
	check_eq 0 "$CNI_RC" "DEL for pod-$pod"
done

step "10. The VFs are back in the host under their own names"
for vf in 0 1; do
	wait_for 10 vf_in_host $vf || true
	check_eq "$(vf_boot_name $vf)" "$(vf_netdev $vf)" "VF $vf is back as $(vf_boot_name $vf)"
done
echo "index pci netdev driver"
vf_list
show ip -br link
show ip -d link show "$pf"
