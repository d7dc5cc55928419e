// Tests for the verdict rules (src/verdicts/client_rules.*): the order of
// the rule table (an earlier failure is the cause, whatever follows it), the
// choice between close causes, and diagnose_trace() picking the answer among
// several conversations (last attempt, failing jump host).
//
// Conversations are built by hand, with the events the rules cite, so each
// test isolates one decision; a few end-to-end checks use real captures.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "pipeline/diagnose.h"
#include "test_paths.h"
#include "verdicts/client_rules.h"

namespace sshlogwhy {
namespace {

namespace fs = std::filesystem;
using K = EventKind;

// A conversation and the events it points to (a deque keeps them in place).
struct Convo {
  std::deque<Event> store;
  ClientConversation c;

  Convo() {
    c.client = "openssh";
    c.user = "alice";
    c.host = "server.example";
    c.port = "22";
  }

  const Event* add(K kind, std::vector<std::pair<std::string, std::string>> fields = {}) {
    Event e;
    e.kind = kind;
    e.line_number = store.size() + 1;
    e.line_index = static_cast<uint32_t>(store.size());
    for (const auto& [name, value] : fields) e.fields.add(name, value);
    store.push_back(std::move(e));
    c.events.push_back(&store.back());
    if (c.first_line == 0) c.first_line = store.back().line_number;
    c.last_line = store.back().line_number;
    return &store.back();
  }

  // Up to the start of authentication: versions, kex, known host key.
  void reached_auth() {
    add(K::client_version, {{"version", "OpenSSH_9.2p1"}});
    c.client_version = "OpenSSH_9.2p1";
    add(K::remote_version, {{"version", "OpenSSH_9.2p1"}});
    c.remote_version = "OpenSSH_9.2p1";
    add(K::authenticating_as, {{"user", c.user}, {"host", c.host}, {"port", c.port}});
    add(K::server_host_key, {{"type", "ssh-ed25519"}, {"fingerprint", "SHA256:x"}});
    c.host_key_type = "ssh-ed25519";
    c.known_hosts = KnownHosts::kKnown;
    round("publickey,password");
    c.phase = Phase::kAuth;
  }

  void round(const std::string& methods) {
    const Event* e = add(K::auth_methods_can_continue, {{"methods", methods}});
    c.rounds.push_back(AuthRound{methods, e});
  }

  void tried(const std::string& method) {
    add(K::next_auth_method, {{"method", method}});
    c.methods_tried.push_back(method);
  }

  ClientKey& key(const std::string& path, KeyResult result, const std::string& type = "ED25519") {
    ClientKey k;
    k.path = path;
    k.type = type;
    k.fingerprint = "SHA256:" + path;
    k.result = result;
    if (result == KeyResult::kRefused || result == KeyResult::kOffered || result == KeyResult::kAccepted) {
      k.evidence.push_back(add(K::key_offering, {{"path", path}, {"type", type}, {"fingerprint", k.fingerprint}}));
    }
    c.keys.push_back(std::move(k));
    return c.keys.back();
  }

  void denied(const std::string& methods) {
    add(K::permission_denied, {{"user", c.user}, {"host", c.host}, {"methods", methods}});
    c.final_methods = methods;
    c.outcome = Outcome::kPermissionDenied;
    c.ended = true;
  }

  void disconnected(const std::string& reason) {
    add(K::received_disconnect, {{"code", "2"}, {"reason", reason}});
    c.disconnect_code = "2";
    c.disconnect_reason = reason;
    c.outcome = Outcome::kDisconnected;
    c.ended = true;
  }

  Diagnosis diagnose() const { return diagnose_client(c); }
};

bool has_alternative(const Diagnosis& d, const std::string& id) {
  return std::any_of(d.alternatives.begin(), d.alternatives.end(), [&](const Verdict& v) { return v.id == id; });
}

// ---------------------------------------------------------------------------
// The rule table itself
// ---------------------------------------------------------------------------

size_t rule_index(const std::string& name) {
  const auto& rules = client_rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].name == name) return i;
  }
  ADD_FAILURE() << "no rule named " << name;
  return rules.size();
}

