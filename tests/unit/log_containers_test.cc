// Tests for the less common log containers (src/logs/syslog_prefix.cc,
// log_record_reader.cc): BusyBox syslogd's facility.level field, tags
// without ':', socklog, svlogd / s6-log timestamps (TAI64N, "_", ISO
// without zone) and `ts` in front of a syslog line. Each is checked
// against the RFC 3164 line that says the same thing: the record must be
// the same, container apart. The SSHGuard lines are from its parser tests
// (tests-banner-formats-section.txt, tests-ssh-and-dropbear-sections.txt).
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "input/memory_source.h"
#include "logs/log_record_reader.h"
#include "logs/log_time.h"
#include "logs/syslog_prefix.h"

namespace sshlogwhy {
namespace {

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

std::vector<LogRecord> read_all(const std::string& text, LogFormat* detected = nullptr) {
  LogReaderOptions options;
  options.year = 2026;
  LogRecordReader reader(std::make_unique<MemorySource>("test", text), options);
  std::vector<LogRecord> out;
  LogRecord rec;
  for (;;) {
    Result<bool> more = reader.next(rec);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !more.value()) break;
    out.push_back(rec);
  }
  if (detected != nullptr) *detected = reader.format();
  return out;
}

// The fields a later stage uses, container apart.
void expect_same_record(std::string_view line, std::string_view syslog_equivalent, bool same_time = true) {
  const LogLineView a = parse_ok(line);
  const LogLineView b = parse_ok(syslog_equivalent);
  EXPECT_EQ(a.host, b.host) << line;
  EXPECT_EQ(a.program, b.program) << line;
  EXPECT_EQ(a.pid, b.pid) << line;
  EXPECT_EQ(a.body, b.body) << line;
  EXPECT_EQ(a.repeat, b.repeat) << line;
  if (same_time) {
    EXPECT_EQ(a.time_us, b.time_us) << line;
  }
}

// --- BusyBox syslogd -------------------------------------------------------

TEST(LogContainers, BusyboxFacilityLevelBeforeTheTag) {
  // SSHGuard tests-banner-formats-section.txt lines 18 and 21.
  expect_same_record("Jun 20 02:18:39 vps auth.info sshd[13482]: Invalid user admin from 192.168.2.2",
                     "Jun 20 02:18:39 vps sshd[13482]: Invalid user admin from 192.168.2.2");
  expect_same_record("Jun 20 02:18:39 vps auth.info sshd[13482]: Invalid user admin from 2001:db8::a11:beef:7ac0",
                     "Jun 20 02:18:39 vps sshd[13482]: Invalid user admin from 2001:db8::a11:beef:7ac0");
  LogLineView v = parse_ok("Nov  3 10:00:01 host auth.info sshd[123]: Invalid user x from 1.2.3.4");
  EXPECT_EQ(v.format, LogFormat::kSyslog3164);
  EXPECT_EQ(v.priority, 4 * 8 + 6);
  v = parse_ok("Nov  3 10:00:01 router authpriv.notice sshd[9]: Accepted password for root from 10.0.0.2 port 5 ssh2");
  EXPECT_EQ(v.program, "sshd");
  EXPECT_EQ(v.priority, 10 * 8 + 5);
  v = parse_ok("Nov  3 10:00:01 router local7.warn dropbear[9]: Exit before auth");
  EXPECT_EQ(v.program, "dropbear");
  EXPECT_EQ(v.priority, 23 * 8 + 4);
}

TEST(LogContainers, BusyboxFieldNeedsKnownNames) {
  // Not facility names: the line keeps today's reading (host, no tag).
  LogLineView v = parse_ok("Nov  3 10:00:01 host nosuch.info sshd[123]: x");
  EXPECT_EQ(v.program, "");
  EXPECT_EQ(v.body, "nosuch.info sshd[123]: x");
  v = parse_ok("Nov  3 10:00:01 host auth.loud sshd[123]: x");
  EXPECT_EQ(v.program, "");
  // sysklogd's "last message repeated" keeps its empty program.
  v = parse_ok("Nov  3 10:00:01 host last message repeated 3 times");
  EXPECT_EQ(v.program, "");
  EXPECT_EQ(v.body, "last message repeated 3 times");
}

// --- tags without ':' ------------------------------------------------------

TEST(LogContainers, TagWithoutColon) {
  // SSHGuard tests-banner-formats-section.txt line 13 (rsyslog 8, #128).
  expect_same_record(
      "2020-05-29T11:28:56.058908+02:00 bastion sshd[20974] error: PAM: Authentication error for illegal user plop "
      "from 10.11.12.13",
      "2020-05-29T11:28:56.058908+02:00 bastion sshd[20974]: error: PAM: Authentication error for illegal user plop "
      "from 10.11.12.13");
  expect_same_record("Nov  3 10:00:01 host sshd[123] Invalid user x from 1.2.3.4",
                     "Nov  3 10:00:01 host sshd[123]: Invalid user x from 1.2.3.4");
  // No host either: a host name never holds brackets.
  expect_same_record("May  9 11:11:17 sshd[30876] Invalid user www from 139.59.34.17 port 51066",
                     "May  9 11:11:17 sshd[30876]: Invalid user www from 139.59.34.17 port 51066");
  // BusyBox field and no colon together.
  expect_same_record("Nov  3 10:00:01 host auth.info sshd[123] Invalid user x from 1.2.3.4",
                     "Nov  3 10:00:01 host sshd[123]: Invalid user x from 1.2.3.4");
  EXPECT_EQ(parse_ok("2020-05-29T11:28:56.058908+02:00 bastion sshd[20974] error: x").format,
            LogFormat::kSyslogRfc3339);
}

TEST(LogContainers, BareWordIsNotATag) {
  // Without brackets a word may be the message's first word: no tag.
  LogLineView v = parse_ok("Nov  3 10:00:01 host sshd Invalid user x");
  EXPECT_EQ(v.program, "");
  v = parse_ok("Nov  3 10:00:01 host sshd[] Invalid user x");
  EXPECT_EQ(v.program, "");
  v = parse_ok("Nov  3 10:00:01 host sshd[12a] Invalid user x");
  EXPECT_EQ(v.program, "");
}

// --- socklog -----------------------------------------------------------------

TEST(LogContainers, SocklogBehindSvlogd) {
  // SSHGuard tests-banner-formats-section.txt lines 36 and 40.
  LogLineView v = parse_ok("2015-05-27T04:31:28.10040 auth.info: May 27 04:31:28 sshd[30993]: Invalid user admin from 1.2.3.4");
  EXPECT_EQ(v.format, LogFormat::kSocklog);
  EXPECT_EQ(v.host, "");
  EXPECT_EQ(v.program, "sshd");
  EXPECT_EQ(v.pid, 30993);
  EXPECT_EQ(v.priority, 38);
  EXPECT_EQ(v.body, "Invalid user admin from 1.2.3.4");
  // svlogd's stamp has the year, so it is the record's time.
  EXPECT_EQ(v.time_us, utc_us(2015, 5, 27, 4, 31, 28, 100400));
  EXPECT_TRUE(v.time_exact);
  EXPECT_FALSE(v.time_zoned);

  LogLineView stripped = parse_ok("2015-05-27T04:31:28.10040 auth.info: sshd[30993]:  Invalid user admin from 1.2.3.4");
  EXPECT_EQ(stripped.format, LogFormat::kSocklog);
  EXPECT_EQ(stripped.program, "sshd");
  EXPECT_EQ(stripped.pid, 30993);
  EXPECT_EQ(stripped.body, v.body);
  EXPECT_EQ(stripped.time_us, v.time_us);

  // The same as its RFC 3164 equivalent, the year-less time apart.
  expect_same_record("2015-05-27T04:31:28.10040 auth.info: May 27 04:31:28 sshd[30993]: Invalid user admin from 1.2.3.4",
                     "May 27 04:31:28 sshd[30993]: Invalid user admin from 1.2.3.4", false);

  // svlogd -t (TAI64N) and -tt ("_") in front of socklog.
  v = parse_ok("@400000005565ae3b2d3b3b34 authpriv.notice: sshd[7]: Accepted password for u from 10.0.0.1 port 2 ssh2");
  EXPECT_EQ(v.format, LogFormat::kSocklog);
  EXPECT_EQ(v.program, "sshd");
  EXPECT_EQ(v.priority, 85);
  EXPECT_EQ(v.time_us, utc_us(2015, 5, 27, 11, 44, 49, 758856));
  EXPECT_TRUE(v.time_zoned);
  v = parse_ok("2015-05-27_04:31:28.10040 auth.info: sshd[7]: x");
  EXPECT_EQ(v.format, LogFormat::kSocklog);
  EXPECT_EQ(v.time_us, utc_us(2015, 5, 27, 4, 31, 28, 100400));
}

TEST(LogContainers, SocklogWithoutSvlogd) {
  // socklog's own output: the syslog time inside is the only one.
  LogLineView v = parse_ok("auth.info: May 27 04:31:28 sshd[30993]: Invalid user admin from 1.2.3.4", 2015);
  EXPECT_EQ(v.format, LogFormat::kSocklog);
  EXPECT_EQ(v.program, "sshd");
  EXPECT_EQ(v.time_us, utc_us(2015, 5, 27, 4, 31, 28));
  EXPECT_FALSE(v.time_exact);
  v = parse_ok("auth.info: sshd[30993]: Invalid user admin from 1.2.3.4");
  EXPECT_EQ(v.program, "sshd");
  EXPECT_EQ(v.time_us, kUnknownTime);
  // sshd's own bare output is not socklog: "debug1", "error" are no facilities.
  EXPECT_FALSE(parses("debug1: Forked child 1234."));
  EXPECT_FALSE(parses("error: kex_exchange_identification: Connection closed by remote host"));
  EXPECT_FALSE(parses("auth.info:"));
}

TEST(LogContainers, SocklogWithoutTag) {
  // SSHGuard tests-ssh-and-dropbear-sections.txt lines 122 and 125: no
  // program at all. Under the auth facilities the body is read as sshd's.
  LogLineView v = parse_ok("2015-05-27T04:31:27.46667 auth.info: Invalid user admin from 192.168.2.1");
  EXPECT_EQ(v.format, LogFormat::kSshdRaw);
  EXPECT_EQ(v.program, "");
  EXPECT_EQ(v.pid, -1);
  EXPECT_EQ(v.priority, 38);
  EXPECT_EQ(v.body, "Invalid user admin from 192.168.2.1");
  EXPECT_EQ(v.time_us, utc_us(2015, 5, 27, 4, 31, 27, 466670));
  // Under another facility it is someone else's.
  v = parse_ok("2015-05-27T04:31:27.46667 daemon.info: starting up");
  EXPECT_EQ(v.format, LogFormat::kSocklog);
  EXPECT_EQ(v.program, "");
  EXPECT_EQ(v.body, "starting up");
}

// --- svlogd / s6-log timestamps ------------------------------------------------

TEST(LogContainers, SupervisorStampBeforeBareSshdOutput) {
  // SSHGuard tests-banner-formats-section.txt line 3 (sshd -e under runit/s6).
  LogLineView v = parse_ok("2018-06-26 13:22:02.108781500 Failed password for woold from 10.10.10.76 port 34718 ssh2");
  EXPECT_EQ(v.format, LogFormat::kSshdRaw);
  EXPECT_EQ(v.host, "");
  EXPECT_EQ(v.program, "");
  EXPECT_EQ(v.body, "Failed password for woold from 10.10.10.76 port 34718 ssh2");
  EXPECT_EQ(v.time_us, utc_us(2018, 6, 26, 13, 22, 2, 108781));
  EXPECT_TRUE(v.time_exact);
  // A first word ending in ':' without a pid is sshd's text, not a tag.
  v = parse_ok("2018-06-26 13:22:02.108781500 kex_exchange_identification: Connection closed by remote host");
  EXPECT_EQ(v.format, LogFormat::kSshdRaw);
  EXPECT_EQ(v.body, "kex_exchange_identification: Connection closed by remote host");
  v = parse_ok("@400000005565ae3b2d3b3b34 banner exchange: Connection from 1.2.3.4 port 5: invalid format");
  EXPECT_EQ(v.format, LogFormat::kSshdRaw);
  EXPECT_EQ(v.body, "banner exchange: Connection from 1.2.3.4 port 5: invalid format");
  v = parse_ok("2015-05-27_04:31:28.10040 Connection closed by 1.2.3.4 port 5 [preauth]");
  EXPECT_EQ(v.format, LogFormat::kSshdRaw);
  EXPECT_EQ(v.body, "Connection closed by 1.2.3.4 port 5 [preauth]");
}

TEST(LogContainers, SupervisorStampBeforeATag) {
  LogLineView v = parse_ok("@400000005565ae3b2d3b3b34 sshd[1234]: Invalid user x from 1.2.3.4");
  EXPECT_EQ(v.format, LogFormat::kSvlogd);
  EXPECT_EQ(v.program, "sshd");
  EXPECT_EQ(v.pid, 1234);
  EXPECT_EQ(v.body, "Invalid user x from 1.2.3.4");
  EXPECT_EQ(v.time_us, utc_us(2015, 5, 27, 11, 44, 49, 758856));
  v = parse_ok("2015-05-27_04:31:28.10040 sshd[1234]: Invalid user x from 1.2.3.4");
  EXPECT_EQ(v.format, LogFormat::kSvlogd);
  EXPECT_EQ(v.program, "sshd");
  // A zoneless ISO stamp with a tagged line stays what it was.
  v = parse_ok("2026-08-04T17:40:02 sshd-session[1893]: x");
  EXPECT_EQ(v.format, LogFormat::kSyslogRfc3339);
  EXPECT_EQ(v.program, "sshd-session");
  v = parse_ok("2026-08-04T17:40:02 host sshd[1893]: x");
  EXPECT_EQ(v.host, "host");
  EXPECT_EQ(v.program, "sshd");
}

TEST(LogContainers, StampBeforeAWholeSyslogLine) {
  // `ts '%Y-%m-%d %H:%M:%.S'` (or a supervisor) over an RFC 3164 line.
  LogLineView v = parse_ok("2026-11-23 18:12:27.331766 Nov 23 18:12:27 host sshd[1]: Invalid user x from 1.2.3.4");
  EXPECT_EQ(v.format, LogFormat::kSyslog3164);
  EXPECT_EQ(v.host, "host");
  EXPECT_EQ(v.program, "sshd");
  EXPECT_EQ(v.pid, 1);
  EXPECT_EQ(v.body, "Invalid user x from 1.2.3.4");
  EXPECT_EQ(v.time_us, utc_us(2026, 11, 23, 18, 12, 27, 331766));
}

TEST(LogContainers, Tai64nScanner) {
  TimeFields t;
  EXPECT_EQ(detail::scan_tai64n("@400000005565ae3b2d3b3b34 x", t), 25u);
  EXPECT_EQ(t.kind, TimeFields::Kind::kEpoch);
  EXPECT_EQ(t.value_us, (1432727089LL * 1000000) + 758856);
  EXPECT_EQ(detail::scan_tai64n("@400000005565AE3B2D3B3B34", t), 25u);
  EXPECT_EQ(detail::scan_tai64n("@400000005565ae3b2d3b3b3", t), 0u);     // short
  EXPECT_EQ(detail::scan_tai64n("@400000005565ae3b2d3b3b345", t), 0u);   // long
  EXPECT_EQ(detail::scan_tai64n("@400000005565ae3b2d3b3g34", t), 0u);    // not hex
  EXPECT_EQ(detail::scan_tai64n("@300000005565ae3b2d3b3b34", t), 0u);    // before 1970
  EXPECT_EQ(detail::scan_tai64n("@400000005565ae3bffffffff", t), 0u);    // nanoseconds >= 1e9
  EXPECT_EQ(detail::scan_tai64n("400000005565ae3b2d3b3b34", t), 0u);     // no '@'
  EXPECT_FALSE(parses("@4000 Invalid user x"));
  EXPECT_EQ(detail::scan_svlogd_time("2015-05-27_04:31:28.10040 x", t), 25u);
  EXPECT_EQ(detail::scan_svlogd_time("2015-05-27T04:31:28.10040 x", t), 0u);
  EXPECT_EQ(detail::scan_svlogd_time("2015-13-27_04:31:28 x", t), 0u);
}

// --- whole inputs ----------------------------------------------------------------

TEST(LogContainers, ReaderDetectsSvlogdOverSshd) {
  const std::string text =
      "2018-06-26 13:22:02.108781500 Connection from 10.10.10.76 port 34718 on 10.0.0.1 port 22 rdomain \"\"\n"
      "2018-06-26 13:22:02.208781500 Failed password for woold from 10.10.10.76 port 34718 ssh2\n"
      "2018-06-26 13:22:03.000000000 kex_exchange_identification: Connection closed by remote host\n";
  LogFormat format = LogFormat::kUnknown;
  std::vector<LogRecord> recs = read_all(text, &format);
  EXPECT_EQ(format, LogFormat::kSshdRaw);
  ASSERT_EQ(recs.size(), 3u);
  for (const LogRecord& r : recs) {
    EXPECT_EQ(r.format, LogFormat::kSshdRaw);
    EXPECT_EQ(r.program, "");
    EXPECT_NE(r.time_us, kUnknownTime);
  }
  EXPECT_EQ(recs[1].body, "Failed password for woold from 10.10.10.76 port 34718 ssh2");
  EXPECT_EQ(recs[2].body, "kex_exchange_identification: Connection closed by remote host");
}

TEST(LogContainers, ReaderDetectsSocklogAndBusybox) {
  LogFormat format = LogFormat::kUnknown;
  std::vector<LogRecord> recs = read_all(
      "2015-05-27T04:31:28.10040 auth.info: May 27 04:31:28 sshd[30993]: Invalid user admin from 1.2.3.4\n"
      "2015-05-27T04:31:29.10040 auth.info: May 27 04:31:29 sshd[30993]: Connection closed by invalid user admin "
      "1.2.3.4 port 4 [preauth]\n"
      "2015-05-27T04:31:30.10040 cron.info: May 27 04:31:30 crond[1]: job\n",
      &format);
  EXPECT_EQ(format, LogFormat::kSocklog);
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_EQ(recs[0].program, "sshd");
  EXPECT_EQ(recs[0].pid, 30993);
  EXPECT_EQ(recs[0].priority, 38);
  EXPECT_EQ(recs[2].program, "crond");

  recs = read_all(
      "Jun 20 02:18:39 vps auth.info sshd[13482]: Invalid user admin from 192.168.2.2\n"
      "Jun 20 02:18:40 vps authpriv.info sshd[13482]: Connection closed by invalid user admin 192.168.2.2 port 5 "
      "[preauth]\n",
      &format);
  EXPECT_EQ(format, LogFormat::kSyslog3164);
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].host, "vps");
  EXPECT_EQ(recs[0].program, "sshd");
  EXPECT_EQ(recs[1].priority, 86);
}

TEST(LogContainers, FormatNames) {
  EXPECT_STREQ(log_format_name(LogFormat::kSocklog), "socklog");
  EXPECT_STREQ(log_format_name(LogFormat::kSvlogd), "svlogd");
  EXPECT_STREQ(log_format_name(LogFormat::kSshdRaw), "sshd-raw");
}

}  // namespace
}  // namespace sshlogwhy
