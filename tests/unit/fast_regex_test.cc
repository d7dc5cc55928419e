// FastRegex: one test per construct, the unsupported subset, the step
// budget, and a randomized differential test against RE2 (same options as
// events/pattern_matcher.cc) with a fixed seed.
#include "events/fast_regex.h"

#include <chrono>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <re2/re2.h>

namespace sshlogwhy {
namespace {

using Outcome = FastRegex::Outcome;

re2::RE2::Options re2_options() {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_never_nl(true);
  options.set_max_mem(8 << 20);
  return options;
}

// "start,length" per group, "-" for a group that did not participate;
// "nomatch" or "gaveup" otherwise. Easy to read in a failure message.
std::string fast_spans(const FastRegex& re, std::string_view text) {
  std::vector<std::string_view> g(static_cast<size_t>(re.group_count()) + 1);
  Outcome out = re.match(text, g.data(), static_cast<int>(g.size()));
  if (out == Outcome::kNoMatch) return "nomatch";
  if (out == Outcome::kGaveUp) return "gaveup";
  std::string s;
  for (std::string_view v : g) {
    if (!s.empty()) s += ' ';
    s += v.data() == nullptr ? std::string("-")
                             : std::to_string(v.data() - text.data()) + "," + std::to_string(v.size());
  }
  return s;
}

std::string re2_spans(const re2::RE2& re, std::string_view text) {
  std::vector<re2::StringPiece> g(static_cast<size_t>(re.NumberOfCapturingGroups()) + 1);
  if (!re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), re2::RE2::UNANCHORED, g.data(),
                static_cast<int>(g.size()))) {
    return "nomatch";
  }
  std::string s;
  for (const re2::StringPiece& v : g) {
    if (!s.empty()) s += ' ';
    s += v.data() == nullptr ? std::string("-")
                             : std::to_string(v.data() - text.data()) + "," + std::to_string(v.size());
  }
  return s;
}

// Matches `text` with both engines and expects `want` from both.
void expect_spans(std::string_view pattern, std::string_view text, std::string_view want) {
  std::unique_ptr<FastRegex> fast = FastRegex::compile(pattern);
  ASSERT_NE(fast, nullptr) << pattern;
  re2::RE2 re(std::string(pattern), re2_options());
  ASSERT_TRUE(re.ok()) << pattern << ": " << re.error();
  EXPECT_EQ(re2_spans(re, text), want) << "RE2 /" << pattern << "/ on \"" << text << "\"";
  EXPECT_EQ(fast_spans(*fast, text), want) << "FastRegex /" << pattern << "/ on \"" << text << "\"";
}

TEST(FastRegex, Literals) {
  expect_spans("abc", "xxabcx", "2,3");
  expect_spans("abc", "ab", "nomatch");
  expect_spans("", "", "0,0");
  expect_spans("", "abc", "0,0");
  expect_spans("a\\.b\\(c\\)\\[d\\]\\\"\\\\\\/\\-", "a.b(c)[d]\"\\/-", "0,13");
  expect_spans("\\x41\\x{42}\\t", "AB\t", "0,3");
  expect_spans("a{,2}", "a{,2}", "0,5");  // not a repeat: a literal brace
  expect_spans("\\xe9", "caf\xe9", "3,1");  // Latin-1: one byte
}

TEST(FastRegex, ClassesAndPerlEscapes) {
  expect_spans("[a-c]+", "xxbcaz", "2,3");
  expect_spans("[^a-c ]+", "ab xyz", "3,3");
  expect_spans("[]a]+", "x]a]", "1,3");
  expect_spans("[a-]+", "x-a-", "1,3");
  expect_spans("[\\d-]+", "x1-2", "1,3");
  expect_spans("\\S+", "  ab\xff  ", "2,3");
  expect_spans("\\s+", "a \t\f\r\vb", "1,4");  // \v is not \s in RE2
  expect_spans("\\d+\\D", "ab12c", "2,3");
  expect_spans("\\w+\\W", "x_1A-", "0,5");
  expect_spans("[^\\s,]+", " ab,c", "1,2");
}

