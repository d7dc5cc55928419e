#include "input/fd_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sshlogwhy {

namespace {

Error errno_error(const std::string& name, const char* what, int err) {
  return Error{name, 0, std::string(what) + ": " + std::strerror(err)};
}

}  // namespace

Result<std::unique_ptr<FdSource>> FdSource::open_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno_error(path, "cannot open", errno);
  // open(2) succeeds on a directory and only read(2) fails; say so up front
  // with the same strerror text the user would get from cat.
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return errno_error(path, "cannot open", err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return errno_error(path, "cannot read", EISDIR);
  }
  if (S_ISREG(st.st_mode)) {
    // A hint only; the kernel's readahead already helps and errors are
    // harmless, so the result is ignored.
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  }
  return std::unique_ptr<FdSource>(new FdSource(path, fd, /*owns_fd=*/true));
}

std::unique_ptr<FdSource> FdSource::standard_input(std::string name) {
  return std::unique_ptr<FdSource>(new FdSource(std::move(name), 0, /*owns_fd=*/false));
}

FdSource::FdSource(std::string name, int fd, bool owns_fd)
    : ByteSource(std::move(name)), fd_(fd), owns_fd_(owns_fd) {}

FdSource::~FdSource() {
  if (owns_fd_) ::close(fd_);
}

Result<size_t> FdSource::read_fd(char* buf, size_t cap) {
  for (;;) {
    ssize_t n = ::read(fd_, buf, cap);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    return errno_error(name(), "cannot read", errno);
  }
}

Result<size_t> FdSource::read(char* buf, size_t cap) {
  if (peeked_pos_ < peeked_.size()) {
    size_t n = std::min(cap, peeked_.size() - peeked_pos_);
    std::memcpy(buf, peeked_.data() + peeked_pos_, n);
    peeked_pos_ += n;
    if (peeked_pos_ == peeked_.size()) {
      peeked_.clear();
      peeked_pos_ = 0;
    }
    return n;
  }
  return read_fd(buf, cap);
}

Result<std::string_view> FdSource::peek(size_t n) {
  if (peeked_pos_ > 0) {
    peeked_.erase(0, peeked_pos_);
    peeked_pos_ = 0;
  }
  // A pipe may hand out fewer bytes than asked; keep reading until we have
  // `n` or the input ends.
  while (peeked_.size() < n) {
    size_t have = peeked_.size();
    peeked_.resize(n);
    Result<size_t> got = read_fd(peeked_.data() + have, n - have);
    if (!got.ok()) {
      peeked_.resize(have);
      return got.error();
    }
    peeked_.resize(have + got.value());
    if (got.value() == 0) break;
  }
  return std::string_view(peeked_).substr(0, std::min(n, peeked_.size()));
}

}  // namespace sshlogwhy
