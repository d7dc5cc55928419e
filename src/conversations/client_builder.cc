#include "conversations/client_builder.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace sshlogwhy {
namespace {

using K = EventKind;

bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}
bool contains(std::string_view s, std::string_view p) { return s.find(p) != std::string_view::npos; }

// Applies one event to one conversation. Split from the routing so that
// the meaning of every event kind is in one place.
class ConversationUpdater {
 public:
  explicit ConversationUpdater(ClientConversation& c) : c_(c) {}

  void apply(const Event& e) {
    c_.events.push_back(&e);
    if (c_.first_line == 0) c_.first_line = e.line_number;
    c_.last_line = e.line_number;
    c_.file_index = e.file_index;
    Phase p = phase_of(e.kind);
    if (p > c_.phase) c_.phase = p;

    switch (e.kind) {
      case K::client_version:
        c_.client_version = std::string(e.get("version"));
        c_.tls_library = std::string(e.get("tls"));
        break;
      case K::config_read:
        c_.config_files.emplace_back(e.get("path"));
        break;
      case K::config_bad_option:
      case K::config_terminating:
      case K::config_bad_permissions:
        c_.config_errors.push_back(&e);
        finish(Outcome::kConfigError);
        break;
      case K::proxy_jump:
      case K::proxy_command:
        if (c_.proxy_command.empty() || e.kind == K::proxy_command) c_.proxy_command = std::string(e.get("command"));
        break;
      case K::connecting:
        set_if(c_.host, e.get("host"));
        set_if(c_.address, e.get("address"));
        set_if(c_.port, e.get("port"));
        break;
      case K::putty_looking_up_host:
        set_if(c_.host, e.get("host"));
        break;
      case K::putty_connected:
        set_if(c_.address, e.get("address"));
        set_if(c_.port, e.get("port"));
        break;
      case K::connect_attempt_failed:
        c_.connect_errors.push_back(&e);
        break;
      case K::dns_failed:
        set_if(c_.host, e.get("host"));
        c_.failure_reason = std::string(e.get("reason"));
        finish(Outcome::kDnsFailed);
        break;
      case K::connect_failed:
        set_if(c_.host, e.get("host"));
        set_if(c_.port, e.get("port"));
        c_.failure_reason = std::string(e.get("reason"));
        finish(Outcome::kConnectFailed);
        break;
      case K::putty_network_error:
        c_.failure_reason = std::string(e.get("reason"));
        finish(c_.phase >= Phase::kBanner ? Outcome::kConnectionClosed : Outcome::kConnectFailed);
        break;
      case K::connect_timeout:
        set_if(c_.host, e.get("host"));
        set_if(c_.port, e.get("port"));
        c_.failure_reason = "timed out";
        finish(Outcome::kTimedOut);
        break;
      case K::banner_timeout:
        c_.failure_reason = "timed out during banner exchange";
        finish(Outcome::kTimedOut);
        break;
      case K::local_version:
        c_.local_version = std::string(e.get("version"));
        break;
      case K::remote_version:
        c_.remote_version = std::string(e.get("version"));
        break;
      case K::banner_line:
        c_.banner_lines.push_back(&e);
        break;
      case K::banner_closed:
        finish(Outcome::kConnectionClosed);
        break;
      case K::banner_reset:
        c_.failure_reason = std::string(e.get("reason"));
        finish(Outcome::kConnectionClosed);
        break;
      case K::banner_invalid:
        set_if(c_.host, e.get("host"));
        set_if(c_.port, e.get("port"));
        finish(Outcome::kConnectionClosed);
        break;
      case K::authenticating_as:
        set_if(c_.host, e.get("host"));
        set_if(c_.port, e.get("port"));
        set_if(c_.user, e.get("user"));
        break;
      case K::putty_username:
        set_if(c_.user, e.get("user"));
        break;
      case K::kex_algorithm:
        c_.kex = std::string(e.get("algorithm"));
        break;
      case K::kex_host_key_algorithm:
        c_.host_key_algorithm = std::string(e.get("algorithm"));
        break;
      case K::kex_cipher: {
        bool ctos = contains(e.get("direction"), "client->server") || contains(e.get("direction"), "ctos");
        (ctos ? c_.cipher_ctos : c_.cipher_stoc) = std::string(e.get("cipher"));
        (ctos ? c_.mac_ctos : c_.mac_stoc) = std::string(e.get("mac"));
        break;
      }
      case K::negotiation_failed:
        set_if(c_.host, e.get("host"));
        set_if(c_.port, e.get("port"));
        c_.negotiation_what = std::string(e.get("what"));
        c_.negotiation_offer = std::string(e.get("offer"));
        finish(Outcome::kNegotiationFailed);
        break;
      case K::putty_weak_crypto_refused:
        // Three lines of one warning: which kind, which algorithm, and (in
        // batch mode) the refusal that ends the connection.
        if (!e.get("what").empty()) c_.negotiation_what = std::string(e.get("what"));
        if (!e.get("algorithm").empty()) c_.negotiation_offer = std::string(e.get("algorithm"));
        if (e.get("what").empty() && e.get("algorithm").empty()) finish(Outcome::kNegotiationFailed);
        break;
      case K::server_host_key:
        c_.host_key_type = std::string(e.get("type"));
        c_.host_key_fingerprint = std::string(e.get("fingerprint"));
        break;
      case K::host_key_fingerprint_shown:
        set_if(c_.host_key_type, e.get("type"));
        set_if(c_.host_key_fingerprint, e.get("fingerprint"));
        break;
      case K::host_key_known:
        c_.known_hosts = KnownHosts::kKnown;
        break;
      case K::host_key_found_in:
        c_.known_hosts_path = std::string(e.get("path"));
        c_.known_hosts_line = std::string(e.get("line"));
        break;
      case K::host_key_added:
        c_.known_hosts = KnownHosts::kAdded;
        break;
      case K::host_key_changed_warning:
      case K::host_key_dns_spoofing_warning:
      case K::host_key_changed_strict:
      case K::putty_host_key_mismatch:
        c_.known_hosts = KnownHosts::kChanged;
        break;
      case K::host_key_offending:
        c_.known_hosts = KnownHosts::kChanged;
        if (c_.known_hosts_path.empty()) {
          c_.known_hosts_path = std::string(e.get("path"));
          c_.known_hosts_line = std::string(e.get("line"));
        }
        break;
      case K::host_key_unknown_strict:
        if (c_.known_hosts != KnownHosts::kChanged) c_.known_hosts = KnownHosts::kUnknownStrict;
        break;
      case K::host_key_prompt:
        if (c_.known_hosts == KnownHosts::kNotSeen) c_.known_hosts = KnownHosts::kPrompted;
        break;
      case K::host_key_verification_failed:
        if (c_.known_hosts == KnownHosts::kNotSeen || c_.known_hosts == KnownHosts::kKnown) {
          c_.known_hosts = KnownHosts::kFailed;
        }
        finish(Outcome::kHostKeyRejected);
        break;
      case K::server_sig_algs:
        c_.server_sig_algs = std::string(e.get("algorithms"));
        break;
      case K::auth_methods_can_continue:
        // An offered key followed by another "can continue" was refused.
        refuse_pending_offers();
        // A key the server accepted, then another "can continue" without
        // partial success: the signed login itself was refused (root login,
        // account checks), not the key.
        for (ClientKey& k : c_.keys) {
          if (k.result == KeyResult::kAccepted && c_.partial_success_method.empty() &&
              c_.outcome != Outcome::kAuthenticated) {
            k.result = KeyResult::kRefused;
            k.reason = "accepted, then the signed login was refused";
            k.evidence.push_back(&e);
            c_.signed_login_refused = true;
          }
        }
        c_.rounds.push_back(AuthRound{std::string(e.get("methods")), &e});
        break;
      case K::next_auth_method:
        c_.methods_tried.emplace_back(e.get("method"));
        break;
      case K::auth_partial_success:
        // PuTTY says only "Further authentication required": the method
        // that succeeded is the key just offered, or the password.
        accept_pending_offers();
        if (!e.get("method").empty()) {
          c_.partial_success_method = std::string(e.get("method"));
        } else if (c_.partial_success_method.empty()) {
          bool key = std::any_of(c_.keys.begin(), c_.keys.end(),
                                 [](const ClientKey& k) { return k.result == KeyResult::kAccepted; });
          c_.partial_success_method = key ? "publickey" : "password";
        }
        break;
      case K::identity_file: {
        std::string_view path = e.get("path");
        if (e.get("type_code") == "-1") {
          // "-cert" companions are looked for next to every key and are
          // almost never there; they say nothing about the user's keys.
          if (ends_with(path, "-cert")) break;
          ClientKey& k = key_for(path, {});
          if (k.result == KeyResult::kFound) k.result = KeyResult::kNotFound;
          k.evidence.push_back(&e);
        } else {
          ClientKey& k = key_for(path, {});
          k.evidence.push_back(&e);
        }
        break;
      }
      case K::identity_not_accessible: {
        ClientKey& k = key_for(e.get("path"), {});
        // At debug3 this is ssh probing its default key names; only the
        // unprefixed line is about a key the user named (-i, IdentityFile).
        if (e.level >= 2) {
          if (k.result == KeyResult::kFound || k.result == KeyResult::kWillAttempt) k.result = KeyResult::kNotFound;
          break;
        }
        k.result = KeyResult::kMissing;
        k.reason = std::string(e.get("reason"));
        k.evidence.push_back(&e);
        break;
      }
      case K::putty_key_file_reading: {
        ClientKey& k = key_for(e.get("path"), {});
        k.evidence.push_back(&e);
        last_key_path_ = std::string(e.get("path"));
        break;
      }
      case K::putty_agent_key_trying: {
        // PuTTY logs no "Offered public key" for Pageant keys: trying one
        // is offering it.
        refuse_pending_offers();
        ClientKey& k = key_for("Pageant key #" + std::string(e.get("index")), {});
        k.from_agent = true;
        k.result = KeyResult::kOffered;
        k.evidence.push_back(&e);
        last_offered_ = &k - c_.keys.data();
        break;
      }
      case K::key_will_attempt: {
        ClientKey& k = key_from_event(e);
        // "Will attempt key: /root/.ssh/id_rsa " with no type: ssh found no
        // public key there; unless something later offers it, it does not exist.
        bool loaded = !e.get("type").empty() || !e.get("fingerprint").empty();
        if (k.result == KeyResult::kFound || k.result == KeyResult::kNotFound) {
          k.result = loaded ? KeyResult::kWillAttempt : KeyResult::kNotFound;
        }
        break;
      }
      case K::key_trying_private: {
        ClientKey& k = key_for(e.get("path"), {});
        k.evidence.push_back(&e);
        if (k.result == KeyResult::kFound) k.result = KeyResult::kWillAttempt;
        last_key_path_ = std::string(e.get("path"));
        break;
      }
      case K::key_offering:
      case K::certificate_offered: {
        refuse_pending_offers();
        ClientKey& k = e.get("path").empty() && e.get("fingerprint").empty() && !last_key_path_.empty()
                           ? key_for(last_key_path_, {})
                           : key_from_event(e);
        if (e.get("path").empty() && e.get("fingerprint").empty()) k.evidence.push_back(&e);
        k.result = KeyResult::kOffered;
        last_offered_ = &k - c_.keys.data();
        break;
      }
      case K::key_accepted_by_server: {
        ClientKey* k = (e.get("path").empty() && e.get("fingerprint").empty()) ? last_offered_key() : &key_from_event(e);
        if (k != nullptr) {
          if (e.get("path").empty() && e.get("fingerprint").empty()) k->evidence.push_back(&e);
          k->result = KeyResult::kAccepted;
        }
        break;
      }
      case K::putty_key_refused: {
        if (ClientKey* k = last_offered_key()) {
          k->result = KeyResult::kRefused;
          k->evidence.push_back(&e);
        }
        break;
      }
      case K::key_load_failed: {
        // PuTTY's "Unable to use this key file (...)" names no file: it is
        // the one it just read.
        ClientKey& k = key_for(e.get("path").empty() ? std::string_view(last_key_path_) : e.get("path"), {});
        k.result = KeyResult::kLoadFailed;
        k.reason = std::string(e.get("reason"));
        k.evidence.push_back(&e);
        break;
      }
      case K::key_permissions_too_open: {
        ClientKey& k = key_for(e.get("path"), {});
        k.result = KeyResult::kLoadFailed;
        k.reason = "bad permissions (mode " + std::string(e.get("mode")) + ")";
        k.evidence.push_back(&e);
        break;
      }
      case K::key_skipped: {
        ClientKey& k = key_for(e.get("path"), e.get("type"));
        k.result = KeyResult::kSkipped;
        k.reason = std::string(e.get("reason"));
        k.evidence.push_back(&e);
        break;
      }
      case K::key_no_mutual_signature_algorithm:
        // Printed right after "Offering public key" for the key that was
        // in fact never sent.
        if (ClientKey* k = last_offered_key()) {
          k->result = KeyResult::kSkipped;
          k->reason = "no mutual signature algorithm";
          k->evidence.push_back(&e);
        }
        break;
      case K::key_passphrase_prompt: {
        ClientKey& k = key_for(e.get("path"), {});
        k.evidence.push_back(&e);
        break;
      }
      case K::key_passphrase_failed:
        if (ClientKey* k = last_accepted_key()) {
          k->reason = std::string(e.get("reason")) + " passphrase given";
          k->evidence.push_back(&e);
        }
        break;
      case K::putty_wrong_passphrase:
        if (!last_key_path_.empty()) {
          ClientKey& k = key_for(last_key_path_, {});
          k.result = KeyResult::kLoadFailed;
          k.reason = "wrong passphrase";
          k.evidence.push_back(&e);
        }
        break;
      case K::agent_identities:
        c_.agent_keys = std::atoi(std::string(e.get("count")).c_str());
        break;
      case K::putty_agent_running:
        if (c_.agent_keys < 0) c_.agent_keys = 0;
        break;
      case K::agent_empty:
        c_.agent_keys = 0;
        break;
      case K::agent_unavailable:
        c_.agent_problem = std::string(e.get("reason"));
        break;
      case K::agent_sign_failed:
      case K::putty_agent_refused_signing: {
        c_.agent_problem = e.get("reason").empty() ? "the agent refused to sign" : std::string(e.get("reason"));
        // The line names an agent key by its comment, which other keys may
        // share: the key just offered is the one, if the comment fits.
        ClientKey* k = last_offered_key();
        if (!e.get("path").empty() && (k == nullptr || k->path != e.get("path"))) k = &key_for(e.get("path"), e.get("type"));
        if (k != nullptr) {
          k->result = KeyResult::kSignFailed;
          k->reason = c_.agent_problem;
          k->evidence.push_back(&e);
        }
        break;
      }
      case K::password_prompt:
      case K::putty_password_sent:
        ++c_.password_prompts;
        break;
      case K::password_retry:
        ++c_.password_failures;
        break;
      case K::putty_access_denied:
        // "Password authentication failed" / "Access denied" after "Sent
        // password": that password was wrong.
        if (c_.password_prompts > c_.password_failures) ++c_.password_failures;
        refuse_pending_offers();
        break;
      case K::auth_succeeded:
        accept_pending_offers();
        c_.authenticated_method = std::string(e.get("method"));
        set_if(c_.host, e.get("host"));
        c_.outcome = Outcome::kAuthenticated;
        break;
      case K::auth_no_more_methods:
        refuse_pending_offers();
        break;
      case K::permission_denied:
        refuse_pending_offers();
        set_if(c_.user, e.get("user"));
        set_if(c_.host, e.get("host"));
        c_.final_methods = std::string(e.get("methods"));
        finish(Outcome::kPermissionDenied);
        break;
      case K::putty_no_supported_methods:
        refuse_pending_offers();
        c_.final_methods = std::string(e.get("methods"));
        finish(Outcome::kPermissionDenied);
        break;
      case K::remote_debug:
        c_.remote_messages.emplace_back(e.get("text"));
        break;
      case K::received_disconnect:
        set_if(c_.host, e.get("host"));
        c_.disconnect_code = std::string(e.get("code"));
        c_.disconnect_reason = std::string(e.get("reason"));
        refuse_pending_offers();
        if (c_.outcome != Outcome::kAuthenticated) finish(Outcome::kDisconnected);
        c_.ended = true;
        break;
      case K::connection_reset_by:
        if (c_.failure_reason.empty()) c_.failure_reason = "Connection reset by peer";
        [[fallthrough]];
      case K::connection_closed_by:
        if (c_.outcome == Outcome::kUnknown) c_.outcome = Outcome::kConnectionClosed;
        c_.ended = true;
        break;
      case K::disconnected_from:
      case K::connection_closed_remote:
      case K::connection_closed_local:
      case K::broken_pipe:
        if (c_.outcome == Outcome::kUnknown) c_.outcome = Outcome::kConnectionClosed;
        c_.ended = true;
        break;
      case K::fatal_other:
        if (c_.failure_reason.empty()) c_.failure_reason = std::string(e.get("text"));
        // PuTTY ends a failed authentication with a FATAL ERROR line
        // ("Configured password was not accepted", "Cannot answer
        // interactive prompts in batch mode") instead of "Permission denied".
        if (c_.client == "putty" && c_.phase == Phase::kAuth && c_.outcome == Outcome::kUnknown) {
          refuse_pending_offers();
          finish(Outcome::kPermissionDenied);
        }
        break;
      default:
        break;  // recorded in events; rules may look at it directly
    }
  }