TEST(FastRegex, NeverMatchesNewline) {
  expect_spans("a.b", "a\nb", "nomatch");
  expect_spans("a[^x]b", "a\nb", "nomatch");
  expect_spans("a\\sb", "a\nb", "nomatch");
  expect_spans("a\\nb", "a\nb", "nomatch");
  expect_spans("a\\Sb", "a\nb", "nomatch");
  expect_spans(".+", "ab\ncd", "0,2");
}

TEST(FastRegex, Anchors) {
  expect_spans("^ab", "ab", "0,2");
  expect_spans("^ab", "xab", "nomatch");
  expect_spans("ab$", "xab", "1,2");
  expect_spans("ab$", "ab\n", "nomatch");  // $ is the end of text only
  expect_spans("\\Aab\\z", "ab", "0,2");
  expect_spans("a^b", "ab", "nomatch");
}

TEST(FastRegex, AlternationIsLeftmostFirst) {
  expect_spans("(a|ab)(c|bcd)", "abcd", "0,4 0,1 1,3");
  expect_spans("(ab|a)(c|bcd)", "abcd", "0,3 0,2 2,1");
  expect_spans("x(a|)y", "xy", "0,2 1,0");
  expect_spans("(a)|b", "b", "0,1 -");
}

TEST(FastRegex, GreedyAndLazyQuantifiers) {
  expect_spans("(a*)(a*)", "aaa", "0,3 0,3 3,0");
  expect_spans("(a*?)(a*)", "aaa", "0,3 0,0 0,3");
  expect_spans("(a+?)(a*)", "aaa", "0,3 0,1 1,2");
  expect_spans("(a?" "?)(a*)", "aaa", "0,3 0,0 0,3");  // split: no trigraph
  expect_spans("(a{2,3})(a*)", "aaaa", "0,4 0,3 3,1");
  expect_spans("(a{2,3}?)(a*)", "aaaa", "0,4 0,2 2,2");
  expect_spans("(a{2,})(a*)", "aaaa", "0,4 0,4 4,0");
  expect_spans("(a{2})", "a", "nomatch");
  expect_spans("(?:ab){2}", "abab", "0,4");
  expect_spans("(.*) from (\\S+)", "u from x from y", "0,15 0,8 14,1");
  expect_spans("(.*?) from (\\S+)", "u from x from y", "0,8 0,1 7,1");
}

TEST(FastRegex, LazyBodyThenOptionalSuffix) {
  const char* p = "^(?P<reason>.+?)(?: \\[(?:preauth|postauth)\\])? *$";
  expect_spans(p, "bad thing [preauth]", "0,19 0,9");
  expect_spans(p, "bad thing [preauth]  ", "0,21 0,9");
  expect_spans(p, "bad thing [other]", "0,17 0,17");
  expect_spans(p, "bad thing  ", "0,11 0,9");
  expect_spans(p, "x [preauth] [postauth]", "0,22 0,11");
}

TEST(FastRegex, GroupsInsideRepeatsKeepTheLastIteration) {
  expect_spans("(?:(a)|b)+", "ab", "0,2 0,1");
  expect_spans("(?:(a)|(b))+", "abab", "0,4 2,1 3,1");
  expect_spans("(a?){2}", "a", "0,1 1,0");
  expect_spans("((a)|b)+", "ab", "0,2 1,1 0,1");
  expect_spans("(?:(\\d+)\\.){3}", "1.22.333.", "0,9 5,3");
}

TEST(FastRegex, NestedOptionalGroups) {
  const char* p = "^a(?: (?P<x>\\d+)(?:,(?P<y>\\d+))?)?(?: (?P<z>.*))?$";
  expect_spans(p, "a", "0,1 - - -");
  expect_spans(p, "a 1", "0,3 2,1 - -");
  expect_spans(p, "a 1,2", "0,5 2,1 4,1 -");
  expect_spans(p, "a 1,2 zz", "0,8 2,1 4,1 6,2");
  expect_spans(p, "a x", "0,3 - - 2,1");
}

