// Matching one message against the patterns of one family.
//
// This is the reference meaning of every pattern: a message matches pattern P
// when it contains P.literal AND P.regex matches it. The implementation is
// literal gate -> one RE2::Set over the family -> one RE2 run for the
// captures of the winning pattern. When several patterns match (which
// lint-patterns reports as an error for samples), the first in load order
// wins, so results are deterministic.
//
// A FamilyMatcher is immutable after build() and may be shared by threads.
// Not copyable: it owns compiled RE2 objects.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "events/pattern.h"

namespace sshlogwhy {

struct PatternMatch {
  const Pattern* pattern = nullptr;
  // name -> value, views into the matched text (valid while it lives).
  std::vector<std::pair<std::string_view, std::string_view>> captures;
};

class FamilyMatcher {
 public:
  FamilyMatcher();
  ~FamilyMatcher();
  FamilyMatcher(const FamilyMatcher&) = delete;
  FamilyMatcher& operator=(const FamilyMatcher&) = delete;

  // Compiles the given patterns (which must outlive the matcher). Returns
  // every regex that failed to compile; the others are still usable.
  std::vector<Error> build(std::vector<const Pattern*> patterns);

  // Fills `out` and returns true when `text` matches a pattern.
  bool match(std::string_view text, PatternMatch& out) const;

  // Every pattern that matches `text` (lint uses this to find overlaps).
  std::vector<const Pattern*> match_all(std::string_view text) const;

  size_t size() const { return patterns_.size(); }

 private:
  struct Compiled;
  std::vector<const Pattern*> patterns_;
  std::vector<std::unique_ptr<Compiled>> compiled_;  // parallel to patterns_
  struct SetImpl;  // re2::RE2::Set, kept out of this header
  std::unique_ptr<SetImpl> set_;
  bool set_ok_ = false;
  std::vector<int> candidates_for(std::string_view text) const;
};

}  // namespace sshlogwhy
