#include "logs/journal_entry.h"

#include <simdjson.h>

#include "lines/line_cleaner.h"
#include "logs/log_time.h"

namespace sshlogwhy {
namespace {

namespace od = simdjson::ondemand;

// One bit per wanted field (JournalEntry::seen_): the first value wins.
constexpr uint32_t kMessage = 1 << 0;
constexpr uint32_t kHostname = 1 << 1;
constexpr uint32_t kIdentifier = 1 << 2;
constexpr uint32_t kComm = 1 << 3;
constexpr uint32_t kPid = 1 << 4;
constexpr uint32_t kSyslogPid = 1 << 5;
constexpr uint32_t kRealtime = 1 << 6;
constexpr uint32_t kSourceRealtime = 1 << 7;
constexpr uint32_t kMonotonic = 1 << 8;
constexpr uint32_t kCursor = 1 << 9;
constexpr uint32_t kPriority = 1 << 10;
constexpr uint32_t kFacility = 1 << 11;

// The bit for a wanted field name, 0 for the rest.
uint32_t field_bit(std::string_view name) {
  if (name.empty()) return 0;
  switch (name[0]) {
    case 'M':
      return name == "MESSAGE" ? kMessage : 0;
    case 'P':
      return name == "PRIORITY" ? kPriority : 0;
    case 'S':
      if (name == "SYSLOG_IDENTIFIER") return kIdentifier;
      if (name == "SYSLOG_PID") return kSyslogPid;
      if (name == "SYSLOG_FACILITY") return kFacility;
      return 0;
    case '_':
      if (name == "_HOSTNAME") return kHostname;
      if (name == "_COMM") return kComm;
      if (name == "_PID") return kPid;
      if (name == "__REALTIME_TIMESTAMP") return kRealtime;
      if (name == "_SOURCE_REALTIME_TIMESTAMP") return kSourceRealtime;
      if (name == "__MONOTONIC_TIMESTAMP") return kMonotonic;
      if (name == "__CURSOR") return kCursor;
      return 0;
    default:
      return 0;
  }
}

// A decimal string as journald writes numbers; -1 when it is not one.
int64_t parse_decimal(std::string_view s) {
  int64_t v = 0;
  if (s.empty() || detail::digit_run(s, 0, v) != s.size()) return -1;
  return v;
}

// A hex field of a cursor "s=...;i=...;b=...;m=<hex>;t=<hex>;x=...": `key`
// is ";m=" (monotonic µs) or ";t=" (realtime µs). -1 when absent.
int64_t cursor_hex(std::string_view cursor, std::string_view key) {
  size_t pos = cursor.find(key);
  if (pos == std::string_view::npos) return -1;
  pos += key.size();
  int64_t v = 0;
  size_t digits = 0;
  for (; pos < cursor.size() && cursor[pos] != ';'; ++pos, ++digits) {
    const char c = cursor[pos];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else {
      return -1;
    }
    if (digits >= 15) return -1;
    v = v * 16 + d;
  }
  return digits == 0 ? -1 : v;
}

}  // namespace

void JournalEntry::clear() {
  empty_ = true;
  has_message_ = false;
  message_raw_ = false;
  message_.clear();
  hostname_.clear();
  identifier_.clear();
  comm_.clear();
  pid_ = syslog_pid_ = -1;
  realtime_us_ = cursor_realtime_us_ = source_realtime_us_ = monotonic_us_ = cursor_monotonic_us_ = -1;
  priority_ = facility_ = -1;
  seen_ = 0;
}

bool JournalEntry::wanted(std::string_view name) { return field_bit(name) != 0; }

void JournalEntry::add(std::string_view name, std::string_view value, bool raw) {
  empty_ = false;
  const uint32_t bit = field_bit(name);
  if (bit == 0 || (seen_ & bit) != 0) return;
  seen_ |= bit;
  switch (bit) {
    case kMessage:
      message_.assign(value);
      has_message_ = true;
      message_raw_ = raw;
      break;
    case kHostname: hostname_.assign(value); break;
    case kIdentifier: identifier_.assign(value); break;
    case kComm: comm_.assign(value); break;
    case kPid: pid_ = parse_decimal(value); break;
    case kSyslogPid: syslog_pid_ = parse_decimal(value); break;
    case kRealtime: realtime_us_ = parse_decimal(value); break;
    case kSourceRealtime: source_realtime_us_ = parse_decimal(value); break;
    case kMonotonic: monotonic_us_ = parse_decimal(value); break;
    case kCursor:
      cursor_realtime_us_ = cursor_hex(value, ";t=");
      cursor_monotonic_us_ = cursor_hex(value, ";m=");
      break;
    case kPriority: priority_ = static_cast<int>(parse_decimal(value)); break;
    case kFacility: facility_ = static_cast<int>(parse_decimal(value)); break;
    default: break;
  }
}

bool JournalEntry::finish(LogRecord& out, KeyRedactor& redactor) const {
  out.host = hostname_;
  out.program = !identifier_.empty() ? identifier_ : comm_;
  out.pid = pid_ >= 0 ? pid_ : syslog_pid_;
  const int64_t realtime = realtime_us_ >= 0          ? realtime_us_
                           : cursor_realtime_us_ >= 0 ? cursor_realtime_us_
                                                      : source_realtime_us_;
  out.time_us = realtime >= 0 ? realtime : kUnknownTime;
  out.time_exact = realtime >= 0;
  out.time_zoned = realtime >= 0;
  out.monotonic_us = monotonic_us_ >= 0 ? monotonic_us_ : cursor_monotonic_us_;
  out.priority = -1;
  if (priority_ >= 0 && priority_ <= 7) {
    out.priority = static_cast<int16_t>(facility_ >= 0 && facility_ <= 23 ? facility_ * 8 + priority_ : priority_);
  }
  out.body = message_;
  if (message_raw_) return clean_decoded_value(out.body, redactor);
  return false;
}

// Why per piece: the line stage cleans and redacts line by line, and a
// decoded journald value is the only text that never went through it (a
// byte-array MESSAGE hides its bytes from the line stage; the export byte
// path has no line stage at all). Splitting at '\n' gives the redactor the
// same view it would have had of the lines. The redactor is the reader's
// own, so a key block opened in one value keeps blanking later values until
// its END, as in the line stage. A kHold piece (a bare base64 line that may
// be a key body whose END is still to come) is kept: values cannot be held
// back like lines, and such a value alone is not key material.
bool clean_decoded_value(std::string& value, KeyRedactor& redactor) {
  std::string cleaned;
  std::string piece;
  cleaned.reserve(value.size());
  bool redact = false;
  size_t start = 0;
  while (start <= value.size()) {
    size_t end = value.find('\n', start);
    if (end == std::string::npos) end = value.size();
    clean_line(std::string_view(value).substr(start, end - start), piece);
    const KeyRedactor::Decision d = redactor.classify(piece);
    if (d == KeyRedactor::Decision::kRedact || d == KeyRedactor::Decision::kRedactHeld) redact = true;
    if (start != 0) cleaned += '\n';
    cleaned += piece;
    start = end + 1;
  }
  if (redact) {
    value.clear();
    return true;
  }
  value.swap(cleaned);
  return false;
}

struct JournalJsonParser::Impl {
  od::parser parser;
  std::string buffer;  // the JSON text plus SIMDJSON_PADDING bytes
  uint32_t binary_fields = 0;

