#include <gtest/gtest.h>

#include "reports/sanitize.h"

namespace sshlogwhy {
namespace {

TEST(TerminalSafe, EscapesControlsAndInvalidUtf8) {
  EXPECT_EQ(terminal_safe("plain text"), "plain text");
  EXPECT_EQ(terminal_safe("evil\x1b[2Juser"), "evil\\x1b[2Juser");
  EXPECT_EQ(terminal_safe("a\nb\rc"), "a\\x0ab\\x0dc");
  EXPECT_EQ(terminal_safe("caf\xc3\xa9"), "caf\xc3\xa9");          // valid UTF-8 stays
  EXPECT_EQ(terminal_safe("bad\xff\xfe"), "bad\\xff\\xfe");
  EXPECT_EQ(terminal_safe("\xc2\x9b" "31m"), "\\xc2\\x9b31m");       // C1 CSI is a control
  EXPECT_EQ(terminal_safe("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");       // overlong
}

TEST(JsonEscape, AlwaysValidJsonString) {
  EXPECT_EQ(json_escape("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(json_escape("\x01"), "\\u0001");
  EXPECT_EQ(json_escape("x\xff"), "x\\\\xff");
  EXPECT_EQ(json_escape("\xe2\x82\xac"), "\xe2\x82\xac");
}

}  // namespace
}  // namespace sshlogwhy
