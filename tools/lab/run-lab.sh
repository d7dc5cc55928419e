#!/usr/bin/env bash
# run-lab.sh: capture real OpenSSH / PuTTY traces for the sshlogwhy corpus.
#
# Starts real sshd instances on 127.0.0.1 (ports 46100-46299), each with its
# own deliberately broken sshd_config, runs the real ssh (and plink) client
# against them, and writes every capture with an expected.json into
# corpus/lab/<scenario>/. Only loopback is ever a target. See README.md.
#
# Usage: run-lab.sh [--out DIR] [--only scen1,scen2] [--keep] [--list]
# Must run as root (it creates lab users and starts sshd).

set -uo pipefail
shopt -s nullglob

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
OUT="$REPO/corpus/lab"
ONLY=""
KEEP=0
LIST=0

LAB=/srv/sshlogwhy-lab          # scratch root: configs, homes, keys (removed at exit)
LOCK=/run/sshlogwhy-lab.lock
SSHD=/usr/sbin/sshd
RSYSLOGD=/usr/sbin/rsyslogd     # private syslog daemon for the auth.log captures (optional)
CLIENT=labclient
CHOME="$LAB/home/labclient"
KEYS="$CHOME/keys"
TAG="sshlogwhy lab"             # GECOS of every lab user; we only ever delete users carrying it
GHOST=labghost                  # a user name that must not exist
BAD_SHELL=/bin/lab-no-such-shell
LAB_GROUP=sshlogwhy-lab           # shared group (created and removed by the lab)
LAB_USERS=(labclient labuser labmodes labnokeys labnologin labsftp labexpired labacctexp
           lablocked labbadshell labchroot)

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT=${2:?--out needs a directory}; shift 2 ;;
    --out=*) OUT=${1#--out=}; shift ;;
    --only) ONLY=${2:?--only needs a list}; shift 2 ;;
    --only=*) ONLY=${1#--only=}; shift ;;
    --keep) KEEP=1; shift ;;
    --list) LIST=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run-lab.sh: unknown argument: $1" >&2; usage 2 ;;
  esac
done

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------
# Scenario table: name and the loopback port(s) it uses.
# ---------------------------------------------------------------------------
SCENARIOS=(
  success-pubkey success-password success-first-connect-accept-new
  success-password-after-key-refused success-second-key-accepted
  success-password-after-bad-modes success-certificate proxy-jump-success
  dns-resolution-failed connection-refused connection-timed-out network-unreachable
  connection-reset-before-banner connection-reset-tcp-wrappers connection-closed-before-banner banner-timeout
  not-an-ssh-server proxy-jump-auth-failed proxy-jump-forwarding-refused
  no-matching-host-key-type no-matching-kex no-matching-cipher no-matching-mac
  host-key-changed host-key-unknown
  private-key-bad-permissions private-key-wrong-format private-key-corrupted
  private-key-missing no-usable-client-key key-passphrase-required key-passphrase-wrong
  agent-refused-signing agent-socket-stale client-config-bad-permissions client-config-invalid
  client-key-algorithm-disabled
  too-many-auth-failures
  key-not-authorized key-not-authorized-bad-modes authorized-keys-missing authorized-keys-unreadable
  authorized-keys-from-restriction authorized-keys-malformed
  key-algorithm-rejected-by-server key-algorithm-rejected-ssh-rsa-sha1 certificate-principal-mismatch certificate-untrusted-ca
  user-does-not-exist user-denied-by-config root-login-refused account-locked
  account-expired password-expired invalid-login-shell login-shell-nologin
  sftp-only-account chroot-bad-ownership
  pubkey-auth-disabled password-auth-disabled wrong-password second-factor-required
  brute-force-then-success many-failures-one-server preauth-timeout
  sftp-session-success maxstartups-throttling
)

if [[ $LIST -eq 1 ]]; then printf '%s\n' "${SCENARIOS[@]}"; exit 0; fi

declare -A WANT=()
if [[ -n "$ONLY" ]]; then
  IFS=, read -r -a _only <<<"$ONLY"
  for s in "${_only[@]}"; do
    [[ " ${SCENARIOS[*]} " == *" $s "* ]] || die "unknown scenario: $s (see --list)"
    WANT[$s]=1
  done
fi

[[ $EUID -eq 0 ]] || die "run as root (creates lab users, starts sshd on loopback)"

# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------
REQUIRED_TOOLS=("$SSHD" ssh ssh-keygen ssh-agent ssh-add python3 setpriv unshare useradd userdel
                usermod groupadd groupdel chage chpasswd timeout setsid pgrep pkill flock mount)
missing_tools() {
  local c
  for c in "${REQUIRED_TOOLS[@]}" plink puttygen; do
    command -v "$c" >/dev/null 2>&1 || printf '%s ' "$c"
  done
}
ensure_tools() {
  local missing
  missing=$(missing_tools)
  if [[ -n "$missing" ]]; then
    log "missing: $missing; installing packages"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq openssh-server openssh-client putty-tools \
      python3 util-linux passwd coreutils procps mount >/dev/null ||
      log "apt-get install failed"
    # Installing openssh-server may start the system sshd on port 22; the lab
    # does not use or touch it.
    missing=$(missing_tools)
  fi
  HAVE_PLINK=1
  case " $missing" in *" plink "*|*" puttygen "*) HAVE_PLINK=0; log "no plink/puttygen: skipping PuTTY captures" ;; esac
  missing=${missing//plink /}
  missing=${missing//puttygen /}
  [[ -z "$missing" ]] || die "required tools missing: $missing"
  # rsyslogd is not installed on demand: installing the package would start
  # the system's syslog. Without it the lab makes no auth*.log captures.
  HAVE_SYSLOG=1
  if [[ ! -x "$RSYSLOGD" ]] || ! grep -qw overlay /proc/filesystems; then
    HAVE_SYSLOG=0
    log "no $RSYSLOGD or no overlayfs: skipping the syslog (auth.log) captures"
  fi
}
ensure_tools

exec 9>"$LOCK"
flock -n 9 || die "another run-lab.sh is running (lock $LOCK)"

CLIENT_VERSION=$(ssh -V 2>&1 | sed 's/,.*//')
SERVER_VERSION=$("$SSHD" -h 2>&1 | grep -m1 '^OpenSSH' | sed 's/,.*//')
PUTTY_VERSION=""
[[ $HAVE_PLINK -eq 1 ]] && PUTTY_VERSION=$(plink -V 2>&1 | sed -n 's/^plink: Release /PuTTY /p' | head -1)

# ---------------------------------------------------------------------------
# Process bookkeeping and cleanup
# ---------------------------------------------------------------------------
declare -A LIVE_SSHD=()   # pid (= process group id, sshd runs under setsid) -> 1
declare -A LIVE_BG=()     # other background helpers we started -> 1
CUR_SSHD=()
CUR_SYSLOG=()             # private rsyslogd pids of the current phase

cleanup() {
  local pid
  for pid in "${!LIVE_SSHD[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
  for pid in "${!LIVE_BG[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${!LIVE_SSHD[@]}" "${!LIVE_BG[@]}"; do wait "$pid" 2>/dev/null; done
  if [[ $KEEP -eq 0 ]]; then
    remove_lab_users
    [[ -d "$LAB" ]] && rm -rf --one-file-system "$LAB"
  else
    log "--keep: leaving $LAB and the lab users in place"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

is_lab_user() { [[ "$(getent passwd "$1" | cut -d: -f5)" == "$TAG" ]]; }

remove_lab_users() {
  local u
  for u in "${LAB_USERS[@]}" "$GHOST"; do
    if getent passwd "$u" >/dev/null && is_lab_user "$u"; then
      pkill -KILL -u "$u" 2>/dev/null   # only processes owned by our own lab user
      userdel "$u" 2>/dev/null || log "could not delete lab user $u"
    fi
  done
  getent group "$LAB_GROUP" >/dev/null && groupdel "$LAB_GROUP"
}

start_bg() { # start_bg CMD... ; sets BG_PID
  "$@" &
  BG_PID=$!
  LIVE_BG[$BG_PID]=1
}

stop_bg() { # stop_bg PID
  kill -TERM "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  unset "LIVE_BG[$1]"
}

start_sshd() { # start_sshd CONFIG PORT LOGFILE [extra sshd args...]
  local cfg=$1 port=$2 logf=$3
  shift 3
  : >"$logf"
  setsid "${SSHD_PREFIX[@]}" "$SSHD" -D -E "$logf" -f "$cfg" -p "$port" "$@" </dev/null >/dev/null 2>&1 &
  local pid=$!
  LIVE_SSHD[$pid]=1
  CUR_SSHD+=("$pid")
  local i
  for ((i = 0; i < 100; i++)); do
    grep -q "Server listening on 127.0.0.1 port $port" "$logf" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$logf" >&2; die "sshd failed to start ($cfg)"; }
    sleep 0.05
  done
  [[ $i -lt 100 ]] || die "sshd on port $port did not start"
  [[ "$(ps -o pgid= -p "$pid" | tr -d ' ')" == "$pid" ]] || die "sshd is not its own process group"
}

stop_sshds() {
  # Let the per-connection children finish writing their last log lines.
  local pid i
  for pid in "${CUR_SSHD[@]}"; do
    for ((i = 0; i < 60; i++)); do
      pgrep -P "$pid" >/dev/null 2>&1 || break
      sleep 0.05
    done
  done
  for pid in "${CUR_SSHD[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    unset "LIVE_SSHD[$pid]"
  done
  CUR_SSHD=()
  # The private syslog daemons stop last; rsyslogd writes what it still has
  # queued when it gets SIGTERM.
  for pid in "${CUR_SYSLOG[@]}"; do stop_bg "$pid"; done
  CUR_SYSLOG=()
}

# Syslog captures (auth*.log). sshd logs either to its -E file or to syslog,
# never both, so a syslog capture is a connection of its own. Each such sshd
# gets a private rsyslogd (own config, pid file, work directory and socket)
# and runs in a private mount namespace whose /dev/log is that socket. The
# system's /dev and syslog are never touched: /dev in the namespace is an
# overlay whose upper layer is in the scenario's scratch directory.
SYSLOG_SEQ=0
start_syslog() { # start_syslog LOGFILE -> SYSLOG_SOCK, SYSLOG_DIR; auth,authpriv.* go to LOGFILE
  local logf=$1 d
  SYSLOG_SEQ=$((SYSLOG_SEQ + 1))
  d="$W/syslog.$SYSLOG_SEQ"
  rm -rf "$d"
  mkdir -p "$d/work" "$d/dev-upper" "$d/dev-work" "$d/dev-orig"
  SYSLOG_SOCK="$d/log.sock"
  SYSLOG_DIR=$d
  rm -f "$logf"
  # Debian 12's rsyslog.conf reduced to its auth.log: imuxsock on a private
  # socket (SysSock.Use off: /dev/log is not opened), the default file format
  # (RSYSLOG_FileFormat: RFC 3339 time with microseconds), no rate limit
  # (DEBUG3 bursts).
  cat >"$d/rsyslog.conf" <<EOF
# sshlogwhy lab: private rsyslogd ($SCEN)
global(workDirectory="$d/work")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$SYSLOG_SOCK" RateLimit.Interval="0")
auth,authpriv.* action(type="omfile" file="$logf")
EOF
  start_bg "$RSYSLOGD" -n -f "$d/rsyslog.conf" -i "$d/rsyslogd.pid"
  CUR_SYSLOG+=("$BG_PID")
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -S "$SYSLOG_SOCK" ]] && return 0
    kill -0 "$BG_PID" 2>/dev/null || die "private rsyslogd failed to start"
    sleep 0.05
  done
  die "private rsyslogd did not create $SYSLOG_SOCK"
}

