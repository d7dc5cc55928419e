#include "events/pattern_matcher.h"

#include <string.h>

#include <algorithm>
#include <mutex>

#include <re2/re2.h>

#include "events/fast_regex.h"
#include "events/leading_literal.h"

namespace sshlogwhy {

// A pattern's regex, compiled when first needed: FastRegex when the regex is
// in its subset (all built-in ones are), RE2 when it is not or when
// FastRegex gives up on a text. RE2 stays the reference meaning
// (tests/data_driven/fast_regex_differential_test.cc).
struct FamilyMatcher::Compiled {
  std::once_flag fast_once;
  std::unique_ptr<FastRegex> fast;
  std::vector<std::pair<std::string, int>> fast_groups;  // by name, as RE2 lists them
  std::once_flag re2_once;
  std::unique_ptr<re2::RE2> re;
  std::vector<std::pair<std::string, int>> groups;  // (name, group index), sorted by name
  int group_count = 0;  // RE2's NumberOfCapturingGroups() + 1
  bool ok = false;
};

struct FamilyMatcher::TrieNode {
  std::vector<std::pair<unsigned char, uint32_t>> edges;  // byte -> node
  std::vector<uint32_t> patterns;  // patterns whose leading literal ends here
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

// glibc's memmem (two-way with a SIMD first-pair scan) is several times
// faster than string_view::find's memchr+memcmp loop on literals whose first
// byte is common (" ", ":"), which most literals of sshd patterns are.
bool contains(std::string_view text, const std::string& literal) {
  return literal.empty() || memmem(text.data(), text.size(), literal.data(), literal.size()) != nullptr;
}

}  // namespace

FamilyMatcher::FamilyMatcher() = default;
FamilyMatcher::~FamilyMatcher() = default;

void FamilyMatcher::build(std::vector<const Pattern*> patterns) {
  patterns_ = std::move(patterns);
  compiled_.clear();
  trie_.assign(1, TrieNode{});
  undispatched_.clear();
  undispatched_literals_ = LiteralSet();
  for (uint32_t i = 0; i < patterns_.size(); ++i) {
    compiled_.push_back(std::make_unique<Compiled>());
    LeadingLiteral lead = leading_literal(patterns_[i]->regex);
    if (!lead.anchored || lead.text.empty()) {
      undispatched_.push_back(i);
      undispatched_literals_.add(patterns_[i]->literal, i);
      continue;
    }
    uint32_t node = 0;
    for (char ch : lead.text) {
      unsigned char b = static_cast<unsigned char>(ch);
      auto& edges = trie_[node].edges;
      auto it = std::find_if(edges.begin(), edges.end(), [b](const auto& e) { return e.first == b; });
      if (it != edges.end()) {
        node = it->second;
        continue;
      }
      uint32_t child = static_cast<uint32_t>(trie_.size());
      edges.emplace_back(b, child);
      trie_.emplace_back();  // invalidates `edges`; not used after this
      node = child;
    }
    trie_[node].patterns.push_back(i);
  }
}

const FamilyMatcher::Compiled& FamilyMatcher::fast(uint32_t index) const {
  Compiled& c = *compiled_[index];
  std::call_once(c.fast_once, [&] {
    c.fast = FastRegex::compile(patterns_[index]->regex);
    if (c.fast == nullptr) return;
    c.fast_groups = c.fast->named_groups();
    std::sort(c.fast_groups.begin(), c.fast_groups.end());
  });
  return c;
}

const FamilyMatcher::Compiled& FamilyMatcher::compiled(uint32_t index) const {
  Compiled& c = *compiled_[index];
  std::call_once(c.re2_once, [&] {
    c.re = std::make_unique<re2::RE2>(patterns_[index]->regex, matcher_options());
    if (!c.re->ok()) return;
    for (const auto& [name, group] : c.re->NamedCapturingGroups()) c.groups.emplace_back(name, group);
    c.group_count = c.re->NumberOfCapturingGroups() + 1;
    c.ok = true;
  });
  return c;
}

std::vector<Error> FamilyMatcher::compile_all() const {
  std::vector<Error> errors;
  for (uint32_t i = 0; i < patterns_.size(); ++i) {
    const Compiled& c = compiled(i);
    if (!c.ok) {
      const Pattern& p = *patterns_[i];
      errors.push_back(Error{p.source_file, p.source_line, "pattern " + p.id + ": regex does not compile: " + c.re->error()});
    }
  }
  return errors;
}

void FamilyMatcher::walk_trie(std::string_view text, std::vector<uint32_t>& out) const {
  uint32_t node = 0;
  for (size_t i = 0;; ++i) {
    const TrieNode& n = trie_[node];
    out.insert(out.end(), n.patterns.begin(), n.patterns.end());
    if (i == text.size()) return;
    unsigned char b = static_cast<unsigned char>(text[i]);
    auto it = std::find_if(n.edges.begin(), n.edges.end(), [b](const auto& e) { return e.first == b; });
    if (it == n.edges.end()) return;
    node = it->second;
  }
}

bool FamilyMatcher::try_pattern(uint32_t index, std::string_view text, PatternMatch& out) const {
  const Pattern& p = *patterns_[index];
  if (!contains(text, p.literal)) return false;
  const Compiled& f = fast(index);
  if (f.fast != nullptr) {
    constexpr int kMaxGroups = 32;
    int n = f.fast->group_count() + 1;
    if (n <= kMaxGroups) {
      std::string_view groups[kMaxGroups];
      switch (f.fast->match(text, groups, n)) {
        case FastRegex::Outcome::kNoMatch:
          return false;
        case FastRegex::Outcome::kMatch:
          out.pattern = &p;
          out.captures.clear();
          for (const auto& [name, group] : f.fast_groups) {
            if (groups[group].data() == nullptr) continue;  // group did not participate
            out.captures.emplace_back(std::string_view(name), groups[group]);
          }
          return true;
        case FastRegex::Outcome::kGaveUp:
          break;  // RE2 decides
      }
    }
  }
  const Compiled& c = compiled(index);
  if (!c.ok) return false;
  // Most patterns have a few groups; a fixed array spares an allocation per
  // line on the scan path.
  constexpr int kStackGroups = 24;
  re2::StringPiece stack_groups[kStackGroups];
  std::vector<re2::StringPiece> heap_groups;
  re2::StringPiece* groups = stack_groups;
  if (c.group_count > kStackGroups) {
    heap_groups.resize(c.group_count);
    groups = heap_groups.data();
  }
  if (!c.re->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), re2::RE2::UNANCHORED, groups,
                   c.group_count)) {
    return false;
  }
  out.pattern = &p;
  out.captures.clear();
  for (const auto& [name, group] : c.groups) {
    const re2::StringPiece& g = groups[group];
    if (g.data() == nullptr) continue;  // group did not participate
    out.captures.emplace_back(std::string_view(name), std::string_view(g.data(), g.size()));
  }
  return true;
}

