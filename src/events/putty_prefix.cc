#include "events/putty_prefix.h"


namespace sshlogwhy {
namespace {

constexpr std::string_view kHeaderFence = "=~=~=~=~=~=~=~=~=~=~=~= PuTTY log ";
constexpr std::string_view kEventLogPrefix = "Event Log: ";
constexpr std::string_view kFatalPrefix = "FATAL ERROR: ";
constexpr size_t kStampLength = 19;  // "YYYY-MM-DD HH:MM:SS"

bool is_blank(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

std::string_view trim_trailing(std::string_view s) {
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view skip_leading_blanks(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && is_blank(s[i])) ++i;
  return s.substr(i);
}

// Two digits at s[pos], value in [lo, hi].
bool two_digits_in(std::string_view s, size_t pos, int lo, int hi) {
  if (pos + 2 > s.size() || !is_digit(s[pos]) || !is_digit(s[pos + 1])) return false;
  int v = (s[pos] - '0') * 10 + (s[pos + 1] - '0');
  return v >= lo && v <= hi;
}

// "YYYY<sep>MM<sep>DD HH:MM:SS" at the start of s, with plausible values
// (strftime never produces anything else; a second of 60 is a leap second).
bool is_stamp(std::string_view s, char date_sep) {
  if (s.size() < kStampLength) return false;
  for (size_t i = 0; i < 4; ++i) {
    if (!is_digit(s[i])) return false;
  }
  return s[4] == date_sep && two_digits_in(s, 5, 1, 12) && s[7] == date_sep &&
         two_digits_in(s, 8, 1, 31) && s[10] == ' ' && two_digits_in(s, 11, 0, 23) &&
         s[13] == ':' && two_digits_in(s, 14, 0, 59) && s[16] == ':' && two_digits_in(s, 17, 0, 60);
}

// "  00000010  20 61 75 ..." (blanked bytes are "XX"), or "  (12 bytes omitted)".
bool is_hex_dump_row(std::string_view line) {
  std::string_view s = skip_leading_blanks(line);
  if (s.size() >= 12) {
    bool offset = true;
    for (size_t i = 0; i < 8; ++i) offset = offset && is_lower_hex(s[i]);
    if (offset && s[8] == ' ' && s[9] == ' ' &&
        ((is_lower_hex(s[10]) && is_lower_hex(s[11])) || (s[10] == 'X' && s[11] == 'X'))) {
      return true;
    }
  }
  if (s.size() > 1 && s[0] == '(' && is_digit(s[1]) && s.size() != line.size()) {
    size_t i = 1;
    while (i < s.size() && is_digit(s[i])) ++i;
    std::string_view rest = trim_trailing(s.substr(i));
    return rest == " byte omitted)" || rest == " bytes omitted)";
  }
  return false;
}

// "Incoming packet #0x5, type 1 / 0x01 (SSH2_MSG_DISCONNECT)", "Outgoing
// packet type 4 / 0x04 (SSH1_CMSG_USER)" (SSH-1 has no sequence number),
// "Incoming raw data at 2020-02-16 22:36:38".
bool is_packet_header(std::string_view s) {
  if (!s.starts_with("Incoming ") && !s.starts_with("Outgoing ")) return false;
  s.remove_prefix(9);
  if (s.starts_with("raw data at ")) return true;
  if (!s.starts_with("packet ")) return false;
  s.remove_prefix(7);
  return s.starts_with("#0x") || s.starts_with("type ");
}

bool starts_with_any(std::string_view s, std::span<const std::string_view> prefixes) {
  for (std::string_view p : prefixes) {
    if (s.starts_with(p)) return true;
  }
  return false;
}

// Beginnings that only PuTTY's own messages have. Enough on a bare line.
constexpr std::string_view kStrongStarts[] = {
    "We claim version: SSH-",
    "Remote version: SSH-",
    "Server version: SSH-",
    "Pageant is running. Requesting keys.",
    "Trying Pageant key #",
    "Configured key file not in Pageant",
    "Reading key file \"",
    "Offered public key",
    "Offer of public key accepted",
    "Server refused our key",
    "Sent public key signature",
    "Host key fingerprint is:",
    "Remote side unexpectedly closed network connection",
    "Server unexpectedly closed network connection",
    "Remote side sent disconnect message",
    "Server sent disconnect message",
    "No supported authentication methods available (server sent: ",
    "Disconnected: No supported authentication methods available",
    "Unable to use key file \"",
    "Unable to use this key file (",
    "Unable to load key file \"",
    "Couldn't agree a ",
    "Cannot confirm a host key in batch mode",
    "Cannot confirm a weak crypto primitive in batch mode",
    "Cannot answer interactive prompts in batch mode",
    "Configured password was not accepted",
    "Unable to open connection:",
};

// Common PuTTY event beginnings that other programs might also print; they
// count only behind a PuTTY prefix (form A/B) and only twice or more.
constexpr std::string_view kWeakStarts[] = {
    "Looking up host \"",
    "Connecting to ",
    "Connected to ",
    "Failed to connect to ",
    "Using SSH protocol version ",
    "Doing ",
    "Initialised ",
    "Server also has ",
    "Enabling strict key exchange semantics",
    "Access granted",
    "Access denied",
    "Sent password",
    "Password authentication failed",
    "Further authentication required",
    "Pageant has ",
    "Remote debug message: ",
    "Opening main session channel",
    "Started a shell/command",
    "Network error: ",
    "Writing new session log",
    "Session sent command exit status ",
    "All channels closed",
};

// A bare line that on its own identifies PuTTY output.
bool is_strong_bare(std::string_view body) {
  if (starts_with_any(body, kStrongStarts)) return true;
  // Looking up host "H" for SSH connection / ... (IPv4) for proxy
  if (body.starts_with("Looking up host \"") && body.find("\" for ") != std::string_view::npos) {
    return true;
  }
  if (body.starts_with("Using username \"") && body.ends_with("\".")) return true;
  if (body.starts_with("Pageant has ") && body.ends_with(" SSH-2 keys")) return true;
  return false;
}

// "type 2 (protocol error):"
bool is_disconnect_type_line(std::string_view s) {
  if (!s.starts_with("type ")) return false;
  size_t i = 5;
  size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (digits == 0 || s.substr(i, 2) != " (") return false;
  return s.size() >= i + 4 && s.ends_with("):");
}

// "Unable to use this key file (R)" -> R, or empty view when not that shape.
std::string_view bracketed_tail(std::string_view s, std::string_view head) {
  if (!s.starts_with(head) || !s.ends_with(")") || s.size() < head.size() + 1) return {};
  return s.substr(head.size(), s.size() - head.size() - 1);
}

// `Unable to use key file "P" (R)` with the given R.
bool is_path_form_with_reason(std::string_view s, std::string_view head, std::string_view reason) {
  if (!s.starts_with(head) || !s.ends_with(")")) return false;
  std::string_view rest = s.substr(head.size(), s.size() - head.size() - 1);  // P" (R
  if (!rest.ends_with(reason)) return false;
  rest.remove_suffix(reason.size());
  return rest.ends_with("\" (");
}

}  // namespace

PuttyLine classify_putty_line(std::string_view text) {
  PuttyLine out;
  std::string_view trimmed = trim_trailing(text);
  std::string_view s = skip_leading_blanks(trimmed);
  if (s.empty()) return out;  // kOther

  if (s == "..") {
    out.form = PuttyLineForm::kEventLogWindow;
    out.body = s;
    return out;
  }

  if (s.starts_with(kHeaderFence)) {
    out.form = PuttyLineForm::kSessionLogHeader;
    std::string_view stamp = s.substr(kHeaderFence.size());
    if (is_stamp(stamp, '.')) out.timestamp = stamp.substr(0, kStampLength);
    return out;
  }

  if (s.starts_with(kEventLogPrefix)) {
    out.form = PuttyLineForm::kSessionLogEvent;
    out.body = s.substr(kEventLogPrefix.size());
    return out;
  }

  if (is_packet_header(s) || is_hex_dump_row(trimmed)) {
    out.form = PuttyLineForm::kPacketDump;
    return out;
  }

  // Form A: the stamp, then a TAB or the blanks a paste turned it into. A
  // stamp that fills the whole line is an entry with an empty message.
  if (is_stamp(s, '-') && (s.size() == kStampLength || is_blank(s[kStampLength]))) {
    out.form = PuttyLineForm::kEventLogWindow;
    out.timestamp = s.substr(0, kStampLength);
    out.body = skip_leading_blanks(s.substr(kStampLength));
    return out;
  }

  out.form = PuttyLineForm::kBare;
  out.body = trimmed;
  return out;
}

bool looks_like_putty_log(std::span<const std::string_view> first_lines) {
  int weak_hits = 0;
  for (std::string_view line : first_lines) {
    PuttyLine l = classify_putty_line(line);
    switch (l.form) {
      case PuttyLineForm::kSessionLogHeader:
        return true;
      case PuttyLineForm::kEventLogWindow:
      case PuttyLineForm::kSessionLogEvent:
        if (is_strong_bare(l.body)) return true;
        if (starts_with_any(l.body, kWeakStarts) && ++weak_hits >= 2) return true;
        break;
      case PuttyLineForm::kBare: {
        std::string_view body = l.body;
        if (body.starts_with(kFatalPrefix)) {
          body.remove_prefix(kFatalPrefix.size());
          if (body.starts_with("Network error: ") || body == "Connection refused" ||
              body == "Connection timed out" || body == "Connection reset by peer") {
            return true;
          }
        }
        if (is_strong_bare(body)) return true;
        break;
      }
      case PuttyLineForm::kPacketDump:
      case PuttyLineForm::kOther:
        break;
    }
  }
  return false;
}

bool is_terminal_echo(std::string_view prev_body, std::string_view body) {
  if (body.empty()) return false;
  if (body == prev_body) return true;
  if (body.starts_with(kFatalPrefix) && body.substr(kFatalPrefix.size()) == prev_body) {
    return true;
  }
  if (body == "Access denied") {
    return prev_body == "Password authentication failed" ||
           prev_body == "Keyboard-interactive authentication failed";
  }
  if (body == "Pageant failed to provide a signature") {
    return prev_body == "Pageant refused signing request";
  }
  if (prev_body == "Offer of public key accepted") {
    return body.starts_with("Authenticating with public key \"") && body.ends_with("\"");
  }
  if (std::string_view r = bracketed_tail(prev_body, "Unable to use this key file ("); !r.empty()) {
    return is_path_form_with_reason(body, "Unable to use key file \"", r);
  }
  if (std::string_view r = bracketed_tail(prev_body, "Unable to load key ("); !r.empty()) {
    return is_path_form_with_reason(body, "Unable to load key file \"", r);
  }
  return false;
}

size_t putty_message_line_count(std::span<const std::string_view> bodies) {
  if (bodies.empty()) return 0;
  std::string_view head = bodies[0];
  if (head.starts_with(kFatalPrefix)) head.remove_prefix(kFatalPrefix.size());
  if (head != "Remote side sent disconnect message" && head != "Server sent disconnect message") {
    return 1;
  }
  if (bodies.size() < 2 || !is_disconnect_type_line(bodies[1])) return 1;
  // The quoted reason; a server may put line breaks in it, so look a few
  // lines on for the closing quote.
  constexpr size_t kMaxLines = 8;
  if (bodies.size() < 3 || !bodies[2].starts_with("\"")) return 2;
  for (size_t i = 2; i < bodies.size() && i < kMaxLines; ++i) {
    std::string_view b = bodies[i];
    bool closes = (i == 2) ? (b.size() >= 2 && b.ends_with("\"")) : b.ends_with("\"");
    if (closes) return i + 1;
  }
  return 2;
}

std::string join_putty_message(std::span<const std::string_view> parts) {
  std::string out;
  size_t total = 0;
  for (std::string_view p : parts) total += p.size() + 1;
  out.reserve(total);
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) out += ' ';
    out += parts[i];
  }
  return out;
}

}  // namespace sshlogwhy
