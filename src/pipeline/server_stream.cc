#include "pipeline/server_stream.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <deque>
#include <future>
#include <optional>

#include "input/memory_source.h"
#include "input/replay_source.h"
#include "input/shared_bytes_source.h"
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
void evidence_text(const LogRecord& r, std::string& out) {
  out.clear();
  out.reserve(r.program.size() + r.body.size() + 24);  // one allocation per event
  if (!r.program.empty()) {
    out += r.program;
    if (r.pid >= 0) {
      char digits[24];
      auto [end, ec] = std::to_chars(digits, digits + sizeof digits, r.pid);
      out += '[';
      out.append(digits, static_cast<size_t>(end - digits));
      out += ']';
    }
    out += ": ";
  }
  out += r.body;
}

// ---------------------------------------------------------------------------
// The record stage, shared by the sequential and the parallel paths so both
// make exactly the same events.
// ---------------------------------------------------------------------------

enum class RecordKind : uint8_t { kOtherProgram, kUnmatched, kEvent };

RecordKind record_stage(const LogRecord& record, const FamilyMatcher& matcher, uint32_t file_index,
                        PatternMatch& match, ServerEvent& se) {
  bool sshd = record.format == LogFormat::kSshdRaw || record.format == LogFormat::kJournalCat ||
              is_sshd_program(record.program);
  if (!sshd) return RecordKind::kOtherProgram;
  if (!matcher.match(record.body, match)) return RecordKind::kUnmatched;
  se = ServerEvent{};
  se.event.kind = match.pattern->event;
  se.event.pattern = match.pattern;
  se.event.file_index = file_index;
  se.event.line_number = record.line;
  se.event.level = debug_level(record.body);
  evidence_text(record, se.event.text);
  for (const auto& [name, value] : match.captures) se.event.fields.add(name, value);
  se.meta.time_us = record.time_us;
  se.meta.host = record.host;
  se.meta.program = record.program;
  se.meta.pid = record.pid;
  se.meta.time_zoned = record.time_zoned;
  return RecordKind::kEvent;
}

void count(RecordKind kind, ServerStreamStats& stats) {
  ++stats.lines;
  if (kind == RecordKind::kOtherProgram) {
    ++stats.other_programs;
    return;
  }
  ++stats.sshd_lines;
  if (kind == RecordKind::kUnmatched) ++stats.unmatched;
  else ++stats.matched;
}

// The consumer side: the builder that turns events into connections, and
// the summary that hears about every connection and unmatched line.
struct Consumer {
  Consumer(const ServerStreamOptions& options, ServerSummary& summary, const ServerSink& sink)
      : builder([&options, &summary, &sink](ServerConnection&& c) {
          if (!options.filter.accepts(c)) return;
          Diagnosis d = diagnose_server(c);
          summary.add(c, d);
          sink(std::move(c), std::move(d));
        }),
        summary(summary) {}

  void event(ServerEvent&& se, uint32_t repeat) {
    // rsyslog's "message repeated N times": N identical events.
    for (uint32_t i = 1; i < repeat; ++i) builder.add(se);
    builder.add(std::move(se));
  }
  void unmatched(std::string_view body) { summary.add_unmatched(body); }

  ServerConnectionBuilder builder;
  ServerSummary& summary;
};

Result<ServerStreamStats> stream_sequential(std::unique_ptr<ByteSource> source, uint32_t file_index,
                                            const FamilyMatcher& matcher, const ServerStreamOptions& options,
                                            Consumer& consumer) {
  ServerStreamStats stats;
  LogReaderOptions reader_options;
  reader_options.year = options.year;
  reader_options.file_mtime = options.file_mtime;
  LogRecordReader reader(std::move(source), reader_options);
  LogRecord record;
  PatternMatch match;
  ServerEvent se;
  while (true) {
    Result<bool> more = reader.next(record);
    if (!more.ok()) {
      consumer.builder.finish();
      return more.error();
    }
    if (!more.value()) break;
    if (options.progress && ((stats.lines + 1) & 0xFFFF) == 0 && reader.line_stats() != nullptr) {
      options.progress(reader.line_stats()->bytes);
    }
    RecordKind kind = record_stage(record, matcher, file_index, match, se);
    count(kind, stats);
    if (kind == RecordKind::kUnmatched) consumer.unmatched(record.body);
    if (kind == RecordKind::kEvent) consumer.event(std::move(se), record.repeat);
  }
  consumer.builder.finish();
  stats.format = log_format_name(reader.format());
  return stats;
}

