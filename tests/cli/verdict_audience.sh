#!/usr/bin/env bash
# Verdict texts follow the reader: a PuTTY/plink log gets PuTTY's tools, an
# sshd log alone gets texts for the server's admin, and the fixes name the
# values the log knows (the offered algorithm, the from= list).
source "$(dirname "$0")/lib.bash"

run "$BIN" "$(lab key-not-authorized plink-v.txt)"
check "plink log: puttygen prints the authorized_keys line" out_has 'puttygen -L /srv/sshlogwhy-lab/home/labclient/keys/other_ed25519.ppk'
check "plink log: plink command with the port" out_matches 'plink -v -ssh -P [0-9]+ -i '
check "plink log: no OpenSSH key commands" out_lacks 'ssh-keygen -y -f'
check "plink log: no leftover note about OpenSSH commands" out_lacks 'the OpenSSH commands below do not read .ppk'

run "$BIN" "$(lab host-key-unknown plink-v.txt)"
check "plink host key: -hostkey with the real fingerprint" out_matches 'plink -batch -hostkey SHA256:[A-Za-z0-9+/]+ -P [0-9]+ '
check "plink host key: PuTTY's registry cache is named" out_has 'SimonTatham\PuTTY\SshHostKeys'
check "plink host key: no ssh-keyscan" out_lacks 'ssh-keyscan'

run "$BIN" --format json "$(lab private-key-missing plink-v.txt)"
check "json: audience putty" json_ok "$TMP/out" 'd["verdict"]["audience"] == "putty" and any("Credentials" in f for f in d["verdict"]["fix"])'

run "$BIN" "$(lab key-not-authorized sshd.log)"
no_your_key_in_title() { ! head -n 2 "$TMP/out" | grep -qi 'your key'; }
check "sshd log alone: no 'your key' in the title" no_your_key_in_title
check "sshd log alone: no <key_path>" out_lacks '<key_path>'
check "sshd log alone: asks the user for their key" out_has "On the user's machine"

run "$BIN" --format json "$(lab key-not-authorized sshd.log)"
check "json: audience server" json_ok "$TMP/out" 'd["verdict"]["audience"] == "server" and "your key" not in d["verdict"]["title"]'

run "$BIN" "$(lab authorized-keys-from-restriction sshd.log)"
check "from=: the allowed list is filled in" out_has 'from="10.20.30.0/24,127.0.0.1"'
check "from=: the title names the option" out_has '(from="10.20.30.0/24")'
check "from=: no <option>" out_lacks '<option>'

run "$BIN" "$(lab no-matching-kex ssh-vvv.txt)"
check "kex: the fix names the server's method" out_has 'KexAlgorithms=+diffie-hellman-group1-sha1 labuser@127.0.0.1'
check "kex: no example method that was not offered" out_lacks 'group14-sha1 labuser'

run "$BIN" "$(lab no-matching-cipher sshd.log)"
check "cipher, sshd log: the fix names one the client offered" out_has 'Ciphers +chacha20-poly1305@openssh.com'

run "$BIN" --format json "$(lab no-matching-mac ssh-vvv.txt)"
check "json: facts.alg is the offered MAC" json_ok "$TMP/out" 'd["verdict"]["facts"]["alg"] == "hmac-md5" and d["verdict"]["audience"] == "openssh"'

run "$BIN" explain key_not_authorized
check "explain shows the PuTTY variant" out_has 'From a PuTTY/plink log'
check "explain shows the server variant" out_has 'From an sshd log alone'

finish