bool FamilyMatcher::match(std::string_view text, PatternMatch& out) const {
  thread_local std::vector<uint32_t> dispatched;
  thread_local std::vector<uint32_t> present;
  dispatched.clear();
  walk_trie(text, dispatched);
  // "error: Accepted ...": patterns allow sshd's severity prefix before
  // their leading literal.
  if (size_t skip = level_prefix_length(text)) walk_trie(text.substr(skip), dispatched);
  std::sort(dispatched.begin(), dispatched.end());
  dispatched.push_back(UINT32_MAX);  // sentinel: go on to the last undispatched pattern

  // Load order decides between several matches, as in match_reference(),
  // so the undispatched patterns are merged in by index. Their literals are
  // only looked for when one of them comes before the pattern that matches
  // (common lines match a dispatched pattern of auth.json first), and then
  // all at once when there are more than a few.
  constexpr size_t kOneByOne = 4;
  bool looked = false;
  size_t u = 0;
  uint32_t previous = UINT32_MAX;
  for (uint32_t d : dispatched) {
    while (u < undispatched_.size() && undispatched_[u] < d) {
      uint32_t i = undispatched_[u++];
      if (!looked && undispatched_.size() - u >= kOneByOne) {
        present.clear();
        undispatched_literals_.find(text, present);
        std::sort(present.begin(), present.end());
        looked = true;
      }
      if (looked && !std::binary_search(present.begin(), present.end(), i)) continue;
      if (try_pattern(i, text, out)) return true;
    }
    if (d == UINT32_MAX) break;
    if (d == previous) continue;
    previous = d;
    if (try_pattern(d, text, out)) return true;
  }
  return false;
}

bool FamilyMatcher::match_reference(std::string_view text, PatternMatch& out) const {
  for (uint32_t i = 0; i < patterns_.size(); ++i) {
    if (try_pattern(i, text, out)) return true;
  }
  return false;
}

std::vector<const Pattern*> FamilyMatcher::match_all(std::string_view text) const {
  std::vector<const Pattern*> all;
  PatternMatch scratch;
  for (uint32_t i = 0; i < patterns_.size(); ++i) {
    if (try_pattern(i, text, scratch)) all.push_back(patterns_[i]);
  }
  return all;
}

}  // namespace sshlogwhy
