// Per-stage throughput of the server-log path, in bytes per second.
//
//   build-bench/bench/bench_stages                        # built-in 32 MiB mix
//   SSHLOGWHY_BENCH_LOG=/tmp/auth-64M.log SSHLOGWHY_BENCH_JSON=/tmp/journal-64M.json
//       build-bench/bench/bench_stages                    # files from tools/gen_authlog.py
//
// Every benchmark reads one of two named inputs, held in memory so the
// numbers are CPU cost, not I/O:
//
//   authlog    RFC 3164 auth.log, the realistic mix of issue 5: about 60 %
//              sshd lines (brute force, probes, real logins with post-auth
//              child pids), the rest CRON / sudo / su / systemd-logind;
//              connections overlap and PIDs wrap. From $SSHLOGWHY_BENCH_LOG
//              (any syslog text, e.g. tools/gen_authlog.py output) or, when
//              unset, the small generator below ($SSHLOGWHY_BENCH_BYTES,
//              default 32 MiB). Why: it is what `sshlogwhy scan` reads.
//   journal    the same records as `journalctl -o json` (one object per
//              line, the fields journald stores for syslog messages). From
//              $SSHLOGWHY_BENCH_JSON or generated alongside `authlog`.
//              Why: the JSON container has its own reader and target.
//
// Derived views (built once, outside the timed loops):
//   lines         the authlog split into lines (for the prefix parser);
//   sshd_bodies   message bodies of the sshd lines, the matcher's real diet;
//   sshd_unknown  the sshd bodies no pattern knows (the matcher's slow path:
//                 every candidate's regex has to say "no").
//
// SetBytesProcessed always counts the bytes the stage itself looked at; the
// per-body stages also report `file_bytes_per_second`, the rate in bytes of
// the whole authlog (bodies are ~50 % of its bytes and only sshd lines reach
// the matcher), so every line of output can be compared with the
// end-to-end numbers of bench/e2e.sh.
//
// Each benchmark checks its result against a cheap reference before timing
// (the stream finds connections, the matcher recognises most bodies) and
// calls SkipWithError instead of reporting a fast wrong answer.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "events/pattern_db.h"
#include "events/pattern_matcher.h"
#include "input/memory_source.h"
#include "lines/line_reader.h"
#include "logs/log_record_reader.h"
#include "logs/syslog_prefix.h"
#include "pipeline/diagnose.h"
#include "pipeline/server_stream.h"
#include "verdicts/server_summary.h"

