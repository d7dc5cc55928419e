#include "verdicts/client_rules.h"

#include "conversations/client_builder.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace sshlogwhy {
namespace {

using K = EventKind;

bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

bool icontains(std::string_view s, std::string_view p) {
  auto it = std::search(s.begin(), s.end(), p.begin(), p.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != s.end();
}

// "publickey,password" contains method "password" (whole items only).
bool has_method(std::string_view list, std::string_view method) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    if (list.substr(start, comma - start) == method) return true;
    start = comma + 1;
  }
  return false;
}

// The methods the server last said it accepts.
std::string server_methods(const ClientConversation& c) {
  if (!c.final_methods.empty()) return c.final_methods;
  if (!c.rounds.empty()) return c.rounds.back().methods;
  return {};
}

bool tried(const ClientConversation& c, std::string_view method) {
  return std::find(c.methods_tried.begin(), c.methods_tried.end(), method) != c.methods_tried.end();
}

// How to name a jump host so that both `ssh -J X` and `ssh ssh://X` work.
std::string hop_name(const ClientConversation& c) {
  std::string out = c.user.empty() ? "" : c.user + "@";
  out += c.host.empty() ? c.address : c.host;
  if (!c.port.empty() && c.port != "22") out += ":" + c.port;
  return out;
}

// A verdict with the facts every text may use already filled in.
Verdict make(const ClientConversation& c, std::string id, Confidence conf, std::string_view rule) {
  Verdict v;
  v.id = std::move(id);
  v.confidence = conf;
  v.rule = std::string(rule);
  v.set("user", c.user);
  v.set("host", c.host);
  v.set("port", c.port);
  v.set("address", c.address);
  v.set("client_version", c.client_version);
  v.set("server_version", c.remote_version);
  v.set("host_key_type", c.host_key_type);
  v.set("methods", server_methods(c));
  v.set("client_os", c.client_os);
  if (c.hop > 0) v.set("hop", hop_name(c));
  set_port_vars(v, c.host.empty() ? c.address : c.host, c.port);
  return v;
}

void cite_first(Verdict& v, const ClientConversation& c, K kind) { v.cite(c.first(kind)); }
void cite_last(Verdict& v, const ClientConversation& c, K kind) { v.cite(c.last(kind)); }
void cite_all(Verdict& v, const ClientConversation& c, K kind) {
  for (const Event* e : c.all(kind)) v.cite(e);
}

void cite_end(Verdict& v, const ClientConversation& c) {
  cite_last(v, c, K::permission_denied);
  cite_last(v, c, K::putty_no_supported_methods);
  cite_last(v, c, K::received_disconnect);
  cite_last(v, c, K::connection_closed_by);
  cite_last(v, c, K::connection_reset_by);
}

const ClientKey* find_key(const ClientConversation& c, KeyResult r) {
  for (const ClientKey& k : c.keys) {
    if (k.result == r) return &k;
  }
  return nullptr;
}

int count_keys(const ClientConversation& c, KeyResult r) {
  return static_cast<int>(std::count_if(c.keys.begin(), c.keys.end(), [&](const ClientKey& k) { return k.result == r; }));
}

void set_key(Verdict& v, const ClientKey& k) {
  // An agent key's "path" is its comment, not a file a command could use.
  if (!k.from_agent) v.set("key_path", k.path);
  v.set("key_type", k.type);
  v.set("fingerprint", k.fingerprint);
  v.set("reason", k.reason);
  for (const Event* e : k.evidence) {
    // "Will attempt" / "identity file" only list the key; they prove nothing.
    if (e->kind != K::key_will_attempt && e->kind != K::identity_file) v.cite(e);
  }
}

bool login_failed(const ClientConversation& c) { return c.outcome != Outcome::kAuthenticated; }

Verdict alt(const ClientConversation& c, std::string id, Confidence conf, std::string note = {}) {
  Verdict v = make(c, std::move(id), conf, "alternative");
  if (!note.empty()) v.notes.push_back(std::move(note));
  return v;
}

// ---------------------------------------------------------------------------
// The rules, in the order a connection fails.
// ---------------------------------------------------------------------------

bool rule_config(const ClientConversation& c, Diagnosis& out) {
  if (c.config_errors.empty()) return false;
  const Event* e = c.config_errors.front();
  bool perms = e->kind == K::config_bad_permissions;
  Verdict v = make(c, perms ? "client_config_bad_permissions" : "client_config_invalid", Confidence::kHigh,
                   "config");
  for (const Event* x : c.config_errors) v.cite(x);
  v.set("config_path", std::string(e->get("path")));
  v.set("path", std::string(e->get("path")));
  v.set("config_line", std::string(e->get("line")));
  v.set("option", std::string(e->get("option")));
  out.verdict = std::move(v);
  return true;
}

bool rule_dns(const ClientConversation& c, Diagnosis& out) {
  if (c.outcome != Outcome::kDnsFailed) return false;
  Verdict v = make(c, "dns_resolution_failed", Confidence::kHigh, "dns");
  v.set("reason", c.failure_reason);
  cite_first(v, c, K::dns_failed);
  cite_first(v, c, K::putty_network_error);
  out.verdict = std::move(v);
  return true;
}

