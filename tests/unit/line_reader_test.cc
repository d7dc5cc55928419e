// Tests for the line stage: splitting, cleaning, capping, binary detection
// and private-key redaction (src/lines/).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "input/memory_source.h"
#include "lines/binary_sniffer.h"
#include "lines/key_redactor.h"
#include "lines/line.h"
#include "lines/line_cleaner.h"
#include "lines/line_reader.h"

namespace sshlogwhy {
namespace {

using namespace std::string_literals;

struct ReadAll {
  std::vector<Line> lines;
  std::optional<Error> error;
  LineStats stats;
  size_t max_buffer = 0;
};

ReadAll read_all(std::string data, LineReaderOptions options = {},
                 size_t chunk = std::numeric_limits<size_t>::max(), std::string name = "test.log") {
  LineReader reader(std::make_unique<MemorySource>(name, std::move(data), chunk), options);
  ReadAll out;
  Line line;
  for (;;) {
    Result<bool> more = reader.next(line);
    out.max_buffer = std::max(out.max_buffer, reader.buffer_capacity());
    if (!more.ok()) {
      out.error = more.error();
      break;
    }
    if (!more.value()) break;
    out.lines.push_back(line);
  }
  // After the end or an error, the reader stays finished.
  Result<bool> again = reader.next(line);
  EXPECT_TRUE(again.ok());
  if (again.ok()) {
    EXPECT_FALSE(again.value());
  }
  out.stats = reader.stats();
  return out;
}

std::vector<std::string> texts(const ReadAll& r) {
  std::vector<std::string> out;
  for (const Line& l : r.lines) out.push_back(l.text);
  return out;
}

using Texts = std::vector<std::string>;

// ---------------------------------------------------------------- splitting

TEST(LineReader, EmptyInputHasNoLines) {
  ReadAll r = read_all("");
  EXPECT_FALSE(r.error.has_value());
  EXPECT_TRUE(r.lines.empty());
  EXPECT_EQ(r.stats.lines, 0u);
  EXPECT_EQ(r.stats.bytes, 0u);
}

TEST(LineReader, NumbersOffsetsAndFileIndex) {
  LineReaderOptions o;
  o.file_index = 7;
  ReadAll r = read_all("first\nsecond\n\nfourth\n", o);
  ASSERT_FALSE(r.error.has_value());
  EXPECT_EQ(texts(r), (Texts{"first", "second", "", "fourth"}));
  ASSERT_EQ(r.lines.size(), 4u);
  EXPECT_EQ(r.lines[0].number, 1u);
  EXPECT_EQ(r.lines[3].number, 4u);
  EXPECT_EQ(r.lines[0].offset, 0u);
  EXPECT_EQ(r.lines[1].offset, 6u);
  EXPECT_EQ(r.lines[2].offset, 13u);
  EXPECT_EQ(r.lines[3].offset, 14u);
  for (const Line& l : r.lines) {
    EXPECT_EQ(l.file_index, 7u);
    EXPECT_EQ(l.flags, 0u) << l.text;
  }
  EXPECT_EQ(r.stats.lines, 4u);
  EXPECT_EQ(r.stats.bytes, 21u);
}

TEST(LineReader, LastLineWithoutNewlineIsFlagged) {
  ReadAll r = read_all("a\nlast");
  ASSERT_EQ(texts(r), (Texts{"a", "last"}));
  EXPECT_EQ(r.lines[0].flags & kLineNoNewlineAtEnd, 0);
  EXPECT_NE(r.lines[1].flags & kLineNoNewlineAtEnd, 0);
  EXPECT_EQ(r.lines[1].offset, 2u);
  EXPECT_EQ(r.stats.bytes, 6u);
}

TEST(LineReader, CarriageReturnEndings) {
  // CRLF (Windows, ssh client on a tty), CR CR LF (script typescript), a
  // lone CR left by moreutils ts on the last line, LF, and a CR inside a
  // line, which is content.
  ReadAll r = read_all("crlf\r\ncrcrlf\r\r\nlf\nmid\rdle\r\nts-left\r");
  ASSERT_FALSE(r.error.has_value());
  EXPECT_EQ(texts(r), (Texts{"crlf", "crcrlf", "lf", "mid\rdle", "ts-left"}));
  EXPECT_NE(r.lines[0].flags & kLineHadCarriageReturn, 0);
  EXPECT_NE(r.lines[1].flags & kLineHadCarriageReturn, 0);
  EXPECT_EQ(r.lines[2].flags & kLineHadCarriageReturn, 0);
  EXPECT_NE(r.lines[3].flags & kLineHadCarriageReturn, 0);
  EXPECT_NE(r.lines[4].flags & kLineHadCarriageReturn, 0);
  EXPECT_NE(r.lines[4].flags & kLineNoNewlineAtEnd, 0);
  EXPECT_EQ(r.lines[1].offset, 6u);
  EXPECT_EQ(r.lines[2].offset, 15u);
  EXPECT_EQ(r.stats.lines_with_cr, 4u);
}

TEST(LineReader, Utf8ByteOrderMarkIsDroppedOnlyAtTheStart) {
  ReadAll r = read_all("\xef\xbb\xbfOpenSSH_9.2p1 Debian\n\xef\xbb\xbfkept\n");
  EXPECT_EQ(texts(r), (Texts{"OpenSSH_9.2p1 Debian", "\xef\xbb\xbfkept"}));
  EXPECT_EQ(r.lines[0].offset, 0u);
}

TEST(LineReader, InvalidUtf8AndOtherControlBytesAreKept) {
  std::string line = "user \xff\xfe\xc3 tab\there back\bspace bell\x07";
  ReadAll r = read_all(line + "\n");
  ASSERT_EQ(r.lines.size(), 1u);
  EXPECT_EQ(r.lines[0].text, line);
  EXPECT_EQ(r.lines[0].flags, 0u);
}

// Every split of the input into reads and every tiny buffer size must give
// the same lines: lines cross the buffer boundary and the read boundary at
// every position.
TEST(LineReader, LinesSpanningTheBufferBoundary) {
  std::string input;
  Texts expected;
  for (int i = 0; i < 60; ++i) {
    std::string line(static_cast<size_t>(i % 23), static_cast<char>('a' + i % 26));
    line += std::to_string(i);
    expected.push_back(line);
    input += line + (i % 3 == 0 ? "\r\n" : "\n");
  }
  for (size_t buffer : {1u, 2u, 7u, 16u, 64u, 1000u}) {
    for (size_t chunk : {1u, 3u, 16u, 4096u}) {
      LineReaderOptions o;
      o.buffer_bytes = buffer;
      ReadAll r = read_all(input, o, chunk);
      ASSERT_FALSE(r.error.has_value());
      EXPECT_EQ(texts(r), expected) << "buffer " << buffer << " chunk " << chunk;
      EXPECT_EQ(r.stats.bytes, input.size());
      uint64_t offset = 0;
      for (size_t i = 0; i < r.lines.size(); ++i) {
        EXPECT_EQ(r.lines[i].offset, offset);
        EXPECT_EQ(r.lines[i].number, i + 1);
        offset += expected[i].size() + (i % 3 == 0 ? 2 : 1);
      }
    }
  }
}

TEST(LineReader, LineLongerThanTheBufferIsKeptWhole) {
  std::string longline(5000, 'x');
  LineReaderOptions o;
  o.buffer_bytes = 16;
  ReadAll r = read_all("short\n" + longline + "\nafter\n", o, 7);
  ASSERT_FALSE(r.error.has_value());
  EXPECT_EQ(texts(r), (Texts{"short", longline, "after"}));
  EXPECT_EQ(r.lines[1].flags & kLineTruncated, 0);
  EXPECT_EQ(r.stats.truncated_lines, 0u);
}

// --------------------------------------------------------------- capping

TEST(LineReader, OverLongLineIsCappedAndTheRestSkipped) {
  const std::string longline = std::string(40, 'k') + std::string(200, 'd');
  const std::string input = "before\n" + longline + "\r\nafter\n";
  // Small buffer: the line is streamed through read_overlong(). Large
  // buffer: the whole line is in the buffer. Both must agree.
  for (size_t buffer : {16u, 1u << 20}) {
    for (size_t chunk : {5u, 100000u}) {
      LineReaderOptions o;
      o.buffer_bytes = buffer;
      o.max_line_bytes = 40;
      ReadAll r = read_all(input, o, chunk);
      ASSERT_FALSE(r.error.has_value());
      ASSERT_EQ(texts(r), (Texts{"before", std::string(40, 'k'), "after"}))
          << "buffer " << buffer << " chunk " << chunk;
      EXPECT_NE(r.lines[1].flags & kLineTruncated, 0);
      EXPECT_NE(r.lines[1].flags & kLineHadCarriageReturn, 0);
      EXPECT_EQ(r.lines[2].offset, 7u + longline.size() + 2);
      EXPECT_EQ(r.lines[2].number, 3u);
      EXPECT_EQ(r.stats.truncated_lines, 1u);
      EXPECT_EQ(r.stats.bytes, input.size());
    }
  }
}

TEST(LineReader, LineExactlyAtTheCapIsNotTruncated) {
  LineReaderOptions o;
  o.buffer_bytes = 8;
  o.max_line_bytes = 40;
  std::string at_cap(40, 'c');
  ReadAll r = read_all(at_cap + "\r\r\n" + std::string(41, 'd') + "\n", o, 3);
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].text, at_cap);
  EXPECT_EQ(r.lines[0].flags & kLineTruncated, 0);
  EXPECT_EQ(r.lines[1].text, std::string(40, 'd'));
  EXPECT_NE(r.lines[1].flags & kLineTruncated, 0);
}

