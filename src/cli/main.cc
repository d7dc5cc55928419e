// sshlogwhy's command line: the only place that prints, and the only place
// that decides exit codes:
//   0  the login succeeded (verdict `success`)
//   1  a failure was diagnosed (any other verdict)
//   2  usage error, unreadable or unrecognised input, bad pattern files
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "events/pattern_lint.h"
#include "events/pattern_loader.h"
#include "logs/log_time.h"
#include "pipeline/diagnose.h"
#include "pipeline/scan.h"
#include "reports/scan_report.h"
#include "reports/json_report.h"
#include "reports/sanitize.h"
#include "reports/text_report.h"
#include "verdicts/verdict_texts.h"

namespace sshlogwhy {
namespace {

constexpr int kExitSuccess = 0;
constexpr int kExitFailureDiagnosed = 1;
constexpr int kExitError = 2;

constexpr const char* kVersion = "sshlogwhy 0.1.0";

const char* kFooter = R"(Examples:
  ssh -vvv user@host 2>&1 | sshlogwhy          diagnose a login the moment it fails
  sshlogwhy /var/log/auth.log --user alice     why alice's logins failed, from the server's log
  sshlogwhy trace.txt /var/log/auth.log        client trace + server log: one joint verdict
  sshlogwhy scan /var/log/auth.log*            server-wide report (see sshlogwhy scan --help)
  sshlogwhy trace.txt                          diagnose a saved trace (also .gz .bz2 .xz .zst)
  sshlogwhy --format json trace.txt | jq .verdict.id
  GIT_SSH_COMMAND="ssh -vvv" git fetch 2>&1 | sshlogwhy
  plink -v -batch user@host 2>&1 | sshlogwhy   PuTTY/plink output and Event Log copies work too
  sshlogwhy explain key_not_authorized         what a verdict means and how to fix it
  sshlogwhy verdicts                           every verdict id

Exit status: 0 the login succeeded, 1 a failure was diagnosed, 2 usage or input error.
Private key blocks pasted into the input are detected and never shown.)";

int print_error(const std::string& message) {
  std::cerr << "sshlogwhy: error: " << terminal_safe(message) << "\n";
  return kExitError;
}

// "2026-11-23", "2026-11-23T10:00", "2026-11-23 10:00:05[.123]", each
// optionally followed by a zone ("Z", "+01:00", "-0500") -> microseconds.
// Without a zone the time is compared as written with the log's own times;
// with one it is converted to UTC, which is what zoned logs (RFC 3339,
// journald) are compared in. False if malformed, including trailing text.
bool parse_when(const std::string& text, bool end_of_day, int64_t& out) {
  size_t i = 0;
  auto digits = [&](int count, int& value) {
    value = 0;
    for (int k = 0; k < count; ++k, ++i) {
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return false;
      value = value * 10 + (text[i] - '0');
    }
    return true;
  };
  auto take = [&](char c) {
    if (i < text.size() && text[i] == c) {
      ++i;
      return true;
    }
    return false;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!digits(4, y) || !take('-') || !digits(2, mo) || !take('-') || !digits(2, d)) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  bool has_time = false;
  int64_t micros = 0;
  if (i < text.size() && (text[i] == 'T' || text[i] == ' ')) {
    ++i;
    if (!digits(2, h) || !take(':') || !digits(2, mi)) return false;
    if (take(':')) {
      if (!digits(2, se)) return false;
      if (take('.')) {
        int64_t scale = 100000;
        size_t start = i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, scale /= 10) micros += (text[i] - '0') * scale;
        if (i == start) return false;
      }
    }
    if (h > 23 || mi > 59 || se > 60) return false;
    has_time = true;
  }
  int offset_minutes = 0;
  if (take('Z')) {
    // UTC
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int sign = text[i] == '-' ? -1 : 1;
    ++i;
    int oh = 0, om = 0;
    if (!digits(2, oh)) return false;
    take(':');
    if (!digits(2, om) || oh > 23 || om > 59) return false;
    offset_minutes = sign * (oh * 60 + om);
  }
  if (i != text.size()) return false;
  if (!has_time && end_of_day) {
    h = 23;
    mi = 59;
    se = 59;
    micros = 999999;
  }
  const int64_t days = days_from_civil(y, mo, d);
  out = ((days * 86400) + h * 3600 + mi * 60 + se - offset_minutes * 60LL) * 1000000LL + micros;
  return true;
}

