#include "logs/log_time.h"

#include <chrono>

namespace sshlogwhy {

// Howard Hinnant's days_from_civil: exact for every proleptic Gregorian
// date, no tables, no libc time zone state.
int64_t days_from_civil(int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t mp = (month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civil_year_month(int64_t unix_seconds, int& year, int& month) {
  int64_t z = unix_seconds / 86400;
  if (unix_seconds % 86400 < 0) --z;
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

YearState YearState::fixed(int year) {
  YearState s;
  s.year_ = year;
  s.adjust_first_ = false;
  return s;
}

YearState YearState::from_mtime(int64_t mtime_seconds) {
  YearState s;
  civil_year_month(mtime_seconds, s.year_, s.ref_month_);
  s.ref_year_ = s.year_;
  s.adjust_first_ = true;
  return s;
}

YearState YearState::for_input(int year, int64_t file_mtime_seconds) {
  if (year != 0) return fixed(year);
  if (file_mtime_seconds == 0) {
    file_mtime_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
  return from_mtime(file_mtime_seconds);
}

YearState YearState::deferred() {
  YearState s;
  s.deferred_ = true;
  return s;
}

int64_t resolve_deferred_year(int64_t time_us, int year, int month, int day) {
  const int64_t shift = days_from_civil(year, month, day) - days_from_civil(YearState::kDeferredYear, month, day);
  return time_us + shift * 86400 * 1000000;
}

int YearState::year_for(int month, int day) {
  if (deferred_) {
    if (runs_.empty() || runs_.back() != month) runs_.push_back(static_cast<uint8_t>(month));
    last_asked_month_ = month;
    last_asked_day_ = day;
    return kDeferredYear;
  }
  if (last_month_ == 0) {
    if (adjust_first_ && month > ref_month_) --year_;
    last_month_ = month;
    return year_;
  }
  // Six months is the widest gap that can still be an out-of-order line
  // (rsyslog queues, several sources in one file); anything wider is the
  // calendar wrapping.
  if (month + 6 < last_month_) {
    ++year_;
    ++wraps_;
    last_month_ = month;
    return year_;
  }
  // A jump forward of more than six months is an out-of-order line from
  // the year before, unless the file's own date says the log reaches that
  // far this year (a log kept from January to November).
  if (month > last_month_ + 6) {
    bool reachable = ref_year_ != 0 && (year_ < ref_year_ || month <= ref_month_);
    if (!reachable) return year_ - 1;
  }
  last_month_ = month;
  return year_;
}

ResolvedTime resolve_time(const TimeFields& t, YearState& years) {
  ResolvedTime r;
  switch (t.kind) {
    case TimeFields::Kind::kNone:
      break;
    case TimeFields::Kind::kEpoch:
      r.time_us = t.value_us;
      r.exact = true;
      r.zoned = true;
      break;
    case TimeFields::Kind::kMonotonic:
      r.monotonic_us = t.value_us;
      break;
    case TimeFields::Kind::kCivil: {
      const int year = t.year != 0 ? t.year : years.year_for(t.month, t.day);
      const int64_t days = days_from_civil(year, t.month, t.day);
      const int64_t secs = days * 86400 + t.hour * 3600 + t.minute * 60 + t.second - t.offset_seconds;
      r.time_us = secs * 1000000 + t.micros;
      r.exact = t.year != 0;
      r.zoned = t.zoned;
      break;
    }
  }
  return r;
}

namespace detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The month abbreviation at s[0..]; sets `len` to its byte length.
int scan_month(std::string_view s, size_t& len) {
  static constexpr std::string_view kEnglish[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (s.size() < 3) return 0;
  const std::string_view head = s.substr(0, 3);
  for (int i = 0; i < 12; ++i) {
    if (head == kEnglish[i]) {
      len = 3;
      return i + 1;
    }
  }
  // journalctl follows LC_TIME; German pastes are the ones seen in the
  // wild (formats.md 5.1).
  if (head == "Mai") { len = 3; return 5; }
  if (head == "Okt") { len = 3; return 10; }
  if (head == "Dez") { len = 3; return 12; }
  if (s.substr(0, 4) == "M\xC3\xA4r") { len = 4; return 3; }
  return 0;
}

// "HH:MM:SS" at s[pos], then an optional fraction; returns the end or 0.
size_t scan_clock(std::string_view s, size_t pos, TimeFields& t) {
  if (!fixed_digits(s, pos, 2, t.hour) || pos + 2 >= s.size() || s[pos + 2] != ':' ||
      !fixed_digits(s, pos + 3, 2, t.minute) || pos + 5 >= s.size() || s[pos + 5] != ':' ||
      !fixed_digits(s, pos + 6, 2, t.second)) {
    return 0;
  }
  if (t.hour > 23 || t.minute > 59 || t.second > 60) return 0;
  if (t.second == 60) t.second = 59;  // a leap second keeps its minute
  pos += 8;
  t.micros = 0;
  if (pos + 1 < s.size() && s[pos] == '.' && is_digit(s[pos + 1])) {
    ++pos;
    int32_t scale = 100000;
    while (pos < s.size() && is_digit(s[pos])) {
      t.micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
  }
  return pos;
}

bool valid_date(const TimeFields& t) {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31;
}

// "YYYY-MM-DD" at s[pos].
bool scan_date(std::string_view s, size_t pos, TimeFields& t) {
  return fixed_digits(s, pos, 4, t.year) && pos + 4 < s.size() && s[pos + 4] == '-' &&
         fixed_digits(s, pos + 5, 2, t.month) && pos + 7 < s.size() && s[pos + 7] == '-' &&
         fixed_digits(s, pos + 8, 2, t.day) && t.year > 0 && valid_date(t);
}

// "+HH:MM", "+HHMM", "+HH" or "Z" at s[pos]; returns the end (pos: none).
size_t scan_zone(std::string_view s, size_t pos, TimeFields& t, ZoneStyle& style) {
  style = ZoneStyle::kNone;
  if (pos >= s.size()) return pos;
  if (s[pos] == 'Z') {
    t.zoned = true;
    t.offset_seconds = 0;
    style = ZoneStyle::kZ;
    return pos + 1;
  }
  if (s[pos] != '+' && s[pos] != '-') return pos;
  const int sign = s[pos] == '-' ? -1 : 1;
  int hh = 0;
  int mm = 0;
  if (!fixed_digits(s, pos + 1, 2, hh) || hh > 23) return pos;
  size_t end = pos + 3;
  if (end < s.size() && s[end] == ':' && fixed_digits(s, end + 1, 2, mm)) {
    end += 3;
    style = ZoneStyle::kColon;
  } else if (fixed_digits(s, end, 2, mm)) {
    end += 2;
    style = ZoneStyle::kNoColon;
  } else {
    style = ZoneStyle::kNoColon;
  }
  if (mm > 59) return pos;
  t.zoned = true;
  t.offset_seconds = sign * (hh * 3600 + mm * 60);
  return end;
}

}  // namespace

bool fixed_digits(std::string_view s, size_t pos, int n, int& value) {
  if (pos + static_cast<size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  value = v;
  return true;
}

size_t digit_run(std::string_view s, size_t pos, int64_t& value) {
  size_t i = pos;
  int64_t v = 0;
  while (i < s.size() && is_digit(s[i]) && i - pos < 18) {
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  if (i < s.size() && is_digit(s[i])) return 0;  // too long to be ours
  value = v;
  return i - pos;
}

size_t scan_bsd_time(std::string_view s, TimeFields& t) {
  TimeFields f;
  size_t mlen = 0;
  f.month = scan_month(s, mlen);
  if (f.month == 0 || mlen >= s.size() || s[mlen] != ' ') return 0;
  size_t pos = mlen + 1;
  if (pos < s.size() && s[pos] == ' ') ++pos;  // "Nov  3"
  if (pos >= s.size() || !is_digit(s[pos])) return 0;
  f.day = s[pos] - '0';
  ++pos;
  if (pos < s.size() && is_digit(s[pos])) {
    f.day = f.day * 10 + (s[pos] - '0');
    ++pos;
  }
  if (pos >= s.size() || s[pos] != ' ') return 0;
  const size_t end = scan_clock(s, pos + 1, f);
  if (end == 0 || !valid_date(f)) return 0;
  f.kind = TimeFields::Kind::kCivil;
  f.year = 0;
  t = f;
  return end;
}

size_t scan_iso_time(std::string_view s, TimeFields& t, ZoneStyle& zone) {
  TimeFields f;
  if (!scan_date(s, 0, f)) return 0;
  if (s.size() <= 10 || (s[10] != 'T' && s[10] != ' ')) return 0;
  size_t end = scan_clock(s, 11, f);
  if (end == 0) return 0;
  end = scan_zone(s, end, f, zone);
  f.kind = TimeFields::Kind::kCivil;
  t = f;
  return end;
}

size_t scan_weekday_time(std::string_view s, TimeFields& t) {
  if (s.size() < 4 || s[3] != ' ') return 0;
  for (int i = 0; i < 3; ++i) {
    const char c = s[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return 0;
  }
  TimeFields f;
  if (!scan_date(s, 4, f) || s.size() <= 14 || s[14] != ' ') return 0;
  size_t end = scan_clock(s, 15, f);
  if (end == 0 || end >= s.size() || s[end] != ' ') return 0;
  // The zone: an abbreviation or a numeric offset, up to the next space.
  size_t zpos = end + 1;
  size_t zend = zpos;
  while (zend < s.size() && s[zend] != ' ') ++zend;
  if (zend == zpos) return 0;
  const std::string_view zone = s.substr(zpos, zend - zpos);
  if (zone == "UTC" || zone == "GMT" || zone == "Z") {
    f.zoned = true;
    f.offset_seconds = 0;
  } else if (zone[0] == '+' || zone[0] == '-') {
    ZoneStyle style;
    if (scan_zone(s, zpos, f, style) != zend) return 0;
  } else {
    for (char c : zone) {
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return 0;
    }
  }
  f.kind = TimeFields::Kind::kCivil;
  t = f;
  return zend;
}

size_t scan_unix_time(std::string_view s, TimeFields& t) {
  int64_t secs = 0;
  const size_t n = digit_run(s, 0, secs);
  if (n < 9 || n > 11 || n >= s.size() || s[n] != '.') return 0;
  int64_t frac = 0;
  const size_t m = digit_run(s, n + 1, frac);
  if (m == 0 || m > 9) return 0;
  for (size_t i = m; i < 6; ++i) frac *= 10;
  for (size_t i = 6; i < m; ++i) frac /= 10;
  t = TimeFields{};
  t.kind = TimeFields::Kind::kEpoch;
  t.value_us = secs * 1000000 + frac;
  return n + 1 + m;
}

size_t scan_svlogd_time(std::string_view s, TimeFields& t) {
  TimeFields f;
  if (!scan_date(s, 0, f) || s.size() <= 10 || s[10] != '_') return 0;
  const size_t end = scan_clock(s, 11, f);
  if (end == 0) return 0;
  f.kind = TimeFields::Kind::kCivil;
  t = f;
  return end;
}

size_t scan_tai64n(std::string_view s, TimeFields& t) {
  constexpr size_t kLength = 25;  // '@' + 16 hex (seconds label) + 8 hex (nanoseconds)
  if (s.size() < kLength || s[0] != '@') return 0;
  uint64_t label = 0;
  uint64_t nanos = 0;
  for (size_t i = 1; i < kLength; ++i) {
    const char c = s[i];
    uint64_t d = 0;
    if (c >= '0' && c <= '9') {
      d = static_cast<uint64_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      d = static_cast<uint64_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      d = static_cast<uint64_t>(c - 'A' + 10);
    } else {
      return 0;
    }
    if (i <= 16) {
      label = label << 4 | d;
    } else {
      nanos = nanos << 4 | d;
    }
  }
  // A 25th hex digit would make it some other token.
  if (s.size() > kLength && s[kLength] != ' ') return 0;
  // daemontools' tai64n writes Unix seconds + 2^62 + 10 (the TAI-UTC offset
  // of 1970) and ignores later leap seconds, so subtracting the same
  // constant gives back Unix time. Years before 1970 or after 9999 are not
  // a log's.
  constexpr uint64_t kBase = (uint64_t{1} << 62) + 10;
  constexpr uint64_t kMaxUnix = 253402300799;  // 9999-12-31T23:59:59Z
  if (label < kBase || label - kBase > kMaxUnix || nanos >= 1000000000) return 0;
  t = TimeFields{};
  t.kind = TimeFields::Kind::kEpoch;
  t.value_us = static_cast<int64_t>(label - kBase) * 1000000 + static_cast<int64_t>(nanos / 1000);
  return kLength;
}

size_t scan_monotonic_time(std::string_view s, TimeFields& t) {
  if (s.empty() || s[0] != '[') return 0;
  size_t pos = 1;
  while (pos < s.size() && s[pos] == ' ') ++pos;
  int64_t secs = 0;
  const size_t n = digit_run(s, pos, secs);
  if (n == 0 || pos + n >= s.size() || s[pos + n] != '.') return 0;
  pos += n + 1;
  int64_t frac = 0;
  const size_t m = digit_run(s, pos, frac);
  if (m == 0 || m > 9) return 0;
  pos += m;
  for (size_t i = m; i < 6; ++i) frac *= 10;
  for (size_t i = 6; i < m; ++i) frac /= 10;
  while (pos < s.size() && s[pos] == ' ') ++pos;
  if (pos < s.size() && s[pos] == '<') {
    // short-delta: "<    0.009577 >", possibly "< *0.009577 >" or blank
    // for the first entry.
    const size_t close = s.find('>', pos);
    if (close == std::string_view::npos) return 0;
    pos = close + 1;
    while (pos < s.size() && s[pos] == ' ') ++pos;
  }
  if (pos >= s.size() || s[pos] != ']') return 0;
  t = TimeFields{};
  t.kind = TimeFields::Kind::kMonotonic;
  t.value_us = secs * 1000000 + frac;
  return pos + 1;
}

}  // namespace detail
}  // namespace sshlogwhy