bool rule_tcp(const ClientConversation& c, Diagnosis& out) {
  if (c.outcome != Outcome::kConnectFailed &&
      !(c.outcome == Outcome::kTimedOut && c.phase < Phase::kBanner && !c.has(K::connection_established))) {
    return false;
  }
  std::string_view r = c.failure_reason;
  std::string id;
  Confidence conf = Confidence::kHigh;
  if (icontains(r, "refused")) id = "connection_refused";
  else if (icontains(r, "timed out")) id = "connection_timed_out";
  else if (icontains(r, "unreachable") || icontains(r, "no route") || icontains(r, "host is down")) id = "network_unreachable";
  else if (icontains(r, "reset")) id = "connection_reset_before_banner";
  else if (icontains(r, "does not exist") || icontains(r, "not found") || icontains(r, "not known")) id = "dns_resolution_failed";
  else {
    id = "insufficient_evidence";
    conf = Confidence::kLow;
  }
  Verdict v = make(c, id, conf, "tcp");
  v.set("reason", c.failure_reason);
  cite_all(v, c, K::connecting);
  cite_all(v, c, K::connect_attempt_failed);
  cite_last(v, c, K::connect_failed);
  cite_last(v, c, K::connect_timeout);
  cite_last(v, c, K::putty_network_error);
  out.verdict = std::move(v);
  if (id == "connection_timed_out") {
    out.alternatives.push_back(alt(c, "network_unreachable", Confidence::kLow,
                                   "A host that is switched off or a wrong IP address looks the same as a firewall that drops packets."));
  }
  if (id == "connection_refused") {
    out.alternatives.push_back(alt(c, "connection_timed_out", Confidence::kLow,
                                   "A firewall that rejects (instead of dropping) also shows up as \"Connection refused\"."));
  }
  return true;
}

bool rule_banner_timeout(const ClientConversation& c, Diagnosis& out) {
  if (c.outcome != Outcome::kTimedOut) return false;
  Verdict v = make(c, "banner_timeout", Confidence::kHigh, "banner_timeout");
  cite_first(v, c, K::connection_established);
  cite_last(v, c, K::banner_timeout);
  cite_last(v, c, K::connect_timeout);
  out.verdict = std::move(v);
  return true;
}

bool rule_before_banner(const ClientConversation& c, Diagnosis& out) {
  if (!c.remote_version.empty() || c.outcome == Outcome::kAuthenticated) return false;
  // Non-SSH text in place of the banner: another protocol, unless it is
  // sshd's own "Not allowed at this time" (MaxStartups / penalties).
  const Event* not_ssh = nullptr;
  const Event* not_allowed = nullptr;
  for (const Event* e : c.banner_lines) {
    // sshd's own refusals, sent in place of the banner.
    if (contains(e->get("text"), "Not allowed at this time") || contains(e->get("text"), "Exceeded MaxStartups")) {
      not_allowed = e;
    }
    else if (not_ssh == nullptr) not_ssh = e;
  }
  if (c.has(K::banner_invalid)) not_ssh = not_ssh ? not_ssh : c.first(K::banner_invalid);
  if (not_allowed != nullptr) {
    Verdict v = make(c, "connection_closed_before_banner", Confidence::kHigh, "before_banner.not_allowed");
    v.cite(not_allowed);
    cite_end(v, c);
    cite_last(v, c, K::banner_closed);
    v.notes.push_back("The server answered \"" + std::string(not_allowed->get("text")) +
                      "\": sshd is refusing new unauthenticated connections (MaxStartups is full, or "
                      "PerSourcePenalties is penalising this address).");
    out.verdict = std::move(v);
    return true;
  }
  if (not_ssh != nullptr) {
    Verdict v = make(c, "not_an_ssh_server", Confidence::kHigh, "before_banner.not_ssh");
    for (const Event* e : c.banner_lines) v.cite(e);
    cite_first(v, c, K::banner_invalid);
    cite_last(v, c, K::banner_closed);
    cite_end(v, c);
    std::string text(not_ssh->get("text"));
    v.set("reason", text);
    if (!text.empty()) v.notes.push_back("The server's first line was \"" + text + "\", which is not an SSH version string.");
    out.verdict = std::move(v);
    return true;
  }
  bool reset = c.has(K::banner_reset) || (c.has(K::connection_reset_by) && !c.has(K::banner_closed)) ||
               icontains(c.failure_reason, "reset by peer");
  bool closed = c.has(K::banner_closed) || c.has(K::connection_closed_by) ||
                (c.outcome == Outcome::kConnectionClosed && c.phase >= Phase::kBanner);
  if (!reset && !closed) return false;
  // Through a ProxyCommand the peer is "UNKNOWN port 65535": the proxy (the
  // jump host's ssh) ended, not a server. The trace-level diagnosis names
  // the failing hop; this conversation only says its transport closed.
  Verdict v = make(c, reset ? "connection_reset_before_banner" : "connection_closed_before_banner", Confidence::kHigh,
                   reset ? "before_banner.reset" : "before_banner.closed");
  cite_first(v, c, K::connection_established);
  cite_last(v, c, K::banner_reset);
  cite_last(v, c, K::banner_closed);
  cite_end(v, c);
  cite_last(v, c, K::putty_network_error);
  if (!c.proxy_command.empty()) {
    v.confidence = Confidence::kMedium;
    v.notes.push_back("This connection went through a proxy command (" + c.proxy_command +
                      "); when the proxy fails, the target sees its connection closed.");
  }
  out.verdict = std::move(v);
  if (reset) {
    out.alternatives.push_back(alt(c, "connection_closed_before_banner", Confidence::kLow));
  } else {
    out.alternatives.push_back(alt(c, "connection_reset_before_banner", Confidence::kLow));
    out.alternatives.push_back(alt(c, "not_an_ssh_server", Confidence::kLow,
                                   "A service that is not SSH and closes silently looks the same."));
  }
  return true;
}

// The server's list for a negotiation that failed, from the -vvv "peer
// server KEXINIT proposal" block, for traces whose failure line quotes no
// offer. "" when the trace has no such block.
std::string peer_proposal(const ClientConversation& c, std::string_view id) {
  std::string_view want = id == "no_matching_host_key_type" ? "host key algorithms"
                          : id == "no_matching_cipher"      ? "ciphers ctos"
                          : id == "no_matching_mac"         ? "MACs ctos"
                                                            : "KEX algorithms";
  bool peer = false;
  std::string found;
  for (const Event* e : c.events) {
    if (e->kind == K::kex_proposal) peer = e->get("side") == "peer";
    else if (e->kind == K::kex_proposal_list && peer && e->get("name") == want) found = std::string(e->get("algorithms"));
  }
  return found;
}

