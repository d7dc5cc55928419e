// Plain bytes from a file descriptor: a regular file, a pipe, or stdin.
//
// Reads with read(2) straight into the caller's buffer; no mmap, because
// logs are rotated and truncated while we read them and a truncated mapping
// raises SIGBUS (lnav and ugrep avoid mmap for the same reason).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "input/byte_source.h"

namespace sshlogwhy {

class FdSource final : public ByteSource {
 public:
  // Opens `path` for reading. Errors name the path and carry strerror text:
  // "cannot open: No such file or directory", "cannot read: Is a directory".
  [[nodiscard]] static Result<std::unique_ptr<FdSource>> open_file(const std::string& path);

  // Reads the process's standard input (fd 0, not closed on destruction),
  // named `name` in messages.
  static std::unique_ptr<FdSource> standard_input(std::string name = "<stdin>");

  ~FdSource() override;

  [[nodiscard]] Result<size_t> read(char* buf, size_t cap) override;

  // Returns up to `n` bytes from the current position without consuming
  // them: the next read() returns them first. Fewer than `n` only at the
  // end of the input. The view is valid until the next call on this object.
  // This is how open_input() sniffs magic bytes even on a pipe, which cannot
  // seek back.
  [[nodiscard]] Result<std::string_view> peek(size_t n);

 private:
  FdSource(std::string name, int fd, bool owns_fd);

  // One read(2), retried on EINTR. 0 = end.
  Result<size_t> read_fd(char* buf, size_t cap);

  int fd_;
  bool owns_fd_;
  std::string peeked_;      // bytes returned by peek() and not yet by read()
  size_t peeked_pos_ = 0;   // how many of peeked_ read() has handed out
};

}  // namespace sshlogwhy
