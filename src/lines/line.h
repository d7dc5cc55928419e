// One input line, as every later stage sees it.
//
// The line stage turns bytes into Lines: it splits on '\n', drops the '\r'
// of CRLF (and '\r\r\n' from pty captures), removes ANSI/VT escape sequences
// and NUL bytes, caps over-long lines, and replaces every line of a pasted
// private key block by nothing (flag kRedactedPrivateKey) so that no later
// stage can ever echo key material. `text` is otherwise the raw bytes: it may
// hold invalid UTF-8 or other control bytes; the report layer escapes them
// before anything reaches a terminal.
#pragma once

#include <cstdint>
#include <string>

namespace sshlogwhy {

enum LineFlag : uint8_t {
  kLineHadCarriageReturn = 1 << 0,  // ended in \r\n (or \r\r\n)
  kLineHadAnsiEscape = 1 << 1,      // colour / cursor escapes were removed
  kLineHadNul = 1 << 2,             // NUL bytes were removed
  kLineTruncated = 1 << 3,          // longer than the cap; only the start is kept
  kLineRedactedPrivateKey = 1 << 4, // part of a private key block; text is empty
  kLineNoNewlineAtEnd = 1 << 5,     // last line of the input, no final '\n'
};

struct Line {
  uint32_t file_index = 0;  // index into the run's list of inputs
  uint64_t number = 0;      // 1-based line number in that input
  uint64_t offset = 0;      // byte offset of the line start (decompressed)
  uint8_t flags = 0;        // LineFlag bits
  std::string text;         // cleaned text, no line terminator
};

}  // namespace sshlogwhy
