#!/usr/bin/env bash
# --format json: one object of schema sshlogwhy.diagnosis/1 with the fields,
# types and value sets the README's "JSON output" section promises, for
# every single-trace lab capture; the same verdict and exit code as the text
# report; evidence lines that are really in the input.
source "$(dirname "$0")/lib.bash"

FAILURE=$(lab key-not-authorized ssh-vvv.txt)

run "$BIN" --format json "$FAILURE"
check "json: a failure exits 1" rc_is 1
cp "$TMP/out" "$TMP/kna.json"
check "json: parses, schema sshlogwhy.diagnosis/1" json_ok "$TMP/kna.json" 'd["schema"] == "sshlogwhy.diagnosis/1"'
check "json: verdict.id is key_not_authorized" json_ok "$TMP/kna.json" 'd["verdict"]["id"] == "key_not_authorized"'
check "json: the refused key's result is refused" \
  json_ok "$TMP/kna.json" '[k["result"] for k in d["conversations"][0]["keys"]] == ["refused"]'
check "json: facts carry the user" json_ok "$TMP/kna.json" 'd["verdict"]["facts"]["user"] == "labuser"'
check "json: nothing but the object on stdout" json_ok "$TMP/kna.json" 'True'

run "$BIN" --format json "$(lab success-pubkey ssh-vvv.txt)"
check "json: a success exits 0" rc_is 0
cp "$TMP/out" "$TMP/ok.json"
check "json: success verdict and an accepted key" json_ok "$TMP/ok.json" \
  'd["verdict"]["id"] == "success" and "accepted" in [k["result"] for k in d["conversations"][0]["keys"]] and d["conversations"][0]["outcome"] == "authenticated"'

run "$BIN" --format json "$TMP/missing.txt"
check "json: a missing file still exits 2" rc_is 2
check "json: ... with the error on stderr naming the file" err_has "$TMP/missing.txt"

# The schema check over every single-trace capture of the lab.
"$BIN" verdicts | awk '{print $1}' >"$TMP/ids.txt"
: >"$TMP/list.txt"
n=0
for f in "$REPO"/corpus/lab/*/ssh-vvv.txt "$REPO"/corpus/lab/*/ssh-v.txt "$REPO"/corpus/lab/*/plink-v.txt; do
  [[ -f "$f" ]] || continue
  n=$((n + 1))
  "$BIN" --format json "$f" >"$TMP/j$n.json" 2>"$TMP/j$n.err"
  jrc=$?
  "$BIN" "$f" >"$TMP/text.txt" 2>/dev/null
  trc=$?
  text_verdict=$(head -n 1 "$TMP/text.txt" | sed -nE 's/^Verdict: ([a-z_]+) .*/\1/p')
  printf '%s\t%s\t%s\t%s\t%s\n' "$f" "$TMP/j$n.json" "$jrc" "$trc" "$text_verdict" >>"$TMP/list.txt"
done
check "json: the lab has traces to check ($n)" test "$n" -ge 20
check "json: no sanitizer report on any lab trace" \
  test -z "$(grep -lE 'ERROR: [A-Za-z]+Sanitizer|runtime error: ' "$TMP"/j*.err 2>/dev/null)"

python3 - "$TMP/list.txt" "$TMP/ids.txt" >"$TMP/schema.log" 2>&1 <<'PY'
import json, sys

KEY_RESULTS = {"found", "missing", "load_failed", "skipped", "not_offered", "offered", "refused",
               "accepted", "sign_failed"}
OUTCOMES = {"authenticated", "permission_denied", "disconnected", "connection_closed", "connect_failed",
            "dns_failed", "negotiation_failed", "host_key_rejected", "config_error", "timed_out", "unknown"}
CONFIDENCE = {"high", "medium", "low"}
ids = set(open(sys.argv[2]).read().split())
problems = []

def want(cond, where, what):
    if not cond:
        problems.append(f"{where}: {what}")

