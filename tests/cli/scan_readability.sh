# `sshlogwhy scan` read as an admin reads it: verdict lines are short labels
# (no "the user the user" from generic placeholders) in a column as wide as
# the longest id; the header's numbers partition the connections and the
# verdict tables add up to them; successes after many failures are worst
# first (and capped in text); unmatched sshd lines are grouped by shape,
# most frequent first; times carry the Z that ndjson prints for zoned logs.
source "$(dirname "$0")/lib.bash"
LAB="$REPO/corpus/lab/many-failures-one-server/auth.log"
BF="$REPO/corpus/lab/brute-force-then-success/sshd.log"

# A hand-made log (RFC 3339, UTC): 12 sources that each fail N times and
# then log in (two with equal failures, told apart by invalid users), two
# probes, and sshd lines no pattern knows, in repeating shapes.
python3 - "$TMP/made.log" "$TMP/made3164.log" <<'PY'
import sys
fails = {1: 5, 2: 20, 3: 8, 4: 8, 5: 6, 6: 7, 7: 9, 8: 10, 9: 11, 10: 12, 11: 13, 12: 14}
invalid = {3: 0, 4: 3}
lines, t, pid = [], 0, 1000
def emit(msg):
    global t
    t += 1
    lines.append((t, pid, msg))
for src, n in fails.items():
    ip = "192.0.2.%d" % src
    for k in range(n):
        pid += 1
        port = 40000 + pid
        emit("Connection from %s port %d on 203.0.113.10 port 22" % (ip, port))
        if k < invalid.get(src, 0):
            emit("Invalid user ghost%d from %s port %d" % (k, ip, port))
            emit("Failed password for invalid user ghost%d from %s port %d ssh2" % (k, ip, port))
            emit("Connection closed by invalid user ghost%d %s port %d [preauth]" % (k, ip, port))
        else:
            emit("Failed password for bob from %s port %d ssh2" % (ip, port))
            emit("Connection closed by authenticating user bob %s port %d [preauth]" % (ip, port))
    pid += 1
    port = 40000 + pid
    emit("Connection from %s port %d on 203.0.113.10 port 22" % (ip, port))
    emit("Accepted password for bob from %s port %d ssh2" % (ip, port))
    emit("pam_unix(sshd:session): session opened for user bob(uid=1000) by (uid=0)")
    emit("pam_unix(sshd:session): session closed for user bob")
for p in range(2):
    pid += 1
    emit("Connection from 198.51.100.7 port %d on 203.0.113.10 port 22" % (50000 + p))
    emit("Connection closed by 198.51.100.7 port %d [preauth]" % (50000 + p))
for u in ("alice", "carol", "dave"):
    pid += 1
    emit("Frobnicated session: user %s from 192.0.2.%d port %d id 0" % (u, pid % 200, 3000 + pid))
for h in ("deadbeef1234", "0badc0ffee99"):
    pid += 1
    emit("Widget %s reloaded after %d s" % (h, pid % 60))
