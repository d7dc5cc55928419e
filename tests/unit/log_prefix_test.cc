// Tests for the single-line prefix parser and the timestamp scanners
// (src/logs/syslog_prefix.h, src/logs/log_time.h).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>

#include "logs/log_time.h"
#include "logs/syslog_prefix.h"

namespace sshlogwhy {
namespace {

// Seconds since the epoch of a UTC civil time, for expectations.
int64_t utc_us(int y, int mo, int d, int h, int mi, int s, int64_t us = 0) {
  return (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000 + us;
}

LogLineView parse_ok(std::string_view line, int year = 2026) {
  YearState years = YearState::fixed(year);
  LogLineView v;
  EXPECT_TRUE(parse_syslog_line(line, v, years)) << line;
  return v;
}

bool parses(std::string_view line) {
  YearState years = YearState::fixed(2026);
  LogLineView v;
  return parse_syslog_line(line, v, years);
}

// One row of the table: a line and what it must give.
struct PrefixCase {
  const char* line;
  LogFormat format;
  const char* host;
  const char* program;
  int64_t pid;
  const char* body;
};

const PrefixCase kCases[] = {
    // RFC 3164 / rsyslog traditional (captured).
    {"Nov 23 18:07:29 bastion-01 sshd[1319]: Accepted publickey for nobody from 127.0.0.1 port 34692 ssh2",
     LogFormat::kSyslog3164, "bastion-01", "sshd", 1319,
     "Accepted publickey for nobody from 127.0.0.1 port 34692 ssh2"},
    // Missing pid.
    {"Nov 23 18:07:29 bastion-01 nologin: Attempted login by nobody (UID: 65534) on UNKNOWN",
     LogFormat::kSyslog3164, "bastion-01", "nologin", -1, "Attempted login by nobody (UID: 65534) on UNKNOWN"},
    {"Nov 23 18:07:29 bastion-01 kernel: [ 12.345678] audit: type=1400", LogFormat::kSyslog3164, "bastion-01",
     "kernel", -1, "[ 12.345678] audit: type=1400"},
    // Space-padded and zero-padded days.
    {"Jan  5 01:31:41 www sshd[1643]: Invalid user x", LogFormat::kSyslog3164, "www", "sshd", 1643,
     "Invalid user x"},
    {"Aug 01 15:16:51 hp sshd-session[193302]: pam_unix(sshd:session): session opened", LogFormat::kSyslog3164,
     "hp", "sshd-session", 193302, "pam_unix(sshd:session): session opened"},
    // No host (fail2ban corpus, /dev/log datagrams).
    {"Nov 23 21:50:19 sshd[8148]: Disconnecting: Too many authentication failures", LogFormat::kSyslog3164, "",
     "sshd", 8148, "Disconnecting: Too many authentication failures"},
    {"Mar  3 00:17:22 [sshd]: Failed password", LogFormat::kSyslog3164, "", "sshd", -1, "Failed password"},
    {"<38>Nov 23 18:07:33 sshd[1329]: Failed password for nobody", LogFormat::kSyslog3164, "", "sshd", 1329,
     "Failed password for nobody"},
    // Hosts with dots, IPv6 hosts.
    {"Apr 29 17:16:20 Jamess-iMac.local sshd[62312]: Accepted", LogFormat::kSyslog3164, "Jamess-iMac.local", "sshd",
     62312, "Accepted"},
    {"Nov 23 18:07:29 2001:db8::1 sshd[7]: Connection closed", LogFormat::kSyslog3164, "2001:db8::1", "sshd", 7,
     "Connection closed"},
    {"Nov 23 18:07:29 fe80:: sshd[7]: x", LogFormat::kSyslog3164, "fe80::", "sshd", 7, "x"},
    {"Nov 23 18:07:29 ::1 sshd-auth[9]: y", LogFormat::kSyslog3164, "::1", "sshd-auth", 9, "y"},
    // Programs with '/', '@', '.', '-' and unit names with ':'.
    {"Nov 23 18:07:29 mx postfix/smtpd[42]: connect from x", LogFormat::kSyslog3164, "mx", "postfix/smtpd", 42,
     "connect from x"},
    {"Nov 23 18:07:29 h sshd@0-10.0.0.1:22-10.0.0.2:5555.service[88]: Accepted", LogFormat::kSyslog3164, "h",
     "sshd@0-10.0.0.1:22-10.0.0.2:5555.service", 88, "Accepted"},
    {"Nov 23 18:07:29 h systemd-logind[1]: New session", LogFormat::kSyslog3164, "h", "systemd-logind", 1,
     "New session"},
    // Solaris message id.
    {"Nov 23 18:07:29 sol sshd[63814]: [ID 800047 auth.info] Failed keyboard-interactive for x",
     LogFormat::kSyslog3164, "sol", "sshd", 63814, "Failed keyboard-interactive for x"},
    // FreeBSD syslogd -v / -vv.
    {"Nov 23 18:07:29 <auth.info> bsd sshd[5]: Accepted", LogFormat::kSyslog3164, "bsd", "sshd", 5, "Accepted"},
    {"Nov 23 18:07:29 <4.6> bsd sshd[5]: Accepted", LogFormat::kSyslog3164, "bsd", "sshd", 5, "Accepted"},
    // Tag glued to the message.
    {"Nov 23 18:07:29 h sshd[5]:Accepted", LogFormat::kSyslog3164, "h", "sshd", 5, "Accepted"},
    // No tag: sysklogd's repeat line.
    {"Nov 23 18:07:37 h last message repeated 2 times", LogFormat::kSyslog3164, "h", "", -1,
     "last message repeated 2 times"},
    // rsyslog high precision (captured) and variants.
    {"2026-11-23T18:07:29.880298+00:00 bastion-01 sshd[1319]: Accepted", LogFormat::kSyslogRfc3339, "bastion-01",
     "sshd", 1319, "Accepted"},
    {"2015-04-16T18:02:50.321974Z host sshd[2716]: x", LogFormat::kSyslogRfc3339, "host", "sshd", 2716, "x"},
    {"2026-08-04T17:40:02 sshd-session[1893]: userauth_pubkey: signature algorithm ssh-rsa not in "
     "PubkeyAcceptedAlgorithms [preauth]",
     LogFormat::kSyslogRfc3339, "", "sshd-session", 1893,
     "userauth_pubkey: signature algorithm ssh-rsa not in PubkeyAcceptedAlgorithms [preauth]"},
    {"<38>2026-11-23T18:06:57.150509+00:00 bastion-01 sshd[734]: Server listening", LogFormat::kSyslogRfc3339,
     "bastion-01", "sshd", 734, "Server listening"},
    // RFC 5424.
    {"<38>1 2026-11-23T18:07:29.880298+00:00 bastion-01 sshd 1319 - -  Accepted publickey", LogFormat::kSyslog5424,
     "bastion-01", "sshd", 1319, "Accepted publickey"},
    {"<34>1 2026-11-23T18:07:29.948939+00:00 bastion-01 nologin - - -  Attempted login", LogFormat::kSyslog5424,
     "bastion-01", "nologin", -1, "Attempted login"},
    {"<38>1 2019-07-08T17:40:17.954167-04:00 hostname.example.com sshd 55555 - [timeQuality tzKnown=\"1\" "
     "isSynced=\"0\"][xxx@123 test=\"[brackets]\"] Failed unknown for invalid user redmond",
     LogFormat::kSyslog5424, "hostname.example.com", "sshd", 55555, "Failed unknown for invalid user redmond"},
    {"<38>1 2019-07-08T17:40:17Z h sshd 1 ID47 [x@1 a=\"q\\\"]\\]\"] \xEF\xBB\xBFhello", LogFormat::kSyslog5424, "h",
     "sshd", 1, "hello"},
    {"<38>1 - - - - - -", LogFormat::kSyslog5424, "", "", -1, ""},
    // journalctl text modes (captured).
    {"Nov 23 18:06:56.146503 bastion-01.prod.example.com systemd-journald[731]: Journal started",
     LogFormat::kJournalShort, "bastion-01.prod.example.com", "systemd-journald", 731, "Journal started"},
    {"2026-11-23T18:07:29+0000 bastion-01.prod.example.com sshd[1319]: x", LogFormat::kJournalShort,
     "bastion-01.prod.example.com", "sshd", 1319, "x"},
    {"2026-11-23T18:07:29.880179+0000 bastion-01.prod.example.com sshd[1319]: x", LogFormat::kJournalShort,
     "bastion-01.prod.example.com", "sshd", 1319, "x"},
    {"Mon 2026-11-23 18:07:29 UTC bastion-01.prod.example.com sshd[1319]: x", LogFormat::kJournalShort,
     "bastion-01.prod.example.com", "sshd", 1319, "x"},
    {"Mon 2026-11-23 18:07:29 UTC bastion-01 ssh.service[1319]: x", LogFormat::kJournalShort, "bastion-01",
     "ssh.service", 1319, "x"},
    {"1795457249.880179 bastion-01.prod.example.com sshd[1319]: x", LogFormat::kJournalShort,
     "bastion-01.prod.example.com", "sshd", 1319, "x"},
    {"[ 1267.483162] bastion-01.prod.example.com sshd[1319]: x", LogFormat::kJournalShort,
     "bastion-01.prod.example.com", "sshd", 1319, "x"},
    {"[ 1267.483162 <    0.009577 >] bastion-01.prod.example.com sshd[1319]: x", LogFormat::kJournalShort,
     "bastion-01.prod.example.com", "sshd", 1319, "x"},
    {"[ 1233.749413                ] h systemd-journald[731]: Journal started", LogFormat::kJournalShort, "h",
     "systemd-journald", 731, "Journal started"},
    // Win32-OpenSSH file log.
    {"4556 2019-10-10 14:26:58.661 Connection from 10.1.20.164 port 6560 on 10.42.4.11 port 22",
     LogFormat::kSshdWindows, "", "sshd", 4556, "Connection from 10.1.20.164 port 6560 on 10.42.4.11 port 22"},
    {"3488 11:30:03:638 Accepted password for x", LogFormat::kSshdWindows, "", "sshd", 3488,
     "Accepted password for x"},
    // German journalctl.
    {"Dez 25 10:00:01 h sshd[1]: x", LogFormat::kSyslog3164, "h", "sshd", 1, "x"},
    {"M\xC3\xA4r  3 10:00:01 h sshd[1]: x", LogFormat::kSyslog3164, "h", "sshd", 1, "x"},
};

TEST(LogPrefix, Table) {
  for (const PrefixCase& c : kCases) {
    SCOPED_TRACE(c.line);
    const LogLineView v = parse_ok(c.line);
    EXPECT_EQ(v.format, c.format) << log_format_name(v.format);
    EXPECT_EQ(v.host, c.host);
    EXPECT_EQ(v.program, c.program);
    EXPECT_EQ(v.pid, c.pid);
    EXPECT_EQ(v.body, c.body);
    EXPECT_EQ(v.repeat, 1u);
    EXPECT_EQ(v.consumed, std::string_view(c.line).size());
  }
}

// Random edits of every table line: the parser never reads outside the
// line and its views stay inside it.
TEST(LogPrefix, SurvivesMutations) {
  std::mt19937 rng(20261123);
  static constexpr char kAlphabet[] = " <>[]:0-T.Z+\x1e\"\\";
  for (const PrefixCase& c : kCases) {
    for (int i = 0; i < 400; ++i) {
      std::string s = c.line;
      const int edits = 1 + static_cast<int>(rng() % 4);
      for (int e = 0; e < edits && !s.empty(); ++e) {
        const size_t pos = rng() % s.size();
        switch (rng() % 4) {
          case 0: s[pos] = static_cast<char>(rng()); break;
          case 1: s.erase(pos, 1 + rng() % 5); break;
          case 2: s.insert(pos, 1, kAlphabet[rng() % (sizeof kAlphabet - 1)]); break;
          default: s.resize(pos); break;
        }
      }
      YearState years = YearState::fixed(2026);
      LogLineView v;
      if (!parse_syslog_line(s, v, years)) continue;
      const char* begin = s.data();
      const char* end = s.data() + s.size();
      EXPECT_TRUE(v.body.data() >= begin && v.body.data() + v.body.size() <= end) << s;
      EXPECT_TRUE(v.host.empty() || (v.host.data() >= begin && v.host.data() + v.host.size() <= end)) << s;
      EXPECT_LE(v.consumed, s.size());
      EXPECT_GT(v.consumed, 0u);
      EXPECT_GE(v.repeat, 1u);
    }
  }
}

TEST(LogPrefix, NotPrefixed) {
  const char* kLines[] = {
      "",
      "Server listening on 0.0.0.0 port 22.",
      "debug1: sshd version OpenSSH_9.2, OpenSSL 3.0.17 1 Jul 2025",
      "Connection from 127.0.0.1 port 39054 on 127.0.0.1 port 46150 rdomain \"\"",
      "Nov 23 18:07:29",                      // timestamp alone
      "Nov 32 18:07:29 h sshd[1]: x",         // day out of range
      "Nov 23 24:07:29 h sshd[1]: x",         // hour out of range
      "Foo 23 18:07:29 h sshd[1]: x",         // not a month
      "2026-13-23T18:07:29Z h sshd[1]: x",    // month out of range
      "2026-11-23X18:07:29Z h sshd[1]: x",    // bad separator
      "<999>Nov 23 18:07:29 h sshd[1]: x",    // PRI out of range
      "<38 Nov 23 18:07:29 h sshd[1]: x",     // unclosed PRI
      "<38>1 2026-11-23T18:07:29Z h sshd 1 - [unclosed",  // broken SD
      "<38>1 2026-11-23T18:07:29Z h sshd",    // fields missing
      "[ 1267.483162 h sshd[1]: x",           // unclosed monotonic
      "{\"MESSAGE\":\"x\"}",                   // JSON is not a prefix
      "Mon 2026-11-23 18:06:56.146503 UTC [s=5ec7;i=1;b=2a;m=49;t=660f;x=e9]",  // verbose header
      "   second line",
  };
  for (const char* line : kLines) EXPECT_FALSE(parses(line)) << line;
}

TEST(LogPrefix, Times) {
  // RFC 3164: year from the state, local wall time, not exact.
  LogLineView v = parse_ok("Nov 23 18:07:29 h sshd[1]: x", 2026);
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 18, 7, 29));
  EXPECT_FALSE(v.time_exact);
  EXPECT_FALSE(v.time_zoned);
  EXPECT_EQ(v.timestamp, "Nov 23 18:07:29");