TEST(LineReader, OverLongLastLineWithoutNewline) {
  LineReaderOptions o;
  o.buffer_bytes = 16;
  o.max_line_bytes = 10;
  ReadAll r = read_all("ok\n" + std::string(100, 'z'), o, 9);
  ASSERT_EQ(texts(r), (Texts{"ok", std::string(10, 'z')}));
  EXPECT_NE(r.lines[1].flags & kLineTruncated, 0);
  EXPECT_NE(r.lines[1].flags & kLineNoNewlineAtEnd, 0);
}

// A 20 MiB line must not make the reader hold 20 MiB.
TEST(LineReader, MemoryStaysBoundedOnAHugeLine) {
  LineReaderOptions o;
  o.buffer_bytes = 4096;
  o.max_line_bytes = 1024;
  std::string input = "start\n" + std::string(20u << 20, 'h') + "\nend\n";
  ReadAll r = read_all(input, o, 65536);
  ASSERT_FALSE(r.error.has_value());
  ASSERT_EQ(r.lines.size(), 3u);
  EXPECT_EQ(r.lines[1].text.size(), 1024u);
  EXPECT_EQ(r.lines[2].text, "end");
  EXPECT_LE(r.max_buffer, 4096u);
}

// copytruncate and crashes leave long NUL runs in text logs; they are
// dropped without costing the cap, and the real text after them survives.
TEST(LineReader, NulHoleBeforeALineIsDroppedNotCapped) {
  LineReaderOptions o;
  o.buffer_bytes = 64;
  o.max_line_bytes = 32;
  std::string input = std::string(100000, '\0') + "Nov 23 18:00:00 host sshd[1]: ok\nnext\n";
  ReadAll r = read_all(input, o, 4096);
  ASSERT_FALSE(r.error.has_value()) << r.error->to_string();
  ASSERT_EQ(r.lines.size(), 2u);
  EXPECT_EQ(r.lines[0].text, "Nov 23 18:00:00 host sshd[1]: ok");
  EXPECT_NE(r.lines[0].flags & kLineHadNul, 0);
  EXPECT_EQ(r.lines[0].flags & kLineTruncated, 0);
  EXPECT_EQ(r.lines[1].offset, 100000u + 33u);
}