bool rule_negotiation(const ClientConversation& c, Diagnosis& out) {
  if (c.outcome != Outcome::kNegotiationFailed) return false;
  std::string_view w = c.negotiation_what;
  std::string id;
  if (icontains(w, "host key")) id = "no_matching_host_key_type";
  else if (icontains(w, "key exchange") || icontains(w, "key-exchange")) id = "no_matching_kex";
  else if (icontains(w, "cipher")) id = "no_matching_cipher";
  else if (icontains(w, "mac")) id = "no_matching_mac";
  else id = "no_matching_kex";
  Verdict v = make(c, id, Confidence::kHigh, "negotiation");
  v.set("what", c.negotiation_what);
  v.set("offer", c.negotiation_offer.empty() ? peer_proposal(c, id) : c.negotiation_offer);
  v.set("alg", pick_offered_algorithm(c.negotiation_what, v.get("offer")));
  cite_last(v, c, K::negotiation_failed);
  cite_first(v, c, K::remote_version);
  cite_all(v, c, K::putty_weak_crypto_refused);
  if (c.has(K::putty_weak_crypto_refused)) {
    v.notes.push_back("PuTTY found only " + c.negotiation_offer + ", which is below its configured warning "
                      "threshold; in batch mode it refuses instead of asking. The server should offer a modern "
                      "algorithm; as a stopgap, accept it once interactively or move it above the warning line in "
                      "PuTTY's SSH > Kex settings for this session only.");
  }
  out.verdict = std::move(v);
  return true;
}

bool rule_host_key(const ClientConversation& c, Diagnosis& out) {
  if (c.outcome == Outcome::kAuthenticated) return false;
  if (c.known_hosts == KnownHosts::kChanged) {
    Verdict v = make(c, "host_key_changed", Confidence::kHigh, "host_key.changed");
    v.set("fingerprint", c.host_key_fingerprint);
    v.set("known_hosts_path", c.known_hosts_path);
    v.set("known_hosts_line", c.known_hosts_line);
    v.set("path", c.known_hosts_path);
    cite_first(v, c, K::server_host_key);
    cite_first(v, c, K::host_key_changed_warning);
    cite_first(v, c, K::host_key_dns_spoofing_warning);
    cite_all(v, c, K::host_key_offending);
    cite_first(v, c, K::host_key_changed_strict);
    cite_first(v, c, K::putty_host_key_mismatch);
    cite_first(v, c, K::host_key_verification_failed);
    if (c.has(K::host_key_dns_spoofing_warning)) {
      v.notes.push_back("ssh also warned of possible DNS spoofing: the key stored for the IP address differs from "
                        "the one stored for the name.");
    }
    out.verdict = std::move(v);
    return true;
  }
  if (c.known_hosts == KnownHosts::kUnknownStrict || c.known_hosts == KnownHosts::kPrompted ||
      (c.known_hosts == KnownHosts::kFailed)) {
    Verdict v = make(c, "host_key_unknown", c.known_hosts == KnownHosts::kFailed ? Confidence::kMedium : Confidence::kHigh,
                     "host_key.unknown");
    v.set("fingerprint", c.host_key_fingerprint);
    cite_first(v, c, K::server_host_key);
    cite_first(v, c, K::host_key_prompt);
    cite_first(v, c, K::host_key_unknown_strict);
    cite_first(v, c, K::host_key_verification_failed);
    if (c.known_hosts == KnownHosts::kPrompted) {
      v.notes.push_back("ssh asked whether to trust the host key and did not get \"yes\" (the prompt was "
                        "answered with something else, or there was no terminal to answer it).");
    }
    out.verdict = std::move(v);
    if (c.known_hosts == KnownHosts::kFailed) out.alternatives.push_back(alt(c, "host_key_changed", Confidence::kLow));
    return true;
  }
  return false;
}

bool rule_after_login(const ClientConversation& c, Diagnosis& out) {
  if (c.outcome != Outcome::kAuthenticated) return false;
  auto post = [&](K kind, const char* id, const char* rule) {
    const Event* e = c.first(kind);
    if (e == nullptr) return false;
    Verdict v = make(c, id, Confidence::kHigh, rule);
    cite_last(v, c, K::auth_succeeded);
    v.cite(e);
    cite_last(v, c, K::connection_closed_remote);
    cite_last(v, c, K::connection_closed_by);
    cite_last(v, c, K::exit_status);
    v.set("reason", std::string(e->get("text")));
    out.verdict = std::move(v);
    return true;
  };
  if (post(K::nologin_notice, "login_shell_nologin", "after_login.nologin")) return true;
  if (post(K::sftp_only_notice, "sftp_only_account", "after_login.sftp_only")) return true;
  if (post(K::password_expired_notice, "password_expired", "after_login.password_expired")) return true;
  if (post(K::account_expired_notice, "account_expired", "after_login.account_expired")) return true;
  if (post(K::nologin_file_notice, "insufficient_evidence", "after_login.nologin_file")) {
    out.verdict.notes.push_back("The server printed a nologin message: /run/nologin or /etc/nologin exists "
                                "(the system is booting or shutting down), so only root may log in.");
    return true;
  }
  Verdict v = make(c, "success", Confidence::kHigh, "after_login.success");
  v.set("method", c.authenticated_method);
  cite_first(v, c, K::authenticating_as);
  cite_last(v, c, K::key_accepted_by_server);
  cite_last(v, c, K::auth_succeeded);
  if (c.known_hosts == KnownHosts::kAdded) {
    cite_first(v, c, K::host_key_added);
    v.notes.push_back("This was the first connection to this host: its key was added to known_hosts. Check the "
                      "fingerprint " + c.host_key_fingerprint + " against the server's if you have not.");
  }
  if (c.known_hosts == KnownHosts::kChanged) {
    cite_first(v, c, K::host_key_changed_warning);
    v.notes.push_back("Warning: the host key CHANGED and the login went on anyway (StrictHostKeyChecking is off). "
                      "Verify the new key before trusting this server.");
  }
  for (const Event* e : c.all(K::remote_debug)) {
    std::string_view t = e->get("text");
    if (contains(t, "bad ownership or modes") || contains(t, "Ignored authorized keys") ||
        contains(t, "not permitted") || contains(t, "Could not open")) {
      v.cite(e);
      v.notes.push_back("The server reported a problem with your key setup: \"" + std::string(t) +
                        "\". Keys will not work for this account until it is fixed.");
    }
  }
  for (const ClientKey& k : c.keys) {
    if (k.result == KeyResult::kRefused) {
      v.notes.push_back("Key " + k.path + " was refused before another method worked.");
    }
  }
  const Event* closed = c.last(K::broken_pipe);
  if (closed == nullptr) closed = c.last(K::connection_closed_remote);
  if (closed != nullptr && !c.has(K::exit_status)) {
    v.id = "insufficient_evidence";
    v.confidence = Confidence::kMedium;
    v.rule = "after_login.closed_at_once";
    v.cite(closed);
    v.notes.push_back("Authentication worked, but the server ended the session at once, before any command "
                      "ran or exit status came back. Only the server's log says why (for SFTP/chroot accounts, "
                      "look for \"bad ownership or modes for chroot directory\").");
    out.verdict = std::move(v);
    out.alternatives.push_back(alt(c, "chroot_bad_ownership", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "invalid_login_shell", Confidence::kLow));
    return true;
  }
  out.verdict = std::move(v);
  return true;
}