start_sshd_syslog() { # start_sshd_syslog CONFIG PORT LOGFILE [extra sshd args...]: logs via a private syslog
  local cfg=$1 port=$2 logf=$3
  shift 3
  start_syslog "$logf"
  setsid unshare -m --propagation private "$LAB/bin/ns-devlog" "$SYSLOG_SOCK" "$SYSLOG_DIR" \
    "${SSHD_PREFIX[@]}" "$SSHD" -D -f "$cfg" -p "$port" "$@" </dev/null >/dev/null 2>&1 &
  local pid=$!
  LIVE_SSHD[$pid]=1
  CUR_SSHD+=("$pid")
  local i
  for ((i = 0; i < 100; i++)); do
    grep -q "Server listening on 127.0.0.1 port $port" "$logf" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || { cat "$logf" >&2; die "sshd (syslog) failed to start ($cfg)"; }
    sleep 0.05
  done
  [[ $i -lt 100 ]] || die "sshd (syslog) on port $port did not start"
  [[ "$(ps -o pgid= -p "$pid" | tr -d ' ')" == "$pid" ]] || die "sshd is not its own process group"
}

start_fake() { # start_fake MODE PORT
  local ready="$W/fake-$2.ready"
  rm -f "$ready"
  start_bg python3 "$SCRIPT_DIR/fake_peer.py" "$1" "$2" "$ready"
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s "$ready" ]] && return 0
    sleep 0.05
  done
  die "fake peer $1 on port $2 did not start"
}

# ---------------------------------------------------------------------------
# Lab setup: host keys, users, client keys
# ---------------------------------------------------------------------------
PASS=""
make_user() { # make_user NAME SHELL
  local u=$1 shell=$2
  if getent passwd "$u" >/dev/null; then
    is_lab_user "$u" || die "user $u exists and is not a lab user; refusing to touch it"
    pkill -KILL -u "$u" 2>/dev/null
    userdel "$u" >/dev/null 2>&1 || die "cannot remove stale lab user $u"
  fi
  useradd -M -U -d "$LAB/home/$u" -s "$shell" -c "$TAG" "$u" || die "useradd $u"
  mkdir -p "$LAB/home/$u"
  chown "$u:$u" "$LAB/home/$u"
  chmod 755 "$LAB/home/$u"
}

authorize() { # authorize USER PUBKEYFILE... (writes ~/.ssh/authorized_keys, good modes)
  local u=$1 h="$LAB/home/$1"
  shift
  mkdir -p "$h/.ssh"
  cat "$@" >"$h/.ssh/authorized_keys"
  chown -R "$u:$u" "$h/.ssh"
  chmod 700 "$h/.ssh"
  chmod 600 "$h/.ssh/authorized_keys"
}

keygen() { # keygen NAME TYPE [passphrase]  -> $KEYS/NAME{,.pub}, owned by the client
  local name=$1 type=$2 pp=${3:-}
  local bits=()
  [[ $type == rsa ]] && bits=(-b 3072)
  ssh-keygen -q -t "$type" "${bits[@]}" -N "$pp" -C "labclient@sshlogwhy-lab" -f "$KEYS/$name" ||
    die "ssh-keygen $name"
}

ppk() { # ppk NAME [passphrase] -> $KEYS/NAME.ppk
  local name=$1 pp=${2:-}
  [[ $HAVE_PLINK -eq 1 ]] || return 0
  if [[ -n "$pp" ]]; then
    printf '%s\n' "$pp" >"$LAB/pp.tmp"
    puttygen "$KEYS/$name" --old-passphrase "$LAB/pp.tmp" --new-passphrase "$LAB/pp.tmp" \
      -O private -o "$KEYS/$name.ppk" || die "puttygen $name"
    rm -f "$LAB/pp.tmp"
  else
    puttygen "$KEYS/$name" -O private -o "$KEYS/$name.ppk" || die "puttygen $name"
  fi
}

