// All loaded patterns, with one matcher per family built on first use.
//
// A family's dispatch is built on first use and each regex is compiled
// when a message first reaches it (pattern_matcher.h), so a run that only
// sees a client trace compiles a few dozen regexes, not three families.
// Both happen under std::call_once, so a PatternDb may be shared by threads.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/result.h"
#include "events/pattern.h"
#include "events/pattern_matcher.h"

namespace sshlogwhy {

class PatternDb {
 public:
  // Takes the patterns (after loading and merging). Errors from compiling a
  // family are kept and reported by build_errors().
  explicit PatternDb(std::vector<Pattern> patterns);
  PatternDb(const PatternDb&) = delete;             // owns matchers that point into patterns_
  PatternDb& operator=(const PatternDb&) = delete;

  const std::vector<Pattern>& patterns() const { return patterns_; }
  std::vector<std::string> families() const;

  // The matcher of `family` (built now if needed); an empty matcher for an
  // unknown family.
  const FamilyMatcher& matcher(const std::string& family) const;

  // Compiles every regex of every family and returns those that do not
  // compile (slow: for lint-patterns).
  std::vector<Error> build_errors() const;

 private:
  struct Slot {
    std::once_flag once;
    FamilyMatcher matcher;
  };
  std::vector<Pattern> patterns_;
  std::map<std::string, std::unique_ptr<Slot>> slots_;  // fixed after construction
  FamilyMatcher empty_;
};

}  // namespace sshlogwhy
