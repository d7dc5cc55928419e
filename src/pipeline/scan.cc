#include "pipeline/scan.h"

#include <algorithm>
#include <cctype>

#include "input/file_mtime.h"
#include "input/open_input.h"
#include "input/replay_source.h"
#include "pipeline/source_detect.h"

namespace sshlogwhy {
namespace {

// "auth.log.2.gz" -> ("auth.log", 2); "auth.log" -> ("auth.log", 0);
// "secure-20251102" -> ("secure", 20251102) read as a date, newer = later.
std::pair<std::string, long long> rotation_of(const std::string& path) {
  std::string p = path;
  for (const char* ext : {".gz", ".bz2", ".xz", ".zst"}) {
    size_t n = std::char_traits<char>::length(ext);
    if (p.size() > n && p.compare(p.size() - n, n, ext) == 0) {
      p.resize(p.size() - n);
      break;
    }
  }
  size_t dot = p.find_last_of(".-");
  if (dot != std::string::npos && dot + 1 < p.size() &&
      std::all_of(p.begin() + dot + 1, p.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
      p.size() - dot - 1 <= 9) {
    long long n = std::stoll(p.substr(dot + 1));
    // Date-stamped rotation (RHEL "secure-20251102") sorts the other way.
    if (p[dot] == '-' && n > 19000000) return {p.substr(0, dot), -n};
    return {p.substr(0, dot), n};
  }
  return {p, 0};
}

}  // namespace

std::vector<std::string> order_rotated(const std::vector<std::string>& paths) {
  std::vector<std::string> out = paths;
  std::stable_sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    if (a == "-" || b == "-") return false;
    auto [base_a, rot_a] = rotation_of(a);
    auto [base_b, rot_b] = rotation_of(b);
    if (base_a != base_b) return false;  // keep the user's order across different logs
    return rot_a > rot_b;                // higher rotation number = older = first
  });
  return out;
}

Result<ScanResult> scan(const std::vector<std::string>& paths, const PatternDb& db, const ServerStreamOptions& options,
                        const ServerSink& sink) {
  ScanResult result;
  std::vector<std::string> ordered = order_rotated(paths);
  for (size_t i = 0; i < ordered.size(); ++i) {
    const std::string& path = ordered[i];
    Result<std::unique_ptr<ByteSource>> source = open_input(path);
    if (!source.ok()) return source.error();
    ServerStreamOptions so = options;
    if (so.file_mtime == 0) so.file_mtime = file_mtime(path);
    ScanInput in;
    in.name = source.value()->name();
    // A client trace or PuTTY log given to scan by mistake: say so rather
    // than report its lines as unknown sshd messages.
    Result<std::string> head = read_head(*source.value(), 64 << 10);
    if (!head.ok()) return head.error();
    SourceKind kind = detect_source_of_head(in.name, head.value(), db);
    if (kind == SourceKind::kOpensshClient || kind == SourceKind::kPutty) {
      result.warnings.push_back(in.name + ": this is a client trace (" + source_kind_name(kind) +
                                "), not a server log; diagnose it with `sshlogwhy " + in.name + "`. Skipped.");
      continue;
    }
    auto replay = std::make_unique<ReplaySource>(std::move(head.value()), std::move(source.value()));
    Result<ServerStreamStats> stats =
        stream_server_log(std::move(replay), static_cast<uint32_t>(i), db, so, result.summary,
                          sink ? sink : ServerSink([](ServerConnection&&, Diagnosis&&) {}));
    if (!stats.ok()) return stats.error();
    in.format = stats.value().format;
    in.lines = stats.value().lines;
    in.sshd_lines = stats.value().sshd_lines;
    in.unmatched = stats.value().unmatched;
    result.lines += in.lines;
    result.sshd_lines += in.sshd_lines;
    result.unmatched += in.unmatched;
    result.other_programs += stats.value().other_programs;
    if (in.sshd_lines == 0) {
      result.warnings.push_back(in.name + ": no sshd lines in this input (" + std::to_string(in.lines) +
                                " lines read); is it an auth log?");
    }
    result.inputs.push_back(std::move(in));
  }
  result.summary.finish();
  return result;
}

}  // namespace sshlogwhy
