// Tests for decode_vis_user (src/logs/vis_decode.h): sshd's strnvis
// escapes in user names, once and twice encoded, and that hostile names
// never decode into bytes a terminal or a shell would act on.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "logs/vis_decode.h"

namespace sshlogwhy {
namespace {

TEST(VisDecode, OnceAndTwiceEncodedGiveTheSameName) {
  // formats.md 4.1, captured from 9.2p1: "Invalid user j\303\266hn ..." and
  // "Connection closed by invalid user j\\303\\266hn ... [preauth]".
  EXPECT_EQ(decode_vis_user(R"(j\303\266hn)"), "j\xC3\xB6hn");
  EXPECT_EQ(decode_vis_user(R"(j\\303\\266hn)"), "j\xC3\xB6hn");
  // Three- and four-byte characters.
  EXPECT_EQ(decode_vis_user(R"(\342\202\254)"), "\xE2\x82\xAC");            // €
  EXPECT_EQ(decode_vis_user(R"(\\360\\237\\230\\200x)"), "\xF0\x9F\x98\x80x");  // U+1F600
  // Mixed levels inside one character still make the character.
  EXPECT_EQ(decode_vis_user(R"(\303\\266)"), "\xC3\xB6");
}

TEST(VisDecode, PlainNamesAreUnchanged) {
  EXPECT_EQ(decode_vis_user("root"), "root");
  EXPECT_EQ(decode_vis_user(""), "");
  EXPECT_EQ(decode_vis_user("a'b\"c;d$(e)"), "a'b\"c;d$(e)");
}

TEST(VisDecode, EscapedBackslash) {
  // A user "a\b" is logged "a\\b".
  EXPECT_EQ(decode_vis_user(R"(a\\b)"), R"(a\b)");
  // A user who typed "\303" literally is logged "\\303": a lone lead byte
  // is not a character, so one level comes off and the text stays.
  EXPECT_EQ(decode_vis_user(R"(\\303)"), R"(\303)");
  EXPECT_EQ(decode_vis_user(R"(x\)"), R"(x\)");
}

TEST(VisDecode, BytesThatAreNotPrintableCharactersStayEscaped) {
  // Control bytes: ESC, newline, CR, DEL, NUL as sshd writes them.
  EXPECT_EQ(decode_vis_user(R"(\033[2J)"), R"(\033[2J)");
  EXPECT_EQ(decode_vis_user(R"(\\033[2J)"), R"(\033[2J)");
  EXPECT_EQ(decode_vis_user(R"(a\nb\r\t\0)"), R"(a\nb\r\t\0)");
  EXPECT_EQ(decode_vis_user(R"(\177)"), R"(\177)");
  // Invalid UTF-8: lone continuation, lone lead, 0xFF, overlong, surrogate.
  EXPECT_EQ(decode_vis_user(R"(bad\377\376user)"), R"(bad\377\376user)");
  EXPECT_EQ(decode_vis_user(R"(\266)"), R"(\266)");
  EXPECT_EQ(decode_vis_user(R"(\303x)"), R"(\303x)");
  EXPECT_EQ(decode_vis_user(R"(\300\257)"), R"(\300\257)");          // overlong '/'
  EXPECT_EQ(decode_vis_user(R"(\340\200\257)"), R"(\340\200\257)");  // overlong '/'
  EXPECT_EQ(decode_vis_user(R"(\355\240\200)"), R"(\355\240\200)");  // U+D800
  // C1 controls: U+009B is CSI on terminals that take 8-bit controls.
  EXPECT_EQ(decode_vis_user(R"(\302\233[2J)"), R"(\302\233[2J)");
  EXPECT_EQ(decode_vis_user(R"(\\302\\205)"), R"(\302\205)");
  // A valid character after an invalid byte is still decoded.
  EXPECT_EQ(decode_vis_user(R"(\377\303\266)"), "\\377\xC3\xB6");
}

// Whatever the input, decoding adds no ASCII and no control character: every
// output byte below 0x80 is one the input had at that point in its text, and
// every decoded character is printable UTF-8.
TEST(VisDecode, NeverProducesBytesATerminalActsOn) {
  std::mt19937 rng(1234);
  const std::string alphabet = "\\0123\\4567\\\\ab\\n";
  for (int round = 0; round < 20000; ++round) {
    std::string in;
    const int len = static_cast<int>(rng() % 24);
    for (int i = 0; i < len; ++i) in += alphabet[rng() % alphabet.size()];
    const std::string out = decode_vis_user(in);
    size_t ascii_in = 0, ascii_out = 0;
    for (unsigned char c : in) ascii_in += c < 0x80 ? 1 : 0;
    for (unsigned char c : out) {
      ascii_out += c < 0x80 ? 1 : 0;
      ASSERT_FALSE(c < 0x20 || c == 0x7F) << in;
      // 0xC2 0x80-0x9F would be a C1 control.
    }
    for (size_t i = 0; i + 1 < out.size(); ++i) {
      ASSERT_FALSE(static_cast<unsigned char>(out[i]) == 0xC2 && static_cast<unsigned char>(out[i + 1]) < 0xA0)
          << in;
    }
    ASSERT_LE(ascii_out, ascii_in) << in;
  }
}

}  // namespace
}  // namespace sshlogwhy
