// Which program wrote an input: OpenSSH's ssh, PuTTY/plink, or sshd.
//
// Detection is data-driven: the first lines are matched against each
// family's patterns and the family that recognises the most wins. sshd logs
// are told by their program tag (`sshd[pid]:`, `sshd-session[pid]:`, journald
// fields). Ties go to the OpenSSH client, the common case.
#pragma once

#include <vector>

#include "events/pattern_db.h"
#include "lines/line.h"
#include "pipeline/analysis.h"

namespace sshlogwhy {

SourceKind detect_source(const std::vector<Line>& lines, const PatternDb& db);

// The same, from the first bytes of an input (cut mid-line or not): they go
// through the line stage (without its binary check: the real read reports
// binary input with its line) and then detect_source().
SourceKind detect_source_of_head(const std::string& name, const std::string& head, const PatternDb& db);

}  // namespace sshlogwhy
