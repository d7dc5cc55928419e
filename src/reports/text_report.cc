#include "reports/text_report.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string_view>

#include "conversations/client_builder.h"
#include "reports/sanitize.h"
#include "reports/time_format.h"

namespace sshlogwhy {
namespace {

struct Style {
  bool on = false;
  std::string bold(std::string_view s) const { return wrap("\x1b[1m", s); }
  std::string red(std::string_view s) const { return wrap("\x1b[1;31m", s); }
  std::string green(std::string_view s) const { return wrap("\x1b[1;32m", s); }
  std::string yellow(std::string_view s) const { return wrap("\x1b[33m", s); }
  std::string dim(std::string_view s) const { return wrap("\x1b[2m", s); }
  std::string wrap(const char* code, std::string_view s) const {
    return on ? std::string(code) + std::string(s) + "\x1b[0m" : std::string(s);
  }
};

// Word-wraps `text` at `width` columns with `indent` spaces on every line.
// A `backtick span` is never broken: a command that wraps cannot be pasted.
std::string wrap_text(std::string_view text, size_t width, size_t indent, size_t hanging = 0) {
  std::string out;
  std::string pad(indent, ' ');
  std::string pad_next(indent + hanging, ' ');
  size_t col = 0;
  size_t i = 0;
  while (i < text.size()) {
    // The next word ends at a space outside backticks.
    size_t end = i;
    bool in_code = false;
    while (end < text.size() && (in_code || text[end] != ' ')) {
      if (text[end] == '`') in_code = !in_code;
      ++end;
    }
    // A list marker ("-", "3.") stays on the line of the word after it.
    std::string_view marker = text.substr(i, end - i);
    bool is_marker = marker == "-" || (marker.size() >= 2 && marker.back() == '.' &&
                                       marker.find_first_not_of("0123456789") == marker.size() - 1);
    if (is_marker && end < text.size()) {
      size_t next = end + 1;
      in_code = false;
      while (next < text.size() && (in_code || text[next] != ' ')) {
        if (text[next] == '`') in_code = !in_code;
        ++next;
      }
      end = next;
    }
    std::string_view word = text.substr(i, end - i);
    if (col == 0) {
      out += pad;
      col = indent;
    } else if (col + 1 + word.size() > width) {
      out += "\n" + pad_next;
      col = indent + hanging;
    } else {
      out += ' ';
      ++col;
    }
    out += word;
    col += word.size();
    i = end + 1;
  }
  if (!out.empty()) out += '\n';
  return out;
}

// The texts for this reader (PuTTY user, OpenSSH user, server admin).
std::optional<VerdictText> texts_for(const VerdictTexts& texts, const std::string& id, Audience audience) {
  const VerdictText* t = texts.find(id);
  if (t == nullptr) return std::nullopt;
  return t->for_audience(audience);
}

// The verdict with the placeholders a report can derive (verdict.h).
Verdict with_derived(const Verdict& v) {
  Verdict out = v;
  add_derived_vars(out);
  return out;
}

std::string title_of(const Verdict& v, const VerdictTexts& texts, Audience audience) {
  std::optional<VerdictText> t = texts_for(texts, v.id, audience);
  return t ? render(t->title, with_derived(v).vars) : v.id;
}

Audience audience_of(const Analysis& a) {
  std::string_view client;
  if (a.diagnosis.conversation_index < a.conversations.size()) client = a.conversations[a.diagnosis.conversation_index].client;
  return audience_for(a.answer_from, client);
}

// Evidence lines as "  line  text", grouped under the input they come from.
std::string evidence_block(const Analysis& a, const Verdict& v, const Style& s) {
  std::string out;
  size_t width = 1;
  for (const Event* e : v.evidence) width = std::max(width, std::to_string(e->line_number).size());
  uint32_t current = UINT32_MAX;
  for (const Event* e : v.evidence) {
    if (e->file_index != current) {
      current = e->file_index;
      out += "  " + s.dim("in " + terminal_safe(a.inputs[current].name) + ":") + "\n";
    }
    std::string ln = std::to_string(e->line_number);
    ln.insert(0, width - ln.size(), ' ');
    out += "  " + s.dim(ln) + "  " + terminal_safe(a.text_of(*e)) + "\n";
  }
  return out;
}

std::string conversation_summary(const Analysis& a, const ClientConversation& c, const Style& s) {
  std::string out;
  auto row = [&](std::string_view label, const std::string& value) {
    if (value.empty()) return;
    std::string l(label);
    l.resize(12, ' ');
    out += "  " + s.dim(l) + terminal_safe(value) + "\n";
  };
  std::string who = c.user.empty() ? "" : c.user + "@";
  who += c.host.empty() ? (c.address.empty() ? "(host not named in the trace)" : c.address) : c.host;
  if (!c.port.empty()) who += " port " + c.port;
  if (!c.address.empty() && c.address != c.host) who += " (" + c.address + ")";
  if (c.hop > 0) who += "  [jump host, hop " + std::to_string(c.hop) + "]";
  row("connection", who);
  row("client", c.client_version + (c.tls_library.empty() ? "" : ", " + c.tls_library));
  row("server", c.remote_version);
  if (!c.kex.empty() || !c.cipher_ctos.empty()) {
    row("algorithms", c.kex + (c.host_key_algorithm.empty() ? "" : ", " + c.host_key_algorithm) +
                          (c.cipher_ctos.empty() ? "" : ", " + c.cipher_ctos));
  }
  if (!c.host_key_fingerprint.empty() || c.known_hosts != KnownHosts::kNotSeen) {
    std::string hk = c.host_key_type + " " + c.host_key_fingerprint;
    hk += std::string(" (") + known_hosts_name(c.known_hosts);
    if (!c.known_hosts_path.empty()) hk += ", " + c.known_hosts_path + (c.known_hosts_line.empty() ? "" : ":" + c.known_hosts_line);
    hk += ")";
    row("host key", hk);
  }
  row("sig algs", c.server_sig_algs);
  if (!c.rounds.empty() || !c.final_methods.empty()) {
    row("methods", c.final_methods.empty() ? c.rounds.back().methods : c.final_methods);
  }
  if (c.agent_keys >= 0 || !c.agent_problem.empty()) {
    row("agent", c.agent_problem.empty() ? std::to_string(c.agent_keys) + (c.agent_keys == 1 ? " key" : " keys") : c.agent_problem);
  }
  for (const ClientKey& k : c.keys) {
    if (k.result == KeyResult::kNotFound) continue;  // default paths that do not exist
    std::string line = k.path;
    if (!k.type.empty()) line += " " + k.type;
    if (!k.fingerprint.empty()) line += " " + k.fingerprint;
    line += std::string(": ") + key_result_name(k.result);
    if (!k.reason.empty()) line += " (" + k.reason + ")";
    row("key", line);
  }
  std::string outcome = outcome_name(c.outcome);
  if (!c.disconnect_reason.empty()) outcome += ": " + c.disconnect_reason;
  else if (!c.failure_reason.empty()) outcome += ": " + c.failure_reason;
  row("outcome", outcome);
  (void)a;
  return out;
}

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kStart: return "start";
    case Phase::kConnect: return "connect";
    case Phase::kBanner: return "banner";
    case Phase::kKex: return "kex";
    case Phase::kHostKey: return "hostkey";
    case Phase::kAuth: return "auth";
    case Phase::kSession: return "session";
  }
  return "";
}

