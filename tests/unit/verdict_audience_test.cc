// Tests for the reader-specific verdict texts (patterns/verdicts/README.md,
// "Reader variants") and the placeholders the reports derive
// (add_derived_vars in src/verdicts/verdict.h):
//
//   - "_putty" / "_server" variants parse, replace their default field as a
//     whole, and leave the other fields alone;
//   - the fix names an algorithm the peer really offered;
//   - sshd's from= refusal fills {required}, {option}, {path}, {line};
//   - end to end on real captures: a plink log gets PuTTY's tools, an sshd
//     log alone gets texts for the admin without "your key" or <key_path>.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pipeline/diagnose.h"
#include "reports/json_report.h"
#include "reports/text_report.h"
#include "test_paths.h"
#include "verdicts/verdict.h"
#include "verdicts/verdict_texts.h"

namespace sshlogwhy {
namespace {

const char kOne[] = R"({"verdicts": [{
  "id": "x", "title": "T {user}", "explanation": "E", "fix": ["On your machine: `ssh {port_opt}{user}@{host}`"],
  "settle": ["S"],
  "fix_putty": ["plink/PuTTY: `plink -v -ssh {putty_port_opt}{user}@{host}`"],
  "title_server": "TS {user}", "settle_server": ["SS"]
}]})";

TEST(VerdictAudience, VariantsReplaceTheirFieldOnly) {
  Result<VerdictTexts> t = VerdictTexts::parse("one.json", kOne);
  ASSERT_TRUE(t.ok()) << t.error().to_string();
  const VerdictText* x = t.value().find("x");
  ASSERT_NE(x, nullptr);

  VerdictText openssh = x->for_audience(Audience::kOpenssh);
  EXPECT_EQ(openssh.title, "T {user}");
  ASSERT_EQ(openssh.fix.size(), 1u);
  EXPECT_NE(openssh.fix[0].find("`ssh "), std::string::npos);

  VerdictText putty = x->for_audience(Audience::kPutty);
  EXPECT_EQ(putty.title, "T {user}");  // no title_putty: the default
  ASSERT_EQ(putty.fix.size(), 1u);
  EXPECT_NE(putty.fix[0].find("plink -v -ssh"), std::string::npos);
  EXPECT_EQ(putty.settle, std::vector<std::string>{"S"});

  VerdictText server = x->for_audience(Audience::kServer);
  EXPECT_EQ(server.title, "TS {user}");
  EXPECT_EQ(server.fix, openssh.fix);  // no fix_server: the default
  EXPECT_EQ(server.settle, std::vector<std::string>{"SS"});
  EXPECT_TRUE(server.putty.empty() && server.server.empty());
}

TEST(VerdictAudience, UnknownVariantAndEmptyListAreErrors) {
  EXPECT_FALSE(VerdictTexts::parse("a.json", R"({"verdicts":[{"id":"x","title":"T","fix_windows":["a"]}]})").ok());
  EXPECT_FALSE(VerdictTexts::parse("b.json", R"({"verdicts":[{"id":"x","title":"T","fix_putty":[]}]})").ok());
  EXPECT_FALSE(VerdictTexts::parse("c.json", R"({"verdicts":[{"id":"x","title":"T","title_putty":["a"]}]})").ok());
}

TEST(VerdictAudience, AudienceFollowsTheEvidence) {
  EXPECT_EQ(audience_for("server", ""), Audience::kServer);
  EXPECT_EQ(audience_for("client", "putty"), Audience::kPutty);
  EXPECT_EQ(audience_for("client+server", "putty"), Audience::kPutty);
  EXPECT_EQ(audience_for("client", "openssh"), Audience::kOpenssh);
  EXPECT_EQ(audience_for("client+server", "openssh"), Audience::kOpenssh);
  EXPECT_STREQ(audience_name(Audience::kServer), "server");
}