namespace sshlogwhy {
namespace {

// ---------------------------------------------------------------------------
// A small deterministic generator (used when no file is given). The Python
// generator (tools/gen_authlog.py) is the reference; this one keeps the same
// shape -- interleaved connections from a pool of 48 open ones, sshd bodies
// in OpenSSH 9.2 wording, 40 % other programs -- so the benchmark runs with
// no setup.

struct SplitMix {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint32_t below(uint32_t n) { return static_cast<uint32_t>(next() % n); }
};

struct GenRecord {
  int64_t time_us;
  std::string program;
  int64_t pid;  // 0: none (sudo)
  std::string body;
};

// A connection script: bodies with {ip} {port} {user} {cpid}; a line that
// starts with '>' is logged by the post-auth child.
const std::vector<std::vector<std::string>>& scripts() {
  static const std::vector<std::vector<std::string>> k = {
      {"Connection from {ip} port {port} on 203.0.113.10 port 22 rdomain \"\"",
       "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user=root",
       "Failed password for root from {ip} port {port} ssh2", "Failed password for root from {ip} port {port} ssh2",
       "Failed password for root from {ip} port {port} ssh2",
       "Received disconnect from {ip} port {port}:11: Bye Bye [preauth]",
       "Disconnected from authenticating user root {ip} port {port} [preauth]",
       "PAM 2 more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user=root"},
      {"Connection from {ip} port {port} on 203.0.113.10 port 22 rdomain \"\"", "Invalid user {user} from {ip} port {port}",
       "pam_unix(sshd:auth): check pass; user unknown",
       "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}",
       "Failed password for invalid user {user} from {ip} port {port} ssh2",
       "Received disconnect from {ip} port {port}:11: Bye Bye [preauth]",
       "Disconnected from invalid user {user} {ip} port {port} [preauth]"},
      {"Connection from {ip} port {port} on 203.0.113.10 port 22 rdomain \"\"",
       "error: kex_exchange_identification: Connection closed by remote host", "Connection closed by {ip} port {port}"},
      {"Connection from {ip} port {port} on 203.0.113.10 port 22 rdomain \"\"",
       "Accepted key ED25519 SHA256:9rxoHVKBFoz1882BQcCeLEwVKRXuhZEptHjieaf5rOU found at /home/{user}/.ssh/authorized_keys:1",
       "Postponed publickey for {user} from {ip} port {port} ssh2 [preauth]",
       "Accepted key ED25519 SHA256:9rxoHVKBFoz1882BQcCeLEwVKRXuhZEptHjieaf5rOU found at /home/{user}/.ssh/authorized_keys:1",
       "Accepted publickey for {user} from {ip} port {port} ssh2: ED25519 SHA256:9rxoHVKBFoz1882BQcCeLEwVKRXuhZEptHjieaf5rOU",
       "pam_unix(sshd:session): session opened for user {user}(uid=1001) by (uid=0)", "User child is on pid {cpid}",
       ">Starting session: command for {user} from {ip} port {port} id 0",
       ">Received disconnect from {ip} port {port}:11: disconnected by user",
       ">Disconnected from user {user} {ip} port {port}", "pam_unix(sshd:session): session closed for user {user}"},
      {"Connection from {ip} port {port} on 203.0.113.10 port 22 rdomain \"\"",
       "Unable to negotiate with {ip} port {port}: no matching key exchange method found. Their offer: "
       "diffie-hellman-group1-sha1,diffie-hellman-group14-sha1,ext-info-c [preauth]"},
      {"Connection from {ip} port {port} on 203.0.113.10 port 22 rdomain \"\"",
       "Failed publickey for {user} from {ip} port {port} ssh2: ED25519 SHA256:wiuME3/0OVudUGWuQcYHARjR9SHFVnbW/8LcbMf1p10",
       "Connection closed by authenticating user {user} {ip} port {port} [preauth]"},
  };
  return k;
}

constexpr uint32_t kScriptWeights[] = {30, 25, 20, 15, 5, 5};
const char* const kUsers[] = {"admin", "test", "oracle", "alice", "deploy", "git", "pi", "ubuntu", "bob", "backup"};

struct OpenConn {
  size_t script = 0, step = 0;
  std::string ip, port, user;
  int64_t pid = 0, child = 0;
};

std::vector<GenRecord> generate_records(size_t target_bytes) {
  SplitMix rng{20261123};
  int64_t pid = 1000;
  auto next_pid = [&] {
    pid += 1 + rng.below(3);
    if (pid >= 32768) pid = 300;
    return pid;
  };
  auto new_conn = [&] {
    OpenConn c;
    uint32_t r = rng.below(100), acc = 0;
    for (size_t i = 0; i < std::size(kScriptWeights); ++i) {
      acc += kScriptWeights[i];
      if (r < acc) { c.script = i; break; }
    }
    if (rng.below(100) < 15) {
      char b[64];
      std::snprintf(b, sizeof b, "2001:db8:%x:%x::%x", rng.below(0xffff), rng.below(0xffff), rng.below(0xffff) + 1);
      c.ip = b;
    } else {
      c.ip = std::to_string(1 + rng.below(223)) + "." + std::to_string(rng.below(256)) + "." +
             std::to_string(rng.below(256)) + "." + std::to_string(1 + rng.below(254));
    }
    c.port = std::to_string(1024 + rng.below(64000));
    c.user = kUsers[rng.below(std::size(kUsers))];
    c.pid = next_pid();
    return c;
  };
  std::vector<OpenConn> open;
  for (int i = 0; i < 48; ++i) open.push_back(new_conn());

  std::vector<GenRecord> out;
  size_t bytes = 0;
  int64_t t = 1763596800LL * 1000000;  // 2025-11-20T00:00:00Z
  uint32_t session = 1;
  while (bytes < target_bytes) {
    t += rng.below(90000);
    GenRecord rec;
    rec.time_us = t;
    if (rng.below(100) < 40) {  // the other programs of auth.log
      uint32_t r = rng.below(100);
      if (r < 70) {
        rec.program = "CRON";
        rec.pid = next_pid();
        rec.body = rng.below(2) ? "pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)"
                                : "pam_unix(cron:session): session closed for user root";
      } else if (r < 85) {
        rec.program = "sudo";
        rec.pid = 0;
        rec.body = "   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx";
      } else if (r < 93) {
        rec.program = "su";
        rec.pid = next_pid();
        rec.body = "pam_unix(su-l:session): session opened for user postgres(uid=108) by root(uid=0)";
      } else {
        rec.program = "systemd-logind";
        rec.pid = 431;
        rec.body = "New session " + std::to_string(session++) + " of user alice.";
      }
    } else {
      OpenConn& c = open[rng.below(static_cast<uint32_t>(open.size()))];
      std::string_view line = scripts()[c.script][c.step];
      rec.program = "sshd";
      rec.pid = c.pid;
      if (!line.empty() && line[0] == '>') {
        line.remove_prefix(1);
        rec.pid = c.child;
      }
      std::string body;
      for (size_t i = 0; i < line.size();) {
        if (line[i] == '{') {
          size_t close = line.find('}', i);
          std::string_view key = line.substr(i + 1, close - i - 1);
          if (key == "ip") body += c.ip;
          else if (key == "port") body += c.port;
          else if (key == "user") body += c.user;
          else if (key == "cpid") {
            c.child = next_pid();
            body += std::to_string(c.child);
          }
          i = close + 1;
        } else {
          body += line[i++];
        }
      }
      rec.body = std::move(body);
      if (++c.step == scripts()[c.script].size()) c = new_conn();
    }
    bytes += 16 + 6 + rec.program.size() + 9 + rec.body.size();
    out.push_back(std::move(rec));
  }
  return out;
}

std::string render_syslog(const std::vector<GenRecord>& recs) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::string out;
  char buf[96];
  for (const GenRecord& r : recs) {
    int64_t s = r.time_us / 1000000;
    int64_t day = s / 86400 - 20412;  // days since 2025-11-20
    int mon = 11, mday = static_cast<int>(20 + day);
    if (mday > 30) { mon = 12; mday -= 30; }
    int64_t sod = s % 86400;
    int n = std::snprintf(buf, sizeof buf, "%s %2d %02d:%02d:%02d web01 ", kMonths[mon - 1], mday,
                          static_cast<int>(sod / 3600), static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
    out.append(buf, n);
    out += r.program;
    if (r.pid > 0) out += "[" + std::to_string(r.pid) + "]";
    out += ": ";
    out += r.body;
    out += '\n';
  }
  return out;
}

std::string json_escape(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o;
}

// The fields journald stores for a syslog-transport message, in the order
// journalctl -o json prints them (see tools/gen_authlog.py).
std::string render_journal_json(const std::vector<GenRecord>& recs) {
  std::string out;
  uint64_t seq = 0;
  char buf[512];
  for (const GenRecord& r : recs) {
    ++seq;
    int64_t mono = 86400000000LL + (r.time_us - 1763596800LL * 1000000);
    int n = std::snprintf(buf, sizeof buf,
                          "{\"__CURSOR\":\"s=5b1f0c2ad9e84d7c9a6c3e2f1d0b9a87;i=%llx;b=3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60;"
                          "m=%llx;t=%llx;x=%016llx\",\"__REALTIME_TIMESTAMP\":\"%lld\",\"__MONOTONIC_TIMESTAMP\":\"%lld\","
                          "\"_BOOT_ID\":\"3f2a9c1e8b7d4a6f9e0c1b2a3d4e5f60\",\"_TRANSPORT\":\"syslog\",\"PRIORITY\":\"6\","
                          "\"SYSLOG_FACILITY\":\"4\",\"SYSLOG_IDENTIFIER\":\"",
                          static_cast<unsigned long long>(seq), static_cast<unsigned long long>(mono),
                          static_cast<unsigned long long>(r.time_us),
                          static_cast<unsigned long long>(seq * 0x9E3779B97F4A7C15ull), static_cast<long long>(r.time_us),
                          static_cast<long long>(mono));
    out.append(buf, n);
    out += r.program;
    out += "\",";
    if (r.pid > 0) out += "\"SYSLOG_PID\":\"" + std::to_string(r.pid) + "\",\"_PID\":\"" + std::to_string(r.pid) + "\",";
    out += "\"_UID\":\"0\",\"_GID\":\"0\",\"_COMM\":\"" + r.program + "\",\"_EXE\":\"/usr/sbin/" + r.program +
           "\",\"_CAP_EFFECTIVE\":\"1ffffffffff\",\"_SYSTEMD_CGROUP\":\"/system.slice/ssh.service\","
           "\"_SYSTEMD_UNIT\":\"ssh.service\",\"_SYSTEMD_SLICE\":\"system.slice\","
           "\"_SYSTEMD_INVOCATION_ID\":\"c6b0a1f0d54e4f8e9a1f2f7d3c2b1a09\","
           "\"_MACHINE_ID\":\"0c8c5e8d2f6b4d3aa1e9b7c6d5f4e3a2\",\"_HOSTNAME\":\"web01\",\"MESSAGE\":\"";
    out += json_escape(r.body);
    out += "\",\"_SOURCE_REALTIME_TIMESTAMP\":\"" + std::to_string(r.time_us - 137) + "\"}\n";
  }
  return out;
}

// ---------------------------------------------------------------------------
// The named inputs, loaded or generated once.

struct Inputs {
  std::string authlog, authlog_name;
  std::string journal, journal_name;
  std::vector<std::string_view> lines;        // into authlog
  std::vector<std::string> sshd_bodies;
  std::vector<std::string> sshd_unknown;
  uint64_t sshd_body_bytes = 0, sshd_unknown_bytes = 0;
  std::string error;
};

bool read_file(const char* path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return true;
}

const PatternDb* pattern_db() {
  static std::unique_ptr<PatternDb> db = [] {
    Result<std::unique_ptr<PatternDb>> r = load_pattern_db({});
    return r.ok() ? std::move(r.value()) : nullptr;
  }();
  return db.get();
}

const Inputs& inputs() {
  static Inputs in = [] {
    Inputs x;
    const char* log_path = std::getenv("SSHLOGWHY_BENCH_LOG");
    const char* json_path = std::getenv("SSHLOGWHY_BENCH_JSON");
    size_t target = 32u << 20;
    if (const char* b = std::getenv("SSHLOGWHY_BENCH_BYTES")) target = std::strtoull(b, nullptr, 10);
    std::vector<GenRecord> recs;
    if (log_path == nullptr || json_path == nullptr) recs = generate_records(target);
    if (log_path != nullptr) {
      if (!read_file(log_path, x.authlog)) x.error = std::string("cannot read SSHLOGWHY_BENCH_LOG ") + log_path;
      x.authlog_name = log_path;
    } else {
      x.authlog = render_syslog(recs);
      x.authlog_name = "generated";
    }
    if (json_path != nullptr) {
      if (!read_file(json_path, x.journal)) x.error = std::string("cannot read SSHLOGWHY_BENCH_JSON ") + json_path;
      x.journal_name = json_path;
    } else {
      x.journal = render_journal_json(recs);
      x.journal_name = "generated";
    }
    // SSHLOGWHY_BENCH_DUMP=PREFIX writes the inputs to PREFIX.log and
    // PREFIX.json, to run the CLI on exactly what was timed.
    if (const char* dump = std::getenv("SSHLOGWHY_BENCH_DUMP")) {
      std::ofstream(std::string(dump) + ".log", std::ios::binary) << x.authlog;
      std::ofstream(std::string(dump) + ".json", std::ios::binary) << x.journal;
    }
    // Derived views.
    std::string_view all = x.authlog;
    for (size_t pos = 0; pos < all.size();) {
      size_t nl = all.find('\n', pos);
      if (nl == std::string_view::npos) nl = all.size();
      x.lines.push_back(all.substr(pos, nl - pos));
      pos = nl + 1;
    }
    YearState years = YearState::fixed(2025);
    LogLineView v;
    const PatternDb* db = pattern_db();
    PatternMatch m;
    for (std::string_view line : x.lines) {
      if (!parse_syslog_line(line, v, years) || !is_sshd_program(v.program)) continue;
      x.sshd_bodies.emplace_back(v.body);
      x.sshd_body_bytes += v.body.size();
      if (db != nullptr && !db->matcher("sshd").match(v.body, m)) {
        x.sshd_unknown.emplace_back(v.body);
        x.sshd_unknown_bytes += v.body.size();
      }
    }
    std::fprintf(stderr,
                 "bench_stages inputs: authlog %s (%.1f MiB, %zu lines, %zu sshd bodies, %zu unknown to the patterns); "
                 "journal %s (%.1f MiB)\n",
                 x.authlog_name.c_str(), x.authlog.size() / 1048576.0, x.lines.size(), x.sshd_bodies.size(),
                 x.sshd_unknown.size(), x.journal_name.c_str(), x.journal.size() / 1048576.0);
    return x;
  }();
  return in;
}

// benchmark::DoNotOptimize(T&) in Debian's Google Benchmark 1.7.1 passes the
// variable as an in-out asm operand ("+m,r"); with GCC 12 -O2 the count read
// back after it held a pointer-sized garbage value (seen here; the constraint
// has a history, google/benchmark#1340 and #1424). Only the const,
// input-only overload is used.
inline void keep(uint64_t value) { benchmark::DoNotOptimize(static_cast<const uint64_t&>(value)); }

bool usable(benchmark::State& state) {
  const Inputs& in = inputs();
  if (!in.error.empty()) {
    state.SkipWithError(in.error.c_str());
    return false;
  }
  if (pattern_db() == nullptr) {
    state.SkipWithError("the built-in patterns did not load");
    return false;
  }
  return true;
}

void file_rate(benchmark::State& state, uint64_t file_bytes_per_iteration) {
  state.counters["file_bytes_per_second"] = benchmark::Counter(
      static_cast<double>(file_bytes_per_iteration) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate, benchmark::Counter::kIs1024);
}

// ---------------------------------------------------------------------------
// Benchmarks

// The machine's ceiling: memchr over the buffer, counting '\n'.
void BM_Memchr_Newlines(benchmark::State& state) {
  if (!usable(state)) return;
  const std::string& data = inputs().authlog;
  for (auto _ : state) {
    uint64_t n = 0;
    const char* p = data.data();
    const char* end = p + data.size();
    while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p))) != nullptr) {
      ++n;
      ++p;
    }
    keep(n);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(data.size()));
}
BENCHMARK(BM_Memchr_Newlines)->Unit(benchmark::kMillisecond);

