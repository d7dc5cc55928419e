// journalctl -o export: entries read from bytes, not lines.
//
// The export format (systemd.io/JOURNAL_EXPORT_FORMATS) is a sequence of
// entries separated by an empty line. A text field is "NAME=value\n"; a
// field whose value is not printable UTF-8 without newlines is
// "NAME\n" + 64-bit little-endian length + raw bytes + "\n". journalctl
// uses the binary form for every MESSAGE with an embedded newline.
//
// Why a byte-level reader instead of reassembling the line stage's output:
// the line stage cleans every line (drops NULs, CRs at the end, terminal
// escapes) and splits at every '\n'. The length is mostly NUL bytes, may
// itself contain 0x0A or 0x0D, and the value may contain escapes; after
// cleaning, neither the length nor the value's end can be recovered
// exactly. So LogRecordReader, when it owns the ByteSource, sniffs the
// first bytes and hands an export stream to ExportByteReader, which reads
// the length and then exactly that many bytes. Values read this way never
// passed the line stage, so JournalEntry::finish() cleans and
// key-redacts MESSAGE itself (journal_entry.h).
//
// When the caller only has a LineReader, LogRecordReader still reads export
// from lines, best effort (detail::strip_export_length()).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "input/byte_source.h"
#include "logs/journal_entry.h"

namespace sshlogwhy {

class ExportByteReader {
 public:
  // Reads from `source` after first serving `prefix` (bytes the caller
  // already took from it to sniff the format). Values longer than
  // `max_value_bytes` are cut (the rest is read and dropped).
  ExportByteReader(std::unique_ptr<ByteSource> source, std::string prefix, size_t max_value_bytes = 64 << 10);

  // Not copyable: owns the source and its buffer.
  ExportByteReader(const ExportByteReader&) = delete;
  ExportByteReader& operator=(const ExportByteReader&) = delete;

  struct EntryInfo {
    uint64_t first_line = 0;     // 1-based line of the entry's first field
    uint32_t binary_fields = 0;  // fields in the binary form
    // The entry was cut short or broke the grammar (a field name that is
    // not [A-Z0-9_]+, a length past the end of the input or over 1 GiB, no
    // '\n' after a binary value). Reading resumes after the next empty line.
    bool malformed = false;
  };

  // Reads the next entry's fields into `entry` (cleared first; every value
  // is added as raw). Returns false at the end of the input (after the last
  // entry, with or without its terminating empty line). A read error from
  // the source is returned as an Error naming the source and the line.
  [[nodiscard]] Result<bool> next(JournalEntry& entry, EntryInfo& info);

  const std::string& name() const { return source_->name(); }
  uint64_t bytes() const { return consumed_; }

 private:
  // Makes more bytes available; false at the end of the input.
  Result<bool> fill();
  // The next line without its '\n' into `out` (capped); false at the end of
  // the input when nothing was left.
  Result<bool> read_line(std::string& out);
  // Exactly `n` bytes, the first max_value_bytes_ of them into `out` (when
  // not null); false when the input ends first.
  Result<bool> read_bytes(uint64_t n, std::string* out);
  // Skips lines up to and including the next empty one.
  Result<Ok> resync();

  std::unique_ptr<ByteSource> source_;
  size_t max_value_bytes_;
  std::vector<char> buf_;
  size_t pos_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  uint64_t lines_ = 0;     // '\n' bytes consumed
  uint64_t consumed_ = 0;  // bytes consumed
  std::string line_;
  std::string value_;
};

namespace detail {

// True for an export field name: one or more of [A-Z0-9_].
bool is_export_field_name(std::string_view name);

// The value of a binary export field as the line stage delivers it: the
// 8 length bytes minus their NULs (and any 0x0A among them as a line
// break), then the value, its lines joined with '\n'. Tries taking the
// first 1..8 bytes as the little-endian length and keeps the split whose
// length is closest to what remains (exact unless cleaning changed the
// value). Best effort by nature; the byte path is exact.
std::string_view strip_export_length(std::string_view joined);

// The length that strip_export_length() settled on for `joined`.
uint64_t export_length_guess(std::string_view joined);

}  // namespace detail
}  // namespace sshlogwhy
