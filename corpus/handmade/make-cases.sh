#!/usr/bin/env bash
# Regenerates the hand-made cases in this folder from the real captures in
# corpus/lab/ (see README.md for what each one is). Run from anywhere:
#   bash corpus/handmade/make-cases.sh
# Then check the verdicts (ctest -R handmade) before committing: a new lab
# run may need a new expected verdict, which a human decides.
set -euo pipefail
cd "$(dirname "$0")"
L=../lab

# two-attempts: byte-for-byte concatenations.
cat $L/key-not-authorized/ssh-vvv.txt $L/success-pubkey/ssh-vvv.txt >two-attempts/fail-then-success.txt
cat $L/success-pubkey/ssh-vvv.txt $L/key-not-authorized/ssh-vvv.txt >two-attempts/success-then-fail.txt
cat $L/host-key-changed/ssh-v.txt $L/success-first-connect-accept-new/ssh-v.txt >two-attempts/hostkey-fixed-then-success.txt

# cut-before-server-answer: up to and including "wait for reply" after the key offer.
n=$(grep -n 'we sent a publickey packet, wait for reply' $L/key-not-authorized/ssh-vvv.txt | head -n 1 | cut -d: -f1)
head -n "$n" $L/key-not-authorized/ssh-vvv.txt >cut-before-server-answer/ssh-vvv-cut.txt

# windows-client-paths: the Windows version line and Windows paths (ssh.exe
# prints backslashes doubled); CRLF as captured.
{
  printf 'OpenSSH_for_Windows_8.1p1, LibreSSL 3.0.2\r\n'
  tail -n +2 $L/key-not-authorized/ssh-vvv.txt | sed \
    -e 's#/srv/sshlogwhy-lab/home/labclient/keys/#C:\\\\Users\\\\labclient/.ssh/#g' \
    -e 's#/srv/sshlogwhy-lab/home/labclient/\.ssh/#C:\\\\Users\\\\labclient/.ssh/#g' \
    -e 's#/srv/sshlogwhy-lab/home/labclient/ssh_config#C:\\\\Users\\\\labclient/.ssh/config#g' \
    -e 's#/etc/ssh/#__PROGRAMDATA__\\\\ssh/#g'
} >windows-client-paths/ssh-vvv.txt

# macos-libressl-header: the macOS version line (pre-10.0 and 10.x forms).
macos() {
  printf '%s\r\n' "$1"
  tail -n +2 $L/connection-refused/ssh-v.txt | sed -e 's#/srv/sshlogwhy-lab/home/labclient/ssh_config#/Users/labclient/.ssh/config#g'
}
macos 'OpenSSH_9.8p1, LibreSSL 3.3.6' >macos-libressl-header/ssh-v.txt
macos 'debug1: OpenSSH_10.2p1, LibreSSL 3.3.6' >macos-libressl-header/ssh-v-10.x.txt

# git-fetch-wrapper: git's own error text after ssh's (LF, as git writes it).
{
  cat $L/key-not-authorized/ssh-v.txt
  printf 'fatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n'
} >git-fetch-wrapper/git-fetch.txt