TEST(ClientRules, TableIsOrderedByWhereAConnectionFails) {
  const auto& rules = client_rules();
  ASSERT_FALSE(rules.empty());
  std::set<std::string_view> names;
  for (const ClientRule& r : rules) {
    EXPECT_TRUE(names.insert(r.name).second) << "duplicate rule name " << r.name;
    EXPECT_FALSE(r.description.empty()) << r.name;
    EXPECT_NE(r.apply, nullptr) << r.name;
  }
  EXPECT_EQ(rules.back().name, "fallback");
  const std::vector<std::string> order = {"config", "dns", "tcp", "negotiation", "host_key", "after_login",
                                          "too_many_failures", "keys", "denied", "fallback"};
  for (size_t i = 1; i < order.size(); ++i) {
    EXPECT_LT(rule_index(order[i - 1]), rule_index(order[i])) << order[i - 1] << " must come before " << order[i];
  }
}

TEST(ClientRules, EmptyConversationFallsBackToInsufficientEvidence) {
  Convo v;
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "insufficient_evidence");
  EXPECT_EQ(d.verdict.rule, "fallback");
  EXPECT_EQ(d.verdict.confidence, Confidence::kLow);
}

// ---------------------------------------------------------------------------
// Earlier failures win over later symptoms
// ---------------------------------------------------------------------------

TEST(ClientRules, HostKeyFailureBeatsALaterDenial) {
  // StrictHostKeyChecking=no with a changed key: ssh goes on (passwords
  // disabled), the key is refused, "Permission denied" follows. The cause is
  // the host key, not the key.
  Convo v;
  v.reached_auth();
  v.c.known_hosts = KnownHosts::kChanged;
  v.c.known_hosts_path = "/home/alice/.ssh/known_hosts";
  v.c.known_hosts_line = "7";
  v.add(K::host_key_changed_warning);
  v.tried("publickey");
  v.key("/home/alice/.ssh/id_ed25519", KeyResult::kRefused);
  v.round("publickey,password");
  v.denied("publickey,password");

  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "host_key_changed");
  EXPECT_EQ(d.verdict.rule, "host_key.changed");
  EXPECT_EQ(d.verdict.get("known_hosts_line"), "7");
  EXPECT_EQ(d.verdict.get("known_hosts_path"), "/home/alice/.ssh/known_hosts");

  // Without the changed host key, the same conversation is a refused key.
  v.c.known_hosts = KnownHosts::kKnown;
  EXPECT_EQ(v.diagnose().verdict.id, "key_not_authorized");
}

TEST(ClientRules, ConfigErrorBeatsEverythingAfterIt) {
  Convo v;
  v.reached_auth();
  v.key("/home/alice/.ssh/id_ed25519", KeyResult::kRefused);
  v.denied("publickey");
  v.c.config_errors.push_back(v.add(K::config_bad_permissions, {{"path", "/home/alice/.ssh/config"}}));
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "client_config_bad_permissions");
  EXPECT_EQ(d.verdict.get("config_path"), "/home/alice/.ssh/config");
}

TEST(ClientRules, DnsFailureIsNotATcpFailure) {
  Convo v;
  v.add(K::client_version, {{"version", "OpenSSH_9.2p1"}});
  v.add(K::dns_failed, {{"host", "nosuch.example"}, {"reason", "Name or service not known"}});
  v.c.outcome = Outcome::kDnsFailed;
  v.c.failure_reason = "Name or service not known";
  EXPECT_EQ(v.diagnose().verdict.id, "dns_resolution_failed");
}

TEST(ClientRules, TcpFailureReasonsMapToTheirIds) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"Connection refused", "connection_refused"},
      {"Connection timed out", "connection_timed_out"},
      {"No route to host", "network_unreachable"},
      {"Network is unreachable", "network_unreachable"},
      {"Connection reset by peer", "connection_reset_before_banner"},
      {"something new", "insufficient_evidence"},
  };
  for (const auto& [reason, id] : cases) {
    Convo v;
    v.add(K::connect_failed, {{"host", "h"}, {"port", "22"}, {"reason", reason}});
    v.c.outcome = Outcome::kConnectFailed;
    v.c.failure_reason = reason;
    Diagnosis d = v.diagnose();
    EXPECT_EQ(d.verdict.id, id) << reason;
    EXPECT_EQ(d.verdict.rule, "tcp") << reason;
  }
}