lab_init() {
  log "preparing $LAB"
  remove_lab_users
  if getent passwd "$GHOST" >/dev/null; then die "user $GHOST exists; the lab needs it absent"; fi
  [[ -e "$BAD_SHELL" ]] && die "$BAD_SHELL exists; the lab needs it absent"
  rm -rf --one-file-system "$LAB"
  mkdir -p "$LAB"/{hostkeys,home,scen,ca,bin}
  chmod 755 "$LAB" "$LAB/home" "$LAB/scen"
  mkdir -p /run/sshd && chmod 755 /run/sshd

  PASS=$(python3 -c 'import secrets; print("Lab-" + secrets.token_hex(8))')

  local t
  for t in ed25519 ecdsa rsa; do
    ssh-keygen -q -t "$t" -N '' -C "" -f "$LAB/hostkeys/ssh_host_${t}_key" || die "host key $t"
  done
  # A different ed25519 host key: what the client "remembers" in host-key-changed.
  ssh-keygen -q -t ed25519 -N '' -C "" -f "$LAB/hostkeys/old_ssh_host_ed25519_key"
  HOSTKEY_FPS=()
  for t in ed25519 ecdsa rsa; do
    HOSTKEY_FPS+=(-hostkey "$(ssh-keygen -l -E sha256 -f "$LAB/hostkeys/ssh_host_${t}_key.pub" | awk '{print $2}')")
  done

  # Users. The client runs as its own unprivileged user with its own home.
  make_user "$CLIENT" /bin/bash
  local u
  for u in labuser labmodes labnokeys labsftp labexpired labacctexp lablocked labchroot; do
    make_user "$u" /bin/bash
  done
  make_user labnologin /usr/sbin/nologin
  make_user labbadshell "$BAD_SHELL"
  for u in labuser labmodes labexpired labacctexp lablocked; do
    printf '%s:%s\n' "$u" "$PASS" | chpasswd || die "chpasswd $u"
  done
  chage -d 0 labexpired            # password must be changed at next login
  chage -E 0 labacctexp            # account expired on 1970-01-01
  usermod -L lablocked             # '!' in front of the password hash

  # Client side: home, ~/.ssh, keys, askpass helpers.
  mkdir -p "$CHOME/.ssh" "$KEYS"
  ENC_PP="pp-$(python3 -c 'import secrets; print(secrets.token_hex(6))')"
  keygen id_ed25519 ed25519          # the authorized key
  keygen other_ed25519 ed25519       # never authorized anywhere
  keygen extra1_ed25519 ed25519
  keygen extra2_ed25519 ed25519
  keygen extra3_ed25519 ed25519
  keygen id_rsa rsa                  # authorized for labuser
  keygen enc_ed25519 ed25519 "$ENC_PP"   # authorized, passphrase-protected
  keygen cert_ed25519 ed25519        # used with certificates only
  keygen certbad_ed25519 ed25519
  keygen certca_ed25519 ed25519
  ppk id_ed25519
  ppk other_ed25519
  ppk enc_ed25519 "$ENC_PP"
  # A copy of the authorized key, later left world-readable.
  cp "$KEYS/id_ed25519" "$KEYS/id_ed25519_copy"; cp "$KEYS/id_ed25519.pub" "$KEYS/id_ed25519_copy.pub"
  # A corrupted key: the file was cut short (e.g. a truncated copy-paste).
  head -c 250 "$KEYS/id_ed25519" >"$KEYS/id_ed25519_truncated"
  cp "$KEYS/id_ed25519.pub" "$KEYS/id_ed25519_truncated.pub"

  # User CA (trusted by the server) and a CA the server does not trust.
  ssh-keygen -q -t ed25519 -N '' -C "sshlogwhy-lab user CA" -f "$LAB/ca/user_ca"
  ssh-keygen -q -t ed25519 -N '' -C "some other CA" -f "$LAB/ca/other_ca"
  ssh-keygen -q -s "$LAB/ca/user_ca" -I "labuser-cert" -n labuser -V -5m:+1d \
    "$KEYS/cert_ed25519.pub" 2>/dev/null || die "sign cert"
  ssh-keygen -q -s "$LAB/ca/user_ca" -I "alice-cert" -n alice -V -5m:+1d \
    "$KEYS/certbad_ed25519.pub" 2>/dev/null || die "sign cert"
  ssh-keygen -q -s "$LAB/ca/other_ca" -I "labuser-cert-other-ca" -n labuser -V -5m:+1d \
    "$KEYS/certca_ed25519.pub" 2>/dev/null || die "sign cert"

  cat >"$LAB/bin/askpass-password" <<EOF
#!/bin/sh
# Answers every prompt with the lab password.
printf '%s\n' '$PASS'
EOF
  cat >"$LAB/bin/askpass-slow" <<EOF
#!/bin/sh
# Answers with the lab password after 6 s (a prompt nobody answers in time).
sleep 6
printf '%s\n' '$PASS'
EOF
  cat >"$LAB/bin/askpass-wrong" <<'EOF'
#!/bin/sh
# Answers every prompt with a wrong password.
printf '%s\n' 'not-the-password'
EOF
  printf '%s\n' "$PASS" >"$CHOME/password.txt"
  printf '%s\n' "not-the-password" >"$CHOME/wrong-password.txt"
  chmod 755 "$LAB/bin"/askpass-*
  chown "$CLIENT:$CLIENT" "$LAB/bin"/askpass-*
  chmod 700 "$LAB/bin/askpass-password" "$LAB/bin/askpass-slow"

  # Resolver limited to /etc/hosts (used inside a private mount namespace).
  printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$LAB/nsswitch-files-only.conf"
  cat >"$LAB/bin/no-dns" <<EOF
#!/bin/sh
# Runs "\$@" in this (private) mount namespace with hosts: files only.
mount --bind "$LAB/nsswitch-files-only.conf" /etc/nsswitch.conf || exit 99
exec "\$@"
EOF
  chmod 755 "$LAB/bin/no-dns"
  cat >"$LAB/bin/ns-bind" <<'EOF2'
#!/bin/sh
# ns-bind SRC DST [SRC DST ...] -- CMD...: bind-mount files over system files
# inside this private mount namespace only, then exec CMD.
while [ "$1" != "--" ]; do mount --bind "$1" "$2" || exit 99; shift 2; done
shift
exec "$@"
EOF2
  chmod 755 "$LAB/bin/ns-bind"
  cat >"$LAB/bin/ns-devlog" <<'EOF2'
#!/bin/sh
# ns-devlog SOCK DIR CMD...: inside this private mount namespace, make /dev/log
# the lab's private syslog socket SOCK, then exec CMD. /dev becomes an overlay
# whose lower layer is the real /dev (never written) and whose upper layer
# DIR/dev-upper takes the /dev/log symlink; /dev/pts and /dev/shm are bound
# back from a recursive bind of the real /dev.
set -e
sock=$1 dir=$2
shift 2
mount --rbind /dev "$dir/dev-orig"
mount -t overlay sshlogwhy-lab-dev -o "lowerdir=/dev,upperdir=$dir/dev-upper,workdir=$dir/dev-work" /dev
for sub in pts shm mqueue hugepages; do
  if [ -d "$dir/dev-orig/$sub" ] && mountpoint -q "$dir/dev-orig/$sub"; then
    mount --rbind "$dir/dev-orig/$sub" "/dev/$sub"
  fi
done
ln -sfn "$sock" /dev/log
exec "$@"
EOF2
  chmod 755 "$LAB/bin/ns-devlog"

  cat >"$CHOME/ssh_config" <<'EOF'
# sshlogwhy lab client configuration (given with -F)
Host *
    HashKnownHosts no
    ServerAliveInterval 0
EOF
  chown -R "$CLIENT:$CLIENT" "$CHOME"
  chmod 755 "$CHOME"
  chmod 700 "$CHOME/.ssh" "$KEYS"
  chmod 600 "$KEYS"/* "$CHOME/password.txt" "$CHOME/wrong-password.txt"
  chmod 644 "$KEYS"/*.pub

  # Server side authorized keys.
  authorize labuser "$KEYS/id_ed25519.pub" "$KEYS/id_rsa.pub" "$KEYS/enc_ed25519.pub"
  for u in labmodes labnologin labsftp labexpired labacctexp lablocked labbadshell labchroot; do
    authorize "$u" "$KEYS/id_ed25519.pub"
  done
  # ~/.ssh group-writable for a shared group. (Debian's sshd tolerates
  # group-writable paths when the group is the user's private group, so the
  # group must have other members for StrictModes to object.)
  groupadd "$LAB_GROUP" || die "groupadd $LAB_GROUP"
  usermod -a -G "$LAB_GROUP" labmodes
  usermod -a -G "$LAB_GROUP" labuser
  chgrp "$LAB_GROUP" "$LAB/home/labmodes/.ssh"
  chmod 775 "$LAB/home/labmodes/.ssh"
  # labnokeys has no ~/.ssh at all.
  # Chroot for labchroot that is (wrongly) owned by the user.
  mkdir -p "$LAB/chroot/labchroot"
  chown labchroot:labchroot "$LAB/chroot/labchroot"
  # root's key for root-login-refused lives in the lab dir, never in /root.
  mkdir -p "$LAB/rootkeys"
  cp "$KEYS/id_ed25519.pub" "$LAB/rootkeys/authorized_keys"
  chmod 755 "$LAB/rootkeys"; chmod 644 "$LAB/rootkeys/authorized_keys"
}

# ---------------------------------------------------------------------------
# Per-scenario helpers
# ---------------------------------------------------------------------------
INDEX_ROWS=()

sshd_config() { # sshd_config "GLOBAL LINES" ["MATCH BLOCKS"]   -> $W/sshd_config
  # sshd keeps the first value it reads, so scenario lines go before the base.
  {
    printf '# sshlogwhy lab, scenario %s\n' "$SCEN"
    [[ -n "${1:-}" ]] && printf '%s\n' "$1"
    cat <<EOF
ListenAddress 127.0.0.1
HostKey $LAB/hostkeys/ssh_host_ed25519_key
HostKey $LAB/hostkeys/ssh_host_ecdsa_key
HostKey $LAB/hostkeys/ssh_host_rsa_key
PidFile none
LogLevel VERBOSE
UsePAM yes
KbdInteractiveAuthentication no
PasswordAuthentication yes
PrintMotd no
Subsystem sftp internal-sftp
EOF
    [[ -n "${2:-}" ]] && printf '%s\n' "$2"
  } >"$W/sshd_config"
  "$SSHD" -t -f "$W/sshd_config" || die "bad sshd_config for $SCEN"
}

known_hosts() { # write the client's ~/.ssh/known_hosts according to $KH
  local f="$CHOME/.ssh/known_hosts" p t i
  : >"$f"
  if [[ ${#KH_PORTS[@]} -eq 0 ]]; then
    # Default: the port given with -p in SSH_ARGS.
    for ((i = 0; i < ${#SSH_ARGS[@]} - 1; i++)); do
      [[ "${SSH_ARGS[i]}" == -p ]] && KH_PORTS=("${SSH_ARGS[i+1]}")
    done
  fi
  case "$KH" in
    empty) ;;
    old)
      for p in "${KH_PORTS[@]}"; do
        printf '[127.0.0.1]:%s %s\n' "$p" "$(cut -d' ' -f1,2 "$LAB/hostkeys/old_ssh_host_ed25519_key.pub")" >>"$f"
      done ;;
    *)
      for p in "${KH_PORTS[@]}"; do
        for t in ed25519 ecdsa rsa; do
          printf '[127.0.0.1]:%s %s\n' "$p" "$(cut -d' ' -f1,2 "$LAB/hostkeys/ssh_host_${t}_key.pub")" >>"$f"
        done
      done ;;
  esac
  chown "$CLIENT:$CLIENT" "$f"
  chmod 644 "$f"
}

show_cmd() { # printable command line incl. the environment that matters
  local e out=""
  for e in "${CLIENT_ENV[@]}"; do
    case "$e" in SSH_*|DISPLAY=*) out+="$e " ;; esac
  done
  [[ ${#WRAP[@]} -gt 0 ]] && out+="${WRAP_SHOW} "
  out+=$(printf '%q ' "$@")
  printf '%s' "${out% }"
}

run_client() { # run_client STDERR_FILE STDOUT_FILE CMD...   (as the client user)
  local errf=$1 outf=$2
  shift 2
  local envs=(HOME="$CHOME" USER="$CLIENT" LOGNAME="$CLIENT" SHELL=/bin/bash
              PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C "${CLIENT_ENV[@]}")
  [[ "$KH" != keep ]] && known_hosts
  "$BEFORE_CLIENT"
  (
    cd "$CHOME" || exit 99
    exec setsid -w timeout -k 3 "$CLIENT_TIMEOUT" "${WRAP[@]}" \
      setpriv --reuid="$CLIENT" --regid="$CLIENT" --init-groups -- env -i "${envs[@]}" "$@"
  ) </dev/null >"$outf" 2>"$errf"
  local rc=$?
  [[ "$errf" == "$SD"/* ]] && INDEX_ROWS+=("$SCEN	$(basename "$errf")	$rc	$(show_cmd "$@")")
  [[ -s "$outf" ]] || rm -f "$outf"
  return 0
}

ssh_pair() { # ssh -vvv and ssh -v with SSH_ARGS, into $SD
  COMMAND="$(show_cmd ssh -vvv "${SSH_ARGS[@]}")"
  run_client "$SD/ssh-vvv.txt" "$SD/ssh-vvv.stdout.txt" ssh -vvv "${SSH_ARGS[@]}"
  [[ $NO_V -eq 1 ]] || run_client "$SD/ssh-v.txt" "$SD/ssh-v.stdout.txt" ssh -v "${SSH_ARGS[@]}"
}

keep_log() { cp "$W/$1" "$SD/$1"; }

plink_run() { # plink -v -batch with PLINK_ARGS, into $SD/plink-v.txt
  [[ $HAVE_PLINK -eq 1 ]] || return 0
  run_client "$SD/plink-v.txt" "$SD/plink-v.stdout.txt" plink -v -batch "${PLINK_ARGS[@]}"
}

capture() { # capture PORT...: standard run against sshd(s) already configured
  # sshd.log covers the ssh -vvv and ssh -v connections.
  # sshd writes into the scratch dir (its -E path shows up in debug logs, so
  # keep it stable) and the finished log is copied into the corpus.
  local ports=("$@") p
  for p in "${ports[@]}"; do
    start_sshd "$W/sshd_config${CFG_SUFFIX[$p]:-}" "$p" "$W/sshd${LOG_SUFFIX[$p]:-}.log"
  done
  ssh_pair
  stop_sshds
  for p in "${ports[@]}"; do keep_log "sshd${LOG_SUFFIX[$p]:-}.log"; done
  if [[ $COMBINED -eq 1 ]]; then
    # What a terminal shows: remote output and the trace interleaved (2>&1).
    start_sshd "$W/sshd_config" "${ports[0]}" "$W/sshd-combined.log"
    run_client "$SD/ssh-v-combined.txt" "$W/unused" sh -c 'exec "$@" 1>&2' sh ssh -v "${SSH_ARGS[@]}"
    stop_sshds
  fi
  if [[ $DEBUG3 -eq 1 ]]; then
    # The first port's sshd at DEBUG3; a ProxyJump target runs as usual.
    start_sshd "$W/sshd_config${CFG_SUFFIX[${ports[0]}]:-}" "${ports[0]}" "$W/sshd-debug3.log" -o LogLevel=DEBUG3
    for p in "${ports[@]:1}"; do
      start_sshd "$W/sshd_config${CFG_SUFFIX[$p]:-}" "$p" "$W/sshd-debug3-$p.log"
    done
    run_client "$W/debug3-client.txt" "$W/debug3-client.stdout" ssh -v "${SSH_ARGS[@]}"
    stop_sshds
    keep_log sshd-debug3.log
  fi
  syslog_capture "${ports[@]}"
  if [[ ${#PLINK_ARGS[@]} -gt 0 && $HAVE_PLINK -eq 1 ]]; then
    for p in "${ports[@]}"; do
      start_sshd "$W/sshd_config${CFG_SUFFIX[$p]:-}" "$p" "$W/sshd-plink-$p.log"
    done
    plink_run
    stop_sshds
    # The server's side of the plink run, for the joint PuTTY + auth.log case.
    [[ -f "$W/sshd-plink-${ports[0]}.log" ]] && cp "$W/sshd-plink-${ports[0]}.log" "$SD/sshd-plink.log"
  fi
}

syslog_capture() { # syslog_capture PORT...: auth.log (VERBOSE) and auth-debug3.log (DEBUG3)
  # The same client command once more, against the same config(s), with sshd
  # logging through a private rsyslogd: what /var/log/auth.log holds on
  # Debian 12, PAM and libwrap lines included. auth.log is one `ssh -vvv`
  # connection, auth-debug3.log one `ssh -v` connection at LogLevel DEBUG3.
  [[ $HAVE_SYSLOG -eq 1 && $SYSLOG -eq 1 ]] || return 0
  local ports=("$@") p
  for p in "${ports[@]}"; do
    start_sshd_syslog "$W/sshd_config${CFG_SUFFIX[$p]:-}" "$p" "$W/auth${LOG_SUFFIX[$p]:-}.log"
  done
  run_client "$W/auth-client.txt" "$W/auth-client.stdout" ssh -vvv "${SSH_ARGS[@]}"
  stop_sshds
  for p in "${ports[@]}"; do keep_log "auth${LOG_SUFFIX[$p]:-}.log"; done
  start_sshd_syslog "$W/sshd_config${CFG_SUFFIX[${ports[0]}]:-}" "${ports[0]}" "$W/auth-debug3.log" -o LogLevel=DEBUG3
  for p in "${ports[@]:1}"; do
    start_sshd "$W/sshd_config${CFG_SUFFIX[$p]:-}" "$p" "$W/auth-debug3-$p.log"
  done
  run_client "$W/auth-debug3-client.txt" "$W/auth-debug3-client.stdout" ssh -v "${SSH_ARGS[@]}"
  stop_sshds
  keep_log auth-debug3.log
}

write_expected() {
  local cases=() cw="$CLIENT_VERSION"
  if [[ -f "$SD/sshd.log" || -f "$SD/sshd-debug3.log" ]]; then
    if [[ "$CLIENT_VERSION" == "$SERVER_VERSION" ]]; then cw="$CLIENT_VERSION (client and server)"
    else cw="$CLIENT_VERSION (client), $SERVER_VERSION (server)"; fi
  fi
  [[ -f "$SD/plink-v.txt" ]] && cw+=", $PUTTY_VERSION"
  if [[ -n "$CV" ]]; then
    cases+=("ssh-vvv.txt|$CV" "ssh-v.txt|$CV")
  fi
  [[ -n "$SV" ]] && cases+=("sshd.log|$SV")
  if [[ -n "$SV" ]]; then
    if [[ -n "${SV3_PENDING:-}" ]]; then cases+=("sshd-debug3.log|${SV3:-$SV}|$SV3_PENDING")
    else cases+=("sshd-debug3.log|${SV3:-$SV}"); fi
  fi
  if [[ -n "$SV" && "$JV" != none ]]; then
    if [[ -z "$JV" ]]; then
      if [[ "$SV" == insufficient_evidence ]]; then JV=$CV; else JV=$SV; fi
    fi
    cases+=("ssh-vvv.txt,sshd.log|$JV")
  fi
  # The syslog captures: AV (auth.log, VERBOSE) defaults to SV, AV3
  # (auth-debug3.log) to SV3 or AV; AJV (ssh-vvv.txt + auth.log) follows the
  # JV logic. auth.log also holds PAM's and libwrap's lines, so scenarios
  # whose cause only PAM names set AV.
  if [[ -n "$SV" ]]; then
    local av="${AV:-$SV}" av3="${AV3:-${SV3:-${AV:-$SV}}}" ajv="${AJV:-}"
    local av3_pending="${AV3_PENDING:-${SV3_PENDING:-}}"
    cases+=("auth.log|$av")
    if [[ -n "$av3_pending" ]]; then cases+=("auth-debug3.log|$av3|$av3_pending")
    else cases+=("auth-debug3.log|$av3"); fi
    if [[ "$ajv" != none && "$JV" != none ]]; then
      if [[ -z "$ajv" && -z "${AV:-}" ]]; then ajv=$JV
      elif [[ -z "$ajv" ]]; then
        if [[ "$av" == insufficient_evidence ]]; then ajv=$CV; else ajv=$av; fi
      fi
      [[ -n "$ajv" ]] && cases+=("ssh-vvv.txt,auth.log|$ajv")
    fi
  fi
  [[ -n "$PV" ]] && cases+=("plink-v.txt|$PV")
  # PuTTY + the server's log of the same attempt: the server names the cause
  # when it knows one; otherwise the PuTTY verdict stands.
  if [[ -n "$PV" && -n "$SV" && -f "$SD/sshd-plink.log" && "${PJV:-}" != none ]]; then
    local pjv="${PJV:-}"
    if [[ -z "$pjv" ]]; then
      if [[ -n "$JV" && "$JV" != none && "$PV" == "$CV" ]]; then pjv=$JV
      elif [[ "$SV" == insufficient_evidence || "$SV" == success ]]; then pjv=$PV
      else pjv=$SV; fi
    fi
    cases+=("plink-v.txt,sshd-plink.log|$pjv")
  fi
  cases+=("${EXTRA_CASES[@]}")
  python3 "$SCRIPT_DIR/write_expected.py" "$SD/expected.json" "$SCEN" "$DESC" "$COMMAND" \
    "$cw" "$CAPTURED_AT" "${cases[@]}" || die "write_expected $SCEN"
}

noop() { :; }

# Common client argument sets.
ssh_key_args() { # ssh_key_args PORT USER KEY [extra -o ...]
  local port=$1 user=$2 key=$3
  shift 3
  SSH_ARGS=(-F "$CHOME/ssh_config" -o BatchMode=yes -o ConnectTimeout="$CONNECT_TIMEOUT" -o IdentitiesOnly=yes
            "$@" -i "$key" -p "$port" "$user@127.0.0.1" true)
}
ssh_pw_args() { # ssh_pw_args PORT USER [extra -o ...]   (password via askpass)
  local port=$1 user=$2
  shift 2
  SSH_ARGS=(-F "$CHOME/ssh_config" -o ConnectTimeout=5 -o PubkeyAuthentication=no "$@"
            -p "$port" "$user@127.0.0.1" true)
  CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-password" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
}
plink_key_args() { # plink_key_args PORT USER PPK
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -i "$3" -P "$1" "$2@127.0.0.1" true)
}

start_agent() { # start_agent KEY... -> CLIENT_ENV gets SSH_AUTH_SOCK; AGENT_PID
  local sock="$CHOME/.ssh/agent.sock" k
  rm -f "$sock"
  start_bg setpriv --reuid="$CLIENT" --regid="$CLIENT" --init-groups -- \
    env -i HOME="$CHOME" PATH=/usr/bin:/bin ssh-agent -D -a "$sock" >/dev/null 2>&1
  AGENT_PID=$BG_PID
  local i
  for ((i = 0; i < 100; i++)); do [[ -S "$sock" ]] && break; sleep 0.05; done
  [[ -S "$sock" ]] || die "ssh-agent did not start"
  for k in "$@"; do
    setpriv --reuid="$CLIENT" --regid="$CLIENT" --init-groups -- \
      env -i HOME="$CHOME" PATH=/usr/bin:/bin SSH_AUTH_SOCK="$sock" ssh-add ${AGENT_ADD_OPTS:-} "$k" \
      </dev/null >/dev/null 2>&1 || die "ssh-add $k"
  done
  AGENT_SOCK=$sock
}

# ---------------------------------------------------------------------------
# Scenarios. Each sets DESC, the verdicts (CV client trace, SV sshd log, JV
# client+server, PV plink) and captures. Ports: 46100-46299.
# ---------------------------------------------------------------------------
scen_success_pubkey() {
  local port=46100
  DESC="Control: labuser logs in with an ed25519 key that is in ~/.ssh/authorized_keys."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  CV=success SV=success PV=success
  capture $port
}

scen_success_password() {
  local port=46101
  DESC="Control: labuser logs in with the right password (fed through SSH_ASKPASS)."
  sshd_config ""
  ssh_pw_args $port labuser
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -pwfile "$CHOME/password.txt" -P $port labuser@127.0.0.1 true)
  CV=success SV=success PV=success
  capture $port
}

scen_success_first_connect_accept_new() {
  local port=46102
  DESC="Control: first connection with an empty known_hosts and StrictHostKeyChecking=accept-new; the host key is added and the key login works."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/id_ed25519" -o StrictHostKeyChecking=accept-new
  KH=empty
  CV=success SV=success
  capture $port
}

scen_success_password_after_key_refused() {
  local port=46103
  DESC="Control: the offered key is not authorized, then the right password (SSH_ASKPASS) logs labuser in."
  sshd_config ""
  SSH_ARGS=(-F "$CHOME/ssh_config" -o ConnectTimeout=5 -o IdentitiesOnly=yes -i "$KEYS/other_ed25519"
            -p $port labuser@127.0.0.1 true)
  CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-password" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -i "$KEYS/other_ed25519.ppk" -pwfile "$CHOME/password.txt"
              -P $port labuser@127.0.0.1 true)
  CV=success SV=success PV=success
  capture $port
}

scen_success_second_key_accepted() {
  local port=46104
  DESC="Control: two keys given with -i; the first is refused, the second is authorized and logs labuser in."
  sshd_config ""
  SSH_ARGS=(-F "$CHOME/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 -o IdentitiesOnly=yes
            -i "$KEYS/other_ed25519" -i "$KEYS/id_ed25519" -p $port labuser@127.0.0.1 true)
  CV=success SV=success
  capture $port
}

scen_success_password_after_bad_modes() {
  local port=46105
  DESC="labmodes has a group-writable ~/.ssh, so StrictModes ignores authorized_keys; the key is refused, the password works and the client sees the server's 'Remote:' hint."
  sshd_config ""
  SSH_ARGS=(-F "$CHOME/ssh_config" -o ConnectTimeout=5 -o IdentitiesOnly=yes -i "$KEYS/id_ed25519"
            -p $port labmodes@127.0.0.1 true)
  CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-password" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
  CV=success SV=success
  capture $port
}

scen_success_certificate() {
  local port=46106
  DESC="Control: labuser logs in with a user certificate signed by the CA in TrustedUserCAKeys (principal labuser)."
  sshd_config "TrustedUserCAKeys $LAB/ca/user_ca.pub"
  ssh_key_args $port labuser "$KEYS/cert_ed25519"
  CV=success SV=success
  capture $port
}

jump_client_config() { # jump_client_config KEY
  cat >"$W/ssh_config" <<EOF
# sshlogwhy lab client configuration for ProxyJump (the jump ssh reads it too)
Host *
    HashKnownHosts no
    BatchMode yes
    ConnectTimeout 5
    IdentitiesOnly yes
    IdentityFile $1
EOF
  chmod 644 "$W/ssh_config"
}

scen_proxy_jump_success() {
  local jport=46107 tport=46108
  DESC="Control: ssh -J through a bastion sshd to a target sshd, both accept the key."
  sshd_config ""
  jump_client_config "$KEYS/id_ed25519"
  SSH_ARGS=(-F "$W/ssh_config" -J labuser@127.0.0.1:$jport -p $tport labuser@127.0.0.1 true)
  KH_PORTS=($jport $tport)
  LOG_SUFFIX[$tport]=-target
  CV=success SV=success
  EXTRA_CASES=("sshd-target.log|success")
  capture $jport $tport
}

scen_dns_resolution_failed() {
  DESC="The host name nonexistent.invalid does not resolve (resolver limited to /etc/hosts in a private namespace, so no DNS packet leaves)."
  SSH_ARGS=(-F "$CHOME/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 -p 22 labuser@nonexistent.invalid true)
  PLINK_ARGS=(-P 22 labuser@nonexistent.invalid true)
  WRAP=(unshare -m -n --propagation private "$LAB/bin/no-dns")
  WRAP_SHOW="unshare -m -n (hosts: files only)"
  ssh_pair
  plink_run
  CV=dns_resolution_failed PV=dns_resolution_failed
}

scen_connection_refused() {
  local port=46110
  DESC="Nothing listens on 127.0.0.1 port $port (sshd down or wrong port); the kernel answers with RST."
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  ssh_pair
  plink_run
  CV=connection_refused PV=connection_refused
}

scen_connection_timed_out() {
  local port=46111
  DESC="The listener's accept queue is full (backlog 0, never accepts), so the kernel drops the SYN and ssh -o ConnectTimeout=3 gives up: a TCP connect timeout, as behind a dropping firewall."
  start_fake full-queue $port
  CONNECT_TIMEOUT=3
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  ssh_pair
  stop_bg "$BG_PID"
  CV=connection_timed_out
}

scen_network_unreachable() {
  local port=46112
  DESC="The client runs in a network namespace whose only interface (lo) is down: connect() fails with 'Network is unreachable'."
  WRAP=(unshare -n)
  WRAP_SHOW="unshare -n"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  ssh_pair
  plink_run
  CV=network_unreachable PV=network_unreachable
}

scen_connection_reset_before_banner() {
  local port=46113
  DESC="A peer that reads the client's version line and then resets the TCP connection (SO_LINGER 0), like an IPS or fail2ban REJECT with tcp-reset."
  start_fake reset $port
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  ssh_pair
  plink_run
  stop_bg "$BG_PID"
  CV=connection_reset_before_banner PV=connection_reset_before_banner
}

scen_connection_reset_tcp_wrappers() {
  local port=46161
  DESC="Real sshd (Debian builds it with libwrap) with 'sshd: 127.0.0.1' in /etc/hosts.deny (bind-mounted in a private mount namespace): the connection is dropped before the banner and the client sees a reset."
  printf '# sshlogwhy lab\nsshd: 127.0.0.1\n' >"$W/hosts.deny"
  printf '# sshlogwhy lab\n' >"$W/hosts.allow"
  SSHD_PREFIX=(unshare -m --propagation private "$LAB/bin/ns-bind" "$W/hosts.deny" /etc/hosts.deny
               "$W/hosts.allow" /etc/hosts.allow --)
  sshd_config ""
  CONNECT_TIMEOUT=15   # libwrap's refuse() sleeps 5 s before closing
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  # libwrap logs "refused connect from ..." through syslog, not into sshd -E.
  # auth.log (syslog) has libwrap's "refused connect from 127.0.0.1".
  CV=connection_reset_before_banner SV=insufficient_evidence JV=connection_reset_before_banner
  PV=connection_reset_before_banner AV=connection_reset_before_banner
  capture $port
}

scen_connection_closed_before_banner() {
  local port=46114
  DESC="Real sshd with MaxStartups 1 while another unauthenticated connection is pending: sshd drops the new connection before its banner."
  sshd_config "MaxStartups 1"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  BEFORE_CLIENT=maxstartups_filler
  start_sshd "$W/sshd_config" $port "$W/sshd.log"
  ssh_pair
  stop_filler
  stop_sshds
  keep_log sshd.log
  start_sshd "$W/sshd_config" $port "$W/sshd-plink.log"
  plink_run
  stop_filler
  stop_sshds
  # plink does not print the refusal text ("Exceeded MaxStartups"); it sees
  # either a reset or a close, depending on timing, and the verdict follows
  # what it saw.
  local pv=connection_closed_before_banner
  grep -q "Connection reset by peer" "$SD/plink-v.txt" 2>/dev/null && pv=connection_reset_before_banner
  CV=connection_closed_before_banner SV=connection_closed_before_banner PV=$pv
}
stop_filler() {
  [[ -n "${FILLER_PID:-}" ]] && stop_bg "$FILLER_PID"
  FILLER_PID=""
}
maxstartups_filler() {
  # One idle unauthenticated connection that occupies the only MaxStartups slot.
  # It signals through a file once sshd has sent it the banner, so the
  # client never races it for the slot.
  if [[ -z "${FILLER_PID:-}" ]]; then
    rm -f "$W/filler.ready"
    start_bg python3 -c 'import socket,sys,time
s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.recv(256); open(sys.argv[2],"w").write("ok"); time.sleep(600)' 46114 "$W/filler.ready"
    FILLER_PID=$BG_PID
    local i
    for i in $(seq 1 100); do [[ -f "$W/filler.ready" ]] && break; sleep 0.1; done
    [[ -f "$W/filler.ready" ]] || die "the MaxStartups filler never got sshd's banner"
  fi
}

scen_banner_timeout() {
  local port=46115
  DESC="A peer accepts the TCP connection but never sends an SSH banner; ssh -o ConnectTimeout=3 gives up during the banner exchange."
  start_fake silent $port
  CONNECT_TIMEOUT=3
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  ssh_pair
  stop_bg "$BG_PID"
  CV=banner_timeout
}

scen_not_an_ssh_server() {
  local port=46116
  DESC="ssh is pointed at an HTTP server (Python http.server) on port $port, which answers the SSH version line with an HTTP 400 page."
  start_fake http $port
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  ssh_pair
  plink_run
  stop_bg "$BG_PID"
  # PuTTY drops non-SSH lines before the banner without logging them, so its
  # log only shows the close: indistinguishable from a close before the banner.
  CV=not_an_ssh_server PV=connection_closed_before_banner
}

scen_proxy_jump_auth_failed() {
  local jport=46117 tport=46118
  DESC="ssh -J through a bastion sshd that does not have the key (its AuthorizedKeysFile lacks it); the jump hop fails, the target is never reached."
  sshd_config ""
  sshd_config_bastion "AuthorizedKeysFile .ssh/authorized_keys_bastion"
  jump_client_config "$KEYS/id_ed25519"
  SSH_ARGS=(-F "$W/ssh_config" -J labuser@127.0.0.1:$jport -p $tport labuser@127.0.0.1 true)
  KH_PORTS=($jport $tport)
  CFG_SUFFIX[$jport]=.bastion
  LOG_SUFFIX[$tport]=-target
  # The bastion's authorized_keys_bastion does not exist; at DEBUG it says so.
  CV=proxy_jump_failed SV=key_not_authorized SV3=authorized_keys_missing JV=none
  capture $jport $tport
}
sshd_config_bastion() { # a second config (the bastion's): sshd_config.bastion
  local save="$W/sshd_config.target"
  cp "$W/sshd_config" "$save"
  sshd_config "$1"
  mv "$W/sshd_config" "$W/sshd_config.bastion"
  mv "$save" "$W/sshd_config"
}

scen_proxy_jump_forwarding_refused() {
  local jport=46119 tport=46120
  DESC="ssh -J through a bastion with AllowTcpForwarding no: login on the bastion works, the forwarding to the target is administratively prohibited."
  sshd_config ""
  sshd_config_bastion "AllowTcpForwarding no"
  jump_client_config "$KEYS/id_ed25519"
  SSH_ARGS=(-F "$W/ssh_config" -J labuser@127.0.0.1:$jport -p $tport labuser@127.0.0.1 true)
  KH_PORTS=($jport $tport)
  CFG_SUFFIX[$jport]=.bastion
  LOG_SUFFIX[$tport]=-target
  CV=proxy_jump_failed SV=proxy_jump_failed JV=proxy_jump_failed
  capture $jport $tport
}

scen_no_matching_host_key_type() {
  local port=46121
  DESC="A legacy-style server that offers only the ssh-rsa (SHA-1) host key algorithm; OpenSSH 9.2 no longer accepts it by default."
  sshd_config "HostKeyAlgorithms ssh-rsa"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  CV=no_matching_host_key_type SV=no_matching_host_key_type
  capture $port
}

scen_no_matching_kex() {
  local port=46122
  DESC="Server restricted to KexAlgorithms diffie-hellman-group1-sha1, which the client does not enable."
  sshd_config "KexAlgorithms diffie-hellman-group1-sha1"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  CV=no_matching_kex SV=no_matching_kex
  capture $port
}

scen_no_matching_cipher() {
  local port=46123
  DESC="Server restricted to CBC ciphers (aes128-cbc,3des-cbc), which the client does not enable."
  sshd_config "Ciphers aes128-cbc,3des-cbc"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  CV=no_matching_cipher SV=no_matching_cipher
  capture $port
}

scen_no_matching_mac() {
  local port=46124
  DESC="Server restricted to MACs hmac-md5,hmac-md5-96 (with a non-AEAD cipher so a MAC is needed); the client does not enable them."
  sshd_config "Ciphers aes128-ctr
MACs hmac-md5,hmac-md5-96"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  CV=no_matching_mac SV=no_matching_mac
  capture $port
}

scen_host_key_changed() {
  local port=46125
  DESC="known_hosts holds another ed25519 key for [127.0.0.1]:$port (server reinstalled) and StrictHostKeyChecking=yes."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/id_ed25519" -o StrictHostKeyChecking=yes
  KH=old
  PLINK_ARGS=(-i "$KEYS/id_ed25519.ppk" -P $port labuser@127.0.0.1 true)
  # PuTTY's cache learns the old key: a real plink answers 'y' to an sshd that
  # serves the old host key on the same port.
  cat >"$W/sshd_config.old" <<EOF
ListenAddress 127.0.0.1
HostKey $LAB/hostkeys/old_ssh_host_ed25519_key
PidFile none
LogLevel VERBOSE
UsePAM yes
EOF
  rm -rf "$CHOME/.putty"
  if [[ $HAVE_PLINK -eq 1 ]]; then
    start_sshd "$W/sshd_config.old" $port "$W/sshd-old.log"
    ( cd "$CHOME" && printf 'y\n' | timeout 15 setpriv --reuid="$CLIENT" --regid="$CLIENT" --init-groups -- \
        env -i HOME="$CHOME" PATH=/usr/bin:/bin LC_ALL=C plink -P $port -i "$KEYS/id_ed25519.ppk" \
        labuser@127.0.0.1 true ) >"$W/plink-learn.txt" 2>&1
    stop_sshds
    grep -q "$port:127.0.0.1" "$CHOME/.putty/sshhostkeys" 2>/dev/null ||
      log "warning: plink did not cache the old host key"
  fi
  CV=host_key_changed SV=insufficient_evidence JV=host_key_changed PV=host_key_changed
  capture $port
  rm -rf "$CHOME/.putty"
}

scen_host_key_unknown() {
  local port=46126
  DESC="First connection with an empty known_hosts in BatchMode: ssh may not ask, so host key verification fails."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  KH=empty
  PLINK_ARGS=(-i "$KEYS/id_ed25519.ppk" -P $port labuser@127.0.0.1 true)
  CV=host_key_unknown SV=insufficient_evidence JV=host_key_unknown PV=host_key_unknown
  capture $port
}

scen_private_key_bad_permissions() {
  local port=46127
  DESC="The (authorized) private key file is mode 0644, so ssh refuses to use it and has no other key."
  sshd_config ""
  chmod 644 "$KEYS/id_ed25519_copy"
  ssh_key_args $port labuser "$KEYS/id_ed25519_copy"
  CV=private_key_bad_permissions SV=insufficient_evidence
  capture $port
  chmod 600 "$KEYS/id_ed25519_copy"
}

scen_private_key_wrong_format() {
  local port=46128
  DESC="A PuTTY .ppk file is given to OpenSSH ssh -i (and, for plink, an OpenSSH key is given to plink -i)."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/id_ed25519.ppk"
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -i "$KEYS/id_ed25519" -P $port labuser@127.0.0.1 true)
  CV=private_key_wrong_format SV=insufficient_evidence PV=private_key_wrong_format
  capture $port
}

scen_private_key_corrupted() {
  local port=46129
  DESC="The private key file was cut short (truncated copy); ssh cannot load it."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/id_ed25519_truncated"
  CV=private_key_wrong_format SV=insufficient_evidence
  capture $port
}

scen_private_key_missing() {
  local port=46130
  DESC="ssh -i names a key file that does not exist (and plink -i a missing .ppk)."
  sshd_config ""
  ssh_key_args $port labuser "$CHOME/.ssh/id_ed25519_work"
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -i "$CHOME/.ssh/id_ed25519_work.ppk" -P $port labuser@127.0.0.1 true)
  CV=private_key_missing SV=insufficient_evidence PV=private_key_missing
  capture $port
}

scen_no_usable_client_key() {
  local port=46131
  DESC="The client has no key at the default paths and no agent; the server accepts only public keys."
  sshd_config "PasswordAuthentication no"
  SSH_ARGS=(-F "$CHOME/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 -p $port labuser@127.0.0.1 true)
  # The server's DEBUG3 log is the same as in password-auth-disabled: only
  # publickey offered, no key offered. From the server alone that is
  # password_auth_disabled (with no_usable_client_key as the alternative).
  CV=no_usable_client_key SV=insufficient_evidence SV3=password_auth_disabled
  capture $port
}

scen_key_passphrase_required() {
  local port=46132
  DESC="The authorized key is passphrase-protected and ssh runs in BatchMode (plink -batch with an encrypted .ppk), so the key cannot be decrypted."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/enc_ed25519"
  plink_key_args $port labuser "$KEYS/enc_ed25519.ppk"
  CV=key_passphrase_required SV=insufficient_evidence PV=key_passphrase_required
  capture $port
}

scen_key_passphrase_wrong() {
  local port=46160
  DESC="The authorized key is passphrase-protected and the passphrase typed (through SSH_ASKPASS) is wrong, three times."
  sshd_config ""
  SSH_ARGS=(-F "$CHOME/ssh_config" -o ConnectTimeout=5 -o IdentitiesOnly=yes -o PreferredAuthentications=publickey
            -i "$KEYS/enc_ed25519" -p $port labuser@127.0.0.1 true)
  CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-wrong" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
  CV=key_passphrase_required SV=insufficient_evidence
  capture $port
}

scen_agent_refused_signing() {
  local port=46133
  DESC="The authorized key is only in ssh-agent, added with ssh-add -c (confirm each use) and no askpass program exists, so the agent refuses to sign."
  sshd_config ""
  AGENT_ADD_OPTS=-c start_agent "$KEYS/id_ed25519"
  CLIENT_ENV=(SSH_AUTH_SOCK="$AGENT_SOCK")
  SSH_ARGS=(-F "$CHOME/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 -p $port labuser@127.0.0.1 true)
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -P $port labuser@127.0.0.1 true)
  CV=agent_problem SV=insufficient_evidence PV=agent_problem
  capture $port
  stop_bg "$AGENT_PID"
}

scen_agent_socket_stale() {
  local port=46134
  DESC="SSH_AUTH_SOCK points to an agent socket that no longer exists (agent died); the only key was in that agent."
  sshd_config ""
  CLIENT_ENV=(SSH_AUTH_SOCK="/tmp/ssh-XXXXlab0001/agent.4242")
  SSH_ARGS=(-F "$CHOME/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 -p $port labuser@127.0.0.1 true)
  CV=agent_problem SV=insufficient_evidence
  capture $port
}

scen_client_config_bad_permissions() {
  local port=46199
  DESC="~/.ssh/config of the client user is mode 0666, so ssh refuses to run (no -F given)."
  cat >"$CHOME/.ssh/config" <<EOF
Host lab
    HostName 127.0.0.1
    Port $port
EOF
  chown "$CLIENT:$CLIENT" "$CHOME/.ssh/config"
  chmod 666 "$CHOME/.ssh/config"
  SSH_ARGS=(-o BatchMode=yes -o ConnectTimeout=5 -i "$KEYS/id_ed25519" -p $port labuser@127.0.0.1 true)
  ssh_pair
  rm -f "$CHOME/.ssh/config"
  CV=client_config_bad_permissions
}

scen_client_config_invalid() {
  local port=46198
  DESC="~/.ssh/config of the client user holds the macOS-only option UseKeychain, which Linux ssh rejects, so ssh refuses to run."
  printf 'Host *\n    UseKeychain yes\n    AddKeysToAgent yes\n' >"$CHOME/.ssh/config"
  chown "$CLIENT:$CLIENT" "$CHOME/.ssh/config"
  chmod 600 "$CHOME/.ssh/config"
  SSH_ARGS=(-o BatchMode=yes -o ConnectTimeout=5 -i "$KEYS/id_ed25519" -p $port labuser@127.0.0.1 true)
  ssh_pair
  rm -f "$CHOME/.ssh/config"
  CV=client_config_invalid
}

scen_client_key_algorithm_disabled() {
  local port=46135
  DESC="The client's PubkeyAcceptedAlgorithms excludes ssh-ed25519, so ssh skips its only (ed25519) key."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/id_ed25519" -o PubkeyAcceptedAlgorithms=-ssh-ed25519
  CV=client_key_algorithm_not_accepted SV=insufficient_evidence
  capture $port
}

scen_key_algorithm_rejected_ssh_rsa_sha1() {
  local port=46136
  DESC="A client limited to ssh-rsa (SHA-1) signatures (like an old library) offers its authorized RSA key; the OpenSSH 9.2 server's default PubkeyAcceptedAlgorithms no longer accepts ssh-rsa."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/id_rsa" -o PubkeyAcceptedAlgorithms=ssh-rsa
  # sshd 9.2 advertises every algorithm it knows in server-sig-algs, so the
  # client cannot see why the key is refused.
  CV=key_not_authorized SV=key_algorithm_rejected_by_server
  capture $port
}

scen_too_many_auth_failures() {
  local port=46137
  DESC="ssh-agent holds four keys none of which is authorized; the server's MaxAuthTries 2 disconnects after the second."
  sshd_config "MaxAuthTries 2"
  start_agent "$KEYS/other_ed25519" "$KEYS/extra1_ed25519" "$KEYS/extra2_ed25519" "$KEYS/extra3_ed25519"
  CLIENT_ENV=(SSH_AUTH_SOCK="$AGENT_SOCK")
  SSH_ARGS=(-F "$CHOME/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 -p $port labuser@127.0.0.1 true)
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -P $port labuser@127.0.0.1 true)
  CV=too_many_auth_failures SV=too_many_auth_failures PV=too_many_auth_failures
  capture $port
  stop_bg "$AGENT_PID"
}

scen_key_not_authorized() {
  local port=46138
  DESC="The offered key is not in labuser's ~/.ssh/authorized_keys."
  sshd_config ""
  ssh_key_args $port labuser "$KEYS/other_ed25519"
  plink_key_args $port labuser "$KEYS/other_ed25519.ppk"
  CV=key_not_authorized SV=key_not_authorized PV=key_not_authorized
  capture $port
}

scen_key_not_authorized_bad_modes() {
  local port=46139
  DESC="labmodes' ~/.ssh is group-writable (0775, group shared with another user) and StrictModes is on, so sshd ignores the authorized_keys that holds the key."
  sshd_config "StrictModes yes"
  ssh_key_args $port labmodes "$KEYS/id_ed25519"
  plink_key_args $port labmodes "$KEYS/id_ed25519.ppk"
  CV=key_not_authorized SV=bad_ownership_or_modes PV=key_not_authorized
  capture $port
}

scen_authorized_keys_missing() {
  local port=46140
  DESC="labnokeys has no ~/.ssh/authorized_keys at all; the key is refused."
  sshd_config ""
  ssh_key_args $port labnokeys "$KEYS/id_ed25519"
  CV=key_not_authorized SV=key_not_authorized SV3=authorized_keys_missing JV=key_not_authorized
  capture $port
}

scen_authorized_keys_unreadable() {
  local port=46162
  DESC="AuthorizedKeysFile points at a file that holds the key but is owned by root with mode 0600; sshd opens it as the user and gets Permission denied (as with a wrong SELinux label or an unreadable home)."
  cp "$KEYS/id_ed25519.pub" "$W/authorized_keys_root_only"
  chown root:root "$W/authorized_keys_root_only"
  chmod 600 "$W/authorized_keys_root_only"
  sshd_config "AuthorizedKeysFile $W/authorized_keys_root_only"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  CV=key_not_authorized SV=authorized_keys_unreadable PV=key_not_authorized
  capture $port
}

scen_authorized_keys_from_restriction() {
  local port=46141
  DESC="The key is in authorized_keys with from=\"10.20.30.0/24\", but the client connects from 127.0.0.1."
  printf 'from="10.20.30.0/24" %s\n' "$(cat "$KEYS/id_ed25519.pub")" >"$W/authorized_keys"
  chmod 644 "$W/authorized_keys"
  sshd_config "AuthorizedKeysFile $W/authorized_keys"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  CV=key_not_authorized SV=authorized_keys_option_restriction
  capture $port
}

scen_authorized_keys_malformed() {
  local port=46142
  DESC="The key line in authorized_keys was wrapped over two lines when pasted, so it no longer parses."
  local pub; pub=$(cat "$KEYS/id_ed25519.pub")
  printf '%s\n%s\n' "${pub:0:40}" "${pub:40}" >"$W/authorized_keys"
  chmod 644 "$W/authorized_keys"
  sshd_config "AuthorizedKeysFile $W/authorized_keys"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  CV=key_not_authorized SV=key_not_authorized SV3=authorized_keys_malformed JV=key_not_authorized
  # sshd logs no parse error; at DEBUG2+ it shows the skipped lines as
  # "FILE:N: advance: '...'", which names the file.
  capture $port
}

scen_key_algorithm_rejected_by_server() {
  local port=46143
  DESC="The server's PubkeyAcceptedAlgorithms excludes ssh-ed25519 (server-sig-algs shows it); the client's authorized ed25519 key is refused."
  sshd_config "PubkeyAcceptedAlgorithms -ssh-ed25519,ssh-ed25519-cert-v01@openssh.com"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  # sshd 9.2 lists every algorithm in server-sig-algs (not its configured
  # PubkeyAcceptedAlgorithms), so the client trace looks like a plain refusal.
  CV=key_not_authorized SV=key_algorithm_rejected_by_server
  capture $port
}

scen_certificate_principal_mismatch() {
  local port=46144
  DESC="The user certificate is signed by the trusted CA but lists principal alice, not labuser."
  sshd_config "TrustedUserCAKeys $LAB/ca/user_ca.pub"
  ssh_key_args $port labuser "$KEYS/certbad_ed25519"
  CV=certificate_rejected SV=certificate_rejected
  capture $port
}

scen_certificate_untrusted_ca() {
  local port=46145
  DESC="The user certificate is signed by a CA that is not in the server's TrustedUserCAKeys."
  sshd_config "TrustedUserCAKeys $LAB/ca/user_ca.pub"
  ssh_key_args $port labuser "$KEYS/certca_ed25519"
  CV=certificate_rejected SV=certificate_rejected
  capture $port
}

scen_user_does_not_exist() {
  local port=46146
  DESC="The login name labghost does not exist on the server; the (otherwise valid) key is refused."
  sshd_config ""
  ssh_key_args $port "$GHOST" "$KEYS/id_ed25519"
  plink_key_args $port "$GHOST" "$KEYS/id_ed25519.ppk"
  CV=key_not_authorized SV=user_does_not_exist PV=key_not_authorized
  capture $port
}

scen_user_denied_by_config() {
  local port=46147
  DESC="sshd_config has AllowUsers labsftp, so labuser is refused although the key is authorized."
  sshd_config "AllowUsers labsftp"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  CV=key_not_authorized SV=user_denied_by_config
  capture $port
}

scen_root_login_refused() {
  local port=46148
  DESC="root logs in with a key listed in root's AuthorizedKeysFile, but PermitRootLogin no."
  sshd_config "PermitRootLogin no
AuthorizedKeysFile $LAB/rootkeys/authorized_keys"
  ssh_key_args $port root "$KEYS/id_ed25519"
  # The client sees "Server accepts key" for root and then a plain refusal.
  CV=root_login_refused SV=root_login_refused
  capture $port
}

scen_account_locked() {
  local port=46149
  DESC="lablocked's password is locked (usermod -L) and sshd runs with UsePAM no, so the account is refused even with an authorized key."
  sshd_config "UsePAM no"
  ssh_key_args $port lablocked "$KEYS/id_ed25519"
  CV=key_not_authorized SV=account_locked
  capture $port
}

scen_account_expired() {
  local port=46150
  DESC="labacctexp's account expired (chage -E 0); the key is authorized, PAM account management refuses the login."
  sshd_config ""
  ssh_key_args $port labacctexp "$KEYS/id_ed25519"
  # sshd -E holds sshd's own lines only; pam_unix's "account ... has expired"
  # goes to syslog. sshd alone says "Access denied ... by PAM account configuration".
  # auth.log (syslog) has pam_unix's line.
  CV=account_expired SV=insufficient_evidence JV=account_expired AV=account_expired
  capture $port
}

scen_password_expired() {
  local port=46151
  DESC="labexpired must change the password (chage -d 0) and logs in with the password (SSH_ASKPASS) without a terminal."
  sshd_config ""
  ssh_pw_args $port labexpired
  # sshd's own log shows an accepted password and a session; the expiry
  # notice (PAM) only reaches the client.
  # auth.log (syslog) has pam_unix's "expired password for user ...".
  CV=password_expired SV=success JV=password_expired AV=password_expired
  capture $port
}

scen_invalid_login_shell() {
  local port=46152
  DESC="labbadshell's login shell $BAD_SHELL does not exist; sshd refuses the user, the key looks refused."
  sshd_config ""
  ssh_key_args $port labbadshell "$KEYS/id_ed25519"
  CV=key_not_authorized SV=invalid_login_shell
  capture $port
}

scen_login_shell_nologin() {
  local port=46153
  DESC="labnologin's shell is /usr/sbin/nologin: the key login works, then the shell prints 'This account is currently not available.' (on stdout) and exits 1."
  sshd_config ""
  ssh_key_args $port labnologin "$KEYS/id_ed25519"
  COMBINED=1
  # The nologin text goes to stdout; stderr alone shows a login that worked
  # and a command that exited 1. sshd logs a normal session.
  CV=success SV=success JV=success
  EXTRA_CASES=("ssh-v-combined.txt|login_shell_nologin")
  capture $port
}

scen_sftp_only_account() {
  local port=46154
  DESC="labsftp is restricted with ForceCommand internal-sftp; 'ssh labsftp@host true' authenticates, then sshd refuses the non-sftp session."
  sshd_config "" "Match User labsftp
    ForceCommand internal-sftp"
  ssh_key_args $port labsftp "$KEYS/id_ed25519"
  COMBINED=1
  # The refusal text goes to stdout; stderr alone shows a login that worked
  # and a command that exited 1.
  CV=success SV=sftp_only_account JV=sftp_only_account
  EXTRA_CASES=("ssh-v-combined.txt|sftp_only_account")
  capture $port
}

scen_chroot_bad_ownership() {
  local port=46155
  DESC="labchroot has ChrootDirectory $LAB/chroot/labchroot, which is owned by the user instead of root; the session dies right after authentication."
  sshd_config "" "Match User labchroot
    ChrootDirectory $LAB/chroot/%u"
  ssh_key_args $port labchroot "$KEYS/id_ed25519"
  CV=insufficient_evidence SV=chroot_bad_ownership
  capture $port
}

scen_pubkey_auth_disabled() {
  local port=46156
  DESC="The server has PubkeyAuthentication no; the client (BatchMode, key only) never gets to offer its key."
  sshd_config "PubkeyAuthentication no"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  # At DEBUG3 sshd logs the methods it offers: "next methods=\"password\"".
  CV=pubkey_auth_disabled SV=insufficient_evidence SV3=pubkey_auth_disabled PV=pubkey_auth_disabled
  capture $port
}

scen_password_auth_disabled() {
  local port=46157
  DESC="The server accepts only public keys (PasswordAuthentication no); the client wants to log in with a password."
  sshd_config "PasswordAuthentication no"
  ssh_pw_args $port labuser
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -pwfile "$CHOME/password.txt" -P $port labuser@127.0.0.1 true)
  # At DEBUG3 sshd logs the methods it offers: "next methods=\"publickey\"".
  CV=password_auth_disabled SV=insufficient_evidence SV3=password_auth_disabled PV=password_auth_disabled
  capture $port
}

scen_brute_force_then_success() {
  # A merged multi-connection log, for `sshlogwhy scan`: one address guesses
  # passwords (12 failed connections), a port probe opens and closes two TCP
  # connections, then the same address logs in with the right password.
  local port=46163
  DESC="From 127.0.0.1: 12 ssh connections with a wrong password, 2 bare TCP probes, then a successful password login; sshd.log holds all of them (scan: brute_force_source, scanner_probe, success_after_failures)."
  sshd_config ""
  start_sshd "$W/sshd_config" $port "$W/sshd.log"
  ssh_pw_args $port labuser -o NumberOfPasswordPrompts=1
  local ok_env=("${CLIENT_ENV[@]}")
  CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-wrong" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
  local i
  for i in $(seq 1 12); do run_client "$W/bf-$i.err" "$W/bf-$i.out" ssh -v "${SSH_ARGS[@]}"; done
  for i in 1 2; do
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.recv(64); s.close()' $port || true
  done
  CLIENT_ENV=("${ok_env[@]}")
  COMMAND="$(show_cmd ssh -v "${SSH_ARGS[@]}")"
  run_client "$SD/ssh-v.txt" "$SD/ssh-v.stdout.txt" ssh -v "${SSH_ARGS[@]}"
  stop_sshds
  keep_log sshd.log
  # The client trace is the final, successful login; the server log's last
  # informative failure is a wrong password. Per connection: 12 wrong
  # passwords, 2 probes, 1 success.
  CV=success
  local conns="" i
  for i in $(seq 1 12); do conns+="labuser:wrong_password;"; done
  conns+=":scanner_probe;:scanner_probe;labuser:success"
  EXTRA_CASES=("sshd.log|wrong_password||$conns")
}

scen_many_failures_one_server() {
  # A merged multi-connection log: one sshd, one connection after another,
  # each failing (or not) for its own reason. sshd.log (-E, VERBOSE) and
  # auth.log (private syslog, VERBOSE: PAM lines too) each hold the whole
  # sequence, run once per log; expected.json lists every connection's verdict.
  local port=46164
  DESC="One sshd, 16 connections in a row from 127.0.0.1, each with its own outcome (key refused, unknown user, wrong password, bad modes, missing shell, root refused, expired account and password, sftp-only, chroot, DenyUsers, MaxAuthTries, no common kex, a bare TCP probe, an HTTP request to the SSH port, a success); sshd.log and auth.log each hold the whole sequence (verdicts per connection in expected.json)."
  sshd_config "PermitRootLogin no
StrictModes yes
DenyUsers labclient" "Match User root
    AuthorizedKeysFile $LAB/rootkeys/authorized_keys
Match User labnokeys
    MaxAuthTries 2
Match User labsftp
    ForceCommand internal-sftp
Match User labchroot
    ChrootDirectory $LAB/chroot/%u"
  KH_PORTS=($port)
  local base=(-F "$CHOME/ssh_config" -o ConnectTimeout=5 -p $port)
  local key=(-o BatchMode=yes -o IdentitiesOnly=yes -i "$KEYS/id_ed25519")
  local pw=(-o PubkeyAuthentication=no -o NumberOfPasswordPrompts=1)
  local log
  for log in sshd.log auth.log; do
    if [[ $log == sshd.log ]]; then start_sshd "$W/sshd_config" $port "$W/$log"
    else
      [[ $HAVE_SYSLOG -eq 1 ]] || break
      start_sshd_syslog "$W/sshd_config" $port "$W/$log"
    fi
    many_run "$log" 1 "${base[@]}" "${key[@]}" labuser@127.0.0.1 true
    many_run "$log" 2 "${base[@]}" -o BatchMode=yes -o IdentitiesOnly=yes -i "$KEYS/other_ed25519" labuser@127.0.0.1 true
    many_run "$log" 3 "${base[@]}" "${key[@]}" "$GHOST@127.0.0.1" true
    CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-wrong" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
    many_run "$log" 4 "${base[@]}" "${pw[@]}" labuser@127.0.0.1 true
    CLIENT_ENV=()
    many_run "$log" 5 "${base[@]}" "${key[@]}" labmodes@127.0.0.1 true
    many_run "$log" 6 "${base[@]}" "${key[@]}" labbadshell@127.0.0.1 true
    many_run "$log" 7 "${base[@]}" "${key[@]}" root@127.0.0.1 true
    many_run "$log" 8 "${base[@]}" "${key[@]}" labacctexp@127.0.0.1 true
    CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-password" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
    many_run "$log" 9 "${base[@]}" "${pw[@]}" labexpired@127.0.0.1 true
    CLIENT_ENV=()
    many_run "$log" 10 "${base[@]}" "${key[@]}" labsftp@127.0.0.1 true
    many_run "$log" 11 "${base[@]}" "${key[@]}" labchroot@127.0.0.1 true
    many_run "$log" 12 "${base[@]}" "${key[@]}" labclient@127.0.0.1 true
    many_run "$log" 13 "${base[@]}" -o BatchMode=yes -o IdentitiesOnly=yes -i "$KEYS/other_ed25519" \
      -i "$KEYS/extra1_ed25519" -i "$KEYS/extra2_ed25519" labnokeys@127.0.0.1 true
    many_run "$log" 14 "${base[@]}" "${key[@]}" -o KexAlgorithms=diffie-hellman-group1-sha1 labuser@127.0.0.1 true
    python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.recv(64); s.close()' $port || true
    # 16: an HTTP request sent to the SSH port (a browser or health check on the wrong port).
    python3 -c 'import socket,sys,time; s=socket.create_connection(("127.0.0.1",int(sys.argv[1]))); s.recv(64); s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); time.sleep(0.5); s.close()' $port || true
    sleep 0.3
    stop_sshds
    keep_log "$log"
  done
  COMMAND="(16 connections, see CAPTURES.tsv: many-failures-one-server; 15: a bare TCP probe, 16: an HTTP request)"
  # Per connection, in log order; sshd.log lacks PAM's lines, so the expired
  # account says only "Access denied ... by PAM account configuration" there
  # and the expired password looks like a normal login.
  local common="labuser:success;labuser:key_not_authorized;$GHOST:user_does_not_exist;labuser:wrong_password"
  common+=";labmodes:bad_ownership_or_modes;labbadshell:invalid_login_shell;root:root_login_refused"
  local tail="labsftp:sftp_only_account;labchroot:chroot_bad_ownership;labclient:user_denied_by_config"
  tail+=";labnokeys:too_many_auth_failures;:no_matching_kex;:scanner_probe;:not_an_ssh_server"
  # The answer is the most recent informative failure: the probe is not one.
  EXTRA_CASES=("sshd.log|no_matching_kex||$common;labacctexp:insufficient_evidence;labexpired:success;$tail"
               "auth.log|no_matching_kex||$common;labacctexp:account_expired;labexpired:password_expired;$tail")
}
many_run() { # many_run LOG N ssh-args...: one client run of many-failures-one-server (trace not kept)
  local log=$1 n=$2
  shift 2
  run_client "$W/${log%.log}-client-$n.txt" "$W/${log%.log}-client-$n.out" ssh -v "$@"
  [[ $log == sshd.log ]] && INDEX_ROWS+=("$SCEN	(sshd.log+auth.log) #$n	-	$(show_cmd ssh -v "$@")")
  return 0
}

scen_preauth_timeout() {
  local port=46165
  DESC="sshd has LoginGraceTime 2; the password prompt (SSH_ASKPASS) takes 6 s to answer, so the grace timer ends the connection before the password arrives. Debian 12's sshd logs nothing when that happens."
  sshd_config "LoginGraceTime 2"
  ssh_pw_args $port labuser
  CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-slow" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
  # 9.2p1-2+deb12u3+ (CVE-2024-6387 fix) exits silently at LoginGraceTime:
  # the server's log ends after the "none" request, with no close line.
  CV=insufficient_evidence SV=insufficient_evidence JV=insufficient_evidence
  capture $port
}

scen_wrong_password() {
  local port=46158
  DESC="The password given through SSH_ASKPASS is wrong (three prompts)."
  sshd_config ""
  ssh_pw_args $port labuser
  CLIENT_ENV=(SSH_ASKPASS="$LAB/bin/askpass-wrong" SSH_ASKPASS_REQUIRE=force DISPLAY=:0)
  PLINK_ARGS=("${HOSTKEY_FPS[@]}" -pwfile "$CHOME/wrong-password.txt" -P $port labuser@127.0.0.1 true)
  CV=wrong_password SV=wrong_password PV=wrong_password
  capture $port
}

scen_second_factor_required() {
  local port=46159
  DESC="AuthenticationMethods publickey,password: the key succeeds partially, but BatchMode cannot supply the password."
  sshd_config "AuthenticationMethods publickey,password"
  ssh_key_args $port labuser "$KEYS/id_ed25519"
  plink_key_args $port labuser "$KEYS/id_ed25519.ppk"
  CV=second_factor_required SV=second_factor_required PV=second_factor_required
  capture $port
}

scen_sftp_session_success() {
  # The counterpart of sftp-only-account: the same ForceCommand internal-sftp
  # account, used the way it is meant to be (an sftp batch session), then
  # once more with 'ssh ... true', which sshd refuses. Both in one log, so a
  # working SFTP session and a refused non-sftp session can be told apart.
  local port=46166
  DESC="labsftp has ForceCommand internal-sftp: an 'sftp -b' session (pwd, ls, 2 s local pause, ls) succeeds, then 'ssh labsftp@host true' is refused (non-sftp session); sshd.log (-E) and auth.log (syslog) at VERBOSE each hold both connections."
  sshd_config "" "Match User labsftp
    ForceCommand internal-sftp"
  KH_PORTS=($port)
  printf 'pwd\nls\n!sleep 2\nls\n' >"$W/sftp-batch.txt"
  chmod 644 "$W/sftp-batch.txt"
  local base=(-F "$CHOME/ssh_config" -o ConnectTimeout=5 -o BatchMode=yes -o IdentitiesOnly=yes -i "$KEYS/id_ed25519")
  local log
  for log in sshd.log auth.log; do
    if [[ $log == sshd.log ]]; then start_sshd "$W/sshd_config" $port "$W/$log"
    else
      [[ $HAVE_SYSLOG -eq 1 ]] || break
      start_sshd_syslog "$W/sshd_config" $port "$W/$log"
    fi
    if [[ $log == sshd.log ]]; then
      run_client "$SD/sftp-v.txt" "$SD/sftp-v.stdout.txt" sftp -v "${base[@]}" -P $port -b "$W/sftp-batch.txt" labsftp@127.0.0.1
    else
      run_client "$W/auth-sftp.txt" "$W/auth-sftp.out" sftp -v "${base[@]}" -P $port -b "$W/sftp-batch.txt" labsftp@127.0.0.1
    fi
    run_client "$W/${log%.log}-ssh.txt" "$W/${log%.log}-ssh.out" ssh -v "${base[@]}" -p $port labsftp@127.0.0.1 true
    sleep 0.3
    stop_sshds
    keep_log "$log"
  done
  COMMAND="$(show_cmd sftp -v "${base[@]}" -P $port -b sftp-batch.txt labsftp@127.0.0.1), then $(show_cmd ssh -v "${base[@]}" -p $port labsftp@127.0.0.1 true)"
  # auth.log holds the session child's "refusing non-sftp session" for the
  # refused connection only. sshd.log (-E) has neither that line nor
  # timestamps: both connections leave the same lines there, so only the
  # answer (the last connection) is checked, and the per-connection list
  # waits for a way to tell them apart (sftp_only_account, low, for both).
  EXTRA_CASES=("auth.log|sftp_only_account||labsftp:success;labsftp:sftp_only_account"
               "sshd.log|sftp_only_account"
               "sshd.log|sftp_only_account|sshd -E logs neither timestamps nor the refusal line: the working SFTP session and the refused ssh session leave identical lines, and both get sftp_only_account (low confidence)|labsftp:success;labsftp:sftp_only_account")
}

scen_maxstartups_throttling() {
  # sshd's daemon-level MaxStartups lines: "beginning MaxStartups
  # throttling" when it first drops a connection, and "exited MaxStartups
  # throttling after HH:MM:SS, N connections dropped" when a connection
  # arrives once no unauthenticated connection is left.
  local port=46167
  DESC="sshd with MaxStartups 2:100:3: two bare TCP connections hold the two unauthenticated slots, a third is dropped (throttling begins), the two close, and a fourth bare connection ends the throttling; sshd.log (-E) and auth.log (syslog) at VERBOSE."
  sshd_config "MaxStartups 2:100:3"
  local log
  for log in sshd.log auth.log; do
    if [[ $log == sshd.log ]]; then start_sshd "$W/sshd_config" $port "$W/$log"
    else
      [[ $HAVE_SYSLOG -eq 1 ]] || break
      start_sshd_syslog "$W/sshd_config" $port "$W/$log"
    fi
    python3 -c 'import socket,sys,time
port=int(sys.argv[1])
def conn():
    return socket.create_connection(("127.0.0.1",port))
a=conn(); a.recv(256); b=conn(); b.recv(256)
c=conn()
try: c.recv(256)
except OSError: pass
c.close(); time.sleep(1.2)
a.close(); b.close(); time.sleep(1.0)
d=conn(); d.recv(256); time.sleep(0.2); d.close(); time.sleep(0.3)' $port || true
    sleep 0.3
    stop_sshds
    keep_log "$log"
  done
  COMMAND="python3 sockets: 2 bare TCP connections held open, a 3rd (dropped past MaxStartups), the 2 closed, 1 s later a 4th"
  # Per connection in the order they are emitted (a dropped connection at
  # once): the dropped 3rd, the two held ones (closed before the banner
  # exchange: probes), the 4th. The -E log also gets a stray connection from
  # the pid-less kex_exchange_identification line after the drop, so only
  # its answer is checked.
  EXTRA_CASES=("sshd.log|connection_closed_before_banner"
               "auth.log|connection_closed_before_banner||:connection_closed_before_banner;:scanner_probe;:scanner_probe;:scanner_probe")
}

# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
T0=$(date +%s)
lab_init
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)


for SCEN in "${SCENARIOS[@]}"; do
  [[ -n "$ONLY" && -z "${WANT[$SCEN]:-}" ]] && continue
  log "scenario $SCEN"
  # Captures are assembled in the scratch dir and moved into $OUT when the
  # scenario is complete, so $OUT never holds a half-written scenario.
  SD="$LAB/out/$SCEN"
  W="$LAB/scen/$SCEN"
  rm -rf "$SD" "$W"
  mkdir -p "$SD" "$W"
  chmod 755 "$W"
  DESC="" CV="" SV="" SV3="" SV3_PENDING="" JV="" PV="" PJV="" COMMAND="" WRAP_SHOW=""
  AV="" AV3="" AV3_PENDING="" AJV=""
  SSH_ARGS=() PLINK_ARGS=() CLIENT_ENV=() WRAP=() EXTRA_CASES=() KH_PORTS=() SSHD_PREFIX=()
  declare -A CFG_SUFFIX=() LOG_SUFFIX=()
  CONNECT_TIMEOUT=5 DEBUG3=1 SYSLOG=1 NO_V=0 COMBINED=0 KH=default BEFORE_CLIENT=noop CLIENT_TIMEOUT=30
  CAPTURED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  # The scenario's first port also names the known_hosts entry by default.
  rm -rf "$CHOME/.putty"
  "scen_${SCEN//-/_}"
  write_expected
  rm -rf "${OUT:?}/$SCEN"
  mv "$SD" "$OUT/$SCEN" || die "cannot move $SCEN into $OUT"
  chmod 755 "$OUT/$SCEN"
  chmod 644 "$OUT/$SCEN"/*
done

if [[ -z "$ONLY" ]]; then
  # Full run: drop scenario directories (those with an expected.json) that
  # are no longer in the scenario list.
  for d in "$OUT"/*/; do
    d=${d%/}
    [[ -f "$d/expected.json" && " ${SCENARIOS[*]} " != *" $(basename "$d") "* ]] && rm -rf "$d"
  done
fi

# CAPTURES.tsv: one row per client run (exit code and command). With --only
# the rows of the re-run scenarios are replaced.
{
  printf 'scenario\tfile\texit_code\tcommand\n'
  if [[ -n "$ONLY" && -f "$OUT/CAPTURES.tsv" ]]; then
    tail -n +2 "$OUT/CAPTURES.tsv" | while IFS= read -r row; do
      [[ -n "${WANT[${row%%$'\t'*}]:-}" ]] || printf '%s\n' "$row"
    done
  fi
  printf '%s\n' "${INDEX_ROWS[@]}"
} >"$OUT/CAPTURES.tsv.new" && mv "$OUT/CAPTURES.tsv.new" "$OUT/CAPTURES.tsv"
log "done: $(( $(date +%s) - T0 ))s, output in $OUT"
