// Knows whether a zstd stream ended at a frame boundary.
//
// Boost.Iostreams' zstd_decompressor (1.74) reports corrupt data but not
// truncation: a .zst cut in half decompresses "successfully" to its first
// part. This tracker watches the compressed bytes on their way into the
// decompressor, walks the frame and block headers (RFC 8878, section 3.1),
// and tells the caller at the end whether the last frame was complete.
// It does not decompress anything and costs a few comparisons per block.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sshlogwhy::detail {

class ZstdFrameTracker {
 public:
  // Feeds the next `n` compressed bytes. Never fails; a malformed header
  // makes complete() false for good.
  void consume(const char* data, size_t n);

  // True when the bytes so far are one or more complete frames (zstd or
  // skippable) and nothing else: the stream may legitimately end here.
  bool complete() const;

 private:
  enum class State : uint8_t {
    kMagic,            // collecting a 4-byte frame magic number
    kFrameDescriptor,  // collecting the 1-byte frame header descriptor
    kSkipHeaderRest,   // skipping window descriptor, dictionary id, content size
    kBlockHeader,      // collecting a 3-byte block header
    kSkipBlock,        // skipping block content
    kSkipChecksum,     // skipping the 4-byte content checksum
    kSkippableSize,    // collecting the 4-byte size of a skippable frame
    kSkipSkippable,    // skipping a skippable frame's payload
    kBad,              // not zstd; stays here
  };

  // Called when `need_` header bytes have been collected into acc_.
  void on_header_collected();
  // Called when a skip of `skip_` bytes has finished.
  void on_skip_done();
  void start_collect(State s, size_t need);
  void start_skip(State s, uint64_t n);

  State state_ = State::kMagic;
  uint8_t acc_[4] = {};     // header bytes collected so far
  size_t acc_len_ = 0;
  size_t need_ = 4;         // header bytes to collect in this state
  uint64_t skip_ = 0;       // bytes left to skip in a skipping state
  bool last_block_ = false;
  bool has_checksum_ = false;
  uint64_t frames_ = 0;     // complete frames seen
};

}  // namespace sshlogwhy::detail
