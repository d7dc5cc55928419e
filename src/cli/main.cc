// sshlogwhy's command line: the only place that prints, and the only place
// that decides exit codes:
//   0  the login succeeded (verdict `success`)
//   1  a failure was diagnosed (any other verdict)
//   2  usage error, unreadable or unrecognised input, bad pattern files
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "events/pattern_lint.h"
#include "events/pattern_loader.h"
#include "pipeline/diagnose.h"
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
  sshlogwhy trace.txt                          diagnose a saved trace (also .gz .bz2 .xz .zst)
  sshlogwhy --format json trace.txt | jq .verdict.id
  GIT_SSH_COMMAND="ssh -vvv" git fetch 2>&1 | sshlogwhy
  plink -v -batch user@host 2>&1 | sshlogwhy   PuTTY/plink output and Event Log copies work too
  sshlogwhy explain key_not_authorized         what a verdict means and how to fix it
  sshlogwhy verdicts                           every verdict id

Exit status: 0 the login succeeded, 1 a failure was diagnosed, 2 usage or input error.
Private key blocks pasted into the input are detected and never shown.)";

int print_error(const std::string& message) {
  std::cerr << "sshlogwhy: error: " << message << "\n";
  return kExitError;
}

struct MainOptions {
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
  return a.diagnosis.overall.verdict.id == "success" ? kExitSuccess : kExitFailureDiagnosed;
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
      "Reads what SSH already prints (ssh -v/-vv/-vvv traces, PuTTY/plink logs), rebuilds the\n"
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
  app.add_option("--patterns", o.pattern_dirs, "Load extra pattern files from DIR (same id = override)")
      ->type_name("DIR")
      ->check(CLI::ExistingDirectory);

  std::string explain_id;
  CLI::App* explain = app.add_subcommand("explain", "Explain one verdict id: what it means and how to fix it");
  explain->add_option("id", explain_id, "A verdict id, e.g. key_not_authorized")->required();

  app.add_subcommand("verdicts", "List every verdict id with its title");

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
  if (*lint) return run_lint(lint_dirs);
  return run_diagnose(o);
}
