# --since/--until with and without a zone, and the default mode's counts on
# a real merged log (corpus/lab/many-failures-one-server/auth.log: 16
# connections logged by rsyslog with "+00:00" timestamps).
source "$(dirname "$0")/lib.bash"
LOG="$REPO/corpus/lab/many-failures-one-server/auth.log"
FIRST=$(head -1 "$LOG" | cut -c1-19)                 # e.g. 2026-11-23T23:09:06 (UTC, as written)
DAY=${FIRST%%T*}

run "$BIN" scan --format json --since "$FIRST" "$LOG"
check "--since as written in the log keeps every connection" test "$(json_get "$TMP/out" "d['connections']['total']")" = "16"
run "$BIN" scan --format json --since "${FIRST}Z" "$LOG"
check "--since ...Z is the same instant here" test "$(json_get "$TMP/out" "d['connections']['total']")" = "16"
run "$BIN" scan --format json --since "${FIRST}+01:00" "$LOG"
check "--since with +01:00 is an hour earlier in UTC: every connection" test "$(json_get "$TMP/out" "d['connections']['total']")" = "16"
run "$BIN" scan --format json --since "${FIRST}-01:00" "$LOG"
check "--since with -01:00 is an hour later in UTC: none (exit 2)" test "$RC" -eq 2
run "$BIN" scan --format json --until "${DAY}T00:00:00-0100" "$LOG"
check "--until with -0100 (no colon) is read as a zone" test "$RC" -eq 2
run "$BIN" scan --since "${FIRST}+01:00junk" "$LOG"
check "trailing text after a time is an error, not ignored" bash -c "test $RC -eq 2 && grep -q 'is not a time' '$TMP/err'"
run "$BIN" scan --since "${DAY}T25:00" "$LOG"
check "an hour of 25 is an error" test "$RC" -eq 2

run "$BIN" "$LOG"
check "default mode counts like scan: succeeded, failed, never tried" \
  grep -q "Server log: 16 connection(s): 1 succeeded, 12 failed, 3 never tried to log in" "$TMP/out"
finish