// --------------------------------------------------------------- cleaning

TEST(CleanLine, RemovesEscapeSequencesAndKeepsText) {
  struct Case {
    std::string raw, want;
  } cases[] = {
      // journalctl with SYSTEMD_COLORS=true (formats.md 3.6)
      {"\x1b[0;1;31mPermission denied (publickey).\x1b[0m", "Permission denied (publickey)."},
      {"\x1b[0;38;5;245mdebug1: x\x1b[0m", "debug1: x"},
      {"\x1b[38:2::255:0:0mtruecolor\x1b[m", "truecolor"},
      {"\x1b[?2004hprompt$ \x1b[?2004l", "prompt$ "},
      // OSC window title ended by BEL and by ST
      {"\x1b]0;user@host: ~\x07$ ssh -v host", "$ ssh -v host"},
      {"\x1b]2;title\x1b\\text", "text"},
      // unterminated OSC runs to the end of the line
      {"before\x1b]0;never ends", "before"},
      // nF charset selection from tput sgr0, and two-byte sequences
      {"a\x1b(Bb\x1b" "7c\x1b" "8d\x1b=e\x1b" "Mf", "abcdef"},
      // malformed CSI: only the parsed part goes, the odd byte stays
      {"x\x1b[12\x01y", "x\x01y"},
      // a lone ESC at the end, ESC before a high byte
      {"end\x1b", "end"},
      {"\x1b\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9"},
      // 0x9b (8-bit CSI) is not touched: it is a UTF-8 continuation byte
      {"caf\xc3\x9b[0m", "caf\xc3\x9b[0m"},
  };
  for (const Case& c : cases) {
    std::string out = "garbage from before";
    uint8_t flags = clean_line(c.raw, out);
    EXPECT_EQ(out, c.want) << "raw: " << c.raw;
    if (c.raw.find('\x1b') != std::string::npos) {
      EXPECT_NE(flags & kLineHadAnsiEscape, 0) << c.raw;
    } else {
      EXPECT_EQ(flags, 0) << c.raw;
    }
  }
}

TEST(CleanLine, CarriageReturnBeforeAColourReset) {
  std::string out;
  uint8_t flags = clean_line("text\r\x1b[0m\r", out);
  EXPECT_EQ(out, "text");
  EXPECT_NE(flags & kLineHadCarriageReturn, 0);
  EXPECT_NE(flags & kLineHadAnsiEscape, 0);
}

TEST(CleanLine, PlainLineIsCopiedAsIs) {
  std::string out;
  EXPECT_EQ(clean_line("debug1: Connection established.", out), 0);
  EXPECT_EQ(out, "debug1: Connection established.");
}

TEST(LineReader, AnsiAndNulFlagsAndStats) {
  ReadAll r = read_all("\x1b[1mbold\x1b[0m\nnul\0here\nplain\n"s);
  ASSERT_EQ(texts(r), (Texts{"bold", "nulhere", "plain"}));
  EXPECT_NE(r.lines[0].flags & kLineHadAnsiEscape, 0);
  EXPECT_EQ(r.lines[0].flags & kLineHadNul, 0);
  EXPECT_NE(r.lines[1].flags & kLineHadNul, 0);
  EXPECT_EQ(r.lines[2].flags, 0);
  EXPECT_EQ(r.stats.lines_with_escapes, 1u);
  EXPECT_EQ(r.stats.lines_with_nul, 1u);
}

