// The one place in src/ below cli/ where exceptions exist: Boost.Iostreams
// reports every decompression problem (and our own device's read errors)
// by throwing. Every call into Boost is wrapped in try/catch here and the
// exception is turned into an Error; nothing escapes this file.
#include "input/decompress.h"

#include <algorithm>
#include <exception>
#include <new>
#include <ios>
#include <optional>
#include <string>

#include <boost/iostreams/filter/bzip2.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filter/lzma.hpp>
#include <boost/iostreams/filter/zstd.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>

#include "input/zstd_frame_tracker.h"

namespace sshlogwhy {

namespace {

namespace bio = boost::iostreams;

// Size of Boost's buffers between our device, the filter and the caller.
// Large enough that per-call overhead vanishes against decompression.
constexpr std::streamsize kBoostBufferSize = 64 * 1024;

// What the device learned that Boost's exception cannot carry: the real
// I/O error of the compressed file, and (for zstd) where the frames end.
struct DeviceState {
  ByteSource* compressed = nullptr;
  std::optional<Error> error;
  bool track_zstd = false;
  detail::ZstdFrameTracker zstd;
};

// A Boost "Source" device reading the compressed bytes from a ByteSource.
// Boost copies devices, so it only holds a pointer to the shared state.
class ByteSourceDevice {
 public:
  typedef char char_type;
  typedef bio::source_tag category;

  explicit ByteSourceDevice(DeviceState* state) : state_(state) {}

  // Boost's contract: return bytes read, or -1 at the end; throw on error.
  std::streamsize read(char* s, std::streamsize n) {
    Result<size_t> got = state_->compressed->read(s, static_cast<size_t>(n));
    if (!got.ok()) {
      state_->error = got.error();
      throw std::ios_base::failure("compressed input read failed");
    }
    if (got.value() == 0) return -1;
    if (state_->track_zstd) state_->zstd.consume(s, got.value());
    return static_cast<std::streamsize>(got.value());
  }

 private:
  DeviceState* state_;
};

class DecompressingSource final : public ByteSource {
 public:
  DecompressingSource(std::unique_ptr<ByteSource> compressed, Compression compression)
      : ByteSource(compressed->name()), compressed_(std::move(compressed)), compression_(compression) {
    state_.compressed = compressed_.get();
    state_.track_zstd = compression == Compression::kZstd;
  }

  // Not movable: Boost's device holds a pointer to state_.
  DecompressingSource(DecompressingSource&&) = delete;

  Result<size_t> read(char* buf, size_t cap) override {
    if (error_) return *error_;
    if (done_ || cap == 0) return size_t{0};
    try {
      if (!started_) {
        push_filters();
        started_ = true;
      }
      // sgetc() makes Boost decompress the next chunk (and may throw);
      // in_avail() then says how much sits in its get area. Copying only
      // that much means a later exception never strikes in the middle of
      // a copy into `buf`, so bytes already decompressed are not lost.
      if (stream_.sgetc() == std::char_traits<char>::eof()) {
        // Judged only now, after Boost has handed out everything it could
        // decode: zstd buffers whole blocks, so failing at the device's end
        // of input would throw away up to a block of good lines.
        if (state_.track_zstd && !state_.zstd.complete()) {
          error_ = Error{name(), 0, "truncated or corrupt zstd data"};
          return *error_;
        }
        done_ = true;
        return size_t{0};
      }
      std::streamsize avail = std::max<std::streamsize>(1, stream_.in_avail());
      std::streamsize n = stream_.sgetn(buf, std::min<std::streamsize>(avail, static_cast<std::streamsize>(cap)));
      return static_cast<size_t>(n);
    } catch (const std::bad_alloc&) {
      error_ = Error{name(), 0, "out of memory while decompressing " + std::string(compression_name(compression_)) +
                                    " data"};
      return *error_;
    } catch (...) {
      // Boost throws gzip_error, bzip2_error, lzma_error, zstd_error (all
      // std::ios_base::failure) for bad data, and our device throws to
      // abort on a read error; either ends this input.
      if (state_.error) {
        error_ = std::move(state_.error);
      } else {
        error_ = Error{name(), 0,
                       "truncated or corrupt " + std::string(compression_name(compression_)) + " data"};
      }
      return *error_;
    }
  }

 private:
  void push_filters() {
    switch (compression_) {
      case Compression::kGzip:
        stream_.push(bio::gzip_decompressor(bio::gzip::default_window_bits, kBoostBufferSize));
        break;
      case Compression::kBzip2:
        stream_.push(bio::bzip2_decompressor(bio::bzip2::default_small, kBoostBufferSize));
        break;
      case Compression::kXz:
        stream_.push(bio::lzma_decompressor(kBoostBufferSize));
        break;
      case Compression::kZstd:
        stream_.push(bio::zstd_decompressor(kBoostBufferSize));
        break;
      case Compression::kNone:
        break;
    }
    stream_.push(ByteSourceDevice(&state_), kBoostBufferSize);
  }

  std::unique_ptr<ByteSource> compressed_;
  Compression compression_;
  DeviceState state_;
  bio::filtering_istreambuf stream_;
  bool started_ = false;
  bool done_ = false;
  std::optional<Error> error_;
};

}  // namespace

std::unique_ptr<ByteSource> make_decompressing_source(std::unique_ptr<ByteSource> compressed,
                                                      Compression compression) {
  return std::make_unique<DecompressingSource>(std::move(compressed), compression);
}

}  // namespace sshlogwhy
