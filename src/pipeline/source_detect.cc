#include "pipeline/source_detect.h"

#include "events/client_events.h"
#include "input/memory_source.h"
#include "lines/line_reader.h"
#include "events/putty_events.h"

namespace sshlogwhy {
namespace {

constexpr size_t kLinesToSample = 2000;

bool looks_like_sshd_line(std::string_view text) {
  for (std::string_view tag : {"sshd[", "sshd-session[", "sshd-auth[", "\"SYSLOG_IDENTIFIER\":\"sshd",
                               "\"SYSLOG_IDENTIFIER\" : \"sshd", "SYSLOG_IDENTIFIER=sshd"}) {
    if (text.find(tag) != std::string_view::npos) return true;
  }
  return false;
}

// Lines only sshd's own debug output (`sshd -d`, `sshd -E` at DEBUG) has;
// its debugN: lines otherwise look much like a client's.
bool is_sshd_debug_marker(std::string_view text) {
  for (std::string_view marker : {"load_server_config", "sshd version OpenSSH", "Server listening on ",
                                  "server_accept_loop", "debug1: rexec", "monitor_read: ", "privsep_preauth"}) {
    if (text.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

const char* source_kind_name(SourceKind k) {
  switch (k) {
    case SourceKind::kUnknown: return "unknown";
    case SourceKind::kOpensshClient: return "openssh-client";
    case SourceKind::kPutty: return "putty";
    case SourceKind::kSshdLog: return "sshd";
  }
  return "unknown";
}

SourceKind detect_source(const std::vector<Line>& lines, const PatternDb& db) {
  const FamilyMatcher& client = db.matcher("openssh-client");
  const FamilyMatcher& putty = db.matcher("putty");
  const FamilyMatcher& sshd = db.matcher("sshd");
  size_t client_hits = 0, putty_hits = 0, sshd_hits = 0, putty_markers = 0;
  PatternMatch m;
  size_t seen = 0;
  for (const Line& line : lines) {
    if (line.text.empty() || (line.flags & kLineRedactedPrivateKey)) continue;
    if (++seen > kLinesToSample) break;
    // A program tag, or a raw `sshd -E` line the sshd patterns know.
    if (looks_like_sshd_line(line.text) || sshd.match(line.text, m)) ++sshd_hits;
    if (is_sshd_debug_marker(line.text)) sshd_hits += 50;
    uint8_t level = 0;
    if (client.match(client_message_text(line, level), m)) ++client_hits;
    PuttyText pt = putty_message_text(line);
    if (pt.putty_form) ++putty_markers;
    if (!pt.skip && putty.match(pt.text, m)) ++putty_hits;
  }
  if (sshd_hits > client_hits && sshd_hits > putty_hits) return SourceKind::kSshdLog;
  // PuTTY's Event Log form is unmistakable; plink's bare lines are told by
  // recognising more of them than the OpenSSH patterns do.
  if (putty_hits > 0 && (putty_markers > 0 || putty_hits > client_hits)) return SourceKind::kPutty;
  if (client_hits > 0) return SourceKind::kOpensshClient;
  if (putty_hits > 0) return SourceKind::kPutty;
  if (sshd_hits > 0) return SourceKind::kSshdLog;
  return SourceKind::kUnknown;
}

}  // namespace sshlogwhy

namespace sshlogwhy {

SourceKind detect_source_of_head(const std::string& name, const std::string& head, const PatternDb& db) {
  LineReaderOptions options;
  options.reject_binary = false;
  LineReader reader(std::make_unique<MemorySource>(name, head), options);
  std::vector<Line> lines;
  Line line;
  while (lines.size() < kLinesToSample) {
    Result<bool> more = reader.next(line);
    if (!more.ok() || !more.value()) break;
    lines.push_back(std::move(line));
    line = Line{};
  }
  return detect_source(lines, db);
}

}  // namespace sshlogwhy
