// One answer from a client trace and a server log of the same attempt.
//
// The client sees symptoms ("Permission denied (publickey)"); the server
// often names the cause ("bad ownership or modes for directory ..."). When
// both are given, the server connection that matches the client's attempt
// (user, key fingerprint, server port, outcome) is found, and the server's
// verdict replaces the client's wherever the client could only guess.
#pragma once

#include <cstdint>
#include <vector>

#include "conversations/client_conversation.h"
#include "conversations/server_connection.h"
#include "verdicts/verdict.h"

namespace sshlogwhy {

struct ServerCandidate {
  const ServerConnection* connection;
  const Diagnosis* diagnosis;
};

// Index of the server connection that best matches the client's attempt,
// or -1 when none matches well enough (the user or a key fingerprint must agree).
int64_t match_server_connection(const ClientConversation& client, const std::vector<ServerCandidate>& server);

// The joint diagnosis of a matched pair.
Diagnosis join_diagnoses(const Diagnosis& client, const ClientConversation& client_conversation,
                         const Diagnosis& server, const ServerConnection& server_connection);

// From server connections alone: the most recent informative failure, else
// the most recent failure, else the most recent connection. -1 when empty.
int64_t pick_server_answer(const std::vector<ServerCandidate>& server);

}  // namespace sshlogwhy
