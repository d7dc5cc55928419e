// Tests for the server log stage: format detection and LogRecordReader over
// every container (src/logs/log_record_reader.h), including the captured
// samples in <source>/../shared/research/samples and the lab corpus.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "input/memory_source.h"
#include "input/open_input.h"
#include "lines/line_reader.h"
#include "logs/journal_export.h"
#include "logs/log_record_reader.h"
#include "logs/syslog_prefix.h"
#include "test_paths.h"

namespace sshlogwhy {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

struct ReadAll {
  std::vector<LogRecord> records;
  std::optional<Error> error;
  LogStats stats;
  LogFormat format = LogFormat::kUnknown;
  bool byte_path = false;  // export was read from bytes
};

ReadAll drain(LogRecordReader& reader) {
  ReadAll out;
  LogRecord rec;
  for (;;) {
    Result<bool> more = reader.next(rec);
    if (!more.ok()) {
      out.error = more.error();
      break;
    }
    if (!more.value()) break;
    out.records.push_back(rec);
  }
  Result<bool> again = reader.next(rec);  // stays finished
  EXPECT_TRUE(again.ok() && !again.value());
  out.stats = reader.stats();
  out.format = reader.format();
  out.byte_path = reader.line_stats() == nullptr;
  return out;
}

// Through the owning constructor (bytes sniffed first).
ReadAll read_bytes(std::string data, LogReaderOptions options = {}, size_t chunk = 1 << 20,
                   LineReaderOptions line_options = {}) {
  if (options.year == 0 && options.file_mtime == 0) options.year = 2026;
  LogRecordReader reader(std::make_unique<MemorySource>("test.log", std::move(data), chunk), options, line_options);
  return drain(reader);
}

// Through a caller's LineReader.
ReadAll read_lines(std::string data, LogReaderOptions options = {}, LineReaderOptions line_options = {}) {
  if (options.year == 0 && options.file_mtime == 0) options.year = 2026;
  LineReader lines(std::make_unique<MemorySource>("test.log", std::move(data)), line_options);
  LogRecordReader reader(lines, options);
  return drain(reader);
}

int64_t utc_us(int y, int mo, int d, int h, int mi, int s, int64_t us = 0) {
  return (days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000 + us;
}

// ---------------------------------------------------------------- detection

TEST(LogDetect, Containers) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(detect_log_format(V{}), LogFormat::kUnknown);
  EXPECT_EQ(detect_log_format(V{"", "  "}), LogFormat::kUnknown);
  EXPECT_EQ(detect_log_format(V{"__CURSOR=s=1;i=2", "__REALTIME_TIMESTAMP=1"}), LogFormat::kJournalExport);
  EXPECT_EQ(detect_log_format(V{"_BOOT_ID=x", "__REALTIME_TIMESTAMP=1"}), LogFormat::kJournalExport);
  EXPECT_EQ(detect_log_format(V{"{", "\t\"MESSAGE\" : \"x\"", "}"}), LogFormat::kJournalJsonPretty);
  EXPECT_EQ(detect_log_format(V{"Debug line with all properties:", "FROMHOST: 'h'"}), LogFormat::kRsyslogDebug);
  EXPECT_EQ(detect_log_format(V{"Mon 2026-11-23 18:06:56.146503 UTC [s=5e;i=1;b=2a;m=49;t=66;x=e9]", "    A=b"}),
            LogFormat::kJournalVerbose);
  EXPECT_EQ(detect_log_format(V{"{\"MESSAGE\":\"x\"}", "\x1e{\"MESSAGE\":\"y\"}", "data: {\"MESSAGE\":\"z\"}"}),
            LogFormat::kJournalJson);
  EXPECT_EQ(detect_log_format(V{"Nov 23 18:07:29 h sshd[1]: a", "Nov 23 18:07:30 h sshd[1]: b"}),
            LogFormat::kSyslog3164);
  EXPECT_EQ(detect_log_format(V{"<38>1 - h sshd 1 - - a"}), LogFormat::kSyslog5424);
  EXPECT_EQ(detect_log_format(V{"Server listening on 0.0.0.0 port 22.", "debug1: x"}), LogFormat::kSshdRaw);
  // A majority decides; a stray prefixed line in sshd -E output does not.
  EXPECT_EQ(detect_log_format(V{"a", "b", "c", "Nov 23 18:07:29 h sshd[1]: a"}), LogFormat::kSshdRaw);
  EXPECT_EQ(detect_log_format(V{"-- Boot 2a73 --", "Nov 23 18:07:29 h sshd[1]: a", "garbage"}),
            LogFormat::kSyslog3164);
}

TEST(LogFormatNames, RoundTrip) {
  for (size_t i = 0; i < kLogFormatCount; ++i) {
    const LogFormat f = static_cast<LogFormat>(i);
    LogFormat back = LogFormat::kUnknown;
    ASSERT_TRUE(log_format_from_name(log_format_name(f), back)) << i;
    EXPECT_EQ(back, f);
  }
  LogFormat f;
  EXPECT_FALSE(log_format_from_name("nope", f));
}

// ------------------------------------------------------------------ syslog

TEST(LogReader, TraditionalSyslog) {
  const ReadAll r = read_bytes(
      "Nov 23 18:07:33 bastion-01 sshd[1329]: Failed password for nobody from 127.0.0.1 port 34706 ssh2\n"
      "Nov 23 18:07:37 bastion-01 sshd[1329]: message repeated 2 times: [ Failed password for nobody from "
      "127.0.0.1 port 34706 ssh2]\n"
      "Nov 23 18:07:29 bastion-01 nologin: Attempted login by nobody (UID: 65534) on UNKNOWN\n"
      "\n"
      "this line is nothing\n"
      "Nov 23 18:07:40 bastion-01 sshd[1329]: Disconnecting\n");
  ASSERT_FALSE(r.error.has_value());
  EXPECT_EQ(r.format, LogFormat::kSyslog3164);
  ASSERT_EQ(r.records.size(), 5u);
  EXPECT_EQ(r.records[0].line, 1u);
  EXPECT_EQ(r.records[0].time_us, utc_us(2026, 11, 23, 18, 7, 33));
  EXPECT_FALSE(r.records[0].time_exact);
  EXPECT_EQ(r.records[1].body, "Failed password for nobody from 127.0.0.1 port 34706 ssh2");
  EXPECT_EQ(r.records[1].repeat, 2u);
  EXPECT_EQ(r.records[2].program, "nologin");
  EXPECT_EQ(r.records[2].pid, -1);
  // Unrecognised text is returned, never dropped.
  EXPECT_EQ(r.records[3].format, LogFormat::kUnknown);
  EXPECT_EQ(r.records[3].body, "this line is nothing");
  EXPECT_EQ(r.records[3].line, 5u);
  EXPECT_EQ(r.records[4].line, 6u);
  EXPECT_EQ(r.stats.unparsed, 1u);
  EXPECT_EQ(r.stats.skipped_lines, 1u);
  EXPECT_EQ(r.stats.records, 5u);
  EXPECT_EQ(r.stats.by_format[static_cast<size_t>(LogFormat::kSyslog3164)], 4u);
}

TEST(LogReader, SysklogdLastMessageRepeated) {
  const ReadAll r = read_bytes(
      "Jan  5 01:31:41 www sshd[1643]: Failed password for root from 1.2.3.4 port 5 ssh2\n"
      "Jan  5 01:31:45 www last message repeated 3 times\n");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].program, "sshd");
  EXPECT_EQ(r.records[1].pid, 1643);
  EXPECT_EQ(r.records[1].body, "Failed password for root from 1.2.3.4 port 5 ssh2");
  EXPECT_EQ(r.records[1].repeat, 3u);
  EXPECT_EQ(r.records[1].time_us, utc_us(2026, 1, 5, 1, 31, 45));
}

