// The two halves of the matcher's dispatch: leading_literal() must never
// claim text a match can do without, and LiteralSet must find every
// occurrence. (The whole dispatch is checked against trying every pattern
// in tests/data_driven/dispatch_differential_test.cc.)
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "events/leading_literal.h"
#include "events/literal_set.h"

namespace sshlogwhy {
namespace {

std::string lead_of(const std::string& regex) { return leading_literal(regex).text; }

TEST(LeadingLiteral, TakesLiteralTextAfterTheAnchor) {
  EXPECT_EQ(lead_of("^Accepted (?P<m>\\S+) for"), "Accepted ");
  EXPECT_EQ(lead_of("^drop connection #(?P<n>\\d+)"), "drop connection #");
  EXPECT_EQ(lead_of("^pam_[a-z]+\\("), "pam_");
  EXPECT_EQ(lead_of("^Timeout, client not responding\\."), "Timeout, client not responding.");
}

TEST(LeadingLiteral, SkipsTheOptionalLevelPrefix) {
  LeadingLiteral l = leading_literal("^(?:(?:error|fatal|debug[1-3]): )?Invalid user (?P<user>.*)");
  EXPECT_TRUE(l.anchored);
  EXPECT_TRUE(l.level_prefix);
  EXPECT_EQ(l.text, "Invalid user ");
}

TEST(LeadingLiteral, EntersGroupsWithoutAlternation) {
  EXPECT_EQ(lead_of("^(?P<reason>Did not receive) from"), "Did not receive from");
  EXPECT_EQ(lead_of("^(?:ab)(?P<x>cd)e"), "abcde");
}

TEST(LeadingLiteral, StopsWhereTextIsOptionalOrVariable) {
  EXPECT_EQ(lead_of("^abc?d"), "ab");           // c is optional
  EXPECT_EQ(lead_of("^ab*"), "a");
  EXPECT_EQ(lead_of("^a{2}"), "");
  EXPECT_EQ(lead_of("^(?:ab)?c"), "");          // optional group
  EXPECT_EQ(lead_of("^(?P<r>probed|scanned) from"), "");  // alternation inside
  EXPECT_EQ(lead_of("^a\\d"), "a");
  EXPECT_EQ(lead_of("^a\\.b"), "a.b");
  EXPECT_EQ(lead_of("^a\\.?b"), "a");
  EXPECT_EQ(lead_of("^(?i)abc"), "");            // flags change the meaning
  EXPECT_EQ(lead_of("^[ab]c"), "");
}

TEST(LeadingLiteral, UnanchoredOrTopLevelAlternationHasNoLead) {
  EXPECT_FALSE(leading_literal("Accepted (\\S+)").anchored);
  EXPECT_FALSE(leading_literal("^abc|def").anchored);
  EXPECT_TRUE(leading_literal("^abc(?:d|e)").anchored);
  EXPECT_EQ(lead_of("^abc(?:d|e)"), "abc");
  EXPECT_EQ(lead_of("^a[|]b"), "a");  // a '|' in a class is no alternation
  EXPECT_TRUE(leading_literal("^a[|]b").anchored);
}

TEST(LevelPrefix, KnowsSshdSeverities) {
  EXPECT_EQ(level_prefix_length("error: x"), 7u);
  EXPECT_EQ(level_prefix_length("fatal: x"), 7u);
  EXPECT_EQ(level_prefix_length("debug3: x"), 8u);
  EXPECT_EQ(level_prefix_length("debug4: x"), 0u);
  EXPECT_EQ(level_prefix_length("errors: x"), 0u);
  EXPECT_EQ(level_prefix_length(""), 0u);
}

// LiteralSet against a plain find() for every literal, on random texts over
// a small alphabet (so literals occur often, overlapping and at the edges).
TEST(LiteralSet, FindsWhatFindFinds) {
  std::mt19937 rng(7);
  const std::string alphabet = "ab :A";
  auto random_text = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s.push_back(alphabet[rng() % alphabet.size()]);
    return s;
  };
  for (int round = 0; round < 200; ++round) {
    LiteralSet set;
    std::vector<std::string> literals;
    for (uint32_t id = 0; id < 12; ++id) {
      literals.push_back(random_text(rng() % 5));  // lengths 0..4, some shorter than two
      set.add(literals.back(), id);
    }
    for (int t = 0; t < 20; ++t) {
      std::string text = random_text(rng() % 40);
      std::vector<uint32_t> found;
      set.find(text, found);
      std::sort(found.begin(), found.end());
      found.erase(std::unique(found.begin(), found.end()), found.end());
      std::vector<uint32_t> expected;
      for (uint32_t id = 0; id < literals.size(); ++id) {
        // Literals under two bytes are reported for every text (documented:
        // the matcher then runs the regex, which decides).
        if (literals[id].size() < 2 || text.find(literals[id]) != std::string::npos) expected.push_back(id);
      }
      ASSERT_EQ(found, expected) << "text '" << text << "'";
    }
  }
}

}  // namespace
}  // namespace sshlogwhy
