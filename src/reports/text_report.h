// The human report: the verdict first, then evidence, fix, what would settle
// it, alternatives, and a summary of the rebuilt conversation. Everything
// that came from the input passes through terminal_safe().
#pragma once

#include <string>

#include "pipeline/analysis.h"
#include "reports/report_options.h"
#include "verdicts/verdict_texts.h"

namespace sshlogwhy {

std::string text_report(const Analysis& analysis, const VerdictTexts& texts, const ReportOptions& options);

// `sshlogwhy explain ID`: the texts of one verdict, placeholders left as <name>.
std::string explain_text(const VerdictText& text);

}  // namespace sshlogwhy
