// Making input text safe to show.
//
// Logs carry whatever an attacker typed as a user name: terminal escape
// sequences, newlines, invalid UTF-8. Nothing from an input reaches a
// terminal or a JSON string without passing through one of these.
#pragma once

#include <string>
#include <string_view>

namespace sshlogwhy {

// For terminals: valid UTF-8 stays; control bytes (C0, DEL, C1) and bytes
// that are not valid UTF-8 become \xHH. Tabs become a space.
std::string terminal_safe(std::string_view text);

// For JSON string contents (without the quotes): escapes per RFC 8259 and
// writes bytes that are not valid UTF-8 as the six characters \\xHH (a
// literal backslash), so the output is always valid UTF-8 JSON.
std::string json_escape(std::string_view text);

}  // namespace sshlogwhy