struct ServerFlags {
  std::string user, from, since, until;
  int year = 0;
};

void add_server_flags(CLI::App* app, ServerFlags& f) {
  app->add_option("--user", f.user, "Server logs: only connections for this user")->type_name("NAME");
  app->add_option("--from", f.from, "Server logs: only connections from this client address")->type_name("IP");
  app->add_option("--since", f.since,
                  "Server logs: only connections that ended at or after (2026-11-23[T10:00[:00]]); as written in the "
                  "log, or with a zone (Z, +01:00) to compare in UTC")
      ->type_name("TIME");
  app->add_option("--until", f.until, "Server logs: only connections that started at or before")->type_name("TIME");
  app->add_option("--year", f.year, "Year of syslog lines that have none (default: from the file's date)")
      ->type_name("YYYY")
      ->check(CLI::Range(1970, 2200));
}

// Turns the flags into stream options; an error message if a time is malformed.
std::string to_stream_options(const ServerFlags& f, ServerStreamOptions& o) {
  o.year = f.year;
  o.filter.user = f.user;
  o.filter.from = f.from;
  if (!f.since.empty() && !parse_when(f.since, false, o.filter.since_us)) {
    return "--since: \"" + f.since + "\" is not a time; use 2026-11-23, 2026-11-23T10:00, 2026-11-23T10:00:05 "
           "or with a zone, 2026-11-23T10:00:05+01:00";
  }
  if (!f.until.empty() && !parse_when(f.until, true, o.filter.until_us)) {
    return "--until: \"" + f.until + "\" is not a time; use 2026-11-23, 2026-11-23T10:00, 2026-11-23T10:00:05 "
           "or with a zone, 2026-11-23T10:00:05+01:00";
  }
  return {};
}

struct MainOptions {
  ServerFlags server;
  std::vector<std::string> files;
  std::string format = "text";
  std::string color = "auto";
  std::string input_format = "auto";
  bool verbose = false;
  std::vector<std::string> pattern_dirs;
};

int run_diagnose(const MainOptions& o) {
  Result<std::unique_ptr<PatternDb>> db = load_pattern_db(o.pattern_dirs);
  if (!db.ok()) return print_error(db.error().to_string());
  Result<VerdictTexts> texts = VerdictTexts::builtin();
  if (!texts.ok()) return print_error(texts.error().to_string());

  std::vector<std::string> files = o.files.empty() ? std::vector<std::string>{"-"} : o.files;
  for (const std::string& f : files) {
    if (f == "-" && isatty(STDIN_FILENO)) {
      std::cerr << "sshlogwhy: reading a trace from the terminal: paste it, then press Ctrl-D.\n"
                   "           (usually: ssh -vvv user@host 2>&1 | sshlogwhy; see sshlogwhy --help)\n";
    }
  }
  DiagnoseOptions options;
  if (std::string bad = to_stream_options(o.server, options.server); !bad.empty()) return print_error(bad);
  if (o.input_format == "openssh") options.format = TraceFormat::kOpenssh;
  if (o.input_format == "putty") options.format = TraceFormat::kPutty;

  Result<Analysis> analysis = diagnose(files, *db.value(), options);
  if (!analysis.ok()) return print_error(analysis.error().to_string());
  const Analysis& a = analysis.value();
  for (const std::string& w : a.warnings) std::cerr << "sshlogwhy: warning: " << terminal_safe(w) << "\n";

  if (o.format == "json") {
    std::cout << json_report(a, texts.value());
  } else {
    ReportOptions ro;
    ro.verbose = o.verbose;
    ro.color = o.color == "always" || (o.color == "auto" && isatty(STDOUT_FILENO) && getenv("NO_COLOR") == nullptr);
    std::cout << text_report(a, texts.value(), ro) << "\n";
  }
  std::cout.flush();
  if (!std::cout) return print_error("cannot write the report to standard output");
  return a.answer.verdict.id == "success" ? kExitSuccess : kExitFailureDiagnosed;
}

struct ScanOptions {
  std::vector<std::string> files;
  std::string format = "text";
  std::string color = "auto";
  std::vector<std::string> pattern_dirs;
  ServerFlags server;
  unsigned threads = 0;  // 0: the number of cores
  size_t chunk_bytes = 0;  // 0: the default (ServerStreamOptions)
};

