// The pattern loader and lint on tiny inline files: each broken file must
// produce an error that names the file and the right line.
#include <gtest/gtest.h>

#include "events/pattern_lint.h"
#include "events/pattern_loader.h"

namespace sshlogwhy {
namespace {

PatternLoad load(std::string_view json) {
  PatternLoad out;
  parse_pattern_file("t.json", json, out);
  return out;
}

std::string all_errors(const std::vector<Error>& errors) {
  std::string s;
  for (const Error& e : errors) s += e.to_string() + "\n";
  return s;
}

constexpr std::string_view kGood = R"({
  "family": "openssh-client",
  "patterns": [
    {
      "id": "t.denied",
      "event": "permission_denied",
      "literal": "Permission denied (",
      "regex": "^(?P<user>[^@]+)@(?P<host>\\S+): Permission denied \\((?P<methods>[^)]*)\\)\\.$",
      "samples": [
        {"line": "bob@h: Permission denied (publickey).",
         "captures": {"user": "bob", "host": "h", "methods": "publickey"}}
      ]
    }
  ]
})";

TEST(PatternLoader, LoadsAWellFormedFile) {
  PatternLoad l = load(kGood);
  ASSERT_TRUE(l.errors.empty()) << all_errors(l.errors);
  ASSERT_EQ(l.patterns.size(), 1u);
  EXPECT_EQ(l.patterns[0].id, "t.denied");
  EXPECT_EQ(l.patterns[0].event, EventKind::permission_denied);
  EXPECT_EQ(l.patterns[0].source_line, 5u);
  LintReport r = lint_patterns(l);
  EXPECT_TRUE(r.errors.empty()) << all_errors(r.errors);
}

TEST(PatternLoader, InvalidJsonIsAnError) {
  PatternLoad l = load("{\"family\": \"x\", \"patterns\": [ {\"id\": } ]}");
  ASSERT_FALSE(l.errors.empty());
  EXPECT_EQ(l.errors[0].file, "t.json");
}

TEST(PatternLoader, UnknownKeyNamesTheLine) {
  std::string j(kGood);
  j.replace(j.find("\"literal\""), 9, "\"litteral\"");
  PatternLoad l = load(j);
  ASSERT_FALSE(l.errors.empty());
  EXPECT_NE(l.errors[0].message.find("litteral"), std::string::npos);
  EXPECT_EQ(l.errors[0].line, 7u);  // the line of the "litteral" key
}

TEST(PatternLoader, UnknownEventIsAnError) {
  std::string j(kGood);
  j.replace(j.find("permission_denied"), 17, "permission_denid");
  PatternLoad l = load(j);
  ASSERT_FALSE(l.errors.empty());
  EXPECT_NE(all_errors(l.errors).find("unknown event"), std::string::npos);
}

TEST(PatternLint, BadRegexIsReported) {
  std::string j(kGood);
  j.replace(j.find("^(?P<user>"), 10, "^(?P<user");
  LintReport r = lint_patterns(load(j));
  EXPECT_NE(all_errors(r.errors).find("does not compile"), std::string::npos) << all_errors(r.errors);
}

TEST(PatternLint, CaptureNotAllowedForEvent) {
  std::string j(kGood);
  j.replace(j.find("(?P<host>"), 9, "(?P<port>");
  j.replace(j.find("\"host\": \"h\""), 11, "\"port\": \"h\"");
  LintReport r = lint_patterns(load(j));
  EXPECT_NE(all_errors(r.errors).find("is not a field of event permission_denied"), std::string::npos)
      << all_errors(r.errors);
}

TEST(PatternLint, WrongCaptureValueIsReported) {
  std::string j(kGood);
  j.replace(j.find("\"user\": \"bob\""), 13, "\"user\": \"ann\"");
  LintReport r = lint_patterns(load(j));
  std::string e = all_errors(r.errors);
  EXPECT_NE(e.find("capture \"user\" is \"bob\", expected \"ann\""), std::string::npos) << e;
  EXPECT_NE(e.find("t.json:10:"), std::string::npos) << e;  // the sample's line
}

TEST(PatternLint, SampleMatchedByTwoPatternsIsReported) {
  PatternLoad l = load(kGood);
  Pattern twin = l.patterns[0];
  twin.id = "t.twin";
  l.patterns.push_back(twin);
  LintReport r = lint_patterns(l);
  std::string e = all_errors(r.errors);
  EXPECT_NE(e.find("matched by: t.denied, t.twin"), std::string::npos) << e;
}

TEST(PatternLint, DuplicateIdIsReported) {
  PatternLoad l = load(kGood);
  l.patterns.push_back(l.patterns[0]);
  LintReport r = lint_patterns(l);
  EXPECT_NE(all_errors(r.errors).find("duplicate pattern id t.denied"), std::string::npos);
}

TEST(PatternLint, PatternWithoutSampleIsReported) {
  std::string j(kGood);
  size_t a = j.find("\"samples\"");
  size_t b = j.find("]", a);
  j.replace(a, b - a + 1, "\"samples\": []");
  PatternLoad l = load(j);
  EXPECT_NE(all_errors(l.errors).find("has no samples"), std::string::npos) << all_errors(l.errors);
}

TEST(PatternMerge, SameIdOverrides) {
  PatternLoad base = load(kGood);
  PatternLoad extra = load(kGood);
  extra.patterns[0].literal = "override";
  merge_patterns(base, std::move(extra));
  ASSERT_EQ(base.patterns.size(), 1u);
  EXPECT_EQ(base.patterns[0].literal, "override");
}

}  // namespace
}  // namespace sshlogwhy