 private:
  static void set_if(std::string& field, std::string_view value) {
    if (!value.empty()) field.assign(value);
  }

  void finish(Outcome o) {
    if (c_.outcome == Outcome::kUnknown || c_.outcome == Outcome::kConnectionClosed) c_.outcome = o;
    c_.ended = true;
  }

  // The key at `path`. With a fingerprint, a key of that path with another
  // fingerprint is a different key: agent keys carry their comment as the
  // path, and one comment (user@host) often names several keys.
  ClientKey& key_for(std::string_view path, std::string_view type, std::string_view fingerprint = {}) {
    for (ClientKey& k : c_.keys) {
      if (!fingerprint.empty() && !k.fingerprint.empty() && k.fingerprint != fingerprint) continue;
      if (!path.empty() && k.path == path) {
        if (k.type.empty()) k.type.assign(type);
        return k;
      }
    }
    ClientKey k;
    k.path.assign(path);
    k.type.assign(type);
    c_.keys.push_back(std::move(k));
    return c_.keys.back();
  }

  // Keys are matched by fingerprint first (agent keys carry a comment, not
  // a path), then by path among the keys whose fingerprint is not known yet
  // or is the same.
  ClientKey& key_from_event(const Event& e) {
    std::string_view fp = e.get("fingerprint");
    std::string_view path = e.get("path");
    std::string_view flags = e.get("flags");
    ClientKey* found = nullptr;
    if (!fp.empty()) {
      for (ClientKey& k : c_.keys) {
        if (k.fingerprint == fp) found = &k;
      }
    }
    if (found == nullptr) found = &key_for(path, e.get("type"), fp);
    set_if(found->type, e.get("type"));
    set_if(found->fingerprint, fp);
    set_if(found->flags, flags);
    if (contains(flags, "agent")) found->from_agent = true;
    found->evidence.push_back(&e);
    return *found;
  }