bool rule_too_many_failures(const ClientConversation& c, Diagnosis& out) {
  if (!login_failed(c) || !icontains(c.disconnect_reason, "too many authentication failures")) return false;
  if (!c.partial_success_method.empty()) return false;  // the second factor failed: see rule_second_factor
  // A disconnect before any authentication request is not MaxAuthTries,
  // whatever text the peer chose to send.
  if (c.phase < Phase::kAuth) return false;
  int keys_offered = count_keys(c, KeyResult::kRefused) + count_keys(c, KeyResult::kOffered);
  if ((tried(c, "password") || tried(c, "keyboard-interactive")) && keys_offered < 2) {
    // Wrong passwords, one after another, until MaxAuthTries.
    Verdict v = make(c, "wrong_password", Confidence::kMedium, "too_many_failures.passwords");
    cite_first(v, c, K::authenticating_as);
    for (const Event* e : c.all(K::next_auth_method)) v.cite(e);
    cite_all(v, c, K::password_retry);
    cite_last(v, c, K::received_disconnect);
    v.notes.push_back("The password was refused until the server's MaxAuthTries limit ended the connection.");
    out.verdict = std::move(v);
    if (c.user == "root") out.alternatives.push_back(alt(c, "root_login_refused", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "user_does_not_exist", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "account_locked", Confidence::kLow));
    out.alternatives.push_back(alt(c, "too_many_auth_failures", Confidence::kLow));
    return true;
  }
  Verdict v = make(c, "too_many_auth_failures", Confidence::kHigh, "too_many_failures");
  int offered = 0;
  for (const ClientKey& k : c.keys) {
    if (k.result == KeyResult::kRefused || k.result == KeyResult::kOffered) {
      ++offered;
      for (const Event* e : k.evidence) {
        if (e->kind == K::key_offering) v.cite(e);
      }
    }
  }
  v.set("count", offered > 0 ? std::to_string(offered) : std::string());
  v.set("keys_word", offered == 1 ? "key" : "keys");
  cite_last(v, c, K::received_disconnect);
  if (const ClientKey* k = find_key(c, KeyResult::kRefused); k != nullptr && !k->from_agent) v.set("key_path", k->path);
  if (c.agent_keys > 0) {
    v.notes.push_back("The agent held " + std::to_string(c.agent_keys) + (c.agent_keys == 1 ? " key" : " keys") +
                      ", and ssh offers every agent key before the files you name.");
  }
  out.verdict = std::move(v);
  if (tried(c, "password") || tried(c, "keyboard-interactive")) {
    out.alternatives.push_back(alt(c, "wrong_password", Confidence::kMedium));
  }
  return true;
}

bool rule_client_config_perms(const ClientConversation&, Diagnosis&) { return false; }

bool rule_key_problems(const ClientConversation& c, Diagnosis& out) {
  if (!login_failed(c)) return false;
  if (find_key(c, KeyResult::kAccepted) != nullptr && c.partial_success_method.empty() &&
      find_key(c, KeyResult::kSignFailed) == nullptr) {
    return false;
  }
  // The agent holds the key but would not sign with it.
  if (const ClientKey* k = find_key(c, KeyResult::kSignFailed)) {
    Verdict v = make(c, "agent_problem", Confidence::kHigh, "keys.agent_sign_failed");
    set_key(v, *k);
    v.set("reason", c.agent_problem);
    cite_end(v, c);
    out.verdict = std::move(v);
    return true;
  }
  // A key file that could not be loaded, in order of how specific the
  // client's words are.
  for (const ClientKey& k : c.keys) {
    if (k.result != KeyResult::kLoadFailed) continue;
    std::string_view r = k.reason;
    std::string id;
    if (icontains(r, "bad permissions")) id = "private_key_bad_permissions";
    else if (icontains(r, "unable to open") || icontains(r, "no such file") || icontains(r, "not found"))
      id = "private_key_missing";
    else if (icontains(r, "passphrase")) id = "key_passphrase_required";
    else if (icontains(r, "invalid format") || icontains(r, "libcrypto") || icontains(r, "OpenSSH SSH-2") ||
             icontains(r, "PuTTY key format") || icontains(r, "format") || icontains(r, "key type"))
      id = "private_key_wrong_format";
    else id = "private_key_wrong_format";
    Verdict v = make(c, id, Confidence::kHigh, "keys.load_failed");
    set_key(v, k);
    cite_first(v, c, K::key_unprotected_warning);
    cite_end(v, c);
    if (id == "private_key_bad_permissions") {
      for (const Event* e : k.evidence) {
        if (e->kind == K::key_permissions_too_open) v.set("mode", std::string(e->get("mode")));
      }
    }
    out.verdict = std::move(v);
    if (count_keys(c, KeyResult::kRefused) > 0) {
      out.alternatives.push_back(alt(c, "key_not_authorized", Confidence::kLow,
                                     "Other keys were offered and refused as well."));
    }
    return true;
  }
  // A key the user named that is not there.
  if (const ClientKey* k = find_key(c, KeyResult::kMissing)) {
    Verdict v = make(c, "private_key_missing", Confidence::kHigh, "keys.missing");
    set_key(v, *k);
    cite_end(v, c);
    out.verdict = std::move(v);
    if (count_keys(c, KeyResult::kRefused) > 0) out.alternatives.push_back(alt(c, "key_not_authorized", Confidence::kLow));
    return true;
  }
  // Keys the client would not offer because of their algorithm.
  if (const ClientKey* k = find_key(c, KeyResult::kSkipped);
      k != nullptr && find_key(c, KeyResult::kAccepted) == nullptr) {
    bool only_skipped = count_keys(c, KeyResult::kRefused) == 0;
    Verdict v = make(c, "client_key_algorithm_not_accepted", only_skipped ? Confidence::kHigh : Confidence::kMedium,
                     "keys.skipped");
    set_key(v, *k);
    v.set("offer", c.server_sig_algs);
    cite_first(v, c, K::server_sig_algs);
    cite_end(v, c);
    if (!c.server_sig_algs.empty()) v.notes.push_back("The server accepts these signature algorithms: " + c.server_sig_algs + ".");
    out.verdict = std::move(v);
    out.alternatives.push_back(alt(c, "key_algorithm_rejected_by_server", Confidence::kMedium));
    if (!only_skipped) out.alternatives.push_back(alt(c, "key_not_authorized", Confidence::kMedium));
    return true;
  }
  return false;
}

