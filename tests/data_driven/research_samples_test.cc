// The real captures in ../shared/research/samples (made by the research lab:
// OpenSSH 9.2 ssh and PuTTY 0.78 plink against real and fake servers on
// loopback), with the verdict a careful reader gives each. They are read in
// place when ../shared is present (never copied into the repo) and skipped
// otherwise. They cover what our own lab cannot: plink against a server that
// offers no common algorithm, PuTTY session logs, pty typescripts.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "pipeline/diagnose.h"
#include "test_paths.h"

namespace sshlogwhy {
namespace {

struct Sample {
  const char* path;     // under research/samples
  const char* verdict;  // what a careful reader concludes from this file alone
};

// Reviewed by hand against each capture and CAPTURES-INDEX.tsv. Notable:
// plink cannot see an HTTP server's reply (PuTTY skips non-SSH lines before
// the banner), so that capture reads as a close before the banner; a fake
// server that resets after key exchange starts tells the client nothing.
const Sample kSamples[] = {
    {"putty/plink-sshlog-success-keyfile.stderr.txt", "insufficient_evidence"},
    {"putty/plink-sshlog-too-many-auth-failures.stderr.txt", "too_many_auth_failures"},
    {"putty/plink-v-fake-close-after-version.stderr.txt", "insufficient_evidence"},
    {"putty/plink-v-fake-disconnect-before-kex.stderr.txt", "insufficient_evidence"},
    {"putty/plink-v-fake-http-server.stderr.txt", "connection_closed_before_banner"},
    {"putty/plink-v-fake-immediate-close.stderr.txt", "connection_reset_before_banner"},
    {"putty/plink-v-fake-no-common-cipher.stderr.txt", "no_matching_cipher"},
    {"putty/plink-v-fake-no-common-hostkey-alg.stderr.txt", "no_matching_host_key_type"},
    {"putty/plink-v-fake-no-common-kex.stderr.txt", "no_matching_kex"},
    {"putty/plink-v-fake-ssh-rsa-only-hostkey.stderr.txt", "insufficient_evidence"},
    {"putty/plink-v-hostkey-unknown-batch.stderr.txt", "host_key_unknown"},
    {"putty/plink-v-invalid-user-password.stderr.txt", "wrong_password"},
    {"putty/plink-v-key-refused-then-batch-password.stderr.txt", "key_not_authorized"},
    {"putty/plink-v-keyfile-missing.stderr.txt", "private_key_missing"},
    {"putty/plink-v-keyfile-openssh-new.stderr.txt", "private_key_wrong_format"},
    {"putty/plink-v-keyfile-openssh-pem.stderr.txt", "private_key_wrong_format"},
    {"putty/plink-v-no-supported-auth-methods.stderr.txt", "key_not_authorized"},
    {"putty/plink-v-pageant-plus-keyfile-not-in-agent.stderr.txt", "key_not_authorized"},
    {"putty/plink-v-pageant-second-key-accepted.stderr.txt", "success"},
    {"putty/plink-v-pageant-too-many-auth-failures.stderr.txt", "too_many_auth_failures"},
    {"putty/plink-v-partial-success-publickey-then-password.stderr.txt", "second_factor_required"},
    {"putty/plink-v-refused-ipv6.stderr.txt", "connection_refused"},
    {"putty/plink-v-refused-port1.stderr.txt", "connection_refused"},
    {"putty/plink-v-success-keyfile.stderr.txt", "success"},
    {"putty/plink-v-unresolvable.stderr.txt", "dns_resolution_failed"},
    {"putty/plink-v-wrong-password.stderr.txt", "wrong_password"},
    {"putty/putty-0.78-sessionlog-sshpackets-success.log", "success"},
    {"putty/putty-0.78-sessionlog-sshpackets-too-many-auth-failures.log", "too_many_auth_failures"},
    {"putty/RECONSTRUCTED-putty-0.78-eventlog-window-copy-success.windows-crlf.txt", "success"},
    {"putty/RECONSTRUCTED-putty-0.78-eventlog-window-copy-too-many-auth-failures.windows-crlf.txt", "too_many_auth_failures"},
    {"openssh-client/ssh-noverbose-host-key-verification-failed.stderr.txt", "host_key_unknown"},
    {"openssh-client/ssh-noverbose-permission-denied-publickey.stderr.txt", "key_not_authorized"},
    {"openssh-client/ssh-noverbose-refused.stderr.txt", "connection_refused"},
    {"openssh-client/ssh-noverbose-unresolvable.stderr.txt", "dns_resolution_failed"},
    {"openssh-client/ssh-v-banner.stderr.txt", "success"},
    {"openssh-client/ssh-v-fake-close-after-version.stderr.txt", "insufficient_evidence"},
    {"openssh-client/ssh-v-fake-disconnect-before-kex.stderr.txt", "insufficient_evidence"},
    {"openssh-client/ssh-v-fake-http-server.stderr.txt", "not_an_ssh_server"},
    {"openssh-client/ssh-v-fake-immediate-close.stderr.txt", "connection_closed_before_banner"},
    {"openssh-client/ssh-v-fake-no-common-cipher-arcfour.stderr.txt", "no_matching_cipher"},
    {"openssh-client/ssh-v-fake-no-common-hostkey-alg.stderr.txt", "no_matching_host_key_type"},
    {"openssh-client/ssh-v-fake-no-common-kex-group1.stderr.txt", "no_matching_kex"},
    {"openssh-client/ssh-v-fake-ssh-rsa-only-hostkey.stderr.txt", "no_matching_host_key_type"},
    {"openssh-client/ssh-v-host-key-changed.stderr.txt", "host_key_changed"},
    {"openssh-client/ssh-v-invalid-user-password.stderr.txt", "wrong_password"},
    {"openssh-client/ssh-v-partial-success-publickey-then-password.stderr.txt", "second_factor_required"},
    {"openssh-client/ssh-v-password-wrong-3x.stderr.txt", "wrong_password"},
    {"openssh-client/ssh-v-pem-rsa-key-not-authorized.stderr.txt", "key_not_authorized"},
    {"openssh-client/ssh-v-proxyjump-jump-auth-fails.stderr.txt", "proxy_jump_failed"},
    {"openssh-client/ssh-v-proxyjump-nested-v.stderr.txt", "success"},
    {"openssh-client/ssh-v-refused-port1-default-config-as-nobody.stderr.txt", "connection_refused"},
    {"openssh-client/ssh-v-success-first-connect-accept-new.stderr.txt", "success"},
    {"openssh-client/ssh-vv-success.stderr.txt", "success"},
    {"openssh-client/ssh-vvv-host-key-verification-failed-batchmode.stderr.txt", "host_key_unknown"},
    {"openssh-client/ssh-vvv-permission-denied-publickey.stderr.txt", "key_not_authorized"},
    {"openssh-client/ssh-vvv-refused-port1.stderr.txt", "connection_refused"},
    {"openssh-client/ssh-vvv-success.stderr.txt", "success"},
    {"openssh-client/ssh-vvv-timeout-connecttimeout3.stderr.txt", "banner_timeout"},
    {"openssh-client/ssh-vvv-too-many-auth-failures-agent.stderr.txt", "too_many_auth_failures"},
    {"openssh-client/ssh-vvv-unresolvable.stderr.txt", "dns_resolution_failed"},
    {"openssh-client/ssh-vv-permission-denied-piped-through-moreutils-ts.txt", "key_not_authorized"},
    {"openssh-client/ssh-v-success-interactive-pty.script-typescript.txt", "login_shell_nologin"},
};

class ResearchSampleTest : public ::testing::TestWithParam<Sample> {};

TEST_P(ResearchSampleTest, GivesTheReviewedVerdict) {
  std::filesystem::path file =
      std::filesystem::path(testing::source_dir()) / ".." / "shared" / "research" / "samples" / GetParam().path;
  if (!std::filesystem::exists(file)) GTEST_SKIP() << "../shared/research/samples is not here: " << file;
  static Result<std::unique_ptr<PatternDb>> db = load_pattern_db({});
  ASSERT_TRUE(db.ok()) << db.error().to_string();
  Result<Analysis> a = diagnose({file.string()}, *db.value(), DiagnoseOptions{});
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a.value().answer.verdict.id, GetParam().verdict) << "rule " << a.value().answer.verdict.rule;
}

std::string sample_name(const ::testing::TestParamInfo<Sample>& info) {
  std::string n = info.param.path;
  for (char& ch : n) {
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Research, ResearchSampleTest, ::testing::ValuesIn(kSamples), sample_name);

}  // namespace
}  // namespace sshlogwhy