TEST(LogReader, YearWrapFromMtime) {
  LogReaderOptions options;
  options.file_mtime = days_from_civil(2027, 1, 2) * 86400;  // written in January 2027
  const ReadAll r = read_bytes(
      "Dec 31 23:59:58 h sshd[1]: a\n"
      "Jan  1 00:00:01 h sshd[1]: b\n"
      "Dec 31 23:59:59 h sshd[1]: late\n"
      "Jan  2 10:00:00 h sshd[1]: c\n",
      options);
  ASSERT_EQ(r.records.size(), 4u);
  EXPECT_EQ(r.records[0].time_us, utc_us(2026, 12, 31, 23, 59, 58));
  EXPECT_EQ(r.records[1].time_us, utc_us(2027, 1, 1, 0, 0, 1));
  EXPECT_EQ(r.records[2].time_us, utc_us(2026, 12, 31, 23, 59, 59));
  EXPECT_EQ(r.records[3].time_us, utc_us(2027, 1, 2, 10, 0, 0));
  EXPECT_EQ(r.stats.year_wraps, 1u);
}

TEST(LogReader, YearOptionWins) {
  LogReaderOptions options;
  options.year = 2019;
  options.file_mtime = days_from_civil(2027, 1, 2) * 86400;
  const ReadAll r = read_bytes("Nov 23 18:07:29 h sshd[1]: a\n", options);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].time_us, utc_us(2019, 11, 23, 18, 7, 29));
}

TEST(LogReader, ExactYearFormatsIgnoreYearState) {
  LogReaderOptions options;
  options.year = 1999;
  const ReadAll r = read_bytes(
      "2026-11-23T18:07:29.880298+00:00 h sshd[1]: a\n<38>1 2026-11-23T18:07:29Z h sshd 1 - - b\n", options);
  ASSERT_EQ(r.records.size(), 2u);
  for (const LogRecord& rec : r.records) {
    EXPECT_TRUE(rec.time_exact);
    EXPECT_TRUE(rec.time_zoned);
  }
  EXPECT_EQ(r.records[0].time_us, utc_us(2026, 11, 23, 18, 7, 29, 880298));
}

TEST(LogReader, MixedPaste) {
  // A journalctl excerpt with a marker, an rsyslog line and a JSON line.
  const ReadAll r = read_bytes(
      "-- Journal begins at Fri 2021-09-03 05:27:23 CST, ends at Tue 2021-11-23 21:58:15 CST. --\n"
      "Nov 23 18:07:29 h sshd[1]: a\n"
      "-- Boot 2a7318cd9e0e422aa4b2d746878c4c23 --\n"
      "2026-11-23T18:07:29.1+00:00 h sshd[2]: b\n"
      "{\"MESSAGE\":\"c\",\"_PID\":\"3\",\"SYSLOG_IDENTIFIER\":\"sshd\"}\n"
      "-- No entries --\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].format, LogFormat::kSyslog3164);
  EXPECT_EQ(r.records[1].format, LogFormat::kSyslogRfc3339);
  EXPECT_EQ(r.records[2].format, LogFormat::kJournalJson);
  EXPECT_EQ(r.records[2].pid, 3);
  EXPECT_EQ(r.stats.skipped_lines, 3u);
  EXPECT_EQ(r.stats.unparsed, 0u);
}

TEST(LogReader, JournalShortContinuation) {
  const std::string first = "Nov 23 18:09:02 bastion-01.prod.example.com lab-binary-test[2464]: ";
  const ReadAll r = read_bytes(first + "lab test: valid UTF-8 with newline\n" + std::string(first.size(), ' ') +
                               "second line\n" + std::string(first.size(), ' ') + "  third, indented\n" +
                               "Nov 23 18:09:03 bastion-01.prod.example.com sshd[1]: next\n" +
                               "    not a continuation (too short an indent)\n");
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].body, "lab test: valid UTF-8 with newline\nsecond line\n  third, indented");
  EXPECT_EQ(r.records[1].body, "next");
  EXPECT_EQ(r.records[1].line, 4u);
  EXPECT_EQ(r.records[2].format, LogFormat::kUnknown);
  EXPECT_EQ(r.stats.continuation_lines, 2u);
}

