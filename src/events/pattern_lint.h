// The checks behind `sshlogwhy lint-patterns` and the pattern tests.
#pragma once

#include <vector>

#include "base/result.h"
#include "events/pattern_db.h"
#include "events/pattern_loader.h"

namespace sshlogwhy {

struct LintReport {
  std::vector<Error> errors;
  size_t patterns = 0;
  size_t samples = 0;
  size_t families = 0;
};

// Checks a loaded set of patterns: load errors, unique ids, known events,
// allowed capture names, regexes compile, every pattern has a sample, every
// sample contains the literal and is matched by exactly one pattern of its
// family with exactly the expected captures.
LintReport lint_patterns(const PatternLoad& load);

}  // namespace sshlogwhy