  // Reads an array value: bytes when it holds numbers, else its first string
  // (or first nested byte array). False when malformed.
  bool read_array(od::array array, std::string& out, bool& binary) {
    out.clear();
    binary = false;
    bool first = true;
    bool bytes = false;
    bool have = false;
    for (auto item_result : array) {
      od::value item;
      if (std::move(item_result).get(item)) return false;
      od::json_type type;
      if (item.type().get(type)) return false;
      if (first) {
        bytes = type == od::json_type::number;
        first = false;
      }
      if (bytes) {
        uint64_t b = 0;
        if (type != od::json_type::number || item.get_uint64().get(b) || b > 255) return false;
        out.push_back(static_cast<char>(b));
        continue;
      }
      if (have) continue;
      if (type == od::json_type::string) {
        std::string_view s;
        if (item.get_string().get(s)) return false;
        out.assign(s);
        have = true;
      } else if (type == od::json_type::array) {
        od::array inner;
        bool inner_binary = false;
        if (item.get_array().get(inner) || !read_array(inner, out, inner_binary)) return false;
        have = true;
        binary = inner_binary;
      }
    }
    if (bytes) binary = true;
    return true;
  }
};

JournalJsonParser::JournalJsonParser() : impl_(std::make_unique<Impl>()) {}
JournalJsonParser::~JournalJsonParser() = default;

uint32_t JournalJsonParser::binary_fields() const { return impl_->binary_fields; }

bool JournalJsonParser::parse(std::string_view json, JournalEntry& entry) {
  entry.clear();
  impl_->binary_fields = 0;
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; the line's
  // own string has no such guarantee, so copy into a reused padded buffer.
  std::string& buf = impl_->buffer;
  buf.assign(json);
  buf.resize(json.size() + simdjson::SIMDJSON_PADDING, '\0');
  od::document doc;
  if (impl_->parser.iterate(buf.data(), json.size(), buf.size()).get(doc)) return false;
  od::object object;
  if (doc.get_object().get(object)) return false;
  std::string decoded;
  for (auto field_result : object) {
    od::field field;
    if (std::move(field_result).get(field)) return false;
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    if (!JournalEntry::wanted(key)) continue;  // on-demand skips the value unread
    od::value value = field.value();
    od::json_type type;
    if (value.type().get(type)) return false;
    switch (type) {
      case od::json_type::string: {
        std::string_view s;
        if (value.get_string().get(s)) return false;
        entry.add(key, s);
        break;
      }
      case od::json_type::array: {
        od::array array;
        bool binary = false;
        if (value.get_array().get(array) || !impl_->read_array(array, decoded, binary)) return false;
        entry.add(key, decoded, binary);
        if (binary) ++impl_->binary_fields;
        break;
      }
      case od::json_type::number: {
        // journald writes numbers as strings; accept a bare number anyway.
        std::string_view raw = value.raw_json_token();
        while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' || raw.back() == '\r')) {
          raw.remove_suffix(1);
        }
        entry.add(key, raw);
        break;
      }
      default:
        break;  // null (over 4096 bytes without --all), bool, object
    }
  }
  return true;
}

}  // namespace sshlogwhy