// ---------------------------------------------------------------------------
// The parallel path (issue 5, --threads). The input is cut at line ends into
// chunks; workers run the record stage on them; the consumer takes their
// results in input order, so the builder sees exactly the sequence the
// sequential path gives it. What a chunk cannot know about the bytes before
// it is settled by the consumer:
//  - line numbers: each chunk counts from 1; the consumer adds the lines of
//    the chunks before;
//  - years of year-less timestamps: workers read with a deferred YearState
//    and report the months they saw; the consumer asks its own YearState,
//    which has seen every chunk before, and moves each time to its year;
//  - the container format: detected once on the input's start and forced
//    on every chunk (only formats whose records are single lines are cut);
//  - private key redaction, which has state across lines: a chunk that ends
//    inside key material (rare) makes the consumer drop the chunks after it
//    and read on from that chunk's start sequentially.
// ---------------------------------------------------------------------------

struct ChunkItem {
  RecordKind kind = RecordKind::kEvent;
  uint32_t repeat = 1;
  uint32_t run = 0;         // index into ChunkResult::runs, when deferred
  uint8_t month = 0, day = 0;
  bool deferred = false;    // time_us uses YearState::kDeferredYear
  ServerEvent se;           // kEvent
  std::string body;         // kUnmatched
};

struct ChunkResult {
  std::vector<ChunkItem> items;
  std::vector<uint8_t> runs;  // months, one per run (YearState::runs())
  ServerStreamStats stats;
  uint64_t newlines = 0;
  bool ended_in_key_material = false;
  std::optional<Error> error;  // line relative to the chunk
};

bool cuttable(LogFormat f) {
  switch (f) {
    case LogFormat::kSyslog3164:
    case LogFormat::kSyslogRfc3339:
    case LogFormat::kSyslog5424:
    case LogFormat::kJournalJson:
    case LogFormat::kSshdRaw:
    case LogFormat::kSshdWindows:
      return true;
    default:
      // Multi-line records (json-pretty, export, verbose, rsyslog debug,
      // journalctl short's folded continuation lines), and anything new
      // until it is known to be line-local.
      return false;
  }
}

// Reads `source` (a chunk, or the rest of the input) as the piece of a
// larger input it is, running the record stage; calls on_item(item, runs)
// per sshd record, with the month runs seen so far.
template <typename OnItem>
void read_piece(std::unique_ptr<ByteSource> source, LogFormat format, uint32_t file_index,
                const FamilyMatcher& matcher, ChunkResult& out, OnItem&& on_item) {
  LogReaderOptions reader_options;
  reader_options.format = format;
  reader_options.defer_years = true;
  LineReaderOptions line_options;
  line_options.reject_binary = false;  // sniffed on the input's start, as sequentially
  line_options.input_start = false;
  line_options.file_index = file_index;
  LogRecordReader reader(std::move(source), reader_options, line_options);
  LogRecord record;
  PatternMatch match;
  ChunkItem item;
  while (true) {
    Result<bool> more = reader.next(record);
    if (!more.ok()) {
      out.error = more.error();
      break;
    }
    if (!more.value()) break;
    RecordKind kind = record_stage(record, matcher, file_index, match, item.se);
    count(kind, out.stats);
    if (kind == RecordKind::kOtherProgram) continue;
    item.kind = kind;
    item.repeat = record.repeat;
    item.deferred = !record.time_exact && record.time_us != kUnknownTime;
    if (item.deferred) {
      const YearState& years = reader.years();
      item.run = static_cast<uint32_t>(years.runs().size() - 1);
      item.month = static_cast<uint8_t>(years.last_month_asked());
      item.day = static_cast<uint8_t>(years.last_day_asked());
    }
    if (kind == RecordKind::kUnmatched) item.body = record.body;
    on_item(std::move(item), reader.years().runs());
    item = ChunkItem{};
  }
  out.runs = reader.years().runs();
  out.ended_in_key_material = reader.ended_in_key_material();
}

