// Deciding whether an input is a text log at all.
//
// Someone will run `sshlogwhy /var/log/wtmp` or a core file. Rather than
// print thousands of junk lines, the line stage samples the first 64 KiB of
// each input and refuses it when more than about 10% of the bytes are NUL
// or C0 control characters other than \t \n \r \b and ESC (which real
// traces contain). Runs of 32 or more NULs are ignored: those are the
// holes that logrotate's copytruncate and crashes leave in text logs, not
// evidence of a binary format. A single stray byte never decides (the
// `script` typescript has one NUL from the pty).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sshlogwhy {

class BinarySniffer {
 public:
  static constexpr size_t kSampleBytes = 64 * 1024;
  static constexpr size_t kHoleRun = 32;  // a NUL run this long is a hole

  // Feeds the next `n` bytes of the input; bytes beyond the first
  // kSampleBytes are ignored.
  void add(const char* data, size_t n);

  // True once kSampleBytes bytes have been fed; judge then, or at the end of
  // a shorter input.
  bool sample_full() const { return seen_ >= kSampleBytes; }

  struct Verdict {
    bool binary = false;
    uint64_t line = 0;     // 1-based line of the first offending byte (0: none)
    uint64_t bad = 0;      // offending bytes in the sample (holes excluded)
    uint64_t counted = 0;  // sample bytes judged (holes excluded)
    bool looks_utf16 = false;  // BOM, or NULs mostly at every other byte
  };
  // The judgement on the bytes fed so far. Pure.
  Verdict verdict() const;

  // "binary data (not a text log) at line N: ..." for `v` (v.binary).
  static std::string describe(const Verdict& v);

 private:
  void flush_nul_run();
  void note_bad(uint64_t count);

  uint64_t seen_ = 0;        // bytes fed (capped at kSampleBytes)
  uint64_t counted_ = 0;
  uint64_t bad_ = 0;
  uint64_t newlines_ = 0;    // '\n' seen so far, for line numbers
  uint64_t first_bad_line_ = 0;
  uint64_t nul_run_ = 0;     // length of the NUL run in progress
  uint64_t nul_run_start_ = 0;
  uint64_t nul_even_ = 0;    // counted NULs at even / odd offsets
  uint64_t nul_odd_ = 0;
  unsigned char first_two_[2] = {0, 0};
};

}  // namespace sshlogwhy
