// Verdict rules for client conversations (OpenSSH and PuTTY).
//
// Rules are a table, read in order; the first rule that recognises the
// conversation gives the verdict and its ranked alternatives. Order is the
// order in which a connection fails: the configuration, the name, TCP, the
// banner, the algorithms, the host key, the client's own keys, then what the
// server said about the user. A later problem cannot be the cause when an
// earlier one stopped the connection.
#pragma once

#include <string_view>
#include <vector>

#include "conversations/client_conversation.h"
#include "verdicts/verdict.h"

namespace sshlogwhy {

struct ClientRule {
  std::string_view name;         // stable rule name, shown by --verbose
  std::string_view description;  // one line, for documentation
  // Fills `out` and returns true when the rule applies.
  bool (*apply)(const ClientConversation& c, Diagnosis& out);
};

// The ordered rule table.
const std::vector<ClientRule>& client_rules();

// Runs the table on one conversation; always returns a diagnosis (the last
// rule is `insufficient_evidence`).
Diagnosis diagnose_client(const ClientConversation& c);

// The diagnosis of a whole trace: per conversation, and the one verdict
// that answers the user (a failing jump host wins over its target; the last
// attempt wins over earlier ones). `conversation_index` says whose it is.
struct TraceDiagnosis {
  std::vector<Diagnosis> per_conversation;
  Diagnosis overall;
  size_t conversation_index = 0;
};

TraceDiagnosis diagnose_trace(const std::vector<ClientConversation>& convs);

}  // namespace sshlogwhy