  // Fractions of any length are truncated to microseconds.
  v = parse_ok("Nov 23 18:07:29.5 h sshd[1]: x");
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 18, 7, 29, 500000));
  v = parse_ok("2026-11-23T18:07:29.123456789Z h sshd[1]: x");
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 18, 7, 29, 123456));

  // Zones: the result is UTC.
  v = parse_ok("2026-11-23T18:07:29.880298+00:00 h sshd[1]: x");
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 18, 7, 29, 880298));
  EXPECT_TRUE(v.time_exact);
  EXPECT_TRUE(v.time_zoned);
  v = parse_ok("2026-11-23T19:07:29+01:00 h sshd[1]: x");
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 18, 7, 29));
  v = parse_ok("<38>1 2019-07-08T17:40:16.954167-04:00 h sshd 1 - - x");
  EXPECT_EQ(v.time_us, utc_us(2019, 7, 8, 21, 40, 16, 954167));
  v = parse_ok("2026-11-23T23:37:29+0530 h sshd[1]: x");  // short-iso, no colon
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 18, 7, 29));
  EXPECT_EQ(v.format, LogFormat::kJournalShort);
  // No zone: wall time, exact year.
  v = parse_ok("2026-08-04T17:40:02 sshd-session[1893]: x");
  EXPECT_EQ(v.time_us, utc_us(2026, 8, 4, 17, 40, 2));
  EXPECT_TRUE(v.time_exact);
  EXPECT_FALSE(v.time_zoned);
  // short-full: UTC is a zone, CET is wall time.
  v = parse_ok("Mon 2026-11-23 18:07:29 UTC h sshd[1]: x");
  EXPECT_TRUE(v.time_zoned);
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 18, 7, 29));
  v = parse_ok("Mon 2026-11-23 19:07:29 CET h sshd[1]: x");
  EXPECT_FALSE(v.time_zoned);
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 19, 7, 29));
  // short-unix is UTC; short-monotonic has no wall time.
  v = parse_ok("1795457249.880179 h sshd[1]: x");
  EXPECT_EQ(v.time_us, 1795457249880179);
  EXPECT_TRUE(v.time_zoned);
  v = parse_ok("[ 1267.483162] h sshd[1]: x");
  EXPECT_EQ(v.time_us, kUnknownTime);
  EXPECT_EQ(v.monotonic_us, 1267483162);
  // RFC 5424 nil timestamp.
  v = parse_ok("<38>1 - h sshd 1 - - x");
  EXPECT_EQ(v.time_us, kUnknownTime);
  // Windows: wall time with milliseconds.
  v = parse_ok("4556 2019-10-10 14:26:58.661 Connection from x");
  EXPECT_EQ(v.time_us, utc_us(2019, 10, 10, 14, 26, 58, 661000));
}