ChunkResult read_chunk(const std::string& name, std::shared_ptr<const std::string> bytes, LogFormat format,
                       uint32_t file_index, const FamilyMatcher& matcher) {
  ChunkResult out;
  out.newlines = static_cast<uint64_t>(std::count(bytes->begin(), bytes->end(), '\n'));
  read_piece(std::make_unique<SharedBytesSource>(name, std::move(bytes)), format, file_index, matcher, out,
             [&out](ChunkItem&& item, const std::vector<uint8_t>&) { out.items.push_back(std::move(item)); });
  return out;
}

void add_stats(ServerStreamStats& total, const ServerStreamStats& part) {
  total.lines += part.lines;
  total.sshd_lines += part.sshd_lines;
  total.matched += part.matched;
  total.unmatched += part.unmatched;
  total.other_programs += part.other_programs;
}

// Settles what the chunk could not know and hands its items to the consumer.
class InOrder {
 public:
  // The state the sequential reader would start with (the same function).
  InOrder(const ServerStreamOptions& options, Consumer& consumer)
      : consumer_(consumer), years_(YearState::for_input(options.year, options.file_mtime)) {}

  // For the runs of a piece, as they become known.
  void settle_runs(const std::vector<uint8_t>& runs) {
    while (run_years_.size() < runs.size()) run_years_.push_back(years_.year_for(runs[run_years_.size()]));
  }

  void take(ChunkItem&& item) {
    if (item.kind == RecordKind::kUnmatched) {
      consumer_.unmatched(item.body);
      return;
    }
    item.se.event.line_number += line_base_;
    if (item.deferred) {
      item.se.meta.time_us = resolve_deferred_year(item.se.meta.time_us, run_years_[item.run], item.month, item.day);
    }
    consumer_.event(std::move(item.se), item.repeat);
  }

  void start_piece() { run_years_.clear(); }
  void end_piece(uint64_t newlines) { line_base_ += newlines; }
  uint64_t line_base() const { return line_base_; }

 private:
  Consumer& consumer_;
  YearState years_;
  std::vector<int> run_years_;
  uint64_t line_base_ = 0;
};

Error shifted(Error e, uint64_t base) {
  if (e.line != 0) e.line += base;
  return e;
}

// The read-ahead of the parallel path: whole lines of the input, in chunks.
class Chunker {
 public:
  Chunker(ByteSource& source, size_t chunk_bytes) : source_(source), chunk_bytes_(chunk_bytes) {}

  // The next chunk (complete lines, or the input's last bytes); false at
  // the end or when the source failed (then failed() is true: the caller
  // reads on sequentially, which reports the error where it belongs).
  bool next(std::string& chunk) {
    chunk.swap(carry_);
    carry_.clear();
    while (!done_ && chunk.size() < chunk_bytes_) fill(chunk);
    // A line longer than a chunk: read on until it ends.
    while (!done_ && chunk.find('\n') == std::string::npos) {
      fill(chunk);
    }
    if (failed_) {
      carry_ = std::move(chunk);  // handed back with the failing source
      chunk.clear();
      return false;
    }
    if (!done_) {
      size_t cut = chunk.rfind('\n');
      carry_.assign(chunk, cut + 1, std::string::npos);
      chunk.resize(cut + 1);
    }
    return !chunk.empty();
  }
  bool failed() const { return failed_; }
  // True when the whole input has been returned.
  bool exhausted() const { return done_ && carry_.empty(); }
  std::string take_carry() { return std::move(carry_); }

 private:
  void fill(std::string& chunk) {
    const size_t want = std::clamp<size_t>(chunk_bytes_ > chunk.size() ? chunk_bytes_ - chunk.size() : 0, 4096, 1 << 20);
    size_t old = chunk.size();
    chunk.resize(old + want);
    Result<size_t> n = source_.read(chunk.data() + old, want);
    if (!n.ok()) {
      chunk.resize(old);
      done_ = failed_ = true;
      return;
    }
    chunk.resize(old + n.value());
    if (n.value() == 0) done_ = true;
  }

  ByteSource& source_;
  size_t chunk_bytes_;
  std::string carry_;
  bool done_ = false;
  bool failed_ = false;
};

