// Reading back the user names sshd wrote with strnvis(3).
//
// sshd logs a user name as the client sent it, passed through strnvis with
// VIS_CSTYLE|VIS_NL|VIS_TAB|VIS_OCTAL (formats.md 4.1): a non-ASCII byte
// becomes "\ooo", so "jöhn" reads "j\303\266hn". Lines relayed by the
// privsep monitor ("... [preauth]") are encoded a second time and read
// "j\\303\\266hn"; so do some collectors that escape backslashes again
// (rsyslog with escaping on, journald exports). Without decoding, one
// connection's user would have two spellings and neither is the name the
// operator knows.
//
//   std::string user = decode_vis_user(capture);   // "jöhn" for both forms
//
// User names are hostile input. The decoder only ever turns escapes into
// printable non-ASCII UTF-8 characters; it never produces an ASCII byte or
// a control character (C0, DEL, C1), so it cannot introduce a space, a
// quote, a newline or a terminal escape that the encoded text did not
// already show. Everything else ("\033", "\n", "\\\\", malformed escapes)
// is kept as written. Reports still pass the result through
// terminal_safe()/json_escape() (reports/sanitize.h) like any input text.
#pragma once

#include <string>
#include <string_view>

namespace sshlogwhy {

// Decodes the octal escapes of non-ASCII bytes in `text` ("\ooo" with ooo
// in 200..377), and the same escaped once more ("\\ooo"), wherever the
// decoded bytes form valid UTF-8 that is not a C1 control; a "\\" that is
// not the start of such an escape becomes "\". Any other byte, and any
// escape whose bytes would not form a printable UTF-8 character (a lone
// "\377", "\302\233" = U+009B CSI), is copied unchanged. Pure; allocates
// only the result. Returns `text` unchanged when it holds no backslash.
std::string decode_vis_user(std::string_view text);

}  // namespace sshlogwhy
