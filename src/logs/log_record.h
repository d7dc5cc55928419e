// One record of an sshd server log, whatever container it came in.
//
// sshd writes the same message bodies everywhere (formats.md section 4);
// what differs is the wrapper: a syslog prefix (RFC 3164, RFC 3339 high
// precision, RFC 5424, forwarded with <PRI>), a journald export (text modes,
// JSON flavours, export format, verbose), rsyslog's debug template, or
// nothing at all (`sshd -E`, `sshd -e`, `sshd -d`). The log stage removes the
// wrapper and hands later stages a LogRecord: time, host, program, pid and
// the bare body, so that every pattern is written once, against the body.
//
//   LogRecordReader reader(std::move(source), {.file_mtime = st.st_mtime});
//   LogRecord rec;
//   for (;;) {
//     Result<bool> more = reader.next(rec);
//     if (!more.ok()) { report(more.error()); break; }
//     if (!more.value()) break;
//     if (rec.format == LogFormat::kUnknown) { ++unmatched; continue; }
//     if (is_sshd_program(rec.program) || rec.format == LogFormat::kSshdRaw)
//       for (uint32_t i = 0; i < rec.repeat; ++i) handle(rec);
//   }
//
// See logs/log_record_reader.h for the reader and logs/syslog_prefix.h for
// the allocation-free single-line parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