TEST(ClientRules, KeyLoadFailureBeatsTheDenialItCaused) {
  Convo v;
  v.reached_auth();
  ClientKey& k = v.key("/home/alice/.ssh/id_ed25519", KeyResult::kLoadFailed);
  k.reason = "bad permissions (mode 0644)";
  v.denied("publickey");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "private_key_bad_permissions");
  EXPECT_EQ(d.verdict.get("key_path"), "/home/alice/.ssh/id_ed25519");
}

TEST(ClientRules, MissingNamedKeyBeatsRefusedDefaultKeys) {
  Convo v;
  v.reached_auth();
  ClientKey& missing = v.key("/home/alice/.ssh/work_key", KeyResult::kMissing);
  missing.reason = "No such file or directory";
  v.key("/home/alice/.ssh/id_rsa", KeyResult::kRefused, "RSA");
  v.denied("publickey");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "private_key_missing");
  EXPECT_TRUE(has_alternative(d, "key_not_authorized"));
}

// ---------------------------------------------------------------------------
// Close causes
// ---------------------------------------------------------------------------

TEST(ClientRules, TooManyFailuresWithPasswordsOnlyIsAWrongPassword) {
  Convo v;
  v.reached_auth();
  v.tried("password");
  v.add(K::password_retry);
  v.add(K::password_retry);
  v.c.password_failures = 2;
  v.disconnected("Too many authentication failures");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "wrong_password");
  EXPECT_EQ(d.verdict.rule, "too_many_failures.passwords");
  EXPECT_TRUE(has_alternative(d, "too_many_auth_failures"));
}

TEST(ClientRules, TooManyFailuresWithManyKeysIsTooManyKeys) {
  Convo v;
  v.reached_auth();
  v.tried("publickey");
  for (int i = 0; i < 6; ++i) v.key("agent key " + std::to_string(i), KeyResult::kRefused).from_agent = true;
  v.c.agent_keys = 6;
  v.disconnected("Too many authentication failures");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "too_many_auth_failures");
  EXPECT_EQ(d.verdict.get("count"), "6");
}

TEST(ClientRules, TooManyFailuresBeforeAuthenticationIsNotMaxAuthTries) {
  // A disconnect "Too many authentication failures" during key exchange
  // (a penalty from an earlier connection) is not this attempt's MaxAuthTries.
  Convo v;
  v.add(K::client_version, {{"version", "OpenSSH_9.2p1"}});
  v.add(K::remote_version, {{"version", "OpenSSH_9.2p1"}});
  v.c.remote_version = "OpenSSH_9.2p1";
  v.c.phase = Phase::kKex;
  v.disconnected("Too many authentication failures");
  Diagnosis d = v.diagnose();
  EXPECT_NE(d.verdict.id, "too_many_auth_failures");
  EXPECT_NE(d.verdict.id, "wrong_password");
}

TEST(ClientRules, PartialSuccessIsASecondFactorEvenAtMaxAuthTries) {
  Convo v;
  v.reached_auth();
  v.key("/home/alice/.ssh/id_ed25519", KeyResult::kAccepted);
  v.add(K::auth_partial_success, {{"method", "publickey"}});
  v.c.partial_success_method = "publickey";
  v.round("keyboard-interactive");
  v.disconnected("Too many authentication failures");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "second_factor_required");
  EXPECT_EQ(d.verdict.get("method"), "publickey");
}

TEST(ClientRules, RefusedKeysWithoutPasswordAreKeyNotAuthorized) {
  Convo v;
  v.reached_auth();
  v.tried("publickey");
  v.key("/home/alice/.ssh/id_ed25519", KeyResult::kRefused);
  v.key("/home/alice/.ssh/id_rsa", KeyResult::kRefused, "RSA");
  v.denied("publickey");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "key_not_authorized");
  EXPECT_EQ(d.verdict.rule, "denied.keys");
  EXPECT_EQ(d.verdict.get("count"), "2");
  EXPECT_EQ(d.verdict.get("key_path"), "/home/alice/.ssh/id_ed25519");
  EXPECT_TRUE(has_alternative(d, "user_does_not_exist"));
}

