#include "input/memory_source.h"

#include <algorithm>
#include <cstring>

namespace sshlogwhy {

MemorySource::MemorySource(std::string name, std::string data, size_t max_chunk)
    : ByteSource(std::move(name)), data_(std::move(data)), max_chunk_(std::max<size_t>(1, max_chunk)) {}

Result<size_t> MemorySource::read(char* buf, size_t cap) {
  size_t n = std::min({cap, max_chunk_, data_.size() - pos_});
  std::memcpy(buf, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

}  // namespace sshlogwhy
