// Matching one message against the patterns of one family.
//
// This is the reference meaning of every pattern: a message matches pattern P
// when it contains P.literal AND P.regex matches it; when several patterns
// match (which lint-patterns reports as an error for samples), the first in
// load order wins, so results are deterministic. match_reference() is that
// definition spelled out, for tests.
//
// match() gets the same answer faster (issue 5):
//  1. dispatch: a trie of the patterns' leading literals (see
//     leading_literal.h) gives the few anchored patterns the message can
//     start with; patterns without a leading literal are kept only when the
//     message contains their literal (one pass for all, literal_set.h);
//  2. the candidates are tried in load order, each with its own regex,
//     compiled on first use (a run that sees a 100-line trace compiles the
//     handful of patterns it needs, not the family: start-up, issue 5), by
//     FastRegex (fast_regex.h, several times faster than RE2 with
//     captures), or by RE2 when a regex is outside FastRegex's subset or
//     FastRegex gives up on a text.
//
// A FamilyMatcher is immutable after build() (lazy compilation is under
// std::call_once) and may be shared by threads. Not copyable: it owns
// compiled RE2 objects.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"
#include "events/literal_set.h"
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

  // Takes the patterns (which must outlive the matcher) and builds the
  // dispatch; regexes are compiled when first needed.
  void build(std::vector<const Pattern*> patterns);

  // Compiles every regex now and returns those that do not compile (they
  // never match). lint-patterns calls this.
  std::vector<Error> compile_all() const;

  // Fills `out` and returns true when `text` matches a pattern.
  bool match(std::string_view text, PatternMatch& out) const;

  // The same answer as match(), by trying every pattern in load order.
  bool match_reference(std::string_view text, PatternMatch& out) const;

  // Every pattern that matches `text` (lint uses this to find overlaps).
  std::vector<const Pattern*> match_all(std::string_view text) const;

  size_t size() const { return patterns_.size(); }
  // Patterns tried on every message (no leading literal), for tests and
  // benchmarks that watch the dispatch.
  size_t undispatched_count() const { return undispatched_.size(); }

 private:
  struct Compiled;
  struct TrieNode;
  std::vector<const Pattern*> patterns_;
  std::vector<std::unique_ptr<Compiled>> compiled_;  // parallel to patterns_
  std::vector<TrieNode> trie_;                       // [0] is the root
  std::vector<uint32_t> undispatched_;               // indices into patterns_, in load order
  LiteralSet undispatched_literals_;                 // their literals, reporting the index

  const Compiled& fast(uint32_t index) const;      // FastRegex, compiled on first use
  const Compiled& compiled(uint32_t index) const;  // RE2, compiled on first use
  bool try_pattern(uint32_t index, std::string_view text, PatternMatch& out) const;
  // Appends the patterns whose leading literal `text` starts with.
  void walk_trie(std::string_view text, std::vector<uint32_t>& out) const;
};

}  // namespace sshlogwhy