TEST(ClientRules, RefusedCertificateIsCertificateRejected) {
  Convo v;
  v.reached_auth();
  v.key("/home/alice/.ssh/id_ed25519-cert", KeyResult::kRefused, "ED25519-CERT");
  v.denied("publickey");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "certificate_rejected");
  EXPECT_TRUE(has_alternative(d, "key_not_authorized"));
}

TEST(ClientRules, FailedPasswordAfterRefusedKeyIsAWrongPassword) {
  Convo v;
  v.reached_auth();
  v.tried("publickey");
  v.key("/home/alice/.ssh/id_ed25519", KeyResult::kRefused);
  v.tried("password");
  v.add(K::password_retry);
  v.c.password_failures = 1;
  v.denied("publickey,password");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "wrong_password");
  EXPECT_TRUE(has_alternative(d, "key_not_authorized"));
}

TEST(ClientRules, RootWithARefusedKeyRanksRootLoginRefused) {
  Convo v;
  v.c.user = "root";
  v.reached_auth();
  v.key("/root/.ssh/id_ed25519", KeyResult::kRefused);
  v.denied("publickey");
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "key_not_authorized");
  EXPECT_TRUE(has_alternative(d, "root_login_refused"));
}

TEST(ClientRules, AcceptedKeyThenRefusedLoginForRootIsRootLoginRefused) {
  Convo v;
  v.c.user = "root";
  v.reached_auth();
  ClientKey& k = v.key("/root/.ssh/id_ed25519", KeyResult::kRefused);
  k.reason = "accepted, then the signed login was refused";
  v.c.signed_login_refused = true;
  v.denied("publickey");
  EXPECT_EQ(v.diagnose().verdict.id, "root_login_refused");
}

TEST(ClientRules, ServerWithoutPublickeyAndClientWithKeys) {
  Convo v;
  v.reached_auth();
  v.c.rounds.clear();
  v.round("password");
  v.key("/home/alice/.ssh/id_ed25519", KeyResult::kFound);
  v.denied("password");
  EXPECT_EQ(v.diagnose().verdict.id, "pubkey_auth_disabled");
}

TEST(ClientRules, AuthenticatedIsSuccessEvenAfterARefusedKey) {
  Convo v;
  v.reached_auth();
  v.key("/home/alice/.ssh/old_key", KeyResult::kRefused);
  v.tried("password");
  v.add(K::auth_succeeded, {{"method", "password"}});
  v.add(K::exit_status, {{"status", "0"}});
  v.c.outcome = Outcome::kAuthenticated;
  v.c.authenticated_method = "password";
  v.c.phase = Phase::kSession;
  Diagnosis d = v.diagnose();
  EXPECT_EQ(d.verdict.id, "success");
  EXPECT_EQ(d.verdict.get("method"), "password");
  bool noted = std::any_of(d.verdict.notes.begin(), d.verdict.notes.end(),
                           [](const std::string& n) { return n.find("old_key") != std::string::npos; });
  EXPECT_TRUE(noted) << "the refused key is mentioned";
}

TEST(ClientRules, VerdictNeverRepeatsItselfAsAnAlternativeAndEvidenceIsInOrder) {
  Convo v;
  v.reached_auth();
  v.tried("publickey");
  v.key("/home/alice/.ssh/id_ed25519", KeyResult::kRefused);
  v.denied("publickey");
  Diagnosis d = v.diagnose();
  for (const Verdict& a : d.alternatives) EXPECT_NE(a.id, d.verdict.id);
  for (size_t i = 1; i < d.verdict.evidence.size(); ++i) {
    EXPECT_LT(d.verdict.evidence[i - 1]->line_number, d.verdict.evidence[i]->line_number);
  }
  EXPECT_FALSE(d.verdict.evidence.empty());
}

// ---------------------------------------------------------------------------
// diagnose_trace: which conversation answers
// ---------------------------------------------------------------------------