bool rule_second_factor(const ClientConversation& c, Diagnosis& out) {
  if (!login_failed(c) || c.partial_success_method.empty()) return false;
  Verdict v = make(c, "second_factor_required", Confidence::kHigh, "second_factor");
  v.set("method", c.partial_success_method);
  cite_last(v, c, K::key_accepted_by_server);
  cite_first(v, c, K::auth_partial_success);
  for (const AuthRound& r : c.rounds) {
    if (r.event->line_number > c.first(K::auth_partial_success)->line_number) {
      v.cite(r.event);
      break;
    }
  }
  cite_all(v, c, K::password_retry);
  cite_end(v, c);
  std::string after = server_methods(c);
  v.set("methods", after);
  if (tried(c, "password") || tried(c, "keyboard-interactive") || c.password_prompts > 0) {
    v.notes.push_back("The second step (" + after + ") was attempted and failed: check the password or one-time code.");
  } else {
    v.notes.push_back("The second step (" + after + ") was never attempted: ssh had no way to ask for it "
                      "(BatchMode, no terminal, or the method is disabled on the client).");
  }
  out.verdict = std::move(v);
  if (tried(c, "password")) out.alternatives.push_back(alt(c, "wrong_password", Confidence::kMedium));
  return true;
}

// The server accepted a key, and then either the client never sent the
// signature (it could not decrypt the private key) or the server refused
// the signed login (PermitRootLogin, account checks).
bool rule_accepted_key_unused(const ClientConversation& c, Diagnosis& out) {
  if (!login_failed(c) || !c.partial_success_method.empty()) return false;
  if (c.signed_login_refused) {
    const ClientKey* k = nullptr;
    for (const ClientKey& x : c.keys) {
      if (x.reason == "accepted, then the signed login was refused") k = &x;
    }
    bool root = c.user == "root";
    Verdict v = make(c, root ? "root_login_refused" : "insufficient_evidence", root ? Confidence::kHigh : Confidence::kMedium,
                     "accepted_key.login_refused");
    cite_first(v, c, K::authenticating_as);
    if (k != nullptr) {
      v.set("key_path", k->path);
      v.set("fingerprint", k->fingerprint);
      for (const Event* e : k->evidence) {
        if (e->kind == K::key_offering || e->kind == K::key_accepted_by_server || e->kind == K::auth_methods_can_continue) {
          v.cite(e);
        }
      }
    }
    cite_end(v, c);
    v.notes.push_back("The server said the key is authorized (\"Server accepts key\"), then refused the login "
                      "made with it: the key is fine, the account may not log in this way.");
    out.verdict = std::move(v);
    if (!root) {
      out.alternatives.push_back(alt(c, "account_locked", Confidence::kMedium));
      out.alternatives.push_back(alt(c, "account_expired", Confidence::kLow));
      out.alternatives.push_back(alt(c, "user_denied_by_config", Confidence::kLow));
    } else {
      out.alternatives.push_back(alt(c, "account_locked", Confidence::kLow));
    }
    return true;
  }
  const ClientKey* k = find_key(c, KeyResult::kAccepted);
  if (k == nullptr || c.outcome != Outcome::kPermissionDenied) return false;
  bool told = c.has(K::key_passphrase_failed) || c.has(K::key_passphrase_prompt);
  Verdict v = make(c, "key_passphrase_required", told ? Confidence::kHigh : Confidence::kMedium, "accepted_key.not_signed");
  set_key(v, *k);
  cite_all(v, c, K::key_passphrase_failed);
  cite_last(v, c, K::auth_no_more_methods);
  cite_end(v, c);
  v.notes.push_back("The server accepts this key, but ssh never sent the signature: it could not use the private "
                    "key, which is encrypted and no passphrase (or a wrong one) could be given.");
  out.verdict = std::move(v);
  out.alternatives.push_back(alt(c, "agent_problem", Confidence::kLow,
                                 "If the key is supposed to come from an agent, the agent is not reachable from this shell."));
  return true;
}

bool rule_pre_auth_notices(const ClientConversation& c, Diagnosis& out) {
  if (!login_failed(c)) return false;
  struct Notice {
    K kind;
    const char* id;
  };
  for (Notice n : {Notice{K::password_expired_notice, "password_expired"},
                   Notice{K::account_expired_notice, "account_expired"},
                   Notice{K::nologin_notice, "login_shell_nologin"},
                   Notice{K::sftp_only_notice, "sftp_only_account"}}) {
    if (const Event* e = c.first(n.kind)) {
      Verdict v = make(c, n.id, Confidence::kHigh, "notice");
      v.cite(e);
      cite_end(v, c);
      out.verdict = std::move(v);
      return true;
    }
  }
  return false;
}

