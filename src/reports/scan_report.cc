#include "reports/scan_report.h"

#include <algorithm>

#include "reports/json_writer.h"
#include "reports/sanitize.h"
#include "reports/time_format.h"

namespace sshlogwhy {
namespace {

template <typename Map>
std::vector<std::pair<std::string, uint64_t>> top(const Map& m, size_t n) {
  std::vector<std::pair<std::string, uint64_t>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (v.size() > n) v.resize(n);
  return v;
}

std::string pad(std::string s, size_t n) {
  if (s.size() < n) s.resize(n, ' ');
  return s;
}

struct Flagged {
  std::string ip;
  const SourceStats* stats;
};

std::vector<Flagged> brute_force(const ServerSummary& s) {
  std::vector<Flagged> out;
  for (const auto& [ip, st] : s.sources) {
    if (st.failures >= s.options().brute_force_min_failures) out.push_back({ip, &st});
  }
  std::sort(out.begin(), out.end(), [](const Flagged& a, const Flagged& b) { return a.stats->failures > b.stats->failures; });
  return out;
}

std::vector<Flagged> success_after(const ServerSummary& s) {
  std::vector<Flagged> out;
  for (const auto& [ip, st] : s.success_after_failures()) out.push_back({ip, st});
  return out;
}

// The verdict table of one group of connections: count, id (the column as
// wide as the longest id), and the verdict's summary label.
std::string verdict_rows(const std::map<std::string, uint64_t>& counts, const VerdictTexts& texts, size_t id_width) {
  std::string out;
  for (const auto& [id, n] : top(counts, counts.size())) {
    const VerdictText* t = texts.find(id);
    out += "  " + pad(std::to_string(n), 8) + pad(id, id_width) + terminal_safe(t ? label_for(*t) : std::string()) + "\n";
  }
  return out;
}

constexpr size_t kTextAlarms = 10;  // success-after-failures lines in the text report

uint64_t count_of(const std::map<std::string, uint64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

}  // namespace

std::string scan_text_report(const ScanResult& r, const VerdictTexts& texts, bool color) {
  auto bold = [&](const std::string& t) { return color ? "\x1b[1m" + t + "\x1b[0m" : t; };
  auto red = [&](const std::string& t) { return color ? "\x1b[1;31m" + t + "\x1b[0m" : t; };
  const ServerSummary& s = r.summary;
  std::string out;
  out += bold("sshlogwhy scan") + ": " + std::to_string(r.inputs.size()) + " file(s), " + std::to_string(r.lines) +
         " lines, " + std::to_string(r.sshd_lines) + " from sshd, " + std::to_string(r.unmatched) +
         " sshd lines not recognised\n";
  const bool z = s.time_zoned;
  if (s.first_us != INT64_MIN) out += "Time span: " + iso8601(s.first_us, z) + " .. " + iso8601(s.last_us, z) + "\n";
  // The three groups partition the total (ServerSummary::add).
  out += "Connections: " + std::to_string(s.connections) + " = " + std::to_string(s.successes) + " succeeded + " +
         std::to_string(s.failures) + " failed + " + std::to_string(s.probes) + " never tried to log in\n\n";

  std::vector<Flagged> alarms = success_after(s);
  if (!alarms.empty()) {
    out += red("!! SUCCESS AFTER MANY FAILURES: possible compromise; check these logins now") + "\n";
    out += "   (worst first: most failed connections before the login)\n";
    for (size_t i = 0; i < alarms.size() && i < kTextAlarms; ++i) {
      const Flagged& f = alarms[i];
      std::string when = iso8601(f.stats->success_us, z);
      out += "   " + terminal_safe(f.ip) + ": user " + terminal_safe(f.stats->success_user) + " logged in" +
             (when.empty() ? "" : " at " + when) + " after " + std::to_string(f.stats->failures_before_success) +
             " failed connections" +
             (f.stats->invalid_user_attempts ? ", " + std::to_string(f.stats->invalid_user_attempts) + " for invalid users"
                                             : std::string()) +
             " (" + terminal_safe(r.inputs.size() > f.stats->success_file ? r.inputs[f.stats->success_file].name : "") +
             " line " + std::to_string(f.stats->success_line) + ")\n";
    }
    if (alarms.size() > kTextAlarms) {
      out += "   \u2026 " + std::to_string(alarms.size() - kTextAlarms) + " more (see --format json)\n";
    }
    out += "\n";
  }

  size_t id_width = 0;
  for (const auto& [id, n] : s.by_verdict) id_width = std::max(id_width, id.size());
  id_width += 2;
  out += bold("Why connections failed (" + std::to_string(s.failures) + " failed connections)") + "\n";
  out += verdict_rows(s.failed_by_verdict, texts, id_width);
  out += "\n";
  if (s.probes > 0) {
    out += bold("Connections that never tried to log in (" + std::to_string(s.probes) + ")") + "\n";
    out += verdict_rows(s.probe_by_verdict, texts, id_width);
    out += "\n";
  }

  std::vector<Flagged> bf = brute_force(s);
  if (!bf.empty()) {
    out += bold("Brute-force sources (" + std::to_string(bf.size()) + ")") + "\n";
    for (size_t i = 0; i < bf.size() && i < 15; ++i) {
      const SourceStats& st = *bf[i].stats;
      std::string users;
      for (const auto& [u, n] : top(st.users, 5)) users += (users.empty() ? "" : ", ") + u;
      out += "  " + pad(terminal_safe(bf[i].ip), 40) + std::to_string(st.failures) + " failed connections, " +
             std::to_string(st.failed_attempts) + " failed attempts, users: " + terminal_safe(users) +
             (st.users.size() > 5 ? ", ..." : "") +
             (st.first_us == INT64_MIN ? std::string()
                                       : "  (" + iso8601(st.first_us, z) + " .. " + iso8601(st.last_us, z) + ")") +
             "\n";
    }
    if (bf.size() > 15) out += "  ... " + std::to_string(bf.size() - 15) + " more\n";
    out += "\n";
  }

  out += bold("Top users tried (failed connections)") + "\n";
  for (const auto& [u, n] : top(s.users_failed, 10)) {
    out += "  " + pad(std::to_string(n), 8) + terminal_safe(u) +
           (count_of(s.users_ok, u) ? "  (" + std::to_string(count_of(s.users_ok, u)) + " successful)" : "") + "\n";
  }
  out += "\n" + bold("Top sources") + "\n";
  std::map<std::string, uint64_t> by_conn;
  for (const auto& [ip, st] : s.sources) by_conn[ip] = st.connections;
  for (const auto& [ip, n] : top(by_conn, 10)) {
    const SourceStats& st = s.sources.at(ip);
    out += "  " + pad(terminal_safe(ip), 40) + std::to_string(n) + " connections, " + std::to_string(st.failures) +
           " failed, " + std::to_string(st.successes) + " succeeded\n";
  }
  out += "\nPre-auth timeouts: " + std::to_string(count_of(s.by_verdict, "preauth_timeout")) +
         "    scanner probes / closed before login: " +
         std::to_string(count_of(s.by_outcome, "closed_before_auth") + count_of(s.by_outcome, "banner_error")) +
         "    algorithm mismatches: " + std::to_string(count_of(s.by_outcome, "negotiation_failed")) + "\n";
  if (s.unmatched > 0) {
    out += "\n" + bold("sshd lines no pattern knew (" + std::to_string(s.unmatched) + ")") + "\n";
    out += "  (grouped by shape: <user>, <ip>, <hex> and N stand for the parts that vary)\n";
    for (const UnmatchedShape& u : s.unmatched_examples()) {
      out += "  " + pad(std::to_string(u.count), 8) + terminal_safe(u.shape.substr(0, 200)) + "\n";
    }
    if (uint64_t other = s.unmatched_other(); other > 0) {
      out += "  " + pad(std::to_string(other), 8) + "(lines of other shapes)\n";
    }
  }
  return out;
}

std::string scan_json_report(const ScanResult& r) {
  const ServerSummary& s = r.summary;
  const bool z = s.time_zoned;
  JsonWriter w;
  w.begin_object();
  w.field("schema", "sshlogwhy.scan/1");
  w.key("files");
  w.begin_array();
  for (const ScanInput& in : r.inputs) {
    w.begin_object();
    w.field("name", in.name);
    w.field("format", in.format);
    w.number_field("lines", in.lines);
    w.number_field("sshd", in.sshd_lines);
    w.number_field("unmatched", in.unmatched);
    w.end_object();
  }
  w.end_array();
  w.key("lines");
  w.begin_object();
  w.number_field("total", r.lines);
  w.number_field("sshd", r.sshd_lines);
  w.number_field("unmatched", r.unmatched);
  w.end_object();
  w.key("unmatched_examples");
  w.begin_array();
  for (const UnmatchedShape& u : s.unmatched_examples()) {
    w.begin_object();
    w.field("text", u.example);
    w.number_field("count", u.count);
    w.field("shape", u.shape);
    w.end_object();
  }
  w.end_array();
  w.number_field("unmatched_other", s.unmatched_other());
  w.key("time_span");
  w.begin_object();
  w.field("first", iso8601(s.first_us, z));
  w.field("last", iso8601(s.last_us, z));
  w.end_object();
  w.key("connections");
  w.begin_object();
  w.number_field("total", s.connections);
  w.number_field("succeeded", s.successes);
  w.number_field("failed", s.failures);
  w.number_field("probes", s.probes);
  w.end_object();
  w.count_object("by_verdict", s.by_verdict);
  w.count_object("failed_by_verdict", s.failed_by_verdict);
  w.count_object("probes_by_verdict", s.probe_by_verdict);
  w.count_object("by_outcome", s.by_outcome);
  w.key("top_users");
  w.begin_array();
  for (const auto& [u, n] : top(s.users_failed, 20)) {
    w.begin_object();
    w.field("user", u);
    w.number_field("failed", n);
    w.number_field("succeeded", count_of(s.users_ok, u));
    w.end_object();
  }
  w.end_array();
  std::map<std::string, uint64_t> by_conn;
  for (const auto& [ip, st] : s.sources) by_conn[ip] = st.connections;
  w.key("top_sources");
  w.begin_array();
  for (const auto& [ip, n] : top(by_conn, 20)) {
    const SourceStats& st = s.sources.at(ip);
    w.begin_object();
    w.field("source_ip", ip);
    w.number_field("connections", n);
    w.number_field("failed", st.failures);
    w.number_field("succeeded", st.successes);
    w.end_object();
  }
  w.end_array();
  auto source_object = [&](const Flagged& f) {
    const SourceStats& st = *f.stats;
    w.begin_object();
    w.field("source_ip", f.ip);
    w.number_field("failed_connections", st.failures);
    w.number_field("failed_attempts", st.failed_attempts);
    w.number_field("invalid_user_connections", st.invalid_user_attempts);
    w.key("users");
    w.begin_array();
    for (const auto& [u, n] : top(st.users, 20)) w.string(u);
    w.end_array();
    w.field("first", iso8601(st.first_us, z));
    w.field("last", iso8601(st.last_us, z));
    if (st.success_after_failures) {
      w.key("success");
      w.begin_object();
      w.field("user", st.success_user);
      w.field("time", iso8601(st.success_us, z));
      w.number_field("failures_before", st.failures_before_success);
      w.field("file", r.inputs.size() > st.success_file ? r.inputs[st.success_file].name : "");
      w.number_field("line", st.success_line);
      w.end_object();
    }
    w.end_object();
  };
  w.key("brute_force_sources");
  w.begin_array();
  for (const Flagged& f : brute_force(s)) source_object(f);
  w.end_array();
  w.key("success_after_failures");
  w.begin_array();
  for (const Flagged& f : success_after(s)) source_object(f);
  w.end_array();
  w.number_field("preauth_timeouts", count_of(s.by_verdict, "preauth_timeout"));
  w.number_field("scanner_probes", count_of(s.by_outcome, "closed_before_auth") + count_of(s.by_outcome, "banner_error"));
  w.key("warnings");
  w.begin_array();
  for (const std::string& m : r.warnings) w.string(m);
  w.end_array();
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

std::string scan_ndjson_line(const ServerConnection& c, const Diagnosis& d, const VerdictTexts& texts) {
  JsonWriter w;
  w.begin_object();
  w.key("pid");
  if (c.pid < 0) w.null();
  else w.number(c.pid);
  w.field("program", c.program);
  w.field("host", c.host);
  w.field("user", c.user);
  w.field("source_ip", c.source_ip);
  w.key("source_port");
  if (c.source_port.empty()) w.null();
  else w.number(std::atoll(c.source_port.c_str()));
  w.field("start", iso8601(c.start_us, c.time_zoned));
  w.field("end", iso8601(c.end_us, c.time_zoned));
  w.field("outcome", server_outcome_name(c.outcome));
  w.key("verdict");
  w.begin_object();
  w.field("id", d.verdict.id);
  w.field("confidence", confidence_name(d.verdict.confidence));
  const VerdictText* t = texts.find(d.verdict.id);
  w.field("title", t ? render(t->title, d.verdict.vars) : d.verdict.id);
  w.end_object();
  w.key("invalid_user");
  w.boolean(c.invalid_user);
  w.number_field("events", c.events.size());
  w.number_field("line", c.first_line);
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

}  // namespace sshlogwhy
