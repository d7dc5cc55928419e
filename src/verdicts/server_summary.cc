#include "verdicts/server_summary.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace sshlogwhy {

namespace {

bool is_hex(char ch) { return std::isxdigit(static_cast<unsigned char>(ch)) != 0; }
bool is_digit(char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; }

// 192.0.2.1, 2001:db8::1, ::ffff:192.0.2.1 (with an optional %zone).
bool is_address(std::string_view t) {
  if (auto pct = t.find('%'); pct != std::string_view::npos) t = t.substr(0, pct);
  if (t.size() < 2) return false;
  size_t dots = 0, colons = 0, digits = 0;
  for (char ch : t) {
    if (ch == '.') ++dots;
    else if (ch == ':') ++colons;
    else if (is_digit(ch)) ++digits;
    else if (!is_hex(ch)) return false;
  }
  if (colons >= 2) return true;
  if (colons == 0 && dots == 3 && digits >= 4) {
    for (char ch : t) {
      if (ch != '.' && !is_digit(ch)) return false;
    }
    return true;
  }
  return false;
}

// A long run of hex digits (a key id, a session id) with at least one digit.
bool is_long_hex(std::string_view t) {
  if (t.size() < 8) return false;
  bool digit = false;
  for (char ch : t) {
    if (!is_hex(ch)) return false;
    digit = digit || is_digit(ch);
  }
  return digit;
}

std::string lower(std::string_view t) {
  std::string out(t);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

// Words after "user"/"for"/"by" that are not names.
bool is_keyword(const std::string& w) {
  static const char* const kWords[] = {"invalid", "illegal", "unknown", "user", "from", "port", "the", "a", "an",
                                       "session", "none", "host", "key", "environment", "name", "names",
                                       "account", "process", "is", "not", "has", "and", "or", "to"};
  for (const char* k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// Digits (and the hex letters, dots and colons after them) become one N.
void mask_numbers(std::string_view t, std::string& out) {
  for (size_t i = 0; i < t.size();) {
    if (is_digit(t[i])) {
      while (i < t.size() && (is_hex(t[i]) || t[i] == '.' || t[i] == ':')) ++i;
      out += 'N';
      continue;
    }
    out += t[i++];
  }
}

}  // namespace

std::string message_shape(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  std::string prev;  // the previous word, lower case, without punctuation
  size_t i = 0;
  while (i < body.size()) {
    if (body[i] == ' ') {
      out += ' ';
      ++i;
      continue;
    }
    size_t end = body.find(' ', i);
    if (end == std::string_view::npos) end = body.size();
    std::string_view tok = body.substr(i, end - i);
    i = end;
    // Punctuation around the word stays: "(", "[", "'" before, ",;)]'" after.
    size_t b = 0, e = tok.size();
    while (b < e && std::strchr("([<'\"", tok[b]) != nullptr) ++b;
    while (e > b && std::strchr(",;)]>'\"", tok[e - 1]) != nullptr) --e;
    // A trailing colon or dot ends a sentence unless the word is an address.
    std::string_view core = tok.substr(b, e - b);
    if (!core.empty() && (core.back() == ':' || core.back() == '.') && !is_address(core)) {
      --e;
      core = tok.substr(b, e - b);
    }
    bool quoted = b > 0 && (tok[b - 1] == '\'' || tok[b - 1] == '"');
    std::string word = lower(core);
    out.append(tok.substr(0, b));
    if (core.empty()) {
    } else if (is_address(core)) {
      out += "<ip>";
    } else if (is_long_hex(core)) {
      out += "<hex>";
    } else if (auto colon = core.find(':'); colon != std::string_view::npos && colon >= 3 &&
                                            (core.starts_with("SHA256:") || core.starts_with("MD5:"))) {
      out.append(core.substr(0, colon + 1));
      out += "<fingerprint>";
    } else if (!is_keyword(word) && !is_digit(core[0]) &&
               (prev == "user" || ((prev == "for" || prev == "by") && !quoted))) {
      out += "<user>";
    } else {
      mask_numbers(core, out);
    }
    out.append(tok.substr(e));
    prev = word;
    if (out.size() > 160) {
      out.resize(160);
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
  if (failed) {
    ++failures;
    ++failed_by_verdict[id];
  }
  if (probe) {
    ++probes;
    ++probe_by_verdict[id];
  }
  if (c.start_us != INT64_MIN || c.end_us != INT64_MIN) {
    saw_time_ = true;
    saw_local_time_ = saw_local_time_ || !c.time_zoned;
    time_zoned = !saw_local_time_;
  }
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
  auto it = shape_index_.find(shape);
  if (it != shape_index_.end()) {
    ++shapes_[it->second].count;
    return;
  }
  // Bounded: after max_unmatched_shapes distinct shapes, new ones are only
  // counted (a log of endless distinct shapes does not grow memory).
  if (shapes_.size() >= options_.max_unmatched_shapes) {
    ++unmatched_untracked_;
    return;
  }
  constexpr size_t kMaxExample = 1000;
  shape_index_.emplace(shape, shapes_.size());
  shapes_.push_back({std::move(shape), std::string(body.substr(0, kMaxExample)), 1});
}

std::vector<UnmatchedShape> ServerSummary::unmatched_examples() const {
  std::vector<const UnmatchedShape*> order;
  order.reserve(shapes_.size());
  for (const UnmatchedShape& u : shapes_) order.push_back(&u);
  // Stable: equal counts keep first-seen order.
  std::stable_sort(order.begin(), order.end(),
                   [](const UnmatchedShape* a, const UnmatchedShape* b) { return a->count > b->count; });
  std::vector<UnmatchedShape> out;
  for (size_t i = 0; i < order.size() && i < options_.max_unmatched_examples; ++i) out.push_back(*order[i]);
  return out;
}

uint64_t ServerSummary::unmatched_other() const {
  uint64_t shown = 0;
  for (const UnmatchedShape& u : unmatched_examples()) shown += u.count;
  return unmatched - shown;
}

std::vector<std::pair<std::string, const SourceStats*>> ServerSummary::success_after_failures() const {
  std::vector<std::pair<std::string, const SourceStats*>> out;
  for (const auto& [ip, st] : sources) {
    if (st.success_after_failures) out.emplace_back(ip, &st);
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.second->failures_before_success != b.second->failures_before_success)
      return a.second->failures_before_success > b.second->failures_before_success;
    return a.second->invalid_user_attempts > b.second->invalid_user_attempts;
  });
  return out;
}

}  // namespace sshlogwhy
