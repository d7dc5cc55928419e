// gzip through ISA-L's isal_inflate(); see isal_gzip_source.h for the
// contract. The file compiles to nothing when the build has no ISA-L.
#include "input/isal_gzip_source.h"

#if defined(SSHLOGWHY_HAVE_ISAL)

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sshlogwhy {

namespace {

// Compressed bytes read from the underlying source at a time. Large enough
// that the per-read() cost vanishes next to inflating; small enough to
// stay in L2 alongside ISA-L's 32 KiB history.
constexpr size_t kInputBufferSize = 256 * 1024;

// isal_inflate() counts output in uint32_t; a larger caller buffer is
// simply filled in more than one read().
constexpr size_t kMaxOutputPerCall = size_t{1} << 30;

// Where the decoder stands between read() calls.
enum class Phase : uint8_t {
  // Inside a gzip member (header, deflate blocks or trailer).
  kInMember,
  // A member just ended; the next byte decides: end of input, another
  // member, or NUL padding.
  kBetweenMembers,
  // NUL bytes after the last member; everything up to the end must be NUL.
  kTrailingZeros,
  // The end of the input was reached cleanly; read() returns 0.
  kDone,
};

class IsalGzipSource final : public ByteSource {
 public:
  explicit IsalGzipSource(std::unique_ptr<ByteSource> compressed)
      : ByteSource(compressed->name()), compressed_(std::move(compressed)), in_(kInputBufferSize) {
    isal_inflate_init(&state_);
    state_.crc_flag = ISAL_GZIP;
    state_.next_in = in_.data();
    state_.avail_in = 0;
  }

  // Not movable: state_.next_in points into in_, and the state is 85 KiB.
  IsalGzipSource(IsalGzipSource&&) = delete;

  Result<size_t> read(char* buf, size_t cap) override;

 private:
  // Reads more compressed bytes into in_ when ISA-L has used up the last
  // ones. Sets input_eof_ at the end; an I/O error becomes the sticky error.
  bool refill();

  // Starts the next member at the current input position. isal_inflate_reset()
  // clears the whole state, crc_flag included, so the input pointers and the
  // gzip mode are put back afterwards.
  void start_member();

  // Records the sticky error "truncated or corrupt gzip data (<why>)".
  Error fail(const std::string& why) {
    error_ = Error{name(), 0, "truncated or corrupt gzip data (" + why + ")"};
    return *error_;
  }

  std::unique_ptr<ByteSource> compressed_;
  std::vector<uint8_t> in_;
  inflate_state state_;
  Phase phase_ = Phase::kInMember;
  bool input_eof_ = false;
  uint64_t members_ = 1;  // members started, for messages
  std::optional<Error> error_;
  // An error found by the call that also produced bytes: those bytes are
  // returned first, the error at the next read().
  std::optional<Error> pending_error_;
};

bool IsalGzipSource::refill() {
  if (state_.avail_in > 0 || input_eof_) return true;
  Result<size_t> got = compressed_->read(reinterpret_cast<char*>(in_.data()), in_.size());
  if (!got.ok()) {
    error_ = got.error();
    return false;
  }
  state_.next_in = in_.data();
  state_.avail_in = static_cast<uint32_t>(got.value());
  if (got.value() == 0) input_eof_ = true;
  return true;
}

void IsalGzipSource::start_member() {
  uint8_t* next_in = state_.next_in;
  uint32_t avail_in = state_.avail_in;
  isal_inflate_reset(&state_);
  state_.crc_flag = ISAL_GZIP;
  state_.next_in = next_in;
  state_.avail_in = avail_in;
  ++members_;
  phase_ = Phase::kInMember;
}

std::string isal_reason(int ret) {
  switch (ret) {
    case ISAL_INCORRECT_CHECKSUM:
      return "checksum mismatch";
    case ISAL_INVALID_WRAPPER:
      return "bad gzip header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unsupported compression method";
    case ISAL_INVALID_BLOCK:
    case ISAL_INVALID_SYMBOL:
    case ISAL_INVALID_LOOKBACK:
      return "invalid deflate data";
    default:
      return "ISA-L inflate error " + std::to_string(ret);
  }
}

// One loop turn does one thing: refill input, decide what follows a member,
// skip padding, or call isal_inflate(). Every turn either returns, ends the
// input, consumes compressed bytes or changes the decoder's block state; a
// turn that does none of these means ISA-L is stuck, which is reported as
// corrupt data rather than spinning.
Result<size_t> IsalGzipSource::read(char* buf, size_t cap) {
  if (error_) return *error_;
  if (pending_error_) {
    error_ = std::move(pending_error_);
    pending_error_.reset();
    return *error_;
  }
  if (phase_ == Phase::kDone || cap == 0) return size_t{0};
  const uint32_t out_cap = static_cast<uint32_t>(std::min(cap, kMaxOutputPerCall));

  for (;;) {
    if (!refill()) return *error_;

    if (phase_ == Phase::kBetweenMembers) {
      if (state_.avail_in == 0) {  // input_eof_: the last member was the last
        phase_ = Phase::kDone;
        return size_t{0};
      }
      if (state_.next_in[0] == 0) {
        phase_ = Phase::kTrailingZeros;
      } else if (state_.next_in[0] != 0x1f || (state_.avail_in > 1 && state_.next_in[1] != 0x8b)) {
        return fail("bytes after gzip member " + std::to_string(members_) + " are not gzip data");
      } else {
        start_member();
      }
      continue;
    }

    if (phase_ == Phase::kTrailingZeros) {
      const uint8_t* begin = state_.next_in;
      const uint8_t* end = begin + state_.avail_in;
      if (std::find_if(begin, end, [](uint8_t b) { return b != 0; }) != end) {
        return fail("bytes after the NUL padding that follows gzip member " + std::to_string(members_));
      }
      if (state_.avail_in == 0) {  // input_eof_
        phase_ = Phase::kDone;
        return size_t{0};
      }
      state_.next_in += state_.avail_in;
      state_.avail_in = 0;
      continue;
    }

    // Phase::kInMember.
    state_.next_out = reinterpret_cast<uint8_t*>(buf);
    state_.avail_out = out_cap;
    const uint32_t avail_in_before = state_.avail_in;
    const isal_block_state block_before = state_.block_state;
    const int ret = isal_inflate(&state_);
    const size_t produced = out_cap - state_.avail_out;

    if (ret != ISAL_DECOMP_OK) {
      Error e{name(), 0, "truncated or corrupt gzip data (" + isal_reason(ret) + ")"};
      if (produced > 0) {
        pending_error_ = std::move(e);
        return produced;
      }
      error_ = std::move(e);
      return *error_;
    }
    if (state_.block_state == ISAL_BLOCK_FINISH) phase_ = Phase::kBetweenMembers;
    if (produced > 0) return produced;
    if (phase_ != Phase::kInMember) continue;
    if (state_.avail_in != avail_in_before || state_.block_state != block_before) continue;
    // Nothing moved. With input left, ISA-L would do the same again.
    if (state_.avail_in > 0) return fail("the decoder made no progress");
    // refill() ran first, so no input left means the end of the file.
    return fail("unexpected end of file");
  }
}

}  // namespace

std::unique_ptr<ByteSource> make_isal_gzip_source(std::unique_ptr<ByteSource> compressed) {
  return std::make_unique<IsalGzipSource>(std::move(compressed));
}

}  // namespace sshlogwhy

#endif  // SSHLOGWHY_HAVE_ISAL