  ClientKey* last_accepted_key() {
    for (auto it = c_.keys.rbegin(); it != c_.keys.rend(); ++it) {
      if (it->result == KeyResult::kAccepted) return &*it;
    }
    return nullptr;
  }

  ClientKey* last_offered_key() {
    if (last_offered_ < 0 || static_cast<size_t>(last_offered_) >= c_.keys.size()) return nullptr;
    return &c_.keys[last_offered_];
  }

  void refuse_pending_offers() {
    for (ClientKey& k : c_.keys) {
      if (k.result == KeyResult::kOffered) k.result = KeyResult::kRefused;
    }
  }

  void accept_pending_offers() {
    for (ClientKey& k : c_.keys) {
      if (k.result == KeyResult::kOffered) k.result = KeyResult::kAccepted;
    }
  }

  ClientConversation& c_;
  // Per-conversation state the updater needs across events; kept here and
  // recreated per event, so it is stored on the side (see Router).
 public:
  std::string last_key_path_;
  long last_offered_ = -1;
};

// Events that may arrive at any point and never move a conversation along.
bool is_phase_free(EventKind k) {
  switch (k) {
    case K::connection_closed_by:
    case K::connection_reset_by:
    case K::disconnected_from:
    case K::received_disconnect:
    case K::connection_closed_remote:
    case K::connection_closed_local:
    case K::broken_pipe:
    case K::fatal_other:
    case K::remote_debug:
    case K::putty_log_gap:
    case K::putty_network_error:
      return true;
    default:
      return false;
  }
}