TEST(VerdictAudience, PuttyPortOptionRendersLikePortOpt) {
  Verdict v;
  v.set("user", "u");
  v.set("host", "h");
  set_port_vars(v, "h", "2222");
  EXPECT_EQ(render("plink {putty_port_opt}{user}@{host}", v.vars), "plink -P 2222 u@h");
  Verdict w;
  set_port_vars(w, "h", "22");
  EXPECT_EQ(render("plink {putty_port_opt}x", w.vars), "plink x");
}

TEST(OfferedAlgorithm, PicksARealAlgorithmFromTheOffer) {
  // Client traces: the server's (old) list; markers are never picked.
  EXPECT_EQ(pick_offered_algorithm("key exchange method", "diffie-hellman-group1-sha1,kex-strict-s-v00@openssh.com"),
            "diffie-hellman-group1-sha1");
  EXPECT_EQ(pick_offered_algorithm("key exchange method", "diffie-hellman-group1-sha1,diffie-hellman-group14-sha1"),
            "diffie-hellman-group14-sha1");
  EXPECT_EQ(pick_offered_algorithm("cipher", "aes128-cbc,3des-cbc"), "aes128-cbc");
  EXPECT_EQ(pick_offered_algorithm("MAC", "hmac-md5,hmac-md5-96"), "hmac-md5");
  EXPECT_EQ(pick_offered_algorithm("host key type", "ssh-rsa"), "ssh-rsa");
  EXPECT_EQ(pick_offered_algorithm("client-to-server cipher", "aes256-cbc,aes128-cbc"), "aes256-cbc");
  // sshd logs: the client's (modern) list, with its markers and [preauth].
  EXPECT_EQ(pick_offered_algorithm("key exchange method",
                                   "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
                                   "ecdh-sha2-nistp256,ext-info-c,kex-strict-c-v00@openssh.com"),
            "curve25519-sha256");
  EXPECT_EQ(pick_offered_algorithm("host key type",
                                   "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ssh-ed25519,rsa-sha2-512"),
            "ssh-ed25519");
  EXPECT_EQ(pick_offered_algorithm("MAC", "umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com [preauth]"),
            "hmac-sha2-256-etm@openssh.com");
  // Unknown names: the first; markers only: nothing.
  EXPECT_EQ(pick_offered_algorithm("cipher", "vendor-cipher-1,vendor-cipher-2"), "vendor-cipher-1");
  EXPECT_EQ(pick_offered_algorithm("key exchange method", "ext-info-s,kex-strict-s-v00@openssh.com"), "");
  EXPECT_EQ(clean_offer("diffie-hellman-group1-sha1,kex-strict-s-v00@openssh.com"), "diffie-hellman-group1-sha1");
}

TEST(DerivedVars, FromRefusalFillsTheAllowedList) {
  Event e;
  e.kind = EventKind::sshd_key_option_refused;
  e.text =
      "Nov 23 20:30:04 lab sshd[812]: /home/alice/.ssh/authorized_keys:3: Authentication tried for alice with "
      "correct key but not from a permitted host (host=127.0.0.1, ip=127.0.0.1, required=10.20.30.0/24,!10.20.30.9).";
  Verdict v;
  v.id = "authorized_keys_option_restriction";
  v.cite(&e);
  add_derived_vars(v);
  EXPECT_EQ(v.get("required"), "10.20.30.0/24");  // sshd's list stops at the first comma in the log line
  EXPECT_EQ(v.get("option"), "from=\"10.20.30.0/24\"");
  EXPECT_EQ(v.get("path"), "/home/alice/.ssh/authorized_keys");
  EXPECT_EQ(v.get("line"), "3");

  // Before 7.7 sshd named neither the file nor the list.
  Event old;
  old.kind = EventKind::sshd_key_option_refused;
  old.text = "Authentication tried for alice with correct key but not from a permitted host (host=ws1, ip=203.0.113.5).";
  Verdict w;
  w.cite(&old);
  add_derived_vars(w);
  EXPECT_EQ(w.get("required"), "");
  EXPECT_EQ(w.get("option"), "from=");
  EXPECT_EQ(w.get("path"), "");
}

