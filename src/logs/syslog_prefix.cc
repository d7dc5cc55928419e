#include "logs/syslog_prefix.h"

namespace sshlogwhy {
namespace {

using detail::digit_run;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || is_digit(c); }

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// A program name as it may appear in a tag: printable, no space, no
// brackets (systemd unit names bring ':', '@', '\\x2d' escapes).
bool valid_program(std::string_view p) {
  if (p.empty()) return false;
  for (char c : p) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '[' || c == ']') return false;
  }
  return true;
}

// Drops a Solaris message id "[ID 800047 auth.info] " from the body.
std::string_view strip_solaris_id(std::string_view body) {
  if (!starts_with(body, "[ID ")) return body;
  size_t pos = 4;
  int64_t id = 0;
  const size_t n = digit_run(body, pos, id);
  if (n == 0) return body;
  pos += n;
  if (pos >= body.size() || body[pos] != ' ') return body;
  const size_t close = body.find(']', pos);
  if (close == std::string_view::npos || close + 1 > body.size()) return body;
  for (size_t i = pos + 1; i < close; ++i) {
    if (!is_lower_alnum(body[i]) && body[i] != '.') return body;
  }
  size_t start = close + 1;
  if (start < body.size() && body[start] == ' ') ++start;
  return body.substr(start);
}

// FreeBSD syslogd -v / -vv writes "<4.6> " or "<auth.info> " between the
// timestamp and the host. Returns the length to skip (0: none).
size_t bsd_priority_length(std::string_view s) {
  if (s.empty() || s[0] != '<') return 0;
  const size_t close = s.find('>');
  if (close == std::string_view::npos || close < 4 || close > 24) return 0;
  bool dot = false;
  for (size_t i = 1; i < close; ++i) {
    if (s[i] == '.') {
      if (dot || i == 1 || i + 1 == close) return 0;
      dot = true;
    } else if (!is_lower_alnum(s[i])) {
      return 0;
    }
  }
  if (!dot) return 0;
  size_t end = close + 1;
  if (end >= s.size() || s[end] != ' ') return 0;
  return end + 1;
}

// Syslog facility and severity names as BusyBox syslogd ("auth.info") and
// socklog print them (glibc's facilitynames/prioritynames, where "security"
// is LOG_AUTH). -1: not a name, so an ordinary word never passes for one.
int facility_code(std::string_view name) {
  struct Name {
    std::string_view text;
    int code;
  };
  static constexpr Name kNames[] = {
      {"kern", 0},      {"user", 1},   {"mail", 2},   {"daemon", 3}, {"auth", 4},     {"syslog", 5},
      {"lpr", 6},       {"news", 7},   {"uucp", 8},   {"cron", 9},   {"authpriv", 10}, {"ftp", 11},
      {"ntp", 12},      {"security", 4}, {"local0", 16}, {"local1", 17}, {"local2", 18}, {"local3", 19},
      {"local4", 20},   {"local5", 21}, {"local6", 22}, {"local7", 23},
  };
  for (const Name& n : kNames) {
    if (n.text == name) return n.code;
  }
  return -1;
}

int severity_code(std::string_view name) {
  struct Name {
    std::string_view text;
    int code;
  };
  static constexpr Name kNames[] = {
      {"emerg", 0}, {"panic", 0},   {"alert", 1},  {"crit", 2}, {"err", 3},
      {"error", 3}, {"warn", 4},    {"warning", 4}, {"notice", 5}, {"info", 6},
      {"debug", 7},
  };
  for (const Name& n : kNames) {
    if (n.text == name) return n.code;
  }
  return -1;
}

// "facility.level" at the start of `s` (both known names). Returns its
// length and sets `priority`; 0 when it is not one.
size_t scan_facility_level(std::string_view s, int16_t& priority) {
  // Longest is "authpriv.warning" (16).
  size_t end = 0;
  while (end < s.size() && end <= 16 && s[end] >= 'a' && s[end] <= 'z') ++end;
  while (end < s.size() && end <= 16 && ((s[end] >= 'a' && s[end] <= 'z') || is_digit(s[end]) || s[end] == '.')) ++end;
  const std::string_view token = s.substr(0, end);
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos) return 0;
  const int facility = facility_code(token.substr(0, dot));
  const int severity = severity_code(token.substr(dot + 1));
  if (facility < 0 || severity < 0) return 0;
  priority = static_cast<int16_t>(facility * 8 + severity);
  return end;
}