TEST(LogPrefix, Priority) {
  EXPECT_EQ(parse_ok("<86>Nov 23 18:07:29 sshd[1]: x").priority, 86);
  EXPECT_EQ(parse_ok("<38>1 - h sshd 1 - - x").priority, 38);
  EXPECT_EQ(parse_ok("Nov 23 18:07:29 h sshd[1]: x").priority, -1);
}

TEST(LogPrefix, RsyslogRepeat) {
  LogLineView v = parse_ok(
      "Nov 23 18:07:37 bastion-01 sshd[1329]: message repeated 2 times: [ Failed password for nobody from "
      "127.0.0.1 port 34706 ssh2]");
  EXPECT_EQ(v.body, "Failed password for nobody from 127.0.0.1 port 34706 ssh2");
  EXPECT_EQ(v.repeat, 2u);
  // The inner message may end in ']' itself.
  v = parse_ok("2026-11-23T18:07:37.364030+00:00 h sshd[9]: message repeated 12 times: [ Connection closed by "
               "127.0.0.1 port 1 [preauth]]");
  EXPECT_EQ(v.body, "Connection closed by 127.0.0.1 port 1 [preauth]");
  EXPECT_EQ(v.repeat, 12u);
  // Not a repeat: wrong shape is left alone.
  v = parse_ok("Nov 23 18:07:37 h sshd[1]: message repeated many times: [ x]");
  EXPECT_EQ(v.repeat, 1u);
  EXPECT_EQ(v.body, "message repeated many times: [ x]");

  std::string_view body = "message repeated 3 times: [ truncated";
  uint32_t n = 1;
  EXPECT_TRUE(unwrap_rsyslog_repeat(body, n));
  EXPECT_EQ(body, "truncated");
  EXPECT_EQ(n, 3u);
  body = "message repeated 0 times: [ x]";
  EXPECT_FALSE(unwrap_rsyslog_repeat(body, n));
}