TEST(LogReader, ForwardFormatWithoutTerminators) {
  std::string data;
  for (int i = 0; i < 3; ++i) {
    data += "<38>2026-11-23T18:06:57.15050" + std::to_string(i) + "+00:00 bastion-01 sshd[734]: msg " +
            std::to_string(i);
  }
  const ReadAll r = read_bytes(data);
  ASSERT_EQ(r.records.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.records[i].body, "msg " + std::to_string(i));
    EXPECT_EQ(r.records[i].line, 1u);
    EXPECT_EQ(r.records[i].priority, 38);
  }
}

TEST(LogReader, SshdRaw) {
  const ReadAll r = read_bytes(
      "Server listening on 127.0.0.1 port 46150.\r\n"
      "debug1: userauth-request for user labuser service ssh-connection method none [preauth]\r\n"
      "\r\n"
      "Connection closed by 127.0.0.1 port 39054 [preauth]\r\n");
  EXPECT_EQ(r.format, LogFormat::kSshdRaw);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].body, "Server listening on 127.0.0.1 port 46150.");
  EXPECT_EQ(r.records[0].format, LogFormat::kSshdRaw);
  EXPECT_EQ(r.records[0].program, "");
  EXPECT_EQ(r.records[0].time_us, kUnknownTime);
  EXPECT_EQ(r.records[2].line, 4u);
  EXPECT_EQ(r.stats.unparsed, 0u);
}

TEST(LogReader, ForcedCat) {
  LogReaderOptions options;
  options.format = LogFormat::kJournalCat;
  const ReadAll r = read_bytes("Journal started\nAccepted publickey for x\n", options);
  EXPECT_EQ(r.format, LogFormat::kJournalCat);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].format, LogFormat::kJournalCat);
}

TEST(LogReader, Windows) {
  const ReadAll r = read_bytes(
      "4556 2019-10-10 14:26:58.661 Connection from 10.1.20.164 port 6560 on 10.42.4.11 port 22\n"
      "4556 2019-10-10 14:26:59.001 Failed password for x from 10.1.20.164 port 6560 ssh2\n");
  EXPECT_EQ(r.format, LogFormat::kSshdWindows);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].pid, 4556);
  EXPECT_TRUE(is_sshd_program(r.records[1].program));
}

// ------------------------------------------------------------------ journald

TEST(LogReader, JournalJsonFieldsAnyOrder) {
  const ReadAll r = read_bytes(
      "{\"_PID\":\"1329\",\"MESSAGE\":\"Failed password\",\"__REALTIME_TIMESTAMP\":\"1795457249886362\","
      "\"_HOSTNAME\":\"bastion-01.prod.example.com\",\"SYSLOG_IDENTIFIER\":\"sshd\",\"PRIORITY\":\"6\","
      "\"SYSLOG_FACILITY\":\"10\",\"__MONOTONIC_TIMESTAMP\":\"1267489273\",\"_SOMETHING\":{\"nested\":[1,2]}}\n"
      "{\"SYSLOG_PID\":\"7\",\"_COMM\":\"sshd-session\",\"MESSAGE\":\"x\"}\n"
      "{\"_PID\":\"8\",\"SYSLOG_PID\":\"9\",\"SYSLOG_IDENTIFIER\":\"sshd\",\"_COMM\":\"other\",\"MESSAGE\":null}\n"
      "{\"MESSAGE\":[\"first\",\"second\"],\"_PID\":12}\n");
  ASSERT_FALSE(r.error.has_value());
  EXPECT_EQ(r.format, LogFormat::kJournalJson);
  ASSERT_EQ(r.records.size(), 4u);
  const LogRecord& a = r.records[0];
  EXPECT_EQ(a.body, "Failed password");
  EXPECT_EQ(a.pid, 1329);
  EXPECT_EQ(a.host, "bastion-01.prod.example.com");
  EXPECT_EQ(a.program, "sshd");
  EXPECT_EQ(a.time_us, 1795457249886362);
  EXPECT_TRUE(a.time_exact);
  EXPECT_TRUE(a.time_zoned);
  EXPECT_EQ(a.monotonic_us, 1267489273);
  EXPECT_EQ(a.priority, 86);
  // _COMM when there is no SYSLOG_IDENTIFIER; SYSLOG_PID when no _PID.
  EXPECT_EQ(r.records[1].program, "sshd-session");
  EXPECT_EQ(r.records[1].pid, 7);
  EXPECT_EQ(r.records[1].time_us, kUnknownTime);
  EXPECT_EQ(r.records[2].program, "sshd");
  EXPECT_EQ(r.records[2].pid, 8);
  EXPECT_EQ(r.records[2].body, "");  // null: over 4096 bytes without --all
  // A repeated field gives its first value; a bare number is accepted.
  EXPECT_EQ(r.records[3].body, "first");
  EXPECT_EQ(r.records[3].pid, 12);
}

TEST(LogReader, JournalJsonByteArrayMessage) {
  // "lab test: " ESC "[31mred" ESC "[0m" NUL 0xff 0xfe '\n' "second line"
  const ReadAll r = read_bytes(
      "{\"MESSAGE\":[108,97,98,32,116,101,115,116,58,32,27,91,51,49,109,114,101,100,27,91,48,109,0,255,254,10,"
      "115,101,99,111,110,100,32,108,105,110,101],\"SYSLOG_IDENTIFIER\":\"lab-binary-test\"}\n");
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].body, "lab test: red\xff\xfe\nsecond line");
  EXPECT_EQ(r.stats.binary_fields, 1u);
}

TEST(LogReader, JournalJsonByteArrayKeyIsRedacted) {
  const std::string key =
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----";
  std::string bytes;
  for (unsigned char c : key) bytes += (bytes.empty() ? "" : ",") + std::to_string(c);
  const ReadAll r = read_bytes("{\"MESSAGE\":[" + bytes + "],\"_PID\":\"1\"}\n{\"MESSAGE\":\"after\"}\n");
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].body, "");
  EXPECT_EQ(r.records[1].body, "after");
  EXPECT_EQ(r.stats.redacted_values, 1u);
}