int run_scan(const ScanOptions& o) {
  Result<std::unique_ptr<PatternDb>> db = load_pattern_db(o.pattern_dirs);
  if (!db.ok()) return print_error(db.error().to_string());
  Result<VerdictTexts> texts = VerdictTexts::builtin();
  if (!texts.ok()) return print_error(texts.error().to_string());
  ServerStreamOptions options;
  if (std::string bad = to_stream_options(o.server, options); !bad.empty()) return print_error(bad);
  options.threads = o.threads != 0 ? o.threads : std::max(1u, std::thread::hardware_concurrency());
  if (o.chunk_bytes != 0) options.chunk_bytes = o.chunk_bytes;
  std::vector<std::string> files = o.files.empty() ? std::vector<std::string>{"-"} : o.files;
  for (const std::string& f : files) {
    if (f == "-" && isatty(STDIN_FILENO)) {
      std::cerr << "sshlogwhy: reading a server log from the terminal: paste it, then press Ctrl-D.\n"
                   "           (usually: sshlogwhy scan /var/log/auth.log*, or journalctl -u ssh -o json | sshlogwhy scan -)\n";
    }
  }
  bool ndjson = o.format == "ndjson";
  ServerSink sink;
  if (ndjson) {
    sink = [&](ServerConnection&& c, Diagnosis&& d) { std::cout << scan_ndjson_line(c, d, texts.value()); };
  }
  // A progress line on a terminal only; it costs one callback per 64K records.
  if (isatty(STDERR_FILENO)) {
    options.progress = [](uint64_t bytes) {
      std::cerr << "\rsshlogwhy: scanning... " << (bytes >> 20) << " MiB read" << std::flush;
    };
  }
  Result<ScanResult> result = scan(files, *db.value(), options, sink);
  if (isatty(STDERR_FILENO)) std::cerr << "\r\x1b[K" << std::flush;
  if (!result.ok()) return print_error(result.error().to_string());
  for (const std::string& w : result.value().warnings) std::cerr << "sshlogwhy: warning: " << terminal_safe(w) << "\n";
  if (result.value().summary.connections == 0) {
    bool filtered = !o.server.user.empty() || !o.server.from.empty() || !o.server.since.empty() || !o.server.until.empty();
    return print_error(filtered ? "no sshd connection matches the filters (--user, --from, --since, --until)"
                                : "no sshd connection found in the input");
  }
  if (o.format == "json") {
    std::cout << scan_json_report(result.value());
  } else if (!ndjson) {
    bool color = o.color == "always" || (o.color == "auto" && isatty(STDOUT_FILENO) && getenv("NO_COLOR") == nullptr);
    std::cout << scan_text_report(result.value(), texts.value(), color);
  }
  std::cout.flush();
  if (!std::cout) return print_error("cannot write the report to standard output");
  return kExitSuccess;
}

int run_explain(const std::string& id) {
  Result<VerdictTexts> texts = VerdictTexts::builtin();
  if (!texts.ok()) return print_error(texts.error().to_string());
  const VerdictText* t = texts.value().find(id);
  if (t == nullptr) {
    return print_error("unknown verdict id \"" + terminal_safe(id) + "\"; `sshlogwhy verdicts` lists them");
  }
  std::cout << explain_text(*t);
  return kExitSuccess;
}

int run_verdicts() {
  Result<VerdictTexts> texts = VerdictTexts::builtin();
  if (!texts.ok()) return print_error(texts.error().to_string());
  size_t width = 0;
  for (const VerdictText& t : texts.value().all()) width = std::max(width, t.id.size());
  std::vector<std::pair<std::string, std::string>> none;
  for (const VerdictText& t : texts.value().all()) {
    std::string id = t.id;
    id.resize(width + 2, ' ');
    std::cout << id << render(t.title, none) << "\n";
  }
  return kExitSuccess;
}

int run_lint(const std::vector<std::string>& dirs) {
  PatternLoad load;
  std::string what;
  if (dirs.empty()) {
    load = load_builtin_patterns();
    what = "built-in patterns";
  } else {
    for (const std::string& d : dirs) {
      PatternLoad one;
      load_pattern_dir(d, one);
      merge_patterns(load, std::move(one));
      what += (what.empty() ? "" : ", ") + d;
    }
  }
  LintReport r = lint_patterns(load);
  for (const Error& e : r.errors) std::cerr << e.to_string() << "\n";
  std::cout << what << ": " << r.patterns << " patterns, " << r.samples << " samples, " << r.families
            << " families, " << r.errors.size() << " problem(s)\n";
  return r.errors.empty() ? kExitSuccess : kExitError;
}

}  // namespace
}  // namespace sshlogwhy

