// Turning an input's bytes into clean Lines, streaming.
//
//   Result<std::unique_ptr<ByteSource>> in = open_input(path);
//   if (!in) return in.error();
//   LineReader reader(std::move(in.value()), {.file_index = 3});
//   Line line;
//   for (;;) {
//     Result<bool> more = reader.next(line);
//     if (!more.ok()) { report(more.error()); break; }  // lines before it were good
//     if (!more.value()) break;                         // end of input
//     handle(line);
//   }
//   if (reader.stats().redacted_key_blocks > 0) warn(...);
//
// Design (ripgrep's LineBuffer): read(2)-sized chunks go into one rolling
// buffer (1 MiB by default); only complete lines leave it; the unfinished
// tail is moved to the front before the next read. Memory stays bounded on
// multi-GB inputs: the buffer only grows when a single line does not fit,
// and lines are capped (64 KiB of text by default; the rest of an over-long
// line is skipped up to its '\n' without being stored).
//
// Each line is cleaned (lines/line_cleaner.h: CRs, escapes, NULs), a UTF-8
// byte order mark at the start of the input is dropped, and private key
// material is blanked (lines/key_redactor.h). See lines/line.h for the
// fields and flags.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "input/byte_source.h"
#include "lines/binary_sniffer.h"
#include "lines/key_redactor.h"
#include "lines/line.h"

namespace sshlogwhy {

struct LineReaderOptions {
  // Initial size of the rolling buffer. Tests use tiny sizes to push lines
  // across the buffer boundary; the buffer grows when one line needs it.
  size_t buffer_bytes = 1 << 20;
  // Longest line text kept; the rest of the line is skipped and the line is
  // flagged kLineTruncated. NUL bytes do not count towards it.
  size_t max_line_bytes = 64 << 10;
  // Copied into every Line::file_index.
  uint32_t file_index = 0;
  // Fail with "binary data (not a text log) at line N" when the first
  // 64 KiB look binary (lines/binary_sniffer.h).
  bool reject_binary = true;
  // False when the bytes are a later piece of a larger input (a scan chunk,
  // pipeline/parallel_scan.h): a byte order mark there is data, not a mark.
  bool input_start = true;
};

// Counters for one input, final once next() has returned false or an error.
struct LineStats {
  uint64_t lines = 0;                // lines returned (redacted ones included)
  uint64_t bytes = 0;                // input bytes consumed (decompressed), terminators included
  uint64_t truncated_lines = 0;      // lines longer than max_line_bytes
  uint64_t lines_with_nul = 0;       // lines that had NUL bytes removed
  uint64_t lines_with_escapes = 0;   // lines that had ANSI/VT escapes removed
  uint64_t lines_with_cr = 0;        // lines that ended in '\r' before '\n'
  uint64_t redacted_key_blocks = 0;  // private key blocks blanked (the CLI warns)
  uint64_t redacted_lines = 0;       // lines blanked as part of those blocks
};

class LineReader {
 public:
  explicit LineReader(std::unique_ptr<ByteSource> source, const LineReaderOptions& options = {});

  // Not copyable (owns the source and a large buffer); movable.
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  LineReader(LineReader&&) = default;
  LineReader& operator=(LineReader&&) = default;

  // Fills `out` with the next line and returns true, or returns false at the
  // end of the input. On a failure (read error, corrupt compressed data,
  // binary input) returns an Error naming the file, with `line` set to the
  // line where it happened (a binary-data error has line 0 and says the line
  // in its message); every complete line before the failure has been
  // returned first. After an error or the end, next() returns false.
  //
  // Note: a Result<bool> converts to true when it is ok(), whatever the
  // value; test .value() for "got a line".
  //
  // `out` is overwritten entirely; reusing one Line across calls reuses its
  // string's capacity. Redacted lines are returned too (empty text, flag
  // kLineRedactedPrivateKey) so line numbers stay continuous.
  [[nodiscard]] Result<bool> next(Line& out);

  const LineStats& stats() const { return stats_; }

  // True when the input ended inside a private key block or with lines
  // held back as a possible key body: what follows these bytes in a larger
  // input would be read differently (pipeline/parallel_scan.cc then reads
  // on from here sequentially). Final once next() has returned false.
  bool ended_in_key_material() const { return ended_in_key_material_; }

  // The source's display name ("<stdin>" for standard input).
  const std::string& name() const { return source_->name(); }

  // Current size of the rolling buffer in bytes: buffer_bytes, or up to
  // about 2 * max_line_bytes after a long line. For tests and benchmarks
  // that check the memory bound.
  size_t buffer_capacity() const { return buf_.size(); }

 private:
  // One line's bytes as found in the input, before cleaning.
  struct RawLine {
    std::string_view bytes;    // into buf_ or scratch_; valid until the next read
    uint64_t offset = 0;       // absolute offset of the line's first byte
    bool newline = true;       // ended with '\n' (false: last line of the input)
    bool truncated = false;    // bytes beyond the cap were skipped
    bool cr_at_end = false;    // when truncated: the skipped part ended in '\r'
    bool nul_dropped = false;  // NULs were dropped while capping
  };

  // Next raw line, or false at the end of the input.
  Result<bool> read_raw(RawLine& raw);
  // Copies a line longer than the cap into scratch_ while skipping its rest.
  Result<bool> read_overlong(RawLine& raw);
  // Appends up to the cap of non-NUL bytes of [p, p+n) to scratch_.
  void append_capped(const char* p, size_t n, RawLine& raw);
  // Rolls the unfinished tail to the front and reads more input.
  Result<Ok> fill();
  // Reads, cleans and numbers the next line into `out`; false at the end.
  Result<bool> read_line(Line& out);
  void redact(Line& line);
  void release_held();

  std::unique_ptr<ByteSource> source_;
  LineReaderOptions options_;

  // The rolling buffer. Invariant: pos_ <= scanned_ <= end_ <= buf_.size();
  // [pos_, end_) holds unconsumed input; [pos_, scanned_) has no '\n';
  // buf_[0] is at absolute input offset buf_offset_.
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t scanned_ = 0;
  size_t end_ = 0;
  uint64_t buf_offset_ = 0;
  bool eof_ = false;
  std::optional<Error> source_error_;  // a read error held back until the lines before it are out

  std::string scratch_;  // capped copy of an over-long line
  uint64_t line_number_ = 0;

  BinarySniffer sniffer_;
  bool sniff_decided_ = false;

  KeyRedactor redactor_;
  std::deque<Line> held_;   // base64 lines that may precede a lone END line
  std::deque<Line> ready_;  // lines decided and waiting to be returned

  bool finished_ = false;
  bool ended_in_key_material_ = false;       // the input is exhausted or failed
  std::optional<Error> error_;  // returned once after the queued lines

  LineStats stats_;
};

}  // namespace sshlogwhy
