#include "pipeline/diagnose.h"

#include "conversations/client_builder.h"
#include "events/client_events.h"
#include "events/pattern_loader.h"
#include "events/putty_events.h"
#include "input/file_mtime.h"
#include "input/memory_source.h"
#include "input/open_input.h"
#include "input/replay_source.h"
#include "lines/line_reader.h"
#include "pipeline/source_detect.h"
#include "verdicts/client_rules.h"
#include "verdicts/joint.h"

namespace sshlogwhy {
namespace {

// Drops the oldest server connections beyond `keep`, counting them.
void keep_most_recent(Analysis& a, size_t keep) {
  if (a.server.size() <= keep) return;
  size_t drop = a.server.size() - keep;
  a.server.erase(a.server.begin(), a.server.begin() + static_cast<std::ptrdiff_t>(drop));
  a.server_connections_dropped += drop;
}

// How much of an input is looked at to tell what it is.
constexpr size_t kDetectBytes = 256 << 10;

// input + lines: every line of one client input into memory.
Result<InputFile> read_lines(std::unique_ptr<ByteSource> source, uint32_t file_index, uint64_t max_bytes) {
  InputFile in;
  in.name = source->name();
  LineReaderOptions reader_options;
  reader_options.file_index = file_index;
  LineReader reader(std::move(source), reader_options);
  Line line;
  while (true) {
    Result<bool> more = reader.next(line);
    if (!more.ok()) return more.error();
    if (!more.value()) break;
    line.file_index = file_index;
    in.bytes += line.text.size() + 1;
    if (in.bytes > max_bytes) {
      return Error{in.name, line.number,
                   "input is larger than " + std::to_string(max_bytes >> 20) +
                       " MiB; a client trace is never that big (for server logs use `sshlogwhy scan`)"};
    }
    in.lines.push_back(std::move(line));
    line = Line{};
  }
  const LineStats& stats = reader.stats();
  in.line_count = in.lines.size();
  in.redacted_key_blocks = stats.redacted_key_blocks;
  in.truncated_lines = stats.truncated_lines;
  return in;
}

// detect, then read: client inputs into lines, server logs streamed into
// connections.
Result<Ok> read_input(Analysis& a, std::unique_ptr<ByteSource> source, const std::string& path, uint32_t index,
                      const PatternDb& db, const DiagnoseOptions& options) {
  Result<std::string> head = read_head(*source, kDetectBytes);
  if (!head.ok()) return head.error();
  SourceKind kind = options.format == TraceFormat::kOpenssh ? SourceKind::kOpensshClient
                    : options.format == TraceFormat::kPutty ? SourceKind::kPutty
                                                            : SourceKind::kUnknown;
  if (kind == SourceKind::kUnknown) kind = detect_source_of_head(source->name(), head.value(), db);
  auto replay = std::make_unique<ReplaySource>(std::move(head.value()), std::move(source));

  if (kind != SourceKind::kSshdLog) {
    Result<InputFile> in = read_lines(std::move(replay), index, options.max_input_bytes);
    if (!in.ok()) return in.error();
    in.value().kind = kind;
    a.inputs.push_back(std::move(in.value()));
    return Ok{};
  }

  InputFile in;
  in.name = replay->name();
  in.kind = SourceKind::kSshdLog;
  ServerStreamOptions so = options.server;
  if (so.file_mtime == 0) so.file_mtime = file_mtime(path);
  Result<ServerStreamStats> stats = stream_server_log(
      std::move(replay), index, db, so, a.summary, [&](ServerConnection&& c, Diagnosis&& d) {
        // The most recent connections are the ones asked about ("why did
        // my login just fail"): beyond the cap the oldest go, in batches so
        // the vector is not shifted per connection.
        a.server.push_back(Analysis::ServerResult{std::move(c), std::move(d)});
        if (a.server.size() >= 2 * options.max_server_connections) keep_most_recent(a, options.max_server_connections);
      });
  if (!stats.ok()) return stats.error();
  in.matched_lines = stats.value().matched;
  in.unmatched_lines = stats.value().unmatched;
  in.line_count = stats.value().lines;
  a.server_lines += stats.value().lines;
  a.sshd_lines += stats.value().sshd_lines;
  a.sshd_unmatched += stats.value().unmatched;
  a.inputs.push_back(std::move(in));
  return Ok{};
}

// events + build + judge for the client inputs, then the answer.
Result<Analysis> finish(Analysis a, const PatternDb& db, const DiagnoseOptions& options) {
  (void)options;
  std::vector<std::vector<Event>> per_input(a.inputs.size());
  size_t total = 0;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    InputFile& in = a.inputs[i];
    if (in.kind == SourceKind::kOpensshClient || in.kind == SourceKind::kPutty) {
      EventExtraction ex = in.kind == SourceKind::kOpensshClient
                               ? extract_events(in.lines, db.matcher("openssh-client"), true)
                               : extract_putty_events(in.lines, db.matcher("putty"));
      in.matched_lines = ex.matched;
      in.unmatched_lines = ex.unmatched;
      per_input[i] = std::move(ex.events);
      total += per_input[i].size();
    }
    if (in.redacted_key_blocks > 0) {
      a.warnings.push_back(in.name + ": " + std::to_string(in.redacted_key_blocks) +
                           " private key block(s) found and ignored; they are never shown. If this text was shared "
                           "anywhere, treat that key as compromised and replace it.");
    }
    if (in.truncated_lines > 0) {
      a.warnings.push_back(in.name + ": " + std::to_string(in.truncated_lines) +
                           " over-long line(s) were cut to their first 64 KiB.");
    }
  }

