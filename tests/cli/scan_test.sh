# `sshlogwhy scan` on the lab's merged multi-connection log (real sshd -E
# output: 12 wrong-password connections, 2 bare TCP probes, then a success
# from the same address): the server-wide findings must all be there.
source "$(dirname "$0")/lib.bash"
LOG="$REPO/corpus/lab/brute-force-then-success/sshd.log"

run "$BIN" scan --format json "$LOG"
check "scan exits 0" test "$RC" -eq 0
check "json: 15 connections, 1 succeeded" test "$(json_get "$TMP/out" "d['connections']['total'], d['connections']['succeeded']")" = "15 1"
check "json: 127.0.0.1 is a brute-force source" test "$(json_get "$TMP/out" "[s['source_ip'] for s in d['brute_force_sources']]")" = "['127.0.0.1']"
check "json: success after failures flagged, with the user" test "$(json_get "$TMP/out" "[(s['source_ip'], s['success']['user']) for s in d['success_after_failures']]")" = "[('127.0.0.1', 'labuser')]"
check "json: two scanner probes" test "$(json_get "$TMP/out" "d['scanner_probes']")" = "2"
check "json: wrong_password counted 12 times" test "$(json_get "$TMP/out" "d['by_verdict'].get('wrong_password')")" = "12"
check "json: unmatched lines are counted with examples" test "$(json_get "$TMP/out" "d['lines']['unmatched'] == sum(e['count'] for e in d['unmatched_examples'])")" = "True"

run "$BIN" scan --format ndjson "$LOG"
check "ndjson: one object per connection" test "$(wc -l < "$TMP/out")" -eq 15
check "ndjson: every line is a JSON object with a verdict id" python3 -c "
import json,sys
for line in open(sys.argv[1]):
    d=json.loads(line); assert d['verdict']['id'] and 'source_ip' in d and 'outcome' in d
" "$TMP/out"

run "$BIN" scan "$LOG"
check "text: the alarm is printed" grep -q "SUCCESS AFTER MANY FAILURES" "$TMP/out"
check "text: the brute-force source is listed" grep -q "Brute-force sources (1)" "$TMP/out"

run "$BIN" scan --user nobody-at-all "$LOG"
check "a filter that matches nothing: exit 2 with a message" test "$RC" -eq 2 -a -s "$TMP/err"

run "$BIN" scan "$REPO/corpus/lab/key-not-authorized/ssh-vvv.txt"
check "a client trace given to scan is named as such" grep -q "client trace" "$TMP/err"
finish