// A tag without the colon, "prog[pid]" followed by a space or the end
// (rsyslog 8 templates that drop it, SSHGuard issue 128). Only the bracketed
// form: a bare word without ':' is as likely the first word of a message.
// Returns the token length and sets program/pid; 0 otherwise.
size_t scan_bare_tag(std::string_view s, std::string_view& program, int64_t& pid) {
  size_t end = s.find(' ');
  if (end == std::string_view::npos) end = s.size();
  const std::string_view token = s.substr(0, end);
  if (token.size() < 4 || token.back() != ']') return 0;
  const size_t open = token.rfind('[');
  if (open == std::string_view::npos || open == 0) return 0;
  const std::string_view digits = token.substr(open + 1, token.size() - open - 2);
  int64_t value = 0;
  if (digits.empty() || detail::digit_run(digits, 0, value) != digits.size()) return 0;
  const std::string_view name = token.substr(0, open);
  if (!valid_program(name)) return 0;
  program = name;
  pid = value;
  return end;
}

// Sets the body and its post-processing (Solaris id, rsyslog repeats).
void set_body(std::string_view line, size_t pos, LogLineView& v) {
  if (pos > line.size()) pos = line.size();
  // Some writers (plaso's test logs, hand-edited files) put two blanks
  // after "sshd[N]:"; sshd's own text never starts with one.
  while (pos < line.size() && line[pos] == ' ') ++pos;
  std::string_view body = strip_solaris_id(line.substr(pos));
  unwrap_rsyslog_repeat(body, v.repeat);
  v.body = body;
  v.body_offset = static_cast<size_t>(body.data() - line.data());
}

// Next space-delimited token at line[pos]; `pos` moves past it and one space.
bool next_token(std::string_view line, size_t& pos, std::string_view& token) {
  if (pos >= line.size()) return false;
  size_t end = line.find(' ', pos);
  if (end == std::string_view::npos) end = line.size();
  if (end == pos) return false;
  token = line.substr(pos, end - pos);
  pos = end < line.size() ? end + 1 : end;
  return true;
}

// RFC 5424 after "<PRI>1 ".
// The view's times from the timestamp as read (the year settled by `years`).
void set_time(const TimeFields& tf, YearState& years, LogLineView& v) {
  const ResolvedTime rt = resolve_time(tf, years);
  v.time_us = rt.time_us;
  v.monotonic_us = rt.monotonic_us;
  v.time_exact = rt.exact;
  v.time_zoned = rt.zoned;
}

bool parse_5424(std::string_view line, size_t pos, LogLineView& v, YearState& years) {
  TimeFields tf;
  if (pos < line.size() && line[pos] == '-') {
    v.timestamp = line.substr(pos, 1);
    ++pos;
  } else {
    ZoneStyle zone;
    const size_t n = detail::scan_iso_time(line.substr(pos), tf, zone);
    if (n == 0) return false;
    v.timestamp = line.substr(pos, n);
    pos += n;
  }
  if (pos >= line.size() || line[pos] != ' ') return false;
  ++pos;
  std::string_view host, app, procid, msgid;
  if (!next_token(line, pos, host) || !next_token(line, pos, app) || !next_token(line, pos, procid) ||
      !next_token(line, pos, msgid)) {
    return false;
  }
  const size_t sd_end = detail::scan_structured_data(line, pos);
  if (sd_end == std::string_view::npos) return false;
  pos = sd_end;
  if (pos < line.size()) {
    if (line[pos] != ' ') return false;
    // rsyslog's msg keeps the space of the legacy "tag: msg", so two spaces
    // usually precede MSG (formats.md 5.3).
    while (pos < line.size() && line[pos] == ' ') ++pos;
    if (line.substr(pos, 3) == "\xEF\xBB\xBF") pos += 3;
  }
  v.host = host == "-" ? std::string_view() : host;
  v.program = app == "-" ? std::string_view() : app;
  v.pid = -1;
  if (procid != "-") {
    int64_t pid = 0;
    if (digit_run(procid, 0, pid) == procid.size()) v.pid = pid;
  }
  v.format = LogFormat::kSyslog5424;
  set_body(line, pos, v);
  const ResolvedTime rt = resolve_time(tf, years);
  v.time_us = rt.time_us;
  v.time_exact = rt.exact;
  v.time_zoned = rt.zoned;
  return true;
}