// Line stage: MemorySource -> LineReader (cleaning, key redaction, binary
// sniffing included). The source's copy of the input is made outside the
// timing.
void BM_LineReader(benchmark::State& state) {
  if (!usable(state)) return;
  const Inputs& in = inputs();
  uint64_t lines = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto src = std::make_unique<MemorySource>("authlog", in.authlog);
    state.ResumeTiming();
    LineReader reader(std::move(src));
    Line line;
    lines = 0;
    while (true) {
      Result<bool> more = reader.next(line);
      if (!more.ok() || !more.value()) break;
      ++lines;
    }
    keep(lines);
  }
  if (lines != in.lines.size() && lines + 1 != in.lines.size()) {
    state.SkipWithError("LineReader returned a different number of lines than a plain split");
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.authlog.size()));
  state.counters["lines"] = static_cast<double>(lines);
}
BENCHMARK(BM_LineReader)->Unit(benchmark::kMillisecond);

// Syslog prefix parser over pre-split lines (timestamp, host, tag, pid,
// body), plus the sshd program gate that follows it.
void BM_SyslogPrefix(benchmark::State& state) {
  if (!usable(state)) return;
  const Inputs& in = inputs();
  uint64_t parsed = 0, sshd = 0;
  for (auto _ : state) {
    YearState years = YearState::fixed(2025);
    LogLineView v;
    parsed = sshd = 0;
    for (std::string_view line : in.lines) {
      if (parse_syslog_line(line, v, years)) {
        ++parsed;
        sshd += is_sshd_program(v.program);
      }
    }
    keep(parsed);
    keep(sshd);
  }
  if (parsed * 10 < in.lines.size() * 9) state.SkipWithError("fewer than 90 % of the lines parsed");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.authlog.size()));
  state.counters["sshd_share"] = in.lines.empty() ? 0.0 : static_cast<double>(sshd) / in.lines.size();
}
BENCHMARK(BM_SyslogPrefix)->Unit(benchmark::kMillisecond);

