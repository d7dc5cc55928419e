#include "pipeline/server_stream.h"

#include "logs/log_record_reader.h"
#include "logs/syslog_prefix.h"
#include "verdicts/server_rules.h"

namespace sshlogwhy {
namespace {

// sshd's severity prefixes are part of the body in syslog mode; patterns
// accept them, this only notes the debug level.
uint8_t debug_level(std::string_view body) {
  if (body.size() > 7 && body.substr(0, 5) == "debug" && body[5] >= '1' && body[5] <= '3' && body[6] == ':') {
    return static_cast<uint8_t>(body[5] - '0');
  }
  return 0;
}

// The text shown as evidence for a server event: enough of the record to
// find it again in the log.
std::string evidence_text(const LogRecord& r) {
  std::string out;
  if (!r.program.empty()) {
    out += r.program;
    if (r.pid >= 0) out += "[" + std::to_string(r.pid) + "]";
    out += ": ";
  }
  out += r.body;
  return out;
}

}  // namespace

bool ServerFilter::accepts(const ServerConnection& c) const {
  if (!user.empty() && c.user != user) return false;
  if (!from.empty() && c.source_ip != from) return false;
  if (since_us != INT64_MIN && c.end_us != INT64_MIN && c.end_us < since_us) return false;
  if (until_us != INT64_MAX && c.start_us != INT64_MIN && c.start_us > until_us) return false;
  return true;
}

Result<ServerStreamStats> stream_server_log(std::unique_ptr<ByteSource> source, uint32_t file_index,
                                            const PatternDb& db, const ServerStreamOptions& options,
                                            ServerSummary& summary, const ServerSink& sink) {
  ServerStreamStats stats;
  const FamilyMatcher& matcher = db.matcher("sshd");

  ServerConnectionBuilder builder([&](ServerConnection&& c) {
    if (!options.filter.accepts(c)) return;
    Diagnosis d = diagnose_server(c);
    summary.add(c, d);
    sink(std::move(c), std::move(d));
  });

  LogReaderOptions reader_options;
  reader_options.year = options.year;
  reader_options.file_mtime = options.file_mtime;
  LogRecordReader reader(std::move(source), reader_options);
  LogRecord record;
  PatternMatch match;
  while (true) {
    Result<bool> more = reader.next(record);
    if (!more.ok()) {
      builder.finish();
      return more.error();
    }
    if (!more.value()) break;
    ++stats.lines;
    if (options.progress && (stats.lines & 0xFFFF) == 0 && reader.line_stats() != nullptr) {
      options.progress(reader.line_stats()->bytes);
    }
    bool sshd = record.format == LogFormat::kSshdRaw || record.format == LogFormat::kJournalCat ||
                is_sshd_program(record.program);
    if (!sshd) {
      ++stats.other_programs;
      continue;
    }
    ++stats.sshd_lines;
    if (!matcher.match(record.body, match)) {
      ++stats.unmatched;
      summary.add_unmatched(record.body);
      continue;
    }
    ++stats.matched;
    ServerEvent se;
    se.event.kind = match.pattern->event;
    se.event.pattern = match.pattern;
    se.event.file_index = file_index;
    se.event.line_number = record.line;
    se.event.level = debug_level(record.body);
    se.event.text = evidence_text(record);
    for (const auto& [name, value] : match.captures) se.event.fields.emplace_back(std::string(name), std::string(value));
    se.meta.time_us = record.time_us;
    se.meta.host = record.host;
    se.meta.program = record.program;
    se.meta.pid = record.pid;
    se.meta.time_zoned = record.time_zoned;
    // rsyslog's "message repeated N times": N identical events.
    for (uint32_t i = 1; i < record.repeat; ++i) builder.add(se);
    builder.add(std::move(se));
  }
  builder.finish();
  stats.format = log_format_name(reader.format());
  return stats;
}

}  // namespace sshlogwhy
