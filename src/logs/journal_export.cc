#include "logs/journal_export.h"

#include <cstring>

namespace sshlogwhy {
namespace {

constexpr size_t kChunk = 256 << 10;
// journald refuses entries over 768 MiB (DATA_SIZE_MAX in journal-file.h);
// a larger length means the stream is not export data at this point.
constexpr uint64_t kMaxFieldBytes = 1ULL << 30;

}  // namespace

ExportByteReader::ExportByteReader(std::unique_ptr<ByteSource> source, std::string prefix, size_t max_value_bytes)
    : source_(std::move(source)), max_value_bytes_(max_value_bytes) {
  buf_.resize(prefix.size() > kChunk ? prefix.size() : kChunk);
  std::memcpy(buf_.data(), prefix.data(), prefix.size());
  end_ = prefix.size();
}

Result<bool> ExportByteReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
    end_ -= pos_;
    pos_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
  Result<size_t> n = source_->read(buf_.data() + end_, buf_.size() - end_);
  if (!n.ok()) {
    Error e = n.error();
    e.line = lines_ + 1;
    return e;
  }
  if (n.value() == 0) {
    eof_ = true;
    return false;
  }
  end_ += n.value();
  return true;
}

Result<bool> ExportByteReader::read_line(std::string& out) {
  out.clear();
  bool any = false;
  for (;;) {
    if (pos_ == end_) {
      Result<bool> more = fill();
      if (!more.ok()) return more.error();
      if (!more.value()) return any;
    }
    any = true;
    const char* start = buf_.data() + pos_;
    const size_t avail = end_ - pos_;
    const void* nl = std::memchr(start, '\n', avail);
    const size_t take = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - start) : avail;
    if (out.size() < max_value_bytes_) out.append(start, std::min(take, max_value_bytes_ - out.size()));
    pos_ += take;
    consumed_ += take;
    if (nl != nullptr) {
      ++pos_;
      ++consumed_;
      ++lines_;
      return true;
    }
  }
}

Result<bool> ExportByteReader::read_bytes(uint64_t n, std::string* out) {
  if (out != nullptr) out->clear();
  while (n > 0) {
    if (pos_ == end_) {
      Result<bool> more = fill();
      if (!more.ok()) return more.error();
      if (!more.value()) return false;
    }
    const size_t take = static_cast<size_t>(std::min<uint64_t>(n, end_ - pos_));
    const char* start = buf_.data() + pos_;
    for (size_t i = 0; i < take; ++i) lines_ += start[i] == '\n' ? 1 : 0;
    if (out != nullptr && out->size() < max_value_bytes_) {
      out->append(start, std::min(take, max_value_bytes_ - out->size()));
    }
    pos_ += take;
    consumed_ += take;
    n -= take;
  }
  return true;
}

Result<Ok> ExportByteReader::resync() {
  for (;;) {
    Result<bool> got = read_line(line_);
    if (!got.ok()) return got.error();
    if (!got.value() || line_.empty()) return Ok{};
  }
}

Result<bool> ExportByteReader::next(JournalEntry& entry, EntryInfo& info) {
  entry.clear();
  info = EntryInfo{};
  bool started = false;
  for (;;) {
    const uint64_t line_number = lines_ + 1;
    Result<bool> got = read_line(line_);
    if (!got.ok()) return got.error();
    if (!got.value()) return started;  // end of input
    // Text lines never hold control bytes, so a '\r' at the end is a CRLF
    // conversion of the file, not data.
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (line_.empty()) {
      if (started) return true;  // the empty line that ends an entry
      continue;                  // extra separators
    }
    if (!started) {
      started = true;
      info.first_line = line_number;
    }
    const size_t eq = line_.find('=');
    if (eq != std::string::npos) {
      const std::string_view name = std::string_view(line_).substr(0, eq);
      if (!detail::is_export_field_name(name)) {
        info.malformed = true;
        continue;  // keep the entry's good fields
      }
      entry.add(name, std::string_view(line_).substr(eq + 1), true);
      continue;
    }
    // A binary field: NAME '\n' le64 length, bytes, '\n'.
    if (!detail::is_export_field_name(line_)) {
      info.malformed = true;
      continue;
    }
    const std::string name = line_;
    std::string length_bytes;
    Result<bool> got_length = read_bytes(8, &length_bytes);
    if (!got_length.ok()) return got_length.error();
    if (!got_length.value()) {
      info.malformed = true;
      return true;
    }
    uint64_t length = 0;
    for (int i = 7; i >= 0; --i) length = (length << 8) | static_cast<unsigned char>(length_bytes[i]);
    if (length > kMaxFieldBytes) {
      info.malformed = true;
      Result<Ok> skipped = resync();
      if (!skipped.ok()) return skipped.error();
      return true;
    }
    Result<bool> got_value = read_bytes(length, &value_);
    if (!got_value.ok()) return got_value.error();
    if (!got_value.value()) {
      info.malformed = true;
      return true;
    }
    ++info.binary_fields;
    entry.add(name, value_, true);
    // The '\n' after the value; anything else is the next line's start.
    if (pos_ == end_) {
      Result<bool> more = fill();
      if (!more.ok()) return more.error();
      if (!more.value()) return true;
    }
    if (buf_[pos_] == '\n') {
      ++pos_;
      ++consumed_;
      ++lines_;
    } else {
      info.malformed = true;
    }
  }
}

namespace detail {

bool is_export_field_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

namespace {

// The number of leading bytes taken as the length, and the length.
size_t best_length_split(std::string_view joined, uint64_t& best_length) {
  size_t best_k = 0;
  uint64_t best_score = UINT64_MAX;
  uint64_t length = 0;
  best_length = 0;
  for (size_t k = 1; k <= 8 && k <= joined.size(); ++k) {
    length |= static_cast<uint64_t>(static_cast<unsigned char>(joined[k - 1])) << (8 * (k - 1));
    const uint64_t rest = joined.size() - k;
    const uint64_t score = length > rest ? length - rest : rest - length;
    if (score < best_score) {
      best_score = score;
      best_k = k;
      best_length = length;
    }
  }
  return best_k;
}

}  // namespace

std::string_view strip_export_length(std::string_view joined) {
  uint64_t length = 0;
  return joined.substr(best_length_split(joined, length));
}

uint64_t export_length_guess(std::string_view joined) {
  uint64_t length = 0;
  best_length_split(joined, length);
  return length;
}

}  // namespace detail
}  // namespace sshlogwhy
