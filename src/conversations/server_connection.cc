#include "conversations/server_connection.h"

namespace sshlogwhy {

const char* server_outcome_name(ServerOutcome o) {
  switch (o) {
    case ServerOutcome::kUnknown: return "unknown";
    case ServerOutcome::kAuthenticated: return "authenticated";
    case ServerOutcome::kFailed: return "failed";
    case ServerOutcome::kClosedPreauth: return "closed_before_auth";
    case ServerOutcome::kNegotiationFailed: return "negotiation_failed";
    case ServerOutcome::kBannerError: return "banner_error";
    case ServerOutcome::kTimedOut: return "timed_out";
    case ServerOutcome::kDropped: return "dropped";
  }
  return "unknown";
}

const Event* ServerConnection::first(EventKind kind) const {
  for (const ServerEvent& e : events) {
    if (e.event.kind == kind) return &e.event;
  }
  return nullptr;
}

const Event* ServerConnection::last(EventKind kind) const {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->event.kind == kind) return &it->event;
  }
  return nullptr;
}

int ServerConnection::count(std::string_view result, std::string_view method_prefix) const {
  int n = 0;
  for (const ServerAuthAttempt& a : attempts) {
    if (a.result == result && std::string_view(a.method).substr(0, method_prefix.size()) == method_prefix) ++n;
  }
  return n;
}

}  // namespace sshlogwhy