TEST(LogPrefix, GluedForwardFrames) {
  const std::string line =
      "<38>2026-11-23T18:06:57.150509+00:00 bastion-01 sshd[734]: Server listening on 127.0.0.1 port 46043."
      "<38>2026-11-23T18:06:57.151500+00:00 bastion-01 sshd[734]: Server listening on 127.0.0.1 port 46042.";
  YearState years = YearState::fixed(2026);
  LogLineView v;
  ASSERT_TRUE(parse_syslog_line(line, v, years));
  EXPECT_EQ(v.body, "Server listening on 127.0.0.1 port 46043.");
  ASSERT_LT(v.consumed, line.size());
  ASSERT_TRUE(parse_syslog_line(std::string_view(line).substr(v.consumed), v, years));
  EXPECT_EQ(v.body, "Server listening on 127.0.0.1 port 46042.");

  // Octet counting gives the frame length.
  const std::string counted = "30 <38>Nov 23 18:07:29 sshd[1]: x17 <38>1 - - - - - -";
  ASSERT_TRUE(parse_syslog_line(counted, v, years));
  EXPECT_EQ(v.program, "sshd");
  EXPECT_EQ(v.body, "x");
  EXPECT_EQ(v.consumed, 33u);  // "30 " and the 30-byte frame
  ASSERT_TRUE(parse_syslog_line(std::string_view(counted).substr(v.consumed), v, years));
  EXPECT_EQ(v.format, LogFormat::kSyslog5424);

  // A '<' in an ordinary body is not a frame.
  v = parse_ok("<38>Nov 23 18:07:29 sshd[1]: a <b> c <13>d");
  EXPECT_EQ(v.body, "a <b> c <13>d");
}