TEST(LogReader, JournalJsonSeqAndSse) {
  const ReadAll seq = read_bytes("\x1e{\"MESSAGE\":\"a\"}\n\x1e{\"MESSAGE\":\"b\"}\n");
  ASSERT_EQ(seq.records.size(), 2u);
  EXPECT_EQ(seq.records[1].body, "b");
  const ReadAll sse = read_bytes("data: {\"MESSAGE\":\"a\"}\n\ndata: {\"MESSAGE\":\"b\"}\n\n");
  ASSERT_EQ(sse.records.size(), 2u);
  EXPECT_EQ(sse.records[0].body, "a");
  EXPECT_EQ(sse.stats.skipped_lines, 2u);
}

TEST(LogReader, JournalJsonMalformed) {
  const ReadAll r = read_bytes(
      "{\"MESSAGE\":\"ok\"}\n"
      "{\"MESSAGE\":\"truncated}\n"
      "{\"MESSAGE\":\"x\",}\n"
      "{\"MESSAGE\":[1,\"mixed\"]}\n"
      "{\"MESSAGE\":[300]}\n"
      "{\"MESSAGE\":\"ok2\"}\n");
  ASSERT_EQ(r.records.size(), 6u);
  EXPECT_EQ(r.records[0].format, LogFormat::kJournalJson);
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(r.records[i].format, LogFormat::kUnknown) << i;
    EXPECT_EQ(r.records[i].line, static_cast<uint64_t>(i + 1));
  }
  EXPECT_EQ(r.records[1].body, "{\"MESSAGE\":\"truncated}");
  EXPECT_EQ(r.records[5].body, "ok2");
  EXPECT_EQ(r.stats.unparsed, 4u);
}

TEST(LogReader, JournalJsonPretty) {
  const ReadAll r = read_bytes(
      "{\n"
      "\t\"_PID\" : \"1319\",\n"
      "\t\"MESSAGE\" : \"Accepted publickey\",\n"
      "\t\"SYSLOG_IDENTIFIER\" : \"sshd\"\n"
      "}\n"
      "{\n"
      "\t\"MESSAGE\" : \"never closed\",\n"
      "{\n"
      "\t\"MESSAGE\" : [ 104, 105 ]\n"
      "}\n");
  EXPECT_EQ(r.format, LogFormat::kJournalJsonPretty);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].body, "Accepted publickey");
  EXPECT_EQ(r.records[0].pid, 1319);
  EXPECT_EQ(r.records[0].line, 1u);
  EXPECT_EQ(r.records[1].format, LogFormat::kUnknown);
  EXPECT_EQ(r.records[1].line, 6u);
  EXPECT_EQ(r.records[2].body, "hi");
  EXPECT_EQ(r.records[2].line, 8u);
  EXPECT_EQ(r.stats.unparsed, 1u);
}

TEST(LogReader, JournalVerbose) {
  const ReadAll r = read_bytes(
      "Mon 2026-11-23 18:09:02.217214 UTC [s=5ec7;i=88;b=2a73;m=510d425e;t=660f57d1b4b3e;x=1]\n"
      "    _TRANSPORT=syslog\n"
      "    MESSAGE=lab test: valid UTF-8 with newline\n"
      "            second line\n"
      "    SYSLOG_IDENTIFIER=lab-binary-test\n"
      "    _PID=2464\n"
      "Mon 2026-11-23 18:09:03.000001 UTC [s=5ec7;i=89;b=2a73;m=1;x=1]\n"
      "    MESSAGE=no t= in this cursor\n");
  EXPECT_EQ(r.format, LogFormat::kJournalVerbose);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].body, "lab test: valid UTF-8 with newline\nsecond line");
  EXPECT_EQ(r.records[0].program, "lab-binary-test");
  EXPECT_EQ(r.records[0].pid, 2464);
  EXPECT_EQ(r.records[0].time_us, 0x660f57d1b4b3e);
  EXPECT_EQ(r.records[0].monotonic_us, 0x510d425e);
  EXPECT_EQ(r.records[1].line, 7u);
  EXPECT_EQ(r.records[1].time_us, utc_us(2026, 11, 23, 18, 9, 3, 1));  // from the header
}

TEST(LogReader, RsyslogDebug) {
  const ReadAll r = read_bytes(
      "Debug line with all properties:\n"
      "FROMHOST: 'bastion-01', fromhost-ip: '127.0.0.1', HOSTNAME: 'bastion-01', PRI: 38,\n"
      "syslogtag 'sshd[1329]:', programname: 'sshd', APP-NAME: 'sshd', PROCID: '1329', MSGID: '-',\n"
      "TIMESTAMP: 'Nov 23 18:07:37', STRUCTURED-DATA: '-',\n"
      "msg: ' message repeated 2 times: [ Failed password for nobody]'\n"
      "escaped msg: ' message repeated 2 times: [ Failed password for nobody]'\n"
      "inputname: imuxsock rawmsg: '<38>Nov 23 18:07:37 sshd[1329]: Failed password for nobody'\n"
      "$!:\n$.:\n$/:\n\n"
      "Debug line with all properties:\n"
      "FROMHOST: 'b', fromhost-ip: '127.0.0.1', HOSTNAME: 'b', PRI: 34,\n"
      "syslogtag 'nologin:', programname: 'nologin', APP-NAME: 'nologin', PROCID: '-', MSGID: '-',\n"
      "TIMESTAMP: '2026-11-23T18:07:29.948939+00:00', STRUCTURED-DATA: '-',\n"
      "msg: ' Attempted login by nobody'\n"
      "Debug line with all properties:\n"
      "FROMHOST: 'c'\n");
  EXPECT_EQ(r.format, LogFormat::kRsyslogDebug);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].host, "bastion-01");
  EXPECT_EQ(r.records[0].program, "sshd");
  EXPECT_EQ(r.records[0].pid, 1329);
  EXPECT_EQ(r.records[0].priority, 38);
  EXPECT_EQ(r.records[0].body, "Failed password for nobody");
  EXPECT_EQ(r.records[0].repeat, 2u);
  EXPECT_EQ(r.records[0].time_us, utc_us(2026, 11, 23, 18, 7, 37));
  EXPECT_EQ(r.records[1].program, "nologin");
  EXPECT_EQ(r.records[1].pid, -1);
  EXPECT_EQ(r.records[1].line, 12u);
  EXPECT_EQ(r.records[1].time_us, utc_us(2026, 11, 23, 18, 7, 29, 948939));
  EXPECT_EQ(r.records[2].format, LogFormat::kUnknown);  // a block without msg
}