std::string timeline(const Analysis& a, const ClientConversation& c, const Style& s) {
  std::string out;
  for (const Event* e : c.events) {
    std::string ln = std::to_string(e->line_number);
    ln.insert(0, ln.size() < 6 ? 6 - ln.size() : 0, ' ');
    std::string kind(event_kind_name(e->kind));
    kind.resize(28, ' ');
    std::string ph = phase_name(phase_of(e->kind));
    ph.resize(8, ' ');
    out += "  " + s.dim(ln) + "  " + ph + kind + terminal_safe(a.text_of(*e)) + "\n";
  }
  return out;
}

std::string server_line(const Analysis& a, const Analysis::ServerResult& r) {
  const ServerConnection& c = r.connection;
  std::string when = iso8601(c.start_us, c.time_zoned);
  if (when.empty()) when = a.inputs[c.file_index].name + ":" + std::to_string(c.first_line);
  std::string who = c.user.empty() ? "-" : c.user;
  if (c.invalid_user) who += " (invalid)";
  return when + "  " + (c.source_ip.empty() ? "-" : c.source_ip) + "  " + who + "  " + server_outcome_name(c.outcome) +
         "  -> " + r.diagnosis.verdict.id;
}

// Server logs: the connections behind the answer, most recent failures first.
std::string server_section(const Analysis& a, const Style& s, const ReportOptions& options) {
  if (a.server.empty()) return {};
  std::string out;
  // The same counts and definitions as `scan` (verdicts/server_summary):
  // every connection, not only those kept for this report.
  const ServerSummary& sum = a.summary;
  uint64_t never_tried = sum.connections - sum.successes - sum.failures;
  out += s.bold("Server log: " + std::to_string(sum.connections) + " connection(s): " + std::to_string(sum.successes) +
                " succeeded, " + std::to_string(sum.failures) + " failed, " + std::to_string(never_tried) +
                " never tried to log in; " + std::to_string(a.sshd_lines) + " sshd lines (" +
                std::to_string(a.sshd_unmatched) + " not recognised)") +
         "\n";
  size_t shown = 0;
  size_t limit = options.verbose ? 50 : 8;
  for (size_t i = a.server.size(); i-- > 0 && shown < limit;) {
    const Analysis::ServerResult& r = a.server[i];
    if (r.diagnosis.verdict.id == "success" && !options.verbose) continue;
    std::string mark = static_cast<int64_t>(i) == a.answer_server ? "> " : "  ";
    out += mark + terminal_safe(server_line(a, r)) + "\n";
    ++shown;
  }
  size_t listable = 0;  // what the loop above would list without its limit
  for (const Analysis::ServerResult& r : a.server) listable += options.verbose || r.diagnosis.verdict.id != "success";
  if (listable > shown) {
    out += s.dim("  ... " + std::to_string(listable - shown) +
                 " more (use --user, --from, --since, --until, or `sshlogwhy scan`)") +
           "\n";
  }
  if (options.verbose && a.answer_server >= 0) {
    out += s.bold("  Timeline of the connection above marked >") + "\n";
    for (const ServerEvent& e : a.server[a.answer_server].connection.events) {
      std::string ln = std::to_string(e.event.line_number);
      ln.insert(0, ln.size() < 6 ? 6 - ln.size() : 0, ' ');
      std::string kind(event_kind_name(e.event.kind));
      kind.resize(28, ' ');
      out += "  " + s.dim(ln) + "  " + kind + terminal_safe(e.event.text) + "\n";
    }
  }
  out += "\n";
  return out;
}

}  // namespace

