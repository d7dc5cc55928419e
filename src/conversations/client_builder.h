// Events of a client trace -> one ClientConversation per attempt and hop.
//
// Most traces hold one conversation. Two things make more:
//  * ProxyJump / ProxyCommand: the jump host's own `ssh -v` writes into the
//    same stderr, interleaved, with no tag. A second client version line
//    after "Executing proxy command" opens the jump hop; after that each
//    event goes to the innermost hop that can still take it (a hop that is
//    already authenticated cannot receive another "Authenticating to ...";
//    a hop that ended takes nothing), so the interleaving sorts itself out
//    by phase. The target keeps hop 0, the jump before it hop 1, and so on.
//  * Several attempts pasted one after another: a new client version line
//    when no proxy is pending starts a new, independent conversation.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "conversations/client_conversation.h"
#include "events/event.h"

namespace sshlogwhy {

// `events` (one input's events, in line order) must outlive the result:
// conversations point into it. `client` is "openssh" or "putty".
std::vector<ClientConversation> build_client_conversations(std::span<const Event> events, const char* client);

// The target named in a ProxyJump/ProxyCommand line (`-W '[host]:port'`):
// fills `host` and `port`, or leaves them alone when the command names none
// or only the template ("[%h]:%p"). The builder uses it for a target whose
// own trace never named its host.
void target_from_proxy(const std::string& command, std::string& host, std::string& port);

// The phase a kind of event belongs to (Phase::kStart for kinds that may
// appear anywhere).
Phase phase_of(EventKind kind);

}  // namespace sshlogwhy
