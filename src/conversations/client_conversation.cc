#include "conversations/client_conversation.h"

namespace sshlogwhy {

const char* key_result_name(KeyResult r) {
  switch (r) {
    case KeyResult::kFound: return "found";
    case KeyResult::kNotFound: return "not_found";
    case KeyResult::kMissing: return "missing";
    case KeyResult::kLoadFailed: return "load_failed";
    case KeyResult::kSkipped: return "skipped";
    case KeyResult::kWillAttempt: return "not_offered";
    case KeyResult::kOffered: return "offered";
    case KeyResult::kRefused: return "refused";
    case KeyResult::kAccepted: return "accepted";
    case KeyResult::kSignFailed: return "sign_failed";
  }
  return "unknown";
}

const char* known_hosts_name(KnownHosts k) {
  switch (k) {
    case KnownHosts::kNotSeen: return "not_seen";
    case KnownHosts::kKnown: return "known";
    case KnownHosts::kAdded: return "added";
    case KnownHosts::kChanged: return "changed";
    case KnownHosts::kUnknownStrict: return "unknown_strict";
    case KnownHosts::kPrompted: return "prompted";
    case KnownHosts::kFailed: return "verification_failed";
  }
  return "unknown";
}

const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::kUnknown: return "unknown";
    case Outcome::kAuthenticated: return "authenticated";
    case Outcome::kPermissionDenied: return "permission_denied";
    case Outcome::kDisconnected: return "disconnected";
    case Outcome::kConnectionClosed: return "connection_closed";
    case Outcome::kConnectFailed: return "connect_failed";
    case Outcome::kDnsFailed: return "dns_failed";
    case Outcome::kNegotiationFailed: return "negotiation_failed";
    case Outcome::kHostKeyRejected: return "host_key_rejected";
    case Outcome::kConfigError: return "config_error";
    case Outcome::kTimedOut: return "timed_out";
  }
  return "unknown";
}

const Event* ClientConversation::first(EventKind kind) const {
  for (const Event* e : events) {
    if (e->kind == kind) return e;
  }
  return nullptr;
}

const Event* ClientConversation::last(EventKind kind) const {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if ((*it)->kind == kind) return *it;
  }
  return nullptr;
}

std::vector<const Event*> ClientConversation::all(EventKind kind) const {
  std::vector<const Event*> out;
  for (const Event* e : events) {
    if (e->kind == kind) out.push_back(e);
  }
  return out;
}

}  // namespace sshlogwhy
