// Where the bytes of one input come from.
//
// Every input (a file, standard input, a compressed file, a string in a
// test) is a ByteSource: something that fills a caller's buffer and says
// when it is done. The line stage (src/lines/line_reader.h) pulls from one
// and never needs to know whether the bytes came from disk, a pipe or a
// decompressor.
//
//   Result<std::unique_ptr<ByteSource>> src = open_input("auth.log.2.gz");
//   if (!src) return src.error();
//   char buf[65536];
//   for (;;) {
//     Result<size_t> n = src.value()->read(buf, sizeof buf);
//     if (!n) return n.error();       // names the file, says what went wrong
//     if (n.value() == 0) break;      // end of input
//     consume(buf, n.value());
//   }
#pragma once

#include <cstddef>
#include <string>
#include <utility>

#include "base/result.h"

namespace sshlogwhy {

// An input stream of bytes. Implementations: FdSource (files, stdin),
// MemorySource (strings), and the decompressing sources made by
// make_decompressing_source(); open_input() picks among them.
//
// Not thread-safe: one reader at a time. Not copyable (sources own file
// descriptors or decompressor state); hold them by std::unique_ptr.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Copies up to `cap` bytes (cap > 0) into `buf` and returns how many.
  // Returns 0 only at the end of the input; a short count is not the end.
  // On failure returns an Error whose `file` is name() and whose `line` is 0
  // (the caller knows the line). After an error or the end, further calls
  // keep returning the same error or 0; callers should stop at the first.
  [[nodiscard]] virtual Result<size_t> read(char* buf, size_t cap) = 0;

  // The name used in messages: the path as the user gave it, or "<stdin>".
  const std::string& name() const { return name_; }

 protected:
  explicit ByteSource(std::string name) : name_(std::move(name)) {}

 private:
  std::string name_;
};

}  // namespace sshlogwhy