// Win32-OpenSSH: "4556 2019-10-10 14:26:58.661 body" or, from very old
// builds, "3488 11:30:03:638 body". `digits` is the length of the pid.
bool parse_windows(std::string_view line, size_t digits, LogLineView& v) {
  int64_t pid = 0;
  digit_run(line, 0, pid);
  size_t pos = digits + 1;
  TimeFields tf;
  ZoneStyle zone;
  size_t n = detail::scan_iso_time(line.substr(pos), tf, zone);
  if (n != 0) {
    if (zone != ZoneStyle::kNone) return false;
    v.time_exact = true;
    // Local wall time of the Windows host; no zone in the text.
    v.time_us = (days_from_civil(tf.year, tf.month, tf.day) * 86400 + tf.hour * 3600 + tf.minute * 60 +
                 tf.second) * 1000000 + tf.micros;
  } else {
    int h = 0, m = 0, s = 0, ms = 0;
    if (!detail::fixed_digits(line, pos, 2, h) || line.size() < pos + 12 || line[pos + 2] != ':' ||
        !detail::fixed_digits(line, pos + 3, 2, m) || line[pos + 5] != ':' ||
        !detail::fixed_digits(line, pos + 6, 2, s) || line[pos + 8] != ':' ||
        !detail::fixed_digits(line, pos + 9, 3, ms)) {
      return false;
    }
    n = 12;
  }
  v.timestamp = line.substr(pos, n);
  pos += n;
  if (pos >= line.size() || line[pos] != ' ') return false;
  v.program = "sshd";
  v.pid = pid;
  v.format = LogFormat::kSshdWindows;
  set_body(line, pos + 1, v);
  return true;
}

// Where the next network frame starts in a line holding several: a
// "<PRI>" followed by "1 " (RFC 5424) or a timestamp, at or after `from`.
// line.size() when there is none.
size_t next_frame_start(std::string_view line, size_t from) {
  for (size_t at = line.find('<', from); at != std::string_view::npos; at = line.find('<', at + 1)) {
    int64_t pri = 0;
    const size_t d = digit_run(line, at + 1, pri);
    if (d == 0 || d > 3 || pri > 191 || at + 1 + d >= line.size() || line[at + 1 + d] != '>') continue;
    const std::string_view rest = line.substr(at + 2 + d);
    TimeFields t;
    ZoneStyle zone;
    if ((rest.size() > 2 && rest[0] == '1' && rest[1] == ' ' && is_digit(rest[2])) ||
        detail::scan_bsd_time(rest, t) != 0 || detail::scan_iso_time(rest, t, zone) != 0) {
      return at;
    }
  }
  return line.size();
}

// socklog's fields after "facility.level: " (at line[pos]): an optional
// RFC 3164 time (the one syslog(3) put in the datagram; some setups strip
// it), then a tag, then the body. `stamp` is svlogd's time before the
// facility, if any (it has the year, so it wins). socklog writes no host.
bool parse_socklog(std::string_view line, size_t pos, int16_t priority, const TimeFields* stamp, LogLineView& v,
                   YearState& years) {
  TimeFields tf;
  if (stamp != nullptr) tf = *stamp;
  TimeFields inner;
  const size_t n = detail::scan_bsd_time(line.substr(pos), inner);
  if (n != 0 && pos + n < line.size() && line[pos + n] == ' ') {
    if (stamp == nullptr) tf = inner;
    pos += n;
    while (pos < line.size() && line[pos] == ' ') ++pos;
  }
  v.host = {};
  v.priority = priority;
  size_t tag = detail::scan_tag(line.substr(pos), false, v.program, v.pid);
  if (tag == 0) tag = scan_bare_tag(line.substr(pos), v.program, v.pid);
  if (tag != 0) {
    v.format = LogFormat::kSocklog;
    pos += tag;
  } else {
    // No tag: socklog passes on what the sender wrote. sshd always sets
    // one through openlog(), but SSHGuard's corpus has tagless auth lines,
    // and under the auth facilities (sshd's default SyslogFacility AUTH)
    // a tagless body is read as sshd's, as bare sshd -e output is.
    const int facility = priority / 8;
    v.program = {};
    v.pid = -1;
    v.format = facility == 4 || facility == 10 ? LogFormat::kSshdRaw : LogFormat::kSocklog;
  }
  set_body(line, pos, v);
  set_time(tf, years, v);
  v.consumed = line.size();
  return true;
}

// "facility.level: " at line[pos] (socklog); the length including ": ".
size_t socklog_field_length(std::string_view line, size_t pos, int16_t& priority) {
  const size_t n = scan_facility_level(line.substr(pos), priority);
  if (n == 0 || pos + n + 1 >= line.size() || line[pos + n] != ':' || line[pos + n + 1] != ' ') return 0;
  return n + 2;
}

