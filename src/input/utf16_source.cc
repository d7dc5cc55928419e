#include "input/utf16_source.h"

#include <algorithm>
#include <cstring>

namespace sshlogwhy {

namespace {

constexpr size_t kChunkBytes = 64 * 1024;
constexpr uint32_t kReplacement = 0xFFFD;

}  // namespace

Utf16Source::Utf16Source(std::unique_ptr<ByteSource> inner, bool big_endian)
    : ByteSource(inner->name()), inner_(std::move(inner)), big_endian_(big_endian), in_(kChunkBytes) {}

void Utf16Source::emit(uint32_t cp) {
  if (cp < 0x80) {
    out_ += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out_ += static_cast<char>(0xC0 | (cp >> 6));
    out_ += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out_ += static_cast<char>(0xE0 | (cp >> 12));
    out_ += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out_ += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out_ += static_cast<char>(0xF0 | (cp >> 18));
    out_ += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out_ += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out_ += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

Result<Ok> Utf16Source::convert_more() {
  out_.clear();
  out_pos_ = 0;
  size_t have = 0;
  if (carry_ >= 0) in_[have++] = static_cast<char>(carry_);
  carry_ = -1;
  Result<size_t> got = inner_->read(in_.data() + have, in_.size() - have);
  if (!got.ok()) return got.error();
  if (got.value() == 0) {
    eof_ = true;
    if (high_surrogate_ != 0 || have == 1) emit(kReplacement);
    high_surrogate_ = 0;
    return Ok{};
  }
  have += got.value();
  const unsigned char* p = reinterpret_cast<const unsigned char*>(in_.data());
  size_t i = 0;
  for (; i + 1 < have; i += 2) {
    uint32_t u = big_endian_ ? (uint32_t{p[i]} << 8 | p[i + 1]) : (uint32_t{p[i + 1]} << 8 | p[i]);
    if (high_surrogate_ != 0) {
      if (u >= 0xDC00 && u <= 0xDFFF) {
        emit(0x10000 + ((high_surrogate_ - 0xD800) << 10) + (u - 0xDC00));
        high_surrogate_ = 0;
        continue;
      }
      emit(kReplacement);
      high_surrogate_ = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      high_surrogate_ = u;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      emit(kReplacement);
    } else {
      emit(u);
    }
  }
  if (i < have) carry_ = p[i];
  return Ok{};
}

Result<size_t> Utf16Source::read(char* buf, size_t cap) {
  while (out_pos_ == out_.size()) {
    if (eof_) return size_t{0};
    Result<Ok> more = convert_more();
    if (!more.ok()) return more.error();
  }
  size_t n = std::min(cap, out_.size() - out_pos_);
  std::memcpy(buf, out_.data() + out_pos_, n);
  out_pos_ += n;
  return n;
}

}  // namespace sshlogwhy
