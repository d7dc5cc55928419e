#!/usr/bin/env bash
# End-to-end throughput of `sshlogwhy scan` beside the tools admins use today,
# on the same generated files, in one run (issue 5).
#
#   bench/e2e.sh                    # 1 GiB auth.log (refuses if it would take > 15 min)
#   bench/e2e.sh --size 256M        # smaller
#   bench/e2e.sh --size 64M --runs 2 --warmup 0    # a quick look
#
# What it does:
#   1. times sshlogwhy on 4 MiB and 16 MiB probes (the start of the inputs)
#      and refuses (unless --force) when the projected total exceeds --budget
#      seconds, first trying fewer runs;
#   2. generates (or reuses, when the generator and its arguments are
#      unchanged) with tools/gen_authlog.py, in --dir:
#        auth-SIZE-sSEED.log          RFC 3164 auth.log, ~60 % sshd lines
#        auth-SIZE-sSEED.log.gz       the same, gzip -6 (logrotate's default)
#        journal-SIZE-sSEED.json      `journalctl -o json` of the same mix, same byte size
#        auth-SIZE-sSEED.slice.log    the first --slice bytes, for fail2ban-regex (~4 MB/s)
#   3. reads every file once (page cache warm) and checks that memory holds them;
#   4. runs sshlogwhy once per input under /usr/bin/time -v: peak RSS, exit
#      status, and a differential check (the .gz scan must report the same
#      connections as the plain one);
#   5. times everything in ONE hyperfine invocation (--output=pipe: GNU grep
#      stops early when its output is /dev/null), --runs/--warmup as given;
#   6. prints a table (tool, input, bytes, seconds, MB/s, ratio to sshlogwhy
#      on the plain file) and writes it with the raw hyperfine JSON and the
#      machine details to --out.
# A tool that is not installed is skipped with a note. MB = 10^6 bytes.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZE=1G
SEED=1
RUNS=3
WARMUP=1
SLICE=16M
BUDGET=720
DIR=${TMPDIR:-/tmp}/sshlogwhy-bench
OUT=
BIN=
FORCE=0
REPORT=
NOTE=

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
  cat <<EOF
Options:
  --size SIZE      auth.log size (IEC: 64M, 256M, 1G, 4G); default $SIZE
  --seed N         generator seed; default $SEED
  --runs N         hyperfine runs per command; default $RUNS
  --warmup N       hyperfine warmup runs; default $WARMUP
  --slice SIZE     fail2ban-regex input size; default $SLICE (capped at SIZE/4)
  --budget SEC     refuse when the projected total is longer; default $BUDGET
  --force          run even when over budget
  --dir DIR        where generated inputs live (reused); default $DIR
  --out DIR        where results go; default DIR/results-<timestamp>
  --bin PATH       sshlogwhy binary; default build-bench/sshlogwhy, else build/sshlogwhy
  --report OUT     only rebuild the table of an earlier run's OUT directory
  --note TEXT      recorded in machine.txt (e.g. how the binary was built)
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --size) SIZE=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --slice) SLICE=$2; shift 2 ;;
    --budget) BUDGET=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    --dir) DIR=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --bin) BIN=$2; shift 2 ;;
    --report) REPORT=$2; shift 2 ;;
    --note) NOTE=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "e2e.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

note() { printf 'e2e: %s\n' "$*" >&2; }
die() { printf 'e2e: error: %s\n' "$*" >&2; exit 2; }