TEST(LogPrefix, BodyOffset) {
  const std::string_view line = "Nov 23 18:09:02 bastion-01.prod.example.com lab-binary-test[2464]: lab test";
  const LogLineView v = parse_ok(line);
  EXPECT_EQ(line.substr(v.body_offset), "lab test");
}

TEST(LogPrefix, SshdProgram) {
  for (const char* p : {"sshd", "sshd-session", "sshd-auth", "/usr/sbin/sshd", "sshd.exe", "ssh.service",
                        "sshd.service", "sshd@0-10.0.0.1:22-10.0.0.2:5555.service"}) {
    EXPECT_TRUE(is_sshd_program(p)) << p;
  }
  for (const char* p : {"", "ssh", "sshd-keygen", "CRON", "nologin", "unix_chkpwd", "systemd-logind", "sshdx",
                        "pam_unix", "ssh-agent"}) {
    EXPECT_FALSE(is_sshd_program(p)) << p;
  }
}

TEST(LogPrefix, StructuredData) {
  using detail::scan_structured_data;
  const std::string_view npos_check = "[a b=\"c\\\"]\"][d]";
  EXPECT_EQ(scan_structured_data(npos_check, 0), npos_check.size());
  EXPECT_EQ(scan_structured_data("- msg", 0), 1u);
  EXPECT_EQ(scan_structured_data("[a b=\"]\"] x", 0), 9u);
  EXPECT_EQ(scan_structured_data("[a b=\"x", 0), std::string_view::npos);
  EXPECT_EQ(scan_structured_data("x", 0), std::string_view::npos);
}

