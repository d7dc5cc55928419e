// ISO-8601 times for reports.
#pragma once

#include <cstdint>
#include <string>

namespace sshlogwhy {

// "2026-11-23T10:00:01Z" (zoned) or "2026-11-23T10:00:01" (the log's local
// time, zone unknown); fractional seconds when there are any; "" for
// INT64_MIN (unknown).
std::string iso8601(int64_t time_us, bool zoned);

}  // namespace sshlogwhy
