// journald entries: fields in any order -> one LogRecord.
//
// Every journald output format except the text modes is a bag of
// FIELD=value pairs in no stable order (formats.md 6.1): JSON objects whose
// keys are hash-ordered, export blocks, verbose blocks. JournalEntry
// collects the few fields a LogRecord needs as they come and settles them
// in finish(); JournalJsonParser feeds it from one JSON object.
//
//   JournalEntry entry;
//   JournalJsonParser json;
//   if (json.parse(line.text, entry)) entry.finish(record, redactor);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lines/key_redactor.h"
#include "logs/log_record.h"

namespace sshlogwhy {

class JournalEntry {
 public:
  // Forgets every field (keeps string capacity).
  void clear();

  // Offers one field. Used: MESSAGE, _HOSTNAME, SYSLOG_IDENTIFIER, _COMM,
  // _PID, SYSLOG_PID, __REALTIME_TIMESTAMP, _SOURCE_REALTIME_TIMESTAMP,
  // __MONOTONIC_TIMESTAMP, __CURSOR (its t= is the realtime), PRIORITY,
  // SYSLOG_FACILITY. Others are ignored, as the export spec asks. The first
  // value of a repeated field wins. `raw` marks a value that did not come
  // through the line stage (a JSON byte array, anything read by the export
  // byte path): finish() cleans and checks such a MESSAGE.
  void add(std::string_view name, std::string_view value, bool raw = false);

  // True for the names add() keeps (lets parsers skip the rest cheaply).
  static bool wanted(std::string_view name);

  // True once any field was added since clear().
  bool empty() const { return empty_; }
  bool has_message() const { return has_message_; }
  bool message_raw() const { return message_raw_; }

  // Fills out's time, host, program, pid, priority and body (not line,
  // format or repeat). program is SYSLOG_IDENTIFIER, else _COMM; pid is
  // _PID, else SYSLOG_PID; time_us is __REALTIME_TIMESTAMP, else the
  // cursor's t=, else _SOURCE_REALTIME_TIMESTAMP; monotonic_us is
  // __MONOTONIC_TIMESTAMP, else the cursor's m=. A raw MESSAGE is
  // cleaned like a line (escapes, NULs, CRs before '\n') and blanked when
  // `redactor` calls any of its lines key material; returns true when it
  // was blanked.
  bool finish(LogRecord& out, KeyRedactor& redactor) const;

 private:
  bool empty_ = true;
  bool has_message_ = false;
  bool message_raw_ = false;
  std::string message_;
  std::string hostname_;
  std::string identifier_;
  std::string comm_;
  int64_t pid_ = -1;
  int64_t syslog_pid_ = -1;
  int64_t realtime_us_ = -1;
  int64_t cursor_realtime_us_ = -1;
  int64_t source_realtime_us_ = -1;
  int64_t monotonic_us_ = -1;
  int64_t cursor_monotonic_us_ = -1;
  int priority_ = -1;
  int facility_ = -1;
  uint32_t seen_ = 0;  // bit per field: first value wins
};

// Cleans `value` (bytes that did not pass through the line stage) the way
// the line stage cleans a line, one '\n'-separated piece at a time, and
// feeds each piece to `redactor`. Blanks the whole value and returns true
// when any piece is private key material.
bool clean_decoded_value(std::string& value, KeyRedactor& redactor);

// Parses one journald JSON object with simdjson's on-demand API (error
// codes only). Values are strings; a MESSAGE (or other wanted field) given
// as an array of numbers is decoded to bytes; an array of strings (a
// repeated field) gives its first string; null (a value over 4096 bytes
// without --all) is absent. Not thread-safe: one per reader.
class JournalJsonParser {
 public:
  JournalJsonParser();
  ~JournalJsonParser();
  // Not copyable: owns simdjson parser buffers.
  JournalJsonParser(const JournalJsonParser&) = delete;
  JournalJsonParser& operator=(const JournalJsonParser&) = delete;

  // Adds the object's fields to `entry` (cleared first). Returns false when
  // `json` is not one well-formed JSON object; `entry` is then unspecified.
  bool parse(std::string_view json, JournalEntry& entry);

  // Wanted fields that the last parse() decoded from byte arrays.
  uint32_t binary_fields() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sshlogwhy
