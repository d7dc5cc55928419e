#!/usr/bin/env bash
# Privacy and hostile input: a private key pasted into a trace is never
# shown (text or JSON, stdout or stderr) and is warned about, without
# changing the verdict; terminal escapes from the input never reach the
# terminal raw; JSON stays valid UTF-8 whatever bytes the input held.
# Keys are made at test time (never committed).
source "$(dirname "$0")/lib.bash" || exit 1

TRACE=$(lab key-not-authorized ssh-vvv.txt)
PLINK=$(lab key-not-authorized plink-v.txt)
EXPECTED=key_not_authorized

# paste_into TRACE BLOCKFILE OUT: the block inserted after line 60.
paste_into() { { head -n 60 "$1"; cat "$2"; tail -n +61 "$1"; } >"$3"; }

# leak_check NAME BLOCKFILE INPUT: runs text, -v text and json; none of the
# outputs (stdout or stderr) may contain a line of the block's body.
leak_check() {
  local name="$1" block="$2" input="$3"
  local outs=()
  "$BIN" "$input" >"$TMP/t.out" 2>"$TMP/t.err"
  local trc=$?
  "$BIN" -v --color always "$input" >"$TMP/v.out" 2>"$TMP/v.err"
  "$BIN" --format json "$input" >"$TMP/j.out" 2>"$TMP/j.err"
  local leaked=""
  while IFS= read -r l; do
    l=${l%$'\r'}
    l=${l#> }
    [[ ${#l} -ge 12 ]] || continue
    case "$l" in -----BEGIN* | -----END* | PuTTY-User-Key-File*) continue ;; esac
    if grep -qF -- "$l" "$TMP/t.out" "$TMP/t.err" "$TMP/v.out" "$TMP/v.err" "$TMP/j.out" "$TMP/j.err"; then
      leaked="$leaked [$l]"
    fi
  done <"$block"
  cp "$TMP/t.out" "$TMP/out"
  cp "$TMP/t.err" "$TMP/err"
  RC=$trc
  check "$name: no line of the key body in any output${leaked:+ (leaked:$leaked)}" test -z "$leaked"
  check "$name: no sanitizer report" \
    eval "! grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error: ' '$TMP/t.err' '$TMP/v.err' '$TMP/j.err'"
  check "$name: the verdict is unchanged ($EXPECTED)" verdict_is "$EXPECTED"
  check "$name: exit code 1 as without the key" rc_is 1
  check "$name: stderr warns about the private key" err_matches 'private key'
  check "$name: stderr says to replace the key" err_matches 'compromised|replace'
  check "$name: json counts the redacted block and warns" json_ok "$TMP/j.out" \
    'd["inputs"][0]["redacted_private_key_blocks"] >= 1 and any("private key" in w for w in d["warnings"]) and d["verdict"]["id"] == "'$EXPECTED'"'
}

if command -v ssh-keygen >/dev/null 2>&1; then
  ssh-keygen -q -t ed25519 -N '' -C 'sshlogwhy-test' -f "$TMP/k" >/dev/null
  paste_into "$TRACE" "$TMP/k" "$TMP/with-openssh-key.txt"
  leak_check "OpenSSH key pasted mid-trace" "$TMP/k" "$TMP/with-openssh-key.txt"

  # The same key as pasted from Windows (CRLF) and quoted in a chat.
  sed 's/$/\r/' "$TMP/k" >"$TMP/k.crlf"
  paste_into "$TRACE" "$TMP/k.crlf" "$TMP/with-crlf-key.txt"
  leak_check "OpenSSH key pasted with CRLF" "$TMP/k.crlf" "$TMP/with-crlf-key.txt"
  sed 's/^/> /' "$TMP/k" >"$TMP/k.quoted"
  paste_into "$TRACE" "$TMP/k.quoted" "$TMP/with-quoted-key.txt"
  leak_check "OpenSSH key quoted with '> '" "$TMP/k.quoted" "$TMP/with-quoted-key.txt"

  # On standard input.
  "$BIN" <"$TMP/with-openssh-key.txt" >"$TMP/out" 2>"$TMP/err"
  RC=$?
  leaked=""
  while IFS= read -r l; do
    case "$l" in -----*) continue ;; esac
    grep -qF -- "$l" "$TMP/out" "$TMP/err" && leaked=1
  done <"$TMP/k"
  check "key on standard input: not shown" test -z "$leaked"
  check "key on standard input: warned" err_matches 'private key'

  # A PEM key (BEGIN EC PRIVATE KEY).
  if ssh-keygen -q -t ecdsa -m PEM -N '' -f "$TMP/pem" >/dev/null 2>&1 && grep -q 'BEGIN EC PRIVATE KEY' "$TMP/pem"; then
    paste_into "$TRACE" "$TMP/pem" "$TMP/with-pem-key.txt"
    leak_check "PEM key pasted mid-trace" "$TMP/pem" "$TMP/with-pem-key.txt"
  else
    skip "PEM key pasted mid-trace" "ssh-keygen cannot write a PEM ECDSA key here"
  fi

  # A PuTTY .ppk, in a plink log and in an OpenSSH trace.
  if command -v puttygen >/dev/null 2>&1; then
    if puttygen "$TMP/k" -o "$TMP/k.ppk" -O private >/dev/null 2>&1 && grep -q '^PuTTY-User-Key-File' "$TMP/k.ppk"; then
      paste_into "$TRACE" "$TMP/k.ppk" "$TMP/with-ppk.txt"
      leak_check "PuTTY .ppk pasted into an ssh trace" "$TMP/k.ppk" "$TMP/with-ppk.txt"
      paste_into "$PLINK" "$TMP/k.ppk" "$TMP/plink-with-ppk.txt"
      leak_check "PuTTY .ppk pasted into a plink log" "$TMP/k.ppk" "$TMP/plink-with-ppk.txt"
    else
      skip "PuTTY .ppk pasted" "puttygen could not convert the test key"
    fi
  else
    skip "PuTTY .ppk pasted" "puttygen is not installed (apt-get install putty-tools)"
  fi
else
  skip "pasted private keys" "ssh-keygen is not installed"
fi

# --- terminal escapes in the user name ---
sed 's/labuser/evil\x1b[2J\x1b]0;pwned\x07user/g' "$TRACE" >"$TMP/escapes.txt"
check "the escape test input really holds ESC and BEL" eval "LC_ALL=C grep -q \$'\\x1b\\\\[2J' '$TMP/escapes.txt'"
for opts in "" "-v" "-v --color always"; do
  # shellcheck disable=SC2086
  run "$BIN" $opts "$TMP/escapes.txt"
  if [[ "$opts" == *always* ]]; then
    # Our own colour codes are allowed; the input's are not.
    check "escapes in the user name ($opts): no clear-screen or title sequence" \
      eval "! LC_ALL=C grep -qE \$'\\x1b\\\\[2J|\\x1b\\\\]|\\x07' '$TMP/out' '$TMP/err'"
  else
    check "escapes in the user name (${opts:-text}): no raw ESC/BEL on stdout" no_raw_controls "$TMP/out"
    check "escapes in the user name (${opts:-text}): no raw ESC/BEL on stderr" no_raw_controls "$TMP/err"
  fi
  check "escapes in the user name (${opts:-text}): still a failure verdict" rc_is 1
done
run "$BIN" --format json "$TMP/escapes.txt"
check "escapes in the user name: JSON has no raw ESC/BEL" no_raw_controls "$TMP/out"
check "escapes in the user name: JSON is valid" json_ok "$TMP/out" 'd["verdict"]["id"] == "key_not_authorized"'

# Other control bytes that are valid UTF-8 (BEL, BS, DEL, the C1 CSI U+009B).
sed 's/labuser/ev\x07il\x08us\x7fer\xc2\x9b2J/g' "$TRACE" >"$TMP/controls.txt"
run "$BIN" -v "$TMP/controls.txt"
check "control bytes in the user name: none reaches stdout raw" \
  eval "! LC_ALL=C grep -q \$'[\\x01-\\x08\\x0b-\\x1f\\x7f]\\|\\xc2\\x9b' '$TMP/out'"
run "$BIN" --format json "$TMP/controls.txt"
check "control bytes in the user name: JSON is valid UTF-8" json_ok "$TMP/out" 'True'

# --- invalid UTF-8 in the user name ---
sed 's/labuser/bad\xff\xfeuser\xc3/g' "$TRACE" >"$TMP/invalid-utf8.txt"
run "$BIN" --format json "$TMP/invalid-utf8.txt"
check "invalid UTF-8: still diagnosed (exit 1)" rc_is 1
check "invalid UTF-8: JSON is strict UTF-8 and parses" json_ok "$TMP/out" 'True'
check "invalid UTF-8: every string in the JSON is free of surrogates" json_ok "$TMP/out" \
  'not any(0xD800 <= ord(ch) <= 0xDFFF for ch in __import__("json").dumps(d, ensure_ascii=False))'
run "$BIN" -v "$TMP/invalid-utf8.txt"
check "invalid UTF-8: the text report is valid UTF-8" \
  python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$TMP/out"
# Invalid UTF-8 in a PuTTY log as well.
sed 's/labuser/bad\xff\xfeuser\xc3/g' "$PLINK" >"$TMP/plink-invalid-utf8.txt"
run "$BIN" --format json "$TMP/plink-invalid-utf8.txt"
check "invalid UTF-8 in a plink log: JSON is strict UTF-8 and parses" json_ok "$TMP/out" 'True'

# --- escapes in a file name (shown in the evidence header and errors) ---
evil_name=$'trace\033[2J\007.txt'
cp "$TRACE" "$TMP/$evil_name"
run "$BIN" "$TMP/$evil_name"
check "escapes in a file name: no raw ESC/BEL on stdout" no_raw_controls "$TMP/out"
run "$BIN" "$TMP/missing-$evil_name"
check "escapes in a missing file's name: exit 2" rc_is 2
run "$BIN" --format json "$TMP/$evil_name"
check "escapes in a file name: JSON is valid" json_ok "$TMP/out" 'True'

finish
