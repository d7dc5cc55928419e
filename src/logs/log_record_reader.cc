#include "logs/log_record_reader.h"

#include <algorithm>
#include <cstring>

#include "logs/syslog_prefix.h"

namespace sshlogwhy {
namespace {

constexpr std::string_view kDebugHeader = "Debug line with all properties:";
// Bytes sniffed from an owned source before choosing bytes or lines.
constexpr size_t kSniffBytes = 4096;
// Lines an rsyslog debug block may have (it has 10).
constexpr size_t kMaxDebugBlockLines = 64;

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_blank(std::string_view s) { return trim_right(s).empty(); }

// journalctl's "-- Boot 2a73... --", "-- Logs begin at ... --",
// "-- No entries --", "-- Reboot --".
bool is_journal_marker(std::string_view s) {
  s = trim_right(s);
  return s.size() >= 6 && starts_with(s, "-- ") && s.substr(s.size() - 3) == " --";
}

// "NAME=" with NAME in [A-Z0-9_]+.
bool is_field_line(std::string_view s) {
  const size_t eq = s.find('=');
  return eq != std::string_view::npos && detail::is_export_field_name(s.substr(0, eq));
}

// A line that is a whole journald JSON object, after json-seq's RS or
// json-sse's "data: "; returns the object text or "".
std::string_view json_object_text(std::string_view s) {
  if (!s.empty() && s[0] == '\x1e') {
    s.remove_prefix(1);
  } else if (starts_with(s, "data: ")) {
    s.remove_prefix(6);
  }
  s = trim_right(s);
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') return {};
  return s;
}

// journalctl -o verbose header: "Mon 2026-11-23 18:06:56.146503 UTC [s=...]".
// Returns the cursor text, or "" when `s` is not a header.
std::string_view verbose_cursor(std::string_view s, TimeFields& t) {
  const size_t n = detail::scan_weekday_time(s, t);
  if (n == 0 || !starts_with(s.substr(n), " [s=")) return {};
  std::string_view rest = trim_right(s.substr(n + 2));
  if (rest.empty() || rest.back() != ']') return {};
  return rest.substr(0, rest.size() - 1);
}

// sysklogd / busybox "last message repeated N times" (no brackets).
bool last_message_repeated(std::string_view body, uint32_t& n) {
  static constexpr std::string_view kHead = "last message repeated ";
  if (!starts_with(body, kHead)) return false;
  int64_t v = 0;
  const size_t d = detail::digit_run(body, kHead.size(), v);
  if (d == 0 || d > 9 || v < 1 || !starts_with(body.substr(kHead.size() + d), " time")) return false;
  n = static_cast<uint32_t>(v);
  return true;
}

// "KEY: 'value'" inside an rsyslog debug line; false when absent.
bool debug_quoted(std::string_view line, std::string_view key, std::string_view& value) {
  size_t pos = 0;
  for (;;) {
    pos = line.find(key, pos);
    if (pos == std::string_view::npos) return false;
    // Whole key only ("HOSTNAME" must not match "FROMHOSTNAME").
    if (pos == 0 || line[pos - 1] == ' ' || line[pos - 1] == ',') break;
    pos += key.size();
  }
  pos += key.size();
  if (line.substr(pos, 3) != ": '") return false;
  pos += 3;
  const size_t close = line.find('\'', pos);
  if (close == std::string_view::npos) return false;
  value = line.substr(pos, close - pos);
  return true;
}

void clear_record(LogRecord& out) {
  out.line = 0;
  out.time_us = kUnknownTime;
  out.monotonic_us = -1;
  out.time_exact = false;
  out.time_zoned = false;
  out.host.clear();
  out.program.clear();
  out.pid = -1;
  out.priority = -1;
  out.body.clear();
  out.repeat = 1;
  out.format = LogFormat::kUnknown;
}

// Serves bytes already taken from a source (to sniff it), then the rest.
class ReplaySource final : public ByteSource {
 public:
  ReplaySource(std::unique_ptr<ByteSource> inner, std::string prefix)
      : ByteSource(inner->name()), inner_(std::move(inner)), prefix_(std::move(prefix)) {}