int main(int argc, char** argv) {
  using namespace sshlogwhy;
  CLI::App app{
      "sshlogwhy: why can't I log in over SSH?\n"
      "Reads what SSH already prints (ssh -v/-vv/-vvv traces, PuTTY/plink logs, sshd logs), rebuilds the\n"
      "authentication conversation and prints the root cause, the evidence lines and the fix.",
      "sshlogwhy"};
  app.footer(kFooter);
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(0, 1);

  MainOptions o;
  app.add_option("files", o.files, "Traces or logs to read; '-' or nothing reads standard input")
      ->type_name("FILE");
  app.add_option("--format", o.format, "Output: text (default) or json (schema sshlogwhy.diagnosis/1)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT");
  app.add_option("--color", o.color, "Colour: auto (only on a terminal, default), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  app.add_option("--input-format", o.input_format,
                 "What the input is: auto (default), openssh (ssh -v output), putty (PuTTY/plink)")
      ->check(CLI::IsMember({"auto", "openssh", "putty"}))
      ->type_name("KIND");
  app.add_flag("-v,--verbose", o.verbose, "Also print the rebuilt conversation as a timeline");
  add_server_flags(&app, o.server);
  app.add_option("--patterns", o.pattern_dirs, "Load extra pattern files from DIR (same id = override; repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false)
      ->check(CLI::ExistingDirectory);

  std::string explain_id;
  CLI::App* explain = app.add_subcommand("explain", "Explain one verdict id: what it means and how to fix it");
  explain->add_option("id", explain_id, "A verdict id, e.g. key_not_authorized")->required();

  app.add_subcommand("verdicts", "List every verdict id with its title");

  ScanOptions scan_o;
  CLI::App* scan_cmd = app.add_subcommand(
      "scan",
      "Server-wide report over sshd logs (auth.log*, secure*, journalctl output; rotated and compressed): "
      "connections, failures by cause, brute-force sources, successes after failures");
  scan_cmd->add_option("files", scan_o.files, "sshd logs ('-' or nothing: standard input); rotated files are read oldest first")
      ->type_name("FILE");
  scan_cmd->add_option("--format", scan_o.format, "text (default), json (schema sshlogwhy.scan/1), ndjson (one object per connection)")
      ->check(CLI::IsMember({"text", "json", "ndjson"}))
      ->type_name("FORMAT");
  scan_cmd->add_option("--color", scan_o.color, "auto (default), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->type_name("WHEN");
  scan_cmd->add_option("--patterns", scan_o.pattern_dirs, "Load extra pattern files from DIR (repeatable)")
      ->type_name("DIR")
      ->allow_extra_args(false)
      ->check(CLI::ExistingDirectory);
  scan_cmd->add_option("--threads", scan_o.threads,
                       "Worker threads for reading and matching (default: the number of cores); "
                       "the report is the same for any count")
      ->check(CLI::Range(1u, 256u))
      ->type_name("N");
  // Tests cut small inputs into many chunks with it (tests/cli/threads.sh);
  // not in --help.
  scan_cmd->add_option("--chunk-bytes", scan_o.chunk_bytes)->check(CLI::Range(size_t{4096}, size_t{1} << 30))->group("");
  add_server_flags(scan_cmd, scan_o.server);
  scan_cmd->footer(
      "Examples:\n"
      "  sshlogwhy scan /var/log/auth.log*\n"
      "  journalctl -u ssh -o json | sshlogwhy scan -\n"
      "  sshlogwhy scan --format ndjson /var/log/secure | jq 'select(.verdict.id != \"success\")'\n"
      "Exit status: 0 report printed, 2 usage or input error (or no sshd connection found).");

  std::vector<std::string> lint_dirs;
  CLI::App* lint = app.add_subcommand(
      "lint-patterns", "Check pattern files: JSON shape, regexes, and that every sample matches exactly one pattern");
  lint->add_option("dirs", lint_dirs, "Pattern directories (default: the built-in patterns)")
      ->check(CLI::ExistingDirectory)
      ->type_name("DIR");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  if (*explain) return run_explain(explain_id);
  if (app.got_subcommand("verdicts")) return run_verdicts();
  if (*scan_cmd) return run_scan(scan_o);
  if (*lint) return run_lint(lint_dirs);
  return run_diagnose(o);
}