// The `script` typescript case (formats.md 3.6): \r\r\n endings and one NUL
// before the remote text.
TEST(LineReader, ScriptTypescriptWithOneNul) {
  std::string input =
      "Script started on 2026-11-23 18:04:43+00:00 [COMMAND=\"ssh -v\"]\n"
      "debug1: Connection established.\r\r\n"
      "debug1: Entering interactive session.\r\r\n"
      "\0Could not chdir to home directory /nonexistent: No such file or directory\r\n"s;
  ReadAll r = read_all(input);
  ASSERT_FALSE(r.error.has_value()) << r.error->to_string();
  ASSERT_EQ(r.lines.size(), 4u);
  EXPECT_EQ(r.lines[1].text, "debug1: Connection established.");
  EXPECT_EQ(r.lines[3].text, "Could not chdir to home directory /nonexistent: No such file or directory");
  EXPECT_NE(r.lines[3].flags & kLineHadNul, 0);
}

// ------------------------------------------------------- binary detection

// `bad` offending bytes spread over `total` bytes of text lines.
std::string text_with_controls(size_t total, size_t bad, char control) {
  std::string s;
  while (s.size() < total) s += "debug1: some ordinary text line\n";
  s.resize(total);
  s.back() = '\n';
  for (size_t i = 0; i < bad; ++i) s[5 + i * ((total - 10) / bad)] = control;
  return s;
}

TEST(LineReader, BinaryThresholdBothSides) {
  // 10% of the counted bytes is still text; one byte more is binary.
  for (char control : {'\x01', '\0', '\x7'}) {
    ReadAll ok = read_all(text_with_controls(1000, 100, control));
    EXPECT_FALSE(ok.error.has_value()) << "control " << int(control);
    EXPECT_FALSE(ok.lines.empty());

    ReadAll bad = read_all(text_with_controls(1000, 101, control));
    ASSERT_TRUE(bad.error.has_value()) << "control " << int(control);
    EXPECT_EQ(bad.error->file, "test.log");
    EXPECT_NE(bad.error->message.find("binary data (not a text log) at line 1"), std::string::npos)
        << bad.error->message;
    // With the default buffer the verdict comes before any line.
    EXPECT_TRUE(bad.lines.empty());
  }
}

TEST(LineReader, BinaryErrorNamesTheLineOfTheFirstOffendingByte) {
  std::string input = "line one\nline two\n" + std::string(200, '\x02') + "\n";
  ReadAll r = read_all(input, {}, std::numeric_limits<size_t>::max(), "wtmp");
  ASSERT_TRUE(r.error.has_value());
  EXPECT_EQ(r.error->file, "wtmp");
  EXPECT_NE(r.error->message.find("at line 3"), std::string::npos) << r.error->message;
}

TEST(LineReader, AllowedControlBytesDoNotCount) {
  // Tabs, CRs, backspaces and ESC are everyday bytes in traces.
  std::string input;
  for (int i = 0; i < 200; ++i) input += "\t\x1b[1m\b\r\n";
  ReadAll r = read_all(input);
  EXPECT_FALSE(r.error.has_value());
  EXPECT_EQ(r.lines.size(), 200u);
}

TEST(LineReader, ASingleNulNeverMakesAShortInputBinary) {
  ReadAll r = read_all("a\0\n"s);
  ASSERT_FALSE(r.error.has_value());
  EXPECT_EQ(texts(r), (Texts{"a"}));
}

TEST(LineReader, BinaryCanBeAllowed) {
  LineReaderOptions o;
  o.reject_binary = false;
  ReadAll r = read_all(std::string(300, '\x03') + "\n", o);
  EXPECT_FALSE(r.error.has_value());
  EXPECT_EQ(r.lines.size(), 1u);
}

TEST(LineReader, Utf16InputGetsAHint) {
  std::string utf16 = "\xff\xfe";
  for (char c : std::string("OpenSSH_for_Windows_9.5p1, LibreSSL 3.8.2\r\ndebug1: x\r\n")) {
    utf16 += c;
    utf16 += '\0';
  }
  ReadAll r = read_all(utf16);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_NE(r.error->message.find("UTF-16"), std::string::npos) << r.error->message;
}

TEST(LineReader, OnlyTheFirst64KiBAreSampled) {
  std::string input = text_with_controls(BinarySniffer::kSampleBytes, 10, '\x01');
  input += std::string(10000, '\x01') + "\n";
  ReadAll r = read_all(input);
  EXPECT_FALSE(r.error.has_value());
}

TEST(LineReader, BinaryDetectedAfterSomeLinesWithATinyBuffer) {
  // With a buffer smaller than the sample, lines may leave before the
  // verdict; the error still comes, naming the file.
  LineReaderOptions o;
  o.buffer_bytes = 16;
  ReadAll r = read_all("ok line\n" + std::string(500, '\x05') + "\n", o, 8);
  ASSERT_TRUE(r.error.has_value());
  EXPECT_NE(r.error->message.find("binary data"), std::string::npos);
}

