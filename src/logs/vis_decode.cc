#include "logs/vis_decode.h"

#include <cstdint>

namespace sshlogwhy {
namespace {

bool is_octal(char c) { return c >= '0' && c <= '7'; }

// An escaped non-ASCII byte at text[i]: "\ooo" or "\\ooo" with ooo in
// 200..377. Sets `byte` and `length` (bytes of text used).
bool escaped_high_byte(std::string_view text, size_t i, uint8_t& byte, size_t& length) {
  size_t digits = i + 1;
  if (digits < text.size() && text[digits] == '\\') ++digits;  // escaped once more
  if (digits + 3 > text.size()) return false;
  const char a = text[digits], b = text[digits + 1], c = text[digits + 2];
  // The first digit 2 or 3: strnvis escapes bytes 0x80-0xFF this way; lower
  // values are ASCII and stay as written.
  if ((a != '2' && a != '3') || !is_octal(b) || !is_octal(c)) return false;
  byte = static_cast<uint8_t>((a - '0') * 64 + (b - '0') * 8 + (c - '0'));
  length = digits + 3 - i;
  return true;
}

// Length of the UTF-8 sequence that `lead` starts (2-4), 0 if it is not a
// lead byte.
size_t utf8_length(uint8_t lead) {
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// True when bytes[0..n) is one valid UTF-8 character that is printable in
// the sense that matters here: not overlong, not a surrogate, not past
// U+10FFFF and not a C1 control (U+0080-U+009F, which terminals obey).
bool printable_utf8(const uint8_t* bytes, size_t n) {
  uint32_t cp = bytes[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (size_t k = 1; k < n; ++k) {
    if ((bytes[k] & 0xC0) != 0x80) return false;
    cp = cp << 6 | (bytes[k] & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return false;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  return cp > 0x9F;
}

}  // namespace

// Why whole characters: decoding escape by escape could leave a lone lead
// byte, which is not what the client sent and which some terminals would
// read together with whatever follows. A character is decoded only when
// all of its escapes are there and it is printable; otherwise its text
// stays, still readable and still safe.
std::string decode_vis_user(std::string_view text) {
  if (text.find('\\') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '\\') {
      out += text[i];
      ++i;
      continue;
    }
    uint8_t bytes[4];
    size_t length = 0;
    if (escaped_high_byte(text, i, bytes[0], length)) {
      const size_t n = utf8_length(bytes[0]);
      size_t end = i + length;
      size_t got = 1;
      while (n != 0 && got < n && escaped_high_byte(text, end, bytes[got], length)) {
        end += length;
        ++got;
      }
      if (n != 0 && got == n && printable_utf8(bytes, n)) {
        out.append(reinterpret_cast<const char*>(bytes), n);
        i = end;
        continue;
      }
    }
    // Not a character: "\\" is an escaped backslash; anything else (a
    // control byte's escape, a malformed one) is kept as written.
    if (i + 1 < text.size() && text[i + 1] == '\\') {
      out += '\\';
      i += 2;
    } else {
      out += '\\';
      ++i;
    }
  }
  return out;
}

}  // namespace sshlogwhy
