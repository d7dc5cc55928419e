# sshd writes user names through strnvis: "jöhn" is logged as j\303\266hn,
# and lines relayed by the privsep monitor or re-escaped by a collector
# carry j\\303\\266hn. Both spellings are one user, shown decoded; escapes
# that would decode to control bytes stay as written text. (Hand-made lines
# in the exact shape of sshd 9.2's messages; see tests/unit/log_vis_decode_test.cc
# for the decoder itself.)
source "$(dirname "$0")/lib.bash"
LOG="$TMP/auth.log"
printf '%s\n' \
  'Nov 23 18:07:29 host sshd[100]: Invalid user j\303\266hn from 203.0.113.9 port 50000' \
  'Nov 23 18:07:30 host sshd[100]: Connection closed by invalid user j\\303\\266hn 203.0.113.9 port 50000 [preauth]' \
  'Nov 23 18:07:31 host sshd[101]: Invalid user ev\033[31mil from 203.0.113.10 port 50001' \
  'Nov 23 18:07:32 host sshd[101]: Connection closed by invalid user ev\\033[31mil 203.0.113.10 port 50001 [preauth]' >"$LOG"

run "$BIN" scan --format ndjson --year 2026 "$LOG"
check "scan exits 0" test "$RC" -eq 0
check "two connections" test "$(wc -l <"$TMP/out")" -eq 2
check "the escaped name is decoded once, both spellings agree" python3 -c "
import json,sys
users=[json.loads(l)['user'] for l in open(sys.argv[1])]
assert users[0] == 'j\u00f6hn', users
" "$TMP/out"
check "an escaped control byte is not decoded into the output" python3 -c "
import json,sys
users=[json.loads(l)['user'] for l in open(sys.argv[1])]
assert '\x1b' not in users[1] and '033' in users[1], users
" "$TMP/out"

run "$BIN" scan --year 2026 --user "jöhn" "$LOG"
check "--user with the decoded name finds the connection" test "$RC" -eq 0
check "text output shows the decoded name" grep -q "jöhn" "$TMP/out"
finish