std::string text_report(const Analysis& a, const VerdictTexts& texts, const ReportOptions& options) {
  Style s{options.color};
  std::string out;
  const Diagnosis& d = a.answer;
  const Verdict v = with_derived(d.verdict);
  const Audience audience = audience_of(a);
  const std::optional<VerdictText> resolved = texts_for(texts, v.id, audience);
  const VerdictText* t = resolved ? &*resolved : nullptr;

  std::string id = v.id == "success" ? s.green(v.id) : s.red(v.id);
  out += s.bold("Verdict: ") + id + "  (" + confidence_name(v.confidence) + " confidence)\n";
  out += s.bold(terminal_safe(title_of(v, texts, audience))) + "\n\n";
  if (t != nullptr && !t->explanation.empty()) out += wrap_text(terminal_safe(render(t->explanation, v.vars)), 78, 2);
  for (const std::string& n : v.notes) out += wrap_text(terminal_safe(n), 78, 2);
  out += "\n";

  if (!v.evidence.empty()) {
    out += s.bold("Evidence") + "\n" + evidence_block(a, v, s) + "\n";
  }
  // Fix and settle lines: this verdict's, or those of the verdict it takes
  // its fixes from (a jump host's own cause, verdict.h), with its vars.
  const Verdict fv = v.fix_from.empty() ? v : with_derived(v.fix_from.front());
  const std::optional<VerdictText> fix_resolved = v.fix_from.empty() ? resolved : texts_for(texts, fv.id, audience);
  const VerdictText* ft = fix_resolved ? &*fix_resolved : nullptr;
  std::string_view line;
  if (ft != nullptr && !ft->fix.empty()) {
    // A success that carries warnings (keys ignored for bad modes, a host
    // key just added) is not "nothing to fix".
    out += s.bold(v.id != "success" ? "Fix" : v.notes.empty() ? "Nothing to fix" : "Worth checking") + "\n";
    int n = 1;
    for (const std::string& f : ft->fix) {
      if (!line_applies(f, fv, line)) continue;
      std::string item = std::to_string(n++) + ". " + terminal_safe(render(line, fv.vars));
      out += wrap_text(item, 78, 2, 3);
    }
    out += "\n";
  }
  if (ft != nullptr && !ft->settle.empty() && v.id != "success") {
    out += s.bold(d.alternatives.empty() ? "To confirm" : "To tell the causes apart") + "\n";
    for (const std::string& f : ft->settle) {
      if (line_applies(f, fv, line)) out += wrap_text("- " + terminal_safe(render(line, fv.vars)), 78, 2, 2);
    }
    out += "\n";
  }
  if (!d.alternatives.empty()) {
    out += s.bold("Other possible causes") + "\n";
    for (const Verdict& alt : d.alternatives) {
      out += "  - " + s.yellow(alt.id) + " (" + confidence_name(alt.confidence) + "): " +
             terminal_safe(title_of(alt, texts, audience)) + "\n";
      for (const std::string& n : alt.notes) out += wrap_text(terminal_safe(n), 78, 6);
    }
    out += "\n";
  }

  if (a.answer_from == "client+server") {
    const ServerConnection& sc = a.server[a.answer_server].connection;
    out += s.dim(terminal_safe("Joined with the server's log: connection from " + sc.source_ip + " port " +
                               sc.source_port + " (" + a.inputs[sc.file_index].name + " line " +
                               std::to_string(sc.first_line) + ")")) +
           "\n\n";
  }
  out += server_section(a, s, options);

  // The conversations: the one the verdict is about first.
  const auto& convs = a.conversations;
  for (size_t i = 0; i < convs.size(); ++i) {
    const ClientConversation& c = convs[i];
    std::string head = "Conversation " + std::to_string(i + 1) + " of " + std::to_string(convs.size());
    head += " (" + a.inputs[c.file_index].name + " lines " + std::to_string(c.first_line) + "-" +
            std::to_string(c.last_line) + ")";
    if (convs.size() > 1 || !a.server.empty()) head += ": " + a.diagnosis.per_conversation[i].verdict.id;
    out += s.bold(terminal_safe(head)) + "\n";
    out += conversation_summary(a, c, s);
    if (options.verbose) {
      out += s.bold("  Timeline") + "\n" + timeline(a, c, s);
    }
    out += "\n";
  }
  if (options.verbose) {
    for (const InputFile& in : a.inputs) {
      out += s.dim(terminal_safe(in.name) + ": " + std::to_string(in.line_count) + " lines, " +
                   std::to_string(in.matched_lines) + " recognised, " + std::to_string(in.unmatched_lines) +
                   " not needed for the diagnosis") +
             "\n";
    }
  }
  while (out.size() >= 2 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
  return out;
}

namespace {

// `explain` has no trace to fill the placeholders from. Inside `code` a
// command must still read as one, so the common ones get example values
// (`ssh -i ~/.ssh/id_ed25519 user@host`, no port option); in prose the
// rest stay <name>. Option placeholders ({port_opt}) are always empty.
std::string render_example(std::string_view text) {
  static const std::vector<std::pair<std::string, std::string>> kProse = {
      {"port_opt", ""}, {"putty_port_opt", ""}, {"keys_word", "keys"}};
  static const std::vector<std::pair<std::string, std::string>> kCode = {
      {"port_opt", ""},        {"putty_port_opt", ""},          {"keys_word", "keys"},
      {"user", "user"},        {"host", "host"},                {"known_host", "host"},
      {"port", "22"},          {"key_path", "~/.ssh/id_ed25519"}, {"hop", "user@jumphost"},
      {"source_ip", "203.0.113.10"}, {"address", "203.0.113.10"},
  };
  std::string out;
  bool code = false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t tick = text.find('`', start);
    std::string_view part = text.substr(start, tick == std::string_view::npos ? std::string_view::npos : tick - start);
    out += render(part, code ? kCode : kProse);
    if (tick == std::string_view::npos) break;
    out += '`';
    code = !code;
    start = tick + 1;
  }
  return out;
}

// A fix or settle line in `explain`: its condition ("[windows] ", see
// line_applies in verdict.h) in words, then the line.
std::string render_example_line(std::string_view line) {
  if (line.starts_with("[windows] ")) return "(Windows clients) " + render_example(line.substr(10));
  if (line.starts_with("[unix] ")) return "(Linux/macOS clients) " + render_example(line.substr(7));
  return render_example(line);
}

}  // namespace

