// PuTTY line forms (src/events/putty_prefix.h). The lines are copied from the
// captures in research/samples/putty/ (plink 0.78 -v stderr, 0.78 session
// logs, the reconstructed Event Log window copies) with the CR already removed
// by the line stage, unless a test says otherwise.
#include "events/putty_prefix.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace sshlogwhy {
namespace {

using Form = PuttyLineForm;

// ---- form A: Event Log window copy -----------------------------------------

TEST(PuttyPrefix, EventLogWindowWithTab) {
  PuttyLine l =
      classify_putty_line("2026-11-23 18:01:48\tLooking up host \"127.0.0.1\" for SSH connection");
  EXPECT_EQ(l.form, Form::kEventLogWindow);
  EXPECT_EQ(l.timestamp, "2026-11-23 18:01:48");
  EXPECT_EQ(l.body, "Looking up host \"127.0.0.1\" for SSH connection");
}

TEST(PuttyPrefix, EventLogWindowTabTurnedIntoSpaces) {
  for (std::string_view line : {
           "2026-11-23 18:01:48 Trying Pageant key #0",
           "2026-11-23 18:01:48    Trying Pageant key #0",
           "2026-11-23 18:01:48        Trying Pageant key #0",
           "2026-11-23 18:01:48 \t Trying Pageant key #0",
       }) {
    PuttyLine l = classify_putty_line(line);
    EXPECT_EQ(l.form, Form::kEventLogWindow) << line;
    EXPECT_EQ(l.timestamp, "2026-11-23 18:01:48") << line;
    EXPECT_EQ(l.body, "Trying Pageant key #0") << line;
  }
}

TEST(PuttyPrefix, EventLogWindowFingerprintEntryAndDisconnect) {
  PuttyLine fp = classify_putty_line(
      "2026-11-23 18:01:48\tssh-ed25519 255 SHA256:LPGFfmrMtU6CplmzPvwrkG6zQSsrLBkWy/Nex4s15uo");
  EXPECT_EQ(fp.form, Form::kEventLogWindow);
  EXPECT_EQ(fp.body, "ssh-ed25519 255 SHA256:LPGFfmrMtU6CplmzPvwrkG6zQSsrLBkWy/Nex4s15uo");

  PuttyLine dc = classify_putty_line(
      "2026-11-23 18:01:48\tRemote side sent disconnect message type 2 (protocol error): "
      "\"Too many authentication failures\"");
  EXPECT_EQ(dc.form, Form::kEventLogWindow);
  EXPECT_EQ(dc.body,
            "Remote side sent disconnect message type 2 (protocol error): "
            "\"Too many authentication failures\"");
}

TEST(PuttyPrefix, EventLogWindowLeftoverCarriageReturnAndTrailingBlanks) {
  // The line stage strips CRLF; a paste may still leave a CR or blanks.
  PuttyLine l = classify_putty_line("2026-11-23 18:01:49\tAccess granted\r");
  EXPECT_EQ(l.form, Form::kEventLogWindow);
  EXPECT_EQ(l.body, "Access granted");
  l = classify_putty_line("2026-11-23 18:01:49\tAccess granted   ");
  EXPECT_EQ(l.body, "Access granted");
}

TEST(PuttyPrefix, EventLogWindowIndentedPaste) {
  PuttyLine l = classify_putty_line("    2026-11-23 18:01:49\tSent public key signature");
  EXPECT_EQ(l.form, Form::kEventLogWindow);
  EXPECT_EQ(l.body, "Sent public key signature");
}

TEST(PuttyPrefix, EventLogWindowStampWithoutMessage) {
  PuttyLine l = classify_putty_line("2026-11-23 18:01:49\t");
  EXPECT_EQ(l.form, Form::kEventLogWindow);
  EXPECT_EQ(l.timestamp, "2026-11-23 18:01:49");
  EXPECT_EQ(l.body, "");
}

TEST(PuttyPrefix, GapLine) {
  for (std::string_view line : {"..", "..\r", "..  ", "  .."}) {
    PuttyLine l = classify_putty_line(line);
    EXPECT_EQ(l.form, Form::kEventLogWindow) << line;
    EXPECT_EQ(l.body, "..") << line;
    EXPECT_EQ(l.timestamp, "") << line;
  }
  EXPECT_EQ(classify_putty_line("...").form, Form::kBare);
}

TEST(PuttyPrefix, MalformedTimestampsAreNotFormA) {
  for (std::string_view line : {
           "2026-11-23 18:01\tConnecting to 127.0.0.1 port 46022",         // no seconds
           "2026-13-23 18:01:48\tConnecting to 127.0.0.1 port 46022",      // month 13
           "2026-11-00 18:01:48\tConnecting to 127.0.0.1 port 46022",      // day 0
           "2026-11-23 24:01:48\tConnecting to 127.0.0.1 port 46022",      // hour 24
           "2026-11-23 18:61:48\tConnecting to 127.0.0.1 port 46022",      // minute 61
           "2026-11-23T18:01:48\tConnecting to 127.0.0.1 port 46022",      // ISO 'T'
           "2026/11/23 18:01:48\tConnecting to 127.0.0.1 port 46022",      // slashes
           "26-11-23 18:01:48\tConnecting to 127.0.0.1 port 46022",        // two-digit year
           "2026-11-23 18:01:48.704\tConnecting to 127.0.0.1 port 46022",  // fraction
           "2026-11-23 18:01:48,Connecting to 127.0.0.1 port 46022",       // no blank after
           "2026-1l-23 18:01:48\tConnecting to 127.0.0.1 port 46022",      // letter in date
       }) {
    PuttyLine l = classify_putty_line(line);
    EXPECT_EQ(l.form, Form::kBare) << line;
    EXPECT_EQ(l.timestamp, "") << line;
    EXPECT_EQ(l.body, line) << line;
  }
}

TEST(PuttyPrefix, WinScpLogIsNotFormA) {
  std::string_view line =
      ". 2017-02-08 14:15:03.704 Looking up host \"example.com\" for SSH connection";
  PuttyLine l = classify_putty_line(line);
  EXPECT_EQ(l.form, Form::kBare);
  EXPECT_EQ(l.body, line);
}

// ---- form B: session log -----------------------------------------------------

TEST(PuttyPrefix, SessionLogHeader) {
  PuttyLine l = classify_putty_line(
      "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2026.11.23 18:01:48 =~=~=~=~=~=~=~=~=~=~=~=");
  EXPECT_EQ(l.form, Form::kSessionLogHeader);
  EXPECT_EQ(l.timestamp, "2026.11.23 18:01:48");
  EXPECT_EQ(l.body, "");
}

TEST(PuttyPrefix, SessionLogHeaderWithMalformedStamp) {
  PuttyLine l = classify_putty_line(
      "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2026-11-23 18:01:48 =~=~=~=~=~=~=~=~=~=~=~=");
  EXPECT_EQ(l.form, Form::kSessionLogHeader);
  EXPECT_EQ(l.timestamp, "");
  l = classify_putty_line("=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2026.11.23 =~=~=");
  EXPECT_EQ(l.form, Form::kSessionLogHeader);
  EXPECT_EQ(l.timestamp, "");
}

TEST(PuttyPrefix, SessionLogEventLines) {
  PuttyLine l = classify_putty_line("Event Log: Connecting to 127.0.0.1 port 46022");
  EXPECT_EQ(l.form, Form::kSessionLogEvent);
  EXPECT_EQ(l.body, "Connecting to 127.0.0.1 port 46022");
  EXPECT_EQ(l.timestamp, "");

  l = classify_putty_line("Event Log: Pageant has 4 SSH-2 keys\r");
  EXPECT_EQ(l.form, Form::kSessionLogEvent);
  EXPECT_EQ(l.body, "Pageant has 4 SSH-2 keys");

  l = classify_putty_line("Event Log: Server version: SSH-2.0-Twisted_19.10.0rc1");
  EXPECT_EQ(l.form, Form::kSessionLogEvent);
  EXPECT_EQ(l.body, "Server version: SSH-2.0-Twisted_19.10.0rc1");
}

TEST(PuttyPrefix, SessionLogPacketDumpIsSkipped) {
  for (std::string_view line : {
           "Outgoing packet #0x0, type 20 / 0x14 (SSH2_MSG_KEXINIT)",
           "Incoming packet #0x5, type 1 / 0x01 (SSH2_MSG_DISCONNECT)",
           "Incoming packet #0x10, type 97 / 0x61 (SSH2_MSG_CHANNEL_CLOSE)",
           "Outgoing packet type 4 / 0x04 (SSH1_CMSG_USER)",
           "Incoming raw data at 2020-02-16 22:36:38",
           "Outgoing raw data at 2020-02-16 22:36:38",
           "  00000000  8d 63 f1 33 14 6f 01 29 60 26 dd 58 83 f8 98 5a  .c.3.o.)`&.X...Z",
           "  00000010  20 61 75 74 68 65 6e 74 69 63 61 74 69 6f 6e 20   authentication ",
           "  00000020  66 61 69 6c 75 72 65 73 00 00 00 00              failures....",
           "  000003f0  2e 63 6f 6d 2c 61 65 73 31 32 38 2d 67 63 6d 40  .com,aes128-gcm@",
           "  00000000  XX XX XX XX XX XX XX XX                          XXXXXXXX",
           "  (12 bytes omitted)",
           "  (1 byte omitted)",
       }) {
    PuttyLine l = classify_putty_line(line);
    EXPECT_EQ(l.form, Form::kPacketDump) << line;
    EXPECT_EQ(l.body, "") << line;
  }
}

TEST(PuttyPrefix, HexDumpAsciiColumnDoesNotLeak) {
  // The ASCII column can hold any text; the row is still a dump row.
  PuttyLine l = classify_putty_line(
      "  00000000  45 76 65 6e 74 20 4c 6f 67 3a 20 78 78 78 78 78  Event Log: xxxxx");
  EXPECT_EQ(l.form, Form::kPacketDump);
}

// ---- form D: plink -v stderr -----------------------------------------------

TEST(PuttyPrefix, PlinkBareLines) {
  for (std::string_view line : {
           "Looking up host \"127.0.0.1\" for SSH connection",
           "Remote version: SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10",
           "Using username \"nobody\".",
           "Server refused our key",
           "No supported authentication methods available (server sent: publickey)",
           "FATAL ERROR: No supported authentication methods available (server sent: publickey)",
           "type 2 (protocol error):",
           "\"Too many authentication failures\"",
           "Name or service not known",
       }) {
    PuttyLine l = classify_putty_line(line);
    EXPECT_EQ(l.form, Form::kBare) << line;
    EXPECT_EQ(l.body, line) << line;
    EXPECT_EQ(l.timestamp, "") << line;
  }
}

TEST(PuttyPrefix, PlinkPromptDisplayLinesKeepTheirIndent) {
  PuttyLine l =
      classify_putty_line("  ssh-ed25519 255 SHA256:LPGFfmrMtU6CplmzPvwrkG6zQSsrLBkWy/Nex4s15uo");
  EXPECT_EQ(l.form, Form::kBare);
  EXPECT_EQ(l.body, "  ssh-ed25519 255 SHA256:LPGFfmrMtU6CplmzPvwrkG6zQSsrLBkWy/Nex4s15uo");
  l = classify_putty_line("  127.0.0.1 (port 46022)");
  EXPECT_EQ(l.form, Form::kBare);
  EXPECT_EQ(l.body, "  127.0.0.1 (port 46022)");
}

TEST(PuttyPrefix, TerminalLineWithCarriageReturnLeft) {
  // "Server refused our key\r\n" is plink's terminal copy; if a CR survived,
  // the body is still the bare message.
  PuttyLine l = classify_putty_line("Server refused our key\r");
  EXPECT_EQ(l.form, Form::kBare);
  EXPECT_EQ(l.body, "Server refused our key");
}

TEST(PuttyPrefix, BlankLinesAreOther) {
  for (std::string_view line : {"", "   ", "\t", "\r", " \t \r"}) {
    PuttyLine l = classify_putty_line(line);
    EXPECT_EQ(l.form, Form::kOther);
    EXPECT_EQ(l.body, "");
  }
}

TEST(PuttyPrefix, NonPuttyLineIsBareWithWholeText) {
  std::string_view line = "debug1: Connecting to 127.0.0.1 [127.0.0.1] port 22.";
  PuttyLine l = classify_putty_line(line);
  EXPECT_EQ(l.form, Form::kBare);
  EXPECT_EQ(l.body, line);
}

TEST(PuttyPrefix, BodyPointsIntoInput) {
  std::string text = "2026-11-23 18:01:48\tOffered public key";
  PuttyLine l = classify_putty_line(text);
  ASSERT_EQ(l.body, "Offered public key");
  EXPECT_GE(l.body.data(), text.data());
  EXPECT_LE(l.body.data() + l.body.size(), text.data() + text.size());
  EXPECT_EQ(l.timestamp.data(), text.data());
}

// ---- auto-detection ---------------------------------------------------------

bool detect(const std::vector<std::string_view>& lines) { return looks_like_putty_log(lines); }

TEST(PuttyDetect, PlinkVerboseStderr) {
  EXPECT_TRUE(
      detect({"Looking up host \"127.0.0.1\" for SSH connection", "Connecting to 127.0.0.1 port 1",
              "Failed to connect to 127.0.0.1: Connection refused", "Connection refused",
              "FATAL ERROR: Connection refused"}));
  EXPECT_TRUE(detect({"Looking up host \"nonexistent.invalid\" for SSH connection",
                      "Unable to open connection:", "Name or service not known"}));
}

TEST(PuttyDetect, PlinkWithoutVerbose) {
  EXPECT_TRUE(
      detect({"Using username \"nobody\".", "FATAL ERROR: Remote side sent disconnect message",
              "type 2 (protocol error):", "\"Too many authentication failures\""}));
  EXPECT_TRUE(detect({"FATAL ERROR: Network error: Connection timed out"}));
  EXPECT_TRUE(detect({"Unable to open connection:", "Host does not exist"}));
}

TEST(PuttyDetect, EventLogWindowCopy) {
  EXPECT_TRUE(detect({"2026-11-23 18:01:48\tLooking up host \"127.0.0.1\" for SSH connection",
                      "2026-11-23 18:01:48\tConnecting to 127.0.0.1 port 46022"}));
  // A trimmed copy that starts mid-session, tabs turned into spaces.
  EXPECT_TRUE(detect({"..", "2026-11-23 18:01:48  Trying Pageant key #1",
                      "2026-11-23 18:01:48  Server refused our key"}));
  // Two common PuTTY events behind form-A stamps are enough.
  EXPECT_TRUE(detect(
      {"2026-11-23 18:01:49\tInitialised AES-256 SDCTR (AES-NI accelerated) outbound encryption",
       "2026-11-23 18:01:49\tAccess granted"}));
}

TEST(PuttyDetect, SessionLog) {
  EXPECT_TRUE(
      detect({"=~=~=~=~=~=~=~=~=~=~=~= PuTTY log 2026.11.23 18:01:49 =~=~=~=~=~=~=~=~=~=~=~="}));
  EXPECT_TRUE(detect({"Event Log: Server version: SSH-2.0-Twisted_19.10.0rc1"}));
}

TEST(PuttyDetect, OtherFormatsAreNotPutty) {
  EXPECT_FALSE(detect({"OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL 3.0.17 1 Jul 2025",
                       "debug1: Reading configuration data /etc/ssh/ssh_config",
                       "debug1: Connecting to 127.0.0.1 [127.0.0.1] port 46022.",
                       "debug1: Connection established.",
                       "nobody@127.0.0.1: Permission denied (publickey)."}));
  EXPECT_FALSE(
      detect({"Nov 23 18:01:48 bastion-01 sshd[4242]: Connection closed by authenticating user "
              "nobody 127.0.0.1 port 46515 [preauth]"}));
  EXPECT_FALSE(
      detect({". 2017-02-08 14:15:03.704 Looking up host \"example.com\" for SSH connection",
              ". 2017-02-08 14:15:03.704 Connecting to 10.0.0.5 port 22"}));
  // One generic event behind a stamp is not enough.
  EXPECT_FALSE(detect({"2026-11-23 18:01:49 Connecting to db.internal port 5432"}));
  EXPECT_FALSE(detect({"FATAL ERROR: out of memory"}));
  EXPECT_FALSE(detect({}));
}

// ---- duplicates in plink output ---------------------------------------------

TEST(PuttyEcho, IdenticalTerminalAndEventLines) {
  EXPECT_TRUE(is_terminal_echo("Server refused our key", "Server refused our key"));
  EXPECT_TRUE(
      is_terminal_echo("Further authentication required", "Further authentication required"));
}

TEST(PuttyEcho, FatalRepeatsTheLastEvent) {
  EXPECT_TRUE(is_terminal_echo("Cannot confirm a host key in batch mode",
                               "FATAL ERROR: Cannot confirm a host key in batch mode"));
  EXPECT_TRUE(is_terminal_echo("Connection refused", "FATAL ERROR: Connection refused"));
  EXPECT_FALSE(is_terminal_echo("Failed to connect to 127.0.0.1: Connection refused",
                                "FATAL ERROR: Connection refused"));
}

TEST(PuttyEcho, EventThenTerminalWording) {
  EXPECT_TRUE(is_terminal_echo("Password authentication failed", "Access denied"));
  EXPECT_TRUE(is_terminal_echo("Keyboard-interactive authentication failed", "Access denied"));
  EXPECT_TRUE(
      is_terminal_echo("Unable to use this key file (OpenSSH SSH-2 private key (new format))",
                       "Unable to use key file \"/srv/sshlab/sshd/keys/id_ed25519\" (OpenSSH SSH-2 "
                       "private key (new format))"));
  EXPECT_TRUE(is_terminal_echo(
      "Unable to use this key file (unable to open file)",
      "Unable to use key file \"/srv/sshlab/sshd/keys/does-not-exist.ppk\" (unable to open file)"));
  EXPECT_TRUE(is_terminal_echo("Unable to load key (PuTTY key format too new)",
                               "Unable to load key file \"new.ppk\" (PuTTY key format too new)"));
  EXPECT_TRUE(is_terminal_echo("Offer of public key accepted",
                               "Authenticating with public key \"alice@laptop\""));
  EXPECT_TRUE(
      is_terminal_echo("Pageant refused signing request", "Pageant failed to provide a signature"));
}

TEST(PuttyEcho, DifferentEventsAreNotEchoes) {
  EXPECT_FALSE(is_terminal_echo("Offered public key", "Server refused our key"));
  EXPECT_FALSE(is_terminal_echo("Trying Pageant key #0", "Server refused our key"));
  EXPECT_FALSE(is_terminal_echo("Sent password", "Access denied"));
  EXPECT_FALSE(is_terminal_echo("Access denied", "Configured password was not accepted"));
  EXPECT_FALSE(is_terminal_echo(
      "Unable to use this key file (OpenSSH SSH-2 private key (new format))",
      "Unable to use key file \"/k\" (OpenSSH SSH-2 private key (old PEM format))"));
  EXPECT_FALSE(is_terminal_echo("Reading key file \"/srv/sshlab/sshd/keys/unauth1.ppk\"",
                                "Using username \"nobody\"."));
  EXPECT_FALSE(is_terminal_echo("", ""));
}

TEST(PuttyEcho, CapturedPlinkSequenceCountsEachEventOnce) {
  // plink-v-no-supported-auth-methods.stderr.txt, from the key file on.
  const std::vector<std::string_view> lines = {
      "Reading key file \"/srv/sshlab/sshd/keys/unauth1.ppk\"",
      "Using username \"nobody\".",
      "Offered public key",
      "Server refused our key",  // terminal (\r\n)
      "Server refused our key",  // Event Log (\n)
      "No supported authentication methods available (server sent: publickey)",
      "FATAL ERROR: No supported authentication methods available (server sent: publickey)",
  };
  std::vector<std::string_view> kept;
  std::string_view prev;
  for (std::string_view b : lines) {
    if (!is_terminal_echo(prev, b)) kept.push_back(b);
    prev = b;
  }
  EXPECT_EQ(kept, (std::vector<std::string_view>{
                      "Reading key file \"/srv/sshlab/sshd/keys/unauth1.ppk\"",
                      "Using username \"nobody\".", "Offered public key", "Server refused our key",
                      "No supported authentication methods available (server sent: publickey)"}));
}

// ---- multi-line messages ------------------------------------------------------

TEST(PuttyMultiLine, PlinkFatalDisconnectJoins) {
  // plink-sshlog-too-many-auth-failures.stderr.txt (no -v).
  const std::vector<std::string_view> lines = {
      "FATAL ERROR: Remote side sent disconnect message",
      "type 2 (protocol error):", "\"Too many authentication failures\"",
      "Using username \"nobody\"."};
  ASSERT_EQ(putty_message_line_count(lines), 3u);
  std::string joined = join_putty_message(std::span(lines).first(3));
  EXPECT_EQ(joined,
            "FATAL ERROR: Remote side sent disconnect message type 2 (protocol error): "
            "\"Too many authentication failures\"");
  // With -v the Event Log line came first; the joined fatal repeats it.
  EXPECT_TRUE(
      is_terminal_echo("Remote side sent disconnect message type 2 (protocol error): \"Too many "
                       "authentication failures\"",
                       joined));
}

TEST(PuttyMultiLine, Putty070EventLogDisconnectJoins) {
  const std::vector<std::string_view> lines = {
      "Server sent disconnect message",
      "type 2 (protocol error):", "\"Too many authentication failures for root\""};
  ASSERT_EQ(putty_message_line_count(lines), 3u);
  EXPECT_EQ(join_putty_message(lines),
            "Server sent disconnect message type 2 (protocol error): "
            "\"Too many authentication failures for root\"");
}

TEST(PuttyMultiLine, ReasonSpanningLines) {
  const std::vector<std::string_view> lines = {
      "Remote side sent disconnect message", "type 11 (by application):", "\"Maintenance",
      "back at 18:00\"", "Looking up host \"x\" for SSH connection"};
  EXPECT_EQ(putty_message_line_count(lines), 4u);
}

TEST(PuttyMultiLine, IncompleteOrUnrelated) {
  const std::vector<std::string_view> cut = {"FATAL ERROR: Remote side sent disconnect message",
                                             "type 2 (protocol error):"};
  EXPECT_EQ(putty_message_line_count(cut), 2u);
  const std::vector<std::string_view> no_type = {"FATAL ERROR: Remote side sent disconnect message",
                                                 "Using username \"nobody\"."};
  EXPECT_EQ(putty_message_line_count(no_type), 1u);
  const std::vector<std::string_view> single = {
      "Remote side sent disconnect message type 2 (protocol error): \"Too many authentication "
      "failures\"",
      "FATAL ERROR: Remote side sent disconnect message"};
  EXPECT_EQ(putty_message_line_count(single), 1u);
  const std::vector<std::string_view> other = {"Access granted", "type 2 (protocol error):"};
  EXPECT_EQ(putty_message_line_count(other), 1u);
  const std::vector<std::string_view> unquoted = {"Remote side sent disconnect message",
                                                  "type 2 (protocol error):", "Too many"};
  EXPECT_EQ(putty_message_line_count(unquoted), 2u);
  EXPECT_EQ(putty_message_line_count({}), 0u);
}

}  // namespace
}  // namespace sshlogwhy