// An export stream with binary fields, built byte by byte.
std::string binary_field(const std::string& name, const std::string& value) {
  std::string out = name + "\n";
  uint64_t n = value.size();
  for (int i = 0; i < 8; ++i) out += static_cast<char>((n >> (8 * i)) & 0xff);
  return out + value + "\n";
}

std::string export_stream() {
  std::string s;
  s += "__CURSOR=s=5ec7;i=1;b=2a73;m=498985a5;t=660f57593ec47;x=e9\n";
  s += "__REALTIME_TIMESTAMP=1795457216146503\n";
  s += "_PID=731\n";
  s += binary_field("MESSAGE", "lab test: invalid UTF-8 \xff\xfe and\nsecond line");
  s += "SYSLOG_IDENTIFIER=lab-binary-test\n";
  s += "\n";
  // Length 10 (a '\n' among the length bytes) with a '\r' and NUL inside.
  s += "__CURSOR=s=5ec7;i=2;b=2a73;m=1;t=2;x=3\n";
  s += binary_field("MESSAGE", "ab\r\ncd\0ef\n"s);
  s += "_HOSTNAME=h\n";
  s += "\n";
  // An escape sequence in the value; no empty line at the very end.
  s += "__CURSOR=s=5ec7;i=3;b=2a73;m=1;t=3;x=3\n";
  s += binary_field("MESSAGE", "tab\tand ESC \x1b[31mred\x1b[0m");
  s += "SYSLOG_IDENTIFIER=sshd\n";
  s += "_PID=5\n";
  return s;
}

TEST(LogReader, ExportBinaryFieldsFromBytes) {
  for (size_t chunk : {size_t{1}, size_t{7}, size_t{1} << 20}) {
    SCOPED_TRACE(chunk);
    const ReadAll r = read_bytes(export_stream(), {}, chunk);
    ASSERT_FALSE(r.error.has_value()) << r.error->to_string();
    EXPECT_TRUE(r.byte_path);
    EXPECT_EQ(r.format, LogFormat::kJournalExport);
    ASSERT_EQ(r.records.size(), 3u);
    EXPECT_EQ(r.records[0].body, "lab test: invalid UTF-8 \xff\xfe and\nsecond line");
    EXPECT_EQ(r.records[0].program, "lab-binary-test");
    EXPECT_EQ(r.records[0].pid, 731);
    EXPECT_EQ(r.records[0].time_us, 1795457216146503);
    EXPECT_EQ(r.records[0].line, 1u);
    // Cleaned like a line: the CR before '\n' and the NUL go.
    EXPECT_EQ(r.records[1].body, "ab\ncdef\n");
    EXPECT_EQ(r.records[1].host, "h");
    EXPECT_EQ(r.records[1].line, 9u);
    EXPECT_EQ(r.records[2].body, "tab\tand ESC red");
    EXPECT_EQ(r.records[2].pid, 5);
    EXPECT_EQ(r.stats.binary_fields, 3u);
    EXPECT_EQ(r.stats.damaged_entries, 0u);
  }
}

TEST(LogReader, ExportBinaryFieldsFromLines) {
  // Best effort through the line stage: exact when cleaning did not change
  // the value's length and no length byte is a NUL between non-NULs.
  const ReadAll r = read_lines(export_stream());
  EXPECT_FALSE(r.byte_path);
  EXPECT_EQ(r.format, LogFormat::kJournalExport);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].body, "lab test: invalid UTF-8 \xff\xfe and\nsecond line");
  EXPECT_EQ(r.records[0].program, "lab-binary-test");
  // Cleaning removed the CR and the NUL, so the length no longer tells
  // whether the value's own final '\n' or the field's was the last one.
  EXPECT_EQ(r.records[1].body.substr(0, 8), "ab\ncdef\n");
  EXPECT_EQ(r.records[1].host, "h");
  EXPECT_EQ(r.records[2].body, "tab\tand ESC red");
  EXPECT_EQ(r.records[2].pid, 5);
}

TEST(LogReader, ExportMalformed) {
  std::string s = "__CURSOR=s=1;i=1;b=2;m=3;t=4;x=5\nMESSAGE=fine\nnot a field line\n\n";
  s += "__CURSOR=s=1;i=2;b=2;m=3;t=4;x=5\nMESSAGE\n\x05\x00\x00\x00\x00\x00\x00\x00ab"s;  // cut short
  const ReadAll r = read_bytes(s);
  ASSERT_FALSE(r.error.has_value());
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].format, LogFormat::kJournalExport);
  EXPECT_EQ(r.records[0].body, "fine");
  EXPECT_EQ(r.records[1].format, LogFormat::kUnknown);
  EXPECT_EQ(r.records[1].line, 5u);
  EXPECT_EQ(r.stats.damaged_entries, 2u);
  EXPECT_EQ(r.stats.unparsed, 1u);

  // An absurd length resynchronises at the next empty line.
  std::string t = "__CURSOR=a\nMESSAGE\n\xff\xff\xff\xff\xff\xff\xff\x7f junk\n\n"s;
  t += "__CURSOR=b\nMESSAGE=after\n\n";
  const ReadAll u = read_bytes(t);
  ASSERT_EQ(u.records.size(), 2u);
  EXPECT_EQ(u.records[1].body, "after");
}

