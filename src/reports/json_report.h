// The machine report, schema "sshlogwhy.diagnosis/1" (documented in
// docs in README.md#json-output and relied on by scripts: fields are only
// ever added, never renamed or removed).
#pragma once

#include <string>

#include "pipeline/analysis.h"
#include "verdicts/verdict_texts.h"

namespace sshlogwhy {

std::string json_report(const Analysis& analysis, const VerdictTexts& texts);

class JsonWriter;
// One server connection object (also one line of `scan --format ndjson`'s
// per-connection form uses the same fields).
void write_server_connection(JsonWriter& w, const Analysis& a, const ServerConnection& c, const Diagnosis& d);

}  // namespace sshlogwhy
