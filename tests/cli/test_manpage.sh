#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_manpage.sh: sriov(8) stays complete. It renders without warnings; it documents every
# configuration key the parsers read, every error code the code returns, every subcommand
# "sriov --help" lists, with its exit statuses; and every field it documents under
# CONFIGURATION and IPAM is used in examples/nad-all-fields.yaml.
# usage: test_manpage.sh SRIOV SOURCE_DIR CORPUS_DIR BUILD_DIR
set -u

SRIOV=$1
SRC=$2
MAN=$4/sriov.8
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../checks.sh"

[ -f "$MAN" ] || { echo "FAIL: $MAN not built"; exit 1; }
warn=$(groff -man -ww -z "$MAN" 2>&1)
[ -z "$warn" ] && ok || fail "groff warns: $warn"
# Plain text: no hyphenation, long lines, no overstrike, so that words can be searched.
groff -man -Tascii -rHY=0 -rLL=250n -P-cbou "$MAN" >"$T/man.txt" 2>/dev/null
section()
{
	awk -v s="$1" '/^[A-Z][A-Z_ ]*$/ { on = ($0 == s) } on' "$T/man.txt"
}
for s in NAME SYNOPSIS DESCRIPTION VERBS CONFIGURATION IPAM "CNI_ARGS AND RUNTIME CONFIGURATION" \
	ENVIRONMENT FILES COMMANDS "EXIT STATUS" "ERROR CODES"; do
	[ -n "$(section "$s")" ] && ok || fail "no section $s"
done

# Every key the config parsers read (the code is the list), except the delegated IPAM
# plugin's error reply (code, msg, details).
keys=$(grep -ohE '\b(json_get_string|json_get_string_list|json_get_strbuf|json_get_int|json_get_bool|json_get_array|json_get_object|json_get_ipaddr|json_get_prefix|json_get_mac|json_get|parse_onoff|get_str|cJSON_GetObjectItemCaseSensitive)\([a-z_>.-]+, "[A-Za-z_./-]+"' \
	"$SRC/lib/conf.c" "$SRC/ipam/ipam_conf.c" | sed 's/.*"\(.*\)"/\1/' | sort -u | grep -vx -e code -e msg -e details)
[ "$(printf '%s\n' "$keys" | wc -l)" -ge 30 ] && ok || fail "found only these keys in the parsers: $keys"
for k in $keys; do
	grep -qw -- "$k" "$T/man.txt" && ok || fail "sriov(8) does not document the key \"$k\""
done
for k in MAC IP IgnoreUnknown; do
	section "CNI_ARGS AND RUNTIME CONFIGURATION" | grep -qw -- "$k" && ok || fail "CNI_ARGS key $k undocumented"
done

# Every error code the code can return (named in err.h, used in lib/, ipam/, cmd/).
sed -n 's/^\tCNI_ERR_\([A-Z_]*\) = \([0-9]*\),$/\1 \2/p' "$SRC/include/sriov/err.h" >"$T/codes"
[ -s "$T/codes" ] && ok || fail "no error codes read from err.h"
while read -r name num; do
	grep -rqw "CNI_ERR_$name" "$SRC/lib" "$SRC/ipam" "$SRC/cmd" || continue
	section "ERROR CODES" | grep -qE "^ {7}$num\b" && ok || fail "error code $num (CNI_ERR_$name) undocumented"
done <"$T/codes"

# Every subcommand, in COMMANDS and SYNOPSIS, with its exit statuses.
cmds=$("$SRIOV" --help | sed -n '/^Commands:/,$s/^  \([a-z][a-z-]*\) .*/\1/p')
[ -n "$cmds" ] && ok || fail "sriov --help lists no commands"
for c in $cmds; do
	section COMMANDS | grep -q "^ *sriov $c\b" && ok || fail "COMMANDS lacks \"sriov $c\""
	section SYNOPSIS | grep -q "sriov $c\b" && ok || fail "SYNOPSIS lacks \"sriov $c\""
	section "EXIT STATUS" | grep -q "sriov $c" && ok || fail "EXIT STATUS lacks \"sriov $c\""
done

# Every field documented under CONFIGURATION and IPAM is used by an example NAD.
fields=$(awk '/^\.SH (CONFIGURATION|IPAM)$/ { on = 1; next } /^\.SH / { on = 0 }
	on && prev == ".TP" && /^\.BR / { for (i = 2; i <= NF; i++) { if ($i ~ /^"/) break; print $i } }
	{ prev = $0 }' "$SRC/docs/sriov.8" | tr -d '\\' | sort -u)
[ "$(printf '%s\n' "$fields" | wc -l)" -ge 20 ] && ok || fail "found only these fields: $fields"
for f in $fields; do
	grep -q "\"$f\"" "$SRC/examples/nad-all-fields.yaml" && ok || fail "examples/nad-all-fields.yaml does not use \"$f\""
done

echo "manpage: $((checks - failed)) passed, $failed failed"
[ "$failed" = 0 ]