// ---------------------------------------------------------------------------
// End to end on lab captures.

const PatternDb& db() {
  static Result<std::unique_ptr<PatternDb>> d = load_pattern_db({});
  if (!d.ok()) {
    ADD_FAILURE() << d.error().to_string();
    std::abort();
  }
  return *d.value();
}

const VerdictTexts& texts() {
  static Result<VerdictTexts> t = VerdictTexts::builtin();
  if (!t.ok()) {
    ADD_FAILURE() << t.error().to_string();
    std::abort();
  }
  return t.value();
}

std::string report_of(const std::vector<std::string>& rel) {
  std::vector<std::string> paths;
  for (const std::string& r : rel) paths.push_back(testing::source_dir() + "/corpus/lab/" + r);
  Result<Analysis> a = diagnose(paths, db(), DiagnoseOptions{});
  if (!a.ok()) return "error: " + a.error().to_string();
  return text_report(a.value(), texts(), ReportOptions{});
}

// The "Fix" section of a text report, unwrapped (a line break and the
// indent after it become one space).
std::string fix_section(const std::string& report) {
  size_t start = report.find("\nFix\n");
  if (start == std::string::npos) return {};
  size_t end = report.find("\n\n", start + 5);
  std::string wrapped = report.substr(start, end == std::string::npos ? std::string::npos : end - start);
  std::string out;
  for (size_t i = 0; i < wrapped.size(); ++i) {
    if (wrapped[i] != '\n') {
      out += wrapped[i];
      continue;
    }
    while (i + 1 < wrapped.size() && wrapped[i + 1] == ' ') ++i;
    out += ' ';
  }
  return out;
}

TEST(VerdictAudienceCorpus, PuttyLogGetsPuttyTools) {
  std::string out = report_of({"key-not-authorized/plink-v.txt"});
  std::string fix = fix_section(out);
  ASSERT_FALSE(fix.empty()) << out;
  EXPECT_NE(fix.find("puttygen -L /srv/sshlogwhy-lab/home/labclient/keys/other_ed25519.ppk"), std::string::npos) << fix;
  EXPECT_NE(fix.find("plink -v -ssh -P "), std::string::npos) << fix;
  EXPECT_NE(fix.find(" -i /srv/sshlogwhy-lab/"), std::string::npos) << fix;
  EXPECT_NE(fix.find("Connection > SSH > Auth > Credentials"), std::string::npos) << fix;
  EXPECT_EQ(fix.find("ssh-keygen -y"), std::string::npos) << fix;
  EXPECT_EQ(fix.find("ssh-copy-id"), std::string::npos) << fix;
  EXPECT_EQ(out.find("<fingerprint>"), std::string::npos) << out;

  std::string hk = fix_section(report_of({"host-key-changed/plink-v.txt"}));
  EXPECT_NE(hk.find("plink -batch -hostkey SHA256:"), std::string::npos) << hk;
  EXPECT_NE(hk.find("SimonTatham\\PuTTY\\SshHostKeys"), std::string::npos) << hk;
  EXPECT_NE(hk.find("~/.putty/sshhostkeys"), std::string::npos) << hk;
  EXPECT_EQ(hk.find("ssh-keygen -R"), std::string::npos) << hk;
}

// Every verdict a PuTTY capture produces speaks PuTTY in its fix: no
// OpenSSH client command ("`ssh ", "ssh-keygen -y", "ssh-copy-id") remains.
TEST(VerdictAudienceCorpus, EveryPuttyVerdictHasPuttyFix) {
  for (const char* c : {"agent-refused-signing", "authorized-keys-unreadable", "connection-closed-before-banner",
                        "connection-refused", "connection-reset-before-banner", "dns-resolution-failed",
                        "host-key-changed", "host-key-unknown", "key-not-authorized", "key-passphrase-required",
                        "network-unreachable", "not-an-ssh-server", "password-auth-disabled", "private-key-missing",
                        "private-key-wrong-format", "pubkey-auth-disabled", "second-factor-required",
                        "success-password", "too-many-auth-failures", "user-does-not-exist", "wrong-password"}) {
    std::string fix = fix_section(report_of({std::string(c) + "/plink-v.txt"}));
    // (`ssh-add -l` may stay: PuTTY on Linux/macOS uses ssh-agent.)
    for (const char* openssh : {"`ssh ", "ssh-keygen -y", "ssh-copy-id", "~/.ssh/config", "IdentitiesOnly"}) {
      EXPECT_EQ(fix.find(openssh), std::string::npos) << c << ": " << openssh << " in\n" << fix;
    }
  }
}

