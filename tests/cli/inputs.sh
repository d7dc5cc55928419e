#!/usr/bin/env bash
# Ways the same trace arrives: compressed, on standard input, with '-', with
# --input-format; --patterns DIR overrides a built-in pattern; --color.
source "$(dirname "$0")/lib.bash" || exit 1

FAILURE=$(lab key-not-authorized ssh-vvv.txt)
SUCCESS=$(lab success-pubkey ssh-v.txt)
PLINK=$(lab key-not-authorized plink-v.txt)

# --- compressed inputs give the same verdict as the plain file ---
for trace in "$FAILURE" "$SUCCESS" "$PLINK"; do
  plain=$(verdict_of "$trace")
  "$BIN" "$trace" >/dev/null 2>&1
  plain_rc=$?
  name=${trace#"$REPO/corpus/lab/"}
  check "plain $name has a verdict ($plain)" test -n "$plain"
  for tool in gzip bzip2 xz zstd; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      skip "$tool-compressed $name" "$tool is not installed"
      continue
    fi
    ext=$(case $tool in gzip) echo gz ;; bzip2) echo bz2 ;; xz) echo xz ;; zstd) echo zst ;; esac)
    "$tool" -c <"$trace" >"$TMP/trace.$ext" 2>/dev/null
    run "$BIN" "$TMP/trace.$ext"
    check "$tool: same verdict as plain for $name" verdict_is "$plain"
    check "$tool: same exit code as plain for $name" rc_is "$plain_rc"
    # By content, not by name.
    cp "$TMP/trace.$ext" "$TMP/renamed.txt"
    run "$BIN" "$TMP/renamed.txt"
    check "$tool: detected by content under a .txt name ($name)" verdict_is "$plain"
    # Compressed data on standard input.
    run_in "$TMP/trace.$ext" "$BIN"
    check "$tool: compressed standard input works ($name)" verdict_is "$plain"
  done
done

# --- standard input ---
run_in "$FAILURE" "$BIN" -
check "'-' reads standard input" verdict_is key_not_authorized
check "'-' exits 1 for a failure" rc_is 1
run_in "$FAILURE" "$BIN"
check "no file argument reads standard input" verdict_is key_not_authorized
run_in "$SUCCESS" "$BIN" --format json -
check "'-' with --format json" json_ok "$TMP/out" 'd["verdict"]["id"] == "success" and d["inputs"][0]["name"] == "<stdin>"'
cat "$FAILURE" | "$BIN" >"$TMP/out" 2>"$TMP/err"
RC=$?
check "a pipe (not a file) on standard input works" verdict_is key_not_authorized
check "stdin evidence is labelled <stdin>" out_has "<stdin>"

# --- --input-format ---
run "$BIN" --input-format putty "$PLINK"
check "--input-format putty on a plink log" verdict_is key_not_authorized
run "$BIN" --input-format openssh "$FAILURE"
check "--input-format openssh on an ssh trace" verdict_is key_not_authorized

# --- --patterns DIR overrides a built-in pattern ---
# Copy the built-in "Permission denied (...)" pattern under its own id, but
# make it expect "Permission REFUSED": the real line stops matching.
mkdir -p "$TMP/pat"
python3 - "$REPO/patterns/openssh-client/auth.json" "$TMP/pat/auth.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
p = [x for x in d["patterns"] if x["id"] == "client.permission_denied"]
assert len(p) == 1, "client.permission_denied not found in auth.json"
p = p[0]
p["literal"] = p["literal"].replace("Permission denied", "Permission REFUSED")
p["regex"] = p["regex"].replace("Permission denied", "Permission REFUSED")
for s in p["samples"]:
    s["line"] = s["line"].replace("Permission denied", "Permission REFUSED")
d["patterns"] = [p]
json.dump(d, open(sys.argv[2], "w"), indent=1)
PY
run "$BIN" lint-patterns "$TMP/pat"
check "the overriding pattern file lints clean" rc_is 0

run "$BIN" --format json "$FAILURE"
cp "$TMP/out" "$TMP/builtin.json"
run "$BIN" --format json "$FAILURE" --patterns "$TMP/pat"
cp "$TMP/out" "$TMP/override.json"
check "--patterns DIR: still diagnoses (exit 1)" rc_is 1
check "built-in: the Permission denied line is evidence and the outcome is permission_denied" json_ok "$TMP/builtin.json" \
  '"permission_denied" in [e["event"] for e in d["verdict"]["evidence"]] and d["conversations"][0]["outcome"] == "permission_denied"'
check "--patterns DIR: the overridden line is no longer recognised" json_ok "$TMP/override.json" \
  '"permission_denied" not in [e["event"] for e in d["verdict"]["evidence"]] and d["conversations"][0]["outcome"] != "permission_denied"'
b=$(json_get "$TMP/builtin.json" 'd["inputs"][0]["recognised_lines"]')
o=$(json_get "$TMP/override.json" 'd["inputs"][0]["recognised_lines"]')
check "--patterns DIR: one recognised line fewer ($b -> $o)" test "$o" -eq $((b - 1))
# The overriding pattern does match a line that uses its wording.
sed 's/Permission denied/Permission REFUSED/' "$FAILURE" >"$TMP/refused.txt"
run "$BIN" --format json "$TMP/refused.txt" --patterns "$TMP/pat"
check "--patterns DIR: the new wording is recognised" json_ok "$TMP/out" \
  'd["conversations"][0]["outcome"] == "permission_denied"'
run "$BIN" --format json "$TMP/refused.txt"
check "without --patterns the new wording is not recognised" json_ok "$TMP/out" \
  'd["conversations"][0]["outcome"] != "permission_denied"'

# --- colour ---
run "$BIN" --color always "$FAILURE"
check "--color always adds ESC codes" grep -q $'\033\\[' "$TMP/out"
run "$BIN" "$FAILURE"
check "default on a pipe: no ESC codes" no_raw_controls "$TMP/out"
run "$BIN" --color never "$FAILURE"
check "--color never: no ESC codes" no_raw_controls "$TMP/out"
run "$BIN" --color always --format json "$FAILURE"
check "--color always never colours JSON" json_ok "$TMP/out" 'True'
if command -v script >/dev/null 2>&1; then
  script -qec "'$BIN' '$FAILURE'" /dev/null >"$TMP/tty.txt" 2>&1
  check "default on a terminal: colour" grep -q $'\033\\[' "$TMP/tty.txt"
  NO_COLOR=1 script -qec "'$BIN' '$FAILURE'" /dev/null >"$TMP/tty.txt" 2>&1
  check "NO_COLOR on a terminal: no colour" no_raw_controls "$TMP/tty.txt"
else
  skip "colour on a terminal" "script(1) is not installed"
fi

finish