// ProxyJump: the forwarding through the jump host was refused.
bool rule_forwarding(const ClientConversation& c, Diagnosis& out) {
  // A refused channel in an ordinary session is a port forward, not a
  // login problem; it matters on a jump hop (or with -W).
  const Event* e = c.first(K::channel_open_failed);
  if (!c.has(K::stdio_forwarding_failed) && (e == nullptr || c.hop == 0)) return false;
  Verdict v = make(c, "proxy_jump_failed", Confidence::kHigh, "forwarding_refused");
  v.cite(e);
  cite_first(v, c, K::stdio_forwarding_failed);
  v.set("reason", e ? std::string(e->get("reason")) : std::string("stdio forwarding failed"));
  v.set("hop", hop_name(c));
  v.notes.push_back("The jump host accepted your login but refused to open the connection onwards "
                    "(AllowTcpForwarding no, DisableForwarding, PermitOpen, or it cannot reach the target).");
  out.verdict = std::move(v);
  return true;
}

bool rule_denied(const ClientConversation& c, Diagnosis& out) {
  if (!login_failed(c)) return false;
  bool denied = c.outcome == Outcome::kPermissionDenied ||
                (c.outcome == Outcome::kDisconnected && c.phase >= Phase::kAuth) ||
                c.has(K::auth_no_more_methods);
  if (!denied) return false;
  std::string methods = server_methods(c);
  int refused = count_keys(c, KeyResult::kRefused);
  bool password_tried = tried(c, "password") || tried(c, "keyboard-interactive") || c.password_prompts > 0 ||
                        c.password_failures > 0;
  bool root = c.user == "root";

  // Password or keyboard-interactive was tried and failed.
  if (password_tried && (c.password_failures > 0 || refused == 0)) {
    Verdict v = make(c, "wrong_password", Confidence::kMedium, "denied.password");
    cite_first(v, c, K::authenticating_as);
    cite_first(v, c, K::putty_username);
    cite_all(v, c, K::password_retry);
    for (const Event* e : c.all(K::next_auth_method)) {
      if (e->get("method") == "password" || e->get("method") == "keyboard-interactive") v.cite(e);
    }
    cite_all(v, c, K::putty_access_denied);
    cite_end(v, c);
    out.verdict = std::move(v);
    out.verdict.notes.push_back("sshd asks for a password even when the account does not exist or may not log in, "
                                "so the client cannot tell a wrong password from a refused user.");
    if (root) out.alternatives.push_back(alt(c, "root_login_refused", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "user_does_not_exist", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "account_locked", Confidence::kLow));
    out.alternatives.push_back(alt(c, "user_denied_by_config", Confidence::kLow));
    if (refused > 0) out.alternatives.push_back(alt(c, "key_not_authorized", Confidence::kLow));
    return true;
  }

  // Keys were offered and refused.
  if (refused > 0) {
    const ClientKey* first_refused = find_key(c, KeyResult::kRefused);
    bool cert = first_refused && (icontains(first_refused->type, "CERT") || icontains(first_refused->path, "-cert"));
    Verdict v = make(c, cert ? "certificate_rejected" : "key_not_authorized", Confidence::kMedium,
                     cert ? "denied.certificate" : "denied.keys");
    cite_first(v, c, K::authenticating_as);
    cite_first(v, c, K::putty_username);
    for (const ClientKey& k : c.keys) {
      if (k.result != KeyResult::kRefused) continue;
      for (const Event* e : k.evidence) {
        if (e->kind == K::key_offering || e->kind == K::putty_key_refused) v.cite(e);
      }
    }
    set_key(v, *first_refused);
    v.evidence.erase(std::remove_if(v.evidence.begin(), v.evidence.end(),
                                    [](const Event* e) { return e->kind == K::identity_file; }),
                     v.evidence.end());
    cite_last(v, c, K::auth_no_more_methods);
    cite_end(v, c);
    v.set("count", std::to_string(refused));
    if (refused > 1) v.notes.push_back(std::to_string(refused) + " keys were offered; the server refused every one.");
    out.verdict = std::move(v);
    if (root) out.alternatives.push_back(alt(c, "root_login_refused", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "user_does_not_exist", Confidence::kMedium,
                                   "Check the user name: cloud images use ec2-user, ubuntu, admin, centos, rocky, "
                                   "fedora, opc, azureuser or bitnami, not root or your local name."));
    out.alternatives.push_back(alt(c, "bad_ownership_or_modes", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "authorized_keys_missing", Confidence::kLow));
    out.alternatives.push_back(alt(c, "user_denied_by_config", Confidence::kLow));
    bool legacy = first_refused && (first_refused->type == "RSA" || first_refused->type == "DSA");
    out.alternatives.push_back(alt(c, "key_algorithm_rejected_by_server", legacy ? Confidence::kMedium : Confidence::kLow));
    if (cert) out.alternatives.insert(out.alternatives.begin(), alt(c, "key_not_authorized", Confidence::kMedium));
    else out.alternatives.push_back(alt(c, "certificate_rejected", Confidence::kLow));
    return true;
  }

  // The server does not take keys at all.
  if (!methods.empty() && !has_method(methods, "publickey")) {
    bool had_keys = std::any_of(c.keys.begin(), c.keys.end(), [](const ClientKey& k) {
      return k.result != KeyResult::kNotFound && k.result != KeyResult::kMissing;
    }) || c.agent_keys > 0;
    Verdict v = make(c, had_keys ? "pubkey_auth_disabled" : "wrong_password", Confidence::kMedium, "denied.no_publickey");
    for (const AuthRound& r : c.rounds) v.cite(r.event);
    cite_end(v, c);
    out.verdict = std::move(v);
    if (had_keys) {
      out.verdict.notes.push_back("The server never offered \"publickey\" (it allows: " + methods +
                                  "), so none of your keys was tried.");
    }
    return true;
  }

  // PuTTY read a usable key file but never offered it, and the server went
  // on to ask for something else: the server does not take public keys.
  // (PuTTY does not log the server's method list, so this is the only sign.)
  if (c.client == "putty" && !c.has(K::key_offering) && !c.has(K::putty_agent_key_trying)) {
    const ClientKey* readable = nullptr;
    for (const ClientKey& k : c.keys) {
      if (k.result == KeyResult::kFound && !k.path.empty()) readable = &k;
    }
    if (readable != nullptr) {
      Verdict v = make(c, "pubkey_auth_disabled", Confidence::kMedium, "denied.putty_key_never_offered");
      set_key(v, *readable);
      cite_first(v, c, K::putty_username);
      cite_end(v, c);
      cite_last(v, c, K::fatal_other);
      v.notes.push_back("PuTTY loaded the key file " + readable->path + " but never offered it: the server did not "
                        "list \"publickey\" among the methods it accepts.");
      out.verdict = std::move(v);
      out.alternatives.push_back(alt(c, "password_auth_disabled", Confidence::kLow));
      return true;
    }
  }

  // Only public keys are allowed, and the client offered none.
  // "Will attempt key" only lists candidates; without "Next authentication
  // method: publickey" ssh never tried them.
  bool client_tried_publickey = tried(c, "publickey") || c.has(K::key_offering) || c.has(K::key_trying_private) ||
                                c.has(K::putty_key_file_reading);
  // PuTTY logs every event at its only level, so a PuTTY log that got this
  // far always shows which keys it had.
  bool verbose_trace = c.has(K::authenticating_as) || c.has(K::auth_methods_can_continue) ||
                       c.has(K::putty_username) || (c.client == "putty" && !c.remote_version.empty());
  if (verbose_trace && !client_tried_publickey && has_method(methods, "publickey") && !has_method(methods, "password") &&
      !has_method(methods, "keyboard-interactive")) {
    // ssh skipped publickey although the server allows only that: the
    // client has public keys switched off and wanted to use a password.
    Verdict v = make(c, "password_auth_disabled", Confidence::kHigh, "denied.password_disabled");
    for (const AuthRound& r : c.rounds) v.cite(r.event);
    cite_last(v, c, K::auth_no_more_methods);
    cite_end(v, c);
    out.verdict = std::move(v);
    out.alternatives.push_back(alt(c, "no_usable_client_key", Confidence::kMedium));
    return true;
  }
  if (verbose_trace && count_keys(c, KeyResult::kOffered) == 0 && refused == 0) {
    // No key at all, and the agent that should hold them is unreachable:
    // the agent is the problem (SSH_AUTH_SOCK from another session, agent
    // not started, Windows service stopped).
    bool agent_down = !c.agent_problem.empty();
    Verdict v = make(c, agent_down ? "agent_problem" : "no_usable_client_key", agent_down ? Confidence::kMedium : Confidence::kHigh,
                     agent_down ? "denied.agent_unreachable" : "denied.no_keys");
    v.set("reason", c.agent_problem);
    for (const ClientKey& k : c.keys) {
      for (const Event* e : k.evidence) {
        if (e->kind == K::key_trying_private || e->kind == K::putty_key_file_reading) v.cite(e);
      }
    }
    cite_first(v, c, K::agent_unavailable);
    cite_last(v, c, K::auth_no_more_methods);
    cite_end(v, c);
    if (!c.agent_problem.empty()) {
      v.notes.push_back("The agent could not be reached: " + c.agent_problem + ".");
    } else if (c.agent_keys == 0) {
      v.notes.push_back("The agent is running but holds no keys (ssh-add -l).");
    }
    out.verdict = std::move(v);
    if (agent_down) out.alternatives.push_back(alt(c, "no_usable_client_key", Confidence::kMedium));
    if (!has_method(methods, "password")) out.alternatives.push_back(alt(c, "password_auth_disabled", Confidence::kMedium));
    return true;
  }

  // Without -v: only "Permission denied (publickey)." remains.
  Verdict v = make(c, has_method(methods, "publickey") && !has_method(methods, "password") ? "key_not_authorized"
                                                                                             : "wrong_password",
                   Confidence::kLow, "denied.no_detail");
  cite_end(v, c);
  v.notes.push_back("The trace has no -v detail, so it does not show which keys or methods were tried. "
                    "Run the same command with ssh -vvv to tell the causes apart.");
  out.verdict = std::move(v);
  out.alternatives.push_back(alt(c, "no_usable_client_key", Confidence::kLow));
  out.alternatives.push_back(alt(c, "password_auth_disabled", Confidence::kLow));
  out.alternatives.push_back(alt(c, "user_does_not_exist", Confidence::kLow));
  return true;
}