// The host token was not followed by a tag (line[host_pos..pos) is the
// host, `pos` is just after it). Tries, in order: BusyBox syslogd's
// "facility.level" field before the tag; a tag without its colon; a host
// token that is itself such a tag (no host). Returns the bytes to skip
// from `pos` (the new `pos` may also move back, to host_pos, when there
// was no host); false when none applies, leaving `v` as it was.
bool untagged_fallbacks(std::string_view line, size_t host_pos, size_t& pos, LogLineView& v) {
  const std::string_view tail = line.substr(pos);
  int16_t priority = -1;
  const size_t fl = scan_facility_level(tail, priority);
  if (fl != 0 && fl < tail.size() && tail[fl] == ' ') {
    const std::string_view rest = tail.substr(fl + 1);
    size_t tag = detail::scan_tag(rest, false, v.program, v.pid);
    if (tag == 0) tag = scan_bare_tag(rest, v.program, v.pid);
    if (tag != 0) {
      if (v.priority < 0) v.priority = priority;
      pos += fl + 1 + tag;
      return true;
    }
  }
  size_t tag = scan_bare_tag(tail, v.program, v.pid);
  if (tag != 0) {
    pos += tag;
    return true;
  }
  // "May  9 11:11:17 sshd[30876] msg": no host and no colon. A host name
  // never holds brackets, so the "host" was the tag.
  tag = scan_bare_tag(line.substr(host_pos), v.program, v.pid);
  if (tag != 0) {
    v.host = {};
    pos = host_pos + tag;
    return true;
  }
  return false;
}

// A supervisor's timestamp (parsed into `tf`) and then no tag, the rest
// starting at line[pos]. Either `ts` or a supervisor in front of a whole
// RFC 3164 line ("2026-11-23 18:12:27.331766 Nov 23 18:12:27 host sshd[1]:
// x"): that line's fields, with the outer time (it has the year). Or sshd
// -e output under runit or s6 ("2018-06-26 13:22:02.108781500 Failed
// password for ..."): a bare body, kSshdRaw.
void finish_stamped(std::string_view line, size_t pos, const TimeFields& tf, LogLineView& v, YearState& years) {
  const std::string_view rest = line.substr(pos);
  TimeFields probe;
  LogLineView inner;
  // Only an RFC 3164 line is tried: it cannot be stamped itself, so this
  // never recurses further. Its year-less time must not move `years`.
  YearState scratch = years;
  if (detail::scan_bsd_time(rest, probe) != 0 && parse_syslog_line(rest, inner, scratch) &&
      !inner.program.empty()) {
    v.host = inner.host;
    v.program = inner.program;
    v.pid = inner.pid;
    v.priority = inner.priority;
    v.format = inner.format;
    v.body = inner.body;
    v.repeat = inner.repeat;
    v.body_offset = pos + inner.body_offset;
  } else {
    v.host = {};
    v.program = {};
    v.pid = -1;
    v.format = LogFormat::kSshdRaw;
    set_body(line, pos, v);
  }
  set_time(tf, years, v);
  v.consumed = line.size();
}

}  // namespace

