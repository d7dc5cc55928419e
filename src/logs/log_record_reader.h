// Server log lines -> LogRecords, streaming, in every common container.
//
//   // Preferred: the reader owns the source, so it can read journalctl
//   // -o export at the byte level (binary fields, journal_export.h).
//   Result<std::unique_ptr<ByteSource>> in = open_input(path);
//   if (!in) return in.error();
//   LogRecordReader reader(std::move(in.value()), {.file_mtime = mtime});
//
//   // Or over an existing LineReader (export is then read best effort):
//   LineReader lines(std::move(source));
//   LogRecordReader reader(lines, {.year = 2026});
//
//   LogRecord rec;
//   for (;;) {
//     Result<bool> more = reader.next(rec);
//     if (!more.ok()) { report(more.error()); break; }  // records before it were good
//     if (!more.value()) break;
//     ...
//   }
//
// Detection (formats.md section 0): the first lines (64 non-blank by
// default) decide the input's container. Multi-line containers are told by
// their first non-blank line: export ("__CURSOR=" / FIELD=value with
// __REALTIME_TIMESTAMP), json-pretty ("{" alone), journalctl -o verbose
// (a short-full time then "[s="), rsyslog's debug template ("Debug line
// with all properties:"). Otherwise every line is parsed on its own: a
// syslog-style prefix (logs/syslog_prefix.h) or a journald JSON object
// (plain, after json-seq's 0x1E, after json-sse's "data: "), so a paste
// that mixes formats still reads; format() is then the most common one.
// When fewer than half of the sampled lines have a prefix, the input is
// bare sshd output (kSshdRaw: `sshd -E`, `-e`, `-d`) and every line is a
// body. sshd -e output behind svlogd's or s6-log's timestamps parses per
// line as kSshdRaw with a time, so it is detected the same way.
//
// Nothing is silently dropped. A line of a prefixed input that parses as
// nothing comes back as a kUnknown record with the whole line as body
// (stats().unparsed counts them); only structure (blank lines, journalctl's
// "-- Boot ... --" markers, the extra lines of a multi-line entry) is
// skipped, and counted in stats().skipped_lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "input/byte_source.h"
#include "lines/key_redactor.h"
#include "lines/line.h"
#include "lines/line_reader.h"
#include "logs/journal_entry.h"
#include "logs/journal_export.h"
#include "logs/log_record.h"
#include "logs/log_time.h"

namespace sshlogwhy {

struct LogReaderOptions {
  // The year of the first year-less timestamp (RFC 3164, journalctl
  // short). 0: infer it from file_mtime (see YearState).
  int year = 0;
  // The input's modification time, seconds since the epoch; 0 = unknown
  // (then the current time stands in: logs are read soon after written).
  int64_t file_mtime = 0;
  // kUnknown: detect. Anything else forces that container for the
  // multi-line formats and for bare lines (kJournalCat, kSshdRaw); single
  // lines with a recognisable prefix are still parsed as such.
  LogFormat format = LogFormat::kUnknown;
  // Non-blank lines sampled for detection.
  size_t detect_lines = 64;
  // A multi-line entry (json-pretty object, verbose or debug block, export
  // entry read from lines) longer than this many bytes is cut and counted
  // as unparsed.
  size_t max_record_bytes = 1 << 20;
  // For a piece of a larger input (pipeline/parallel_scan.h): year-less
  // timestamps get YearState::kDeferredYear and years() records what the
  // reader of the whole input needs to settle them.
  bool defer_years = false;
};

// The container of an input, judged from its first lines (blank lines
// ignored). Pure; exposed for tests and for source detection.
LogFormat detect_log_format(const std::vector<std::string_view>& first_lines);

class LogRecordReader {
 public:
  // Reads records from `lines`, which must outlive the reader and must not
  // be read by anyone else meanwhile.
  explicit LogRecordReader(LineReader& lines, const LogReaderOptions& options = {});

  // Owns `source`. Peeks at its first bytes on the first next(): an export
  // stream is read at the byte level, anything else through a LineReader
  // made with `line_options`.
  explicit LogRecordReader(std::unique_ptr<ByteSource> source, const LogReaderOptions& options = {},
                           const LineReaderOptions& line_options = {});

  ~LogRecordReader();
  // Not copyable or movable: holds a pointer to its LineReader and a
  // lookahead of Lines.
  LogRecordReader(const LogRecordReader&) = delete;
  LogRecordReader& operator=(const LogRecordReader&) = delete;

  // Fills `out` with the next record and returns true, or returns false at
  // the end of the input. An input error (unreadable, corrupt compressed
  // data, binary data) is returned once, after every record before it, as
  // the line stage reports it; next() then returns false. `out` is
  // overwritten entirely; reusing one LogRecord reuses its strings'
  // capacity.
  //
  // Note: a Result<bool> converts to true when it is ok(), whatever the
  // value; test .value() for "got a record".
  [[nodiscard]] Result<bool> next(LogRecord& out);

  // The input's container: kUnknown before the first next(), then the
  // detected (or forced) one.
  LogFormat format() const { return format_; }
  // The year state (see LogReaderOptions::defer_years).
  const YearState& years() const { return years_; }
  // See LineReader::ended_in_key_material(); false for the export reader.
  bool ended_in_key_material() const { return lines_ != nullptr && lines_->ended_in_key_material(); }

  const LogStats& stats() const { return stats_; }

  // The line stage's counters; null when export was read from bytes, and
  // for an owned source before the first next().
  const LineStats* line_stats() const { return lines_ != nullptr ? &lines_->stats() : nullptr; }

 private:
  // Detects the format (and, for an owned source, picks bytes or lines).
  Result<Ok> start();
  // The next line: the lookahead first, then the LineReader.
  Result<bool> fetch(Line& out);
  // The next line without consuming it; null at the end or on an error
  // (held back in pending_error_).
  const Line* peek();
  void unfetch(Line&& line);

  Result<bool> next_from_lines(LogRecord& out);
  Result<bool> next_from_export_bytes(LogRecord& out);

  // One line on its own: a prefix, a JSON object, a bare body or unknown.
  void read_single(Line& line, LogRecord& out);
  // The multi-line entries, starting at `first`.
  void read_json_pretty(Line& first, LogRecord& out);
  void read_verbose(Line& first, LogRecord& out);
  void read_rsyslog_debug(Line& first, LogRecord& out);
  void read_export_lines(Line& first, LogRecord& out);

  // Fills `out` from entry_ (journald containers).
  void finish_entry(LogRecord& out, LogFormat format);
  void set_unknown(const Line& line, std::string_view text, LogRecord& out);
  void count(const LogRecord& out);

  LogReaderOptions options_;
  LineReader* lines_ = nullptr;
  std::unique_ptr<LineReader> owned_lines_;
  std::unique_ptr<ByteSource> owned_source_;  // until start() decides
  LineReaderOptions line_options_;
  std::unique_ptr<ExportByteReader> export_;

  bool started_ = false;
  bool finished_ = false;
  LogFormat format_ = LogFormat::kUnknown;
  YearState years_;
  std::deque<Line> ahead_;
  std::optional<Error> pending_error_;

  JournalEntry entry_;
  JournalJsonParser json_;
  KeyRedactor redactor_;  // for journald values that bypassed the line stage
  std::string scratch_;
  Line line_;
  Line spare_;  // a recycled Line for peek()
  Line part_;   // the current line of a multi-line entry

  // The previous record, for sysklogd's "last message repeated N times".
  std::string last_host_, last_program_, last_body_;
  int64_t last_pid_ = -1;
  bool have_last_ = false;

  LogStats stats_;
};

}  // namespace sshlogwhy