TEST(LogPrefix, Tags) {
  std::string_view program;
  int64_t pid = 0;
  EXPECT_EQ(detail::scan_tag("sshd[12]: x", false, program, pid), 9u);
  EXPECT_EQ(program, "sshd");
  EXPECT_EQ(pid, 12);
  EXPECT_EQ(detail::scan_tag("nologin: x", true, program, pid), 8u);
  EXPECT_EQ(pid, -1);
  EXPECT_EQ(detail::scan_tag("fe80:: x", true, program, pid), 0u);
  EXPECT_EQ(detail::scan_tag("a:b: x", false, program, pid), 4u);
  EXPECT_EQ(detail::scan_tag("host x", false, program, pid), 0u);
  EXPECT_EQ(detail::scan_tag("sshd[abc]: x", false, program, pid), 10u);
  EXPECT_EQ(pid, -1);
  EXPECT_EQ(detail::scan_tag("[]: x", false, program, pid), 0u);
}

TEST(LogTime, CivilMath) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  int y = 0, m = 0;
  civil_year_month(1795457249, y, m);
  EXPECT_EQ(y, 2026);
  EXPECT_EQ(m, 11);
  civil_year_month(-1, y, m);
  EXPECT_EQ(y, 1969);
  EXPECT_EQ(m, 12);
}