  [[nodiscard]] Result<size_t> read(char* buf, size_t cap) override {
    if (pos_ < prefix_.size()) {
      const size_t n = std::min(cap, prefix_.size() - pos_);
      std::memcpy(buf, prefix_.data() + pos_, n);
      pos_ += n;
      return n;
    }
    return inner_->read(buf, cap);
  }

 private:
  std::unique_ptr<ByteSource> inner_;
  std::string prefix_;
  size_t pos_ = 0;
};

// True when `bytes` (the start of an input) is journalctl -o export.
bool looks_like_export(std::string_view bytes) {
  if (starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  const size_t nl = bytes.find('\n');
  const std::string_view first = bytes.substr(0, nl);
  if (starts_with(first, "__CURSOR=")) return true;
  return is_field_line(first) && bytes.find("\n__REALTIME_TIMESTAMP=") != std::string_view::npos;
}

}  // namespace

LogFormat detect_log_format(const std::vector<std::string_view>& first_lines) {
  size_t first = 0;
  while (first < first_lines.size() && (is_blank(first_lines[first]) || is_journal_marker(first_lines[first]))) {
    ++first;
  }
  if (first == first_lines.size()) return LogFormat::kUnknown;
  const std::string_view head = first_lines[first];

  // Multi-line containers, by their first line.
  if (starts_with(head, "__CURSOR=")) return LogFormat::kJournalExport;
  if (is_field_line(head)) {
    for (std::string_view l : first_lines) {
      if (starts_with(l, "__REALTIME_TIMESTAMP=")) return LogFormat::kJournalExport;
    }
  }
  if (trim_right(head) == "{") return LogFormat::kJournalJsonPretty;
  if (starts_with(head, kDebugHeader)) return LogFormat::kRsyslogDebug;
  TimeFields t;
  if (!verbose_cursor(head, t).empty()) return LogFormat::kJournalVerbose;

  // Single-line formats, by majority.
  size_t counts[kLogFormatCount] = {};
  size_t total = 0;
  YearState years = YearState::fixed(2000);  // detection must not move the real one
  for (size_t i = first; i < first_lines.size(); ++i) {
    const std::string_view l = first_lines[i];
    // Indented lines continue a multi-line message (journalctl short);
    // they say nothing about the container.
    if (is_blank(l) || is_journal_marker(l) || l[0] == ' ' || l[0] == '\t') continue;
    ++total;
    LogLineView v;
    if (parse_syslog_line(l, v, years)) {
      ++counts[static_cast<size_t>(v.format)];
    } else if (!json_object_text(l).empty()) {
      ++counts[static_cast<size_t>(LogFormat::kJournalJson)];
    }
  }
  if (total == 0) return LogFormat::kUnknown;
  size_t best = 0;
  for (size_t f = 1; f < kLogFormatCount; ++f) {
    if (counts[f] > counts[best]) best = f;
  }
  if (counts[best] == 0 || counts[best] * 2 < total) return LogFormat::kSshdRaw;
  return static_cast<LogFormat>(best);
}

LogRecordReader::LogRecordReader(LineReader& lines, const LogReaderOptions& options)
    : options_(options), lines_(&lines) {}

LogRecordReader::LogRecordReader(std::unique_ptr<ByteSource> source, const LogReaderOptions& options,
                                 const LineReaderOptions& line_options)
    : options_(options), owned_source_(std::move(source)), line_options_(line_options) {}

LogRecordReader::~LogRecordReader() = default;

Result<Ok> LogRecordReader::start() {
  started_ = true;
  years_ = options_.defer_years ? YearState::deferred() : YearState::for_input(options_.year, options_.file_mtime);

  if (owned_source_ != nullptr) {
    std::string prefix;
    char buf[kSniffBytes];
    while (prefix.size() < kSniffBytes) {
      Result<size_t> n = owned_source_->read(buf, sizeof buf - prefix.size());
      // A source repeats its error on every later read (byte_source.h), so
      // the reader that takes over reports it after the bytes before it.
      if (!n.ok() || n.value() == 0) break;
      prefix.append(buf, n.value());
    }
    const bool exported = options_.format == LogFormat::kJournalExport ||
                          (options_.format == LogFormat::kUnknown && looks_like_export(prefix));
    if (exported) {
      if (starts_with(prefix, "\xEF\xBB\xBF")) prefix.erase(0, 3);  // as the line stage does
      export_ = std::make_unique<ExportByteReader>(std::move(owned_source_), std::move(prefix),
                                                   line_options_.max_line_bytes);
      format_ = LogFormat::kJournalExport;
      return Ok{};
    }
    owned_lines_ = std::make_unique<LineReader>(
        std::make_unique<ReplaySource>(std::move(owned_source_), std::move(prefix)), line_options_);
    lines_ = owned_lines_.get();
  }

  if (options_.format != LogFormat::kUnknown) {
    format_ = options_.format;
    return Ok{};
  }
  // Fill the lookahead with the sample; an error ends the sample and is
  // returned after the lines before it.
  size_t non_blank = 0;
  while (non_blank < options_.detect_lines && ahead_.size() < options_.detect_lines * 16) {
    Line line;
    Result<bool> got = lines_->next(line);
    if (!got.ok()) {
      pending_error_ = got.error();
      break;
    }
    if (!got.value()) break;
    if (!is_blank(line.text)) ++non_blank;
    ahead_.push_back(std::move(line));
  }
  std::vector<std::string_view> sample;
  sample.reserve(ahead_.size());
  for (const Line& l : ahead_) sample.push_back(l.text);
  format_ = detect_log_format(sample);
  return Ok{};
}

// Lines move between `out`, the lookahead and spare_ by swapping, so their
// string buffers are reused instead of freed and reallocated per line.
Result<bool> LogRecordReader::fetch(Line& out) {
  if (!ahead_.empty()) {
    std::swap(out, ahead_.front());
    spare_ = std::move(ahead_.front());
    ahead_.pop_front();
    return true;
  }
  if (pending_error_.has_value()) {
    Error e = std::move(*pending_error_);
    pending_error_.reset();
    return e;
  }
  return lines_->next(out);
}

const Line* LogRecordReader::peek() {
  if (!ahead_.empty()) return &ahead_.front();
  if (pending_error_.has_value() || lines_ == nullptr) return nullptr;
  Result<bool> got = lines_->next(spare_);
  if (!got.ok()) {
    pending_error_ = got.error();
    return nullptr;
  }
  if (!got.value()) return nullptr;
  ahead_.push_back(std::move(spare_));
  return &ahead_.front();
}

Result<bool> LogRecordReader::next(LogRecord& out) {
  if (finished_) return false;
  if (!started_) {
    Result<Ok> ok = start();
    if (!ok.ok()) {
      finished_ = true;
      return ok.error();
    }
  }
  Result<bool> got = export_ != nullptr ? next_from_export_bytes(out) : next_from_lines(out);
  if (!got.ok() || !got.value()) finished_ = true;
  return got;
}

Result<bool> LogRecordReader::next_from_export_bytes(LogRecord& out) {
  ExportByteReader::EntryInfo info;
  Result<bool> got = export_->next(entry_, info);
  if (!got.ok() || !got.value()) return got;
  stats_.binary_fields += info.binary_fields;
  clear_record(out);
  if (info.malformed) ++stats_.damaged_entries;
  if (info.malformed && !entry_.has_message()) {
    out.format = LogFormat::kUnknown;
  } else {
    finish_entry(out, LogFormat::kJournalExport);
  }
  out.line = info.first_line;
  count(out);
  return true;
}

Result<bool> LogRecordReader::next_from_lines(LogRecord& out) {
  for (;;) {
    Result<bool> got = fetch(line_);
    if (!got.ok() || !got.value()) return got;
    const std::string_view text = line_.text;
    if (is_blank(text) || is_journal_marker(text)) {
      ++stats_.skipped_lines;
      continue;
    }
    clear_record(out);
    out.line = line_.number;
    switch (format_) {
      case LogFormat::kJournalJsonPretty:
        if (trim_right(text) == "{") {
          read_json_pretty(line_, out);
          count(out);
          return true;
        }
        break;
      case LogFormat::kJournalVerbose: {
        TimeFields t;
        if (!verbose_cursor(text, t).empty()) {
          read_verbose(line_, out);
          count(out);
          return true;
        }
        break;
      }
      case LogFormat::kRsyslogDebug:
        if (starts_with(text, kDebugHeader)) {
          read_rsyslog_debug(line_, out);
          count(out);
          return true;
        }
        break;
      case LogFormat::kJournalExport:
        if (is_field_line(text) || detail::is_export_field_name(text)) {
          read_export_lines(line_, out);
          count(out);
          return true;
        }
        break;
      default:
        break;
    }
    read_single(line_, out);
    count(out);
    return true;
  }
}

void LogRecordReader::read_single(Line& line, LogRecord& out) {
  const std::string_view text = line.text;
  LogLineView v;
  if (parse_syslog_line(text, v, years_)) {
    out.format = v.format;
    out.time_us = v.time_us;
    out.monotonic_us = v.monotonic_us;
    out.time_exact = v.time_exact;
    out.time_zoned = v.time_zoned;
    out.host.assign(v.host);
    out.program.assign(v.program);
    out.pid = v.pid;
    out.priority = v.priority;
    out.body.assign(v.body);
    out.repeat = v.repeat;
    if (v.consumed < text.size()) {
      // More frames on this line (forwarded syslog without terminators):
      // the rest is read next, as if it were a line of its own.
      Line rest;
      rest.file_index = line.file_index;
      rest.number = line.number;
      rest.offset = line.offset + v.consumed;
      rest.flags = line.flags;
      std::string_view tail = text.substr(v.consumed);
      while (!tail.empty() && tail.front() == ' ') tail.remove_prefix(1);
      rest.text.assign(tail);
      unfetch(std::move(rest));
    }
    uint32_t n = 0;
    if (v.program.empty() && have_last_ && last_message_repeated(v.body, n)) {
      // sysklogd names no program: the repeated message is the previous one.
      out.program = last_program_;
      out.pid = last_pid_;
      out.body = last_body_;
      out.repeat = n;
    }
    // journalctl indents the continuation lines of a multi-line message to
    // the message column; nothing else writes 16+ leading spaces.
    if ((v.format == LogFormat::kJournalShort || v.format == LogFormat::kSyslog3164) && v.body_offset >= 16) {
      const size_t col = v.body_offset;
      for (;;) {
        const Line* next = peek();
        if (next == nullptr || next->text.size() <= col ||
            next->text.find_first_not_of(' ') < col || out.body.size() >= options_.max_record_bytes) {
          break;
        }
        Line cont;
        if (!fetch(cont).ok()) break;
        out.body += '\n';
        out.body.append(std::string_view(cont.text).substr(col));
        ++stats_.continuation_lines;
      }
    }
    if (!out.program.empty()) {
      last_host_ = out.host;
      last_program_ = out.program;
      last_body_ = out.body;
      last_pid_ = out.pid;
      have_last_ = true;
    }
    return;
  }
  const std::string_view json = json_object_text(text);
  if (!json.empty()) {
    if (json_.parse(json, entry_)) {
      stats_.binary_fields += json_.binary_fields();
      finish_entry(out, LogFormat::kJournalJson);
    } else {
      set_unknown(line, text, out);
    }
    return;
  }
  if (format_ == LogFormat::kSshdRaw || format_ == LogFormat::kJournalCat) {
    out.format = format_;
    out.body.assign(text);
    return;
  }
  set_unknown(line, text, out);
}

void LogRecordReader::read_json_pretty(Line& first, LogRecord& out) {
  scratch_.assign(first.text);
  bool closed = false;
  bool too_long = false;
  for (;;) {
    const Line* next = peek();
    if (next == nullptr) break;
    const std::string_view t = trim_right(next->text);
    if (t == "{") break;  // the next object: this one never closed
    const bool last = t == "}";  // decided before fetch() moves the line
    Line& l = part_;
    if (!fetch(l).ok()) break;
    ++stats_.continuation_lines;
    if (scratch_.size() + l.text.size() < options_.max_record_bytes) {
      scratch_ += '\n';
      scratch_ += l.text;
    } else {
      too_long = true;
    }
    if (last) {
      closed = true;
      break;
    }
  }
  if (closed && !too_long && json_.parse(scratch_, entry_)) {
    stats_.binary_fields += json_.binary_fields();
    finish_entry(out, LogFormat::kJournalJsonPretty);
    return;
  }
  set_unknown(first, scratch_, out);
}

void LogRecordReader::read_verbose(Line& first, LogRecord& out) {
  TimeFields header_time;
  const std::string_view cursor = verbose_cursor(first.text, header_time);
  entry_.clear();
  entry_.add("__CURSOR", cursor);
  std::string name;
  bool have_field = false;
  auto flush = [&]() {
    if (have_field) entry_.add(name, scratch_);
    have_field = false;
  };
  for (;;) {
    const Line* next = peek();
    if (next == nullptr || !starts_with(next->text, "    ")) break;
    Line& l = part_;
    if (!fetch(l).ok()) break;
    ++stats_.continuation_lines;
    const std::string_view field = std::string_view(l.text).substr(4);
    const size_t eq = field.find('=');
    if (eq != std::string_view::npos && detail::is_export_field_name(field.substr(0, eq))) {
      flush();
      name.assign(field.substr(0, eq));
      scratch_.assign(field.substr(eq + 1));
      have_field = true;
    } else if (have_field && scratch_.size() < options_.max_record_bytes) {
      // A multi-line value continues indented past "    NAME=".
      const size_t indent = 4 + name.size() + 1;
      std::string_view rest = l.text;
      const size_t lead = rest.find_first_not_of(' ');
      rest.remove_prefix(std::min(indent, lead == std::string_view::npos ? rest.size() : lead));
      scratch_ += '\n';
      scratch_.append(rest);
    }
  }
  flush();
  finish_entry(out, LogFormat::kJournalVerbose);
  if (out.time_us == kUnknownTime) {
    const ResolvedTime rt = resolve_time(header_time, years_);
    out.time_us = rt.time_us;
    out.time_exact = rt.exact;
    out.time_zoned = rt.zoned;
  }
}

void LogRecordReader::read_rsyslog_debug(Line& first, LogRecord& out) {
  std::string host, program, procid, timestamp;
  bool have_msg = false;
  int pri = -1;
  scratch_.clear();
  for (size_t n = 0; n < kMaxDebugBlockLines; ++n) {
    const Line* next = peek();
    if (next == nullptr || starts_with(next->text, kDebugHeader)) break;
    Line& l = part_;
    if (!fetch(l).ok()) break;
    ++stats_.continuation_lines;
    const std::string_view t = l.text;
    std::string_view value;
    if (starts_with(t, "msg: '")) {
      std::string_view msg = t.substr(6);
      if (!msg.empty() && msg.back() == '\'') msg.remove_suffix(1);
      scratch_.assign(msg);
      have_msg = true;
      continue;
    }
    if (starts_with(t, "escaped msg:") || starts_with(t, "inputname:") || starts_with(t, "$")) continue;
    if (debug_quoted(t, "HOSTNAME", value)) host.assign(value);
    if (debug_quoted(t, "programname", value)) program.assign(value);
    if (debug_quoted(t, "PROCID", value)) procid.assign(value);
    if (debug_quoted(t, "TIMESTAMP", value)) timestamp.assign(value);
    const size_t p = t.find("PRI: ");
    if (p != std::string_view::npos && (p == 0 || t[p - 1] == ' ')) {
      int64_t v = 0;
      if (detail::digit_run(t, p + 5, v) > 0 && v <= 191) pri = static_cast<int>(v);
    }
  }
  if (!have_msg) {
    set_unknown(first, first.text, out);
    return;
  }
  out.format = LogFormat::kRsyslogDebug;
  out.host = host;
  out.program = program;
  int64_t pid = -1;
  if (!procid.empty() && detail::digit_run(procid, 0, pid) == procid.size()) out.pid = pid;
  out.priority = static_cast<int16_t>(pri);
  TimeFields tf;
  ZoneStyle zone;
  if (detail::scan_bsd_time(timestamp, tf) != 0 || detail::scan_iso_time(timestamp, tf, zone) != 0) {
    const ResolvedTime rt = resolve_time(tf, years_);
    out.time_us = rt.time_us;
    out.time_exact = rt.exact;
    out.time_zoned = rt.zoned;
  }
  // rsyslog's msg property keeps the space after "tag:".
  std::string_view body = scratch_;
  if (!body.empty() && body.front() == ' ') body.remove_prefix(1);
  unwrap_rsyslog_repeat(body, out.repeat);
  out.body.assign(body);
}

void LogRecordReader::read_export_lines(Line& first, LogRecord& out) {
  const uint64_t first_number = first.number;
  const bool cursor_led = starts_with(first.text, "__CURSOR=");
  entry_.clear();
  bool damaged = false;
  std::string name;
  Line current = std::move(first);
  for (;;) {
    const std::string_view text = current.text;
    if (is_field_line(text)) {
      const size_t eq = text.find('=');
      entry_.add(text.substr(0, eq), text.substr(eq + 1));
    } else if (detail::is_export_field_name(text)) {
      // A binary field, reassembled from cleaned lines (journal_export.h
      // says why this is best effort). The first piece is always taken: it
      // starts with the length. Then a line that looks like a field ends
      // the value; an empty line is the value's own '\n' while the length
      // read so far says the value is not complete, unless the next entry
      // ("__CURSOR=") or the end follows it.
      name.assign(text);
      scratch_.clear();
      bool first_piece = true;
      for (;;) {
        const Line* next = peek();
        if (next == nullptr) break;
        if (!first_piece) {
          if (is_field_line(next->text) || detail::is_export_field_name(next->text)) break;
          if (next->text.empty()) {
            Line blank;
            if (!fetch(blank).ok()) break;
            const Line* after = peek();
            const bool next_entry = after == nullptr || starts_with(after->text, "__CURSOR=");
            unfetch(std::move(blank));
            if (next_entry) break;
            const std::string_view value = detail::strip_export_length(scratch_);
            const uint64_t length = detail::export_length_guess(scratch_);
            if (value.size() + 1 > length) break;
          }
        }
        Line piece;
        if (!fetch(piece).ok()) break;
        ++stats_.continuation_lines;
        if (!first_piece) scratch_ += '\n';
        if (scratch_.size() < options_.max_record_bytes) scratch_ += piece.text;
        first_piece = false;
      }
      entry_.add(name, detail::strip_export_length(scratch_), true);
      ++stats_.binary_fields;
    } else {
      damaged = true;
    }
    const Line* next = peek();
    if (next == nullptr) break;
    if (next->text.empty()) {
      // journalctl starts every entry with __CURSOR; an empty line followed
      // by another field of a cursor-led entry is debris from a binary
      // value, not the end of the entry.
      Line blank;
      (void)fetch(blank);
      ++stats_.skipped_lines;
      const Line* after = peek();
      if (!cursor_led || after == nullptr || starts_with(after->text, "__CURSOR=") ||
          !(is_field_line(after->text) || detail::is_export_field_name(after->text))) {
        break;
      }
      damaged = true;
    }
    Line l;
    if (!fetch(l).ok()) break;
    ++stats_.continuation_lines;
    current = std::move(l);
  }
  if (damaged) ++stats_.damaged_entries;
  if (entry_.empty() || (damaged && !entry_.has_message())) {
    set_unknown(current, current.text, out);
    out.line = first_number;
    return;
  }
  finish_entry(out, LogFormat::kJournalExport);
  out.line = first_number;
}

void LogRecordReader::unfetch(Line&& line) { ahead_.push_front(std::move(line)); }

void LogRecordReader::finish_entry(LogRecord& out, LogFormat format) {
  if (entry_.finish(out, redactor_)) ++stats_.redacted_values;
  out.format = format;
  out.repeat = 1;
}

void LogRecordReader::set_unknown(const Line& line, std::string_view text, LogRecord& out) {
  clear_record(out);
  out.line = line.number;
  out.body.assign(text);
}

void LogRecordReader::count(const LogRecord& out) {
  ++stats_.records;
  ++stats_.by_format[static_cast<size_t>(out.format)];
  if (out.format == LogFormat::kUnknown) ++stats_.unparsed;
  stats_.year_wraps = years_.wraps();
}

}  // namespace sshlogwhy