// "C:\Users\..." or "C:/Users/...": a Windows path.
bool windows_path(std::string_view p) {
  return p.size() >= 3 && std::isalpha(static_cast<unsigned char>(p[0])) && p[1] == ':' && (p[2] == '\\' || p[2] == '/');
}

// "windows" when the trace shows a Windows client (Win32-OpenSSH's version
// string, or a drive-letter path for a key, config or known_hosts file),
// "unix" for any other OpenSSH client that printed its version, else "".
std::string client_os_of(const ClientConversation& c) {
  if (c.client != "openssh") return {};
  if (contains(c.client_version, "for_Windows")) return "windows";
  for (const std::string& f : c.config_files) {
    if (windows_path(f)) return "windows";
  }
  for (const ClientKey& k : c.keys) {
    if (windows_path(k.path)) return "windows";
  }
  if (windows_path(c.known_hosts_path)) return "windows";
  return c.client_version.empty() ? std::string() : std::string("unix");
}

struct HopState {
  size_t index;  // into the conversations vector
  std::string last_key_path;
  long last_offered = -1;
};

}  // namespace

void target_from_proxy(const std::string& command, std::string& host, std::string& port) {
  size_t w = command.find("-W ");
  if (w == std::string::npos) return;
  std::string_view rest = std::string_view(command).substr(w + 3);
  if (!rest.empty() && rest.front() == '\'') rest.remove_prefix(1);
  std::string_view spec = rest.substr(0, rest.find_first_of("' "));
  if (spec.find('%') != std::string_view::npos) return;  // "[%h]:%p": the template, not the value
  size_t colon = spec.rfind(':');
  if (colon == std::string_view::npos) return;
  std::string_view h = spec.substr(0, colon);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  host.assign(h);
  port.assign(spec.substr(colon + 1));
}