TEST(LogTime, YearFromMtime) {
  // mtime 2027-01-10: a log starting in November began in 2026.
  const int64_t jan_2027 = days_from_civil(2027, 1, 10) * 86400;
  YearState s = YearState::from_mtime(jan_2027);
  EXPECT_EQ(s.year_for(11), 2026);
  EXPECT_EQ(s.year_for(12), 2026);
  EXPECT_EQ(s.year_for(1), 2027);  // Dec -> Jan
  EXPECT_EQ(s.wraps(), 1u);
  EXPECT_EQ(s.year_for(12), 2026);  // a late line from before the wrap
  EXPECT_EQ(s.year_for(1), 2027);
  EXPECT_EQ(s.wraps(), 1u);

  // A first month up to the mtime's month is the mtime's year.
  YearState t = YearState::from_mtime(days_from_civil(2026, 11, 30) * 86400);
  EXPECT_EQ(t.year_for(11), 2026);
  YearState u = YearState::from_mtime(days_from_civil(2026, 11, 30) * 86400);
  EXPECT_EQ(u.year_for(3), 2026);
}

TEST(LogTime, FixedYearWraps) {
  YearState s = YearState::fixed(2025);
  EXPECT_EQ(s.year_for(12), 2025);  // no mtime adjustment
  EXPECT_EQ(s.year_for(11), 2025);  // small steps back are reordering
  EXPECT_EQ(s.year_for(1), 2026);
  EXPECT_EQ(s.year_for(6), 2026);
  EXPECT_EQ(s.year_for(12), 2026);
  EXPECT_EQ(s.year_for(2), 2027);
  EXPECT_EQ(s.wraps(), 2u);
}

TEST(LogTime, WrapThroughParser) {
  YearState years = YearState::fixed(2025);
  LogLineView v;
  ASSERT_TRUE(parse_syslog_line("Dec 31 23:59:59 h sshd[1]: a", v, years));
  EXPECT_EQ(v.time_us, utc_us(2025, 12, 31, 23, 59, 59));
  ASSERT_TRUE(parse_syslog_line("Jan  1 00:00:01 h sshd[1]: b", v, years));
  EXPECT_EQ(v.time_us, utc_us(2026, 1, 1, 0, 0, 1));
  // A line that does not parse leaves the state alone.
  EXPECT_FALSE(parse_syslog_line("Dec 31 99:00:00 h sshd[1]: c", v, years));
  ASSERT_TRUE(parse_syslog_line("Jan  1 00:00:02 h sshd[1]: d", v, years));
  EXPECT_EQ(v.time_us, utc_us(2026, 1, 1, 0, 0, 2));
  EXPECT_EQ(years.wraps(), 1u);
}

TEST(LogTime, Scanners) {
  TimeFields t;
  ZoneStyle z;
  EXPECT_EQ(detail::scan_bsd_time("Nov  3 10:00:01 x", t), 15u);
  EXPECT_EQ(t.day, 3);
  EXPECT_EQ(detail::scan_bsd_time("Nov 3 10:00:01", t), 14u);
  EXPECT_EQ(detail::scan_bsd_time("Nov 23 18:07:29.880179 x", t), 22u);
  EXPECT_EQ(t.micros, 880179);
  EXPECT_EQ(detail::scan_iso_time("2026-11-23 18:07:29", t, z), 19u);
  EXPECT_EQ(z, ZoneStyle::kNone);
  EXPECT_EQ(detail::scan_iso_time("2026-11-23T18:07:29+01", t, z), 22u);
  EXPECT_EQ(t.offset_seconds, 3600);
  EXPECT_EQ(detail::scan_iso_time("2026-11-23T18:07:60Z", t, z), 20u);  // leap second
  EXPECT_EQ(detail::scan_unix_time("12345.6", t), 0u);  // too few digits for an epoch
  EXPECT_EQ(detail::scan_monotonic_time("[ 1.5 < *0.1 >]", t), 15u);
  EXPECT_EQ(t.value_us, 1500000);
  EXPECT_EQ(detail::scan_weekday_time("Mon 2026-11-23 18:07:29 +0100 h", t), 29u);
  EXPECT_TRUE(t.zoned);
  EXPECT_EQ(t.offset_seconds, 3600);
}

}  // namespace
}  // namespace sshlogwhy
