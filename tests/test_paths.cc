// Where the tests find the source tree and the built binary.
#include "test_paths.h"

namespace sshlogwhy::testing {

std::string source_dir() { return SSHLOGWHY_SOURCE_DIR; }
std::string binary_path() { return SSHLOGWHY_BINARY; }

}  // namespace sshlogwhy::testing