# report OUT: (re)writes OUT/table.md and OUT/summary.txt from the files a run
# left there, and prints the summary. `e2e.sh --report OUT` runs only this.
report() {
  local out=$1
  python3 - "$out" <<'EOF' > "$out/table.md"
import json, sys
out = sys.argv[1]
log_b, rss_p, rss_g, rss_j, runs, warm = open(f"{out}/params.txt").read().split()
log_b, rss_p, rss_g, rss_j = int(log_b), int(rss_p), int(rss_g), int(rss_j)
names = open(f"{out}/names.txt").read().splitlines()
inputs = open(f"{out}/inputs.txt").read().splitlines()
sizes = list(map(int, open(f"{out}/sizes.txt").read().splitlines()))
res = json.load(open(f"{out}/hyperfine.json"))["results"]
label = {"plain": "auth.log", "gz": "auth.log.gz", "journal": "journal.json", "slice": "auth.log slice"}
rows = []
ref = None
for name, inp, size, r in zip(names, inputs, sizes, res):
    mbps = size / r["mean"] / 1e6
    cpu = (r.get("user") or 0.0) + (r.get("system") or 0.0) or r["mean"]   # hyperfine: mean user/system s
    rows.append((name, inp, size, r["mean"], r.get("stddev") or 0.0, mbps, size / cpu / 1e6))
    if name == "sshlogwhy scan --format json":
        ref = mbps
print("| tool | input | MB | mean s (± sd) | MB/s | MB/s per CPU-s | × sshlogwhy | full-size s |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for name, inp, size, mean, sd, mbps, cpu_mbps in rows:
    ratio = f"{mbps / ref:.2f}" if ref else "-"
    full_s = f"{log_b / (mbps * 1e6):.1f}" if inp == "slice" else ""
    unc = " (uncompressed)" if inp == "gz" else ""
    print(f"| {name} | {label[inp]}{unc} | {size / 1e6:.0f} | {mean:.3f} ± {sd:.3f} | {mbps:.1f} | {cpu_mbps:.1f} | {ratio} | {full_s} |")
print()
print(f"Runs: {runs} (warmup {warm}) per command, one hyperfine --output=pipe invocation. MB/s = input bytes / mean "
      f"wall time (uncompressed bytes for .gz); 'per CPU-s' divides by the command's user+system time instead, which "
      f"other load on the machine disturbs less. '× sshlogwhy' = wall MB/s relative to `sshlogwhy scan --format json` "
      f"on the plain file. 'full-size s' projects the slice's rate onto the whole auth.log.")
print()
print(f"Peak RSS of sshlogwhy scan (/usr/bin/time -v): plain {rss_p / 1024:.1f} MiB, .gz {rss_g / 1024:.1f} MiB, "
      f"journal json {rss_j / 1024:.1f} MiB.")
EOF
  {
    echo
    cat "$out/machine.txt"
    echo
    cat "$out/table.md"
    if [[ -s "$out/notes.txt" ]]; then echo; cat "$out/notes.txt"; fi
    echo
    echo "Results in $out"
  } | tee "$out/summary.txt"
}

if [[ -n "$REPORT" ]]; then
  report "$REPORT"
  exit 0
fi

SIZE_BYTES=$(numfmt --from=iec "$SIZE") || die "bad --size $SIZE"
SLICE_BYTES=$(numfmt --from=iec "$SLICE") || die "bad --slice $SLICE"
(( SLICE_BYTES > SIZE_BYTES / 4 )) && SLICE_BYTES=$(( SIZE_BYTES / 4 ))

if [[ -z "$BIN" ]]; then
  for b in "$ROOT/build-bench/sshlogwhy" "$ROOT/build/sshlogwhy"; do
    [[ -x "$b" ]] && { BIN=$b; break; }
  done
fi
[[ -n "$BIN" && -x "$BIN" ]] || die "no sshlogwhy binary; build one: cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSSHLOGWHY_BUILD_BENCH=ON -DSSHLOGWHY_BUILD_TESTS=OFF && cmake --build build-bench -j2"
command -v hyperfine >/dev/null || die "hyperfine is required (apt-get install hyperfine)"
command -v python3 >/dev/null || die "python3 is required"

mkdir -p "$DIR"
OUT=${OUT:-$DIR/results-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"

GEN="$ROOT/tools/gen_authlog.py"
GEN_SUM=$(sha256sum "$GEN" | cut -c1-16)
CORPUS_SUM=$(cat "$ROOT"/corpus/lab/*/sshd*.log | sha256sum | cut -c1-16)
BASE="$DIR/auth-$SIZE-s$SEED"
LOG="$BASE.log"
GZ="$BASE.log.gz"
JSON="$DIR/journal-$SIZE-s$SEED.json"
SLICEF="$BASE.slice.log"

# generate FILE PARAMS COMMAND...: runs COMMAND > FILE unless FILE.params
# already holds PARAMS.
generate() {
  local file=$1 params=$2
  shift 2
  if [[ -s "$file" && -f "$file.params" && "$(cat "$file.params")" == "$params" ]]; then
    note "reusing $file"
    return
  fi
  note "generating $file"
  local t0=$SECONDS
  "$@" > "$file.tmp"
  mv "$file.tmp" "$file"
  echo "$params" > "$file.params"
  note "  done in $(( SECONDS - t0 )) s ($(stat -c %s "$file") bytes)"
}

# --- tools -------------------------------------------------------------------
SSHG=/usr/libexec/sshguard/sshg-parser
HAVE_SSHG=0; [[ -x "$SSHG" ]] && HAVE_SSHG=1
HAVE_F2B=0; command -v fail2ban-regex >/dev/null && HAVE_F2B=1
HAVE_RG=0; command -v rg >/dev/null && HAVE_RG=1
HAVE_JQ=0; command -v jq >/dev/null && HAVE_JQ=1
HAVE_TIME=0; [[ -x /usr/bin/time ]] && HAVE_TIME=1
THREADS=0; "$BIN" scan --help 2>&1 | grep -q -- '--threads' && THREADS=1
NOTES=()
(( HAVE_SSHG )) || NOTES+=("sshg-parser skipped: $SSHG not found (apt-get install sshguard)")
(( HAVE_F2B )) || NOTES+=("fail2ban-regex skipped: not installed (apt-get install fail2ban)")
(( HAVE_RG )) || NOTES+=("rg skipped: not installed (apt-get install ripgrep)")
(( HAVE_JQ )) || NOTES+=("jq skipped: not installed (apt-get install jq)")
(( HAVE_TIME )) || NOTES+=("peak RSS skipped: /usr/bin/time not installed (apt-get install time)")
(( THREADS )) || NOTES+=("sshlogwhy has no --threads option yet: only its default (single-threaded) scan is timed")

# --- budget ------------------------------------------------------------------
# sshlogwhy's cost per byte is not constant (it grows while the table of open
# connections fills, over the first hours of log time), so a single small
# probe is optimistic: time 4 MiB and 16 MiB prefixes, fit t = a * n^b with b
# clamped to [1.2, 2], extrapolate to the full input and add 30 %. (Measured
# 2026-11: this projects 44 s for 256 MiB and 230 s for 1 GiB, against 37-40 s
# and 208 s; a linear fit from 4 MiB alone said 17 s and 70 s.)
probe_seconds() {  # probe_seconds FILE MIB -> "bytes seconds"
  local f=$DIR/probe.$$ t0 t1
  head -c $(( $2 << 20 )) "$1" | sed '$d' > "$f"
  t0=$(date +%s.%N)
  "$BIN" scan --format json "$f" > /dev/null || true
  t1=$(date +%s.%N)
  echo "$(stat -c %s "$f") $(python3 -c "import sys; print(max(1e-3, float(sys.argv[2]) - float(sys.argv[1])))" "$t0" "$t1")"
  rm -f "$f"
}
# fit_seconds FILE FULL_BYTES -> projected seconds for FULL_BYTES of FILE's kind
fit_seconds() {
  python3 - "$2" $(probe_seconds "$1" 4) $(probe_seconds "$1" 16) <<'EOF'
import math, sys
full, n1, t1, n2, t2 = float(sys.argv[1]), *map(float, sys.argv[2:6])
b = math.log(t2 / t1) / math.log(n2 / n1) if n2 > n1 and t2 > t1 else 1.0
b = min(2.0, max(1.2, b))
print(int(1.3 * t2 * (full / n2) ** b) + 1)
EOF
}
# The probes are the first 16 MiB the generator writes, which is exactly the
# start of the full files (a smaller --size gives a prefix), so the budget is
# settled before minutes are spent generating.
PROBE_LOG=$DIR/probe-s$SEED.log
PROBE_JSON=$DIR/probe-s$SEED.json
PP="gen=$GEN_SUM corpus=$CORPUS_SUM size=16M seed=$SEED"
generate "$PROBE_LOG" "$PP format=rfc3164" python3 "$GEN" --size 16M --seed "$SEED"
generate "$PROBE_JSON" "$PP format=journal-json" python3 "$GEN" --size 16M --seed "$SEED" --format journal-json
LOG_B=$SIZE_BYTES; JSON_B=$SIZE_BYTES; SLICE_B=$SLICE_BYTES   # estimates until generated
T_PLAIN=$(fit_seconds "$PROBE_LOG" "$SIZE_BYTES")
T_JSON=$(fit_seconds "$PROBE_JSON" "$SIZE_BYTES")
project() {  # project RUNS WARMUP -> seconds for everything
  python3 - "$1" "$2" <<EOF
import sys
runs, warm = int(sys.argv[1]), int(sys.argv[2])
plain, js = $T_PLAIN, $T_JSON
gz = plain * 1.1
threads = 2 * plain if $THREADS else 0
ours = plain + gz + js + threads
others = $LOG_B / 30e6 + $LOG_B / 1.0e9 * 3 + $LOG_B / 150e6 + ($SLICE_B / 2e6 if $HAVE_F2B else 0) + ($JSON_B / 60e6 if $HAVE_JQ else 0)
checks = plain + gz + js          # the /usr/bin/time -v runs
print(int((runs + warm) * (ours + others) + checks))
EOF
}
EST=$(project "$RUNS" "$WARMUP")
note "sshlogwhy projected from 4 and 16 MiB probes: ${T_PLAIN} s plain, ${T_JSON} s journal json per run; ${EST} s in all for runs=$RUNS warmup=$WARMUP"
if (( EST > BUDGET && FORCE == 0 )); then
  for rw in "2 1" "2 0" "1 0"; do
    set -- $rw
    if (( $1 <= RUNS )); then
      e=$(project "$1" "$2")
      if (( e <= BUDGET )); then
        note "over the ${BUDGET} s budget: using runs=$1 warmup=$2 (projected ${e} s)"
        NOTES+=("runs reduced from $RUNS/$WARMUP to $1/$2 (runs/warmup) to stay within the ${BUDGET} s budget")
        RUNS=$1; WARMUP=$2; EST=$e
        break
      fi
    fi
  done
  if (( EST > BUDGET )); then
    die "projected ${EST} s even with one run > budget ${BUDGET} s; use a smaller --size (e.g. --size 256M), a larger --budget, or --force"
  fi
fi

# --- inputs ------------------------------------------------------------------
P="gen=$GEN_SUM corpus=$CORPUS_SUM size=$SIZE_BYTES seed=$SEED"
generate "$LOG" "$P format=rfc3164" python3 "$GEN" --size "$SIZE_BYTES" --seed "$SEED"
LOG_STAMP="log=$(stat -c %s-%Y "$LOG")"
generate "$GZ" "$P $LOG_STAMP gzip-6" gzip -6 -c "$LOG"
generate "$JSON" "$P format=journal-json" python3 "$GEN" --size "$SIZE_BYTES" --seed "$SEED" --format journal-json
# The slice is a prefix of the log cut at a line end.
generate "$SLICEF" "$P $LOG_STAMP slice=$SLICE_BYTES" sh -c 'head -c "$1" "$2" | sed "\$d"' _ "$SLICE_BYTES" "$LOG"

bytes() { stat -c %s "$1"; }
LOG_B=$(bytes "$LOG"); GZ_B=$(bytes "$GZ"); JSON_B=$(bytes "$JSON"); SLICE_B=$(bytes "$SLICEF")

# --- page cache --------------------------------------------------------------
need_kb=$(( (LOG_B + GZ_B + JSON_B + SLICE_B) / 1024 ))
avail_kb=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
if (( need_kb * 12 / 10 > avail_kb )); then
  note "WARNING: inputs ($(( need_kb / 1024 )) MiB) may not stay in the page cache (MemAvailable $(( avail_kb / 1024 )) MiB)"
fi
cat "$LOG" "$GZ" "$JSON" "$SLICEF" > /dev/null

# --- machine -----------------------------------------------------------------
{
  echo "date:      $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu:       $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores"
  echo "memory:    $(free -g | awk '/^Mem:/ {print $2}') GiB"
  echo "kernel:    $(uname -r)"
  echo "compiler:  $(c++ --version 2>/dev/null | head -1)"
  echo "commit:    $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ' (src/ has uncommitted changes)')"
  echo "binary:    $BIN"
  [[ -n "$NOTE" ]] && echo "note:      $NOTE"
  echo "hyperfine: $(hyperfine --version)"
  echo "loadavg:   $(cut -d' ' -f1-3 /proc/loadavg) (before)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt" >&2

# --- peak RSS and the differential check -------------------------------------
rss_run() {  # rss_run NAME FILE: runs the scan under /usr/bin/time -v
  local name=$1 file=$2
  if (( HAVE_TIME )); then
    /usr/bin/time -v "$BIN" scan --format json "$file" > "$OUT/$name.json" 2> "$OUT/$name.time" || true
    awk -F': ' '/Maximum resident set size/ {printf "%d", $2}' "$OUT/$name.time"
  else
    "$BIN" scan --format json "$file" > "$OUT/$name.json" || true
    echo 0
  fi
}
note "peak RSS runs (and output checks)"
RSS_PLAIN=$(rss_run scan-plain "$LOG")
RSS_GZ=$(rss_run scan-gz "$GZ")
RSS_JSON=$(rss_run scan-journal "$JSON")
python3 - "$OUT" <<'EOF' > "$OUT/check.txt"
import json, sys
out = sys.argv[1]
def load(n):
    try:
        return json.load(open(f"{out}/{n}.json"))
    except Exception as e:
        return {"error": str(e)}
p, g, j = load("scan-plain"), load("scan-gz"), load("scan-journal")
ok = True
for name, d in (("plain", p), ("gz", g), ("journal", j)):
    c = d.get("connections", {}).get("total", 0)
    print(f"{name}: lines={d.get('lines', {}).get('total')} sshd={d.get('lines', {}).get('sshd')} "
          f"unmatched={d.get('lines', {}).get('unmatched')} connections={c}")
    if not c:
        ok = False
        print(f"  FAIL: no connections ({d.get('error', '')})")
same = all(p.get(k) == g.get(k) for k in ("lines", "connections", "by_verdict", "by_outcome", "top_sources"))
print("plain == gz (lines, connections, verdicts, outcomes, sources):", same)
ok = ok and same
print("CHECK", "OK" if ok else "FAILED")
EOF
cat "$OUT/check.txt" >&2
grep -q "CHECK OK" "$OUT/check.txt" || NOTES+=("output check FAILED, see check.txt")

# --- one hyperfine run ---------------------------------------------------------
NAMES=(); CMDS=(); INPUTS=(); SIZES=()
add() { NAMES+=("$1"); INPUTS+=("$2"); SIZES+=("$3"); CMDS+=("$4"); }
q() { printf '%q' "$1"; }
add "wc -l" plain "$LOG_B" "wc -l $(q "$LOG")"
add "grep -c sshd" plain "$LOG_B" "grep -c sshd $(q "$LOG")"
(( HAVE_RG )) && add "rg -c 'sshd\\['" plain "$LOG_B" "rg -c 'sshd\\[' $(q "$LOG")"
add "gzip -dc (decode only)" gz "$LOG_B" "gzip -dc $(q "$GZ")"
(( HAVE_SSHG )) && add "sshg-parser (sshguard)" plain "$LOG_B" "$SSHG < $(q "$LOG")"
(( HAVE_F2B )) && add "fail2ban-regex sshd" slice "$SLICE_B" "fail2ban-regex $(q "$SLICEF") sshd"
(( HAVE_JQ )) && add "jq sshd MESSAGE" journal "$JSON_B" "jq -r 'select(.SYSLOG_IDENTIFIER==\"sshd\") | .MESSAGE' $(q "$JSON")"
add "sshlogwhy scan --format json" plain "$LOG_B" "$(q "$BIN") scan --format json $(q "$LOG")"
if (( THREADS )); then
  add "sshlogwhy scan --format json --threads 1" plain "$LOG_B" "$(q "$BIN") scan --format json --threads 1 $(q "$LOG")"
  add "sshlogwhy scan --format json --threads 2" plain "$LOG_B" "$(q "$BIN") scan --format json --threads 2 $(q "$LOG")"
fi
add "sshlogwhy scan --format json (.gz)" gz "$LOG_B" "$(q "$BIN") scan --format json $(q "$GZ")"
add "sshlogwhy scan --format json (journal json)" journal "$JSON_B" "$(q "$BIN") scan --format json $(q "$JSON")"

HF_ARGS=(--output=pipe --ignore-failure --runs "$RUNS" --warmup "$WARMUP" --export-json "$OUT/hyperfine.json" --style basic)
for i in "${!CMDS[@]}"; do HF_ARGS+=(-n "${NAMES[$i]}" "${CMDS[$i]}"); done
printf '%s\n' "${CMDS[@]}" > "$OUT/commands.txt"
note "hyperfine: ${#CMDS[@]} commands, runs=$RUNS warmup=$WARMUP"
T0=$SECONDS
hyperfine "${HF_ARGS[@]}" >&2
echo "loadavg:   $(cut -d' ' -f1-3 /proc/loadavg) (after)" >> "$OUT/machine.txt"
echo "wall:      $(( SECONDS - T0 )) s for the hyperfine run (projected $EST s for everything)" >> "$OUT/machine.txt"

# --- table ---------------------------------------------------------------------
{
  printf '%s\n' "${NAMES[@]}" > "$OUT/names.txt"
  printf '%s\n' "${INPUTS[@]}" > "$OUT/inputs.txt"
  printf '%s\n' "${SIZES[@]}" > "$OUT/sizes.txt"
  echo "$LOG_B $RSS_PLAIN $RSS_GZ $RSS_JSON $RUNS $WARMUP" > "$OUT/params.txt"
  if (( ${#NOTES[@]} )); then printf 'Note: %s\n' "${NOTES[@]}"; fi > "$OUT/notes.txt"
}
report "$OUT"
