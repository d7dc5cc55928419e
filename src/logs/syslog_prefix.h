// Splitting one single-line log record into prefix fields and body.
//
//   YearState years = YearState::from_mtime(st.st_mtime);
//   LogLineView v;
//   if (parse_syslog_line(line.text, v, years) && is_sshd_program(v.program))
//     match(v.body);   // v.body points into line.text
//
// This is the hot path for multi-GB auth.log files, so it is a hand-written
// scanner over fixed layouts (no regex, no strptime, no allocation). It
// accepts, at the start of the line:
//   - an optional octet count ("123 ", TCP syslog framing) and an optional
//     "<PRI>";
//   - "<PRI>1 " starts RFC 5424: TIMESTAMP HOST APP PROCID MSGID SD MSG,
//     with "-" for nil fields and structured data parsed element by element
//     ('\]' and '\"' escapes inside values);
//   - otherwise a timestamp: "Nov 23 18:07:29[.ffffff]" (RFC 3164,
//     journalctl short/short-precise), "2026-11-23T18:07:29[.f][zone]"
//     (RFC 3339 high precision, journalctl short-iso), "Mon 2026-11-23
//     18:07:29 UTC" (short-full, with-unit), "1795457249.880179"
//     (short-unix), "[ 1267.483162]" (short-monotonic, short-delta);
//   - then an optional BSD syslogd -v/-vv priority ("<4.6> ", "<auth.info> "),
//     an optional host (left out by /dev/log datagrams and some pastes; an
//     IPv6 address is a host), and a tag: "prog[pid]:", "prog:", "[prog]:",
//     where prog may hold '-', '/', '@', '.', ':' (systemd unit names);
//   - Win32-OpenSSH's file log, "4556 2019-10-10 14:26:58.661 body".
// Rarer layouts are tried only where the ones above fail, so they cost the
// common lines nothing:
//   - BusyBox syslogd's "facility.level" between host and tag ("vps
//     auth.info sshd[1]:"; known names only, gives `priority`), and a tag
//     without its colon, "sshd[1] msg" (bracketed pid required);
//   - socklog, "[stamp ]auth.info: [Nov 23 18:07:29 ]sshd[1]: msg";
//   - a supervisor's timestamp (svlogd TAI64N "@4000...", svlogd -tt
//     "2015-05-27_04:31:28.10040", or an ISO time without zone as svlogd
//     -ttt and s6-log write) before a tag, a whole RFC 3164 line (`ts`), or
//     bare sshd -e output (then format kSshdRaw, no program). After such a
//     stamp a tag needs a pid: "kex_exchange_identification: ..." is
//     sshd's text, not a program.
// Frames glued together without line terminators are split (see
// LogLineView::consumed). The body starts after "tag: ". A Solaris "[ID 800047 auth.info] " message
// id is dropped from it, and rsyslog's "message repeated N times: [ X]" is
// unwrapped to X with repeat = N. A line with a host but no tag keeps
// program "" (sysklogd's "last message repeated N times").
#pragma once

#include <cstdint>
#include <string_view>

#include "logs/log_record.h"
#include "logs/log_time.h"

namespace sshlogwhy {

// The fields of one line. Every string_view points into the line given to
// parse_syslog_line() and is valid only as long as that text is unchanged.
struct LogLineView {
  std::string_view timestamp;  // the timestamp text as written
  std::string_view host;       // "" when absent or "-"
  std::string_view program;    // "" when absent or "-"
  std::string_view body;       // after the tag; repeats unwrapped
  int64_t pid = -1;
  int64_t time_us = kUnknownTime;  // as LogRecord::time_us
  int64_t monotonic_us = -1;
  bool time_exact = false;
  bool time_zoned = false;
  int16_t priority = -1;       // <PRI> when present
  uint32_t repeat = 1;
  LogFormat format = LogFormat::kUnknown;
  // Byte offset of `body` in the line (journalctl indents continuation
  // lines to this column).
  size_t body_offset = 0;
  // Bytes of the line this record used: the whole line, except when
  // several network frames share it (rsyslog ForwardFormat written without
  // terminators, "<38>...<38>...", or octet-counted "123 <38>..." frames);
  // the caller parses line.substr(consumed) as the next record.
  size_t consumed = 0;
};

// Parses `line` (one line, no terminator). Returns true and fills `out`
// when the line has one of the prefixes above; returns false and leaves
// `years` untouched otherwise (`out` is then unspecified). `years` supplies
// (and advances) the year of year-less timestamps. Pure apart from `years`;
// thread-compatible.
bool parse_syslog_line(std::string_view line, LogLineView& out, YearState& years);

// True for the OpenSSH server's program names: "sshd", "sshd-session"
// (9.8+), "sshd-auth" (10.0+), also with a directory ("/usr/sbin/sshd") or
// ".exe", the systemd units journalctl -o with-unit shows instead
// ("ssh.service", "sshd.service", "sshd@0-10.0.0.1:22-10.0.0.2:5555.service")
// and Solaris/old tags "sshd@..." . Not "ssh" (the client) and not PAM
// helpers such as "unix_chkpwd".
bool is_sshd_program(std::string_view program);

// If `body` is rsyslog's "message repeated N times: [ X]" (N >= 1),
// replaces it by X (one leading space and the closing ']' removed) and sets
// `repeat` to N; otherwise leaves both alone and returns false.
bool unwrap_rsyslog_repeat(std::string_view& body, uint32_t& repeat);

namespace detail {

// Parses a tag at the start of `s` ("prog[pid]:", "prog:", "[prog]:")
// followed by a space or the end. On success sets program/pid and returns
// the length including the ':' (not the space); returns 0 otherwise.
// `strict` (used when the token could also be a host) refuses a tag whose
// name holds ':' unless it ends in "]:", so "fe80::" stays a host.
size_t scan_tag(std::string_view s, bool strict, std::string_view& program, int64_t& pid);

// The end of RFC 5424 structured data starting at s[pos] ("-" or one or
// more "[id k=\"v\" ...]" elements), or npos when malformed.
size_t scan_structured_data(std::string_view s, size_t pos);

}  // namespace detail
}  // namespace sshlogwhy
