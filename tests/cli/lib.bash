# Shared helpers for the CLI contract tests (sourced, never run: ctest
# registers tests/cli/*.sh, and this file is .bash so it is not one of them).
# Each test script is called as
#   bash tests/cli/NAME.sh /path/to/sshlogwhy /path/to/repo
# runs every check, prints "ok"/"FAIL" per check, and exits non-zero when
# any check failed.
set -uo pipefail
BIN="$1"
REPO="$2"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
CHECKS=0
: >"$TMP/out"
: >"$TMP/err"

# A sanitizer build (-DSSHLOGWHY_SANITIZE=ON) reports on stderr; any report
# fails the script, whatever the check after the run looks at.
sanitizer_clean() {
  if grep -qE 'ERROR: (Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|runtime error: ' "$TMP/err"; then
    CHECKS=$((CHECKS + 1))
    FAILED=$((FAILED + 1))
    echo "FAIL - sanitizer report while running: $*"
    sed -n '1,40p' "$TMP/err"
  fi
}

# run CMD... : runs, keeps stdout in $TMP/out, stderr in $TMP/err, code in $RC
run() {
  "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  sanitizer_clean "$@"
}

# run_in FILE CMD... : the same with FILE as standard input
run_in() {
  local input="$1"
  shift
  "$@" <"$input" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  sanitizer_clean "$@"
}

check() {  # check "description" test-expression...
  local what="$1"
  shift
  CHECKS=$((CHECKS + 1))
  if "$@"; then
    echo "ok   - $what"
  else
    echo "FAIL - $what"
    echo "       exit: ${RC:-}"
    echo "       stdout: $(head -c 600 "$TMP/out" | tr '\n\033\007' '|??')"
    echo "       stderr: $(head -c 600 "$TMP/err" | tr '\n\033\007' '|??')"
    FAILED=$((FAILED + 1))
  fi
}

skip() {  # skip "description" "why"
  echo "skip - $1: $2"
}

finish() {
  echo "$((CHECKS - FAILED)) passed, $FAILED failed"
  [[ $FAILED -eq 0 ]]
}

# Predicates for check (they read the last run's output).
rc_is() { [[ "$RC" -eq "$1" ]]; }
out_has() { grep -qF -- "$1" "$TMP/out"; }
err_has() { grep -qF -- "$1" "$TMP/err"; }
out_lacks() { ! grep -qF -- "$1" "$TMP/out"; }
err_lacks() { ! grep -qF -- "$1" "$TMP/err"; }
err_matches() { grep -qiE -- "$1" "$TMP/err"; }
out_matches() { grep -qiE -- "$1" "$TMP/out"; }
err_empty() { [[ ! -s "$TMP/err" ]]; }
out_empty() { [[ ! -s "$TMP/out" ]]; }
# The first line of the text report: "Verdict: <id>  (... confidence)".
verdict_is() { head -n 1 "$TMP/out" | grep -qE "^Verdict: $1 "; }
# No ESC (0x1b) or BEL (0x07) byte in a file.
no_raw_controls() { ! LC_ALL=C grep -q $'[\x1b\x07]' "$1"; }

json_get() {  # json_get FILE python-expression-on-d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# json_ok FILE python-boolean-expression-on-d: the file is strict UTF-8,
# valid JSON, and the expression holds.
json_ok() {
  python3 - "$1" "$2" <<'PY'
import json, sys
raw = open(sys.argv[1], "rb").read()
d = json.loads(raw.decode("utf-8"))
sys.exit(0 if eval(sys.argv[2], {"d": d}) else 1)
PY
}

# A real lab capture by scenario name.
lab() { echo "$REPO/corpus/lab/$1/$2"; }

# The verdict id of FILE (text report, first line), "" on error.
verdict_of() { "$BIN" "$@" 2>/dev/null | head -n 1 | sed -nE 's/^Verdict: ([a-z_]+) .*/\1/p'; }
