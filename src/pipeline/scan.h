// `sshlogwhy scan`: many server logs (rotated, compressed), one server-wide
// summary, every connection rebuilt and judged, streaming.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "events/pattern_db.h"
#include "pipeline/server_stream.h"
#include "verdicts/server_summary.h"

namespace sshlogwhy {

struct ScanInput {
  std::string name;
  std::string format;  // log format seen ("syslog-3164", ...)
  uint64_t lines = 0, sshd_lines = 0, unmatched = 0;
};

struct ScanResult {
  ServerSummary summary;
  std::vector<ScanInput> inputs;
  uint64_t lines = 0, sshd_lines = 0, unmatched = 0, other_programs = 0;
  std::vector<std::string> warnings;
};

// Rotated logs oldest first: auth.log.3.gz, auth.log.2.gz, auth.log.1,
// auth.log (same base name, higher rotation number = older). Other names
// keep their order; "-" stays where it is.
std::vector<std::string> order_rotated(const std::vector<std::string>& paths);

// Streams every input in order. `sink` sees each connection that passes the
// filter (for --format ndjson); it may be empty. An input that is not an
// sshd log is reported in warnings and skipped; an unreadable or corrupt one
// is an Error (after the inputs before it were read).
Result<ScanResult> scan(const std::vector<std::string>& paths, const PatternDb& db, const ServerStreamOptions& options,
                        const ServerSink& sink);

}  // namespace sshlogwhy