// The sshd family matcher (leading-literal dispatch, then FastRegex or RE2
// for the captures, events/pattern_matcher.h) on every sshd body. Bytes are body bytes; file_bytes_per_second
// is the same time expressed over the whole authlog.
void BM_PatternMatch_SshdBodies(benchmark::State& state) {
  if (!usable(state)) return;
  const Inputs& in = inputs();
  const FamilyMatcher& matcher = pattern_db()->matcher("sshd");
  PatternMatch m;
  uint64_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    for (const std::string& body : in.sshd_bodies) matched += matcher.match(body, m);
    keep(matched);
  }
  if (matched * 10 < in.sshd_bodies.size() * 8) state.SkipWithError("fewer than 80 % of the sshd bodies matched");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.sshd_body_bytes));
  state.counters["matched_share"] = in.sshd_bodies.empty() ? 0.0 : static_cast<double>(matched) / in.sshd_bodies.size();
  state.counters["bodies_per_second"] = benchmark::Counter(
      static_cast<double>(in.sshd_bodies.size()) * state.iterations(), benchmark::Counter::kIsRate);
  file_rate(state, in.authlog.size());
}
BENCHMARK(BM_PatternMatch_SshdBodies)->Unit(benchmark::kMillisecond);

// Only the bodies no pattern knows: the cost of saying "no".
void BM_PatternMatch_UnknownBodies(benchmark::State& state) {
  if (!usable(state)) return;
  const Inputs& in = inputs();
  if (in.sshd_unknown.empty()) {
    state.SkipWithError("every sshd body matched; no unknown bodies to time");
    return;
  }
  const FamilyMatcher& matcher = pattern_db()->matcher("sshd");
  PatternMatch m;
  for (auto _ : state) {
    uint64_t matched = 0;
    for (const std::string& body : in.sshd_unknown) matched += matcher.match(body, m);
    keep(matched);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(in.sshd_unknown_bytes));
  state.counters["bodies_per_second"] = benchmark::Counter(
      static_cast<double>(in.sshd_unknown.size()) * state.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PatternMatch_UnknownBodies)->Unit(benchmark::kMillisecond);

// Record stage: LogRecordReader (line stage + format detection + prefix or
// JSON parse + LogRecord fill with its string copies).
void record_reader(benchmark::State& state, const std::string& data) {
  if (!usable(state)) return;
  uint64_t records = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto src = std::make_unique<MemorySource>("input", data);
    state.ResumeTiming();
    LogRecordReader reader(std::move(src), LogReaderOptions{.year = 2025});
    LogRecord rec;
    records = 0;
    while (true) {
      Result<bool> more = reader.next(rec);
      if (!more.ok() || !more.value()) break;
      ++records;
    }
    keep(records);
  }
  if (records == 0) state.SkipWithError("no records read");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(data.size()));
  state.counters["records"] = static_cast<double>(records);
}
void BM_LogRecordReader_Syslog(benchmark::State& state) { record_reader(state, inputs().authlog); }
void BM_LogRecordReader_JournalJson(benchmark::State& state) { record_reader(state, inputs().journal); }
BENCHMARK(BM_LogRecordReader_Syslog)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LogRecordReader_JournalJson)->Unit(benchmark::kMillisecond);

