// One client connection as sshd logged it.
//
// sshd logs a connection from up to three processes (the monitor, the
// pre-auth child relayed with "[preauth]", and the post-auth child with its
// own pid; 9.8+ also names them sshd-session / sshd-auth, and the listener
// logs timeouts and drops about a connection's pid). ServerConnection is the
// joined view: who connected from where, as whom, what they tried and how it
// ended. Events are owned here, so a finished connection can outlive the
// records it came from (scan mode drops records as it goes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/event.h"

namespace sshlogwhy {

// Where an event came from in a server log.
struct RecordMeta {
  int64_t time_us = INT64_MIN;  // INT64_MIN: unknown
  std::string host;             // the logging host ("" for sshd -E files)
  std::string program;          // sshd, sshd-session, sshd-auth
  int64_t pid = -1;
  bool time_zoned = false;      // time_us is true UTC (else the log's local wall time)
};

struct ServerEvent {
  Event event;
  RecordMeta meta;
};

enum class ServerOutcome : uint8_t {
  kUnknown,          // the log ends (or was cut) before the connection did
  kAuthenticated,    // logged in
  kFailed,           // authentication failed and the connection closed
  kClosedPreauth,    // closed before any authentication attempt
  kNegotiationFailed,
  kBannerError,      // no or invalid SSH banner from the client
  kTimedOut,         // LoginGraceTime expired
  kDropped,          // MaxStartups / PerSourcePenalties / tcp wrappers
};

const char* server_outcome_name(ServerOutcome o);

struct ServerAuthAttempt {
  std::string method;   // publickey, password, keyboard-interactive/pam ...
  std::string result;   // accepted, failed, partial, postponed
  std::string key_type, fingerprint;
  size_t event_index = SIZE_MAX;  // into ServerConnection::events
};

struct ServerConnection {
  uint64_t id = 0;             // order of first appearance in the input
  uint32_t file_index = 0;
  uint64_t first_line = 0, last_line = 0;
  std::string host, program;
  int64_t pid = -1;                 // the monitor's pid (the first seen)
  std::vector<int64_t> other_pids;  // post-auth child, ...
  int64_t start_us = INT64_MIN, end_us = INT64_MIN;
  bool time_zoned = false;  // start/end are UTC; else the log's local time, zone unknown

  std::string source_ip, source_port, server_ip, server_port;
  std::string user;
  bool invalid_user = false;
  std::string sshd_version;

  std::vector<ServerAuthAttempt> attempts;
  bool verbose_seen = false;  // a VERBOSE-only line was seen (LogLevel >= VERBOSE)
  bool debug_seen = false;    // debugN: lines were seen
  std::string disconnect_code, disconnect_reason;
  ServerOutcome outcome = ServerOutcome::kUnknown;
  bool closed = false;        // a closing line was seen

  std::vector<ServerEvent> events;

  const Event* first(EventKind kind) const;
  const Event* last(EventKind kind) const;
  bool has(EventKind kind) const { return first(kind) != nullptr; }
  int count(std::string_view result, std::string_view method_prefix = {}) const;
};

}  // namespace sshlogwhy
