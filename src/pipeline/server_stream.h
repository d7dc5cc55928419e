// The server-log pipeline, streaming:
//
//   ByteSource -> LogRecordReader (logs/) -> sshd patterns (events/)
//     -> ServerConnectionBuilder (conversations/) -> diagnose_server
//     (verdicts/) -> the caller's sink, and a ServerSummary
//
// Nothing here keeps the input: each finished connection is diagnosed and
// passed on, so memory follows the open connections, not the file size.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "base/result.h"
#include "conversations/server_builder.h"
#include "events/pattern_db.h"
#include "input/byte_source.h"
#include "verdicts/server_summary.h"
#include "verdicts/verdict.h"

namespace sshlogwhy {

// Which connections the caller wants (empty = any).
struct ServerFilter {
  std::string user;
  std::string from;                 // client address
  int64_t since_us = INT64_MIN;     // connection ended at or after
  int64_t until_us = INT64_MAX;     // connection started at or before

  bool accepts(const ServerConnection& c) const;
};

struct ServerStreamOptions {
  int year = 0;              // for year-less timestamps; 0 = from the file's mtime
  int64_t file_mtime = 0;    // seconds; 0 = unknown (then: the current year)
  ServerFilter filter;
  // Called every few thousand records with the bytes read so far
  // (decompressed); the CLI draws a progress line from it on a terminal.
  std::function<void(uint64_t bytes)> progress;
  // Workers for the record stage (reading, parsing, matching); 1 reads
  // sequentially. The result is the same for any count
  // (tests/cli/threads.sh): chunks are cut at line ends and their results
  // taken in input order (server_stream.cc).
  size_t threads = 1;
  size_t chunk_bytes = 1 << 20;  // bytes per chunk; inputs smaller than one chunk are read sequentially
};

struct ServerStreamStats {
  uint64_t lines = 0;       // records read (all programs)
  uint64_t sshd_lines = 0;  // records from sshd / sshd-session / sshd-auth (or raw sshd output)
  uint64_t matched = 0;
  uint64_t unmatched = 0;   // sshd records no pattern knew (see ServerSummary examples)
  uint64_t other_programs = 0;
  std::string format;       // log_format_name of the input
};

// Receives each finished connection that passes the filter, with its
// diagnosis. The connection may be moved from.
using ServerSink = std::function<void(ServerConnection&&, Diagnosis&&)>;

// Streams one input. `file_index` labels the events; `summary` gets every
// connection that passes the filter.
Result<ServerStreamStats> stream_server_log(std::unique_ptr<ByteSource> source, uint32_t file_index,
                                            const PatternDb& db, const ServerStreamOptions& options,
                                            ServerSummary& summary, const ServerSink& sink);

}  // namespace sshlogwhy