with open(sys.argv[1], "w") as f:
    for t, pid, msg in lines:
        f.write("2026-11-20T00:%02d:%02d.000000+00:00 web01 sshd[%d]: %s\n" % (t // 60 % 60, t % 60, pid, msg))
with open(sys.argv[2], "w") as f:
    for t, pid, msg in lines:
        f.write("Nov 20 00:%02d:%02d web01 sshd[%d]: %s\n" % (t // 60 % 60, t % 60, pid, msg))
PY
MADE="$TMP/made.log"

# 1. Labels: every verdict an sshd log can give has one; the rows read well.
check "verdicts.json: every verdict seen in sshd logs has a label" python3 -c "
import json,sys
d=json.load(open(sys.argv[1]))
missing=[v['id'] for v in d['verdicts'] if 'S' in v['seen_in'].split() and not v.get('label')]
assert not missing, missing
" "$REPO/patterns/verdicts/verdicts.json"
run "$BIN" scan "$LAB"
check "text: no generic placeholder reads doubled" bash -c "! grep -Eq 'the key for user the user|a directive setting|the jump host the jump host|\(a reason\)|<[a-z_]+>' <(sed -n '/^Why connections failed/,/^Brute-force/p' '$TMP/out')"
check "text: every verdict row has its id, two spaces, then a label" python3 -c "
import re,sys
top=open(sys.argv[1]).read().split('Brute-force')[0]
rows=[l for l in top.splitlines() if re.match(r'^  [0-9]+ ', l)]
assert len(rows) >= 10, rows
for l in rows: assert re.match(r'^  [0-9]+ +[a-z_]+  +[A-Za-z]', l), l
starts={re.match(r'^  [0-9]+ +[a-z_]+ +', l).end() for l in rows}
longest=max(len(l.split()[1]) for l in rows)
assert starts=={2+8+longest+2}, (starts, longest)
" "$TMP/out"

# 2. The header partitions the connections; the tables add up to it.
for log in "$LAB" "$BF" "$MADE"; do
  name="$(basename "$log")"
  run "$BIN" scan --format json "$log"
  check "$name json: succeeded + failed + probes = total, by-verdict splits add up" python3 -c "
import json,sys
d=json.load(open(sys.argv[1])); c=d['connections']
assert c['succeeded']+c['failed']+c['probes']==c['total'], c
assert sum(d['failed_by_verdict'].values())==c['failed'], d['failed_by_verdict']
assert sum(d['probes_by_verdict'].values())==c['probes'], d['probes_by_verdict']
assert sum(d['by_verdict'].values())==c['total']
assert d['by_verdict'].get('success',0)==c['succeeded']
" "$TMP/out"
  cp "$TMP/out" "$TMP/json"
  run "$BIN" scan "$log"
  check "$name text: the header and both tables agree with the JSON" python3 -c "
import json,re,sys
d=json.load(open(sys.argv[2])); c=d['connections']; t=open(sys.argv[1]).read()
m=re.search(r'^Connections: (\d+) = (\d+) succeeded \+ (\d+) failed \+ (\d+) never tried to log in$', t, re.M)
assert m, t[:400]
total,ok,failed,probes=map(int,m.groups())
assert (total,ok,failed,probes)==(c['total'],c['succeeded'],c['failed'],c['probes'])
assert ok+failed+probes==total
def table(title):
    sec=t.split(title,1)[1].split('\n\n',1)[0].splitlines()[1:]
    return sum(int(l.split()[0]) for l in sec)
assert table('Why connections failed')==failed
if probes: assert table('Connections that never tried to log in')==probes
" "$TMP/out" "$TMP/json"
done

# 3. Successes after many failures: worst first, ties by invalid users;
# text shows 10 and says how many more; JSON has all, in the same order.
run "$BIN" scan --format json "$MADE"
check "json: success_after_failures sorted by failures before, then invalid users" python3 -c "
import json,sys
s=json.load(open(sys.argv[1]))['success_after_failures']
assert len(s)==12, len(s)
keys=[(x['success']['failures_before'], x['invalid_user_connections']) for x in s]
assert keys==sorted(keys, reverse=True), keys
ips=[x['source_ip'] for x in s]
assert ips[0]=='192.0.2.2' and ips.index('192.0.2.4') < ips.index('192.0.2.3'), ips
" "$TMP/out"
cp "$TMP/out" "$TMP/json"
run "$BIN" scan "$MADE"
check "text: 10 alarm lines in the JSON order, then '12 - 10 more'" python3 -c "
import json,re,sys
ips=[x['source_ip'] for x in json.load(open(sys.argv[2]))['success_after_failures']]
t=open(sys.argv[1]).read().split('SUCCESS AFTER MANY FAILURES',1)[1].split('\n\n',1)[0]
shown=re.findall(r'^   ([0-9.]+): user', t, re.M)
assert shown==ips[:10], (shown, ips)
assert '\u2026 2 more (see --format json)' in t, t
" "$TMP/out" "$TMP/json"

# 4. Unmatched lines grouped by shape, most frequent first, counts complete.
check "text: one group for 3 users' 'Frobnicated session' lines" grep -Eq '^  3 +Frobnicated session: user <user> from <ip> port N id N$' "$TMP/out"
check "text: hex ids and numbers masked" grep -Eq '^  2 +Widget <hex> reloaded after N s$' "$TMP/out"
check "json: unmatched groups by count, descending, and they add up" python3 -c "
import json,sys
d=json.load(open(sys.argv[1])); u=d['unmatched_examples']
counts=[e['count'] for e in u]
assert counts==sorted(counts, reverse=True), counts
assert sum(counts)+d['unmatched_other']==d['lines']['unmatched']
g=[e for e in u if e['shape'].startswith('Frobnicated')]
assert len(g)==1 and g[0]['count']==3 and g[0]['text'].startswith('Frobnicated session: user alice'), g
" "$TMP/json"

# 5. Times: a zoned log gives Z everywhere, as ndjson does; a local one none.
check "json: time_span ends in Z for a zoned log" test "$(json_get "$TMP/json" "d['time_span']['first'][-1] + d['time_span']['last'][-1]")" = "ZZ"
check "text: Time span ends in Z for a zoned log" grep -Eq '^Time span: 2026-11-20T[0-9:.]+Z \.\. 2026-11-20T[0-9:.]+Z$' "$TMP/out"
check "json: the alarm times end in Z" python3 -c "
import json,sys
for s in json.load(open(sys.argv[1]))['success_after_failures']: assert s['success']['time'].endswith('Z') and s['first'].endswith('Z')
" "$TMP/json"
run "$BIN" scan --format ndjson "$MADE"
check "ndjson: start ends in Z too" test "$(head -1 "$TMP/out" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["start"][-1])')" = "Z"
run "$BIN" scan --year 2026 --format json "$TMP/made3164.log"
check "json: no Z for a log in local time (RFC 3164)" test "$(json_get "$TMP/out" "d['time_span']['first'][-1] != 'Z' and d['time_span']['last'][-1] != 'Z' and d['time_span']['first'] != ''")" = "True"
run "$BIN" scan --year 2026 --format ndjson "$TMP/made3164.log"
check "ndjson: no Z for a log in local time either" test "$(head -1 "$TMP/out" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["start"][-1])')" != "Z"
finish