TEST(LogReader, ExportWithCrlfAndBom) {
  const ReadAll r = read_bytes(
      "\xEF\xBB\xBF__CURSOR=s=1;i=1;b=2;m=3;t=4;x=5\r\n_PID=12\r\nMESSAGE=hello\r\n\r\n"
      "__CURSOR=s=1;i=2;b=2;m=3;t=4;x=5\r\nMESSAGE=again\r\n");
  EXPECT_TRUE(r.byte_path);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].body, "hello");
  EXPECT_EQ(r.records[0].pid, 12);
  EXPECT_EQ(r.records[1].body, "again");
  EXPECT_EQ(r.records[1].line, 5u);
  EXPECT_EQ(r.stats.damaged_entries, 0u);
}

TEST(LogReader, VerboseAfterBootMarker) {
  const ReadAll r = read_bytes(
      "-- Boot 2a7318cd9e0e422aa4b2d746878c4c23 --\n"
      "Mon 2026-11-23 18:06:56.146503 UTC [s=1;i=1;b=2;m=3;t=4;x=5]\n"
      "    MESSAGE=x\n");
  EXPECT_EQ(r.format, LogFormat::kJournalVerbose);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].body, "x");
  EXPECT_EQ(r.records[0].line, 2u);
}

TEST(LogExport, StripLength) {
  EXPECT_EQ(detail::strip_export_length("*" + std::string(42, 'x')), std::string(42, 'x'));
  EXPECT_EQ(detail::strip_export_length("\n0123456789"), "0123456789");
  // Cleaning shortened the value: the nearest length still wins.
  EXPECT_EQ(detail::strip_export_length("\"tab\tand ESC red"), "tab\tand ESC red");
  EXPECT_EQ(detail::strip_export_length(""), "");
}

// Fails after serving some bytes: records before the error come first.
class FailingSource final : public ByteSource {
 public:
  explicit FailingSource(std::string data) : ByteSource("broken.log"), data_(std::move(data)) {}
  Result<size_t> read(char* buf, size_t cap) override {
    if (done_) return Error{name(), 0, "cannot read: Input/output error"};
    const size_t n = std::min(cap, data_.size());
    std::copy(data_.data(), data_.data() + n, buf);
    data_.erase(0, n);
    if (data_.empty()) done_ = true;
    return n;
  }

 private:
  std::string data_;
  bool done_ = false;
};

TEST(LogReader, ErrorAfterRecords) {
  LogReaderOptions options;
  options.year = 2026;
  LogRecordReader reader(
      std::make_unique<FailingSource>("Nov 23 18:07:29 h sshd[1]: a\nNov 23 18:07:30 h sshd[1]: b\n"), options);
  const ReadAll r = drain(reader);
  EXPECT_EQ(r.records.size(), 2u);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->file, "broken.log");
}

TEST(LogReader, BinaryInputIsAnError) {
  std::string junk(4096, '\x01');
  const ReadAll r = read_bytes(junk);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_TRUE(r.records.empty());
}

TEST(LogReader, EmptyInput) {
  const ReadAll r = read_bytes("");
  EXPECT_TRUE(r.records.empty());
  EXPECT_FALSE(r.error.has_value());
  EXPECT_EQ(r.format, LogFormat::kUnknown);
}

TEST(LogReader, DetectionBeyondSampleKeepsEveryLine) {
  // More lines than the detection sample; line numbers stay continuous.
  std::string data;
  for (int i = 1; i <= 200; ++i) data += "Nov 23 18:07:29 h sshd[" + std::to_string(i) + "]: line\n";
  LogReaderOptions options;
  options.detect_lines = 8;
  const ReadAll r = read_bytes(data, options);
  ASSERT_EQ(r.records.size(), 200u);
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(r.records[i].line, static_cast<uint64_t>(i + 1));
    EXPECT_EQ(r.records[i].pid, i + 1);
  }
}

// Inputs glued from pieces of every container, cut at random places and
// read both ways: never an error, never a record past the last line.
TEST(LogReader, SurvivesGluedAndCutInputs) {
  const std::string pieces[] = {
      "Nov 23 18:07:29 h sshd[1]: a\n",
      "<38>1 2026-11-23T18:07:29Z h sshd 1 - [x a=\"]\"] b\n",
      "{\"MESSAGE\":[104,105],\"_PID\":\"2\"}\n",
      "\x1e{\"MESSAGE\":\"c\"}\n",
      "{\n\t\"MESSAGE\" : \"d\"\n}\n",
      "Mon 2026-11-23 18:06:56.146503 UTC [s=1;i=1;b=1;m=1;t=1;x=1]\n    MESSAGE=e\n",
      "Debug line with all properties:\nFROMHOST: 'h', HOSTNAME: 'h', PRI: 38,\nmsg: ' f'\n",
      export_stream(),
      "__CURSOR=x\nMESSAGE\n\x03\x00\x00\x00\x00\x00\x00\x00g\n"s,
      "plain text\n",
      "\n\n",
      "-- Boot 1 --\n",
      "     indented\n",
  };
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string data;
    const int n = 1 + static_cast<int>(rng() % 6);
    for (int k = 0; k < n; ++k) data += pieces[rng() % std::size(pieces)];
    if (rng() % 2 == 0 && !data.empty()) data.resize(rng() % data.size());
    uint64_t lines = 1;
    for (char c : data) lines += c == '\n' ? 1 : 0;
    for (bool through_lines : {false, true}) {
      LineReaderOptions line_options;
      line_options.reject_binary = false;  // short inputs of export pieces look binary
      const ReadAll r = through_lines ? read_lines(data, {}, line_options)
                                      : read_bytes(data, {}, 1 + rng() % 64, line_options);
      ASSERT_FALSE(r.error.has_value()) << r.error->to_string();
      for (const LogRecord& rec : r.records) {
        EXPECT_GE(rec.line, 1u);
        EXPECT_LE(rec.line, lines);
        EXPECT_GE(rec.repeat, 1u);
      }
      EXPECT_EQ(r.stats.records, r.records.size());
    }
  }
}

// ------------------------------------------------------ captured samples

