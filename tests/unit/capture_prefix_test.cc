// Tests for strip_capture_prefix() (src/lines/capture_prefix.h): it removes
// what ts, chat quoting and PuTTY's Event Log copy put before a trace line,
// and nothing that is the line itself.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "lines/capture_prefix.h"

namespace sshlogwhy {
namespace {

struct Case {
  std::string_view input;
  std::string_view want;
};

TEST(StripCapturePrefix, RemovesToolPrefixes) {
  const Case cases[] = {
      // moreutils ts, default format "%b %d %H:%M:%S"
      {"Nov 23 18:12:27 debug1: Reading configuration data /etc/ssh/ssh_config",
       "debug1: Reading configuration data /etc/ssh/ssh_config"},
      {"Nov 03 08:00:00 OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026",
       "OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026"},
      {"Nov  3 08:00:00 debug1: x", "debug1: x"},
      {"Dec 31 23:59:60.123 debug1: leap", "debug1: leap"},
      // ts '%Y-%m-%d %H:%M:%.S' (formats.md 3.6, captured)
      {"2026-11-23 18:12:27.331766 debug1: Reading configuration data /srv/sshlab/ssh_config",
       "debug1: Reading configuration data /srv/sshlab/ssh_config"},
      {"2026-11-23 18:12:27 debug1: x", "debug1: x"},
      // ISO 8601 with zone
      {"2026-11-23T18:12:27.331766Z debug1: x", "debug1: x"},
      {"2026-11-23T18:12:27.331766+00:00 debug1: x", "debug1: x"},
      {"2026-11-23T18:12:27-0500 debug1: x", "debug1: x"},
      {"2026-11-23T18:12:27 debug1: x", "debug1: x"},
      // bracketed
      {"[18:12:27] debug1: x", "debug1: x"},
      {"[18:12:27.123] debug1: x", "debug1: x"},
      {"[2026-11-23 18:12:27] debug1: x", "debug1: x"},
      {"[Nov 23 18:12:27] debug1: x", "debug1: x"},
      // time only: ts -s, ts -i, ts '%.T'
      {"18:12:27.123 debug1: x", "debug1: x"},
      {"00:00:01.000012 debug1: x", "debug1: x"},
      {"18:12:27,123 debug1: x", "debug1: x"},
      {"18:12:27 debug1: x", "debug1: x"},
      {"36:00:00 elapsed ts -s", "elapsed ts -s"},
      // PuTTY Event Log window copy (tab), and after a paste turned it into a space
      {"2026-11-23 18:04:43\tLooking up host \"bastion\" for SSH connection",
       "Looking up host \"bastion\" for SSH connection"},
      {"2026-11-23 18:04:43 Connecting to 192.0.2.10 port 22", "Connecting to 192.0.2.10 port 22"},
      // e-mail and chat quotes, alone or before a timestamp
      {"> debug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc",
       "debug1: Offering public key: /home/u/.ssh/id_ed25519 ED25519 SHA256:abc"},
      {">> debug1: x", "debug1: x"},
      {"> > debug1: x", "debug1: x"},
      {">debug1: x", "debug1: x"},
      {">", ""},
      {"> Nov 23 18:12:27 debug1: x", "debug1: x"},
      // a NUL echoed as "^@" by the pty (captured typescript, formats.md 3.6)
      {"^@Could not chdir to home directory /nonexistent: No such file or directory",
       "Could not chdir to home directory /nonexistent: No such file or directory"},
      {"Nov 23 18:12:27 ^@^@Could not chdir", "Could not chdir"},
      // a timestamp alone (ts on an empty line, trailing blank trimmed or not)
      {"Nov 23 18:12:27 ", ""},
      {"Nov 23 18:12:27", ""},
      // the CR that ts leaves is gone before this runs; leading blanks of
      // the content itself are kept (only one separator is removed)
      {"18:12:27   indented", "  indented"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(strip_capture_prefix(c.input), c.want) << "input: " << c.input;
  }
}

TEST(StripCapturePrefix, KeepsRealContent) {
  const std::string_view keep[] = {
      "debug1: Reading configuration data /etc/ssh/ssh_config",
      "OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.19 27 Jan 2026",
      "OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2",
      "Nov",
      "Nov 23 people were denied",
      "November 23 18:12:27 is not ts output",
      "Nov 23 18:12 too short",
      "Nov 32 18:12:27 bad day",
      "Foo 23 18:12:27 not a month",
      "2026-11-23 not a time",
      "2026-13-23 18:12:27 bad month",
      "2026-11-23X18:12:27 bad separator",
      "18:12:27debug1: glued to the content",
      "18:12 short time",
      "18:61:00 bad minutes",
      "[18:12:27 unclosed bracket",
      "[debug] something",
      "12345 not a timestamp",
      "ssh: connect to host 192.0.2.10 port 22: Connection refused",
      "Permission denied (publickey).",
      "Authenticated to bastion ([192.0.2.10]:22) using \"publickey\".",
      "FATAL ERROR: Network error: Connection refused",
      "",
      " leading space is content",
      "x^@ only at the start",
  };
  for (std::string_view k : keep) EXPECT_EQ(strip_capture_prefix(k), k) << "input: " << k;
}

TEST(StripCapturePrefix, OnlyOneTimestampIsRemoved) {
  // A ts-prefixed syslog line keeps its own timestamp.
  EXPECT_EQ(strip_capture_prefix("2026-11-23 18:12:27.331766 Nov 23 18:12:27 host sshd[1]: x"),
            "Nov 23 18:12:27 host sshd[1]: x");
}

TEST(StripCapturePrefix, ResultIsASuffixOfTheInput) {
  std::string line = "[18:12:27] debug1: x";
  std::string_view out = strip_capture_prefix(line);
  EXPECT_EQ(out.data(), line.data() + 11);
  EXPECT_EQ(out.data() + out.size(), line.data() + line.size());
}

}  // namespace
}  // namespace sshlogwhy