// A NUL right at and just past the 1 MiB buffer boundary (ripgrep's
// sherlock-nul case): the reader must not call the file binary, must not
// lose or split the line that spans the boundary, and must flag the line.
TEST(LineReader, NulJustPastTheBufferBoundary) {
  const size_t kMiB = 1u << 20;
  std::string input;
  std::vector<std::string> expected;
  for (int i = 0; input.size() < kMiB + 5000; ++i) {
    std::string line = "Nov 23 18:12:27 host sshd[" + std::to_string(1000 + i) + "]: Connection closed";
    expected.push_back(line);
    input += line + "\n";
  }
  for (size_t nul_at : {kMiB - 1, kMiB, kMiB + 1, kMiB + 3}) {
    std::string with_nul = input;
    with_nul.insert(nul_at, 1, '\0');
    for (size_t chunk : {size_t{65536}, size_t{4093}, std::numeric_limits<size_t>::max()}) {
      ReadAll r = read_all(with_nul, {}, chunk);
      ASSERT_FALSE(r.error.has_value()) << r.error->to_string();
      ASSERT_EQ(texts(r), expected) << "NUL at " << nul_at << " chunk " << chunk;
      EXPECT_EQ(r.stats.lines_with_nul, 1u);
      EXPECT_EQ(r.stats.bytes, with_nul.size());
      // The flagged line is the one whose byte range holds the NUL.
      for (const Line& l : r.lines) {
        bool holds = l.offset <= nul_at && nul_at <= l.offset + l.text.size();
        if (l.flags & kLineHadNul) {
          EXPECT_TRUE(holds) << "line " << l.number;
        }
      }
    }
  }
}

// -------------------------------------------------------- source failures