TEST(VerdictAudienceCorpus, ServerLogAloneSpeaksToTheAdmin) {
  std::string out = report_of({"key-not-authorized/sshd.log"});
  std::string head = out.substr(0, out.find("\nEvidence"));
  EXPECT_EQ(head.find("your key"), std::string::npos) << head;
  EXPECT_EQ(out.find("<key_path>"), std::string::npos) << out;
  EXPECT_EQ(fix_section(out).find("ssh-keygen -y -f ED25519"), std::string::npos) << out;
  EXPECT_NE(fix_section(out).find("On the user's machine"), std::string::npos) << out;

  std::string from = report_of({"authorized-keys-from-restriction/sshd.log"});
  EXPECT_NE(from.find("(from=\"10.20.30.0/24\")"), std::string::npos) << from;
  EXPECT_NE(from.find("`from=\"10.20.30.0/24,127.0.0.1\"`"), std::string::npos) << from;
  EXPECT_EQ(from.find("required=...)"), std::string::npos) << from;
}

TEST(VerdictAudienceCorpus, AlgorithmFixNamesTheOfferedAlgorithm) {
  struct Case {
    const char* input;
    const char* want;
  };
  for (const Case& c : {Case{"no-matching-kex/ssh-vvv.txt", "-o KexAlgorithms=+diffie-hellman-group1-sha1 "},
                        Case{"no-matching-cipher/ssh-vvv.txt", "-o Ciphers=+aes128-cbc "},
                        Case{"no-matching-mac/ssh-vvv.txt", "-o MACs=+hmac-md5 "},
                        Case{"no-matching-host-key-type/ssh-vvv.txt", "-o HostKeyAlgorithms=+ssh-rsa "},
                        Case{"no-matching-kex/sshd.log", "`KexAlgorithms +curve25519-sha256`"},
                        Case{"no-matching-cipher/sshd.log", "`Ciphers +chacha20-poly1305@openssh.com`"},
                        Case{"no-matching-host-key-type/sshd.log", "`HostKeyAlgorithms +ssh-ed25519`"}}) {
    std::string out = report_of({c.input});
    EXPECT_NE(fix_section(out).find(c.want), std::string::npos) << c.input << "\n" << out;
    EXPECT_EQ(out.find("kex-strict-s-v00"), out.rfind("kex-strict-s-v00")) << c.input;  // only in the evidence
  }
}

TEST(VerdictAudienceCorpus, JsonSaysWhichTextsItUsed) {
  auto audience_of = [](const std::string& rel) {
    Result<Analysis> a = diagnose({testing::source_dir() + "/corpus/lab/" + rel}, db(), DiagnoseOptions{});
    if (!a.ok()) return std::string("error");
    std::string j = json_report(a.value(), texts());
    size_t at = j.find("\"audience\":");
    return at == std::string::npos ? std::string("missing") : j.substr(at, 22);
  };
  EXPECT_NE(audience_of("wrong-password/plink-v.txt").find("\"putty\""), std::string::npos);
  EXPECT_NE(audience_of("wrong-password/sshd.log").find("\"server\""), std::string::npos);
  EXPECT_NE(audience_of("wrong-password/ssh-vvv.txt").find("\"openssh\""), std::string::npos);
}

}  // namespace
}  // namespace sshlogwhy
