#include "reports/json_report.h"

#include <optional>

#include "reports/json_writer.h"
#include "reports/time_format.h"

namespace sshlogwhy {
namespace {

void split_list(JsonWriter& w, std::string_view list) {
  w.begin_array();
  size_t start = 0;
  while (start < list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    if (comma > start) w.string(list.substr(start, comma - start));
    start = comma + 1;
  }
  w.end_array();
}

// "disconnect": {"code", "reason"}, or null when none was logged.
void write_disconnect(JsonWriter& w, const std::string& code, const std::string& reason) {
  w.key("disconnect");
  if (code.empty() && reason.empty()) {
    w.null();
    return;
  }
  w.begin_object();
  w.field("code", code);
  w.field("reason", reason);
  w.end_object();
}

void write_verdict(JsonWriter& w, const Analysis& a, const Verdict& verdict, const VerdictTexts& texts,
                   Audience audience) {
  // Texts for this reader, with the placeholders a report can derive.
  Verdict v = verdict;
  add_derived_vars(v);
  const VerdictText* found = texts.find(v.id);
  std::optional<VerdictText> resolved;
  if (found != nullptr) resolved = found->for_audience(audience);
  const VerdictText* t = resolved ? &*resolved : nullptr;
  w.begin_object();
  w.field("id", v.id);
  w.field("confidence", confidence_name(v.confidence));
  w.field("title", t ? render(t->title, v.vars) : v.id);
  w.field("explanation", t ? render(t->explanation, v.vars) : "");
  w.field("side", t ? t->side : "");
  w.field("audience", audience_name(audience));
  // Fix and settle lines: this verdict's, or those of the verdict it takes
  // its fixes from (a jump host's own cause, verdict.h), with its vars.
  Verdict fv = v;
  const VerdictText* ft = t;
  std::optional<VerdictText> fix_resolved;
  if (!v.fix_from.empty()) {
    fv = v.fix_from.front();
    add_derived_vars(fv);
    if (const VerdictText* f = texts.find(fv.id)) fix_resolved = f->for_audience(audience);
    ft = fix_resolved ? &*fix_resolved : nullptr;
  }
  std::string_view line;
  w.key("fix");
  w.begin_array();
  if (ft) {
    for (const std::string& f : ft->fix) {
      if (line_applies(f, fv, line)) w.string(render(line, fv.vars));
    }
  }
  w.end_array();
  w.key("settle");
  w.begin_array();
  if (ft) {
    for (const std::string& f : ft->settle) {
      if (line_applies(f, fv, line)) w.string(render(line, fv.vars));
    }
  }
  w.end_array();
  w.key("notes");
  w.begin_array();
  for (const std::string& n : v.notes) w.string(n);
  w.end_array();
  w.key("evidence");
  w.begin_array();
  for (const Event* e : v.evidence) {
    w.begin_object();
    w.field("file", a.inputs[e->file_index].name);
    w.number_field("line", e->line_number);
    w.field("text", a.text_of(*e));
    w.field("event", event_kind_name(e->kind));
    w.end_object();
  }
  w.end_array();
  w.key("facts");
  w.begin_object();
  for (const auto& [k, val] : v.vars) {
    if (k == "port_opt" || k == "putty_port_opt" || k == "known_host" || k == "keys_word") continue;  // command helpers, not facts
    w.field(k, val);
  }
  w.end_object();
  w.field("rule", v.rule);
  w.end_object();
}

void write_conversation(JsonWriter& w, const Analysis& a, const ClientConversation& c, const Diagnosis& d) {
  w.begin_object();
  w.field("side", "client");
  w.field("source", a.inputs[c.file_index].name);
  w.field("client", c.client);
  w.number_field("hop", c.hop);
  w.number_field("first_line", c.first_line);
  w.number_field("last_line", c.last_line);
  w.field("user", c.user);
  w.field("host", c.host);
  w.field("address", c.address);
  w.field("port", c.port);
  w.field("outcome", outcome_name(c.outcome));
  w.field("verdict", d.verdict.id);
  w.field("client_version", c.client_version);
  w.field("tls_library", c.tls_library);
  w.field("server_version", c.remote_version);
  w.field("proxy_command", c.proxy_command);
  w.key("algorithms");
  w.begin_object();
  w.field("kex", c.kex);
  w.field("host_key", c.host_key_algorithm);
  w.field("cipher_ctos", c.cipher_ctos);
  w.field("cipher_stoc", c.cipher_stoc);
  w.field("mac_ctos", c.mac_ctos);
  w.field("mac_stoc", c.mac_stoc);
  w.field("negotiation_failed", c.negotiation_what);
  w.field("their_offer", c.negotiation_offer);
  w.end_object();
  w.key("host_key");
  w.begin_object();
  w.field("type", c.host_key_type);
  w.field("fingerprint", c.host_key_fingerprint);
  w.field("known_hosts", known_hosts_name(c.known_hosts));
  w.field("known_hosts_file", c.known_hosts_path);
  w.field("known_hosts_line", c.known_hosts_line);
  w.end_object();
  w.key("keys");
  w.begin_array();
  for (const ClientKey& k : c.keys) {
    if (k.result == KeyResult::kNotFound) continue;
    w.begin_object();
    w.field("path", k.path);
    w.field("type", k.type);
    w.field("fingerprint", k.fingerprint);
    w.key("agent");
    w.boolean(k.from_agent);
    w.field("result", key_result_name(k.result));
    w.field("reason", k.reason);
    w.end_object();
  }
  w.end_array();
  w.key("server_sig_algs");
  if (c.server_sig_algs.empty()) w.null();
  else split_list(w, c.server_sig_algs);
  w.key("methods");
  std::string last = c.final_methods.empty() ? (c.rounds.empty() ? "" : c.rounds.back().methods) : c.final_methods;
  split_list(w, last);
  w.key("auth_rounds");
  w.begin_array();
  for (const AuthRound& r : c.rounds) split_list(w, r.methods);
  w.end_array();
  w.key("methods_tried");
  w.begin_array();
  for (const std::string& m : c.methods_tried) w.string(m);
  w.end_array();
  w.field("partial_success", c.partial_success_method);
  w.field("authenticated_with", c.authenticated_method);
  w.key("agent_keys");
  if (c.agent_keys < 0) w.null();
  else w.number(c.agent_keys);
  w.field("agent_problem", c.agent_problem);
  w.number_field("password_failures", c.password_failures);
  write_disconnect(w, c.disconnect_code, c.disconnect_reason);
  w.field("failure_reason", c.failure_reason);
  w.key("remote_messages");
  w.begin_array();
  for (const std::string& m : c.remote_messages) w.string(m);
  w.end_array();
  w.number_field("events", c.events.size());
  w.end_object();
}

}  // namespace

void write_server_connection(JsonWriter& w, const Analysis& a, const ServerConnection& c, const Diagnosis& d) {
  w.begin_object();
  w.field("side", "server");
  w.field("source", c.file_index < a.inputs.size() ? a.inputs[c.file_index].name : "");
  w.number_field("first_line", c.first_line);
  w.number_field("last_line", c.last_line);
  w.field("host", c.host);
  w.field("program", c.program);
  w.key("pid");
  if (c.pid < 0) w.null();
  else w.number(c.pid);
  w.field("user", c.user);
  w.key("invalid_user");
  w.boolean(c.invalid_user);
  w.field("source_ip", c.source_ip);
  w.field("source_port", c.source_port);
  w.field("server_ip", c.server_ip);
  w.field("port", c.server_port);
  w.field("start", iso8601(c.start_us, c.time_zoned));
  w.field("end", iso8601(c.end_us, c.time_zoned));
  w.field("outcome", server_outcome_name(c.outcome));
  w.field("verdict", d.verdict.id);
  w.field("server_version", c.sshd_version);
  w.key("keys");
  w.begin_array();
  for (const ServerAuthAttempt& at : c.attempts) {
    if (at.fingerprint.empty()) continue;
    w.begin_object();
    w.field("path", "");
    w.field("type", at.key_type);
    w.field("fingerprint", at.fingerprint);
    w.field("result", at.result);
    w.end_object();
  }
  w.end_array();
  w.key("attempts");
  w.begin_array();
  for (const ServerAuthAttempt& at : c.attempts) {
    w.begin_object();
    w.field("method", at.method);
    w.field("result", at.result);
    w.field("key_type", at.key_type);
    w.field("fingerprint", at.fingerprint);
    w.end_object();
  }
  w.end_array();
  w.key("methods");
  w.begin_array();
  for (const ServerAuthAttempt& at : c.attempts) w.string(at.method);
  w.end_array();
  write_disconnect(w, c.disconnect_code, c.disconnect_reason);
  w.key("log_level_verbose");
  w.boolean(c.verbose_seen || c.debug_seen);
  w.number_field("events", c.events.size());
  w.end_object();
}

std::string json_report(const Analysis& a, const VerdictTexts& texts) {
  JsonWriter w;
  w.begin_object();
  w.field("schema", "sshlogwhy.diagnosis/1");
  std::string_view client;
  if (a.diagnosis.conversation_index < a.conversations.size()) client = a.conversations[a.diagnosis.conversation_index].client;
  const Audience audience = audience_for(a.answer_from, client);
  w.key("verdict");
  write_verdict(w, a, a.answer.verdict, texts, audience);
  w.key("alternatives");
  w.begin_array();
  for (const Verdict& v : a.answer.alternatives) write_verdict(w, a, v, texts, audience);
  w.end_array();
  w.field("answer_from", a.answer_from);
  // Which conversation the verdict is about: an index into "conversations"
  // (client conversations first, then server connections).
  w.key("conversation_index");
  if (a.answer_from == "server") w.number(static_cast<long long>(a.conversations.size() + a.answer_server));
  else w.number(static_cast<long long>(a.diagnosis.conversation_index));
  w.key("matched_server_connection");
  if (a.answer_from == "client+server") w.number(static_cast<long long>(a.conversations.size() + a.answer_server));
  else w.null();
  w.key("conversations");
  w.begin_array();
  for (size_t i = 0; i < a.conversations.size(); ++i) {
    write_conversation(w, a, a.conversations[i], a.diagnosis.per_conversation[i]);
  }
  for (const Analysis::ServerResult& r : a.server) write_server_connection(w, a, r.connection, r.diagnosis);
  w.end_array();
  w.key("inputs");
  w.begin_array();
  for (const InputFile& in : a.inputs) {
    w.begin_object();
    w.field("name", in.name);
    w.field("kind", source_kind_name(in.kind));
    w.number_field("lines", in.line_count);
    w.number_field("bytes", in.bytes);
    w.number_field("recognised_lines", in.matched_lines);
    w.number_field("unrecognised_lines", in.unmatched_lines);
    w.number_field("redacted_private_key_blocks", in.redacted_key_blocks);
    w.number_field("truncated_lines", in.truncated_lines);
    w.end_object();
  }
  w.end_array();
  w.key("warnings");
  w.begin_array();
  for (const std::string& m : a.warnings) w.string(m);
  w.end_array();
  w.end_object();
  std::string out = w.take();
  out += '\n';
  return out;
}

}  // namespace sshlogwhy
