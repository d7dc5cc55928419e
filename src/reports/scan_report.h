// The reports of `sshlogwhy scan`: text for an admin, JSON (schema
// "sshlogwhy.scan/1") for scripts, and one NDJSON object per connection.
#pragma once

#include <string>

#include "conversations/server_connection.h"
#include "pipeline/scan.h"
#include "verdicts/verdict.h"
#include "verdicts/verdict_texts.h"

namespace sshlogwhy {

std::string scan_text_report(const ScanResult& result, const VerdictTexts& texts, bool color);
std::string scan_json_report(const ScanResult& result);
// {"pid","program","host","user","source_ip","source_port","start","end",
//  "outcome","verdict":{"id","confidence","title"},"invalid_user","events","line"}
std::string scan_ndjson_line(const ServerConnection& c, const Diagnosis& d, const VerdictTexts& texts);

}  // namespace sshlogwhy
