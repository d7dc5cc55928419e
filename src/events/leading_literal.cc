#include "events/leading_literal.h"

#include <cctype>

namespace sshlogwhy {
namespace {

bool is_quantifier(char c) { return c == '?' || c == '*' || c == '+' || c == '{'; }

// Index just past the ']' closing the class that opens at `open`, or npos.
// A ']' right after '[' or '[^' is a member, not the end.
size_t class_end(std::string_view re, size_t open) {
  size_t i = open + 1;
  if (i < re.size() && re[i] == '^') ++i;
  if (i < re.size() && re[i] == ']') ++i;
  while (i < re.size()) {
    if (re[i] == '\\') {
      i += 2;
      continue;
    }
    if (re[i] == ']') return i + 1;
    ++i;
  }
  return std::string_view::npos;
}

// Scans a sequence starting at `i` up to the ')' closing it (or the end of
// the regex when depth is 0). Reports where it ended and whether a '|'
// appears at this depth (which makes nothing in the sequence mandatory).
struct Extent {
  size_t end = std::string_view::npos;  // index of the closing ')' or re.size()
  bool alternation = false;
};

Extent sequence_extent(std::string_view re, size_t i, bool inside_group) {
  Extent e;
  int depth = 0;
  while (i < re.size()) {
    char c = re[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == '[') {
      i = class_end(re, i);
      if (i == std::string_view::npos) return Extent{};
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')') {
      if (depth == 0) {
        if (!inside_group) return Extent{};  // unbalanced
        e.end = i;
        return e;
      }
      --depth;
    }
    if (c == '|' && depth == 0) e.alternation = true;
    ++i;
  }
  if (inside_group) return Extent{};  // unclosed group
  e.end = re.size();
  return e;
}

// Appends the literal text the sequence at `i` must start with. Returns
// true when the whole sequence up to `end` was literal, so the caller may
// go on after it.
bool append_lead(std::string_view re, size_t i, size_t end, std::string& out) {
  while (i < end) {
    char c = re[i];
    if (c == '(') {
      size_t content = std::string_view::npos;
      if (re.substr(i, 3) == "(?:") {
        content = i + 3;
      } else if (re.substr(i, 4) == "(?P<") {
        size_t close = re.find('>', i);
        if (close == std::string_view::npos || close >= end) return false;
        content = close + 1;
      } else if (i + 1 < end && re[i + 1] != '?') {
        content = i + 1;
      } else {
        return false;  // flags such as (?i) change what the text means
      }
      Extent g = sequence_extent(re, content, true);
      if (g.end == std::string_view::npos || g.alternation) return false;
      if (g.end + 1 < re.size() && is_quantifier(re[g.end + 1])) return false;
      if (!append_lead(re, content, g.end, out)) return false;
      i = g.end + 1;
      continue;
    }
    char literal = 0;
    size_t next = 0;
    if (c == '\\') {
      if (i + 1 >= end) return false;
      char n = re[i + 1];
      // \d, \S, \x41, \Q ... are classes or need decoding: stop there.
      if (std::isalnum(static_cast<unsigned char>(n))) return false;
      literal = n;
      next = i + 2;
    } else if (c == '.' || c == '[' || c == '^' || c == '$' || c == '|' || c == ')' || is_quantifier(c)) {
      return false;
    } else {
      literal = c;
      next = i + 1;
    }
    // "ab?" needs only "a": a quantified character is not mandatory.
    if (next < re.size() && is_quantifier(re[next])) return false;
    out.push_back(literal);
    i = next;
  }
  return true;
}

}  // namespace

LeadingLiteral leading_literal(std::string_view regex) {
  LeadingLiteral lead;
  if (regex.empty() || regex[0] != '^') return lead;
  Extent whole = sequence_extent(regex, 0, false);
  if (whole.end == std::string_view::npos || whole.alternation) return lead;  // "^a|b": b need not be first
  lead.anchored = true;
  size_t i = 1;
  if (regex.substr(i, kOptionalLevelPrefix.size()) == kOptionalLevelPrefix) {
    lead.level_prefix = true;
    i += kOptionalLevelPrefix.size();
  }
  append_lead(regex, i, regex.size(), lead.text);
  return lead;
}

size_t level_prefix_length(std::string_view message) {
  if (message.size() >= 7 && (message.substr(0, 7) == "error: " || message.substr(0, 7) == "fatal: ")) return 7;
  if (message.size() >= 8 && message.substr(0, 5) == "debug" && message[5] >= '1' && message[5] <= '3' &&
      message.substr(6, 2) == ": ") {
    return 8;
  }
  return 0;
}

}  // namespace sshlogwhy