// The server hung up during authentication without saying why.
bool rule_closed_during_auth(const ClientConversation& c, Diagnosis& out) {
  if (!login_failed(c) || (c.phase < Phase::kKex && c.remote_version.empty())) return false;
  if (c.outcome != Outcome::kConnectionClosed && c.outcome != Outcome::kDisconnected) return false;
  Verdict v = make(c, "insufficient_evidence", Confidence::kMedium, "closed_during_auth");
  cite_last(v, c, K::auth_methods_can_continue);
  cite_all(v, c, K::key_offering);
  cite_end(v, c);
  if (!c.disconnect_reason.empty()) {
    v.notes.push_back("The server disconnected with: \"" + c.disconnect_reason + "\" (code " + c.disconnect_code + ").");
  } else if (c.phase < Phase::kAuth) {
    v.notes.push_back("The server ended the connection during key exchange, after the version strings, without "
                      "saying why. A server that drops clients it does not like (fail2ban, sshguard, an IPS), an "
                      "sshd that crashed, or a middlebox can do this; only the server's log tells which.");
  } else {
    v.notes.push_back("The server closed the connection during authentication without telling the client why. "
                      "Only the server's log says why.");
  }
  out.verdict = std::move(v);
  out.alternatives.push_back(alt(c, "account_locked", Confidence::kLow));
  out.alternatives.push_back(alt(c, "user_denied_by_config", Confidence::kLow));
  out.alternatives.push_back(alt(c, "invalid_login_shell", Confidence::kLow));
  return true;
}