  // All events in one vector that never reallocates after this point.
  a.events->reserve(total);
  std::vector<std::pair<size_t, size_t>> ranges(a.inputs.size());
  for (size_t i = 0; i < per_input.size(); ++i) {
    ranges[i].first = a.events->size();
    for (Event& e : per_input[i]) a.events->push_back(std::move(e));
    ranges[i].second = a.events->size();
  }

  std::vector<std::string> unrecognised;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    InputFile& in = a.inputs[i];
    if (in.kind == SourceKind::kSshdLog) continue;
    if (in.kind == SourceKind::kUnknown || ranges[i].first == ranges[i].second) {
      unrecognised.push_back(in.name);
      continue;
    }
    std::vector<ClientConversation> convs = build_client_conversations(
        std::span<const Event>(a.events->data() + ranges[i].first, ranges[i].second - ranges[i].first),
        in.kind == SourceKind::kPutty ? "putty" : "openssh");
    for (ClientConversation& c : convs) a.conversations.push_back(std::move(c));
  }

  if (a.conversations.empty() && a.server.empty()) {
    std::string names;
    for (const InputFile& in : a.inputs) names += (names.empty() ? "" : ", ") + in.name;
    bool all_empty = true;
    for (const InputFile& in : a.inputs) all_empty = all_empty && in.lines.empty() && in.kind != SourceKind::kSshdLog;
    bool any_sshd = false;
    for (const InputFile& in : a.inputs) any_sshd = any_sshd || in.kind == SourceKind::kSshdLog;
    const ServerFilter& f = options.server.filter;
    bool filtered = !f.user.empty() || !f.from.empty() || f.since_us != INT64_MIN || f.until_us != INT64_MAX;
    if (any_sshd && filtered) {
      return Error{names, 0, "the sshd log has no connection that matches the filters (--user, --from, --since, --until)"};
    }
    if (any_sshd && a.sshd_lines > 0) {
      // sshd was running and logging, and no client connection reached it:
      // that is itself the finding.
      a.answer.verdict.id = "insufficient_evidence";
      a.answer.verdict.confidence = Confidence::kMedium;
      a.answer.verdict.rule = "server.no_connections";
      a.answer.verdict.notes.push_back(
          "sshd logged " + std::to_string(a.sshd_lines) + " line(s) but no client connection: the connection never "
          "reached this sshd. Something in front of it refused or dropped it (TCP wrappers in /etc/hosts.deny, a "
          "firewall, fail2ban), or the client went to another host or port. The client's ssh -vvv output shows "
          "what it met.");
      a.answer.alternatives.push_back(Verdict{"connection_reset_before_banner", Confidence::kMedium, "alternative", {}, {}, {}});
      a.answer.alternatives.push_back(Verdict{"connection_timed_out", Confidence::kLow, "alternative", {}, {}, {}});
      a.answer_from = "server";
      return a;
    }
    if (any_sshd) return Error{names, 0, "no sshd lines and no SSH client trace or PuTTY log found"};
    return Error{names, 0,
                 all_empty ? std::string("empty input: no SSH client trace, sshd log or PuTTY log found")
                           : std::string("no SSH client trace, sshd log or PuTTY log found (capture one with "
                                         "`ssh -vvv user@host 2>&1 | tee trace.txt`)")};
  }
  for (const std::string& name : unrecognised) {
    a.warnings.push_back(name + ": no SSH client trace, sshd log or PuTTY log found in this input; it was not used.");
  }
  keep_most_recent(a, options.max_server_connections);
  if (a.server_connections_dropped > 0) {
    a.warnings.push_back("only the " + std::to_string(a.server.size()) + " most recent of " +
                         std::to_string(a.server.size() + a.server_connections_dropped) +
                         " server connections are kept for this report; `sshlogwhy scan` summarises all of them.");
  }

