#include "events/pattern_matcher.h"

#include <algorithm>

#include <re2/re2.h>
#include <re2/set.h>

namespace sshlogwhy {

struct FamilyMatcher::Compiled {
  std::unique_ptr<re2::RE2> re;
  // (capture name, group index) for every named group.
  std::vector<std::pair<std::string, int>> groups;
  bool ok = false;
};

struct FamilyMatcher::SetImpl {
  explicit SetImpl(const re2::RE2::Options& options) : set(options, re2::RE2::UNANCHORED) {}
  re2::RE2::Set set;
};

namespace {

re2::RE2::Options matcher_options() {
  re2::RE2::Options options;
  options.set_log_errors(false);       // errors are returned, never printed
  // Bytes, not UTF-8: logs carry Latin-1 user names and broken bytes, and a
  // line with one invalid UTF-8 byte must still match. Patterns are ASCII.
  options.set_encoding(re2::RE2::Options::EncodingLatin1);
  options.set_never_nl(true);          // a message is one line
  options.set_max_mem(8 << 20);
  return options;
}

}  // namespace

FamilyMatcher::FamilyMatcher() = default;
FamilyMatcher::~FamilyMatcher() = default;

std::vector<Error> FamilyMatcher::build(std::vector<const Pattern*> patterns) {
  std::vector<Error> errors;
  patterns_ = std::move(patterns);
  compiled_.clear();
  re2::RE2::Options options = matcher_options();
  set_ = std::make_unique<SetImpl>(options);
  for (const Pattern* p : patterns_) {
    auto c = std::make_unique<Compiled>();
    c->re = std::make_unique<re2::RE2>(p->regex, options);
    if (!c->re->ok()) {
      errors.push_back(Error{p->source_file, p->source_line,
                             "pattern " + p->id + ": regex does not compile: " + c->re->error()});
    } else {
      for (const auto& [name, index] : c->re->NamedCapturingGroups()) c->groups.emplace_back(name, index);
      c->ok = true;
    }
    // Every pattern gets a slot in the set so indices stay parallel; a
    // broken regex is replaced by one that never matches.
    std::string set_error;
    if (set_->set.Add(c->ok ? p->regex : std::string("[^\\x00-\\x{10FFFF}]"), &set_error) < 0) {
      errors.push_back(Error{p->source_file, p->source_line,
                             "pattern " + p->id + ": cannot be added to the RE2::Set: " + set_error});
      set_->set.Add("[^\\x00-\\x{10FFFF}]", &set_error);
      c->ok = false;
    }
    compiled_.push_back(std::move(c));
  }
  set_ok_ = set_->set.Compile();
  if (!set_ok_) errors.push_back(Error{"", 0, "the RE2::Set of a pattern family did not compile (out of memory)"});
  return errors;
}

std::vector<int> FamilyMatcher::candidates_for(std::string_view text) const {
  std::vector<int> hits;
  // Literal gate first: most lines of a trace contain none of the literals
  // of interest (packet dumps, proposal lists), and find() is far cheaper
  // than running the set.
  bool any_literal = false;
  for (const Pattern* p : patterns_) {
    if (text.find(p->literal) != std::string_view::npos) {
      any_literal = true;
      break;
    }
  }
  if (!any_literal) return hits;
  re2::RE2::Set::ErrorInfo info;
  if (set_ok_ && set_->set.Match(re2::StringPiece(text.data(), text.size()), &hits, &info)) {
    std::sort(hits.begin(), hits.end());
    return hits;
  }
  hits.clear();
  if (set_ok_ && info.kind == re2::RE2::Set::kNoError) return hits;  // no match
  // The set could not decide (DFA out of memory): fall back to trying each
  // pattern on its own, which gives the same answer, only slower.
  for (size_t i = 0; i < compiled_.size(); ++i) {
    if (compiled_[i]->ok && re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *compiled_[i]->re)) {
      hits.push_back(static_cast<int>(i));
    }
  }
  return hits;
}

bool FamilyMatcher::match(std::string_view text, PatternMatch& out) const {
  for (int i : candidates_for(text)) {
    const Pattern* p = patterns_[i];
    const Compiled& c = *compiled_[i];
    if (!c.ok || text.find(p->literal) == std::string_view::npos) continue;
    int n = c.re->NumberOfCapturingGroups() + 1;
    std::vector<re2::StringPiece> groups(n);
    if (!c.re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), re2::RE2::UNANCHORED,
                     groups.data(), n)) {
      continue;
    }
    out.pattern = p;
    out.captures.clear();
    for (const auto& [name, index] : c.groups) {
      const re2::StringPiece& g = groups[index];
      if (g.data() == nullptr) continue;  // group did not participate
      out.captures.emplace_back(std::string_view(name), std::string_view(g.data(), g.size()));
    }
    return true;
  }
  return false;
}

std::vector<const Pattern*> FamilyMatcher::match_all(std::string_view text) const {
  std::vector<const Pattern*> all;
  for (int i : candidates_for(text)) {
    if (compiled_[i]->ok && text.find(patterns_[i]->literal) != std::string_view::npos) all.push_back(patterns_[i]);
  }
  return all;
}

}  // namespace sshlogwhy
