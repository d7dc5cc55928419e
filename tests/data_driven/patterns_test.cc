// lint-patterns as a test: every built-in pattern file is well formed, every
// regex compiles, every sample is matched by exactly its own pattern with
// exactly the expected captures.
#include <gtest/gtest.h>

#include "events/pattern_lint.h"
#include "events/pattern_loader.h"

namespace sshlogwhy {
namespace {

TEST(BuiltinPatterns, PassLint) {
  PatternLoad load = load_builtin_patterns();
  ASSERT_GT(load.patterns.size(), 0u);
  LintReport r = lint_patterns(load);
  for (const Error& e : r.errors) ADD_FAILURE() << e.to_string();
  EXPECT_EQ(r.samples >= r.patterns, true);
}

TEST(BuiltinPatterns, EveryClientEventKindIsProduced) {
  PatternLoad load = load_builtin_patterns();
  for (size_t k = 0; k < static_cast<size_t>(EventKind::kCount); ++k) {
    EventKind kind = static_cast<EventKind>(k);
    std::string_view name = event_kind_name(kind);
    // putty_* kinds come from the putty family, sshd_* from sshd; shared
    // kinds from at least the OpenSSH client family.
    std::string family = name.substr(0, 6) == "putty_" ? "putty"
                         : name.substr(0, 5) == "sshd_" ? "sshd"
                                                        : "openssh-client";
    bool found = false;
    for (const Pattern& p : load.patterns) found = found || (p.event == kind && p.family == family);
    EXPECT_TRUE(found) << "no pattern produces event " << name;
  }
}

}  // namespace
}  // namespace sshlogwhy