TEST(FastRegex, NamedGroups) {
  std::unique_ptr<FastRegex> re = FastRegex::compile("(?P<user>\\S+)@(\\S+) (?P<port>\\d+)");
  ASSERT_NE(re, nullptr);
  EXPECT_EQ(re->group_count(), 3);
  std::vector<std::pair<std::string, int>> want = {{"user", 1}, {"port", 3}};
  EXPECT_EQ(re->named_groups(), want);
  std::string_view g[4];
  ASSERT_EQ(re->match("me@host 22", g, 4), Outcome::kMatch);
  EXPECT_EQ(g[1], "me");
  EXPECT_EQ(g[2], "host");
  EXPECT_EQ(g[3], "22");
  // Fewer slots than groups is fine; extra slots are cleared.
  std::string_view h[6] = {"x", "x", "x", "x", "x", "x"};
  ASSERT_EQ(re->match("me@host 22", h, 6), Outcome::kMatch);
  EXPECT_EQ(h[4].data(), nullptr);
  EXPECT_EQ(re->match("me@host 22", nullptr, 0), Outcome::kMatch);
}

TEST(FastRegex, AnchoredAtStart) {
  std::unique_ptr<FastRegex> a = FastRegex::compile("^(?:(?:error|debug1): )?Accepted (?P<m>\\S+)");
  ASSERT_NE(a, nullptr);
  EXPECT_TRUE(a->anchored_at_start());
  std::unique_ptr<FastRegex> c = FastRegex::compile("(\\S+) port");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->anchored_at_start());
}

TEST(FastRegex, UnsupportedOrInvalidPatternsReturnNull) {
  for (const char* p : {"(?i)abc", "(?s).", "\\bword", "\\pL", "[[:alpha:]]", "\\Qa.b\\E", "\\C", "(?=a)",
                        "(?<n>a)", "(a)\\1", "\\0", "(a*)*", "(a|)+", "(?:a?)*b", "(^)*", "a**", "a*{2}", "a{2}{3}",
                        "a{1001}", "a{2,1}", "(?:a{10}){101}", "*a", "a|*", "{2}", "(a", "a)", "[a", "[z-a]",
                        "[a-\\d]", "\\", "\\x{100}", "\\xg0", "(?P<n>a)(?P<n>b)", "(?P<>a)", "\\8"}) {
    EXPECT_EQ(FastRegex::compile(p), nullptr) << p;
  }
}

TEST(FastRegex, StepBudgetGivesUpInsteadOfHanging) {
  std::unique_ptr<FastRegex> re = FastRegex::compile("(a+)+b");
  ASSERT_NE(re, nullptr);
  std::string text(5000, 'a');
  std::string_view g[2];
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(re->match(text, g, 2), Outcome::kGaveUp);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 1000);
  // The same pattern is fine on an ordinary text.
  EXPECT_EQ(re->match("aaab", g, 2), Outcome::kMatch);
  EXPECT_EQ(g[1], "aaa");
  // (a*)*b, the classic, is rejected at compile time (empty loop): RE2 runs it.
  EXPECT_EQ(FastRegex::compile("(a*)*b"), nullptr);
}

TEST(FastRegex, LongTextsDoNotOverflow) {
  std::string text(200000, 'x');
  text += " from 1.2.3.4 port 22";
  expect_spans("^(.*) from (\\S+) port (\\d+)$", text, "0,200021 0,200000 200006,7 200019,2");
  std::string many;
  for (int i = 0; i < 50000; ++i) many += "ab";
  std::unique_ptr<FastRegex> re = FastRegex::compile("^(?:(a)b)*$");
  ASSERT_NE(re, nullptr);
  std::string_view g[2];
  Outcome out = re->match(many, g, 2);
  EXPECT_TRUE(out == Outcome::kMatch || out == Outcome::kGaveUp);
  if (out == Outcome::kMatch) {
    EXPECT_EQ(g[1].data() - many.data(), 99998);
  }
}