bool rule_fallback(const ClientConversation& c, Diagnosis& out) {
  Verdict v = make(c, "insufficient_evidence", Confidence::kLow, "fallback");
  if (!c.events.empty()) v.cite(c.events.back());
  switch (c.outcome) {
    case Outcome::kUnknown:
      v.notes.push_back("The trace ends before the login finished (it may have been cut short, or ssh is still waiting).");
      break;
    default:
      v.notes.push_back(std::string("The trace ends with outcome ") + outcome_name(c.outcome) +
                        ", which no rule explains.");
      break;
  }
  if (!c.failure_reason.empty()) v.notes.push_back("ssh said: " + c.failure_reason);
  out.verdict = std::move(v);
  return true;
}

}  // namespace

const std::vector<ClientRule>& client_rules() {
  static const std::vector<ClientRule> rules = {
      {"config", "ssh rejected its own configuration file", rule_config},
      {"dns", "the host name did not resolve", rule_dns},
      {"tcp", "the TCP connection failed (refused, timed out, unreachable)", rule_tcp},
      {"banner_timeout", "connected, but no SSH banner arrived in time", rule_banner_timeout},
      {"before_banner", "the connection ended before the SSH banner, or the peer is not SSH", rule_before_banner},
      {"negotiation", "no algorithm in common", rule_negotiation},
      {"host_key", "the host key changed, or is unknown and may not be accepted", rule_host_key},
      {"forwarding", "the jump host refused to forward the connection", rule_forwarding},
      {"after_login", "authenticated: success, or a post-login refusal", rule_after_login},
      {"second_factor", "the first method succeeded, the second did not", rule_second_factor},
      {"too_many_failures", "MaxAuthTries ended the connection", rule_too_many_failures},
      {"keys", "the client could not use its own key", rule_key_problems},
      {"accepted_key", "the server accepted a key that was then not used or refused", rule_accepted_key_unused},
      {"notices", "the server sent an account notice before closing", rule_pre_auth_notices},
      {"denied", "every method was refused", rule_denied},
      {"closed_during_auth", "the server closed during authentication", rule_closed_during_auth},
      {"fallback", "nothing explains the trace", rule_fallback},
  };
  (void)rule_client_config_perms;
  return rules;
}

Diagnosis diagnose_client(const ClientConversation& c) {
  Diagnosis d;
  for (const ClientRule& r : client_rules()) {
    if (r.apply(c, d)) break;
  }
  // PuTTY users get PuTTY's tools from the texts' "fix_putty" variants
  // (patterns/verdicts/README.md); the reports pick them by the client.
  tidy(d);
  return d;
}

TraceDiagnosis diagnose_trace(const std::vector<ClientConversation>& convs) {
  TraceDiagnosis t;
  for (const ClientConversation& c : convs) t.per_conversation.push_back(diagnose_client(c));
  if (convs.empty()) return t;

  // The answer is about the last attempt in the input (a user pasting two
  // attempts cares about the latest); within it, a failing jump host is the
  // cause of its target's failure.
  size_t last_target = convs.size() - 1;
  while (last_target > 0 && convs[last_target].hop != 0) --last_target;
  t.conversation_index = last_target;
  t.overall = t.per_conversation[last_target];
  for (size_t i = last_target + 1; i < convs.size(); ++i) {
    const ClientConversation& hop = convs[i];
    const Diagnosis& hd = t.per_conversation[i];
    if (hop.hop == 0) break;
    bool hop_failed = hd.verdict.id != "success";
    bool forwarding = hd.verdict.id == "proxy_jump_failed";
    if (!hop_failed && !forwarding) continue;
    Diagnosis overall;
    const ClientConversation& target = convs[last_target];
    overall.verdict = forwarding ? hd.verdict : make(target, "proxy_jump_failed", hd.verdict.confidence, "jump_hop_failed");
    overall.verdict.set("hop", hop_name(hop));
    // The builder fills the target from the proxy command's -W when its
    // own trace never named it; a conversation built otherwise may not.
    std::string target_host = target.host, target_port = target.port;
    if (target_host.empty()) target_from_proxy(target.proxy_command, target_host, target_port);
    overall.verdict.set("host", target_host);
    overall.verdict.set("port", target_port);
    overall.verdict.set("reason", hd.verdict.id);
    // The hop's own cause is known (it refused the login, its host key
    // changed ...): its fixes, addressed at the hop, replace the advice
    // about forwarding, which the trace has ruled out.
    if (!forwarding && hd.verdict.id != "insufficient_evidence") {
      overall.verdict.fix_from.push_back(hd.verdict);
      overall.verdict.notes.push_back("The fixes below are for the jump host " + hop_name(hop) +
                                      ": in them, \"the server\" is the jump host.");
    }
    if (!forwarding) {
      for (const Event* e : hd.verdict.evidence) overall.verdict.cite(e);
      overall.verdict.notes.push_back("The jump host " + hop_name(hop) +
                                      " failed first (" + hd.verdict.id + "); the target was never reached.");
      for (const std::string& n : hd.verdict.notes) overall.verdict.notes.push_back(n);
      overall.alternatives.push_back(hd.verdict);
    }
    for (const Event* e : t.overall.verdict.evidence) overall.verdict.cite(e);
    for (const Verdict& a : hd.alternatives) overall.alternatives.push_back(a);
    tidy(overall);
    t.overall = std::move(overall);
    t.conversation_index = i;
    break;
  }
  return t;
}

const char* confidence_name(Confidence c) {
  switch (c) {
    case Confidence::kHigh: return "high";
    case Confidence::kMedium: return "medium";
    case Confidence::kLow: return "low";
  }
  return "low";
}

}  // namespace sshlogwhy
