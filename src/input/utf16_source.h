// UTF-16 text turned into UTF-8 on the fly.
//
// Windows PowerShell 5.1 writes `ssh -vvv host 2> trace.txt` (and
// Out-File) as UTF-16LE with a byte order mark. Every later stage matches
// UTF-8/ASCII bytes, so open_input() recognises the BOM and wraps the file
// in this source; the user never needs iconv.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "input/byte_source.h"

namespace sshlogwhy {

class Utf16Source final : public ByteSource {
 public:
  // Reads UTF-16 code units from `inner` (whose BOM, if any, the caller has
  // already consumed) and yields UTF-8. Unpaired surrogates and a dangling
  // odd byte at the end become U+FFFD. Same name() as `inner`.
  Utf16Source(std::unique_ptr<ByteSource> inner, bool big_endian);

  [[nodiscard]] Result<size_t> read(char* buf, size_t cap) override;

 private:
  // Reads one chunk from inner_ and converts it into out_. Sets eof_.
  Result<Ok> convert_more();
  void emit(uint32_t code_point);

  std::unique_ptr<ByteSource> inner_;
  bool big_endian_;
  std::vector<char> in_;       // raw chunk from inner_
  std::string out_;            // converted bytes not yet returned
  size_t out_pos_ = 0;
  int carry_ = -1;             // an odd byte left from the previous chunk, or -1
  uint32_t high_surrogate_ = 0;  // a high surrogate waiting for its pair, or 0
  bool eof_ = false;
};

}  // namespace sshlogwhy
