#include "input/replay_source.h"

#include <algorithm>
#include <cstring>

namespace sshlogwhy {

ReplaySource::ReplaySource(std::string head, std::unique_ptr<ByteSource> rest)
    : ByteSource(rest->name()), head_(std::move(head)), rest_(std::move(rest)) {}

Result<size_t> ReplaySource::read(char* buf, size_t cap) {
  if (pos_ < head_.size()) {
    size_t n = std::min(cap, head_.size() - pos_);
    std::memcpy(buf, head_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  return rest_->read(buf, cap);
}

Result<std::string> read_head(ByteSource& source, size_t max_bytes) {
  std::string head(max_bytes, '\0');
  size_t filled = 0;
  while (filled < max_bytes) {
    Result<size_t> n = source.read(head.data() + filled, max_bytes - filled);
    if (!n.ok()) return n.error();
    if (n.value() == 0) break;
    filled += n.value();
  }
  head.resize(filled);
  return head;
}

}  // namespace sshlogwhy
