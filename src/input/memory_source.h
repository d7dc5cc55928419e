// Bytes from a string: for tests, and for callers that already hold text.
#pragma once

#include <cstddef>
#include <limits>
#include <string>

#include "input/byte_source.h"

namespace sshlogwhy {

class MemorySource final : public ByteSource {
 public:
  // Serves `data` (copied in) under the display name `name`. Each read()
  // returns at most `max_chunk` bytes, so tests can imitate a pipe that
  // delivers a line in pieces.
  MemorySource(std::string name, std::string data,
               size_t max_chunk = std::numeric_limits<size_t>::max());

  [[nodiscard]] Result<size_t> read(char* buf, size_t cap) override;

 private:
  std::string data_;
  size_t pos_ = 0;
  size_t max_chunk_;
};

}  // namespace sshlogwhy