std::string explain_text(const VerdictText& t) {
  std::string out = t.id + ": " + render_example(t.title) + "\n";
  if (!t.seen_in.empty()) out += "Seen in: " + t.seen_in + " (C = OpenSSH client trace, S = sshd log, P = PuTTY)\n";
  out += "\n" + wrap_text(render_example(t.explanation), 78, 2) + "\n";
  if (!t.fix.empty()) {
    out += "Fix\n";
    int n = 1;
    for (const std::string& f : t.fix) out += wrap_text(std::to_string(n++) + ". " + render_example_line(f), 78, 2);
    out += "\n";
  }
  if (!t.settle.empty()) {
    out += "To confirm\n";
    for (const std::string& f : t.settle) out += wrap_text("- " + render_example_line(f), 78, 2);
  }
  // The variants a PuTTY user or a server admin reads instead.
  struct Named {
    const char* who;
    const VerdictTextVariant* variant;
  };
  for (const Named& n : {Named{"a PuTTY/plink log", &t.putty}, Named{"an sshd log alone", &t.server}}) {
    const VerdictTextVariant& var = *n.variant;
    if (var.empty()) continue;
    out += "\nFrom " + std::string(n.who) + "\n";
    if (!var.title.empty()) out += wrap_text("Title: " + render_example(var.title), 78, 2);
    if (!var.explanation.empty()) out += wrap_text(render_example(var.explanation), 78, 2);
    if (!var.fix.empty()) {
      out += "  Fix\n";
      int k = 1;
      for (const std::string& f : var.fix) out += wrap_text(std::to_string(k++) + ". " + render_example_line(f), 78, 4);
    }
    if (!var.settle.empty()) {
      out += "  To confirm\n";
      for (const std::string& f : var.settle) out += wrap_text("- " + render_example_line(f), 78, 4);
    }
  }
  return out;
}

}  // namespace sshlogwhy
