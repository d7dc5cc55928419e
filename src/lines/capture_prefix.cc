#include "lines/capture_prefix.h"

#include <array>

namespace sshlogwhy {

namespace {

// A tiny cursor parser: each match_* consumes on success and leaves `pos`
// untouched on failure, so alternatives can be tried in turn. Hand-written
// rather than RE2 because it runs on every line of a trace and the forms
// are fixed (lnav writes its own timestamp parser for the same reason).
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}

  size_t pos() const { return pos_; }
  void reset(size_t p) { pos_ = p; }
  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  bool match_char(char c) {
    if (peek() != c || at_end()) return false;
    ++pos_;
    return true;
  }

  // Exactly `n` ASCII digits whose value is at most `max`.
  bool match_digits(size_t n, int max) {
    if (pos_ + n > s_.size()) return false;
    int v = 0;
    for (size_t i = 0; i < n; ++i) {
      char c = s_[pos_ + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    if (v > max) return false;
    pos_ += n;
    return true;
  }

  // ".123456" or ",123" (1 to 9 digits); optional, so always succeeds.
  void match_fraction() {
    size_t save = pos_;
    if (!match_char('.') && !match_char(',')) return;
    size_t digits = 0;
    while (!at_end() && s_[pos_] >= '0' && s_[pos_] <= '9' && digits < 9) {
      ++pos_;
      ++digits;
    }
    if (digits == 0) pos_ = save;
  }

  // HH:MM:SS[.frac]. Hours are not limited to 23: `ts -s` prints elapsed
  // time, which may pass a day.
  bool match_time() {
    size_t save = pos_;
    if (match_digits(2, 99) && match_char(':') && match_digits(2, 59) && match_char(':') &&
        match_digits(2, 60)) {
      match_fraction();
      return true;
    }
    pos_ = save;
    return false;
  }

  // YYYY-MM-DD
  bool match_date() {
    size_t save = pos_;
    if (match_digits(4, 9999) && match_char('-') && match_digits(2, 12) && match_char('-') &&
        match_digits(2, 31)) {
      return true;
    }
    pos_ = save;
    return false;
  }

  // Z, +HH:MM, +HHMM, -HH:MM ... (optional)
  void match_zone() {
    if (match_char('Z')) return;
    size_t save = pos_;
    if (match_char('+') || match_char('-')) {
      if (match_digits(2, 23)) {
        match_char(':');
        if (match_digits(2, 59)) return;
      }
    }
    pos_ = save;
  }

  // "Nov 23 " or "Nov  3 " (strftime %b %d, or %e)
  bool match_month_day() {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    size_t save = pos_;
    for (std::string_view m : kMonths) {
      if (s_.substr(pos_).starts_with(m)) {
        pos_ += 3;
        if (match_char(' ') && (match_digits(2, 31) || (match_char(' ') && match_digits(1, 9))) &&
            match_char(' ')) {
          return true;
        }
        break;
      }
    }
    pos_ = save;
    return false;
  }

  // One timestamp in any supported form, without brackets.
  bool match_timestamp() {
    size_t save = pos_;
    if (match_date()) {
      if ((match_char('T') || match_char(' ')) && match_time()) {
        match_zone();
        return true;
      }
      pos_ = save;
      return false;
    }
    if (match_month_day()) {
      if (match_time()) return true;
      pos_ = save;
      return false;
    }
    return match_time();
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

// "> ", ">> ", "> > ", ">" (an empty quoted line).
std::string_view strip_quotes(std::string_view s) {
  while (!s.empty() && s.front() == '>') {
    s.remove_prefix(1);
    if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  }
  return s;
}

// The pty echoes a NUL that the remote side sent as the two characters
// "^@" (ECHOCTL), so the `script` typescript has "^@Could not chdir to
// home directory" (formats.md 3.6; the captured bytes are 5e 40, not 00).
std::string_view strip_caret_nuls(std::string_view s) {
  while (s.starts_with("^@")) s.remove_prefix(2);
  return s;
}

}  // namespace

std::string_view strip_capture_prefix(std::string_view text) {
  std::string_view s = strip_quotes(text);
  Cursor c(s);
  bool stamped = false;
  if (c.match_char('[')) {
    stamped = c.match_timestamp() && c.match_char(']');
  } else {
    stamped = c.match_timestamp();
  }
  if (stamped) {
    // The timestamp must stand alone: followed by the separator the tool
    // wrote, or nothing (ts on an empty line, trailing blanks trimmed).
    if (c.at_end()) return s.substr(c.pos());
    if (c.peek() == ' ' || c.peek() == '\t') return strip_caret_nuls(s.substr(c.pos() + 1));
  }
  return strip_caret_nuls(s);
}

}  // namespace sshlogwhy
