// Cleaning one line's bytes: line-ending CRs, terminal escapes, NULs.
//
// Traces reach us through terminals, `script`, `ts`, Windows pastes and
// coloured journalctl output (formats.md section 3.6), so a line's bytes
// carry noise that would defeat every pattern: "\r\r\n" endings, colour
// codes around the message, NULs from a pty. clean_line() removes exactly
// that noise and nothing else; all other bytes (including invalid UTF-8,
// tabs, backspaces and a '\r' in the middle of a line) are kept as they
// are, and the report layer escapes them before printing.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sshlogwhy {

// Stores in `out` (replacing its content, reusing its capacity) the bytes of
// `raw` (one line without its '\n') with:
//   - every trailing '\r' removed ("\r\n", "\r\r\n" from pty captures, the
//     lone '\r' that moreutils `ts` leaves), also when a colour reset
//     follows the '\r';
//   - ANSI/VT escape sequences removed: CSI (ESC '[' params final), string
//     sequences OSC/DCS/SOS/PM/APC (ESC ']' ... BEL or ESC '\'; unterminated
//     ones run to the end of the line), nF (ESC '(' 'B') and two-byte
//     ESC sequences; a malformed sequence loses only its parsed part;
//   - NUL bytes removed.
// Returns the LineFlag bits for what was removed (kLineHadCarriageReturn,
// kLineHadAnsiEscape, kLineHadNul). Pure function; thread-safe.
uint8_t clean_line(std::string_view raw, std::string& out);

namespace detail {
// Index just past the escape sequence that starts at s[i] (s[i] == ESC).
size_t skip_escape_sequence(std::string_view s, size_t i);
}  // namespace detail

}  // namespace sshlogwhy