// The container format of an input, from its start (what the sequential
// reader would detect).
LogFormat detect_on_head(const std::string& name, const std::string& head) {
  LogRecordReader reader(std::make_unique<MemorySource>(name, head));
  LogRecord record;
  (void)reader.next(record);
  return reader.format();
}

Result<ServerStreamStats> stream_parallel(std::unique_ptr<ByteSource> source, uint32_t file_index,
                                          const FamilyMatcher& matcher, const ServerStreamOptions& options,
                                          Consumer& consumer) {
  const std::string name = source->name();
  Chunker chunker(*source, options.chunk_bytes);
  std::string first;
  bool have_first = chunker.next(first);
  // Too small to be worth cutting, or not cuttable: the sequential path
  // reads it (from the bytes already read, then the rest of the source).
  LogFormat format = have_first ? detect_on_head(name, first.substr(0, 256 << 10)) : LogFormat::kUnknown;
  if (!have_first || chunker.failed() || !cuttable(format) || chunker.exhausted()) {
    std::string head = std::move(first) + chunker.take_carry();
    return stream_sequential(std::make_unique<ReplaySource>(std::move(head), std::move(source)), file_index, matcher,
                             options, consumer);
  }

  ServerStreamStats stats;
  stats.format = log_format_name(format);
  InOrder in_order(options, consumer);
  struct InFlight {
    std::shared_ptr<const std::string> bytes;  // kept until consumed, for a sequential re-read
    std::future<ChunkResult> result;
  };
  std::deque<InFlight> flight;
  auto launch = [&](std::string&& bytes) {
    InFlight f;
    f.bytes = std::make_shared<const std::string>(std::move(bytes));
    f.result = std::async(std::launch::async, read_chunk, std::cref(name), f.bytes, format, file_index,
                          std::cref(matcher));
    flight.push_back(std::move(f));
  };
  launch(std::move(first));
  uint64_t bytes_done = 0;
  bool more = true;
  std::optional<std::string> tail;
  while (!flight.empty()) {
    while (more && flight.size() < options.threads) {
      std::string chunk;
      more = chunker.next(chunk);
      if (more) launch(std::move(chunk));
    }
    InFlight front = std::move(flight.front());
    flight.pop_front();
    ChunkResult r = front.result.get();
    if (r.ended_in_key_material || r.error.has_value()) {
      // Read from this chunk's start on, in one piece: its key material
      // goes on into the next chunk, or its error (which only the whole
      // input's reader numbers right) must end the input.
      std::string rest = *front.bytes;
      for (InFlight& f : flight) {
        f.result.wait();
        rest += *f.bytes;
      }
      flight.clear();
      more = false;
      tail = std::move(rest);
      break;
    }
    in_order.start_piece();
    in_order.settle_runs(r.runs);
    for (ChunkItem& item : r.items) in_order.take(std::move(item));
    in_order.end_piece(r.newlines);
    add_stats(stats, r.stats);
    bytes_done += front.bytes->size();
    if (options.progress) options.progress(bytes_done);
  }
  if (tail.has_value() || chunker.failed()) {
    // The rest of the input as one piece: the bytes read ahead, then the
    // source (which repeats its error, if it failed, after them).
    std::string rest = tail.has_value() ? std::move(*tail) : std::string();
    rest += chunker.take_carry();
    ChunkResult piece;
    in_order.start_piece();
    read_piece(std::make_unique<ReplaySource>(std::move(rest), std::move(source)), format, file_index, matcher, piece,
               [&](ChunkItem&& item, const std::vector<uint8_t>& runs) {
                 in_order.settle_runs(runs);
                 in_order.take(std::move(item));
               });
    add_stats(stats, piece.stats);
    if (piece.error.has_value()) {
      consumer.builder.finish();
      return shifted(std::move(*piece.error), in_order.line_base());
    }
  }
  consumer.builder.finish();
  return stats;
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
  const FamilyMatcher& matcher = db.matcher("sshd");
  Consumer consumer(options, summary, sink);
  if (options.threads <= 1) return stream_sequential(std::move(source), file_index, matcher, options, consumer);
  return stream_parallel(std::move(source), file_index, matcher, options, consumer);
}

}  // namespace sshlogwhy
