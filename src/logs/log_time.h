// Timestamps of log prefixes: hand-written scanners and calendar math.
//
// lnav writes its own timestamp parser because strptime() is expensive and
// locale-bound; so do we. Each scanner reads one fixed layout at the start
// of a string_view, checks every field's range, fills TimeFields and
// returns how many bytes it consumed (0 = not this layout). No allocation,
// no locale, no exceptions. resolve_time() then turns TimeFields into
// microseconds since the epoch, asking a YearState for the year when the
// layout has none (RFC 3164 and journalctl short).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>
#include <string_view>

#include "logs/log_record.h"

namespace sshlogwhy {

// Days from 1970-01-01 to the given proleptic Gregorian date (month 1-12).
int64_t days_from_civil(int64_t year, int month, int day);

// The UTC calendar year and month (1-12) of `unix_seconds`.
void civil_year_month(int64_t unix_seconds, int& year, int& month);

// The year of each year-less timestamp in one input, in reading order.
//
// The reference is the year the caller gives (LogReaderOptions::year), or
// the year of the file's mtime. With an mtime, a first month after the
// mtime's month means the log began last year (a file last written in
// January that starts in November). Then, while reading, a month more than
// six months before the previous one (Dec -> Jan) starts the next year; a
// month more than six after it (a late Dec line after the wrap) is given
// the previous year without moving the state. Not thread-safe; one per
// input.
class YearState {
 public:
  // The year is exactly `year` for the first timestamp.
  static YearState fixed(int year);
  // The reference is the UTC year and month of `mtime_seconds`.
  static YearState from_mtime(int64_t mtime_seconds);
  // What a reader of a whole input starts with: fixed(year) when the user
  // gave one, else from_mtime() of the file (or of now, when the mtime is
  // unknown: logs are read soon after they are written).
  static YearState for_input(int year, int64_t file_mtime_seconds);

  // A state for a piece of an input whose start is read elsewhere
  // (pipeline/parallel_scan.h): it answers kDeferredYear and records the
  // months it was asked about, so the reader of the whole input can settle
  // the years later, in order, with resolve_deferred_year().
  static YearState deferred();
  static constexpr int kDeferredYear = 2000;  // a leap year: every month/day is valid in it

  // The year for the next year-less timestamp in `month` (1-12) on `day`.
  // Updates the state (first month, wraps).
  int year_for(int month, int day = 0);

  // For deferred(): the months asked about, one entry per run of equal
  // months (asking again about the same month never changes the answer, so
  // one question per run settles them all), and the month and day of the
  // last question. The index of the current run is runs().size() - 1.
  const std::vector<uint8_t>& runs() const { return runs_; }
  int last_month_asked() const { return last_asked_month_; }
  int last_day_asked() const { return last_asked_day_; }

  // Dec -> Jan steps seen so far.
  uint64_t wraps() const { return wraps_; }

 private:
  int year_ = 1970;
  int ref_month_ = 12;    // months after this in the first timestamp -> year - 1
  int ref_year_ = 0;      // the file's mtime year (0: no mtime, a fixed year)
  bool adjust_first_ = false;
  int last_month_ = 0;    // 0: no timestamp seen yet
  uint64_t wraps_ = 0;
  bool deferred_ = false;
  std::vector<uint8_t> runs_;
  int last_asked_month_ = 0, last_asked_day_ = 0;
};

// A time computed with YearState::kDeferredYear for a timestamp written
// as `month`/`day`, moved to `year`.
int64_t resolve_deferred_year(int64_t time_us, int year, int month, int day);

// A timestamp as read, before the year is settled.
struct TimeFields {
  enum class Kind : uint8_t {
    kNone,
    kCivil,      // calendar fields below
    kEpoch,      // value_us: µs since the Unix epoch (UTC)
    kMonotonic,  // value_us: µs since boot
  };
  Kind kind = Kind::kNone;
  int year = 0;  // 0: not in the text
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int32_t micros = 0;         // fraction, truncated to microseconds
  bool zoned = false;         // the text gave a zone; offset_seconds is real
  int32_t offset_seconds = 0;  // local = UTC + offset
  int64_t value_us = 0;       // kEpoch / kMonotonic
};

// How the zone of an ISO timestamp was written (it tells RFC 3339 from
// journalctl short-iso).
enum class ZoneStyle : uint8_t { kNone, kZ, kColon, kNoColon };

// The resolved time of a record.
struct ResolvedTime {
  int64_t time_us = kUnknownTime;
  int64_t monotonic_us = -1;
  bool exact = false;  // year known
  bool zoned = false;  // true UTC
};

// Settles `t` into a ResolvedTime; asks `years` only when t has no year.
ResolvedTime resolve_time(const TimeFields& t, YearState& years);

namespace detail {

// "Nov 23 18:07:29", "Nov  3 18:07:29", "Nov 03 18:07:29", with an optional
// ".ffffff" (journalctl short-precise). English month abbreviations, plus
// the German ones journalctl prints under de_DE ("Mär", "Mai", "Okt",
// "Dez"). No year.
size_t scan_bsd_time(std::string_view s, TimeFields& t);

// "2026-11-23T18:07:29", "T" or one space between date and time, optional
// fraction (1-9 digits), optional zone "Z", "+HH:MM", "+HHMM" or "+HH".
size_t scan_iso_time(std::string_view s, TimeFields& t, ZoneStyle& zone);

// journalctl short-full / with-unit / verbose header:
// "Mon 2026-11-23 18:07:29[.ffffff] UTC". Only UTC, GMT and Z (and numeric
// offsets) make the time zoned; other abbreviations (CET, EST) are ambiguous
// and leave it as local wall time.
size_t scan_weekday_time(std::string_view s, TimeFields& t);

// journalctl short-unix: "1795457249.880179" (9-11 integer digits).
size_t scan_unix_time(std::string_view s, TimeFields& t);

// svlogd -tt: "2015-05-27_04:31:28.10040" (runit and BusyBox svlogd put
// '_' between date and time, which no other writer does). No zone in the
// text, so the time stays local wall time (zoned = false).
size_t scan_svlogd_time(std::string_view s, TimeFields& t);

// svlogd -t, s6-log t, multilog t: "@" and 24 hex digits, TAI64N (a TAI64
// label, 2^62 + 10 + Unix seconds as daemontools writes it, then
// nanoseconds). An absolute time: kEpoch, so exact and UTC.
size_t scan_tai64n(std::string_view s, TimeFields& t);

// journalctl short-monotonic "[ 1267.483162]" and short-delta
// "[ 1267.483162 <    0.009577 >]" (a '*' may mark an unreliable delta).
size_t scan_monotonic_time(std::string_view s, TimeFields& t);

// Exactly `n` ASCII digits at s[pos]; false if any is missing.
bool fixed_digits(std::string_view s, size_t pos, int n, int& value);

// A run of 1-18 digits at s[pos] into `value`; returns how many (0: none).
size_t digit_run(std::string_view s, size_t pos, int64_t& value);

}  // namespace detail
}  // namespace sshlogwhy
