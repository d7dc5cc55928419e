// Robustness over the real traces: every corpus/lab case whose input is one
// client trace (ssh-vvv.txt, ssh-v.txt or plink-v.txt) and that is not
// "pending" is run through the whole pipeline after the things that happen
// to traces on their way to us (line-ending changes, `ts` timestamps,
// terminal colour, pty NULs, chat quotes, gzip), and must keep the verdict
// it has untouched. Cutting it anywhere must give a verdict or a clean
// Error, never a crash, an exception or a sanitizer finding.
//
// Cases are discovered like corpus_test.cc does: a new lab capture is
// covered here without editing this file.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "pipeline/diagnose.h"
#include "reports/json_report.h"
#include "reports/text_report.h"
#include "test_paths.h"
#include "verdicts/verdict_texts.h"

namespace sshlogwhy {
namespace {

namespace fs = std::filesystem;

struct TraceCase {
  std::string name;  // scenario/file
  std::string path;
};

void PrintTo(const TraceCase& c, std::ostream* os) { *os << c.name; }

bool is_single_client_trace(const std::string& file) {
  return file == "ssh-vvv.txt" || file == "ssh-v.txt" || file == "plink-v.txt";
}

std::vector<TraceCase> discover() {
  std::vector<TraceCase> out;
  std::set<std::string> seen;
  fs::path root = fs::path(testing::source_dir()) / "corpus" / "lab";
  if (!fs::exists(root)) return out;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(root)) {
    fs::path f = entry.path() / "expected.json";
    if (entry.is_directory() && fs::exists(f)) files.push_back(f);
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.load(f.string()).get(doc)) continue;  // corpus_test reports invalid files
    simdjson::dom::array cases;
    if (doc["cases"].get_array().get(cases)) continue;
    for (simdjson::dom::element c : cases) {
      std::string_view pending;
      if (!c["pending"].get_string().get(pending)) continue;
      simdjson::dom::array inputs;
      if (c["input"].get_array().get(inputs) || inputs.size() != 1) continue;
      std::string_view in;
      if (inputs.at(0).get_string().get(in)) continue;
      std::string file(in);
      if (!is_single_client_trace(file)) continue;
      std::string path = (f.parent_path() / file).string();
      if (!seen.insert(path).second) continue;
      out.push_back(TraceCase{f.parent_path().filename().string() + "/" + file, path});
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The logical lines of a trace, without their line endings.
std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    while (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    start = nl + 1;
  }
  return out;
}

template <typename F>
std::string map_lines(const std::string& text, F f, const char* eol = "\n") {
  std::string out;
  size_t i = 0;
  for (const std::string& line : split_lines(text)) out += f(line, i++) + eol;
  return out;
}

std::string gzip(const std::string& data) {
  std::ostringstream out;
  boost::iostreams::filtering_ostream z;
  z.push(boost::iostreams::gzip_compressor());
  z.push(out);
  z << data;
  z.reset();
  return out.str();
}

const PatternDb& db() {
  static Result<std::unique_ptr<PatternDb>> d = load_pattern_db({});
  if (!d.ok()) {
    ADD_FAILURE() << d.error().to_string();
    std::abort();
  }
  return *d.value();
}

const VerdictTexts& texts() {
  static Result<VerdictTexts> t = VerdictTexts::builtin();
  if (!t.ok()) {
    ADD_FAILURE() << t.error().to_string();
    std::abort();
  }
  return t.value();
}

struct Outcome {
  bool ok = false;
  std::string verdict;  // or the error text
};

Outcome run_text(const std::string& name, const std::string& text) {
  Result<Analysis> a = diagnose_text(name, text, db(), DiagnoseOptions{});
  if (!a.ok()) return Outcome{false, a.error().to_string()};
  return Outcome{true, a.value().answer.verdict.id};
}

class RobustnessTest : public ::testing::TestWithParam<TraceCase> {
 protected:
  void SetUp() override {
    original_ = read_file(GetParam().path);
    ASSERT_FALSE(original_.empty()) << GetParam().path;
    Outcome base = run_text(GetParam().name, original_);
    ASSERT_TRUE(base.ok) << "the untouched trace gives an error: " << base.verdict;
    baseline_ = base.verdict;
  }

  void expect_same(const char* what, const std::string& text) {
    Outcome o = run_text(GetParam().name, text);
    EXPECT_TRUE(o.ok) << what << ": error " << o.verdict;
    if (o.ok) {
      EXPECT_EQ(o.verdict, baseline_) << what << " changed the verdict";
    }
  }

