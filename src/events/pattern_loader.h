// Reads pattern files (patterns/README.md) into Pattern records.
//
// Loading never stops at the first problem: every problem becomes an Error
// with file and line, so `sshlogwhy lint-patterns` can list them all. The
// checks that need compiled regexes (samples match exactly one pattern, with
// the expected captures) live in pattern_lint.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "events/pattern.h"

namespace sshlogwhy {

struct PatternLoad {
  std::vector<Pattern> patterns;
  std::vector<Error> errors;
};

// Parses one pattern file. `path` is only used in messages and
// Pattern::source_file. Appends to `out`.
void parse_pattern_file(std::string_view path, std::string_view content, PatternLoad& out);

// The built-in pattern files (embedded at build time), in path order.
PatternLoad load_builtin_patterns();

// Every *.json file below `dir` except verdicts/ (sorted by path). A missing
// or unreadable directory is an Error in `out.errors`.
void load_pattern_dir(const std::string& dir, PatternLoad& out);

// Merges `extra` into `base`: a pattern whose id exists in `base` replaces
// it in place; new ids are appended. Errors are appended.
void merge_patterns(PatternLoad& base, PatternLoad extra);

}  // namespace sshlogwhy
