// Decompressing gzip, bzip2, xz and zstd input on the fly.
//
// The decompressed bytes flow into the same line buffer as plain input, so
// a multi-GB rotated auth.log.5.gz is read with bounded memory. All Boost
// headers stay inside decompress.cc.
#pragma once

#include <memory>

#include "input/byte_source.h"
#include "input/compression.h"

namespace sshlogwhy {

// Wraps `compressed` (whose read() yields the compressed bytes, starting
// with the magic) in a source that yields the decompressed bytes.
// `compression` must not be kNone. The result has the same name() as
// `compressed`. Concatenated streams (cat a.gz b.gz, pbzip2, multi-frame
// zstd) decompress as one.
//
// A truncated or corrupt stream makes read() fail with
// "truncated or corrupt <format> data" after the bytes that decompressed
// cleanly were returned; the last few KiB before the damage can be lost
// (they sit in the decompressor's buffer when it gives up). An I/O error of
// the underlying file is reported as that error instead.
std::unique_ptr<ByteSource> make_decompressing_source(std::unique_ptr<ByteSource> compressed,
                                                      Compression compression);

}  // namespace sshlogwhy
