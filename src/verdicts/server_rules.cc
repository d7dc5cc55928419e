#include "verdicts/server_rules.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace sshlogwhy {
namespace {

using K = EventKind;

bool icontains(std::string_view s, std::string_view p) {
  auto it = std::search(s.begin(), s.end(), p.begin(), p.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != s.end();
}

Verdict make(const ServerConnection& c, std::string id, Confidence conf, std::string_view rule) {
  Verdict v;
  v.id = std::move(id);
  v.confidence = conf;
  v.rule = std::string(rule);
  v.set("user", c.user);
  v.set("source_ip", c.source_ip);
  v.set("host", c.host.empty() ? c.server_ip : c.host);
  v.set("port", c.server_port);
  v.set("server_version", c.sshd_version);
  set_port_vars(v, c.host.empty() ? c.server_ip : c.host, c.server_port);
  return v;
}

// The event of an attempt (attempts keep an index: the events vector grows
// while the connection is built).
const Event* event_of(const ServerConnection& c, const ServerAuthAttempt& a) {
  return a.event_index < c.events.size() ? &c.events[a.event_index].event : nullptr;
}

void cite(Verdict& v, const ServerConnection& c, K kind) { v.cite(c.first(kind)); }
void cite_last(Verdict& v, const ServerConnection& c, K kind) { v.cite(c.last(kind)); }
void cite_all(Verdict& v, const ServerConnection& c, K kind) {
  for (const ServerEvent& e : c.events) {
    if (e.event.kind == kind) v.cite(&e.event);
  }
}
void cite_end(Verdict& v, const ServerConnection& c) {
  cite_last(v, c, K::sshd_connection_closed);
  cite_last(v, c, K::sshd_connection_reset);
  cite_last(v, c, K::sshd_disconnecting);
  cite_last(v, c, K::sshd_disconnected);
}

// Does `name` (a key type as written in authorized_keys) name the type sshd
// logs as `key_type` in "Failed publickey ... ED25519 SHA256:..."?
bool key_name_is_type(std::string_view name, std::string_view key_type) {
  if (key_type == "ED25519") return name == "ssh-ed25519";
  if (key_type == "RSA") return name == "ssh-rsa";
  if (key_type == "DSA") return name == "ssh-dss";
  if (key_type == "ECDSA") return name.substr(0, 11) == "ecdsa-sha2-";
  if (key_type == "ED25519-SK") return name == "sk-ssh-ed25519@openssh.com";
  if (key_type == "ECDSA-SK") return name == "sk-ecdsa-sha2-nistp256@openssh.com";
  return false;
}

// DEBUG2 "FILE:N: check options: 'ssh-ed25519 ...": sshd reads every line
// into a key of the offered (plain) key's type; a line that starts with that
// very type and still does not parse is broken (wrapped, truncated). Lines
// of other types give "check options" too, so only the offered type counts.
const Event* unparsed_keys_line(const ServerConnection& c) {
  for (const ServerEvent& se : c.events) {
    if (se.event.kind != K::sshd_authorized_keys_debug) continue;
    std::string_view token = se.event.get("reason");
    for (const ServerAuthAttempt& a : c.attempts) {
      if (a.method == "publickey" && a.result == "failed" && key_name_is_type(token, a.key_type)) return &se.event;
    }
  }
  return nullptr;
}

Verdict alt(const ServerConnection& c, std::string id, Confidence conf, std::string note = {}) {
  Verdict v = make(c, std::move(id), conf, "alternative");
  if (!note.empty()) v.notes.push_back(std::move(note));
  return v;
}

bool authenticated(const ServerConnection& c) { return c.outcome == ServerOutcome::kAuthenticated; }

// ---------------------------------------------------------------------------

bool rule_dropped(const ServerConnection& c, Diagnosis& out) {
  if (const Event* e = c.first(K::sshd_drop_connection)) {
    Verdict v = make(c, "connection_closed_before_banner", Confidence::kHigh, "dropped");
    v.cite(e);
    v.set("reason", std::string(e->get("reason")));
    v.notes.push_back("sshd dropped this connection before the SSH banner (" +
                      std::string(e->get("reason").empty() ? "MaxStartups" : e->get("reason")) + ").");
    out.verdict = std::move(v);
    return true;
  }
  if (const Event* e = c.first(K::sshd_refused_connect)) {
    Verdict v = make(c, "connection_reset_before_banner", Confidence::kHigh, "tcp_wrappers");
    v.cite(e);
    v.notes.push_back("TCP wrappers (/etc/hosts.deny) refused this address; the client sees the connection reset.");
    out.verdict = std::move(v);
    return true;
  }
  return false;
}

bool rule_negotiation(const ServerConnection& c, Diagnosis& out) {
  const Event* e = c.first(K::sshd_negotiation_failed);
  if (e == nullptr) return false;
  std::string_view w = e->get("what");
  std::string id = icontains(w, "host key") ? "no_matching_host_key_type"
                   : icontains(w, "cipher") ? "no_matching_cipher"
                   : icontains(w, "mac")    ? "no_matching_mac"
                                            : "no_matching_kex";
  Verdict v = make(c, id, Confidence::kHigh, "negotiation");
  v.cite(e);
  v.set("what", std::string(w));
  v.set("offer", std::string(e->get("offer")));
  v.notes.push_back("\"Their offer\" in the server's log is the client's list.");
  out.verdict = std::move(v);
  return true;
}

bool rule_banner(const ServerConnection& c, Diagnosis& out) {
  const Event* e = c.first(K::sshd_banner_error);
  if (e == nullptr || !c.attempts.empty() || !c.user.empty()) return false;
  std::string_view r = e->get("reason");
  bool garbage = icontains(r, "invalid") || icontains(r, "bad protocol") || icontains(r, "version");
  // A peer that sent text that is not an SSH greeting (HTTP to port 22, a
  // TLS handshake) spoke another protocol: VERDICTS.md's not_an_ssh_server,
  // seen from the server's side; most such peers are scanners, which stays
  // the alternative. A peer that sent nothing at all is a probe.
  Verdict v = make(c, garbage ? "not_an_ssh_server" : "scanner_probe", garbage ? Confidence::kHigh : Confidence::kMedium,
                   garbage ? "banner.not_ssh_client" : "banner.closed");
  v.set("count", "1");
  v.cite(e);
  cite_end(v, c);
  v.set("reason", std::string(r));
  v.notes.push_back(garbage ? "The client did not speak SSH (an HTTP request or a port scanner sent text to the SSH port)."
                            : "The client opened a TCP connection and closed it without sending an SSH banner: "
                              "a port scanner, a health check, or a client that gave up at once.");
  out.verdict = std::move(v);
  if (garbage) out.alternatives.push_back(alt(c, "scanner_probe", Confidence::kMedium));
  return true;
}

bool rule_timeout(const ServerConnection& c, Diagnosis& out) {
  const Event* e = c.first(K::sshd_timeout_preauth);
  if (e == nullptr || authenticated(c)) return false;
  Verdict v = make(c, "preauth_timeout", Confidence::kHigh, "timeout");
  v.set("count", "1");
  v.cite(e);
  v.notes.push_back("The client did not finish authenticating within LoginGraceTime (a stalled client, a password "
                    "prompt nobody answered, a network that stopped passing packets, or a scanner holding a slot).");
  out.verdict = std::move(v);
  return true;
}

bool rule_chroot(const ServerConnection& c, Diagnosis& out) {
  const Event* e = c.first(K::sshd_chroot_bad_modes);
  if (e == nullptr) return false;
  Verdict v = make(c, "chroot_bad_ownership", Confidence::kHigh, "chroot");
  cite_last(v, c, K::sshd_accepted);
  v.cite(e);
  v.set("path", std::string(e->get("path")));
  out.verdict = std::move(v);
  return true;
}

bool rule_not_allowed(const ServerConnection& c, Diagnosis& out) {
  const Event* e = c.first(K::sshd_user_not_allowed);
  const Event* shell = c.first(K::sshd_shell_missing);
  if (e == nullptr && shell == nullptr) return false;
  std::string_view reason = e ? e->get("reason") : std::string_view();
  std::string id = "user_denied_by_config";
  if (shell != nullptr || icontains(reason, "shell")) id = "invalid_login_shell";
  else if (icontains(reason, "locked")) id = "account_locked";
  Verdict v = make(c, id, Confidence::kHigh, "not_allowed");
  v.cite(e);
  v.cite(shell);
  cite_end(v, c);
  v.set("reason", std::string(reason));
  v.set("directive", std::string(e ? e->get("directive") : std::string_view()));
  if (shell != nullptr) v.set("path", std::string(shell->get("path")));
  out.verdict = std::move(v);
  return true;
}

bool rule_invalid_user(const ServerConnection& c, Diagnosis& out) {
  if (!c.invalid_user || authenticated(c)) return false;
  Verdict v = make(c, "user_does_not_exist", Confidence::kHigh, "invalid_user");
  cite(v, c, K::sshd_invalid_user);
  for (const ServerAuthAttempt& a : c.attempts) v.cite(event_of(c, a));
  cite(v, c, K::sshd_max_auth_exceeded);
  cite_end(v, c);
  v.notes.push_back("sshd has no account \"" + c.user + "\". Cloud images use ec2-user, ubuntu, admin, centos, "
                    "rocky, fedora, opc, azureuser or bitnami; also check LDAP/SSSD if accounts come from a directory.");
  out.verdict = std::move(v);
  return true;
}

bool rule_root(const ServerConnection& c, Diagnosis& out) {
  const Event* e = c.first(K::sshd_root_refused);
  if (e == nullptr || authenticated(c)) return false;
  Verdict v = make(c, "root_login_refused", Confidence::kHigh, "root_refused");
  v.cite(e);
  cite_end(v, c);
  out.verdict = std::move(v);
  return true;
}

bool rule_account(const ServerConnection& c, Diagnosis& out) {
  if (authenticated(c) && !c.has(K::sshd_pam_access_denied)) {
    // An expired password still lets PAM "accept" and then forces a change.
    if (const Event* e = c.first(K::sshd_password_change_required)) {
      Verdict v = make(c, "password_expired", Confidence::kHigh, "account.password_expired");
      v.cite(e);
      out.verdict = std::move(v);
      return true;
    }
    return false;
  }
  for (const ServerEvent& se : c.events) {
    const Event& e = se.event;
    if (e.kind == K::sshd_pam_account || e.kind == K::sshd_password_change_required) {
      std::string_view r = e.get("reason");
      std::string id = e.kind == K::sshd_password_change_required || icontains(r, "password") ? "password_expired"
                       : icontains(r, "expired")                                                ? "account_expired"
                                                                                                : "account_locked";
      Verdict v = make(c, id, Confidence::kHigh, "account.pam");
      v.cite(&e);
      cite(v, c, K::sshd_pam_access_denied);
      cite_end(v, c);
      v.set("reason", std::string(r));
      out.verdict = std::move(v);
      return true;
    }
  }
  if (const Event* e = c.first(K::sshd_pam_access_denied)) {
    // Without the PAM module's own line, this says only that the account
    // phase said no; which check failed is not in this log.
    Verdict v = make(c, "insufficient_evidence", Confidence::kMedium, "account.pam_denied");
    v.cite(e);
    cite_end(v, c);
    v.notes.push_back("PAM's account phase refused the login. The PAM module's own line (pam_unix, pam_nologin, "
                      "pam_access, faillock) says why; it is usually in the same log just before.");
    out.verdict = std::move(v);
    out.alternatives.push_back(alt(c, "account_expired", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "account_locked", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "password_expired", Confidence::kLow));
    return true;
  }
  return false;
}

bool rule_keys_file(const ServerConnection& c, Diagnosis& out) {
  if (authenticated(c)) return false;
  if (const Event* e = c.first(K::sshd_bad_modes)) {
    Verdict v = make(c, "bad_ownership_or_modes", Confidence::kHigh, "keys.bad_modes");
    v.cite(e);
    for (const ServerAuthAttempt& a : c.attempts) v.cite(event_of(c, a));
    cite_end(v, c);
    v.set("path", std::string(e->get("path")));
    out.verdict = std::move(v);
    return true;
  }
  if (const Event* e = c.first(K::sshd_authorized_keys_unreadable); e != nullptr) {
    // sshd tries every AuthorizedKeysFile (by default authorized_keys and
    // authorized_keys2); one missing file means nothing while another one
    // was read. "Missing" needs every file it tried to be missing; any other
    // error (Permission denied, an SELinux label) is "unreadable".
    std::string_view r = e->get("reason");
    std::vector<std::string_view> tried, absent;
    for (const ServerEvent& se : c.events) {
      if (se.event.kind == K::sshd_authorized_keys_debug) tried.push_back(se.event.get("path"));
      if (se.event.kind == K::sshd_authorized_keys_unreadable && icontains(se.event.get("reason"), "No such file")) {
        absent.push_back(se.event.get("path"));
      }
    }
    bool all_absent = !absent.empty() && std::all_of(tried.begin(), tried.end(), [&](std::string_view t) {
      return std::find(absent.begin(), absent.end(), t) != absent.end();
    });
    const Event* unreadable = nullptr;
    for (const ServerEvent& se : c.events) {
      if (se.event.kind == K::sshd_authorized_keys_unreadable && !icontains(se.event.get("reason"), "No such file")) {
        unreadable = &se.event;
      }
    }
    bool missing = unreadable == nullptr && all_absent;
    if (unreadable != nullptr) {
      e = unreadable;
      r = e->get("reason");
    }
    // Only "Permission denied" (and friends) is logged at INFO; a missing
    // file shows at DEBUG. Either names the path.
    bool any_key_found = c.has(K::sshd_accepted_key_found);
    if (!any_key_found && (missing || unreadable != nullptr)) {
      Verdict v = make(c, missing ? "authorized_keys_missing" : "authorized_keys_unreadable", Confidence::kHigh,
                       missing ? "keys.missing" : "keys.unreadable");
      for (const ServerEvent& se : c.events) {
        if (se.event.kind == K::sshd_authorized_keys_unreadable) v.cite(&se.event);
      }
      cite_end(v, c);
      v.set("path", std::string(e->get("path")));
      v.set("reason", std::string(r));
      out.verdict = std::move(v);
      return true;
    }
  }
  if (const Event* e = c.first(K::sshd_key_option_refused)) {
    Verdict v = make(c, "authorized_keys_option_restriction", Confidence::kHigh, "keys.option");
    v.cite(e);
    cite_end(v, c);
    v.set("reason", std::string(e->get("reason")));
    out.verdict = std::move(v);
    return true;
  }
  if (const Event* e = c.first(K::sshd_certificate_rejected)) {
    Verdict v = make(c, "certificate_rejected", Confidence::kHigh, "keys.certificate");
    for (const ServerEvent& se : c.events) {
      if (se.event.kind == K::sshd_certificate_rejected) v.cite(&se.event);
    }
    cite_end(v, c);
    v.set("reason", std::string(e->get("reason")));
    out.verdict = std::move(v);
    return true;
  }
  const Event* alg = c.first(K::sshd_key_algorithm_rejected);
  if (alg == nullptr) alg = c.first(K::sshd_key_rejected_other);
  if (alg != nullptr) {
    Verdict v = make(c, "key_algorithm_rejected_by_server", Confidence::kHigh, "keys.algorithm");
    v.cite(alg);
    cite_end(v, c);
    v.set("key_type", std::string(alg->get("algorithm")));
    v.set("reason", std::string(alg->get("reason")));
    v.set("directive", std::string(alg->get("setting")));
    out.verdict = std::move(v);
    return true;
  }
  return false;
}

// sshd's "refusing non-sftp session" (session.c do_child): the session's
// own child logs it, so it reaches syslog and the journal but not an
// `sshd -E` file (corpus/lab/sftp-only-account, sftp-session-success).
bool is_sftp_refusal(const Event& e) {
  return e.kind == K::sshd_fatal && icontains(e.get("text"), "refusing non-sftp session");
}

// A session forced to internal-sftp that ended within this long, in a log
// that cannot show the refusal, is taken for a refused shell/command.
constexpr int64_t kSftpRefusedWithinUs = 2'000'000;

bool rule_after_login(const ServerConnection& c, Diagnosis& out) {
  if (!authenticated(c)) return false;
  const ServerEvent* sftp = nullptr;
  const Event* refusal = nullptr;
  for (const ServerEvent& se : c.events) {
    if (sftp == nullptr && se.event.kind == K::sshd_session_started &&
        icontains(se.event.get("kind"), "internal-sftp")) {
      sftp = &se;
    }
    if (refusal == nullptr && is_sftp_refusal(se.event)) refusal = &se.event;
  }
  if (refusal != nullptr) {
    // sshd says so: the account is limited to SFTP and the client asked for
    // a shell or a command.
    Verdict v = make(c, "sftp_only_account", Confidence::kHigh, "after_login.sftp_refused");
    cite_last(v, c, K::sshd_accepted);
    if (sftp != nullptr) v.cite(&sftp->event);
    v.cite(refusal);
    cite_end(v, c);
    v.notes.push_back("The login worked; the account is forced to SFTP (ForceCommand internal-sftp), so a shell "
                      "or command over ssh ends at once. Use sftp, or change the Match block if shell access is intended.");
    out.verdict = std::move(v);
    return true;
  }
  if (sftp != nullptr && c.pid < 0) {
    // An sshd -E/-e log (no pids): the refusal line never reaches it, and a
    // working SFTP session leaves the very same lines. Only a session that
    // visibly lasted rules the refusal out; otherwise say it is a guess.
    int64_t start = sftp->meta.time_us;
    bool lasted = start != INT64_MIN && c.end_us != INT64_MIN && c.end_us - start > kSftpRefusedWithinUs;
    if (!lasted) {
      Verdict v = make(c, "sftp_only_account", Confidence::kLow, "after_login.sftp_unclear");
      cite_last(v, c, K::sshd_accepted);
      v.cite(&sftp->event);
      cite_end(v, c);
      v.notes.push_back("The login worked and the account is forced to SFTP (ForceCommand internal-sftp). This log "
                        "(sshd -E, no pids) cannot show sshd's \"refusing non-sftp session\": a normal SFTP session "
                        "looks the same here. The system log (journalctl -u ssh, /var/log/auth.log) settles it.");
      out.verdict = std::move(v);
      out.alternatives.push_back(alt(c, "success", Confidence::kMedium,
                                     "an SFTP session (sftp, scp -s, an SFTP client) that worked"));
      return true;
    }
  }
  if (const Event* e = c.first(K::sshd_forward_refused)) {
    Verdict v = make(c, "proxy_jump_failed", Confidence::kHigh, "after_login.forward_refused");
    cite_last(v, c, K::sshd_accepted);
    v.cite(e);
    v.set("hop", c.host.empty() ? c.server_ip : c.host);
    v.set("reason", std::string(e->get("reason")));
    v.notes.push_back("This server (used as a jump host) refused to forward the connection onwards: "
                      "AllowTcpForwarding no, DisableForwarding or PermitOpen.");
    out.verdict = std::move(v);
    return true;
  }
  Verdict v = make(c, "success", Confidence::kHigh, "after_login.success");
  cite_last(v, c, K::sshd_accepted);
  for (const ServerAuthAttempt& a : c.attempts) {
    if (a.result == "failed") v.cite(event_of(c, a));
  }
  out.verdict = std::move(v);
  return true;
}

bool rule_second_factor(const ServerConnection& c, Diagnosis& out) {
  if (authenticated(c) || c.count("partial") == 0) return false;
  Verdict v = make(c, "second_factor_required", Confidence::kHigh, "second_factor");
  for (const ServerAuthAttempt& a : c.attempts) v.cite(event_of(c, a));
  cite_end(v, c);
  out.verdict = std::move(v);
  return true;
}

bool rule_failures(const ServerConnection& c, Diagnosis& out) {
  if (authenticated(c)) return false;
  int pw = c.count("failed", "password") + c.count("failed", "keyboard-interactive");
  int keys = c.count("failed", "publickey");
  bool too_many = c.has(K::sshd_max_auth_exceeded) || icontains(c.disconnect_reason, "too many authentication");
  if (too_many && keys >= pw) {
    Verdict v = make(c, "too_many_auth_failures", Confidence::kHigh, "failures.too_many");
    for (const ServerAuthAttempt& a : c.attempts) v.cite(event_of(c, a));
    cite(v, c, K::sshd_max_auth_exceeded);
    cite_end(v, c);
    v.set("count", std::to_string(c.attempts.size()));
    out.verdict = std::move(v);
    return true;
  }
  if (pw > 0) {
    Verdict v = make(c, "wrong_password", Confidence::kHigh, "failures.password");
    for (const ServerAuthAttempt& a : c.attempts) v.cite(event_of(c, a));
    cite_all(v, c, K::sshd_pam_auth_failure);
    cite(v, c, K::sshd_max_auth_exceeded);
    cite_end(v, c);
    v.set("count", std::to_string(pw));
    out.verdict = std::move(v);
    if (too_many) out.alternatives.push_back(alt(c, "too_many_auth_failures", Confidence::kLow));
    return true;
  }
  if (keys > 0) {
    // A certificate among the refused keys: the certificate is what failed
    // (untrusted CA, principal, validity), the plain key was never authorized.
    for (const ServerAuthAttempt& a : c.attempts) {
      if (a.result == "failed" && a.key_type.find("-CERT") != std::string::npos) {
        Verdict v = make(c, "certificate_rejected", Confidence::kMedium, "failures.certificate");
        for (const ServerAuthAttempt& x : c.attempts) v.cite(event_of(c, x));
        cite_end(v, c);
        v.set("key_type", a.key_type);
        v.set("fingerprint", a.fingerprint);
        v.notes.push_back("sshd refused a certificate (" + a.key_type + ") without logging why at this level: "
                          "usually a CA not in TrustedUserCAKeys, a principal that is not the user name, or a "
                          "certificate outside its validity. LogLevel DEBUG names the reason.");
        out.verdict = std::move(v);
        out.alternatives.push_back(alt(c, "key_not_authorized", Confidence::kLow));
        return true;
      }
    }
    const ServerAuthAttempt* first = nullptr;
    for (const ServerAuthAttempt& a : c.attempts) {
      if (a.result == "failed" && a.method == "publickey" && first == nullptr) first = &a;
    }
    // LogLevel DEBUG2+: a line of the keys file of the offered key's type
    // that does not parse, and no key matched.
    if (const Event* bad = unparsed_keys_line(c); bad != nullptr && !c.has(K::sshd_accepted_key_found)) {
      Verdict v = make(c, "authorized_keys_malformed", Confidence::kMedium, "failures.keys_line_unparsed");
      v.cite(bad);
      for (const ServerAuthAttempt& a : c.attempts) v.cite(event_of(c, a));
      cite_end(v, c);
      v.set("path", std::string(bad->get("path")));
      if (first) {
        v.set("key_type", first->key_type);
        v.set("fingerprint", first->fingerprint);
      }
      v.notes.push_back("A line of " + std::string(bad->get("path")) + " starts with " +
                        std::string(bad->get("reason")) + ", the offered key's type, but sshd could not read it as a "
                        "key (\"check options\" at LogLevel DEBUG2) and skipped it: a key wrapped over two lines or "
                        "cut short when it was pasted. No line matched the offered key.");
      out.verdict = std::move(v);
      out.alternatives.push_back(alt(c, "key_not_authorized", Confidence::kMedium,
                                     "The broken line may be another key; the offered one may just not be in the file."));
      return true;
    }
    Verdict v = make(c, "key_not_authorized", Confidence::kHigh, "failures.publickey");
    for (const ServerAuthAttempt& a : c.attempts) v.cite(event_of(c, a));
    cite_end(v, c);
    if (first) {
      v.set("key_type", first->key_type);
      v.set("fingerprint", first->fingerprint);
      // The server knows the key by its fingerprint, not by the client's file.
      v.set("key_path", first->key_type + " " + first->fingerprint);
    }
    v.notes.push_back("sshd's log shows the refusal: it checked the offered key(s) against the authorized keys of " +
                      c.user + " and found no match. Compare the fingerprint with `ssh-keygen -lf` of the keys in "
                      "that file.");
    out.verdict = std::move(v);
    out.alternatives.push_back(alt(c, "authorized_keys_malformed", Confidence::kLow));
    return true;
  }
  return false;
}

// LogLevel DEBUG3: the methods sshd offered after "none" ("userauth_finish:
// failure partial=0 next methods=...") and a client that then tried none of
// them and left. The list shows what the server has disabled.
bool rule_methods_offered(const ServerConnection& c, Diagnosis& out) {
  if (authenticated(c) || c.invalid_user) return false;
  for (const ServerAuthAttempt& a : c.attempts) {
    if (a.method != "none") return false;
  }
  const Event* offered = c.last(K::auth_methods_can_continue);
  if (offered == nullptr) return false;
  const Event* close = c.last(K::sshd_connection_closed);
  if (close == nullptr) close = c.last(K::sshd_disconnected);
  if (close == nullptr) close = c.last(K::sshd_received_disconnect);
  if (close == nullptr) return false;
  std::string_view methods = offered->get("methods");
  auto has = [&](std::string_view m) {
    size_t start = 0;
    while (start <= methods.size()) {
      size_t comma = methods.find(',', start);
      if (comma == std::string_view::npos) comma = methods.size();
      if (methods.substr(start, comma - start) == m) return true;
      start = comma + 1;
    }
    return false;
  };
  bool pubkey = has("publickey");
  bool password = has("password") || has("keyboard-interactive");
  if (pubkey == password) return false;  // both: the client's side; neither: GSSAPI/hostbased only
  std::string id = pubkey ? "password_auth_disabled" : "pubkey_auth_disabled";
  Verdict v = make(c, id, Confidence::kMedium, pubkey ? "methods.password_disabled" : "methods.pubkey_disabled");
  v.cite(offered);
  v.cite(close);
  v.set("methods", std::string(methods));
  if (pubkey) {
    v.notes.push_back("sshd offered " + c.user + " only \"" + std::string(methods) + "\" (no password or "
                      "keyboard-interactive: PasswordAuthentication/KbdInteractiveAuthentication no, or "
                      "AuthenticationMethods), and the client offered no key before it closed: it had none, or "
                      "wanted a password.");
  } else {
    v.notes.push_back("sshd offered " + c.user + " only \"" + std::string(methods) + "\" (no publickey: "
                      "PubkeyAuthentication no for this user, or AuthenticationMethods), and the client closed "
                      "without trying it: it had only keys, or could not prompt for a password (BatchMode).");
  }
  out.verdict = std::move(v);
  if (pubkey) out.alternatives.push_back(alt(c, "no_usable_client_key", Confidence::kMedium));
  return true;
}

// At LogLevel INFO a refused key leaves only the close line.
bool rule_silent_close(const ServerConnection& c, Diagnosis& out) {
  if (authenticated(c)) return false;
  const Event* close = c.last(K::sshd_connection_closed);
  if (close == nullptr) close = c.last(K::sshd_disconnected);
  if (close == nullptr) close = c.last(K::sshd_connection_reset);
  std::string_view state = close ? close->get("state") : std::string_view();
  if (close == nullptr || state.find("authenticating") == std::string_view::npos) return false;
  bool verbose = c.verbose_seen || c.debug_seen;
  Verdict v = make(c, verbose ? "insufficient_evidence" : "key_not_authorized", verbose ? Confidence::kMedium : Confidence::kLow,
                   "silent_close");
  v.cite(close);
  if (verbose) {
    v.notes.push_back("The client authenticated as " + c.user + " but gave up without sshd logging a failed "
                      "attempt: it had no usable key or method (a client-side problem: missing or locked key, "
                      "agent, host key prompt). The client's ssh -vvv output says which.");
  } else {
    v.notes.push_back("At sshd's default LogLevel INFO a refused public key leaves only this line. Set "
                      "`LogLevel VERBOSE` in /etc/ssh/sshd_config (then `sudo systemctl reload ssh`) and retry: sshd "
                      "will log \"Failed publickey for USER ... SHA256:...\" with the key's fingerprint.");
  }
  out.verdict = std::move(v);
  if (!verbose) {
    out.alternatives.push_back(alt(c, "no_usable_client_key", Confidence::kMedium));
    out.alternatives.push_back(alt(c, "bad_ownership_or_modes", Confidence::kLow,
                                   "Not this: sshd logs bad modes at INFO, and no such line is here."));
  }
  return true;
}

bool rule_closed_preauth(const ServerConnection& c, Diagnosis& out) {
  if (authenticated(c) || c.outcome != ServerOutcome::kClosedPreauth) return false;
  Verdict v = make(c, "insufficient_evidence", Confidence::kMedium, "closed_preauth");
  cite_end(v, c);
  v.notes.push_back("The client closed the connection before trying to log in: it declined the host key, had no "
                    "algorithm in common on its side, or was a port scanner. The client's own output says which.");
  out.verdict = std::move(v);
  out.alternatives.push_back(alt(c, "host_key_unknown", Confidence::kMedium));
  out.alternatives.push_back(alt(c, "host_key_changed", Confidence::kMedium));
  out.alternatives.push_back(alt(c, "scanner_probe", Confidence::kLow));
  return true;
}

bool rule_fallback(const ServerConnection& c, Diagnosis& out) {
  Verdict v = make(c, "insufficient_evidence", Confidence::kLow, "fallback");
  if (!c.events.empty()) v.cite(&c.events.back().event);
  v.notes.push_back(std::string("sshd's log for this connection ends with outcome ") + server_outcome_name(c.outcome) +
                    " and does not say why.");
  out.verdict = std::move(v);
  // A connection that started and never ended in the log: either the log
  // stops while it was still open, or sshd ended it without a word. sshd
  // with the CVE-2024-6387 fix and before 9.8 (Debian 12's 9.2p1-2+deb12u3
  // and later) exits silently when LoginGraceTime expires.
  if (!authenticated(c) && !c.closed && c.outcome == ServerOutcome::kUnknown && c.has(K::sshd_connection_from)) {
    out.alternatives.push_back(alt(c, "preauth_timeout", Confidence::kLow,
                                   "No line ends this connection. sshd builds with the CVE-2024-6387 fix and older than "
                                   "9.8 (Debian 12's 9.2p1-2+deb12u3 and later) log nothing when LoginGraceTime expires; "
                                   "if the log goes on well past LoginGraceTime (120 s by default) after this connection's "
                                   "last line, that is the likely end."));
  }
  return true;
}

}  // namespace

const std::vector<ServerRule>& server_rules() {
  static const std::vector<ServerRule> rules = {
      {"dropped", "sshd dropped the connection before the banner (MaxStartups, penalty, tcp wrappers)", rule_dropped},
      {"negotiation", "no algorithm in common", rule_negotiation},
      {"banner", "the client sent no or no valid SSH banner", rule_banner},
      {"chroot", "ChrootDirectory has bad ownership or modes", rule_chroot},
      {"not_allowed", "sshd_config or the account forbids this user", rule_not_allowed},
      {"invalid_user", "no such user", rule_invalid_user},
      {"root", "PermitRootLogin refused root", rule_root},
      {"account", "PAM account checks: expired, locked", rule_account},
      {"keys_file", "authorized_keys problems sshd names", rule_keys_file},
      {"after_login", "logged in (success, or a forced/blocked session)", rule_after_login},
      {"timeout", "LoginGraceTime expired", rule_timeout},
      {"second_factor", "partial success, second method missing", rule_second_factor},
      {"failures", "failed attempts the log shows", rule_failures},
      {"methods_offered", "DEBUG3: the client left after the server listed its methods", rule_methods_offered},
      {"silent_close", "closed while authenticating, nothing else logged", rule_silent_close},
      {"closed_preauth", "closed before any login attempt", rule_closed_preauth},
      {"fallback", "nothing explains it", rule_fallback},
  };
  return rules;
}

Diagnosis diagnose_server(const ServerConnection& c) {
  Diagnosis d;
  for (const ServerRule& r : server_rules()) {
    if (r.apply(c, d)) break;
  }
  tidy(d);
  return d;
}

bool is_uninformative(std::string_view id) {
  // A peer that spoke another protocol never tried to log in: like a probe,
  // it does not answer "why did this login fail".
  return id == "insufficient_evidence" || id == "scanner_probe" || id == "not_an_ssh_server" || id == "success";
}

}  // namespace sshlogwhy
