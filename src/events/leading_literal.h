// The text every match of an anchored pattern must start with.
//
// The matcher dispatches a message to the few patterns whose leading
// literal it starts with, instead of trying all of them (issue 5: a family
// of 120 patterns tried one by one cost more than the rest of the scan).
// Being conservative is what keeps that exact: the leading literal is only
// text the regex cannot match without, so dispatching on it never loses a
// match; a pattern with no leading literal is tried on every message.
//
//   "^(?:(?:error|fatal|debug[1-3]): )?Accepted (?P<method>\S+) for ..."
//     -> anchored, level prefix optional, lead "Accepted "
//   "^(?:(?:error|fatal|debug[1-3]): )?(?P<reason>Did not receive ...) from"
//     -> lead "Did not receive ..." (a group without alternation is entered)
//   "^pam_[a-z0-9_]+\(" -> lead "pam_"
//   "(?:.*: )?Authentication tried" -> not anchored: no lead
#pragma once

#include <string>
#include <string_view>

namespace sshlogwhy {

// sshd's own severity prefix, optional at the start of every sshd pattern
// (patterns/README.md): "error: ", "fatal: ", "debug1: " .. "debug3: ".
inline constexpr std::string_view kOptionalLevelPrefix = "(?:(?:error|fatal|debug[1-3]): )?";

struct LeadingLiteral {
  bool anchored = false;      // the regex starts with ^
  bool level_prefix = false;  // then kOptionalLevelPrefix
  std::string text;           // then this literal text (may be empty)
};

LeadingLiteral leading_literal(std::string_view regex);

// The length of the severity prefix `message` starts with ("error: ",
// "fatal: ", "debug1: ".."debug3: "), or 0.
size_t level_prefix_length(std::string_view message);

}  // namespace sshlogwhy
