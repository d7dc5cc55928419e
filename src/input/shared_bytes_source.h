// Bytes held by someone else, shared: a scan chunk that a worker reads while
// the reader of the whole input keeps it for a possible re-read
// (pipeline/server_stream.cc). No copy, unlike MemorySource.
#pragma once

#include <cstring>
#include <memory>
#include <string>

#include "input/byte_source.h"

namespace sshlogwhy {

class SharedBytesSource final : public ByteSource {
 public:
  SharedBytesSource(std::string name, std::shared_ptr<const std::string> bytes)
      : ByteSource(std::move(name)), bytes_(std::move(bytes)) {}

  [[nodiscard]] Result<size_t> read(char* buf, size_t cap) override {
    size_t n = std::min(cap, bytes_->size() - pos_);
    std::memcpy(buf, bytes_->data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::shared_ptr<const std::string> bytes_;
  size_t pos_ = 0;
};

}  // namespace sshlogwhy
