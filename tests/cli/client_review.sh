#!/usr/bin/env bash
# Findings of the new-user review on real lab captures: agent keys that
# share a comment, ProxyJump fixes for a hop that refused the login, explain
# without raw placeholders, fixes that do not fit the client's system.
source "$(dirname "$0")/lib.bash" || exit 1

# 1. Two agent keys with one comment are two keys (told apart by fingerprint).
run "$BIN" "$(lab too-many-auth-failures ssh-vvv.txt)"
check "too many failures: verdict" verdict_is too_many_auth_failures
check "too many failures: 2 keys offered, grammar right" out_has "Your client offered 2 keys from"
check "too many failures: not merged into one key" out_lacks "offered 1 keys"
check "too many failures: the agent held 4 keys (no 'key(s)')" out_has "The agent held 4 keys,"
check "too many failures: both fingerprints listed as keys" \
  test "$(grep -cE '^  key +labclient@sshlogwhy-lab ED25519 SHA256:(wggVUrnz|NZK5ODm)' "$TMP/out")" -eq 2
"$BIN" --format json "$(lab too-many-auth-failures ssh-vvv.txt)" >"$TMP/tm.json" 2>/dev/null
check "too many failures json: facts.count is 2" json_ok "$TMP/tm.json" 'd["verdict"]["facts"]["count"] == "2"'
check "too many failures json: 4 agent keys with 4 fingerprints" json_ok "$TMP/tm.json" \
  'len({k["fingerprint"] for k in d["conversations"][0]["keys"] if k.get("fingerprint")}) == 4'
check "too many failures json: helper word is not a fact" json_ok "$TMP/tm.json" '"keys_word" not in d["verdict"]["facts"]'

# 2. ProxyJump: the hop refused the login; its fixes, addressed at the hop.
run "$BIN" "$(lab proxy-jump-auth-failed ssh-vvv.txt)"
check "proxy jump: verdict" verdict_is proxy_jump_failed
check "proxy jump: no forwarding fix" out_lacks "AllowTcpForwarding yes"
check "proxy jump: no nc -vz fix" out_lacks "nc -vz"
check "proxy jump: the hop's key fix, at the hop's port" out_has "ssh-copy-id -p 46117 -i /srv/sshlogwhy-lab/home/labclient/keys/id_ed25519.pub labuser@127.0.0.1"
check "proxy jump: target host filled from -W" out_matches '^  connection  127\.0\.0\.1 port 46118$'
check "proxy jump: no literal <host>" out_lacks "<host>"
"$BIN" --format json "$(lab proxy-jump-auth-failed ssh-vvv.txt)" >"$TMP/pj.json" 2>/dev/null
check "proxy jump json: fixes are the hop's" json_ok "$TMP/pj.json" \
  'any("ssh-copy-id -p 46117" in f for f in d["verdict"]["fix"]) and not any("AllowTcpForwarding" in f for f in d["verdict"]["fix"])'
run "$BIN" "$(lab proxy-jump-forwarding-refused ssh-vvv.txt)"
check "proxy jump refused forwarding: keeps the forwarding fixes" out_has "AllowTcpForwarding yes"

# 3. explain: no raw option placeholders, commands read as commands.
run "$BIN" explain key_not_authorized
check "explain: no <port_opt>" out_lacks "<port_opt>"
check "explain: example command" out_has 'ssh -i ~/.ssh/id_ed25519 ubuntu@host'
check "explain: ssh-copy-id example" out_has 'ssh-copy-id -i ~/.ssh/id_ed25519.pub user@host'
run "$BIN" explain too_many_auth_failures
check "explain: no <keys_word>" out_lacks "<keys_word>"

# 4. Fixes that fit the input.
run "$BIN" "$(lab private-key-bad-permissions ssh-vvv.txt)"
check "bad key modes, Linux client: chmod fix" out_has "chmod 600 /srv/sshlogwhy-lab/home/labclient/keys/id_ed25519_copy"
check "bad key modes, Linux client: no icacls" out_lacks "icacls"
sed '1s/.*/OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2/' "$(lab private-key-bad-permissions ssh-vvv.txt)" >"$TMP/win.txt"
run "$BIN" "$TMP/win.txt"
check "bad key modes, Windows client: icacls fix" out_has "icacls"
check "bad key modes, Windows client: no chmod" out_lacks "chmod 600"
run "$BIN" "$(lab host-key-changed ssh-vvv.txt)"
check "host key changed: verdict" verdict_is host_key_changed
check "host key changed: ssh-keygen -R once" test "$(grep -o "ssh-keygen -R '\[127.0.0.1\]:46125'" "$TMP/out" | wc -l)" -eq 1
check "host key changed, Linux client: no PowerShell fix" out_lacks "env:USERPROFILE"
run "$BIN" explain bad_ownership_or_modes
check "bad ownership: no regex-like directory|file" out_lacks "directory|file"

finish
