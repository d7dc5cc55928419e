#include "verdicts/server_summary.h"

#include <cctype>

namespace sshlogwhy {

std::string message_shape(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size();) {
    unsigned char ch = static_cast<unsigned char>(body[i]);
    if (std::isdigit(ch)) {
      // A run of digits, dots, colons and hex letters after a digit: a
      // number, an address or a port.
      while (i < body.size() && (std::isxdigit(static_cast<unsigned char>(body[i])) || body[i] == '.' || body[i] == ':')) ++i;
      out += 'N';
      continue;
    }
    out += static_cast<char>(ch);
    ++i;
    if (out.size() > 160) {
      out += "...";
      break;
    }
  }
  return out;
}

void ServerSummary::add(const ServerConnection& c, const Diagnosis& d) {
  ++connections;
  const std::string& id = d.verdict.id;
  ++by_verdict[id];
  ++by_outcome[server_outcome_name(c.outcome)];
  bool ok = c.outcome == ServerOutcome::kAuthenticated;
  bool probe = id == "scanner_probe" || c.outcome == ServerOutcome::kClosedPreauth ||
               c.outcome == ServerOutcome::kBannerError || c.outcome == ServerOutcome::kNegotiationFailed;
  bool failed = !ok && !probe && c.outcome != ServerOutcome::kUnknown;
  if (ok) ++successes;
  if (failed || c.outcome == ServerOutcome::kTimedOut) ++failures;
  if (c.start_us != INT64_MIN && (first_us == INT64_MIN || c.start_us < first_us)) first_us = c.start_us;
  if (c.end_us != INT64_MIN && (last_us == INT64_MIN || c.end_us > last_us)) last_us = c.end_us;
  if (!c.user.empty()) ++(ok ? users_ok : users_failed)[c.user];

  if (c.source_ip.empty()) return;
  SourceStats& s = sources[c.source_ip];
  ++s.connections;
  if (c.start_us != INT64_MIN && (s.first_us == INT64_MIN || c.start_us < s.first_us)) s.first_us = c.start_us;
  if (c.end_us != INT64_MIN && (s.last_us == INT64_MIN || c.end_us > s.last_us)) s.last_us = c.end_us;
  if (probe) ++s.probes;
  if (c.outcome == ServerOutcome::kTimedOut) ++s.preauth_timeouts;
  for (const ServerAuthAttempt& a : c.attempts) {
    if (a.result == "failed") ++s.failed_attempts;
  }
  if (c.invalid_user) ++s.invalid_user_attempts;
  if (failed || c.outcome == ServerOutcome::kTimedOut) {
    ++s.failures;
    ++s.failures_before_success;
    if (!c.user.empty() && (s.users.size() < options_.max_users_per_source || s.users.count(c.user))) ++s.users[c.user];
  }
  if (ok) {
    ++s.successes;
    if (!s.success_after_failures && s.failures_before_success >= options_.success_after_min_failures) {
      s.success_after_failures = true;
      s.success_us = c.start_us;
      s.success_user = c.user;
      s.success_file = c.file_index;
      s.success_line = c.first_line;
    }
    if (!s.success_after_failures) s.failures_before_success = 0;
  }
}

void ServerSummary::add_unmatched(std::string_view body) {
  ++unmatched;
  std::string shape = message_shape(body);
  for (auto& [example, count] : unmatched_examples) {
    if (message_shape(example) == shape) {
      ++count;
      return;
    }
  }
  if (unmatched_examples.size() < options_.max_unmatched_examples) unmatched_examples.emplace_back(std::string(body), 1);
}

}  // namespace sshlogwhy
