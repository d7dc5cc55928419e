// Conformance over public sshd test corpora, read from <source>/../shared/corpora
// (see its README.md; never copied into this repository):
//
//   crowdsec/<test>/  crowdsecurity/hub .tests: a log, and what CrowdSec's
//                     parsers extract per line (s01-parse.expected.condensed.jsonl)
//                     or which events its scenarios fire on (scenario.assert)
//   sshguard/         SSHGuard src/parser/tests.txt (its SSH+Dropbear and banner
//                     format sections, one input per case): line, "service address
//                     family danger" (or "*": not an attack), "M"
//   plaso/            log2timeline test logs (no expectations: real examples)
//
// Every line goes through the real server pipeline (stream_server_log with
// the built-in patterns), and the test checks:
//   1. every sshd line is recognised, except the message shapes of
//      kAllowList (with the reason each is not worth a pattern);
//   2. every line the corpus calls an attack lands in a connection that
//      carries the corpus's source address and user, and is not a success;
//   3. every line the corpus calls a successful login lands in an
//      authenticated connection with verdict success; every line it calls
//      harmless is not counted as a failure (or probe);
//   4. sanity, not from the corpora: each recognised line (but the daemon's
//      own) joins a connection; "Accepted ..." makes the connection a
//      success; a post-auth logout is not a failure.
// Anything that breaks these is a deviation. known_deviations() lists the ones
// known today (product bugs, or corpus lines made up in a way no sshd
// writes), each with its reason; any other deviation fails the test, and so
// does a known one that no longer happens (then remove its entry).
//
// A summary line per corpus goes to stdout and to RecordProperty.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "input/memory_source.h"
#include "logs/log_record_reader.h"
#include "logs/syslog_prefix.h"
#include "pipeline/diagnose.h"
#include "pipeline/server_stream.h"
#include "test_paths.h"