Phase phase_of(EventKind kind) {
  switch (kind) {
    case K::connecting:
    case K::connect_attempt_failed:
    case K::dns_failed:
    case K::connect_failed:
    case K::putty_looking_up_host:
      return Phase::kConnect;
    case K::connection_established:
    case K::putty_connected:
    case K::local_version:
    case K::remote_version:
    case K::banner_closed:
    case K::banner_reset:
    case K::banner_timeout:
    case K::banner_line:
    case K::banner_invalid:
    case K::connect_timeout:
      return Phase::kBanner;
    case K::authenticating_as:
    case K::kex_algorithm:
    case K::kex_host_key_algorithm:
    case K::kex_cipher:
    case K::negotiation_failed:
    case K::kex_proposal:
    case K::kex_proposal_list:
      return Phase::kKex;
    case K::server_host_key:
    case K::host_key_known:
    case K::host_key_found_in:
    case K::host_key_added:
    case K::host_key_changed_warning:
    case K::host_key_dns_spoofing_warning:
    case K::host_key_offending:
    case K::host_key_changed_strict:
    case K::host_key_unknown_strict:
    case K::host_key_prompt:
    case K::host_key_verification_failed:
    case K::host_key_fingerprint_shown:
    case K::putty_host_key_mismatch:
      return Phase::kHostKey;
    case K::server_sig_algs:
    case K::agent_identities:
    case K::agent_empty:
    case K::agent_unavailable:
    case K::key_will_attempt:
    case K::auth_methods_can_continue:
    case K::next_auth_method:
    case K::auth_partial_success:
    case K::key_offering:
    case K::key_accepted_by_server:
    case K::key_trying_private:
    case K::key_no_mutual_signature_algorithm:
    case K::agent_sign_failed:
    case K::password_prompt:
    case K::password_retry:
    case K::kbdint_prompt:
    case K::auth_no_more_methods:
    case K::permission_denied:
    case K::certificate_offered:
    case K::putty_username:
    case K::putty_agent_key_trying:
    case K::putty_agent_refused_signing:
    case K::putty_key_refused:
    case K::putty_signature_sent:
    case K::putty_signature_refused:
    case K::putty_password_sent:
    case K::putty_access_denied:
    case K::putty_no_supported_methods:
    case K::putty_batch_prompt_refused:
      return Phase::kAuth;
    case K::auth_succeeded:
    case K::session_started:
    case K::session_command:
    case K::exit_status:
    case K::transferred:
    case K::channel_open_failed:
    case K::stdio_forwarding_failed:
    case K::killed_by_signal:
      return Phase::kSession;
    default:
      return Phase::kStart;
  }
}