// Random regexes from a small grammar over {a, b, c, ' ', digits}, random
// texts over the same bytes plus '\n' and '_'; both engines must report the
// same match and the same span for every group.
class RandomRegex {
 public:
  explicit RandomRegex(uint32_t seed) : rng_(seed) {}
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string pattern() { return below(4) == 0 ? "^" + sequence(0) : alternation(0); }

  std::string text() {
    std::string s;
    int len = below(14);
    for (int i = 0; i < len; ++i) s += "abc 1\n_"[below(below(4) == 0 ? 7 : 4)];
    return s;
  }

 private:
  std::string alternation(int depth) {
    std::string s = atom(depth);
    if (below(3) == 0 && depth < 4) s += "|" + alternation(depth + 1);
    return s;
  }
  std::string sequence(int depth) {
    std::string s;
    for (int i = 1 + below(3); i > 0; --i) s += atom(depth);
    return s;
  }
  std::string atom(int depth) {
    static const char* kClasses[] = {"[ab]", "[^a]",   "\\S", "\\s",   "[a-c]",  "\\d",    "[^ab ]",
                                     "\\w",  "\\n",    "[^\\n]", "\\x0a", "\\W",   "[\\s1]", "\\z",
                                     "\\A",  "[]a]",   "[a-]", "a{,2}", "$",      "^",      "."};
    static const char* kQuantifiers[] = {"*", "+", "?", "*?", "+?", "??", "{2}", "{1,2}", "{0,3}", "{2,}", "{1,}?",
                                         "{0,2}?"};
    std::string s;
    switch (below(depth < 3 ? 12 : 7)) {
      case 0:
      case 1:
      case 2:
        s = std::string(1, "abc"[below(3)]);
        break;
      case 3:
        s = ".";
        break;
      case 4:
        s = kClasses[below(sizeof(kClasses) / sizeof(kClasses[0]))];
        break;
      case 5:
        s = "a";
        break;
      case 6:
        s = " ";
        break;
      case 7:
      case 8:
        s = "(" + alternation(depth + 1) + ")";
        break;
      case 9:
        s = "(?:" + alternation(depth + 1) + ")";
        break;
      case 10:
        s = "(?P<g" + std::to_string(next_name_++) + ">" + sequence(depth + 1) + ")";
        break;
      default:
        s = "(" + sequence(depth + 1) + ")";
        break;
    }
    if (below(3) == 0) s += kQuantifiers[below(sizeof(kQuantifiers) / sizeof(kQuantifiers[0]))];
    return s;
  }

  std::mt19937 rng_;
  int next_name_ = 0;
};

TEST(FastRegex, RandomDifferentialAgainstRE2) {
  RandomRegex gen(20240611);
  int compiled = 0, rejected = 0, checks = 0, gave_up = 0, mismatches = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string p = gen.pattern();
    re2::RE2 re(p, re2_options());
    std::unique_ptr<FastRegex> fast = FastRegex::compile(p);
    if (!re.ok()) {
      EXPECT_EQ(fast, nullptr) << "RE2 rejects /" << p << "/ (" << re.error() << ") but FastRegex compiles it";
      continue;
    }
    if (fast == nullptr) {
      ++rejected;
      continue;
    }
    ++compiled;
    ASSERT_EQ(fast->group_count(), re.NumberOfCapturingGroups()) << p;
    for (int j = 0; j < 25; ++j) {
      std::string text = gen.text();
      std::string got = fast_spans(*fast, text);
      ++checks;
      if (got == "gaveup") {
        ++gave_up;
        continue;
      }
      std::string want = re2_spans(re, text);
      if (got != want && ++mismatches <= 20) {
        ADD_FAILURE() << "/" << p << "/ on \"" << text << "\": RE2 " << want << ", FastRegex " << got;
      }
    }
  }
  EXPECT_EQ(mismatches, 0);
  EXPECT_GT(compiled, 3000);
  EXPECT_LT(gave_up, checks / 100);
  std::cout << "random differential: " << compiled << " regexes compiled, " << rejected << " rejected, " << checks
            << " texts checked, " << gave_up << " gave up\n";
}

}  // namespace
}  // namespace sshlogwhy
