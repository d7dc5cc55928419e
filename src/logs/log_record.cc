#include "logs/log_record.h"

#include <cstring>

namespace sshlogwhy {
namespace {

constexpr const char* kNames[kLogFormatCount] = {
    "unknown",      "syslog-3164",  "syslog-rfc3339", "syslog-5424",    "journal-short",  "journal-cat",
    "journal-json", "journal-json-pretty", "journal-export", "journal-verbose", "rsyslog-debug",
    "sshd-windows", "socklog",  "svlogd", "sshd-raw",
};

}  // namespace

const char* log_format_name(LogFormat format) {
  const size_t i = static_cast<size_t>(format);
  return i < kLogFormatCount ? kNames[i] : "unknown";
}

bool log_format_from_name(const char* name, LogFormat& out) {
  for (size_t i = 0; i < kLogFormatCount; ++i) {
    if (std::strcmp(name, kNames[i]) == 0) {
      out = static_cast<LogFormat>(i);
      return true;
    }
  }
  return false;
}

}  // namespace sshlogwhy
