// Removing what capture tools put in front of each line of a client trace.
//
// `ssh -vvv ... 2>&1 | ts` writes "Nov 23 18:12:27 debug1: ...", a chat
// or e-mail quote adds "> ", a PuTTY Event Log copy starts each line with
// "2026-11-23 18:04:43\t". The client-trace and PuTTY matchers want the
// line as the program printed it, so they call strip_capture_prefix()
// first. Not for syslog/journal lines, whose timestamp is part of the
// format and is parsed, not discarded.
#pragma once

#include <string_view>

namespace sshlogwhy {

// Returns `text` without a leading capture prefix: any number of quote
// markers (">", "> ", ">> ", "> > "), then at most one timestamp followed by
// one space or tab (or the end of the line):
//   Nov 23 18:12:27            moreutils ts default (also "Nov  3", fractions)
//   2026-11-23 18:12:27.331766 ts '%Y-%m-%d %H:%M:%.S'; PuTTY Event Log copy
//   2026-11-23T18:12:27.331766Z   ISO 8601, also +00:00 / +0000 offsets
//   [18:12:27]  [2026-11-23 18:12:27]   bracketed forms of any of these
//   18:12:27.123  18:12:27,123  18:12:27   ts -s / -i / '%.T'
// and then any "^@" (a NUL echoed by the pty in caret notation, as in the
// `script` typescript: "^@Could not chdir to home directory ...").
// Anything else is returned unchanged: a line that merely starts with a
// month name, a number or "debug1:" is content. The result is a suffix of
// `text` (same lifetime). Pure function; thread-safe.
std::string_view strip_capture_prefix(std::string_view text);

}  // namespace sshlogwhy