TEST(DiagnoseTrace, TheLastAttemptWins) {
  Convo fail;
  fail.reached_auth();
  fail.key("/k", KeyResult::kRefused);
  fail.denied("publickey");
  Convo ok;
  ok.reached_auth();
  ok.add(K::auth_succeeded, {{"method", "publickey"}});
  ok.add(K::exit_status, {{"status", "0"}});
  ok.c.outcome = Outcome::kAuthenticated;

  TraceDiagnosis t = diagnose_trace({fail.c, ok.c});
  EXPECT_EQ(t.conversation_index, 1u);
  EXPECT_EQ(t.overall.verdict.id, "success");
  ASSERT_EQ(t.per_conversation.size(), 2u);
  EXPECT_EQ(t.per_conversation[0].verdict.id, "key_not_authorized");

  TraceDiagnosis r = diagnose_trace({ok.c, fail.c});
  EXPECT_EQ(r.conversation_index, 1u);
  EXPECT_EQ(r.overall.verdict.id, "key_not_authorized");
}

TEST(DiagnoseTrace, AFailingJumpHostIsTheCause) {
  Convo target;
  target.c.host.clear();  // the target's own trace never got far enough to say
  target.c.port.clear();
  target.c.proxy_command = "ssh -W '[10.0.0.2]:22' jump.example";
  target.add(K::client_version, {{"version", "OpenSSH_9.2p1"}});
  target.add(K::connection_closed_by, {});
  target.c.outcome = Outcome::kConnectionClosed;
  target.c.phase = Phase::kBanner;
  Convo jump;
  jump.c.hop = 1;
  jump.c.host = "jump.example";
  jump.reached_auth();
  jump.key("/k", KeyResult::kRefused);
  jump.denied("publickey");

  TraceDiagnosis t = diagnose_trace({target.c, jump.c});
  EXPECT_EQ(t.overall.verdict.id, "proxy_jump_failed");
  EXPECT_EQ(t.conversation_index, 1u);
  EXPECT_EQ(t.overall.verdict.get("reason"), "key_not_authorized");
  EXPECT_NE(t.overall.verdict.get("hop").find("jump.example"), std::string::npos) << t.overall.verdict.get("hop");
  EXPECT_EQ(t.overall.verdict.get("host"), "10.0.0.2") << "the target is named from the proxy command";
  bool hop_cause_ranked = std::any_of(t.overall.alternatives.begin(), t.overall.alternatives.end(),
                                      [](const Verdict& v) { return v.id == "key_not_authorized"; });
  EXPECT_TRUE(hop_cause_ranked);
}

TEST(DiagnoseTrace, ASuccessfulJumpHostLeavesTheTargetsVerdict) {
  Convo target;
  target.reached_auth();
  target.key("/k", KeyResult::kRefused);
  target.denied("publickey");
  Convo jump;
  jump.c.hop = 1;
  jump.reached_auth();
  jump.add(K::auth_succeeded, {{"method", "publickey"}});
  jump.c.outcome = Outcome::kAuthenticated;
  TraceDiagnosis t = diagnose_trace({target.c, jump.c});
  EXPECT_EQ(t.overall.verdict.id, "key_not_authorized");
  EXPECT_EQ(t.conversation_index, 0u);
}

TEST(DiagnoseTrace, NoConversations) {
  TraceDiagnosis t = diagnose_trace({});
  EXPECT_TRUE(t.per_conversation.empty());
}

// End to end on real captures.
TEST(DiagnoseTrace, RealProxyJumpWithAFailingHop) {
  static Result<std::unique_ptr<PatternDb>> db = load_pattern_db({});
  ASSERT_TRUE(db.ok());
  std::string path = (fs::path(testing::source_dir()) / "corpus/lab/proxy-jump-auth-failed/ssh-vvv.txt").string();
  Result<Analysis> a = diagnose({path}, *db.value(), DiagnoseOptions{});
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  const TraceDiagnosis& t = a.value().diagnosis;
  EXPECT_EQ(t.overall.verdict.id, "proxy_jump_failed");
  ASSERT_LT(t.conversation_index, a.value().conversations.size());
  EXPECT_EQ(a.value().conversations[t.conversation_index].hop, 1);
  EXPECT_EQ(t.overall.verdict.get("reason"), "key_not_authorized");
}

}  // namespace
}  // namespace sshlogwhy