std::vector<ClientConversation> build_client_conversations(std::span<const Event> events, const char* client) {
  std::vector<ClientConversation> convs;
  // Hops whose trace is still being written, outermost first.
  std::vector<HopState> active;
  size_t previous = 0;  // conversation that took the previous event
  bool proxy_pending = false;

  auto open = [&](int hop) {
    ClientConversation c;
    c.client = client;
    c.hop = hop;
    convs.push_back(std::move(c));
    return convs.size() - 1;
  };

  for (const Event& e : events) {
    if (e.kind == K::client_version) {
      // ssh prints some warnings ("Identity file ... not accessible")
      // before its version line: those belong to the same run.
      bool current_is_fresh = !convs.empty() && convs.back().client_version.empty() &&
                              convs.back().phase == Phase::kStart;
      if (proxy_pending && !active.empty()) {
        // The jump host's ssh: a hop in front of the innermost one.
        int hop = convs[active.back().index].hop + 1;
        active.push_back(HopState{open(hop), {}, -1});
        proxy_pending = false;
      } else if (convs.empty() || !current_is_fresh) {
        // A new attempt pasted after the previous one.
        active.clear();
        active.push_back(HopState{open(0), {}, -1});
      }
    }
    if (active.empty()) active.push_back(HopState{open(0), {}, -1});

    // Route: the innermost hop that can still take this event.
    size_t target = active.size();
    if (active.size() == 1) {
      target = 0;
    } else {
      Phase p = phase_of(e.kind);
      for (size_t i = active.size(); i-- > 0;) {
        const ClientConversation& c = convs[active[i].index];
        if (c.ended) continue;
        // Once a hop is logged in, it cannot log in again: another
        // authentication line belongs to a hop further out.
        bool authenticated = c.outcome == Outcome::kAuthenticated;
        if (authenticated && (e.kind == K::auth_succeeded || (p != Phase::kStart && p < Phase::kSession))) continue;
        if (is_phase_free(e.kind) || p == Phase::kStart || p >= c.phase) {
          target = i;
          break;
        }
      }
      if (target == active.size()) {
        // Nobody expects it: it continues whatever took the previous line.
        target = 0;
        for (size_t i = 0; i < active.size(); ++i) {
          if (active[i].index == previous) target = i;
        }
      }
    }
    HopState& hop = active[target];
    ClientConversation& c = convs[hop.index];
    ConversationUpdater updater(c);
    updater.last_key_path_ = hop.last_key_path;
    updater.last_offered_ = hop.last_offered;
    updater.apply(e);
    hop.last_key_path = updater.last_key_path_;
    hop.last_offered = updater.last_offered_;
    previous = hop.index;

    if (e.kind == K::proxy_command || e.kind == K::proxy_jump) proxy_pending = true;
  }
  for (ClientConversation& c : convs) {
    // With ProxyJump the target's own trace may end before it names its
    // host; the -W in the proxy command does.
    if (c.host.empty() && !c.proxy_command.empty()) {
      std::string host, port;
      target_from_proxy(c.proxy_command, host, port);
      c.host = host;
      if (c.port.empty()) c.port = port;
    }
    c.client_os = client_os_of(c);
  }
  // A PuTTY Event Log that stops during authentication is the log of a
  // failed login: PuTTY shows the final reason only in its fatal-error box,
  // which is not part of the Event Log a user copies.
  for (ClientConversation& c : convs) {
    if (c.client != "putty" || c.outcome != Outcome::kUnknown || c.phase != Phase::kAuth) continue;
    // ... but only once it tried something: a lone "Using username" line
    // says nothing about how the login went.
    bool attempted = false;
    for (const Event* e : c.events) {
      switch (e->kind) {
        case K::key_offering:
        case K::putty_agent_key_trying:
        case K::putty_password_sent:
        case K::putty_batch_prompt_refused:
        case K::putty_key_refused:
        case K::putty_access_denied:
          attempted = true;
          break;
        default:
          break;
      }
    }
    if (!attempted) continue;
    for (ClientKey& k : c.keys) {
      if (k.result == KeyResult::kOffered) k.result = KeyResult::kRefused;
    }
    c.outcome = Outcome::kPermissionDenied;
    c.ended = true;
  }
  return convs;
}

}  // namespace sshlogwhy