fs::path samples_dir() { return fs::path(testing::source_dir()) / ".." / "shared" / "research" / "samples"; }

struct SampleExpectation {
  LogFormat format;
  uint64_t records;
  uint64_t sshd_events;  // sshd records weighted by repeat
};

const std::map<std::string, SampleExpectation>& sample_table() {
  static const std::map<std::string, SampleExpectation> table = {
      {"rsyslog-8.2302-all.RSYSLOG_DebugFormat.log", {LogFormat::kRsyslogDebug, 156, 148}},
      {"rsyslog-8.2302-auth.log.RSYSLOG_FileFormat.log", {LogFormat::kSyslogRfc3339, 151, 148}},
      {"rsyslog-8.2302-auth.log.RSYSLOG_ForwardFormat.NO-LINE-TERMINATORS.log",
       {LogFormat::kSyslogRfc3339, 151, 148}},
      {"rsyslog-8.2302-auth.log.RSYSLOG_SyslogProtocol23Format.log", {LogFormat::kSyslog5424, 151, 148}},
      {"rsyslog-8.2302-auth.log.RSYSLOG_TraditionalFileFormat.log", {LogFormat::kSyslog3164, 151, 148}},
      // cat has no program names: 161 bodies (two multi-line messages
      // cannot be told from their second lines), none attributable.
      {"journalctl-252-o-cat.txt", {LogFormat::kSshdRaw, 161, 0}},
      {"journalctl-252-o-export-binary-fields.export", {LogFormat::kJournalExport, 5, 0}},
      {"journalctl-252-o-export.export", {LogFormat::kJournalExport, 159, 148}},
      {"journalctl-252-o-json--all.txt", {LogFormat::kJournalJson, 159, 148}},
      {"journalctl-252-o-json-only-_COMM=sshd.txt", {LogFormat::kJournalJson, 148, 148}},
      {"journalctl-252-o-json-pretty.txt", {LogFormat::kJournalJsonPretty, 159, 148}},
      {"journalctl-252-o-json-seq.txt", {LogFormat::kJournalJson, 159, 148}},
      {"journalctl-252-o-json-sse.txt", {LogFormat::kJournalJson, 159, 148}},
      {"journalctl-252-o-json.txt", {LogFormat::kJournalJson, 159, 148}},
      {"journalctl-252-o-short--all.txt", {LogFormat::kSyslog3164, 159, 148}},
      {"journalctl-252-o-short-delta.txt", {LogFormat::kJournalShort, 159, 148}},
      {"journalctl-252-o-short-full.txt", {LogFormat::kJournalShort, 159, 148}},
      {"journalctl-252-o-short-iso-precise-SYSTEMD_COLORS=true-ansi.txt", {LogFormat::kJournalShort, 148, 148}},
      {"journalctl-252-o-short-iso-precise.txt", {LogFormat::kJournalShort, 159, 148}},
      {"journalctl-252-o-short-iso.txt", {LogFormat::kJournalShort, 159, 148}},
      {"journalctl-252-o-short-monotonic.txt", {LogFormat::kJournalShort, 159, 148}},
      {"journalctl-252-o-short-precise.txt", {LogFormat::kJournalShort, 159, 148}},
      {"journalctl-252-o-short-unix.txt", {LogFormat::kJournalShort, 159, 148}},
      {"journalctl-252-o-short.txt", {LogFormat::kSyslog3164, 159, 148}},
      {"journalctl-252-o-verbose.txt", {LogFormat::kJournalVerbose, 159, 148}},
      {"journalctl-252-o-with-unit.txt", {LogFormat::kJournalShort, 159, 148}},
  };
  return table;
}

ReadAll read_file(const fs::path& path, bool through_lines) {
  Result<std::unique_ptr<ByteSource>> in = open_input(path.string());
  EXPECT_TRUE(in.ok());
  if (!in.ok()) return {};
  LogReaderOptions options;
  options.year = 2026;
  if (through_lines) {
    LineReader lines(std::move(in.value()));
    LogRecordReader reader(lines, options);
    return drain(reader);
  }
  LogRecordReader reader(std::move(in.value()), options);
  return drain(reader);
}

uint64_t sshd_events(const ReadAll& r) {
  uint64_t n = 0;
  for (const LogRecord& rec : r.records) {
    if (is_sshd_program(rec.program)) n += rec.repeat;
  }
  return n;
}

TEST(LogSamples, EverySampleParses) {
  if (!fs::exists(samples_dir())) GTEST_SKIP() << "no " << samples_dir();
  size_t files = 0;
  for (const char* sub : {"syslog", "journald"}) {
    for (const fs::directory_entry& e : fs::directory_iterator(samples_dir() / sub)) {
      if (!e.is_regular_file()) continue;
      ++files;
      const std::string name = e.path().filename().string();
      SCOPED_TRACE(name);
      const auto it = sample_table().find(name);
      ASSERT_NE(it, sample_table().end()) << "new sample: add its expected counts to sample_table()";
      for (bool through_lines : {false, true}) {
        SCOPED_TRACE(through_lines ? "through a LineReader" : "owning the source");
        const ReadAll r = read_file(e.path(), through_lines);
        ASSERT_FALSE(r.error.has_value()) << r.error->to_string();
        EXPECT_EQ(r.format, it->second.format) << log_format_name(r.format);
        EXPECT_EQ(r.records.size(), it->second.records);
        EXPECT_EQ(sshd_events(r), it->second.sshd_events);
        EXPECT_EQ(r.stats.unparsed, 0u);
        EXPECT_EQ(r.stats.damaged_entries, 0u);
        for (const LogRecord& rec : r.records) {
          if (!is_sshd_program(rec.program)) continue;
          EXPECT_FALSE(rec.body.empty()) << rec.line;
          EXPECT_GT(rec.pid, 0) << rec.line;
          EXPECT_TRUE(rec.time_us != kUnknownTime || rec.monotonic_us >= 0) << rec.line;
        }
      }
    }
  }
  EXPECT_EQ(files, sample_table().size());
}

