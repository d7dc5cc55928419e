// Verdict rules for one sshd connection, and the choice of which connection
// answers "why did the login fail?" in a server log.
//
// Like the client rules, they are an ordered table: the most specific server
// evidence first (sshd names the cause in so many words: "bad ownership or
// modes", "not allowed because", "Invalid user"), then what the sequence of
// attempts implies, then what the log level hides (at LogLevel INFO a
// refused key leaves only "Connection closed by authenticating user").
#pragma once

#include <string_view>
#include <vector>

#include "conversations/server_connection.h"
#include "verdicts/verdict.h"

namespace sshlogwhy {

struct ServerRule {
  std::string_view name;
  std::string_view description;
  bool (*apply)(const ServerConnection& c, Diagnosis& out);
};

const std::vector<ServerRule>& server_rules();

Diagnosis diagnose_server(const ServerConnection& c);

// True for verdicts that say little about a login problem (a probe, or a
// connection the log cannot explain): when choosing which failed connection
// to report, informative ones win.
bool is_uninformative(std::string_view verdict_id);

}  // namespace sshlogwhy