def is_str(v): return isinstance(v, str)
def str_or_null(v): return v is None or isinstance(v, str)
def is_int(v): return isinstance(v, int) and not isinstance(v, bool)
def str_list(v): return isinstance(v, list) and all(isinstance(x, str) for x in v)

def check_verdict(v, where, lines_of):
    want(isinstance(v, dict), where, "not an object")
    if not isinstance(v, dict): return
    for k in ("id", "confidence", "title", "explanation", "side", "rule"):
        want(is_str(v.get(k)), where, f"{k} is not a string: {v.get(k)!r}")
    want(v.get("id") in ids, where, f"id {v.get('id')!r} is not listed by `sshlogwhy verdicts`")
    want(v.get("confidence") in CONFIDENCE, where, f"confidence {v.get('confidence')!r}")
    for k in ("fix", "settle", "notes"):
        want(str_list(v.get(k)), where, f"{k} is not a list of strings")
    # README: values are strings, or null when unknown.
    want(isinstance(v.get("facts"), dict) and all(str_or_null(x) for x in v["facts"].values()), where,
         f"facts values must be strings or null: {v.get('facts')!r}")
    ev = v.get("evidence")
    want(isinstance(ev, list), where, "evidence is not a list")
    for e in ev or []:
        want(is_str(e.get("file")) and is_int(e.get("line")) and is_str(e.get("text")) and is_str(e.get("event")),
             where, f"evidence entry {e!r}")
        lines = lines_of(e.get("file"))
        if lines is not None and is_int(e.get("line")):
            ok = 1 <= e["line"] <= len(lines) and lines[e["line"] - 1] == e["text"]
            want(ok, where, f"evidence line {e['line']} is not that line of the input: {e['text']!r}")
    # In input order.
    nums = [e.get("line") for e in ev or [] if is_int(e.get("line"))]
    want(nums == sorted(nums), where, f"evidence not in input order: {nums}")