bool unwrap_rsyslog_repeat(std::string_view& body, uint32_t& repeat) {
  static constexpr std::string_view kHead = "message repeated ";
  static constexpr std::string_view kTail = " times: [";
  if (!starts_with(body, kHead)) return false;
  int64_t n = 0;
  const size_t digits = digit_run(body, kHead.size(), n);
  if (digits == 0 || digits > 9 || n < 1) return false;
  const size_t after = kHead.size() + digits;
  if (body.substr(after, kTail.size()) != kTail) return false;
  std::string_view inner = body.substr(after + kTail.size());
  if (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
  if (!inner.empty() && inner.back() == ']') inner.remove_suffix(1);
  body = inner;
  repeat = static_cast<uint32_t>(n);
  return true;
}

bool is_sshd_program(std::string_view program) {
  const size_t slash = program.rfind('/');
  if (slash != std::string_view::npos) program.remove_prefix(slash + 1);
  if (program.size() > 4 && program.substr(program.size() - 4) == ".exe") program.remove_suffix(4);
  return program == "sshd" || program == "sshd-session" || program == "sshd-auth" ||
         program == "ssh.service" || program == "sshd.service" || starts_with(program, "sshd@");
}

namespace detail {

size_t scan_tag(std::string_view s, bool strict, std::string_view& program, int64_t& pid) {
  size_t end = s.find(' ');
  if (end == std::string_view::npos) end = s.size();
  std::string_view token = s.substr(0, end);
  // "prog[pid]:" may run into the message without a space; the first "]:"
  // ends it. Unit names hold ':' but never "]:".
  const size_t close = token.find("]:");
  if (close != std::string_view::npos) token = token.substr(0, close + 2);
  if (token.size() < 2 || token.back() != ':') return 0;
  const std::string_view t = token.substr(0, token.size() - 1);
  std::string_view name;
  int64_t id = -1;
  if (t.front() == '[' && t.back() == ']') {
    name = t.substr(1, t.size() - 2);  // "[sshd]:" (fail2ban corpus)
  } else if (t.back() == ']') {
    const size_t open = t.rfind('[');
    if (open == std::string_view::npos || open == 0) return 0;
    name = t.substr(0, open);
    const std::string_view digits = t.substr(open + 1, t.size() - open - 2);
    int64_t value = 0;
    if (!digits.empty() && digit_run(digits, 0, value) == digits.size()) id = value;
  } else {
    if (strict && t.find(':') != std::string_view::npos) return 0;
    name = t;
  }
  if (!valid_program(name)) return 0;
  program = name;
  pid = id;
  return token.size();
}

size_t scan_structured_data(std::string_view s, size_t pos) {
  if (pos >= s.size()) return std::string_view::npos;
  if (s[pos] == '-') return pos + 1;
  if (s[pos] != '[') return std::string_view::npos;
  while (pos < s.size() && s[pos] == '[') {
    ++pos;
    bool quoted = false;
    while (pos < s.size()) {
      const char c = s[pos];
      if (quoted) {
        if (c == '\\') {
          pos += 2;
          continue;
        }
        if (c == '"') quoted = false;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ']') {
        break;
      }
      ++pos;
    }
    if (pos >= s.size()) return std::string_view::npos;
    ++pos;  // past ']'
  }
  return pos;
}

}  // namespace detail

// Why one function with early returns instead of a table of layouts: the
// layouts share their tail (host, tag, body) and differ in one or two
// leading bytes, so a single pass that dispatches on the first bytes reads
// each byte about once, and no layout is tried that its first byte rules
// out.
bool parse_syslog_line(std::string_view line, LogLineView& out, YearState& years) {
  LogLineView v;
  size_t pos = 0;

  // Octet-counted framing ("123 <38>...") or Win32-OpenSSH ("4556 2019-").
  bool octet_counted = false;
  if (!line.empty() && is_digit(line[0])) {
    int64_t n = 0;
    const size_t d = digit_run(line, 0, n);
    if (d > 0 && d + 1 < line.size() && line[d] == ' ') {
      if (line[d + 1] == '<' && n > 0) {
        pos = d + 1;
        octet_counted = true;
        if (static_cast<uint64_t>(n) < line.size() - pos) line = line.substr(0, pos + static_cast<size_t>(n));
      } else if (is_digit(line[d + 1])) {
        if (parse_windows(line, d, v)) {
          v.consumed = line.size();
          out = v;
          return true;
        }
      }
    }
  }

  // <PRI>
  bool has_pri = false;
  if (pos < line.size() && line[pos] == '<') {
    int64_t pri = 0;
    const size_t d = digit_run(line, pos + 1, pri);
    if (d == 0 || d > 3 || pri > 191 || pos + 1 + d >= line.size() || line[pos + 1 + d] != '>') return false;
    v.priority = static_cast<int16_t>(pri);
    has_pri = true;
    pos += d + 2;
    // Forwarded frames may be glued together (no terminators); a frame
    // ends where the next "<PRI>timestamp" begins.
    if (!octet_counted) line = line.substr(0, next_frame_start(line, pos));
    if (line.substr(pos, 2) == "1 ") {
      if (!parse_5424(line, pos + 2, v, years)) return false;
      v.consumed = line.size();
      out = v;
      return true;
    }
  }

  // Timestamp.
  const std::string_view rest = line.substr(pos);
  TimeFields tf;
  ZoneStyle zone = ZoneStyle::kNone;
  size_t n = 0;
  bool weekday = false;
  bool stamped = false;  // a supervisor's timestamp (see below)
  if (rest.empty()) return false;
  const char c0 = rest[0];
  if (c0 >= 'A' && c0 <= 'Z') {
    n = detail::scan_bsd_time(rest, tf);
    if (n != 0) {
      v.format = !has_pri && rest.substr(0, n).find('.') != std::string_view::npos ? LogFormat::kJournalShort
                                                                                  : LogFormat::kSyslog3164;
    } else if ((n = detail::scan_weekday_time(rest, tf)) != 0) {
      v.format = LogFormat::kJournalShort;
      weekday = true;
    }
  } else if (is_digit(c0)) {
    n = detail::scan_iso_time(rest, tf, zone);
    if (n != 0) {
      v.format = zone == ZoneStyle::kNoColon && !has_pri ? LogFormat::kJournalShort : LogFormat::kSyslogRfc3339;
      // Syslog daemons write a zone; a zoneless stamp may be a
      // supervisor's (svlogd -ttt, s6-log T) in front of socklog fields
      // or of a bare body.
      stamped = zone == ZoneStyle::kNone && !has_pri;
    } else if (!has_pri && (n = detail::scan_unix_time(rest, tf)) != 0) {
      v.format = LogFormat::kJournalShort;
    } else if (!has_pri && (n = detail::scan_svlogd_time(rest, tf)) != 0) {
      v.format = LogFormat::kSvlogd;
      stamped = true;
    }
  } else if (c0 == '[' && !has_pri) {
    n = detail::scan_monotonic_time(rest, tf);
    v.format = LogFormat::kJournalShort;
  } else if (c0 == '@' && !has_pri) {
    n = detail::scan_tai64n(rest, tf);
    v.format = LogFormat::kSvlogd;
    stamped = true;
  } else if (c0 >= 'a' && c0 <= 'z' && !has_pri) {
    // socklog without svlogd's timestamp: "auth.info: sshd[1]: msg". Only
    // lines that have no timestamp get here (bare sshd output among them),
    // and a facility name is checked before anything else.
    int16_t priority = -1;
    const size_t fl = socklog_field_length(line, pos, priority);
    if (fl == 0 || !parse_socklog(line, pos + fl, priority, nullptr, v, years)) return false;
    out = v;
    return true;
  }
  if (n == 0) return false;
  v.timestamp = rest.substr(0, n);
  pos += n;
  if (pos >= line.size() || line[pos] != ' ') return false;
  while (pos < line.size() && line[pos] == ' ') ++pos;
  // journalctl -o verbose headers look like short-full but carry a cursor.
  if (weekday && line.substr(pos, 3) == "[s=") return false;
  if (stamped) {
    // socklog behind svlogd: "2015-05-27T04:31:28.10040 auth.info: ...".
    int16_t priority = -1;
    const size_t fl = socklog_field_length(line, pos, priority);
    if (fl != 0) {
      if (!parse_socklog(line, pos + fl, priority, &tf, v, years)) return false;
      out = v;
      return true;
    }
  }
  pos += bsd_priority_length(line.substr(pos));

  // Host and tag. The first token is the tag when it looks like one (no
  // host: /dev/log datagrams, trimmed pastes), else it is the host.
  // After a supervisor's timestamp, "word:" without a pid is more likely
  // the start of sshd -e output ("kex_exchange_identification: ...",
  // "banner exchange: ...") than a tag: sshd always logs its pid.
  const auto drop_pidless = [&](size_t& tag) {
    if (tag != 0 && stamped && v.pid < 0) {
      tag = 0;
      v.program = {};
    }
  };
  const std::string_view after = line.substr(pos);
  size_t tag = detail::scan_tag(after, true, v.program, v.pid);
  drop_pidless(tag);
  if (tag != 0) {
    pos += tag;
  } else {
    const size_t host_pos = pos;
    std::string_view host;
    if (!next_token(line, pos, host)) return false;
    v.host = host == "-" ? std::string_view() : host;
    tag = detail::scan_tag(line.substr(pos), false, v.program, v.pid);
    drop_pidless(tag);
    pos += tag;
    // Rarer layouts are tried only here, where the common ones failed, so
    // they cost nothing on lines that have "host tag:".
    if (tag == 0 && !untagged_fallbacks(line, host_pos, pos, v) && stamped) {
      finish_stamped(line, host_pos, tf, v, years);
      out = v;
      return true;
    }
  }
  if (pos < line.size() && line[pos] == ' ') ++pos;
  set_body(line, pos, v);

  set_time(tf, years, v);
  v.consumed = line.size();
  out = v;
  return true;
}

}  // namespace sshlogwhy
