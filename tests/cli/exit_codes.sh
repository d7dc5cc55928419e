#!/usr/bin/env bash
# Exit codes and error messages: 0 success, 1 failure diagnosed, 2 usage or
# input error (the message names the file, and the line where there is one).
source "$(dirname "$0")/lib.bash"

SUCCESS=$(lab success-pubkey ssh-vvv.txt)
FAILURE=$(lab key-not-authorized ssh-vvv.txt)

run "$BIN" "$SUCCESS"
check "a success trace exits 0" rc_is 0
check "a success trace says success" verdict_is success
check "nothing on stderr for a clean success trace" err_empty

run "$BIN" "$FAILURE"
check "a failure trace exits 1" rc_is 1
check "a failure trace names its verdict" verdict_is key_not_authorized

run "$BIN" "$(lab connection-refused ssh-v.txt)"
check "another failure (connection refused, ssh -v) exits 1" rc_is 1

run "$BIN" "$(lab success-pubkey plink-v.txt)"
check "a PuTTY success log exits 0" rc_is 0

run "$BIN" "$TMP/no-such-trace.txt"
check "a missing file exits 2" rc_is 2
check "the error names the missing file" err_has "$TMP/no-such-trace.txt"
check "nothing on stdout for a missing file" out_empty

run_in /dev/null "$BIN"
check "empty standard input exits 2" rc_is 2
check "empty standard input: the message says empty" err_matches 'empty'
check "empty standard input: the message names stdin" err_has "<stdin>"

: >"$TMP/empty.txt"
run "$BIN" "$TMP/empty.txt"
check "an empty file exits 2" rc_is 2
check "an empty file: the message says empty" err_matches 'empty'
check "an empty file: the message names it" err_has "$TMP/empty.txt"

if [[ -r /etc/services ]]; then
  run "$BIN" /etc/services
  check "unrecognised text exits 2" rc_is 2
  check "unrecognised text: says no trace was found" err_has "no SSH client trace, sshd log or PuTTY log found"
  check "unrecognised text: names the file" err_has "/etc/services"
else
  skip "unrecognised text" "/etc/services is not readable here"
fi
# The same with a file we make, so the check never depends on the host.
printf 'Hello,\nthis is a shopping list.\n- milk\n- bread\n' >"$TMP/list.txt"
run "$BIN" "$TMP/list.txt"
check "a shopping list exits 2" rc_is 2
check "a shopping list: says no trace was found" err_has "no SSH client trace, sshd log or PuTTY log found"

head -c 100000 /dev/urandom >"$TMP/junk.bin"
run "$BIN" "$TMP/junk.bin"
check "binary junk exits 2 (and does not crash)" rc_is 2
check "binary junk: the error names the file" err_has "$TMP/junk.bin"
check "binary junk: the error names a line" err_matches 'line [0-9]+|junk\.bin:[0-9]+'
check "binary junk: no report on stdout" out_empty

# Binary junk after a real trace (a `script` typescript that caught a
# binary download): no crash; either an input error naming the file, or the
# trace's own verdict.
{ cat "$FAILURE"; head -c 100000 /dev/urandom; } >"$TMP/trace-then-junk.txt"
run "$BIN" "$TMP/trace-then-junk.txt"
check "a trace followed by binary junk: exit 1 or 2, no crash" eval '[[ $RC -eq 1 || $RC -eq 2 ]]'
if [[ $RC -eq 2 ]]; then
  check "a trace followed by binary junk: the error names the file" err_has "$TMP/trace-then-junk.txt"
else
  check "a trace followed by binary junk: the trace's verdict" verdict_is key_not_authorized
fi

# A truncated .gz of a real trace.
gzip -c "$FAILURE" >"$TMP/full.gz"
size=$(stat -c %s "$TMP/full.gz")
head -c $((size / 2)) "$TMP/full.gz" >"$TMP/cut.txt.gz"
run "$BIN" "$TMP/cut.txt.gz"
check "a truncated .gz exits 2" rc_is 2
check "a truncated .gz: the error names the file" err_has "$TMP/cut.txt.gz"
check "a truncated .gz: the error says truncated or corrupt" err_matches 'truncated|corrupt'
# Corrupt in the middle (not just short).
cp "$TMP/full.gz" "$TMP/flipped.gz"
printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of="$TMP/flipped.gz" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
run "$BIN" "$TMP/flipped.gz"
check "a corrupt .gz exits 2" rc_is 2
check "a corrupt .gz: the error names the file" err_has "$TMP/flipped.gz"

# A directory is not a trace.
run "$BIN" "$TMP"
check "a directory exits 2" rc_is 2
check "a directory: the error names it" err_has "$TMP"

# Usage errors.
run "$BIN" --no-such-option "$FAILURE"
check "an unknown option exits 2" rc_is 2
run "$BIN" --format yaml "$FAILURE"
check "a bad --format value exits 2" rc_is 2
run "$BIN" --color sometimes "$FAILURE"
check "a bad --color value exits 2" rc_is 2
run "$BIN" --input-format sshd "$FAILURE"
check "a bad --input-format value exits 2" rc_is 2
run "$BIN" explain
check "explain without an id exits 2" rc_is 2

# The first error wins when several files are given and one is missing.
run "$BIN" "$FAILURE" "$TMP/also-missing.txt"
check "one missing file among several exits 2" rc_is 2
check "... and names the missing one" err_has "$TMP/also-missing.txt"

finish
