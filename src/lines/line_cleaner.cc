#include "lines/line_cleaner.h"

#include <cstring>

#include "lines/line.h"

namespace sshlogwhy {

namespace {

constexpr char kEsc = '\x1b';

bool in_range(char c, unsigned char lo, unsigned char hi) {
  unsigned char u = static_cast<unsigned char>(c);
  return u >= lo && u <= hi;
}

size_t trailing_cr_count(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[s.size() - 1 - n] == '\r') ++n;
  return n;
}

}  // namespace

namespace detail {

// Byte classes follow ECMA-48 section 5: parameters 0x30-0x3F,
// intermediates 0x20-0x2F, finals 0x40-0x7E. Terminals give up on a
// malformed sequence at the first byte that does not fit, and so do we:
// that byte is kept, because it is more likely text than part of the
// sequence.
size_t skip_escape_sequence(std::string_view s, size_t i) {
  const size_t n = s.size();
  size_t j = i + 1;
  if (j >= n) return n;  // a lone ESC at the end of the line
  const char c = s[j];
  if (c == '[') {  // CSI
    ++j;
    while (j < n && in_range(s[j], 0x30, 0x3f)) ++j;
    while (j < n && in_range(s[j], 0x20, 0x2f)) ++j;
    if (j < n && in_range(s[j], 0x40, 0x7e)) return j + 1;
    return j;
  }
  if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
    // OSC, DCS, SOS, PM, APC: a string ended by ST (ESC '\') or, as xterm
    // accepts, BEL. Window-title OSCs from shell prompts are the usual case.
    for (++j; j < n; ++j) {
      if (s[j] == '\x07') return j + 1;
      if (s[j] == kEsc && j + 1 < n && s[j + 1] == '\\') return j + 2;
    }
    return n;
  }
  if (in_range(c, 0x20, 0x2f)) {  // nF: ESC '(' 'B' (charset), ESC '#' '8' ...
    while (j < n && in_range(s[j], 0x20, 0x2f)) ++j;
    if (j < n && in_range(s[j], 0x30, 0x7e)) return j + 1;
    return j;
  }
  if (in_range(c, 0x30, 0x7e)) return j + 1;  // Fp/Fe/Fs: ESC 7, ESC M, ESC c ...
  return j;  // ESC then a control or 8-bit byte: drop the ESC alone
}

}  // namespace detail

uint8_t clean_line(std::string_view raw, std::string& out) {
  uint8_t flags = 0;
  if (size_t crs = trailing_cr_count(raw); crs > 0) {
    raw.remove_suffix(crs);
    flags |= kLineHadCarriageReturn;
  }
  // The common case, a plain line, is two memchr calls and one copy.
  const bool has_esc = std::memchr(raw.data(), kEsc, raw.size()) != nullptr;
  const bool has_nul = std::memchr(raw.data(), '\0', raw.size()) != nullptr;
  if (!has_esc && !has_nul) {
    out.assign(raw.data(), raw.size());
    return flags;
  }

  out.clear();
  out.reserve(raw.size());
  size_t i = 0;
  while (i < raw.size()) {
    size_t j = i;
    while (j < raw.size() && raw[j] != kEsc && raw[j] != '\0') ++j;
    out.append(raw.data() + i, j - i);
    if (j == raw.size()) break;
    if (raw[j] == '\0') {
      flags |= kLineHadNul;
      i = j + 1;
    } else {
      flags |= kLineHadAnsiEscape;
      i = detail::skip_escape_sequence(raw, j);
    }
  }
  // "text\r\e[0m" (a colour reset after the CR) leaves a CR only now.
  if (size_t crs = trailing_cr_count(out); crs > 0) {
    out.resize(out.size() - crs);
    flags |= kLineHadCarriageReturn;
  }
  return flags;
}

}  // namespace sshlogwhy