namespace sshlogwhy {
namespace {

namespace fs = std::filesystem;

// Year-less timestamps are read as this year, so runs do not depend on the
// files' mtimes.
constexpr int kYear = 2024;

// ---------------------------------------------------------------------------
// 1. sshd message shapes that are legitimately not recognised. Matched
// against the message body (syslog prefix removed). Keep each entry narrow:
// a new, different message must not slip through.
struct AllowEntry {
  const char* regex;
  const char* why;
};
const AllowEntry kAllowList[] = {
    // session.c session_close(), VERBOSE: "Close session: user %s from %.200s
    // port %d id %d". Logged when a channel's session ends after a successful
    // login; the login itself was already decided by "Accepted ...", so the
    // line adds nothing to a diagnosis. (CrowdSec sshd-logs-fp.)
    {R"(^Close session: user \S+ from \S+ port \d+ id \d+$)", "post-login session end, nothing to diagnose"},
    // Not OpenSSH: the obfuscated-openssh patch (Obfuscated Handshake),
    // "Magic value check failed (%u) on obfuscated handshake from %s port %d".
    {R"(^Magic value check failed \(\d+\) on obfuscated handshake from \S+ port \d+$)",
     "obfuscated-openssh patch, not an OpenSSH message"},
    // Made up by CrowdSec as a line its parser must NOT accept
    // (parser.assert: Success == false); no sshd writes "totobad user".
    {R"(^Disconnected from totobad user )", "fabricated negative test line (CrowdSec)"},
    // Not OpenSSH: Dropbear messages given bare (no "dropbear[pid]:" tag) in
    // SSHGuard's Dropbear section; with no tag, a bare line is read as sshd
    // -E output. Tagged dropbear lines are other programs and never reach
    // the sshd patterns.
    {R"(^Bad (PAM )?password attempt for '[^']*' from \S+$)", "Dropbear"},
    {R"(^Login attempt for nonexistent user from \S+$)", "Dropbear"},
    {R"(^Exit before auth from <[^>]*>: )", "Dropbear"},
};

// ---------------------------------------------------------------------------
// Deviations known today. `corpus` is the label printed in the summary;
// `lines` the 1-based lines of the corpus file (sshguard: the line of the
// case in its tests-*.txt file).
struct KnownDeviation {
  const char* corpus;
  std::vector<uint64_t> lines;
  const char* kind;  // see Deviation::kind
  const char* why;
};
const std::vector<KnownDeviation>& known_deviations() {
  static const std::vector<KnownDeviation> known = {
      // --- product bugs ------------------------------------------------------
      // (none known: the ones this test found first are fixed; see git log)
      // --- corpus lines no sshd writes ---------------------------------------
      // One pid logging "Invalid user" for pascal, pascal1 ... pascal5: one
      // connection cannot change its user (sshd disconnects with "Change of
      // username or service not allowed"); sshlogwhy keeps one connection
      // with the last user.
      {"crowdsec/ssh-bf", {1, 2, 3, 4, 5}, "user", "fabricated: one pid, several users"},
      // --- log containers -----------------------------------------------------
      // (none: socklog, svlogd/s6-log timestamps, BusyBox syslogd's
      // facility.level field and tags without ':' are read since the
      // SSHGuard banner-format cases found them; tests/unit/log_containers_test.cc)
  };
  return known;
}

// ---------------------------------------------------------------------------
// Helpers.

fs::path corpora_root() { return fs::path(testing::source_dir()) / ".." / "shared" / "corpora"; }

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(text);
  while (std::getline(in, cur)) {
    if (!cur.empty() && cur.back() == '\r') cur.pop_back();
    out.push_back(cur);
  }
  return out;
}

std::string rtrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

// Addresses compare without an IPv6 zone ("%eth0") and with an IPv4-mapped
// IPv6 address ("::ffff:1.2.3.4") as its IPv4 address: the corpora state
// them so (SSHGuard drops zones; CrowdSec unmaps).
std::string norm_ip(std::string ip) {
  size_t pct = ip.find('%');
  if (pct != std::string::npos) ip.erase(pct);
  if (ip.rfind("::ffff:", 0) == 0 && ip.find('.') != std::string::npos) ip.erase(0, 7);
  return ip;
}

const PatternDb& pattern_db() {
  static Result<std::unique_ptr<PatternDb>> db = load_pattern_db({});
  if (!db.ok()) {
    ADD_FAILURE() << db.error().to_string();
    std::abort();
  }
  return *db.value();
}

// What ServerSummary makes of a connection (verdicts/server_summary.cc).
enum class Judged { kSuccess, kFailure, kProbe, kUndecided };
const char* judged_name(Judged j) {
  switch (j) {
    case Judged::kSuccess: return "success";
    case Judged::kFailure: return "failure";
    case Judged::kProbe: return "probe";
    case Judged::kUndecided: return "undecided";
  }
  return "?";
}

struct ConnResult {
  std::string source_ip, user, outcome, verdict;
  Judged judged = Judged::kUndecided;
  std::vector<uint64_t> lines;
};

struct LineResult {
  uint64_t line = 0;
  std::string program, body;
  bool sshd = false, matched = false;
  EventKind event = EventKind::kCount;
  int conn = -1;  // index into PipelineRun::conns
};

struct PipelineRun {
  ServerStreamStats stats;
  ServerSummary summary;
  std::vector<ConnResult> conns;
  std::vector<LineResult> lines;
  std::map<uint64_t, size_t> by_line;  // file line -> index into lines
  const LineResult* at(uint64_t line) const {
    auto it = by_line.find(line);
    return it == by_line.end() ? nullptr : &lines[it->second];
  }
  const ConnResult* conn_of(uint64_t line) const {
    const LineResult* l = at(line);
    return l == nullptr || l->conn < 0 ? nullptr : &conns[static_cast<size_t>(l->conn)];
  }
};

Judged judge(const ServerConnection& c, const Diagnosis& d) {
  if (c.outcome == ServerOutcome::kAuthenticated) return Judged::kSuccess;
  if (d.verdict.id == "scanner_probe" || c.outcome == ServerOutcome::kClosedPreauth ||
      c.outcome == ServerOutcome::kBannerError || c.outcome == ServerOutcome::kNegotiationFailed) {
    return Judged::kProbe;
  }
  if (c.outcome == ServerOutcome::kUnknown) return Judged::kUndecided;
  return Judged::kFailure;
}

// Runs `text` through stream_server_log, and through the log reader and the
// sshd matcher once more to know what became of each line.
PipelineRun run_pipeline(const std::string& name, const std::string& text) {
  PipelineRun run;
  ServerStreamOptions options;
  options.year = kYear;
  Result<ServerStreamStats> stats = stream_server_log(
      std::make_unique<MemorySource>(name, text), 0, pattern_db(), options, run.summary,
      [&](ServerConnection&& c, Diagnosis&& d) {
        ConnResult r;
        r.source_ip = c.source_ip;
        r.user = c.user;
        r.outcome = server_outcome_name(c.outcome);
        r.verdict = d.verdict.id;
        r.judged = judge(c, d);
        for (const ServerEvent& e : c.events) r.lines.push_back(e.event.line_number);
        run.conns.push_back(std::move(r));
      });
  EXPECT_TRUE(stats.ok()) << name << ": " << (stats.ok() ? "" : stats.error().to_string());
  if (stats.ok()) run.stats = stats.value();

  LogReaderOptions reader_options;
  reader_options.year = kYear;
  LogRecordReader reader(std::make_unique<MemorySource>(name, text), reader_options);
  const FamilyMatcher& matcher = pattern_db().matcher("sshd");
  LogRecord rec;
  PatternMatch match;
  for (;;) {
    Result<bool> more = reader.next(rec);
    if (!more.ok() || !more.value()) break;
    LineResult l;
    l.line = rec.line;
    l.program = rec.program;
    l.body = rec.body;
    l.sshd = rec.format == LogFormat::kSshdRaw || rec.format == LogFormat::kJournalCat || is_sshd_program(rec.program);
    if (l.sshd && matcher.match(rec.body, match)) {
      l.matched = true;
      l.event = match.pattern->event;
    }
    run.by_line[l.line] = run.lines.size();
    run.lines.push_back(std::move(l));
  }
  for (size_t i = 0; i < run.conns.size(); ++i) {
    for (uint64_t line : run.conns[i].lines) {
      auto it = run.by_line.find(line);
      if (it != run.by_line.end() && run.lines[it->second].conn < 0) run.lines[it->second].conn = static_cast<int>(i);
    }
  }
  // The second pass must see what the pipeline saw.
  uint64_t sshd = 0, matched = 0;
  for (const LineResult& l : run.lines) {
    sshd += l.sshd ? 1 : 0;
    matched += l.matched ? 1 : 0;
  }
  EXPECT_EQ(sshd, run.stats.sshd_lines) << name;
  EXPECT_EQ(matched, run.stats.matched) << name;
  return run;
}

// ---------------------------------------------------------------------------
// Expectations and deviations.

enum class Kind { kAttack, kSuccess, kNegative, kNone };

struct Expect {
  uint64_t line = 0;       // in the run's input
  uint64_t label_line = 0; // the line named in reports (sshguard: in tests-*.txt)
  Kind kind = Kind::kNone;
  std::string source_ip, user;  // "" = not stated
  std::string origin;           // where the expectation comes from
};

struct Deviation {
  std::string corpus;
  uint64_t line = 0;
  // unrecognised | no-connection | source_ip | user | success (attack line
  // in a successful connection) | not-success (login line not a success) |
  // flagged (harmless line counted as failure/probe) | accepted-not-success
  // | postauth-failure
  std::string kind;
  std::string detail;
};

struct Tally {
  uint64_t sshd = 0, recognised = 0, allowed = 0, unrecognised = 0, other = 0;
  uint64_t conns = 0, success = 0, failure = 0, probe = 0, undecided = 0;
  uint64_t attack = 0, attack_not_success = 0, success_lines = 0, success_ok = 0, negative = 0, negative_ok = 0;
  uint64_t ip_checked = 0, ip_ok = 0, user_checked = 0, user_ok = 0, not_judged = 0;
  void add(const Tally& o) {
    sshd += o.sshd, recognised += o.recognised, allowed += o.allowed, unrecognised += o.unrecognised, other += o.other;
    conns += o.conns, success += o.success, failure += o.failure, probe += o.probe, undecided += o.undecided;
    attack += o.attack, attack_not_success += o.attack_not_success;
    success_lines += o.success_lines, success_ok += o.success_ok, negative += o.negative, negative_ok += o.negative_ok;
    ip_checked += o.ip_checked, ip_ok += o.ip_ok, user_checked += o.user_checked, user_ok += o.user_ok;
    not_judged += o.not_judged;
  }
};

const char* allowed_why(const std::string& body) {
  static const std::vector<std::pair<std::regex, const char*>> compiled = [] {
    std::vector<std::pair<std::regex, const char*>> v;
    for (const AllowEntry& e : kAllowList) v.emplace_back(std::regex(e.regex), e.why);
    return v;
  }();
  for (const auto& [re, why] : compiled) {
    if (std::regex_search(body, re)) return why;
  }
  return nullptr;
}

bool is_postauth_logout(const std::string& body) {
  if (body.find("[preauth]") != std::string::npos) return false;
  static const std::regex re(
      R"(^(Received disconnect from \S+ port \d+:11: disconnected by user|Disconnected from user \S.* port \d+|Timeout, client not responding from user \S.* port \d+)$)");
  return std::regex_search(body, re);
}

// Checks one run against its expectations and the sanity rules. `label` maps
// a run line to the line reported (sshguard cases are one-line runs).
void check_run(const std::string& corpus, const PipelineRun& run, const std::vector<Expect>& expects, Tally& t,
               std::vector<Deviation>& out, uint64_t label_line = 0) {
  auto label = [&](uint64_t line) { return label_line != 0 ? label_line : line; };
  for (const LineResult& l : run.lines) {
    if (!l.sshd) {
      ++t.other;
      continue;
    }
    ++t.sshd;
    if (l.matched) {
      ++t.recognised;
    } else if (allowed_why(l.body) != nullptr) {
      ++t.allowed;
    } else {
      ++t.unrecognised;
      out.push_back({corpus, label(l.line), "unrecognised", l.body});
    }
    // Sanity: a recognised line joins a connection (but the daemon's own).
    if (l.matched && l.conn < 0 && l.event != EventKind::sshd_listening && l.event != EventKind::sshd_version) {
      bool expected_elsewhere = false;
      for (const Expect& e : expects) {
        expected_elsewhere |= e.line == l.line && (e.kind == Kind::kAttack || e.kind == Kind::kSuccess);
      }
      if (!expected_elsewhere) out.push_back({corpus, label(l.line), "no-connection", l.body});
    }
    // Sanity: "Accepted ..." is a success; a post-auth logout is no failure.
    const ConnResult* c = l.conn >= 0 ? &run.conns[static_cast<size_t>(l.conn)] : nullptr;
    if (l.body.rfind("Accepted ", 0) == 0 && (c == nullptr || c->judged != Judged::kSuccess || c->verdict != "success")) {
      out.push_back({corpus, label(l.line), "accepted-not-success",
                     c == nullptr ? "no connection" : c->outcome + "/" + c->verdict});
    }
    if (c != nullptr && is_postauth_logout(l.body) && c->judged == Judged::kFailure) {
      out.push_back({corpus, label(l.line), "postauth-failure", c->outcome + "/" + c->verdict});
    }
  }
  for (const ConnResult& c : run.conns) {
    ++t.conns;
    switch (c.judged) {
      case Judged::kSuccess: ++t.success; break;
      case Judged::kFailure: ++t.failure; break;
      case Judged::kProbe: ++t.probe; break;
      case Judged::kUndecided: ++t.undecided; break;
    }
  }
  for (const Expect& e : expects) {
    // A login or attack line that is legitimately not recognised (kAllowList)
    // is not judged; a harmless one still must not be flagged.
    const LineResult* at_line = run.at(e.line);
    if (e.kind != Kind::kNegative && at_line != nullptr && at_line->sshd && !at_line->matched &&
        allowed_why(at_line->body) != nullptr) {
      ++t.not_judged;
      continue;
    }
    const ConnResult* c = run.conn_of(e.line);
    uint64_t at = e.label_line != 0 ? e.label_line : label(e.line);
    std::string got = c == nullptr ? "" : c->outcome + "/" + c->verdict;
    if (e.kind == Kind::kAttack || e.kind == Kind::kSuccess) {
      (e.kind == Kind::kAttack ? t.attack : t.success_lines) += 1;
      if (c == nullptr) {
        out.push_back({corpus, at, "no-connection", e.origin});
        if (!e.source_ip.empty()) ++t.ip_checked;
        if (!e.user.empty()) ++t.user_checked;
        continue;
      }
      if (!e.source_ip.empty()) {
        ++t.ip_checked;
        if (norm_ip(c->source_ip) == norm_ip(e.source_ip)) {
          ++t.ip_ok;
        } else {
          out.push_back({corpus, at, "source_ip", "got '" + c->source_ip + "' want '" + e.source_ip + "' (" + e.origin + ")"});
        }
      }
      if (!e.user.empty()) {
        ++t.user_checked;
        if (c->user == e.user) {
          ++t.user_ok;
        } else {
          out.push_back({corpus, at, "user", "got '" + c->user + "' want '" + e.user + "' (" + e.origin + ")"});
        }
      }
      if (e.kind == Kind::kAttack) {
        if (c->judged != Judged::kSuccess && c->verdict != "success") {
          ++t.attack_not_success;
        } else {
          out.push_back({corpus, at, "success", got + " for an attack line (" + e.origin + ")"});
        }
      } else if (c->judged == Judged::kSuccess && c->verdict == "success") {
        ++t.success_ok;
      } else {
        out.push_back({corpus, at, "not-success", got + " (" + e.origin + ")"});
      }
    } else if (e.kind == Kind::kNegative) {
      ++t.negative;
      if (c != nullptr && (c->judged == Judged::kFailure || c->judged == Judged::kProbe)) {
        out.push_back({corpus, at, "flagged", got + " (" + judged_name(c->judged) + ", " + e.origin + ")"});
      } else {
        ++t.negative_ok;
      }
    }
  }
}

std::string summary_line(const std::string& corpus, const Tally& t) {
  std::ostringstream s;
  s << corpus << ": " << t.sshd << " sshd lines, " << t.recognised << " recognised";
  if (t.allowed != 0) s << ", " << t.allowed << " allow-listed";
  if (t.unrecognised != 0) s << ", " << t.unrecognised << " UNRECOGNISED";
  if (t.other != 0) s << ", " << t.other << " other programs";
  s << "; " << t.conns << " connections (" << t.success << " authenticated, " << t.failure << " failed, " << t.probe
    << " probes, " << t.undecided << " undecided)";
  if (t.attack != 0) s << "; attack lines not success " << t.attack_not_success << "/" << t.attack;
  if (t.success_lines != 0) s << "; logins success " << t.success_ok << "/" << t.success_lines;
  if (t.negative != 0) s << "; harmless lines not flagged " << t.negative_ok << "/" << t.negative;
  if (t.ip_checked != 0) s << "; source_ip ok " << t.ip_ok << "/" << t.ip_checked;
  if (t.user_checked != 0) s << "; user ok " << t.user_ok << "/" << t.user_checked;
  if (t.not_judged != 0) s << "; " << t.not_judged << " expectations on allow-listed lines not judged";
  return s.str();
}

void report(const std::string& corpus, const Tally& t) {
  std::string line = summary_line(corpus, t);
  std::cout << "[conformance] " << line << "\n";
  ::testing::Test::RecordProperty(corpus, line);
}

// Fails on every deviation that is not known, and on every known one (for
// corpora starting with `prefix`) that did not happen.
void settle(const std::string& prefix, const std::vector<Deviation>& found) {
  std::set<std::tuple<std::string, uint64_t, std::string>> known, seen;
  for (const KnownDeviation& k : known_deviations()) {
    if (std::string(k.corpus).rfind(prefix, 0) != 0) continue;
    for (uint64_t line : k.lines) known.insert({k.corpus, line, k.kind});
  }
  size_t known_hits = 0;
  for (const Deviation& d : found) {
    auto key = std::make_tuple(d.corpus, d.line, d.kind);
    seen.insert(key);
    if (known.count(key) != 0) {
      ++known_hits;
      std::cout << "[conformance] known deviation " << d.corpus << ":" << d.line << " " << d.kind << ": " << d.detail
                << "\n";
      continue;
    }
    ADD_FAILURE() << d.corpus << ":" << d.line << ": " << d.kind << ": " << d.detail;
  }
  for (const auto& key : known) {
    if (seen.count(key) == 0) {
      ADD_FAILURE() << std::get<0>(key) << ":" << std::get<1>(key) << ": known deviation '" << std::get<2>(key)
                    << "' no longer happens; remove it from known_deviations()";
    }
  }
  ::testing::Test::RecordProperty(prefix + "known_deviations", std::to_string(known_hits));
}

// ---------------------------------------------------------------------------
// CrowdSec.

// "Feb 12 14:10:21 ..." / "<38>1 2022-01-19T14:23:55+00:00 ..." /
// "2023-11-14T00:20:42..." -> "02-12T14:10:21" ("" when none).
std::string line_time_key(const std::string& line) {
  static const std::regex bsd(R"(^(?:<\d+>)?([A-Z][a-z]{2}) +(\d{1,2}) (\d\d:\d\d:\d\d))");
  static const std::regex iso(R"(^(?:<\d+>\d* ?)?\d{4}-(\d\d)-(\d\d)T(\d\d:\d\d:\d\d))");
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::smatch m;
  char buf[32];
  if (std::regex_search(line, m, bsd)) {
    for (int i = 0; i < 12; ++i) {
      if (m[1] == months[i]) {
        std::snprintf(buf, sizeof buf, "%02d-%02d", i + 1, std::stoi(m[2]));
        return std::string(buf) + "T" + m[3].str();
      }
    }
    return "";
  }
  if (std::regex_search(line, m, iso)) return m[1].str() + "-" + m[2].str() + "T" + m[3].str();
  return "";
}

bool contains_token(const std::string& line, const std::string& tok) {
  for (size_t pos = line.find(tok); pos != std::string::npos; pos = line.find(tok, pos + 1)) {
    char before = pos == 0 ? ' ' : line[pos - 1];
    char after = pos + tok.size() < line.size() ? line[pos + tok.size()] : ' ';
    if (!std::isalnum(static_cast<unsigned char>(before)) && before != '.' &&
        !std::isalnum(static_cast<unsigned char>(after)) && after != '.') {
      return true;
    }
  }
  return false;
}

Kind kind_of_log_type(const std::string& log_type) {
  if (log_type == "auth_success") return Kind::kSuccess;
  return Kind::kAttack;  // ssh_failed-auth, ssh_bad_keyexchange, ssh_auth_timeout, ...
}

// s01-parse.expected.condensed.jsonl: one object per log line, in order.
std::vector<Expect> crowdsec_parse_expectations(const fs::path& jsonl, const std::vector<std::string>& log_lines,
                                                std::vector<std::string>& problems) {
  std::vector<uint64_t> nonblank;
  for (size_t i = 0; i < log_lines.size(); ++i) {
    if (!rtrim(log_lines[i]).empty()) nonblank.push_back(i + 1);
  }
  std::vector<Expect> out;
  simdjson::dom::parser parser;
  for (const std::string& text : split_lines(read_file(jsonl))) {
    if (rtrim(text).empty()) continue;
    simdjson::dom::element doc;
    if (parser.parse(text).get(doc)) {
      problems.push_back(jsonl.string() + ": bad JSON line");
      continue;
    }
    int64_t index = -1;
    bool success = false;
    std::string_view raw, log_type, ip, target_user, user;
    // A missing field leaves its variable as it is.
    auto opt = [](simdjson::error_code) {};
    opt(doc["event_index"].get_int64().get(index));
    opt(doc["success"].get_bool().get(success));
    opt(doc["raw_line_guess"].get_string().get(raw));
    opt(doc["meta"]["log_type"].get_string().get(log_type));
    opt(doc["meta"]["source_ip"].get_string().get(ip));
    opt(doc["meta"]["target_user"].get_string().get(target_user));
    opt(doc["meta"]["user"].get_string().get(user));
    if (index < 0 || static_cast<size_t>(index) >= nonblank.size()) {
      problems.push_back(jsonl.string() + ": event_index " + std::to_string(index) + " has no log line");
      continue;
    }
    Expect e;
    e.line = nonblank[static_cast<size_t>(index)];
    if (rtrim(std::string(raw)) != rtrim(log_lines[e.line - 1])) {
      problems.push_back(jsonl.string() + ": event " + std::to_string(index) + " is not log line " + std::to_string(e.line));
      continue;
    }
    e.kind = !success ? Kind::kNegative : kind_of_log_type(std::string(log_type));
    e.source_ip = std::string(ip);
    e.user = std::string(!target_user.empty() ? target_user : user);
    e.origin = "s01-parse#" + std::to_string(index) + (log_type.empty() ? "" : " " + std::string(log_type));
    out.push_back(std::move(e));
  }
  return out;
}

// scenario.assert: results[R].Overflow.Alert.Events[E].GetMeta("k") == "v".
// Each overflow's events are matched, in order, to the log lines with the
// same time and source address.
std::vector<Expect> crowdsec_scenario_expectations(const fs::path& assert_file, const std::vector<std::string>& log_lines,
                                                   std::vector<std::string>& problems) {
  static const std::regex meta(
      R"re(^results\[(\d+)\]\.Overflow\.Alert\.Events\[(\d+)\]\.GetMeta\("(\w+)"\)(?:\[[0-9:]*\])? == "(.*)"$)re");
  static const std::regex stamp(R"((\d\d)-(\d\d)T(\d\d:\d\d:\d\d))");
  std::map<std::pair<int, int>, std::map<std::string, std::string>> events;
  for (const std::string& text : split_lines(read_file(assert_file))) {
    std::smatch m;
    if (std::regex_match(text, m, meta)) events[{std::stoi(m[1]), std::stoi(m[2])}][m[3]] = m[4];
  }
  std::vector<Expect> out;
  std::set<uint64_t> used;
  int overflow = -1;
  for (const auto& [key, fields] : events) {
    if (key.first != overflow) {
      overflow = key.first;
      used.clear();
    }
    auto field = [&](const char* k) {
      auto it = fields.find(k);
      return it == fields.end() ? std::string() : it->second;
    };
    std::string ip = field("source_ip"), ts = field("timestamp");
    std::smatch m;
    std::string time_key = std::regex_search(ts, m, stamp) ? m[1].str() + "-" + m[2].str() + "T" + m[3].str() : "";
    uint64_t found = 0;
    for (size_t i = 0; i < log_lines.size() && found == 0; ++i) {
      if (used.count(i + 1) != 0 || ip.empty() || !contains_token(log_lines[i], ip)) continue;
      if (!time_key.empty() && line_time_key(log_lines[i]) != time_key) continue;
      found = i + 1;
    }
    std::string origin = "scenario results[" + std::to_string(key.first) + "].Events[" + std::to_string(key.second) + "]";
    if (found == 0) {
      problems.push_back(assert_file.string() + ": no log line for " + origin);
      continue;
    }
    used.insert(found);
    Expect e;
    e.line = found;
    e.kind = kind_of_log_type(field("log_type"));
    e.source_ip = ip;
    e.user = !field("target_user").empty() ? field("target_user") : field("user");
    e.origin = origin + " " + field("log_type");
    out.push_back(std::move(e));
  }
  return out;
}

// One expectation per line: the first source wins, a later one fills gaps.
std::vector<Expect> merge_by_line(std::vector<Expect> in) {
  std::map<uint64_t, Expect> by;
  for (Expect& e : in) {
    auto [it, fresh] = by.try_emplace(e.line, e);
    if (!fresh) {
      if (it->second.source_ip.empty()) it->second.source_ip = e.source_ip;
      if (it->second.user.empty()) it->second.user = e.user;
    }
  }
  std::vector<Expect> out;
  for (auto& [line, e] : by) out.push_back(std::move(e));
  return out;
}

bool corpora_present() { return fs::is_directory(corpora_root()); }

#define SKIP_WITHOUT_CORPORA()                                                                                  \
  if (!corpora_present()) {                                                                                     \
    GTEST_SKIP() << "public sshd corpora not found at " << corpora_root().string()                             \
                 << " (../shared/corpora beside the source tree); conformance not checked";                     \
  }

TEST(Conformance, CrowdSecHubTests) {
  SKIP_WITHOUT_CORPORA();
  fs::path root = corpora_root() / "crowdsec";
  ASSERT_TRUE(fs::is_directory(root)) << root;
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.is_directory()) dirs.push_back(entry.path());
  }
  std::sort(dirs.begin(), dirs.end());
  Tally total;
  std::vector<Deviation> found;
  size_t logs = 0;
  for (const fs::path& dir : dirs) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().extension() == ".log") files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& log : files) {
      ++logs;
      std::string corpus = "crowdsec/" + dir.filename().string();
      if (files.size() > 1) corpus += "/" + log.filename().string();
      std::string text = read_file(log);
      std::vector<std::string> lines = split_lines(text);
      std::vector<std::string> problems;
      std::vector<Expect> expects;
      if (fs::exists(dir / "s01-parse.expected.condensed.jsonl")) {
        expects = crowdsec_parse_expectations(dir / "s01-parse.expected.condensed.jsonl", lines, problems);
      }
      if (fs::exists(dir / "scenario.assert")) {
        std::vector<Expect> more = crowdsec_scenario_expectations(dir / "scenario.assert", lines, problems);
        expects.insert(expects.end(), more.begin(), more.end());
      }
      for (const std::string& p : problems) ADD_FAILURE() << "reading the corpus: " << p;
      expects = merge_by_line(std::move(expects));
      PipelineRun run = run_pipeline(log.string(), text);
      Tally t;
      check_run(corpus, run, expects, t, found);
      report(corpus, t);
      total.add(t);
    }
  }
  EXPECT_GE(logs, 10u) << "fewer CrowdSec test logs than expected under " << root;
  report("crowdsec (all)", total);
  settle("crowdsec/", found);
}

