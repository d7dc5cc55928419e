#include "pipeline/diagnose.h"

#include "conversations/client_builder.h"
#include "events/client_events.h"
#include "events/putty_events.h"
#include "events/pattern_loader.h"
#include "input/memory_source.h"
#include "input/open_input.h"
#include "lines/line_reader.h"
#include "pipeline/source_detect.h"
#include "verdicts/client_rules.h"

namespace sshlogwhy {
namespace {

// input + lines: every line of one input into memory.
Result<InputFile> read_lines(std::unique_ptr<ByteSource> source, uint32_t file_index, const DiagnoseOptions& options) {
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
    if (in.bytes > options.max_input_bytes) {
      return Error{in.name, line.number,
                   "input is larger than " + std::to_string(options.max_input_bytes >> 20) +
                       " MiB; a client trace is never that big (for server logs use `sshlogwhy scan`)"};
    }
    in.lines.push_back(std::move(line));
    line = Line{};
  }
  const LineStats& stats = reader.stats();
  in.redacted_key_blocks = stats.redacted_key_blocks;
  in.truncated_lines = stats.truncated_lines;
  return in;
}

Result<Analysis> finish(Analysis a, const PatternDb& db, const DiagnoseOptions& options) {
  // detect + events, per input.
  std::vector<std::vector<Event>> per_input(a.inputs.size());
  size_t total = 0;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    InputFile& in = a.inputs[i];
    in.kind = options.format == TraceFormat::kOpenssh ? SourceKind::kOpensshClient
              : options.format == TraceFormat::kPutty ? SourceKind::kPutty
                                                      : detect_source(in.lines, db);
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

  // build, per input: each file is its own trace.
  std::vector<std::string> unrecognised;
  for (size_t i = 0; i < a.inputs.size(); ++i) {
    InputFile& in = a.inputs[i];
    if (in.kind == SourceKind::kSshdLog) {
      a.warnings.push_back(in.name + ": this is an sshd server log. This version diagnoses client traces "
                           "(ssh -v, PuTTY/plink); server logs are read by a later version, so this file was not used.");
      continue;
    }
    if (in.kind == SourceKind::kUnknown || ranges[i].first == ranges[i].second) {
      unrecognised.push_back(in.name);
      continue;
    }
    std::vector<ClientConversation> convs = build_client_conversations(
        std::span<const Event>(a.events->data() + ranges[i].first, ranges[i].second - ranges[i].first), in.kind == SourceKind::kPutty ? "putty" : "openssh");
    for (ClientConversation& c : convs) a.conversations.push_back(std::move(c));
  }

  if (a.conversations.empty()) {
    std::string names;
    for (const InputFile& in : a.inputs) names += (names.empty() ? "" : ", ") + in.name;
    bool all_empty = true;
    for (const InputFile& in : a.inputs) all_empty = all_empty && in.lines.empty();
    bool any_sshd = false;
    for (const InputFile& in : a.inputs) any_sshd = any_sshd || in.kind == SourceKind::kSshdLog;
    if (any_sshd) {
      return Error{names, 0,
                   "only sshd server logs were given; this version diagnoses client traces "
                   "(`ssh -vvv user@host 2>&1 | sshlogwhy`, or a PuTTY/plink log)"};
    }
    return Error{names, 0,
                 all_empty ? std::string("empty input: no SSH client trace, sshd log or PuTTY log found")
                           : std::string("no SSH client trace, sshd log or PuTTY log found (capture one with "
                                         "`ssh -vvv user@host 2>&1 | tee trace.txt`)")};
  }
  for (const std::string& name : unrecognised) {
    a.warnings.push_back(name + ": no SSH client trace, sshd log or PuTTY log found in this input; it was not used.");
  }

  a.diagnosis = diagnose_trace(a.conversations);
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
    Result<InputFile> in = read_lines(std::move(source.value()), static_cast<uint32_t>(i), options);
    if (!in.ok()) return in.error();
    a.inputs.push_back(std::move(in.value()));
  }
  return finish(std::move(a), db, options);
}

Result<Analysis> diagnose_text(const std::string& name, std::string_view text, const PatternDb& db,
                               const DiagnoseOptions& options) {
  Analysis a;
  Result<InputFile> in = read_lines(std::make_unique<MemorySource>(name, std::string(text)), 0, options);
  if (!in.ok()) return in.error();
  a.inputs.push_back(std::move(in.value()));
  return finish(std::move(a), db, options);
}

}  // namespace sshlogwhy
