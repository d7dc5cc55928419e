// The data files under patterns/ (message patterns and verdict texts),
// compiled into the binary by tools/cmake/embed_files.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace sshlogwhy {

struct EmbeddedFile {
  std::string_view path;     // relative to patterns/, e.g. "openssh-client/auth.json"
  std::string_view content;  // the file's bytes; lives for the whole process
};

// All embedded files, sorted by path.
const std::vector<EmbeddedFile>& embedded_data_files();

}  // namespace sshlogwhy
