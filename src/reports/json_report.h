// The machine report, schema "sshlogwhy.diagnosis/1" (documented in
// docs in README.md#json-output and relied on by scripts: fields are only
// ever added, never renamed or removed).
#pragma once

#include <string>

#include "pipeline/analysis.h"
#include "verdicts/verdict_texts.h"

namespace sshlogwhy {

std::string json_report(const Analysis& analysis, const VerdictTexts& texts);

}  // namespace sshlogwhy
