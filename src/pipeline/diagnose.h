// The diagnose pipeline, stage by stage:
//
//   input    open each file (or stdin), decompress by content
//   lines    split, clean, redact private keys                 (lines/)
//   detect   which program wrote it: ssh, PuTTY, sshd           (pipeline/source_detect)
//   events   match every line against its family's patterns     (events/)
//   build    rebuild each conversation (hop, attempt)           (conversations/)
//   judge    ordered rules -> verdict + alternatives            (verdicts/)
//   join     a client trace and a server log of the same attempt -> one answer
//
// Server logs take their own streaming path (pipeline/server_stream.h).
//
// The reports (reports/) turn the Analysis into text or JSON; the CLI prints
// them. Nothing here prints or throws.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "events/pattern_db.h"
#include "pipeline/analysis.h"
#include "pipeline/server_stream.h"

namespace sshlogwhy {

enum class TraceFormat : uint8_t { kAuto, kOpenssh, kPutty };

struct DiagnoseOptions {
  TraceFormat format = TraceFormat::kAuto;
  uint64_t max_input_bytes = 1ull << 30;  // per client input; diagnose mode keeps its lines in memory
  ServerStreamOptions server;             // year, filters for server logs
  size_t max_server_connections = 20000;  // kept for the report; `scan` has no such limit
};

// Loads the built-in patterns plus every file in `extra_dirs`. Any error in
// a pattern file is returned (the first one; lint-patterns lists them all).
Result<std::unique_ptr<PatternDb>> load_pattern_db(const std::vector<std::string>& extra_dirs);

// Reads and diagnoses `paths` ("-" = stdin). Errors: unreadable input,
// binary data, corrupt compressed data, or nothing recognisable at all.
Result<Analysis> diagnose(const std::vector<std::string>& paths, const PatternDb& db, const DiagnoseOptions& options);

// Same, for text already in memory (tests, fuzzing). `name` labels it.
Result<Analysis> diagnose_text(const std::string& name, std::string_view text, const PatternDb& db,
                               const DiagnoseOptions& options);

}  // namespace sshlogwhy
