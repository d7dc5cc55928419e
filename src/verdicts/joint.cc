#include "verdicts/joint.h"

#include <algorithm>
#include <string>

#include "verdicts/server_rules.h"

namespace sshlogwhy {
namespace {

// Client verdicts that only describe a symptom the server can explain.
bool client_can_only_guess(const std::string& id) {
  for (const char* x : {"key_not_authorized", "wrong_password", "insufficient_evidence", "certificate_rejected",
                        "key_algorithm_rejected_by_server", "connection_closed_before_banner",
                        "connection_reset_before_banner", "user_does_not_exist", "account_locked"}) {
    if (id == x) return true;
  }
  return false;
}

bool failed(const ServerConnection& c) { return c.outcome != ServerOutcome::kAuthenticated; }

}  // namespace

int64_t match_server_connection(const ClientConversation& client, const std::vector<ServerCandidate>& server) {
  int64_t best = -1;
  int best_score = 0;
  bool client_ok = client.outcome == Outcome::kAuthenticated;
  for (size_t i = 0; i < server.size(); ++i) {
    const ServerConnection& s = *server[i].connection;
    int score = 0;
    if (!client.user.empty() && s.user == client.user) score += 3;
    for (const ClientKey& k : client.keys) {
      if (k.fingerprint.empty()) continue;
      for (const ServerAuthAttempt& a : s.attempts) {
        if (a.fingerprint == k.fingerprint) score += 5;
      }
    }
    if (!client.port.empty() && s.server_port == client.port) score += 2;
    if (failed(s) != client_ok) score += 1;  // same kind of ending
    // Later connections win ties: the user usually pastes the last attempt.
    if (score >= 3 && score >= best_score) {
      best = static_cast<int64_t>(i);
      best_score = score;
    }
  }
  return best;
}

Diagnosis join_diagnoses(const Diagnosis& client, const ClientConversation& cc, const Diagnosis& server,
                         const ServerConnection& sc) {
  Diagnosis out;
  // After a login that worked, only the server sees a forced SFTP session,
  // a chroot that failed or a refused forward.
  bool post_login = client.verdict.id == "success" &&
                    (server.verdict.id == "sftp_only_account" || server.verdict.id == "chroot_bad_ownership" ||
                     server.verdict.id == "proxy_jump_failed");
  // A client trace that cannot say how it ended, with a server that saw
  // the login succeed: it succeeded.
  bool server_saw_success = client.verdict.id == "insufficient_evidence" && server.verdict.id == "success";
  bool server_knows = (!is_uninformative(server.verdict.id) && client_can_only_guess(client.verdict.id)) ||
                      post_login || server_saw_success;
  std::string where = "the server's log (connection from " + sc.source_ip +
                      (sc.source_port.empty() ? "" : " port " + sc.source_port) + ", line " +
                      std::to_string(sc.first_line) + ")";
  if (server_knows) {
    out.verdict = server.verdict;
    out.verdict.confidence = Confidence::kHigh;
    out.verdict.rule = "joint:" + server.verdict.rule;
    for (const auto& [k, v] : client.verdict.vars) {
      // The server knows a key only by type and fingerprint; the client's
      // file path is what the fix commands (ssh-keygen -y -f ...) need.
      if (out.verdict.get(k).empty() || k == "key_path") out.verdict.set(k, v);
    }
    for (const Event* e : client.verdict.evidence) out.verdict.cite(e);
    out.verdict.notes.insert(out.verdict.notes.begin(),
                             "The client saw " + client.verdict.id + "; " + where + " says why: " + server.verdict.id + ".");
    for (const Verdict& a : server.alternatives) out.alternatives.push_back(a);
  } else {
    out.verdict = client.verdict;
    out.verdict.rule = "joint:" + client.verdict.rule;
    for (const Event* e : server.verdict.evidence) out.verdict.cite(e);
    if (!is_uninformative(server.verdict.id) && server.verdict.id != client.verdict.id) {
      out.verdict.notes.push_back(where + " reports " + server.verdict.id + ".");
    } else {
      out.verdict.notes.push_back("Matched with " + where + ", which agrees.");
    }
    if (client.verdict.confidence == Confidence::kMedium && server.verdict.id == client.verdict.id) {
      out.verdict.confidence = Confidence::kHigh;
    }
    out.alternatives = client.alternatives;
  }
  tidy(out);
  (void)cc;
  return out;
}

int64_t pick_server_answer(const std::vector<ServerCandidate>& server) {
  int64_t informative = -1, any_failure = -1;
  for (size_t i = 0; i < server.size(); ++i) {
    const ServerConnection& c = *server[i].connection;
    if (!failed(c)) continue;
    any_failure = static_cast<int64_t>(i);
    if (!is_uninformative(server[i].diagnosis->verdict.id)) informative = static_cast<int64_t>(i);
  }
  if (informative >= 0) return informative;
  if (any_failure >= 0) return any_failure;
  return server.empty() ? -1 : static_cast<int64_t>(server.size() - 1);
}

}  // namespace sshlogwhy
