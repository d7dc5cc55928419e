// Decompressing gzip with ISA-L's igzip inflate.
//
// zlib's inflate (behind Boost.Iostreams in decompress.cc) tops out near
// 0.3 GB/s; ISA-L's igzip inflate decodes the same deflate streams several
// times faster, which matters for multi-GB rotated auth.log.N.gz files. It
// is used for gzip only; bzip2, xz and zstd stay on Boost.Iostreams.
//
//   std::unique_ptr<ByteSource> src = make_isal_gzip_source(std::move(raw));
//   Result<size_t> n = src->read(buf, sizeof buf);   // decompressed bytes
//
// Available only when the build found libisal (CMake defines
// SSHLOGWHY_HAVE_ISAL); open_input() falls back to the Boost gzip filter
// otherwise. ISA-L reports errors by return code, so unlike decompress.cc
// nothing here throws or catches.
#pragma once

#if defined(SSHLOGWHY_HAVE_ISAL)

#include <memory>

#include "input/byte_source.h"

namespace sshlogwhy {

// Wraps `compressed` (whose read() yields gzip bytes, starting with the
// magic 1f 8b) in a source that yields the decompressed bytes. The result
// has the same name() as `compressed` and the ByteSource contract.
//
// What it accepts, and how it differs from the Boost path:
//   * Concatenated members (`cat a.gz b.gz`, pigz, bgzip) decompress as one
//     stream, like gzip -dc. Every member's CRC-32 and ISIZE are checked
//     when its trailer arrives; FEXTRA, FNAME, FCOMMENT and FHCRC headers are
//     accepted (FHCRC is verified).
//   * NUL bytes after the last member are ignored, as gzip(1) ignores
//     them (tape and preallocated-file padding). Any other byte after a
//     member must start another valid member; if it does not, read() fails
//     once every good byte has been returned. (gzip -dc prints the data and
//     only warns "trailing garbage ignored"; we report it, because a log
//     that ends in garbage was probably damaged, and the zstd path does the
//     same.)
//
// A truncated or corrupt stream makes read() fail with a message starting
// "truncated or corrupt gzip data", the same words as the Boost path, plus
// a reason in parentheses. The bytes decoded before the damage was found
// have been returned by then; for a bad CRC that is the whole member, since
// the check needs all of it. An I/O error of the underlying source is
// reported as that error instead. Errors are sticky.
//
// Never loops without progress: each read() either returns bytes, consumes
// compressed input, reaches the end, or fails.
std::unique_ptr<ByteSource> make_isal_gzip_source(std::unique_ptr<ByteSource> compressed);

}  // namespace sshlogwhy

#endif  // SSHLOGWHY_HAVE_ISAL