// ---------------------------------------------------------------------------
// SSHGuard: each case is its own input, as in SSHGuard's own test driver.

struct SshguardCase {
  uint64_t line = 0;  // of the log line in the tests file
  std::string text, expect;
};

std::vector<SshguardCase> sshguard_cases(const fs::path& file) {
  std::vector<std::string> lines = split_lines(read_file(file));
  std::vector<SshguardCase> out;
  for (size_t i = 0; i < lines.size();) {
    if (rtrim(lines[i]).empty() || lines[i][0] == '#') {
      ++i;
      continue;
    }
    if (i + 2 >= lines.size() || lines[i + 2] != "M") {
      ADD_FAILURE() << file << ":" << i + 1 << ": not a line/expectation/M triplet";
      break;
    }
    out.push_back({i + 1, lines[i], lines[i + 1]});
    i += 3;
  }
  return out;
}

TEST(Conformance, SshguardParserTests) {
  SKIP_WITHOUT_CORPORA();
  const std::pair<const char*, const char*> files[] = {
      {"sshguard/ssh", "tests-ssh-and-dropbear-sections.txt"},
      {"sshguard/banner-formats", "tests-banner-formats-section.txt"},
  };
  std::vector<Deviation> found;
  Tally total;
  size_t cases = 0;
  for (const auto& [corpus, name] : files) {
    fs::path file = corpora_root() / "sshguard" / name;
    ASSERT_TRUE(fs::exists(file)) << file;
    Tally t;
    size_t dropbear = 0;
    for (const SshguardCase& c : sshguard_cases(file)) {
      ++cases;
      PipelineRun run = run_pipeline(file.string() + ":" + std::to_string(c.line), c.text + "\n");
      std::istringstream exp(c.expect);
      std::string service, address;
      exp >> service >> address;
      Expect e;
      e.line = 1;
      e.label_line = c.line;
      e.origin = "sshguard '" + c.expect + "'";
      if (service == "*") {
        e.kind = c.text.find("Accepted ") != std::string::npos ? Kind::kSuccess : Kind::kNegative;
      } else if (service == "100") {  // sshd
        e.kind = Kind::kAttack;
        e.source_ip = address;
      } else {  // 101: Dropbear, not OpenSSH; read, counted, not judged
        e.kind = Kind::kNone;
        ++dropbear;
      }
      std::vector<Expect> expects;
      if (e.kind != Kind::kNone) expects.push_back(e);
      check_run(corpus, run, expects, t, found, c.line);
    }
    report(corpus, t);
    if (dropbear != 0) std::cout << "[conformance] " << corpus << ": " << dropbear << " Dropbear cases not judged\n";
    total.add(t);
  }
  EXPECT_GE(cases, 60u);
  report("sshguard (all)", total);
  settle("sshguard/", found);
}

// ---------------------------------------------------------------------------
// plaso: real logs without expectations; recognition and the sanity rules.

TEST(Conformance, PlasoSyslogTests) {
  SKIP_WITHOUT_CORPORA();
  fs::path root = corpora_root() / "plaso";
  ASSERT_TRUE(fs::is_directory(root)) << root;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.path().extension() == ".log") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), 3u);
  std::vector<Deviation> found;
  Tally total;
  for (const fs::path& log : files) {
    std::string corpus = "plaso/" + log.filename().string();
    PipelineRun run = run_pipeline(log.string(), read_file(log));
    Tally t;
    check_run(corpus, run, {}, t, found);
    report(corpus, t);
    total.add(t);
  }
  report("plaso (all)", total);
  settle("plaso/", found);
}

}  // namespace
}  // namespace sshlogwhy
