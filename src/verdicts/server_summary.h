// The server-wide picture `sshlogwhy scan` reports: connections by outcome
// and verdict, who tried which users from where, brute-force sources,
// successes that followed many failures, and everything sshd said that no
// pattern knew (counted with examples, never silently dropped).
//
// Memory grows with the number of distinct sources and users, not with the
// log: per-connection detail is consumed as connections are emitted.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "conversations/server_connection.h"
#include "verdicts/verdict.h"

namespace sshlogwhy {

struct SourceStats {
  uint64_t connections = 0, failures = 0, successes = 0, failed_attempts = 0;
  uint64_t invalid_user_attempts = 0, preauth_timeouts = 0, probes = 0;
  std::map<std::string, uint64_t> users;  // user -> failed connections (capped)
  int64_t first_us = INT64_MIN, last_us = INT64_MIN;
  // Start times of failed connections and of successes (capped), so that
  // "success after failures" counts only failures that came before the
  // success, whatever order connections ended in.
  // (time, file, line): files without timestamps (sshd -E) still order by
  // their position.
  std::vector<std::tuple<int64_t, uint32_t, uint64_t>> failure_starts;
  std::vector<std::tuple<int64_t, std::string, uint32_t, uint64_t>> success_starts;  // time, user, file, line
  uint64_t failures_before_success = 0;
  bool success_after_failures = false;
  int64_t success_us = INT64_MIN;
  std::string success_user;
  uint64_t success_line = 0;
  uint32_t success_file = 0;
};

struct ServerSummaryOptions {
  uint64_t brute_force_min_failures = 10;      // failed connections from one source
  uint64_t success_after_min_failures = 5;     // failures before a success that is flagged
  size_t max_users_per_source = 50;
  size_t max_unmatched_examples = 20;  // shapes reported (the most frequent)
  size_t max_unmatched_shapes = 2000;  // distinct shapes counted; later new shapes go to unmatched_other
};

// One shape of unmatched sshd line: the masked text, the first line seen in
// that shape, and how many lines had it.
struct UnmatchedShape {
  std::string shape;
  std::string example;
  uint64_t count = 0;
};

class ServerSummary {
 public:
  explicit ServerSummary(ServerSummaryOptions options = {}) : options_(options) {}

  // One finished connection and its diagnosis.
  void add(const ServerConnection& c, const Diagnosis& d);
  // A line from sshd that no pattern recognised.
  void add_unmatched(std::string_view body);
  // Call once after the last connection: decides success_after_failures.
  void finish();

  // connections == successes + failures + probes (see add()).
  uint64_t connections = 0, successes = 0, failures = 0, probes = 0;
  std::map<std::string, uint64_t> by_verdict;
  std::map<std::string, uint64_t> failed_by_verdict;  // the failed connections only
  std::map<std::string, uint64_t> probe_by_verdict;   // the probes only (never tried to log in)
  // Every connection with a time had a zoned (UTC) one; then report times end in Z.
  bool time_zoned = false;
  std::map<std::string, uint64_t> by_outcome;
  std::map<std::string, uint64_t> users_failed;   // user -> failed connections
  std::map<std::string, uint64_t> users_ok;
  std::map<std::string, SourceStats> sources;
  uint64_t unmatched = 0;
  int64_t first_us = INT64_MIN, last_us = INT64_MIN;

  // The most frequent shapes of unmatched lines (at most
  // max_unmatched_examples), count descending, then first seen first.
  std::vector<UnmatchedShape> unmatched_examples() const;
  // Unmatched lines not covered by unmatched_examples().
  uint64_t unmatched_other() const;

  // Success-after-failures sources, worst first: failures before the
  // success (descending), then invalid-user connections (descending), then
  // address.
  std::vector<std::pair<std::string, const SourceStats*>> success_after_failures() const;

  const ServerSummaryOptions& options() const { return options_; }

 private:
  ServerSummaryOptions options_;
  // Distinct shapes in first-seen order (bounded by max_unmatched_shapes),
  // and where each shape is in that list.
  std::vector<UnmatchedShape> shapes_;
  std::unordered_map<std::string, size_t> shape_index_;
  uint64_t unmatched_untracked_ = 0;  // lines of shapes seen after the cap
  bool saw_time_ = false, saw_local_time_ = false;
};

// Replaces the variable parts of an unmatched message with placeholders:
// user names (after "user", "for", "by"), addresses (<ip>), ports and other
// numbers (N), long hex strings and fingerprints (<hex>), quoted names
// ('<name>'), so repeats of one shape count as one example.
std::string message_shape(std::string_view body);

}  // namespace sshlogwhy
