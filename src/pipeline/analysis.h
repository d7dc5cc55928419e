// The whole diagnosis of one run: what was read, what was rebuilt, what was
// concluded. Produced by diagnose() (pipeline/diagnose.h), consumed by the
// reports. Conversations and verdicts point into `events`, and events into
// the patterns of the PatternDb that was used, so an Analysis must not
// outlive that PatternDb and is not copyable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "conversations/client_conversation.h"
#include "events/event.h"
#include "lines/line.h"
#include "conversations/server_connection.h"
#include "verdicts/client_rules.h"
#include "verdicts/server_summary.h"

namespace sshlogwhy {

enum class SourceKind : uint8_t {
  kUnknown,        // nothing recognisable
  kOpensshClient,  // ssh -v/-vv/-vvv output, or just its final lines
  kPutty,          // PuTTY Event Log, session log, or plink -v output
  kSshdLog,        // an sshd server log (syslog, journald, sshd -E)
};

const char* source_kind_name(SourceKind k);

struct InputFile {
  std::string name;  // as given; "<stdin>" for -
  SourceKind kind = SourceKind::kUnknown;
  std::vector<Line> lines;   // client inputs only (server logs are streamed)
  uint64_t line_count = 0;   // lines (client) or records (server) read
  uint64_t bytes = 0;
  uint64_t redacted_key_blocks = 0;
  uint64_t truncated_lines = 0;
  uint64_t matched_lines = 0;
  uint64_t unmatched_lines = 0;  // non-empty lines no pattern knew
};

struct Analysis {
  Analysis() = default;
  Analysis(const Analysis&) = delete;
  Analysis& operator=(const Analysis&) = delete;
  Analysis(Analysis&&) = default;
  Analysis& operator=(Analysis&&) = default;

  std::vector<InputFile> inputs;
  // Events of all inputs; a unique_ptr so their addresses stay put when the
  // Analysis moves.
  std::unique_ptr<std::vector<Event>> events = std::make_unique<std::vector<Event>>();
  std::vector<ClientConversation> conversations;
  TraceDiagnosis diagnosis;  // of the client conversations

  // Server logs: the connections that passed the filters (most recent
  // last), each with its diagnosis, and the server-wide summary.
  struct ServerResult {
    ServerConnection connection;
    Diagnosis diagnosis;
  };
  std::vector<ServerResult> server;
  ServerSummary summary;
  uint64_t server_lines = 0, sshd_lines = 0, sshd_unmatched = 0;
  uint64_t server_connections_dropped = 0;  // beyond the diagnose-mode cap

  // The answer: from the client trace, from the server log, or both joined.
  Diagnosis answer;
  std::string answer_from;   // "client", "server" or "client+server"
  int64_t answer_server = -1;  // index into `server` when a server connection is part of the answer

  std::vector<std::string> warnings;  // shown on stderr by the CLI

  // The text of the line an event came from.
  std::string_view text_of(const Event& e) const {
    if (!e.text.empty() || inputs[e.file_index].lines.empty()) return e.text;
    return inputs[e.file_index].lines[e.line_index].text;
  }
};

}  // namespace sshlogwhy
