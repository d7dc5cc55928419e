// Opening one input named on the command line.
//
//   Result<std::unique_ptr<ByteSource>> in = open_input(path);
//   if (!in) { report(in.error()); continue; }   // per-file error, run goes on
//   LineReader lines(std::move(in.value()), {.file_index = i});
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "input/byte_source.h"
#include "input/compression.h"

namespace sshlogwhy {

struct InputOptions {
  // Decompress gzip/bzip2/xz/zstd data (recognised by magic bytes, not by
  // file name). When false, compressed bytes are passed through as they
  // are (and the line stage will then call them binary).
  bool decompress = true;
};

enum class TextEncoding : uint8_t {
  kAsIs,     // bytes passed on unchanged (ASCII, UTF-8, anything else)
  kUtf16Le,  // UTF-16LE with BOM, converted to UTF-8 (Windows PowerShell 5.1)
  kUtf16Be,  // UTF-16BE with BOM, converted to UTF-8
};

// What open_input() found at the start of the data.
struct InputFormat {
  Compression compression = Compression::kNone;
  TextEncoding encoding = TextEncoding::kAsIs;  // detected on uncompressed input only
};

// Opens `path`, or standard input when `path` is "-" (display name
// "<stdin>"). Peeks at the first bytes to pick a decompressor, or a UTF-16
// to UTF-8 converter when the input starts with a UTF-16 byte order mark.
// gzip goes through ISA-L (isal_gzip_source.h) when the build has it, and
// through Boost.Iostreams (decompress.h) otherwise, as do bzip2, xz, zstd.
// Errors carry the path and the strerror text, e.g.
//   {file: "auth.log", message: "cannot open: No such file or directory"}
//   {file: "/var/log", message: "cannot read: Is a directory"}
// `*format_out`, when given, receives what was detected.
[[nodiscard]] Result<std::unique_ptr<ByteSource>> open_input(const std::string& path,
                                                             const InputOptions& options = {},
                                                             InputFormat* format_out = nullptr);

}  // namespace sshlogwhy