  std::string original_;
  std::string baseline_;
};

// One test per trace (each ctest entry is a process; a test per
// transformation would multiply the suite's run time for nothing). Every
// check names its transformation.
TEST_P(RobustnessTest, CaptureNoiseKeepsTheVerdict) {
  const auto same = [](const std::string& l, size_t) { return l; };
  expect_same("all line endings CRLF", map_lines(original_, same, "\r\n"));

  std::string lf = map_lines(original_, same);
  EXPECT_EQ(lf.find('\r'), std::string::npos);
  expect_same("all line endings LF", lf);

  expect_same("`ts` default prefix",
              map_lines(original_, [](const std::string& l, size_t) { return "Nov 23 18:12:27 " + l; }));
  expect_same("`ts '%Y-%m-%d %H:%M:%.S'` prefix", map_lines(original_, [](const std::string& l, size_t) {
                return "2026-11-23 18:12:27.331766 " + l;
              }));

  expect_same("ANSI colour around every line", map_lines(original_, [](const std::string& l, size_t i) {
                return std::string(i % 2 ? "\x1b[1;31m" : "\x1b[33m") + l + "\x1b[0m";
              }));

  std::string with_nul = map_lines(original_, [](const std::string& l, size_t i) {
    if (i % 5 != 0 || l.size() < 2) return l;  // line 0 (the version line) too
    std::string out = l;
    out.insert(out.size() / 2, 1, '\0');
    return out;
  });
  EXPECT_NE(with_nul.find('\0'), std::string::npos);
  expect_same("a NUL in the middle of every fifth line", with_nul);

  expect_same("chat quotes `> `", map_lines(original_, [](const std::string& l, size_t) { return "> " + l; }));
  expect_same("chat quotes `> ` and CRLF",
              map_lines(original_, [](const std::string& l, size_t) { return "> " + l; }, "\r\n"));
}

TEST_P(RobustnessTest, GzipCompressedFileKeepsTheVerdict) {
  fs::path dir = fs::temp_directory_path() / ("sshlogwhy-robust-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path file = dir / "trace.txt.gz";
  {
    std::ofstream out(file, std::ios::binary);
    out << gzip(original_);
  }
  Result<Analysis> a = diagnose({file.string()}, db(), DiagnoseOptions{});
  std::error_code ec;
  fs::remove_all(dir, ec);
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a.value().answer.verdict.id, baseline_);
}

// A trace cut at every 10% of its bytes (so mostly mid-line), and at every
// line boundary near the start and the end (where a copy-paste usually
// loses lines): a verdict or a clean error, and both reports can be written.
TEST_P(RobustnessTest, TruncationNeverCrashes) {
  std::vector<size_t> cuts;
  for (int tenth = 0; tenth <= 10; ++tenth) cuts.push_back(original_.size() * tenth / 10);
  std::vector<size_t> line_ends;
  for (size_t pos = original_.find('\n'); pos != std::string::npos; pos = original_.find('\n', pos + 1)) {
    line_ends.push_back(pos + 1);
  }
  for (size_t i = 0; i < line_ends.size(); ++i) {
    if (i < 6 || i + 6 >= line_ends.size()) cuts.push_back(line_ends[i]);
  }
  for (size_t cut : cuts) {
    SCOPED_TRACE("cut at byte " + std::to_string(cut) + " of " + std::to_string(original_.size()));
    try {
      Result<Analysis> a = diagnose_text(GetParam().name, std::string_view(original_).substr(0, cut), db(),
                                         DiagnoseOptions{});
      if (!a.ok()) {
        EXPECT_FALSE(a.error().message.empty());
        continue;
      }
      const Analysis& an = a.value();
      EXPECT_FALSE(an.answer.verdict.id.empty());
      EXPECT_NE(texts().find(an.answer.verdict.id), nullptr)
          << "verdict without a text: " << an.answer.verdict.id;
      EXPECT_LT(an.diagnosis.conversation_index, an.conversations.size());
      ReportOptions ro;
      ro.verbose = true;
      EXPECT_FALSE(text_report(an, texts(), ro).empty());
      std::string json = json_report(an, texts());
      simdjson::dom::parser parser;
      simdjson::dom::element doc;
      EXPECT_FALSE(parser.parse(json).get(doc)) << "json_report is not valid JSON";
      if (cut == original_.size()) {
        EXPECT_EQ(an.answer.verdict.id, baseline_);
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "exception: " << e.what();
    } catch (...) {
      ADD_FAILURE() << "unknown exception";
    }
  }
}

std::string case_name(const ::testing::TestParamInfo<TraceCase>& info) {
  std::string n = info.param.name;
  for (char& ch : n) {
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Lab, RobustnessTest, ::testing::ValuesIn(discover()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(RobustnessTest);

TEST(RobustnessDiscovery, FindsTheLabTraces) {
  // The lab has ssh -vvv, ssh -v and plink captures; if discovery silently
  // found none, every test above would vanish.
  std::vector<TraceCase> cases = discover();
  size_t vvv = 0, v = 0, plink = 0;
  for (const TraceCase& c : cases) {
    std::string file = fs::path(c.path).filename().string();
    vvv += file == "ssh-vvv.txt";
    v += file == "ssh-v.txt";
    plink += file == "plink-v.txt";
  }
  EXPECT_GE(vvv, 10u);
  EXPECT_GE(v, 10u);
  EXPECT_GE(plink, 5u);
}

}  // namespace
}  // namespace sshlogwhy
