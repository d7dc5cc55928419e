// The modification time of a path, for syslog lines that carry no year.
#pragma once

#include <cstdint>
#include <string>

namespace sshlogwhy {

// Seconds since the epoch; 0 for "-" (standard input) or a path that cannot
// be stat()ed (the caller then falls back to the current year).
int64_t file_mtime(const std::string& path);

}  // namespace sshlogwhy
