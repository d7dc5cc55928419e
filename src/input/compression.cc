#include "input/compression.h"

namespace sshlogwhy {

namespace {

bool starts_with_bytes(std::string_view head, std::string_view magic) {
  return head.size() >= magic.size() && head.substr(0, magic.size()) == magic;
}

}  // namespace

// Each test is as strict as the format allows, because a false positive
// turns a text log into a "corrupt gzip data" error: gzip also checks the
// method byte (8 = deflate, the only one defined), and bzip2 checks the
// block-header magic (pi) or the end-of-stream magic (sqrt(pi)) so that a
// text file starting "BZh9" stays text.
Compression detect_compression(std::string_view head) {
  using namespace std::string_view_literals;
  if (starts_with_bytes(head, "\x1f\x8b\x08"sv)) return Compression::kGzip;
  if (starts_with_bytes(head, "\xfd" "7zXZ\x00"sv)) return Compression::kXz;
  if (starts_with_bytes(head, "\x28\xb5\x2f\xfd"sv)) return Compression::kZstd;
  // A zstd skippable frame (magic 0x184D2A50..5F, little-endian) may come
  // first, as pzstd and some archivers write one.
  if (head.size() >= 4 && (static_cast<unsigned char>(head[0]) & 0xf0) == 0x50 &&
      head.substr(1, 3) == "\x2a\x4d\x18"sv) {
    return Compression::kZstd;
  }
  if (head.size() >= 10 && starts_with_bytes(head, "BZh"sv) && head[3] >= '1' &&
      head[3] <= '9') {
    std::string_view block = head.substr(4, 6);
    if (block == "\x31\x41\x59\x26\x53\x59"sv || block == "\x17\x72\x45\x38\x50\x90"sv) {
      return Compression::kBzip2;
    }
  }
  return Compression::kNone;
}

std::string_view compression_name(Compression c) {
  switch (c) {
    case Compression::kNone: return "plain";
    case Compression::kGzip: return "gzip";
    case Compression::kBzip2: return "bzip2";
    case Compression::kXz: return "xz";
    case Compression::kZstd: return "zstd";
  }
  return "plain";
}

}  // namespace sshlogwhy