namespace sshlogwhy {

// "No time known" for LogRecord::time_us.
inline constexpr int64_t kUnknownTime = std::numeric_limits<int64_t>::min();

// The container a record came in. Detected per input (the multi-line
// formats) and per line (the single-line ones), so a paste mixing formats
// still reads.
enum class LogFormat : uint8_t {
  // A line that matched no format while the input is a prefixed log; its
  // whole text is the body. Callers count these as unmatched.
  kUnknown,
  // "Nov 23 18:07:29 host sshd[1319]: ..." (rsyslog traditional, RHEL
  // /var/log/secure, BSD, /dev/log datagrams with <PRI>, and journalctl
  // -o short, which is indistinguishable from it). Year-less.
  kSyslog3164,
  // "2026-11-23T18:07:29.880298+00:00 host sshd[1319]: ..." (rsyslog
  // RSYSLOG_FileFormat, the Debian 12 default, and RSYSLOG_ForwardFormat
  // with <PRI>). Zone "+HH:MM", "Z" or none.
  kSyslogRfc3339,
  // "<38>1 2026-11-23T18:07:29.880298+00:00 host sshd 1319 - - msg".
  kSyslog5424,
  // journalctl -o short-precise, short-iso(-precise) ("+0000", no colon),
  // short-full, with-unit, short-unix, short-monotonic, short-delta.
  // Multi-line messages (continuation lines indented to the message
  // column) are folded into one body.
  kJournalShort,
  // journalctl -o cat: bodies only. Never auto-detected (it cannot be told
  // from sshd -E output); set LogReaderOptions::format to get it.
  kJournalCat,
  // journalctl -o json, json-seq (RS 0x1E before each record), json-sse
  // ("data: " prefix): one JSON object per line.
  kJournalJson,
  // journalctl -o json-pretty: one object over several lines.
  kJournalJsonPretty,
  // journalctl -o export: blocks of FIELD=value lines, binary fields.
  kJournalExport,
  // journalctl -o verbose: a header line, then "    FIELD=value" lines.
  kJournalVerbose,
  // rsyslog RSYSLOG_DebugFormat: "Debug line with all properties:" blocks.
  kRsyslogDebug,
  // Win32-OpenSSH file log (SyslogFacility LOCAL0):
  // "4556 2019-10-10 14:26:58.661 Connection from ..." (pid first).
  kSshdWindows,
  // socklog (runit, Void Linux): "auth.info: May 27 04:31:28 sshd[30993]:
  // msg", usually behind svlogd's timestamp ("2015-05-27T04:31:28.10040 ",
  // TAI64N "@4000..." or "2015-05-27_04:31:28.10040 "). The syslog time
  // inside may be left out; the host always is. The facility.level gives
  // LogRecord::priority. A socklog line without a tag under the auth or
  // authpriv facility is read as kSshdRaw (see there).
  kSocklog,
  // svlogd -t / -tt, s6-log, multilog: a TAI64N ("@4000...") or
  // "YYYY-MM-DD_HH:MM:SS.f" timestamp before a tagged line ("sshd[12]:
  // msg"). svlogd -ttt's "YYYY-MM-DDTHH:MM:SS.f" cannot be told from a
  // zoneless RFC 3339 stamp; tagged lines with it stay kSyslogRfc3339.
  kSvlogd,
  // sshd -E / -e / -d output: the body alone, no prefix ("debug1: ..." too).
  // Also sshd -e under a supervisor that only adds a timestamp (runit's
  // svlogd -t/-tt/-ttt, s6-log T/t): "2018-06-26 13:22:02.108781500 Failed
  // password for ...", and socklog lines without a tag under the auth or
  // authpriv facility (sshd's default SyslogFacility): such records carry
  // time_us, no host and no program.
  kSshdRaw,
};
inline constexpr size_t kLogFormatCount = static_cast<size_t>(LogFormat::kSshdRaw) + 1;

// Stable lower-case name ("syslog-3164", "journal-json", ...) for reports
// and --log-format. Never null.
const char* log_format_name(LogFormat format);

// The format named `name` (as log_format_name() spells it); false when
// there is none.
bool log_format_from_name(const char* name, LogFormat& out);

struct LogRecord {
  // 1-based line of the record's first line in its input (for the export
  // format read from bytes: the line it starts on, counting every '\n').
  uint64_t line = 0;
  // Microseconds since the Unix epoch. UTC when time_zoned; otherwise the
  // local wall-clock time of the log, taken as if it were UTC. kUnknownTime
  // when the record has no wall-clock time (short-monotonic, sshd -E).
  int64_t time_us = kUnknownTime;
  // Microseconds since boot, for short-monotonic/short-delta and the
  // journal's __MONOTONIC_TIMESTAMP; -1 when not known.
  int64_t monotonic_us = -1;
  // True when the year was in the data; false when it was inferred
  // (RFC 3164, journalctl short) or the time is unknown.
  bool time_exact = false;
  // True when time_us is true UTC (the text carried a zone, or journald's
  // __REALTIME_TIMESTAMP / a Unix timestamp).
  bool time_zoned = false;
  // Host as written ("" when the format has none or it was left out).
  std::string host;
  // Syslog tag / SYSLOG_IDENTIFIER ("sshd", "sshd-session", "CRON",
  // "nologin"); PAM module text comes under its caller ("sshd"). "" for
  // sshd -E output and journalctl -o cat. See is_sshd_program().
  std::string program;
  int64_t pid = -1;  // -1 when the record has none ("nologin:", sshd -E)
  // syslog PRI (facility * 8 + severity) when known, else -1.
  int16_t priority = -1;
  // The message with every prefix removed. rsyslog's
  // "message repeated N times: [ X]" is already unwrapped to X. May hold
  // '\n' (journald multi-line messages) and arbitrary bytes (journald
  // binary fields); terminal escapes and NULs are removed as in the line
  // stage, and private keys blanked.
  std::string body;
  // "message repeated N times: [ X ]" gives body X and repeat N: the caller
  // emits N events (the first occurrence was an earlier record). 1 otherwise.
  uint32_t repeat = 1;
  LogFormat format = LogFormat::kUnknown;
};

// Counters for one input; final once next() has returned false or an error.
struct LogStats {
  uint64_t records = 0;             // records returned, kUnknown ones included
  uint64_t unparsed = 0;            // records returned as kUnknown (malformed or unrecognised)
  uint64_t continuation_lines = 0;  // lines folded into an earlier record's body
  uint64_t skipped_lines = 0;       // structure, not records: blank lines, "-- Boot ... --", rsyslog debug extras
  uint64_t year_wraps = 0;          // Dec -> Jan steps seen in year-less timestamps
  uint64_t binary_fields = 0;       // journald values given as byte arrays / binary export fields
  uint64_t redacted_values = 0;     // decoded journald values blanked as private key material
  uint64_t damaged_entries = 0;     // multi-line entries with a broken part, returned anyway
  uint64_t by_format[kLogFormatCount] = {};  // records per LogFormat
};

}  // namespace sshlogwhy