// The sshd bodies of one sample, in order.
std::vector<std::string> sshd_bodies(const std::string& sub, const std::string& name) {
  const ReadAll r = read_file(samples_dir() / sub / name, false);
  std::vector<std::string> out;
  for (const LogRecord& rec : r.records) {
    if (!is_sshd_program(rec.program)) continue;
    for (uint32_t i = 0; i < rec.repeat; ++i) out.push_back(rec.body);
  }
  return out;
}

TEST(LogSamples, SameEventsInEveryContainer) {
  if (!fs::exists(samples_dir())) GTEST_SKIP() << "no " << samples_dir();
  // rsyslog keeps pam_unix's trailing space, journald strips it (6.5).
  auto trimmed = [](std::vector<std::string> v) {
    for (std::string& s : v) {
      while (!s.empty() && s.back() == ' ') s.pop_back();
    }
    return v;
  };
  const std::vector<std::string> rsyslog =
      trimmed(sshd_bodies("syslog", "rsyslog-8.2302-auth.log.RSYSLOG_TraditionalFileFormat.log"));
  ASSERT_EQ(rsyslog.size(), 148u);
  for (const char* name : {"rsyslog-8.2302-auth.log.RSYSLOG_FileFormat.log",
                           "rsyslog-8.2302-auth.log.RSYSLOG_ForwardFormat.NO-LINE-TERMINATORS.log",
                           "rsyslog-8.2302-auth.log.RSYSLOG_SyslogProtocol23Format.log",
                           "rsyslog-8.2302-all.RSYSLOG_DebugFormat.log"}) {
    EXPECT_EQ(trimmed(sshd_bodies("syslog", name)), rsyslog) << name;
  }
  const std::vector<std::string> journal = sshd_bodies("journald", "journalctl-252-o-json.txt");
  ASSERT_EQ(journal.size(), 148u);
  for (const char* name : {"journalctl-252-o-export.export", "journalctl-252-o-json-pretty.txt",
                           "journalctl-252-o-json-seq.txt", "journalctl-252-o-json-sse.txt",
                           "journalctl-252-o-short.txt", "journalctl-252-o-short-iso-precise.txt",
                           "journalctl-252-o-short-monotonic.txt", "journalctl-252-o-verbose.txt",
                           "journalctl-252-o-with-unit.txt"}) {
    EXPECT_EQ(sshd_bodies("journald", name), journal) << name;
  }
  // journald and rsyslog saw the same datagrams, in the same order except
  // where rsyslog and journald interleave differently; compare as sets.
  std::vector<std::string> a = rsyslog;
  std::vector<std::string> b = trimmed(journal);
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  EXPECT_EQ(a, b);
}

TEST(LogSamples, ExportBinaryFieldsExact) {
  if (!fs::exists(samples_dir())) GTEST_SKIP() << "no " << samples_dir();
  const fs::path path = samples_dir() / "journald" / "journalctl-252-o-export-binary-fields.export";
  const ReadAll bytes = read_file(path, false);
  const ReadAll lines = read_file(path, true);
  EXPECT_TRUE(bytes.byte_path);
  ASSERT_EQ(bytes.records.size(), 5u);
  ASSERT_EQ(lines.records.size(), 5u);
  EXPECT_EQ(bytes.records[0].body, "lab test: invalid UTF-8 \xff\xfe and\nsecond line");
  EXPECT_EQ(bytes.records[2].body, "lab test: valid UTF-8 with newline\nsecond line");
  EXPECT_EQ(bytes.records[3].body, "lab test: tab\tand ESC red");
  EXPECT_EQ(bytes.stats.binary_fields, 3u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(lines.records[i].body, bytes.records[i].body) << i;
    EXPECT_EQ(lines.records[i].time_us, bytes.records[i].time_us) << i;
    EXPECT_EQ(lines.records[i].line, bytes.records[i].line) << i;
  }
  // The same messages from JSON byte arrays.
  const ReadAll json = read_file(samples_dir() / "journald" / "journalctl-252-o-json.txt", false);
  std::vector<std::string> lab;
  for (const LogRecord& rec : json.records) {
    if (rec.program == "lab-binary-test") lab.push_back(rec.body);
  }
  ASSERT_EQ(lab.size(), 5u);
  EXPECT_EQ(lab[0], bytes.records[0].body);
  EXPECT_EQ(lab[3], bytes.records[3].body);
}

// ------------------------------------------------------------ lab corpus

TEST(LogCorpus, LabSshdLogsAreRaw) {
  const fs::path lab = fs::path(testing::source_dir()) / "corpus" / "lab";
  if (!fs::exists(lab)) GTEST_SKIP() << "no " << lab;
  size_t files = 0;
  for (const fs::directory_entry& dir : fs::directory_iterator(lab)) {
    if (!dir.is_directory()) continue;
    for (const fs::directory_entry& e : fs::directory_iterator(dir.path())) {
      const std::string name = e.path().filename().string();
      if (name.rfind("sshd", 0) != 0 || e.path().extension() != ".log") continue;
      ++files;
      SCOPED_TRACE(e.path().string());
      const ReadAll r = read_file(e.path(), false);
      ASSERT_FALSE(r.error.has_value());
      EXPECT_EQ(r.format, LogFormat::kSshdRaw);
      EXPECT_EQ(r.stats.unparsed, 0u);
      // One record per non-blank line.
      std::ifstream in(e.path(), std::ios::binary);
      std::string text;
      uint64_t non_blank = 0;
      while (std::getline(in, text)) {
        if (text.find_first_not_of(" \t\r") != std::string::npos) ++non_blank;
      }
      EXPECT_EQ(r.stats.records, non_blank);
      for (const LogRecord& rec : r.records) {
        EXPECT_EQ(rec.format, LogFormat::kSshdRaw);
        EXPECT_TRUE(rec.body.empty() || rec.body.back() != '\r');
      }
    }
  }
  EXPECT_GT(files, 0u);
}

}  // namespace
}  // namespace sshlogwhy
