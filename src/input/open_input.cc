#include "input/open_input.h"

#include <string_view>
#include <utility>

#include "input/decompress.h"
#include "input/fd_source.h"
#include "input/isal_gzip_source.h"
#include "input/utf16_source.h"

namespace sshlogwhy {

Result<std::unique_ptr<ByteSource>> open_input(const std::string& path, const InputOptions& options,
                                               InputFormat* format_out) {
  std::unique_ptr<FdSource> raw;
  if (path == "-") {
    raw = FdSource::standard_input("<stdin>");
  } else {
    Result<std::unique_ptr<FdSource>> opened = FdSource::open_file(path);
    if (!opened.ok()) return opened.error();
    raw = std::move(opened.value());
  }

  // One peek serves both decisions; on a pipe it is the only chance, since
  // nothing can be read twice.
  Result<std::string_view> peeked = raw->peek(kCompressionMagicBytes);
  if (!peeked.ok()) return peeked.error();
  const std::string_view head = peeked.value();

  InputFormat format;
  if (options.decompress) format.compression = detect_compression(head);
  if (format.compression == Compression::kNone) {
    if (head.starts_with("\xff\xfe")) format.encoding = TextEncoding::kUtf16Le;
    if (head.starts_with("\xfe\xff")) format.encoding = TextEncoding::kUtf16Be;
  }
  if (format_out != nullptr) *format_out = format;

#if defined(SSHLOGWHY_HAVE_ISAL)
  // gzip through ISA-L: several times zlib's speed (see isal_gzip_source.h).
  if (format.compression == Compression::kGzip) {
    return make_isal_gzip_source(std::move(raw));
  }
#endif
  if (format.compression != Compression::kNone) {
    return make_decompressing_source(std::move(raw), format.compression);
  }
  if (format.encoding != TextEncoding::kAsIs) {
    char bom[2];
    Result<size_t> skipped = raw->read(bom, 2);  // served from the peeked bytes
    if (!skipped.ok()) return skipped.error();
    return std::unique_ptr<ByteSource>(
        std::make_unique<Utf16Source>(std::move(raw), format.encoding == TextEncoding::kUtf16Be));
  }
  return std::unique_ptr<ByteSource>(std::move(raw));
}

}  // namespace sshlogwhy
