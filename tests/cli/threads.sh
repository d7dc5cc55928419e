# `scan --threads N` must print exactly what --threads 1 prints (issue 5):
# the input is cut into chunks at line ends (here: tiny chunks, so that a
# few MB make hundreds of them) and each chunk's line numbers, years and key
# redaction must come out as if read in one piece.
source "$(dirname "$0")/lib.bash"
GEN="$REPO/tools/gen_authlog.py"

same_for_thread_counts() {  # same_for_thread_counts WHAT FILE [scan options...]
  local what="$1" file="$2"
  shift 2
  local fmt ref
  for fmt in json ndjson; do
    "$BIN" scan --threads 1 --format "$fmt" "$@" "$file" >"$TMP/ref.$fmt" 2>"$TMP/ref.err"
    echo "exit $?" >"$TMP/ref.rc"
    for t in 2 3 8; do
      "$BIN" scan --threads "$t" --chunk-bytes 65536 --format "$fmt" "$@" "$file" >"$TMP/par.$fmt" 2>"$TMP/par.err"
      echo "exit $?" >"$TMP/par.rc"
      check "$what: --format $fmt --threads $t is identical to --threads 1" cmp -s "$TMP/ref.$fmt" "$TMP/par.$fmt"
      check "$what: --format $fmt --threads $t gives the same messages and exit status" \
        bash -c "cmp -s '$TMP/ref.err' '$TMP/par.err' && cmp -s '$TMP/ref.rc' '$TMP/par.rc'"
    done
  done
}

python3 "$GEN" --size 3M --seed 11 --format rfc3164 -o "$TMP/auth.log" || exit 1
same_for_thread_counts "RFC 3164 auth.log" "$TMP/auth.log" --year 2026
"$BIN" scan --threads 1 --format json --year 2026 "$TMP/auth.log" >"$TMP/ref.json"
check "the generated log has many chunks and connections" test "$(json_get "$TMP/ref.json" "d['connections']['total'] > 1000")" = "True"

# Year-less timestamps across New Year: chunks after the wrap must get the
# next year, as the sequential reader gives them.
python3 "$GEN" --size 2M --seed 12 --format rfc3164 --start 2025-12-31T23:50:00 -o "$TMP/newyear.log" || exit 1
check "the New Year log crosses Dec -> Jan" grep -q '^Jan  1' "$TMP/newyear.log"
same_for_thread_counts "Dec -> Jan wrap" "$TMP/newyear.log" --year 2025

python3 "$GEN" --size 2M --seed 13 --format rfc3339 -o "$TMP/auth3339.log" || exit 1
same_for_thread_counts "RFC 3339 auth.log" "$TMP/auth3339.log"

python3 "$GEN" --size 3M --seed 14 --format journal-json -o "$TMP/journal.json" || exit 1
same_for_thread_counts "journalctl -o json" "$TMP/journal.json"

# A private key pasted into the middle of the log, longer than a chunk: the
# lines inside it are blanked whichever chunk they fall in.
{
  head -c 1000000 "$TMP/auth.log" | sed '$d'
  echo '-----BEGIN OPENSSH PRIVATE KEY-----'
  echo 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW'
  for i in $(seq 1 2000); do echo 'QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB'; done
  echo '-----END OPENSSH PRIVATE KEY-----'
  tail -c 1000000 "$TMP/auth.log" | sed '1d'
} >"$TMP/withkey.log"
same_for_thread_counts "a private key across chunks" "$TMP/withkey.log" --year 2026
"$BIN" scan --threads 4 --chunk-bytes 65536 --format json --year 2026 "$TMP/withkey.log" >"$TMP/par.json"
check "the key body is not echoed" bash -c "! grep -q 'b3BlbnNzaC1rZXktdjE\\|QUFBQUFBQUFB' '$TMP/par.json'"

# A truncated gzip file: the same connections before the error, and the
# same error (file and line) whatever the thread count.
gzip -c "$TMP/auth.log" | head -c 150000 >"$TMP/truncated.log.gz"
same_for_thread_counts "a truncated .gz" "$TMP/truncated.log.gz" --year 2026
check "the truncated .gz is reported with its line" grep -q "truncated.log.gz:[0-9]*: truncated or corrupt gzip" "$TMP/ref.err"

# Several files: each is cut on its own.
same_for_thread_counts "two rotated files" "$TMP/auth.log" "$TMP/newyear.log" --year 2026
finish
