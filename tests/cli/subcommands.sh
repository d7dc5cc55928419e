#!/usr/bin/env bash
# explain, verdicts, lint-patterns, --help, --version.
source "$(dirname "$0")/lib.bash" || exit 1

run "$BIN" explain key_not_authorized
check "explain key_not_authorized exits 0" rc_is 0
check "explain prints the id" out_has "key_not_authorized"
check "explain prints a Fix section" out_matches '^Fix$'
check "explain prints numbered fix steps" out_matches '^  1\. '
check "explain prints nothing on stderr" err_empty

run "$BIN" explain bogus
check "explain bogus exits 2" rc_is 2
check "explain bogus names the id" err_has "bogus"
check "explain bogus points at sshlogwhy verdicts" err_has "sshlogwhy verdicts"
check "explain bogus prints no report" out_empty

# An id with terminal escapes is not echoed raw.
run "$BIN" explain $'bo\033]0;pwned\007gus'
check "explain with escapes in the id exits 2" rc_is 2
check "explain with escapes: no raw ESC/BEL on stderr" no_raw_controls "$TMP/err"

run "$BIN" verdicts
check "verdicts exits 0" rc_is 0
awk '{print $1}' "$TMP/out" | sort >"$TMP/listed.txt"
check "verdicts lists success" grep -qx success "$TMP/listed.txt"
check "verdicts lists insufficient_evidence" grep -qx insufficient_evidence "$TMP/listed.txt"
check "verdicts lists no id twice" test -z "$(uniq -d "$TMP/listed.txt")"
check "verdicts: every line is an id and a title" \
  test -z "$(grep -vE '^[a-z0-9_]+ {2,}[^ ]' "$TMP/out")"
SHARED="$REPO/../shared/VERDICTS.md"
if [[ -f "$SHARED" ]]; then
  grep -oE '^\| `[a-z0-9_]+`' "$SHARED" | tr -d '|` ' | sort -u >"$TMP/shared.txt"
  missing=$(comm -23 "$TMP/shared.txt" "$TMP/listed.txt" | tr '\n' ' ')
  check "VERDICTS.md has ids to compare ($(wc -l <"$TMP/shared.txt"))" test "$(wc -l <"$TMP/shared.txt")" -ge 20
  check "verdicts lists every id of ../shared/VERDICTS.md (missing: ${missing:-none})" test -z "$missing"
  # Every listed id can be explained.
  bad=""
  for id in $(cat "$TMP/listed.txt"); do
    "$BIN" explain "$id" >/dev/null 2>&1 || bad="$bad $id"
  done
  check "every listed id can be explained (failing:${bad:- none})" test -z "$bad"
else
  skip "verdicts lists every id of ../shared/VERDICTS.md" "$SHARED does not exist in this checkout"
fi

run "$BIN" lint-patterns
check "lint-patterns (built-in) exits 0" rc_is 0
check "lint-patterns reports 0 problems" out_has "0 problem(s)"
run "$BIN" lint-patterns "$REPO/patterns"
check "lint-patterns on the source patterns/ exits 0" rc_is 0

mkdir -p "$TMP/badpatterns"
printf '{\n  "family": "openssh-client",\n  "patterns": [\n    {"id": "client.broken",\n  ]\n}\n' \
  >"$TMP/badpatterns/broken.json"
run "$BIN" lint-patterns "$TMP/badpatterns"
check "lint-patterns on a broken JSON file exits 2" rc_is 2
check "lint-patterns names file:line of the broken JSON" err_matches 'broken\.json:[0-9]+'
check "lint-patterns counts the problem" out_matches '[1-9][0-9]* problem\(s\)'

# Valid JSON, wrong content: a sample its regex does not match.
mkdir -p "$TMP/badsample"
cat >"$TMP/badsample/auth.json" <<'JSON'
{
  "family": "openssh-client",
  "description": "a test file with a sample that does not match",
  "patterns": [
    {
      "id": "client.test_nomatch",
      "event": "permission_denied",
      "literal": "Permission denied (",
      "regex": "^Permission denied \\((?P<methods>[a-z]+)\\)\\.$",
      "samples": [ { "line": "Permission denied (publickey,password).", "captures": { "methods": "publickey,password" } } ]
    }
  ]
}
JSON
run "$BIN" lint-patterns "$TMP/badsample"
check "lint-patterns: a sample its regex does not match exits 2" rc_is 2
check "lint-patterns: names the file of the bad sample" err_has "auth.json"

# A diagnose run with a broken --patterns dir is an error too, naming file:line.
run "$BIN" "$(lab key-not-authorized ssh-vvv.txt)" --patterns "$TMP/badpatterns"
check "diagnose with a broken --patterns dir exits 2" rc_is 2
check "diagnose with a broken --patterns dir names file:line" err_matches 'broken\.json:[0-9]+'

run "$BIN" --help
check "--help exits 0" rc_is 0
check "--help shows examples" out_has "Examples:"
check "--help shows the pipe example" out_has "ssh -vvv user@host 2>&1 | sshlogwhy"
check "--help states the exit codes" out_matches 'Exit status: 0 .*1 .*2 '
check "--help names the subcommands" eval 'out_has explain && out_has verdicts && out_has lint-patterns'

run "$BIN" --version
check "--version exits 0" rc_is 0
check "--version prints a version" out_matches '^sshlogwhy [0-9]+\.[0-9]+'

finish
