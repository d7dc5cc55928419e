#include "lines/binary_sniffer.h"

#include <algorithm>

namespace sshlogwhy {

namespace {

bool is_offending_control(unsigned char c) {
  return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\b' && c != 0x1b;
}

}  // namespace

void BinarySniffer::note_bad(uint64_t count) {
  if (bad_ == 0) first_bad_line_ = newlines_ + 1;
  bad_ += count;
}

void BinarySniffer::flush_nul_run() {
  if (nul_run_ == 0) return;
  if (nul_run_ < kHoleRun) {
    counted_ += nul_run_;
    note_bad(nul_run_);
    // NULs at even offsets in [start, start + run).
    uint64_t even = (nul_run_ + (nul_run_start_ % 2 == 0 ? 1 : 0)) / 2;
    nul_even_ += even;
    nul_odd_ += nul_run_ - even;
  }
  nul_run_ = 0;
}

void BinarySniffer::add(const char* data, size_t n) {
  if (seen_ >= kSampleBytes) return;
  size_t take = static_cast<size_t>(std::min<uint64_t>(n, kSampleBytes - seen_));
  for (size_t i = 0; i < take; ++i) {
    const unsigned char c = static_cast<unsigned char>(data[i]);
    const uint64_t offset = seen_ + i;
    if (offset < 2) first_two_[offset] = c;
    if (c == 0) {
      if (nul_run_ == 0) nul_run_start_ = offset;
      ++nul_run_;
      continue;
    }
    flush_nul_run();
    ++counted_;
    if (c == '\n') {
      ++newlines_;
    } else if (is_offending_control(c)) {
      note_bad(1);
    }
  }
  seen_ += take;
}

BinarySniffer::Verdict BinarySniffer::verdict() const {
  BinarySniffer s = *this;
  s.flush_nul_run();
  Verdict v;
  v.bad = s.bad_;
  v.counted = s.counted_;
  v.line = s.first_bad_line_;
  v.binary = s.bad_ >= 2 && s.bad_ * 10 > s.counted_;
  const uint64_t nuls = s.nul_even_ + s.nul_odd_;
  const bool bom = (s.first_two_[0] == 0xff && s.first_two_[1] == 0xfe) ||
                   (s.first_two_[0] == 0xfe && s.first_two_[1] == 0xff);
  v.looks_utf16 = bom || (nuls > 0 && nuls * 4 >= s.counted_ && std::max(s.nul_even_, s.nul_odd_) * 10 >= nuls * 9);
  return v;
}

std::string BinarySniffer::describe(const Verdict& v) {
  uint64_t percent = v.counted == 0 ? 0 : v.bad * 100 / v.counted;
  std::string out = "binary data (not a text log) at line " + std::to_string(v.line) + ": " +
                    std::to_string(percent) + "% of the first " + std::to_string(v.counted) +
                    " bytes are NUL or control bytes";
  if (v.looks_utf16) {
    out += "; it looks like UTF-16 text (as Windows PowerShell writes it), convert it with "
           "`iconv -f UTF-16 -t UTF-8`";
  }
  return out;
}

}  // namespace sshlogwhy
