# Shared helpers for the CLI contract tests. Each test script is called as
#   bash tests/cli/NAME.sh /path/to/sshlogwhy /path/to/repo
# and exits non-zero on the first failed check.
set -uo pipefail
BIN="$1"
REPO="$2"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
FAILED=0
CHECKS=0

# run CMD... : runs, keeps stdout in $TMP/out, stderr in $TMP/err, code in $RC
run() {
  "$@" >"$TMP/out" 2>"$TMP/err"
  RC=$?
}

check() {  # check "description" test-expression...
  local what="$1"
  shift
  CHECKS=$((CHECKS + 1))
  if "$@"; then
    echo "ok   - $what"
  else
    echo "FAIL - $what"
    echo "       stdout: $(head -c 600 "$TMP/out" | tr '\n' '|')"
    echo "       stderr: $(head -c 600 "$TMP/err" | tr '\n' '|')"
    FAILED=$((FAILED + 1))
  fi
}

finish() {
  echo "$((CHECKS - FAILED)) passed, $FAILED failed"
  [[ $FAILED -eq 0 ]]
}

json_get() {  # json_get FILE python-expression-on-d
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

# A real lab capture by scenario name.
lab() { echo "$REPO/corpus/lab/$1/$2"; }