for row in open(sys.argv[1]):
    src, path, jrc, trc, text_verdict = row.rstrip("\n").split("\t")
    where = src.split("/corpus/lab/")[-1]
    raw = open(path, "rb").read()
    try:
        d = json.loads(raw.decode("utf-8"))
    except Exception as e:
        problems.append(f"{where}: not valid UTF-8 JSON: {e}")
        continue
    cache = {}
    def lines_of(name):
        if name != src: return None
        if name not in cache:
            cache[name] = [l.rstrip("\r") for l in open(name, encoding="utf-8", errors="replace").read().split("\n")]
        return cache[name]
    want(d.get("schema") == "sshlogwhy.diagnosis/1", where, "schema")
    check_verdict(d.get("verdict"), where + " verdict", lines_of)
    alts = d.get("alternatives")
    want(isinstance(alts, list), where, "alternatives is not a list")
    for i, a in enumerate(alts or []):
        check_verdict(a, f"{where} alternatives[{i}]", lines_of)
        want(a.get("id") != d["verdict"].get("id"), where, "an alternative repeats the verdict")
    convs = d.get("conversations")
    want(isinstance(convs, list) and len(convs) >= 1, where, "no conversations")
    ci = d.get("conversation_index")
    want(is_int(ci) and 0 <= ci < len(convs or []), where, f"conversation_index {ci!r}")
    for i, c in enumerate(convs or []):
        w = f"{where} conversations[{i}]"
        want(is_str(c.get("source")), w, "source")
        want(c.get("client") in ("openssh", "putty"), w, f"client {c.get('client')!r}")
        want(is_int(c.get("hop")) and c["hop"] >= 0, w, "hop")
        want(is_int(c.get("first_line")) and is_int(c.get("last_line")) and c["first_line"] <= c["last_line"], w,
             "first_line/last_line")
        for k in ("user", "host", "address", "port", "client_version", "tls_library", "server_version",
                  "proxy_command", "partial_success", "authenticated_with", "agent_problem", "failure_reason"):
            want(k in c and str_or_null(c[k]), w, f"{k} missing or not string/null: {c.get(k)!r}")
        want(c.get("outcome") in OUTCOMES, w, f"outcome {c.get('outcome')!r}")
        want(c.get("verdict") in ids, w, f"verdict {c.get('verdict')!r}")
        alg = c.get("algorithms")
        want(isinstance(alg, dict), w, "algorithms")
        for k in ("kex", "host_key", "cipher_ctos", "cipher_stoc", "mac_ctos", "mac_stoc", "negotiation_failed",
                  "their_offer"):
            want(isinstance(alg, dict) and k in alg and str_or_null(alg[k]), w, f"algorithms.{k}")
        hk = c.get("host_key")
        for k in ("type", "fingerprint", "known_hosts", "known_hosts_file", "known_hosts_line"):
            want(isinstance(hk, dict) and k in hk and str_or_null(hk[k]), w, f"host_key.{k}")
        for k in c.get("keys") or []:
            want(is_str(k.get("path")) and str_or_null(k.get("type")) and str_or_null(k.get("fingerprint")), w,
                 f"key {k!r}")
            want(isinstance(k.get("agent"), bool), w, f"key.agent not boolean: {k!r}")
            want(k.get("result") in KEY_RESULTS, w, f"key.result {k.get('result')!r}")
            want("reason" in k and str_or_null(k["reason"]), w, "key.reason")
        want(isinstance(c.get("keys"), list), w, "keys")
        ssa = c.get("server_sig_algs", "absent")
        want(ssa is None or str_list(ssa), w, f"server_sig_algs {ssa!r}")
        want(str_list(c.get("methods")), w, "methods")
        want(isinstance(c.get("auth_rounds"), list) and all(str_list(r) for r in c["auth_rounds"]), w, "auth_rounds")
        want(str_list(c.get("methods_tried")), w, "methods_tried")
        want("agent_keys" in c and (c["agent_keys"] is None or is_int(c["agent_keys"])), w, "agent_keys")
        want(is_int(c.get("password_failures")), w, "password_failures")
        dc = c.get("disconnect", "absent")
        want(dc is None or (isinstance(dc, dict) and str_or_null(dc.get("code")) and str_or_null(dc.get("reason"))),
             w, f"disconnect {dc!r}")
        want(str_list(c.get("remote_messages")), w, "remote_messages")
        want(is_int(c.get("events")), w, "events")
    ins = d.get("inputs")
    want(isinstance(ins, list) and len(ins) == 1, where, "inputs")
    for inp in ins or []:
        want(is_str(inp.get("name")) and is_str(inp.get("kind")), where, "inputs name/kind")
        for k in ("lines", "bytes", "recognised_lines", "unrecognised_lines", "redacted_private_key_blocks",
                  "truncated_lines"):
            want(is_int(inp.get(k)) and inp[k] >= 0, where, f"inputs.{k}")
        want(inp.get("recognised_lines", 0) + inp.get("unrecognised_lines", 0) <= inp.get("lines", 0), where,
             "recognised + unrecognised > lines")
        want(inp.get("kind") in ("openssh-client", "putty"), where, f"inputs.kind {inp.get('kind')!r}")
    want(str_list(d.get("warnings")), where, "warnings")
    # Same answer as the text report, same exit code.
    want(d["verdict"].get("id") == text_verdict, where, f"json verdict {d['verdict'].get('id')} != text {text_verdict}")
    want(jrc == trc, where, f"exit code json {jrc} != text {trc}")
    want(jrc == ("0" if d["verdict"].get("id") == "success" else "1"), where, f"exit code {jrc} for {d['verdict'].get('id')}")

for p in problems[:60]:
    print(p)
print(f"{len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY
schema_rc=$?
check "json: every lab trace matches the README's schema ($(tail -n 1 "$TMP/schema.log"))" test "$schema_rc" -eq 0
[[ $schema_rc -eq 0 ]] || head -n 60 "$TMP/schema.log"

finish
