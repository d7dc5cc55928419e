// A ByteSource that first returns bytes already read (the head used to
// detect what an input is) and then the rest of the underlying source.
//
// Detection needs to look at an input before choosing how to read it, and
// standard input cannot be rewound; this puts the head back in front.
#pragma once

#include <memory>
#include <string>

#include "input/byte_source.h"

namespace sshlogwhy {

class ReplaySource final : public ByteSource {
 public:
  ReplaySource(std::string head, std::unique_ptr<ByteSource> rest);
  [[nodiscard]] Result<size_t> read(char* buf, size_t cap) override;

 private:
  std::string head_;
  size_t pos_ = 0;
  std::unique_ptr<ByteSource> rest_;
};

// Reads up to `max_bytes` from `source` (fewer only at its end), for
// detection; the bytes are then handed to a ReplaySource.
[[nodiscard]] Result<std::string> read_head(ByteSource& source, size_t max_bytes);

}  // namespace sshlogwhy
