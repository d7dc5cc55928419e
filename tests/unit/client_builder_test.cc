// Tests for the conversation builder (src/conversations/client_builder.*):
// the facts it rebuilds from real lab captures (keys and what happened to
// each, the host key and known_hosts, server-sig-algs, auth rounds, partial
// success), how it splits ProxyJump hops and pasted attempts, and, with
// hand-built events, the routing rules that real traces rarely isolate.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "conversations/client_builder.h"
#include "pipeline/diagnose.h"
#include "test_paths.h"

namespace sshlogwhy {
namespace {

namespace fs = std::filesystem;

const PatternDb& db() {
  static Result<std::unique_ptr<PatternDb>> d = load_pattern_db({});
  EXPECT_TRUE(d.ok()) << (d.ok() ? "" : d.error().to_string());
  if (!d.ok()) std::abort();
  return *d.value();
}

std::string lab(const std::string& scenario, const std::string& file) {
  return (fs::path(testing::source_dir()) / "corpus" / "lab" / scenario / file).string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The whole pipeline on one text; the builder's output is in .conversations.
Analysis analyse_text(const std::string& name, const std::string& text) {
  Result<Analysis> a = diagnose_text(name, text, db(), DiagnoseOptions{});
  EXPECT_TRUE(a.ok()) << (a.ok() ? "" : a.error().to_string());
  if (!a.ok()) return Analysis{};
  return std::move(a).value();
}

Analysis analyse(const std::string& scenario, const std::string& file) {
  return analyse_text(scenario + "/" + file, slurp(lab(scenario, file)));
}

// An independent oracle: what the raw text of a capture says, found with
// plain string searches (not the product's patterns), so the tests keep
// working when the lab is captured again with new keys, ports and lines.
struct RawLine {
  uint64_t number = 0;  // 1-based; 0 = not found
  std::string text;     // without CR
};

std::vector<RawLine> raw_lines_with(const std::string& text, std::string_view needle) {
  std::vector<RawLine> out;
  std::istringstream in(text);
  uint64_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find(needle) != std::string::npos) out.push_back(RawLine{n, line});
  }
  return out;
}

RawLine raw_line_with(const std::string& text, std::string_view needle) {
  std::vector<RawLine> all = raw_lines_with(text, needle);
  EXPECT_FALSE(all.empty()) << "the capture has no line with \"" << needle << "\"";
  return all.empty() ? RawLine{} : all.front();
}

uint64_t raw_line_count(const std::string& text) {
  uint64_t n = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

// The first whitespace-separated word that starts with `prefix`.
std::string word_starting(const std::string& line, std::string_view prefix) {
  std::istringstream in(line);
  for (std::string w; in >> w;) {
    if (w.rfind(prefix, 0) == 0) return w;
  }
  return {};
}

// "debug1: Authenticating to 127.0.0.1:46138 as 'labuser'" -> "46138".
std::string port_of_authenticating_line(const std::string& line) {
  size_t to = line.find("Authenticating to ");
  if (to == std::string::npos) return {};
  to += 18;
  std::string target = line.substr(to, line.find(' ', to) - to);
  return target.substr(target.rfind(':') + 1);
}

// The rest of the line after `marker`.
std::string after(const std::string& line, std::string_view marker) {
  size_t at = line.find(marker);
  return at == std::string::npos ? std::string() : line.substr(at + marker.size());
}

// "debug1: Found key in /path/known_hosts:4" -> {"/path/known_hosts", "4"}.
std::pair<std::string, std::string> found_key_in(const std::string& line) {
  std::string where = line.substr(line.find("Found key in ") + 13);
  size_t colon = where.rfind(':');
  return {where.substr(0, colon), where.substr(colon + 1)};
}

const ClientKey* key_ending(const ClientConversation& c, std::string_view suffix) {
  for (const ClientKey& k : c.keys) {
    if (k.path.size() >= suffix.size() && k.path.compare(k.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return &k;
    }
  }
  return nullptr;
}

std::vector<std::string> round_methods(const ClientConversation& c) {
  std::vector<std::string> out;
  for (const AuthRound& r : c.rounds) out.push_back(r.methods);
  return out;
}

// ---------------------------------------------------------------------------
// Facts from real captures
// ---------------------------------------------------------------------------

TEST(ClientBuilder, RefusedKeyAndItsEvidence) {
  std::string raw = slurp(lab("key-not-authorized", "ssh-vvv.txt"));
  RawLine offering = raw_line_with(raw, "Offering public key: ");
  RawLine authenticating = raw_line_with(raw, "Authenticating to ");
  Analysis a = analyse("key-not-authorized", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientConversation& c = a.conversations[0];
  EXPECT_EQ(c.client, "openssh");
  EXPECT_EQ(c.hop, 0);
  EXPECT_EQ(c.user, "labuser");
  EXPECT_EQ(c.host, "127.0.0.1");
  EXPECT_EQ(c.port, port_of_authenticating_line(authenticating.text));
  EXPECT_EQ(c.client_version, raw.substr(0, raw.find(',')));
  EXPECT_EQ(c.remote_version, after(raw_line_with(raw, "remote software version ").text, "remote software version "));
  EXPECT_FALSE(c.remote_version.empty());
  EXPECT_EQ(c.outcome, Outcome::kPermissionDenied);
  EXPECT_EQ(c.final_methods, "publickey,password");
  EXPECT_EQ(c.first_line, 1u);
  EXPECT_EQ(c.last_line, raw_line_with(raw, "Permission denied (").number);
  EXPECT_EQ(c.last_line, raw_line_count(raw));

  const ClientKey* k = key_ending(c, "/keys/other_ed25519");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->result, KeyResult::kRefused);
  EXPECT_EQ(k->type, "ED25519");
  EXPECT_EQ(k->fingerprint, word_starting(offering.text, "SHA256:"));
  EXPECT_FALSE(k->fingerprint.empty());
  EXPECT_FALSE(k->from_agent);
  bool offering_cited = false;
  for (const Event* e : k->evidence) {
    offering_cited |= e->kind == EventKind::key_offering && e->line_number == offering.number;
  }
  EXPECT_TRUE(offering_cited) << "the Offering line (" << offering.number << ") is the key's evidence";
  // The "-cert" companion that does not exist is not a key of the user's.
  EXPECT_EQ(key_ending(c, "other_ed25519-cert"), nullptr);
}

TEST(ClientBuilder, HostKeyKnownWithFileAndLine) {
  std::string raw = slurp(lab("key-not-authorized", "ssh-vvv.txt"));
  auto [kh_path, kh_line] = found_key_in(raw_line_with(raw, "Found key in ").text);
  Analysis a = analyse("key-not-authorized", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientConversation& c = a.conversations[0];
  EXPECT_EQ(c.known_hosts, KnownHosts::kKnown);
  EXPECT_EQ(c.known_hosts_path, kh_path);
  EXPECT_EQ(c.known_hosts_path, "/srv/sshlogwhy-lab/home/labclient/.ssh/known_hosts");
  EXPECT_EQ(c.known_hosts_line, kh_line);
  EXPECT_FALSE(c.known_hosts_line.empty());
  EXPECT_EQ(c.host_key_type, "ssh-ed25519");
  EXPECT_EQ(c.host_key_fingerprint, word_starting(raw_line_with(raw, "Server host key: ").text, "SHA256:"));
  EXPECT_FALSE(c.host_key_fingerprint.empty());
  EXPECT_EQ(c.kex, after(raw_line_with(raw, "kex: algorithm: ").text, "kex: algorithm: "));
  EXPECT_FALSE(c.kex.empty());
  EXPECT_EQ(c.host_key_algorithm, "ssh-ed25519");
  EXPECT_EQ(c.cipher_ctos, "chacha20-poly1305@openssh.com");
  EXPECT_EQ(c.cipher_stoc, "chacha20-poly1305@openssh.com");
}

TEST(ClientBuilder, ServerSigAlgsAndAuthRounds) {
  std::string raw = slurp(lab("key-not-authorized", "ssh-vvv.txt"));
  std::string sig_line = raw_line_with(raw, "server-sig-algs=<").text;
  std::string expected_algs = sig_line.substr(sig_line.find("=<") + 2);
  expected_algs = expected_algs.substr(0, expected_algs.find('>'));
  std::vector<RawLine> rounds = raw_lines_with(raw, "Authentications that can continue: ");
  ASSERT_EQ(rounds.size(), 2u) << "the capture itself changed shape";

  Analysis a = analyse("key-not-authorized", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientConversation& c = a.conversations[0];
  EXPECT_EQ(c.server_sig_algs, expected_algs);
  EXPECT_EQ(c.server_sig_algs.rfind("ssh-ed25519,", 0), 0u) << c.server_sig_algs;
  EXPECT_NE(c.server_sig_algs.find("rsa-sha2-512"), std::string::npos);
  // One round before the key, one after the refusal.
  EXPECT_EQ(round_methods(c), (std::vector<std::string>{"publickey,password", "publickey,password"}));
  ASSERT_EQ(c.rounds.size(), 2u);
  EXPECT_EQ(c.rounds[0].event->line_number, rounds[0].number);
  EXPECT_EQ(c.rounds[1].event->line_number, rounds[1].number);
  EXPECT_LT(c.rounds[0].event->line_number, raw_line_with(raw, "Offering public key: ").number);
  EXPECT_GT(c.rounds[1].event->line_number, raw_line_with(raw, "Offering public key: ").number);
  EXPECT_EQ(c.methods_tried, (std::vector<std::string>{"publickey"}));
  EXPECT_TRUE(c.partial_success_method.empty());
  EXPECT_TRUE(c.authenticated_method.empty());
}

TEST(ClientBuilder, ServerSigAlgsAbsentWithoutTheLine) {
  // The same capture without the ext-info line: the fact stays unknown.
  std::string text = slurp(lab("key-not-authorized", "ssh-vvv.txt"));
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.find("server-sig-algs=") == std::string::npos) out += line + "\n";
  }
  Analysis a = analyse_text("no-ext-info", out);
  ASSERT_EQ(a.conversations.size(), 1u);
  EXPECT_TRUE(a.conversations[0].server_sig_algs.empty());
}

TEST(ClientBuilder, FirstKeyRefusedSecondAccepted) {
  Analysis a = analyse("success-second-key-accepted", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientConversation& c = a.conversations[0];
  const ClientKey* other = key_ending(c, "/keys/other_ed25519");
  const ClientKey* right = key_ending(c, "/keys/id_ed25519");
  ASSERT_NE(other, nullptr);
  ASSERT_NE(right, nullptr);
  EXPECT_EQ(other->result, KeyResult::kRefused);
  EXPECT_EQ(right->result, KeyResult::kAccepted);
  EXPECT_EQ(c.outcome, Outcome::kAuthenticated);
  EXPECT_EQ(c.authenticated_method, "publickey");
  EXPECT_EQ(c.phase, Phase::kSession);
}

TEST(ClientBuilder, SeveralAgentKeysRefusedUntilDisconnect) {
  Analysis a = analyse("too-many-auth-failures", "plink-v.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientConversation& c = a.conversations[0];
  EXPECT_EQ(c.client, "putty");
  ASSERT_GE(c.keys.size(), 2u);
  for (const ClientKey& k : c.keys) {
    EXPECT_TRUE(k.from_agent) << k.path;
    EXPECT_EQ(k.result, KeyResult::kRefused) << k.path;
  }
  EXPECT_EQ(c.outcome, Outcome::kDisconnected);
  EXPECT_EQ(c.disconnect_code, "2");
  EXPECT_EQ(c.disconnect_reason, "Too many authentication failures");
}

TEST(ClientBuilder, SkippedKeyKeepsTheClientsReason) {
  Analysis a = analyse("client-key-algorithm-disabled", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientKey* k = key_ending(a.conversations[0], "/keys/id_ed25519");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->result, KeyResult::kSkipped);
  EXPECT_NE(k->reason.find("PubkeyAcceptedAlgorithms"), std::string::npos) << k->reason;
}

TEST(ClientBuilder, NamedKeyFileMissing) {
  Analysis a = analyse("private-key-missing", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientKey* k = key_ending(a.conversations[0], "/.ssh/id_ed25519_work");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->result, KeyResult::kMissing);
  EXPECT_NE(k->reason.find("No such file"), std::string::npos) << k->reason;
}

TEST(ClientBuilder, KeyWithBadPermissionsFailedToLoad) {
  Analysis a = analyse("private-key-bad-permissions", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientKey* k = key_ending(a.conversations[0], "/keys/id_ed25519_copy");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->result, KeyResult::kLoadFailed);
  EXPECT_NE(k->reason.find("bad permissions"), std::string::npos) << k->reason;
}

TEST(ClientBuilder, PartialSuccessThenSecondFactor) {
  Analysis a = analyse("second-factor-required", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientConversation& c = a.conversations[0];
  EXPECT_EQ(c.partial_success_method, "publickey");
  EXPECT_EQ(round_methods(c), (std::vector<std::string>{"publickey", "password"}));
  const ClientKey* k = key_ending(c, "/keys/id_ed25519");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->result, KeyResult::kAccepted) << "the key was accepted; the second factor was missing";
  EXPECT_FALSE(c.signed_login_refused);
  EXPECT_EQ(c.outcome, Outcome::kPermissionDenied);
}

TEST(ClientBuilder, PuttyPartialSuccess) {
  Analysis a = analyse("second-factor-required", "plink-v.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  EXPECT_EQ(a.conversations[0].client, "putty");
  EXPECT_EQ(a.conversations[0].partial_success_method, "publickey");
}

TEST(ClientBuilder, HostKeyAddedOnFirstConnection) {
  Analysis a = analyse("success-first-connect-accept-new", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  EXPECT_EQ(a.conversations[0].known_hosts, KnownHosts::kAdded);
  EXPECT_EQ(a.conversations[0].outcome, Outcome::kAuthenticated);
}

TEST(ClientBuilder, HostKeyChangedNamesTheOffendingLine) {
  Analysis a = analyse("host-key-changed", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientConversation& c = a.conversations[0];
  EXPECT_EQ(c.known_hosts, KnownHosts::kChanged);
  EXPECT_EQ(c.known_hosts_path, "/srv/sshlogwhy-lab/home/labclient/.ssh/known_hosts");
  EXPECT_EQ(c.known_hosts_line, "1");
  EXPECT_EQ(c.outcome, Outcome::kHostKeyRejected);
  EXPECT_TRUE(c.rounds.empty()) << "authentication never started";
}

TEST(ClientBuilder, PasswordFailuresAreCounted) {
  Analysis a = analyse("wrong-password", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 1u);
  const ClientConversation& c = a.conversations[0];
  EXPECT_EQ(c.methods_tried, (std::vector<std::string>{"password"}));
  EXPECT_GE(c.password_failures, 1);
  EXPECT_EQ(c.outcome, Outcome::kPermissionDenied);
}

// ---------------------------------------------------------------------------
// Several conversations in one input
// ---------------------------------------------------------------------------

TEST(ClientBuilder, ProxyJumpSplitsIntoTwoAuthenticatedHops) {
  // In the raw text the jump host authenticates first, then the target.
  std::string raw = slurp(lab("proxy-jump-success", "ssh-v.txt"));
  std::vector<RawLine> auth_lines = raw_lines_with(raw, "Authenticating to ");
  std::vector<RawLine> found_lines = raw_lines_with(raw, "Found key in ");
  ASSERT_EQ(auth_lines.size(), 2u);
  ASSERT_EQ(found_lines.size(), 2u);
  std::string jump_port = port_of_authenticating_line(auth_lines[0].text);
  std::string target_port = port_of_authenticating_line(auth_lines[1].text);
  ASSERT_NE(jump_port, target_port);
  Analysis a = analyse("proxy-jump-success", "ssh-v.txt");
  ASSERT_EQ(a.conversations.size(), 2u);
  const ClientConversation* target = nullptr;
  const ClientConversation* jump = nullptr;
  for (const ClientConversation& c : a.conversations) (c.hop == 0 ? target : jump) = &c;
  ASSERT_NE(target, nullptr);
  ASSERT_NE(jump, nullptr);
  EXPECT_EQ(jump->hop, 1);
  EXPECT_EQ(target->outcome, Outcome::kAuthenticated);
  EXPECT_EQ(jump->outcome, Outcome::kAuthenticated);
  // Each hop has its own port and its own known_hosts line.
  EXPECT_EQ(jump->port, jump_port);
  EXPECT_EQ(target->port, target_port);
  EXPECT_EQ(jump->known_hosts_line, found_key_in(found_lines[0].text).second);
  EXPECT_EQ(target->known_hosts_line, found_key_in(found_lines[1].text).second);
  EXPECT_NE(target->proxy_command.find(target_port), std::string::npos) << "-W names the target's port";
  EXPECT_FALSE(target->proxy_command.empty());
  EXPECT_NE(target->proxy_command.find("-W"), std::string::npos) << target->proxy_command;
  // Each hop offered and got accepted its key once.
  for (const ClientConversation* c : {target, jump}) {
    const ClientKey* k = key_ending(*c, "/keys/id_ed25519");
    ASSERT_NE(k, nullptr) << "hop " << c->hop;
    EXPECT_EQ(k->result, KeyResult::kAccepted) << "hop " << c->hop;
    EXPECT_EQ(c->rounds.size(), 1u) << "hop " << c->hop;
  }
  // No event is in both hops.
  for (const Event* e : target->events) {
    for (const Event* f : jump->events) ASSERT_NE(e, f) << "line " << e->line_number << " in both hops";
  }
  EXPECT_EQ(a.answer.verdict.id, "success");
}

TEST(ClientBuilder, ProxyJumpFailingHopKeepsItsOwnFacts) {
  Analysis a = analyse("proxy-jump-auth-failed", "ssh-vvv.txt");
  ASSERT_EQ(a.conversations.size(), 2u);
  const ClientConversation* jump = nullptr;
  for (const ClientConversation& c : a.conversations) {
    if (c.hop == 1) jump = &c;
  }
  ASSERT_NE(jump, nullptr);
  EXPECT_EQ(jump->outcome, Outcome::kPermissionDenied);
  const ClientKey* k = key_ending(*jump, "/keys/id_ed25519");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->result, KeyResult::kRefused);
}

TEST(ClientBuilder, TwoPastedAttemptsAreTwoConversations) {
  std::string text = slurp(lab("key-not-authorized", "ssh-vvv.txt"));
  size_t first_lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  std::string first_port = port_of_authenticating_line(raw_line_with(text, "Authenticating to ").text);
  std::string second_text = slurp(lab("success-pubkey", "ssh-vvv.txt"));
  std::string second_port = port_of_authenticating_line(raw_line_with(second_text, "Authenticating to ").text);
  text += second_text;
  Analysis a = analyse_text("two-attempts", text);
  ASSERT_EQ(a.conversations.size(), 2u);
  const ClientConversation& first = a.conversations[0];
  const ClientConversation& second = a.conversations[1];
  EXPECT_EQ(first.hop, 0);
  EXPECT_EQ(second.hop, 0);
  EXPECT_EQ(first.outcome, Outcome::kPermissionDenied);
  EXPECT_EQ(second.outcome, Outcome::kAuthenticated);
  EXPECT_EQ(first.port, first_port);
  EXPECT_EQ(second.port, second_port);
  EXPECT_LE(first.last_line, first_lines);
  EXPECT_GT(second.first_line, first_lines);
  // The refused key belongs to the first attempt only.
  ASSERT_NE(key_ending(first, "/keys/other_ed25519"), nullptr);
  EXPECT_EQ(key_ending(second, "/keys/other_ed25519"), nullptr);
  EXPECT_EQ(key_ending(second, "/keys/id_ed25519")->result, KeyResult::kAccepted);
  // The answer is about the last attempt.
  EXPECT_EQ(a.diagnosis.conversation_index, 1u);
  EXPECT_EQ(a.answer.verdict.id, "success");
  EXPECT_EQ(a.diagnosis.per_conversation[0].verdict.id, "key_not_authorized");
}

TEST(ClientBuilder, ThreePastedAttemptsAreThreeConversations) {
  std::string text = slurp(lab("connection-refused", "ssh-v.txt")) + slurp(lab("key-not-authorized", "ssh-v.txt")) +
                     slurp(lab("success-pubkey", "ssh-v.txt"));
  Analysis a = analyse_text("three-attempts", text);
  ASSERT_EQ(a.conversations.size(), 3u);
  EXPECT_EQ(a.conversations[0].outcome, Outcome::kConnectFailed);
  EXPECT_EQ(a.conversations[1].outcome, Outcome::kPermissionDenied);
  EXPECT_EQ(a.conversations[2].outcome, Outcome::kAuthenticated);
  EXPECT_EQ(a.diagnosis.conversation_index, 2u);
}

// ---------------------------------------------------------------------------
// Hand-built event sequences (what the patterns would produce)
// ---------------------------------------------------------------------------

Event ev(EventKind kind, uint64_t line, std::vector<std::pair<std::string, std::string>> fields = {}, uint8_t level = 1) {
  Event e;
  e.kind = kind;
  e.line_number = line;
  e.line_index = static_cast<uint32_t>(line - 1);
  e.level = level;
  for (const auto& [name, value] : fields) e.fields.add(name, value);
  return e;
}

using K = EventKind;

TEST(ClientBuilderEvents, OfferedKeyWithoutAnswerStaysOffered) {
  std::vector<Event> events = {
      ev(K::client_version, 1, {{"version", "OpenSSH_9.2p1"}, {"tls", "OpenSSL 3.0"}}, 0),
      ev(K::authenticating_as, 2, {{"host", "h"}, {"port", "22"}, {"user", "u"}}),
      ev(K::auth_methods_can_continue, 3, {{"methods", "publickey"}}),
      ev(K::key_offering, 4, {{"path", "/k/a"}, {"type", "ED25519"}, {"fingerprint", "SHA256:a"}}),
  };
  std::vector<ClientConversation> convs = build_client_conversations(events, "openssh");
  ASSERT_EQ(convs.size(), 1u);
  ASSERT_EQ(convs[0].keys.size(), 1u);
  EXPECT_EQ(convs[0].keys[0].result, KeyResult::kOffered);
  EXPECT_EQ(convs[0].outcome, Outcome::kUnknown);
  EXPECT_FALSE(convs[0].ended);
}

TEST(ClientBuilderEvents, NextCanContinueRefusesTheOffer) {
  std::vector<Event> events = {
      ev(K::client_version, 1, {{"version", "OpenSSH_9.2p1"}}, 0),
      ev(K::auth_methods_can_continue, 2, {{"methods", "publickey,password"}}),
      ev(K::key_offering, 3, {{"path", "/k/a"}, {"type", "ED25519"}, {"fingerprint", "SHA256:a"}}),
      ev(K::auth_methods_can_continue, 4, {{"methods", "publickey,password"}}),
      ev(K::key_offering, 5, {{"path", "/k/b"}, {"type", "RSA"}, {"fingerprint", "SHA256:b"}}),
      ev(K::key_accepted_by_server, 6, {{"path", "/k/b"}, {"type", "RSA"}, {"fingerprint", "SHA256:b"}}),
      ev(K::auth_succeeded, 7, {{"method", "publickey"}}, 0),
  };
  std::vector<ClientConversation> convs = build_client_conversations(events, "openssh");
  ASSERT_EQ(convs.size(), 1u);
  const ClientConversation& c = convs[0];
  ASSERT_EQ(c.keys.size(), 2u);
  EXPECT_EQ(key_ending(c, "/k/a")->result, KeyResult::kRefused);
  EXPECT_EQ(key_ending(c, "/k/b")->result, KeyResult::kAccepted);
  EXPECT_EQ(c.outcome, Outcome::kAuthenticated);
  EXPECT_EQ(c.authenticated_method, "publickey");
  EXPECT_EQ(c.rounds.size(), 2u);
}

TEST(ClientBuilderEvents, AcceptedKeyThenCanContinueIsARefusedSignedLogin) {
  // "Server accepts key" and then another "can continue" without partial
  // success: the key is authorized, the login made with it was refused.
  std::vector<Event> events = {
      ev(K::client_version, 1, {{"version", "OpenSSH_9.2p1"}}, 0),
      ev(K::authenticating_as, 2, {{"host", "h"}, {"port", "22"}, {"user", "root"}}),
      ev(K::auth_methods_can_continue, 3, {{"methods", "publickey"}}),
      ev(K::key_offering, 4, {{"path", "/k/a"}, {"type", "ED25519"}, {"fingerprint", "SHA256:a"}}),
      ev(K::key_accepted_by_server, 5, {{"path", "/k/a"}, {"type", "ED25519"}, {"fingerprint", "SHA256:a"}}),
      ev(K::auth_methods_can_continue, 6, {{"methods", "publickey"}}),
      ev(K::permission_denied, 7, {{"user", "root"}, {"host", "h"}, {"methods", "publickey"}}, 0),
  };
  std::vector<ClientConversation> convs = build_client_conversations(events, "openssh");
  ASSERT_EQ(convs.size(), 1u);
  EXPECT_TRUE(convs[0].signed_login_refused);
  EXPECT_EQ(convs[0].keys[0].result, KeyResult::kRefused);
  EXPECT_EQ(convs[0].outcome, Outcome::kPermissionDenied);
}

TEST(ClientBuilderEvents, SecondClientVersionWithoutProxyStartsANewConversation) {
  std::vector<Event> events = {
      ev(K::client_version, 1, {{"version", "OpenSSH_9.2p1"}}, 0),
      ev(K::connecting, 2, {{"host", "a"}, {"address", "10.0.0.1"}, {"port", "22"}}),
      ev(K::connect_failed, 3, {{"host", "a"}, {"port", "22"}, {"reason", "Connection refused"}}, 0),
      ev(K::client_version, 4, {{"version", "OpenSSH_9.2p1"}}, 0),
      ev(K::connecting, 5, {{"host", "b"}, {"address", "10.0.0.2"}, {"port", "2222"}}),
  };
  std::vector<ClientConversation> convs = build_client_conversations(events, "openssh");
  ASSERT_EQ(convs.size(), 2u);
  EXPECT_EQ(convs[0].host, "a");
  EXPECT_EQ(convs[0].outcome, Outcome::kConnectFailed);
  EXPECT_EQ(convs[1].host, "b");
  EXPECT_EQ(convs[1].port, "2222");
  EXPECT_EQ(convs[1].hop, 0);
  EXPECT_EQ(convs[1].first_line, 4u);
}

TEST(ClientBuilderEvents, EmptyInputGivesNoConversation) {
  std::vector<Event> none;
  EXPECT_TRUE(build_client_conversations(none, "openssh").empty());
}

TEST(ClientBuilderEvents, PhasesAreOrdered) {
  EXPECT_LT(phase_of(K::connecting), phase_of(K::remote_version));
  EXPECT_LT(phase_of(K::remote_version), phase_of(K::kex_algorithm));
  EXPECT_LT(phase_of(K::kex_algorithm), phase_of(K::server_host_key));
  EXPECT_LT(phase_of(K::server_host_key), phase_of(K::auth_methods_can_continue));
  EXPECT_LT(phase_of(K::auth_methods_can_continue), phase_of(K::auth_succeeded));
}

}  // namespace
}  // namespace sshlogwhy
