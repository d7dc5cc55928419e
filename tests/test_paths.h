#pragma once
#include <string>

namespace sshlogwhy::testing {

// The repository root (holds patterns/, corpus/ ...).
std::string source_dir();
// The sshlogwhy executable built beside the tests.
std::string binary_path();

}  // namespace sshlogwhy::testing
