#include "verdicts/server_summary.h"

#include <algorithm>
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
  // One definition everywhere: a success is a login sshd accepted whose
  // session also started; a probe never tried to log in; every other
  // connection failed (including those whose log ends without a close).
  bool ok = id == "success";
  bool probe = id == "scanner_probe" || c.outcome == ServerOutcome::kClosedPreauth ||
               c.outcome == ServerOutcome::kBannerError || c.outcome == ServerOutcome::kNegotiationFailed;
  bool failed = !ok && !probe;
  if (ok) ++successes;
  if (failed) ++failures;
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
  // Connections are handed over when they end, not when they start; keep
  // start times (capped) so the order can be restored in finish().
  constexpr size_t kMaxTimes = 100000;
  if (failed) {
    ++s.failures;
    if (s.failure_starts.size() < kMaxTimes) s.failure_starts.emplace_back(c.start_us, c.file_index, c.first_line);
    if (!c.user.empty() && (s.users.size() < options_.max_users_per_source || s.users.count(c.user))) ++s.users[c.user];
  }
  if (ok) {
    ++s.successes;
    if (s.success_starts.size() < 1000) s.success_starts.emplace_back(c.start_us, c.user, c.file_index, c.first_line);
  }
}

void ServerSummary::finish() {
  for (auto& [ip, s] : sources) {
    if (s.success_starts.empty() || s.failure_starts.empty()) continue;
    std::sort(s.failure_starts.begin(), s.failure_starts.end());
    std::sort(s.success_starts.begin(), s.success_starts.end(), [](const auto& a, const auto& b) {
      return std::make_tuple(std::get<0>(a), std::get<2>(a), std::get<3>(a)) <
             std::make_tuple(std::get<0>(b), std::get<2>(b), std::get<3>(b));
    });
    for (const auto& [t, user, file, line] : s.success_starts) {
      uint64_t before = static_cast<uint64_t>(
          std::lower_bound(s.failure_starts.begin(), s.failure_starts.end(), std::make_tuple(t, file, line)) -
          s.failure_starts.begin());
      if (before >= options_.success_after_min_failures) {
        s.success_after_failures = true;
        s.failures_before_success = before;
        s.success_us = t;
        s.success_user = user;
        s.success_file = file;
        s.success_line = line;
        break;
      }
    }
  }
}

void ServerSummary::add_unmatched(std::string_view body) {
  ++unmatched;
  std::string shape = message_shape(body);
  for (size_t i = 0; i < unmatched_shapes_.size(); ++i) {
    if (unmatched_shapes_[i] == shape) {
      ++unmatched_examples[i].second;
      return;
    }
  }
  if (unmatched_examples.size() < options_.max_unmatched_examples) {
    unmatched_examples.emplace_back(std::string(body), 1);
    unmatched_shapes_.push_back(std::move(shape));
  }
}

}  // namespace sshlogwhy
