#include "input/file_mtime.h"

#include <sys/stat.h>

namespace sshlogwhy {

int64_t file_mtime(const std::string& path) {
  struct stat st;
  if (path == "-" || stat(path.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtime);
}

}  // namespace sshlogwhy