// The whole server path as `scan` runs it, minus the final report:
// records -> sshd gate -> patterns -> ServerConnectionBuilder -> rules ->
// ServerSummary; the per-connection sink does nothing.
void server_stream(benchmark::State& state, const std::string& data) {
  if (!usable(state)) return;
  const PatternDb& db = *pattern_db();
  uint64_t connections = 0, lines = 0;
  ServerStreamOptions options;
  options.year = 2025;
  ServerSink sink = [](ServerConnection&&, Diagnosis&&) {};
  for (auto _ : state) {
    state.PauseTiming();
    auto src = std::make_unique<MemorySource>("input", data);
    ServerSummary summary;
    state.ResumeTiming();
    Result<ServerStreamStats> stats = stream_server_log(std::move(src), 0, db, options, summary, sink);
    if (!stats.ok()) {
      state.SkipWithError(stats.error().to_string().c_str());
      return;
    }
    connections = summary.connections;
    lines = stats.value().lines;
    keep(connections);
    state.PauseTiming();  // ~ServerSummary is not part of the stream
    {
      ServerSummary gone = std::move(summary);
    }
    state.ResumeTiming();
  }
  if (connections == 0) state.SkipWithError("the stream rebuilt no connection");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(data.size()));
  state.counters["connections"] = static_cast<double>(connections);
  state.counters["lines"] = static_cast<double>(lines);
}
void BM_ServerStream_Syslog(benchmark::State& state) { server_stream(state, inputs().authlog); }
void BM_ServerStream_JournalJson(benchmark::State& state) { server_stream(state, inputs().journal); }
BENCHMARK(BM_ServerStream_Syslog)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ServerStream_JournalJson)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sshlogwhy

BENCHMARK_MAIN();
