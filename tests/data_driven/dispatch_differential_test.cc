// The matcher's dispatch (leading-literal trie, patterns_matcher.h) must
// give exactly the answer of trying every pattern in load order: the same
// pattern and the same captures, for every sample of every pattern and
// every line of every corpus file, in every family. A dispatch that loses a
// candidate shows up here as a line the reference matches and match() does
// not (or matches with a later pattern).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "events/leading_literal.h"
#include "events/pattern_db.h"
#include "events/pattern_loader.h"
#include "test_paths.h"

namespace sshlogwhy {
namespace {

struct Outcome {
  std::string id;
  std::vector<std::pair<std::string, std::string>> captures;
  bool operator==(const Outcome&) const = default;
};

Outcome outcome_of(bool matched, const PatternMatch& m) {
  Outcome o;
  if (!matched) return o;
  o.id = m.pattern->id;
  for (const auto& [k, v] : m.captures) o.captures.emplace_back(std::string(k), std::string(v));
  return o;
}

// The texts a line may reach a matcher as: whole, and with the prefixes the
// readers strip (a syslog header up to "]: ", a "debugN: " level).
std::vector<std::string> texts_of(const std::string& line) {
  std::vector<std::string> out{line};
  size_t tag = line.find("]: ");
  if (tag != std::string::npos) out.push_back(line.substr(tag + 3));
  for (const std::string& t : std::vector<std::string>(out)) {
    if (size_t skip = level_prefix_length(t)) out.push_back(t.substr(skip));
  }
  return out;
}

class Dispatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PatternLoad load = load_builtin_patterns();
    db_ = new PatternDb(std::move(load.patterns));
  }
  static void TearDownTestSuite() {
    delete db_;
    db_ = nullptr;
  }
  static PatternDb* db_;

  // Returns the number of texts checked; adds a failure per disagreement.
  static size_t check(const std::string& where, const std::string& line) {
    size_t checked = 0;
    for (const std::string& family : db_->families()) {
      const FamilyMatcher& m = db_->matcher(family);
      for (const std::string& text : texts_of(line)) {
        PatternMatch fast, reference;
        Outcome a = outcome_of(m.match(text, fast), fast);
        Outcome b = outcome_of(m.match_reference(text, reference), reference);
        ++checked;
        if (a == b) continue;
        ADD_FAILURE() << where << " [" << family << "] dispatch gives '" << a.id << "', reference gives '" << b.id
                      << "' for: " << text;
      }
    }
    return checked;
  }
};

PatternDb* Dispatch::db_ = nullptr;

TEST_F(Dispatch, MostPatternsAreDispatchedByALeadingLiteral) {
  for (const std::string& family : db_->families()) {
    const FamilyMatcher& m = db_->matcher(family);
    // Not an exactness requirement (the reference test below is), but a
    // regression guard: undispatched patterns are tried on every line.
    EXPECT_LT(m.undispatched_count() * 3, m.size()) << family << ": " << m.undispatched_count() << " of " << m.size()
                                                   << " patterns have no leading literal";
  }
}

TEST_F(Dispatch, AgreesWithReferenceOnEverySample) {
  size_t checked = 0;
  for (const Pattern& p : db_->patterns()) {
    for (const PatternSample& s : p.samples) checked += check(p.source_file + ":" + std::to_string(s.source_line), s.line);
  }
  EXPECT_GT(checked, 1000u);
}

TEST_F(Dispatch, AgreesWithReferenceOnEveryCorpusLine) {
  namespace fs = std::filesystem;
  size_t checked = 0, files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(fs::path(testing::source_dir()) / "corpus")) {
    if (!entry.is_regular_file()) continue;
    std::string ext = entry.path().extension().string();
    if (ext != ".txt" && ext != ".log") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string line;
    uint64_t n = 0;
    ++files;
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      checked += check(entry.path().string() + ":" + std::to_string(n), line);
    }
  }
  EXPECT_GT(files, 100u);
  EXPECT_GT(checked, 10000u);
}

}  // namespace
}  // namespace sshlogwhy