  a.summary.finish();

  // judge + join.
  std::vector<ServerCandidate> candidates;
  for (const Analysis::ServerResult& r : a.server) candidates.push_back(ServerCandidate{&r.connection, &r.diagnosis});
  if (!a.conversations.empty()) {
    a.diagnosis = diagnose_trace(a.conversations);
    a.answer = a.diagnosis.overall;
    a.answer_from = "client";
    const ClientConversation& cc = a.conversations[a.diagnosis.conversation_index];
    int64_t m = match_server_connection(cc, candidates);
    if (m >= 0) {
      a.answer = join_diagnoses(a.diagnosis.overall, cc, a.server[m].diagnosis, a.server[m].connection);
      a.answer_from = "client+server";
      a.answer_server = m;
    } else if (!a.server.empty()) {
      a.warnings.push_back("no connection in the server log matches the client's attempt (user, key fingerprint, "
                           "port); the verdict is from the client trace alone.");
    }
  } else {
    int64_t m = pick_server_answer(candidates);
    a.answer = a.server[m].diagnosis;
    a.answer_from = "server";
    a.answer_server = m;
  }
  return a;
}

}  // namespace

Result<std::unique_ptr<PatternDb>> load_pattern_db(const std::vector<std::string>& extra_dirs) {
  PatternLoad load = load_builtin_patterns();
  for (const std::string& dir : extra_dirs) {
    PatternLoad extra;
    load_pattern_dir(dir, extra);
    merge_patterns(load, std::move(extra));
  }
  if (!load.errors.empty()) {
    Error e = load.errors.front();
    if (load.errors.size() > 1) {
      e.message += " (and " + std::to_string(load.errors.size() - 1) + " more; run `sshlogwhy lint-patterns`)";
    }
    return e;
  }
  return std::make_unique<PatternDb>(std::move(load.patterns));
}

Result<Analysis> diagnose(const std::vector<std::string>& paths, const PatternDb& db, const DiagnoseOptions& options) {
  Analysis a;
  for (size_t i = 0; i < paths.size(); ++i) {
    Result<std::unique_ptr<ByteSource>> source = open_input(paths[i]);
    if (!source.ok()) return source.error();
    Result<Ok> r = read_input(a, std::move(source.value()), paths[i], static_cast<uint32_t>(i), db, options);
    if (!r.ok()) return r.error();
  }
  return finish(std::move(a), db, options);
}

Result<Analysis> diagnose_text(const std::string& name, std::string_view text, const PatternDb& db,
                               const DiagnoseOptions& options) {
  Analysis a;
  Result<Ok> r = read_input(a, std::make_unique<MemorySource>(name, std::string(text)), "-", 0, db, options);
  if (!r.ok()) return r.error();
  return finish(std::move(a), db, options);
}

}  // namespace sshlogwhy