// Serves `data`, then fails.
class FailingSource final : public ByteSource {
 public:
  FailingSource(std::string data) : ByteSource("broken.log"), data_(std::move(data)) {}
  Result<size_t> read(char* buf, size_t cap) override {
    if (pos_ == data_.size()) return Error{"broken.log", 0, "cannot read: Input/output error"};
    size_t n = std::min(cap, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

TEST(LineReader, ReadErrorComesAfterTheCompleteLines) {
  LineReader reader(std::make_unique<FailingSource>("one\ntwo\npartial"));
  Line line;
  std::vector<std::string> got;
  Result<bool> more = true;
  while ((more = reader.next(line)).ok() && more.value()) got.push_back(line.text);
  EXPECT_EQ(got, (Texts{"one", "two"}));
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.error().file, "broken.log");
  EXPECT_EQ(more.error().line, 3u);
  EXPECT_EQ(more.error().message, "cannot read: Input/output error");
  Result<bool> after = reader.next(line);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after.value());
}

// ------------------------------------------------------ private key blocks
//
// Throwaway keys generated for these tests only (ssh-keygen, openssl,
// puttygen); they protect nothing.

const char kOpenSshKey[] =
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "QyNTUxOQAAACCc3vFqC/+orMU7MSxlOhzITE9iUqVgx6RU/tK6L9tHiAAAAJgw6aS9MOmk\n"
    "vQAAAAtzc2gtZWQyNTUxOQAAACCc3vFqC/+orMU7MSxlOhzITE9iUqVgx6RU/tK6L9tHiA\n"
    "AAAECo8w09GJ2C5JLFMt31GcjUdowKbaJu9qr1PHzeCaCxtpze8WoL/6isxTsxLGU6HMhM\n"
    "T2JSpWDHpFT+0rov20eIAAAADnRocm93YXdheUB0ZXN0AQIDBAUGBw==\n"
    "-----END OPENSSH PRIVATE KEY-----\n";

const char kRsaPemKey[] =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIICXgIBAAKBgQDn4oA6lt5tpzeohoq5aE1idKfIVv9ofayHY3oPWjhj8muN2+yb\n"
    "R1A9tvDnMM1ykiGiguOXq+uQ8xIiWhDn9aB4p6foSvQh3IFrRvxzlvxERJsF5K3i\n"
    "F/IXk9l3UousfBS0mPo2VETUl18P8iJhZ3Y2VJEYhTzhDoQ6yUxApsxIqQIDAQAB\n"
    "AoGAZbMCODAI96CaGZCAcRacseyl1YjKVcKgk3R+iRMxniwpHbtxxxx8xcRhXZQa\n"
    "1v/ePo8XUGL3WsgwkN5dgc5JhStZxDNVVWo1VjLkms0Dm27otxyD7oTFV6ciI3fJ\n"
    "ApcKIiwSUYMoOtZX95rA0BkBpgnF880+eOPL439BjTl+bR0CQQD/FLdMNbpYUTdk\n"
    "VqCK3dbHwCz2xbMZ+w4I+Txg8SevtX7DgOVHH5w1HFg101xn9rVPsu/8OJFwZCBy\n"
    "rK0PF9z7AkEA6LhjlU29OlQp31POmPQ3OYCiEnDszS0j/Zf78JM4kSeq2IrSVYfs\n"
    "HLqrz+9WkMZGVtEWXTrfApxWVxzefvl3qwJBAKwhjaPW6d3pSIjkUEgFdYesLmuE\n"
    "c90HZqw1jEIa2l4fCuDhHVeGhEHu07PW4pehiy6yIHJCthpy5tabodj6kHsCQQCN\n"
    "GRbPtFWRouvMSuzNEezVwWcClVMNx1u16stG/oviflF4fxqt3v5KIOgA55TtrDmD\n"
    "c7wChKon1BAJOyivhaOHAkEAoLrJacMzxwGsVLFmcL4NPjnLJkd2w4FbNwJ6qWQC\n"
    "Jm6s3sAX4TmN7FiZXzVkPloCBFWVEBu4cEG+tiMkg+15Vw==\n"
    "-----END RSA PRIVATE KEY-----\n";

const char kEcPemKey[] =
    "-----BEGIN EC PRIVATE KEY-----\n"
    "MHcCAQEEIAPn3uhqoNkDFavBA0ShshBxA+nfVPDpqFbwYeZebT0YoAoGCCqGSM49\n"
    "AwEHoUQDQgAEWCWmocNKdLqjOHQJj0l6mk99zTq680J3ohFIQZLt/j7ac232ccSb\n"
    "59D24xe23tN7qW3EnieIL1sonxhTKheYOA==\n"
    "-----END EC PRIVATE KEY-----\n";

const char kPkcs8Key[] =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEINMIQaOtehqePFSC1mg9axaGJmXEOihUPo7Fyb0IRoOS\n"
    "-----END PRIVATE KEY-----\n";

const char kEncryptedPemKey[] =
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "Proc-Type: 4,ENCRYPTED\n"
    "DEK-Info: AES-128-CBC,8B2A7A2F0C8E6B1D2E3F405162738495\n"
    "\n"
    "c90HZqw1jEIa2l4fCuDhHVeGhEHu07PW4pehiy6yIHJCthpy5tabodj6kHsCQQCN\n"
    "-----END RSA PRIVATE KEY-----\n";

const char kPuttyV3Key[] =
    "PuTTY-User-Key-File-3: ssh-ed25519\n"
    "Encryption: none\n"
    "Comment: throwaway@test\n"
    "Public-Lines: 2\n"
    "AAAAC3NzaC1lZDI1NTE5AAAAIJze8WoL/6isxTsxLGU6HMhMT2JSpWDHpFT+0rov\n"
    "20eI\n"
    "Private-Lines: 1\n"
    "AAAAIKjzDT0YnYLkksUy3fUZyNR2jAptom72qvU8fN4JoLG2\n"
    "Private-MAC: 6f20a8132b45417708f76ed61ff246e566879bf7f416830cf1daf50d79e2b767\n";

const char kPuttyV2Key[] =
    "PuTTY-User-Key-File-2: ssh-ed25519\n"
    "Encryption: none\n"
    "Comment: throwaway@test\n"
    "Public-Lines: 2\n"
    "AAAAC3NzaC1lZDI1NTE5AAAAIJze8WoL/6isxTsxLGU6HMhMT2JSpWDHpFT+0rov\n"
    "20eI\n"
    "Private-Lines: 1\n"
    "AAAAIKjzDT0YnYLkksUy3fUZyNR2jAptom72qvU8fN4JoLG2\n"
    "Private-MAC: f527fa1e9bf4f1deb2a3278deefd7d10031923ac\n";

// Every line of `key` (except blank ones) must be absent from every Line,
// and so must every 12-byte piece of its base64 (catches partial leaks).
void expect_no_key_bytes(const ReadAll& r, const std::string& key) {
  std::vector<std::string> pieces;
  size_t start = 0;
  while (start < key.size()) {
    size_t nl = key.find('\n', start);
    std::string kl = key.substr(start, nl - start);
    start = nl + 1;
    if (kl.size() < 4) continue;
    pieces.push_back(kl);
    for (size_t i = 0; i + 12 <= kl.size(); i += 6) pieces.push_back(kl.substr(i, 12));
  }
  for (const Line& l : r.lines) {
    for (const std::string& p : pieces) {
      ASSERT_EQ(l.text.find(p), std::string::npos) << "line " << l.number << " leaks \"" << p << "\"";
    }
    EXPECT_EQ(l.text.find("PRIVATE KEY"), std::string::npos);
  }
}

size_t count_lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(KeyRedaction, EachKeyFormatIsBlankedAndTheLogAroundItKept) {
  const std::pair<const char*, const char*> keys[] = {
      {"openssh", kOpenSshKey}, {"rsa-pem", kRsaPemKey},       {"ec-pem", kEcPemKey},
      {"pkcs8", kPkcs8Key},     {"encrypted", kEncryptedPemKey}, {"putty-v3", kPuttyV3Key},
      {"putty-v2", kPuttyV2Key},
  };
  for (const auto& [label, key] : keys) {
    const std::string k = key;
    const std::string input = "debug1: identity file /home/u/.ssh/id type 3\n$ cat ~/.ssh/id\n" + k +
                              "debug1: Authentications that can continue: publickey\n";
    for (size_t buffer : {size_t{8}, size_t{1} << 20}) {
      LineReaderOptions o;
      o.buffer_bytes = buffer;
      ReadAll r = read_all(input, o, 13);
      ASSERT_FALSE(r.error.has_value()) << label;
      expect_no_key_bytes(r, k);
      const size_t key_lines = count_lines(k);
      ASSERT_EQ(r.lines.size(), key_lines + 3) << label;
      EXPECT_EQ(r.lines[0].text, "debug1: identity file /home/u/.ssh/id type 3") << label;
      EXPECT_EQ(r.lines[1].text, "$ cat ~/.ssh/id") << label;
      for (size_t i = 2; i < 2 + key_lines; ++i) {
        EXPECT_TRUE(r.lines[i].text.empty()) << label << " line " << i;
        EXPECT_NE(r.lines[i].flags & kLineRedactedPrivateKey, 0) << label << " line " << i;
        EXPECT_EQ(r.lines[i].number, i + 1) << label;
      }
      EXPECT_EQ(r.lines.back().text, "debug1: Authentications that can continue: publickey") << label;
      EXPECT_EQ(r.lines.back().flags & kLineRedactedPrivateKey, 0) << label;
      EXPECT_EQ(r.stats.redacted_key_blocks, 1u) << label;
      EXPECT_EQ(r.stats.redacted_lines, key_lines) << label;
    }
  }
}

TEST(KeyRedaction, CrlfQuotedAndIndentedPastes) {
  std::string k = kRsaPemKey;
  std::string pasted;
  size_t start = 0;
  while (start < k.size()) {
    size_t nl = k.find('\n', start);
    pasted += "> " + k.substr(start, nl - start) + "\r\n";
    start = nl + 1;
  }
  ReadAll r = read_all("> here is my key:\r\n" + pasted + "> thanks\r\n");
  expect_no_key_bytes(r, k);
  ASSERT_EQ(r.lines.size(), count_lines(k) + 2);
  EXPECT_EQ(r.lines.front().text, "> here is my key:");
  EXPECT_EQ(r.lines.back().text, "> thanks");
  EXPECT_EQ(r.stats.redacted_key_blocks, 1u);
}

TEST(KeyRedaction, UnterminatedBlockIsRedactedToTheEnd) {
  std::string k = kOpenSshKey;
  std::string no_end = k.substr(0, k.find("-----END"));
  ReadAll r = read_all("before\n" + no_end + "debug1: after the key\nmore\n");
  expect_no_key_bytes(r, k);
  ASSERT_EQ(r.lines.size(), 1 + count_lines(no_end) + 2);
  EXPECT_EQ(r.lines[0].text, "before");
  for (size_t i = 1; i < r.lines.size(); ++i) {
    EXPECT_TRUE(r.lines[i].text.empty());
    EXPECT_NE(r.lines[i].flags & kLineRedactedPrivateKey, 0);
  }
  EXPECT_EQ(r.stats.redacted_key_blocks, 1u);
}

TEST(KeyRedaction, KeySqueezedOntoOneLine) {
  std::string one_line = "key: -----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ "
                         "-----END OPENSSH PRIVATE KEY-----";
  ReadAll r = read_all("a\n" + one_line + "\nb\n");
  EXPECT_EQ(texts(r), (Texts{"a", "", "b"}));
  EXPECT_NE(r.lines[1].flags & kLineRedactedPrivateKey, 0);
  EXPECT_EQ(r.stats.redacted_key_blocks, 1u);
}

TEST(KeyRedaction, BodyWithoutBeginLine) {
  // The paste lost the BEGIN line: the base64 is held back until the lone
  // END line shows it was a key.
  std::string k = kRsaPemKey;
  std::string body = k.substr(k.find('\n') + 1);  // from the first base64 line through END
  // Without the recognisable first line too.
  std::string body_tail = body.substr(body.find('\n') + 1);
  for (const std::string& pasted : {body, body_tail}) {
    for (size_t buffer : {size_t{8}, size_t{1} << 20}) {
      LineReaderOptions o;
      o.buffer_bytes = buffer;
      ReadAll r = read_all("note\n" + pasted + "after\n", o, 5);
      expect_no_key_bytes(r, k);
      ASSERT_EQ(r.lines.size(), count_lines(pasted) + 2);
      EXPECT_EQ(r.lines.front().text, "note");
      EXPECT_EQ(r.lines.back().text, "after");
      for (size_t i = 0; i < r.lines.size(); ++i) EXPECT_EQ(r.lines[i].number, i + 1);
      EXPECT_EQ(r.stats.redacted_key_blocks, 1u);
    }
  }
}

TEST(KeyRedaction, OpenSshBodyWithoutAnyArmor) {
  std::string k = kOpenSshKey;
  size_t first = k.find('\n') + 1;
  std::string body = k.substr(first, k.find("-----END") - first);
  ReadAll r = read_all("before\n" + body + "debug1: after\n");
  expect_no_key_bytes(r, k);
  EXPECT_EQ(r.lines.front().text, "before");
  EXPECT_EQ(r.lines.back().text, "debug1: after");
  EXPECT_EQ(r.stats.redacted_key_blocks, 1u);
}

TEST(KeyRedaction, PuttyPasteStartingAtPrivateLines) {
  std::string k = kPuttyV3Key;
  std::string tail = k.substr(k.find("Private-Lines:"));
  ReadAll r = read_all("x\n" + tail + "y\n");
  expect_no_key_bytes(r, tail);
  EXPECT_EQ(r.lines.front().text, "x");
  EXPECT_EQ(r.lines.back().text, "y");
  EXPECT_EQ(r.lines.size(), count_lines(tail) + 2);
}

TEST(KeyRedaction, TwoKeysCountTwice) {
  ReadAll r = read_all(std::string(kOpenSshKey) + "between\n" + kEcPemKey);
  EXPECT_EQ(r.stats.redacted_key_blocks, 2u);
  expect_no_key_bytes(r, kOpenSshKey);
  expect_no_key_bytes(r, kEcPemKey);
  int kept = 0;
  for (const Line& l : r.lines) kept += l.text == "between";
  EXPECT_EQ(kept, 1);
}

TEST(KeyRedaction, HeldWordsAreReleasedInOrder) {
  // Base64-looking lines that are not followed by an END line come out
  // unchanged and in order, also at the end of the input.
  ReadAll r = read_all("yes\nConnection\nfoo bar\nAAAA\nabc/def+ghi=\nlast");
  EXPECT_EQ(texts(r), (Texts{"yes", "Connection", "foo bar", "AAAA", "abc/def+ghi=", "last"}));
  for (size_t i = 0; i < r.lines.size(); ++i) EXPECT_EQ(r.lines[i].number, i + 1);
  EXPECT_EQ(r.stats.redacted_key_blocks, 0u);
}

TEST(KeyRedaction, PublicKeysAndMentionsAreNotRedacted) {
  const std::string lines[] = {
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJze8WoL/6isxTsxLGU6HMhMT2JSpWDHpFT+0rov20eI u@h",
      "debug1: Server accepts key: /home/u/.ssh/id_rsa RSA SHA256:abc explicit",
      "Load key \"/home/u/.ssh/id_rsa\": invalid format",
      "error: the file must start with BEGIN PRIVATE KEY",
      "Private key file is not a PuTTY-User-Key-File",
      "-----BEGIN CERTIFICATE-----",
  };
  std::string input;
  for (const std::string& l : lines) input += l + "\n";
  ReadAll r = read_all(input);
  ASSERT_EQ(r.lines.size(), std::size(lines));
  for (size_t i = 0; i < std::size(lines); ++i) EXPECT_EQ(r.lines[i].text, lines[i]);
  EXPECT_EQ(r.stats.redacted_key_blocks, 0u);
}

TEST(KeyMarkers, ArmorVariants) {
  using detail::find_key_markers;
  EXPECT_TRUE(find_key_markers("-----BEGIN OPENSSH PRIVATE KEY-----").pem_begin);
  EXPECT_TRUE(find_key_markers("-----BEGIN PRIVATE KEY-----").pem_begin);
  EXPECT_TRUE(find_key_markers("-----BEGIN ENCRYPTED PRIVATE KEY-----").pem_begin);
  EXPECT_TRUE(find_key_markers("-----BEGIN DSA PRIVATE KEY-----").pem_begin);
  EXPECT_TRUE(find_key_markers("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----").pem_begin);
  EXPECT_TRUE(find_key_markers("-----BEGIN PGP PRIVATE KEY BLOCK-----").pem_begin);
  EXPECT_TRUE(find_key_markers("-----END EC PRIVATE KEY-----").pem_end);
  EXPECT_FALSE(find_key_markers("-----BEGIN PUBLIC KEY-----").pem_begin);
  EXPECT_FALSE(find_key_markers("BEGIN PRIVATE KEY").pem_begin);
  EXPECT_FALSE(find_key_markers("-----BEGIN private key-----").pem_begin);
  EXPECT_TRUE(find_key_markers("PuTTY-User-Key-File-3: ssh-rsa").putty_begin);
  EXPECT_FALSE(find_key_markers("PuTTY-User-Key-File-x").putty_begin);
  EXPECT_TRUE(find_key_markers("Private-MAC: 00ff").putty_end);
}

TEST(KeyMarkers, KeyBodySignaturesFromRealKeys) {
  EXPECT_TRUE(detail::starts_like_key_body("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ"));
  EXPECT_TRUE(detail::starts_like_key_body("MIICXgIBAAKBgQDn4oA6lt5tpzeohoq5aE1idKfIVv9ofayHY3oPWjhj8muN2+yb"));
  EXPECT_TRUE(detail::starts_like_key_body("MIIEowIBAAKCAQEAxyz"));
  EXPECT_TRUE(detail::starts_like_key_body("MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBALoJFWnleRx5pGJV"));
  EXPECT_TRUE(detail::starts_like_key_body("MHcCAQEEIAPn3uhqoNkDFavBA0ShshBxA+nfVPDpqFbwYeZebT0YoAoGCCqGSM49"));
  EXPECT_TRUE(detail::starts_like_key_body("MC4CAQAwBQYDK2VwBCIEINMIQaOtehqePFSC1mg9axaGJmXEOihUPo7Fyb0IRoOS"));
  // A certificate and a public key are not private keys.
  EXPECT_FALSE(detail::starts_like_key_body("MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJ"));
  EXPECT_FALSE(detail::starts_like_key_body("AAAAC3NzaC1lZDI1NTE5AAAAIJze8WoL"));
}

}  // namespace
}  // namespace sshlogwhy
