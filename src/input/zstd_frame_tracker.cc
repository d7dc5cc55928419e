#include "input/zstd_frame_tracker.h"

#include <algorithm>

namespace sshlogwhy::detail {

namespace {

uint32_t le32(const uint8_t* p) {
  return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

}  // namespace

void ZstdFrameTracker::start_collect(State s, size_t need) {
  state_ = s;
  need_ = need;
  acc_len_ = 0;
}

void ZstdFrameTracker::start_skip(State s, uint64_t n) {
  state_ = s;
  skip_ = n;
  if (n == 0) on_skip_done();
}

void ZstdFrameTracker::consume(const char* data, size_t n) {
  const uint8_t* p = reinterpret_cast<const uint8_t*>(data);
  const uint8_t* end = p + n;
  while (p < end && state_ != State::kBad) {
    switch (state_) {
      case State::kMagic:
      case State::kFrameDescriptor:
      case State::kBlockHeader:
      case State::kSkippableSize: {
        size_t take = std::min<size_t>(need_ - acc_len_, static_cast<size_t>(end - p));
        std::copy(p, p + take, acc_ + acc_len_);
        acc_len_ += take;
        p += take;
        if (acc_len_ == need_) on_header_collected();
        break;
      }
      case State::kSkipHeaderRest:
      case State::kSkipBlock:
      case State::kSkipChecksum:
      case State::kSkipSkippable: {
        uint64_t take = std::min<uint64_t>(skip_, static_cast<uint64_t>(end - p));
        skip_ -= take;
        p += take;
        if (skip_ == 0) on_skip_done();
        break;
      }
      case State::kBad:
        break;
    }
  }
}

void ZstdFrameTracker::on_header_collected() {
  switch (state_) {
    case State::kMagic: {
      uint32_t magic = le32(acc_);
      if (magic == 0xFD2FB528u) {
        start_collect(State::kFrameDescriptor, 1);
      } else if ((magic & 0xFFFFFFF0u) == 0x184D2A50u) {
        start_collect(State::kSkippableSize, 4);
      } else {
        state_ = State::kBad;
      }
      return;
    }
    case State::kFrameDescriptor: {
      // Frame_Header_Descriptor: FCS flag (2 bits), single segment, unused,
      // reserved (must be 0), checksum flag, dictionary id flag (2 bits).
      uint8_t d = acc_[0];
      if (d & 0x08) {
        state_ = State::kBad;
        return;
      }
      unsigned fcs_flag = d >> 6;
      bool single_segment = (d >> 5) & 1;
      has_checksum_ = (d >> 2) & 1;
      static constexpr unsigned kDictIdSize[4] = {0, 1, 2, 4};
      static constexpr unsigned kFcsSize[4] = {0, 2, 4, 8};
      unsigned rest = (single_segment ? 0 : 1) + kDictIdSize[d & 3] +
                      (fcs_flag == 0 ? (single_segment ? 1 : 0) : kFcsSize[fcs_flag]);
      start_skip(State::kSkipHeaderRest, rest);
      return;
    }
    case State::kBlockHeader: {
      uint32_t h = uint32_t{acc_[0]} | uint32_t{acc_[1]} << 8 | uint32_t{acc_[2]} << 16;
      last_block_ = h & 1;
      unsigned type = (h >> 1) & 3;
      uint32_t size = h >> 3;
      if (type == 3) {  // reserved block type
        state_ = State::kBad;
        return;
      }
      // An RLE block stores one byte however large its Block_Size.
      start_skip(State::kSkipBlock, type == 1 ? 1 : size);
      return;
    }
    case State::kSkippableSize:
      start_skip(State::kSkipSkippable, le32(acc_));
      return;
    default:
      return;
  }
}

void ZstdFrameTracker::on_skip_done() {
  switch (state_) {
    case State::kSkipHeaderRest:
      start_collect(State::kBlockHeader, 3);
      return;
    case State::kSkipBlock:
      if (!last_block_) {
        start_collect(State::kBlockHeader, 3);
      } else if (has_checksum_) {
        start_skip(State::kSkipChecksum, 4);
      } else {
        ++frames_;
        start_collect(State::kMagic, 4);
      }
      return;
    case State::kSkipChecksum:
    case State::kSkipSkippable:
      ++frames_;
      start_collect(State::kMagic, 4);
      return;
    default:
      return;
  }
}

bool ZstdFrameTracker::complete() const {
  return state_ == State::kMagic && acc_len_ == 0 && frames_ > 0;
}

}  // namespace sshlogwhy::detail
