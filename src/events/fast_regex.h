// A fast matcher for the subset of RE2 syntax the patterns use, with RE2's
// exact leftmost-first submatch semantics.
//
// Why: RE2 with captures costs about 1 µs per line, too slow to scan
// gigabytes. The patterns are simple (anchored, mostly literals, \S+, \d+,
// .*, optional groups), so a backtracking matcher in Perl order finds the
// same submatches as RE2 in a fraction of that time, as long as the pattern
// has no cycle of empty-width steps (see "Supported subset" below).
//
// Tutorial:
//
//   std::unique_ptr<FastRegex> re = FastRegex::compile("^Accepted (?P<m>\\S+) for");
//   if (re == nullptr) { /* outside the subset: use RE2 */ }
//   std::string_view groups[2];
//   switch (re->match(line, groups, 2)) {
//     case FastRegex::Outcome::kMatch:   /* groups[1] == "password" */ break;
//     case FastRegex::Outcome::kNoMatch: break;
//     case FastRegex::Outcome::kGaveUp:  /* step budget spent: use RE2 */ break;
//   }
//
// Semantics are those of RE2 compiled with Latin-1 encoding and never_nl
// (the options of events/pattern_matcher.cc), searched like
// RE2::PartialMatch: every byte is one character; no character class, `.`
// or literal matches '\n'; `^` is the start and `$` the end of the text
// (never multi-line). tests/data_driven/fast_regex_differential_test.cc
// checks every built-in pattern against RE2 on the samples and the corpus.
//
// Supported subset: literals and escapes (\. \( \x41 \x{41} \t \n ...),
// `.`, classes [a-z0-9_-] [^...] with \d \D \s \S \w \W inside and outside,
// `^ $ \A \z`, `|`, `( )`, `(?P<name> )`, `(?: )`, and the quantifiers
// `? * + {n} {n,} {n,m}` with their lazy `?` forms. compile() returns
// nullptr for everything else (flags like (?i), \b, \pL, [[:alpha:]],
// octal escapes, backreferences, ...), and also for an unbounded repeat
// whose body can match the empty string, such as `(a*)*`: RE2 cuts such
// empty loops in a way a plain backtracker does not reproduce, so those
// patterns stay on RE2.
//
// A FastRegex is immutable after compile() and may be shared by threads;
// match() keeps its scratch space in thread-local storage and allocates
// only when that space must grow (long texts with many open choices).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sshlogwhy {

namespace detail {
struct FastRegexProgram;  // the compiled program, defined in fast_regex.cc
}  // namespace detail

class FastRegex {
 public:
  // What match() found.
  enum class Outcome : uint8_t {
    // The text contains a match; the groups are filled.
    kMatch,
    // The text contains no match (the same answer RE2 gives).
    kNoMatch,
    // The step budget (about 64 steps per text byte plus a constant) or the
    // backtrack stack cap was exhausted before an answer: the caller must
    // ask RE2. Pathological pattern/text pairs end here instead of hanging.
    kGaveUp,
  };

  // Compiles `pattern` (RE2 syntax). Returns nullptr when the pattern uses
  // a feature outside the supported subset or is not a valid RE2 pattern;
  // the caller then uses RE2. Never prints, never throws on bad input.
  static std::unique_ptr<FastRegex> compile(std::string_view pattern);

  ~FastRegex();
  FastRegex(const FastRegex&) = delete;  // owns its program; share by pointer
  FastRegex& operator=(const FastRegex&) = delete;

  // Unanchored search like RE2::PartialMatch: the leftmost match, and at
  // that start the submatches RE2 reports (leftmost-first, Perl order).
  // On kMatch fills groups[i] for i < ngroups (0 = whole match, i = the
  // i-th capturing group as RE2 numbers them) with views into `text`, or
  // with a default string_view (data() == nullptr) when group i did not
  // participate or i > group_count(). On kNoMatch and kGaveUp `groups` is
  // unspecified. `groups` may be null when ngroups is 0.
  [[nodiscard]] Outcome match(std::string_view text, std::string_view* groups, int ngroups) const;

  // Number of capturing groups (not counting group 0), like
  // RE2::NumberOfCapturingGroups().
  int group_count() const;

  // (name, index) of every named group, in pattern order.
  const std::vector<std::pair<std::string, int>>& named_groups() const;

  // True when every match starts at the beginning of the text (`^`).
  bool anchored_at_start() const;

  // (Dispatch on a pattern's leading literal is events/leading_literal.h,
  // which reads the pattern text; the matcher needs no second reading.)

 private:
  explicit FastRegex(std::unique_ptr<detail::FastRegexProgram> program);
  std::unique_ptr<detail::FastRegexProgram> program_;
};

}  // namespace sshlogwhy
