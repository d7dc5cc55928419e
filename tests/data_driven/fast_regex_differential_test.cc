// FastRegex against RE2 on the real patterns and real lines.
//
// Every built-in pattern is compiled with FastRegex (the count that takes
// the fast path is printed per family) and with RE2 using the options of
// events/pattern_matcher.cc. Then every compiled pattern runs on every text
// below, and both engines must agree on match/no-match and on the span of
// every group:
//   * every sample line of every pattern;
//   * every line of every corpus/**/*.txt and *.log file;
//   * the first 50,000 lines of /tmp/sshlogwhy-bench/auth-256M-s1.slice.log
//     when that file exists (a synthetic auth.log made by the benchmarks);
// each line also with its first one and two ": "-separated prefixes cut off,
// which turns "Nov 20 ... sshd[12]: Accepted ..." and "debug1: Offering ..."
// into the message bodies the patterns are written for. kGaveUp counts as
// skipped and must stay under 0.1 % of the checks.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "events/fast_regex.h"
#include "events/pattern_loader.h"
#include "test_paths.h"

namespace sshlogwhy {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBenchSlice = "/tmp/sshlogwhy-bench/auth-256M-s1.slice.log";
constexpr size_t kBenchLines = 50000;

re2::RE2::Options re2_options() {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_never_nl(true);
  options.set_max_mem(8 << 20);
  return options;
}

// Adds `line` and its bodies after the first one and two ": " to `out`.
void add_variants(std::string_view line, std::unordered_set<std::string>& out) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  out.emplace(line);
  size_t at = 0;
  for (int cut = 0; cut < 2; ++cut) {
    at = line.find(": ", at);
    if (at == std::string_view::npos) break;
    at += 2;
    out.emplace(line.substr(at));
  }
}

void add_file_lines(const fs::path& path, size_t max_lines, std::unordered_set<std::string>& out) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  size_t count = 0;
  while (count < max_lines && std::getline(in, line)) {
    add_variants(line, out);
    ++count;
  }
}

struct Engines {
  const Pattern* pattern = nullptr;
  std::unique_ptr<FastRegex> fast;
  std::unique_ptr<re2::RE2> re;
};

std::string describe(const re2::StringPiece* g, int n, const char* base) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    if (i > 0) s += ' ';
    s += g[i].data() == nullptr ? std::string("-")
                                : std::to_string(g[i].data() - base) + "," + std::to_string(g[i].size());
  }
  return s;
}

TEST(FastRegexDifferential, AgreesWithRE2OnEveryPatternAndLine) {
  PatternLoad load = load_builtin_patterns();
  ASSERT_GT(load.patterns.size(), 0u);

  // Compile everything; count the fast path per family.
  std::vector<Engines> engines;
  std::map<std::string, std::pair<int, int>> per_family;  // family -> (fast, total)
  std::vector<std::string> not_fast;
  for (const Pattern& p : load.patterns) {
    auto re = std::make_unique<re2::RE2>(p.regex, re2_options());
    ASSERT_TRUE(re->ok()) << p.id << ": " << re->error();
    std::unique_ptr<FastRegex> fast = FastRegex::compile(p.regex);
    per_family[p.family].second++;
    if (fast == nullptr) {
      not_fast.push_back(p.id);
      continue;
    }
    per_family[p.family].first++;
    EXPECT_EQ(fast->group_count(), re->NumberOfCapturingGroups()) << p.id;
    engines.push_back(Engines{&p, std::move(fast), std::move(re)});
  }
  std::cout << "FastRegex compiles " << engines.size() << " of " << load.patterns.size() << " patterns:";
  for (const auto& [family, counts] : per_family) std::cout << " " << family << " " << counts.first << "/" << counts.second;
  std::cout << "\n";
  for (const std::string& id : not_fast) std::cout << "  stays on RE2: " << id << "\n";
  ::testing::Test::RecordProperty("fast_patterns", static_cast<int>(engines.size()));
  ::testing::Test::RecordProperty("total_patterns", static_cast<int>(load.patterns.size()));

  // The texts.
  std::unordered_set<std::string> texts;
  for (const Pattern& p : load.patterns)
    for (const PatternSample& s : p.samples) add_variants(s.line, texts);
  fs::path corpus = fs::path(testing::source_dir()) / "corpus";
  std::vector<fs::path> files;
  if (fs::exists(corpus)) {
    for (const auto& entry : fs::recursive_directory_iterator(corpus)) {
      std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".txt" || ext == ".log")) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) add_file_lines(f, SIZE_MAX, texts);
  bool bench = fs::exists(kBenchSlice);
  if (bench) add_file_lines(kBenchSlice, kBenchLines, texts);
  std::vector<std::string> sorted(texts.begin(), texts.end());
  std::sort(sorted.begin(), sorted.end());

  // Both engines on every (pattern, text).
  uint64_t checks = 0, matches = 0, gave_up = 0, mismatches = 0;
  std::vector<std::string_view> fast_groups;
  std::vector<re2::StringPiece> re2_groups;
  for (const Engines& e : engines) {
    const int n = e.re->NumberOfCapturingGroups() + 1;
    fast_groups.assign(static_cast<size_t>(n), {});
    re2_groups.assign(static_cast<size_t>(n), {});
    for (const std::string& text : sorted) {
      ++checks;
      FastRegex::Outcome out = e.fast->match(text, fast_groups.data(), n);
      if (out == FastRegex::Outcome::kGaveUp) {
        ++gave_up;
        continue;
      }
      bool want = e.re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), re2::RE2::UNANCHORED,
                              re2_groups.data(), n);
      bool got = out == FastRegex::Outcome::kMatch;
      bool same = want == got;
      if (same && got) {
        ++matches;
        for (int i = 0; i < n && same; ++i) {
          same = fast_groups[i].data() == re2_groups[i].data() && fast_groups[i].size() == re2_groups[i].size();
        }
      }
      if (!same && ++mismatches <= 20) {
        std::vector<re2::StringPiece> as_pieces;
        for (std::string_view v : fast_groups) as_pieces.emplace_back(v.data(), v.size());
        ADD_FAILURE() << e.pattern->id << " /" << e.pattern->regex << "/ on \"" << text << "\": RE2 "
                      << (want ? describe(re2_groups.data(), n, text.data()) : "nomatch") << ", FastRegex "
                      << (got ? describe(as_pieces.data(), n, text.data()) : "nomatch");
      }
    }
  }
  std::cout << "checked " << sorted.size() << " distinct texts (" << files.size() << " corpus files"
            << (bench ? ", bench slice" : ", no bench slice") << ") x " << engines.size() << " patterns = " << checks
            << " checks, " << matches << " matches, " << gave_up << " gave up, " << mismatches << " mismatches\n";
  EXPECT_EQ(mismatches, 0u);
  EXPECT_LE(gave_up * 1000, checks) << "FastRegex gave up on more than 0.1 % of the checks";
}

}  // namespace
}  // namespace sshlogwhy
