// Recognising compressed input by its first bytes.
//
// Rotated logs arrive as auth.log.2.gz, but also renamed, piped through
// stdin, or attached to a ticket as "log.txt" that is really xz. So the
// format is chosen from the magic bytes at the start of the data, never from
// the file name.
#pragma once

#include <cstdint>
#include <string_view>

namespace sshlogwhy {

enum class Compression : uint8_t {
  kNone,   // plain bytes (or a format we do not decompress)
  kGzip,   // RFC 1952: 1f 8b 08
  kBzip2,  // "BZh" 1-9, then a block or end-of-stream magic
  kXz,     // fd '7' 'z' 'X' 'Z' 00
  kZstd,   // 28 b5 2f fd (a zstd frame; skippable frames first are accepted)
};

// How many leading bytes detect_compression() looks at. Give it this many
// when the input has them; fewer is fine for short inputs.
inline constexpr size_t kCompressionMagicBytes = 10;

// The format whose magic bytes `head` starts with, or kNone. Pure function.
Compression detect_compression(std::string_view head);

// "gzip", "bzip2", "xz", "zstd" or "plain"; used in error messages.
std::string_view compression_name(Compression c);

}  // namespace sshlogwhy
