#!/usr/bin/env bash
# Live test: capture fresh traces from real sshd/ssh on loopback with
# tools/lab/run-lab.sh, then check that sshlogwhy gives the expected verdict
# for every case in each scenario's expected.json that is not "pending".
#
# Usage: live_test.sh /path/to/sshlogwhy /path/to/repo
# Exit: 0 all cases passed, 1 a mismatch or a lab failure, 77 skipped
#       (not root, or sshd/ssh/python3 missing).
# SSHLOGWHY_LIVE_SCENARIOS=a,b,c overrides the scenario list.

set -uo pipefail

BIN=${1:-}
REPO=${2:-}
if [[ -z "$BIN" || -z "$REPO" ]]; then
  echo "usage: live_test.sh /path/to/sshlogwhy /path/to/repo" >&2
  exit 2
fi

skip() { echo "SKIP: $*"; exit 77; }
[[ $EUID -eq 0 ]] || skip "needs root (the lab creates users and starts sshd on 127.0.0.1)"
[[ -x /usr/sbin/sshd ]] || skip "/usr/sbin/sshd not found (apt-get install openssh-server)"
command -v ssh >/dev/null 2>&1 || skip "ssh not found (apt-get install openssh-client)"
command -v ssh-keygen >/dev/null 2>&1 || skip "ssh-keygen not found"
command -v python3 >/dev/null 2>&1 || skip "python3 not found"
[[ -x "$BIN" ]] || { echo "FAIL: sshlogwhy binary not executable: $BIN"; exit 1; }
[[ -f "$REPO/tools/lab/run-lab.sh" ]] || { echo "FAIL: no tools/lab/run-lab.sh under $REPO"; exit 1; }

# Fast scenarios: a success control, a refused key, a TCP failure, a host key failure.
SCENARIOS=${SSHLOGWHY_LIVE_SCENARIOS:-success-pubkey,key-not-authorized,connection-refused,host-key-unknown}

OUT=$(mktemp -d /tmp/sshlogwhy-live.XXXXXX)
trap 'rm -rf "$OUT"' EXIT

echo "live: capturing $SCENARIOS"
if ! bash "$REPO/tools/lab/run-lab.sh" --out "$OUT/corpus" --only "$SCENARIOS" >"$OUT/lab.log" 2>&1; then
  echo "FAIL: run-lab.sh failed:"
  cat "$OUT/lab.log"
  exit 1
fi

# One line per non-pending case: scenario <TAB> verdict <TAB> input files (tab separated).
python3 - "$OUT/corpus" >"$OUT/cases.tsv" <<'EOF' || { echo "FAIL: cannot read expected.json files"; exit 1; }
import json, os, sys
root = sys.argv[1]
for scen in sorted(os.listdir(root)):
    path = os.path.join(root, scen, "expected.json")
    if not os.path.isfile(path):
        continue
    with open(path) as f:
        doc = json.load(f)
    for case in doc["cases"]:
        if "pending" in case:
            continue
        print("\t".join([scen, case["verdict"]] + case["input"]))
EOF

total=0
failed=0
while IFS=$'\t' read -r -a row; do
  scen=${row[0]}
  want=${row[1]}
  inputs=("${row[@]:2}")
  total=$((total + 1))
  json=$(cd "$OUT/corpus/$scen" && "$BIN" --format json "${inputs[@]}" 2>"$OUT/stderr")
  rc=$?
  got=$(printf '%s' "$json" | python3 -c 'import json,sys
try:
    print(json.load(sys.stdin)["verdict"]["id"])
except Exception as e:
    print("<unparseable: %s>" % e)')
  # Exit status contract: 0 = login succeeded, 1 = failure diagnosed, 2 = error.
  want_rc=1
  [[ "$want" == success ]] && want_rc=0
  if [[ "$got" == "$want" && $rc -eq $want_rc ]]; then
    echo "PASS  $scen [${inputs[*]}] -> $got"
  else
    failed=$((failed + 1))
    echo "FAIL  $scen [${inputs[*]}] expected $want (exit $want_rc), got $got (exit $rc)"
    sed 's/^/      stderr: /' "$OUT/stderr" | head -5
  fi
done <"$OUT/cases.tsv"

if [[ $total -eq 0 ]]; then
  echo "FAIL: the lab produced no testable cases"
  exit 1
fi
echo "live: $((total - failed))/$total cases passed"
[[ $failed -eq 0 ]]
