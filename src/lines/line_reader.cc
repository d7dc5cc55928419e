#include "lines/line_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "lines/line_cleaner.h"

namespace sshlogwhy {

namespace {

// A line may end in "\r\r\n"; these CRs do not count towards the cap.
constexpr size_t kTerminatorSlack = 2;

// Held base64 lines are at most this many; a longer run is released as it
// is (no real key body is this long, and it bounds the memory).
constexpr size_t kMaxHeldLines = 512;
constexpr size_t kMaxHeldLineBytes = 256;

}  // namespace

LineReader::LineReader(std::unique_ptr<ByteSource> source, const LineReaderOptions& options)
    : source_(std::move(source)), options_(options) {
  options_.buffer_bytes = std::max<size_t>(options_.buffer_bytes, 1);
  options_.max_line_bytes = std::max<size_t>(options_.max_line_bytes, 1);
  buf_.resize(options_.buffer_bytes);
}

// Most lines go straight from read_line() to the caller. Two queues exist
// for private-key redaction only: held_ keeps base64-only lines back until
// the next line shows whether they were the body of a key whose BEGIN line
// is missing (then they are blanked) or not (then they go out unchanged);
// ready_ holds lines already decided, in input order. Both stay empty on
// ordinary logs, and held_ is bounded by kMaxHeldLines * kMaxHeldLineBytes.
Result<bool> LineReader::next(Line& out) {
  for (;;) {
    if (!ready_.empty()) {
      out = std::move(ready_.front());
      ready_.pop_front();
      return true;
    }
    if (finished_) {
      if (error_) {
        Error e = std::move(*error_);
        error_.reset();
        return e;
      }
      return false;
    }

    Result<bool> got = read_line(out);
    if (!got.ok() || !got.value()) {
      if (!got.ok()) error_ = got.error();
      finished_ = true;
      ended_in_key_material_ = redactor_.in_block() || !held_.empty();
      // Held lines were never followed by an END line: they are not a key.
      release_held();
      continue;
    }

    switch (redactor_.classify(out.text)) {
      case KeyRedactor::Decision::kKeep:
        if (held_.empty()) return true;
        release_held();
        ready_.push_back(std::move(out));
        continue;
      case KeyRedactor::Decision::kRedact:
        redact(out);
        if (held_.empty()) return true;
        release_held();
        ready_.push_back(std::move(out));
        continue;
      case KeyRedactor::Decision::kHold:
        if (out.text.size() > kMaxHeldLineBytes) {
          // Too long for a wrapped key body; not worth holding.
          if (held_.empty()) return true;
          release_held();
          ready_.push_back(std::move(out));
          continue;
        }
        held_.push_back(std::move(out));
        out = Line{};
        if (held_.size() > kMaxHeldLines) release_held();
        continue;
      case KeyRedactor::Decision::kRedactHeld: {
        // A wrapped key body is a run of lines of one width and a last,
        // shorter line. Held lines before that run ("note", "yes") were
        // not part of the key and are released as they are.
        size_t first_key = held_.empty() ? 0 : held_.size() - 1;
        if (held_.size() >= 2) {
          const size_t width = held_[held_.size() - 2].text.size();
          first_key = held_.size() - 2;
          while (first_key > 0 && held_[first_key - 1].text.size() == width) --first_key;
        }
        for (size_t i = first_key; i < held_.size(); ++i) redact(held_[i]);
        release_held();
        redact(out);
        ready_.push_back(std::move(out));
        continue;
      }
    }
  }
}

void LineReader::redact(Line& line) {
  // Overwrite before clearing so the key bytes do not linger in the
  // string's capacity, which the caller reuses for the next line.
  std::fill(line.text.begin(), line.text.end(), '\0');
  line.text.clear();
  line.flags |= kLineRedactedPrivateKey;
  ++stats_.redacted_lines;
  stats_.redacted_key_blocks = redactor_.blocks();
}

void LineReader::release_held() {
  while (!held_.empty()) {
    ready_.push_back(std::move(held_.front()));
    held_.pop_front();
  }
}

Result<bool> LineReader::read_line(Line& out) {
  RawLine raw;
  Result<bool> got = read_raw(raw);
  if (!got.ok() || !got.value()) return got;

  out.file_index = options_.file_index;
  out.number = ++line_number_;
  out.offset = raw.offset;
  out.flags = 0;

  std::string_view bytes = raw.bytes;
  if (raw.offset == 0 && options_.input_start && bytes.starts_with("\xef\xbb\xbf")) bytes.remove_prefix(3);  // UTF-8 BOM
  out.flags |= clean_line(bytes, out.text);
  if (raw.nul_dropped) out.flags |= kLineHadNul;
  if (raw.truncated) {
    out.flags |= kLineTruncated;
    if (raw.cr_at_end) out.flags |= kLineHadCarriageReturn;
  }
  if (out.text.size() > options_.max_line_bytes) {
    out.text.resize(options_.max_line_bytes);
    out.flags |= kLineTruncated;
  }
  if (!raw.newline) out.flags |= kLineNoNewlineAtEnd;

  ++stats_.lines;
  stats_.bytes = buf_offset_ + pos_;
  if (out.flags & kLineTruncated) ++stats_.truncated_lines;
  if (out.flags & kLineHadNul) ++stats_.lines_with_nul;
  if (out.flags & kLineHadAnsiEscape) ++stats_.lines_with_escapes;
  if (out.flags & kLineHadCarriageReturn) ++stats_.lines_with_cr;
  return true;
}

Result<bool> LineReader::read_raw(RawLine& raw) {
  const size_t cap = options_.max_line_bytes + kTerminatorSlack;
  for (;;) {
    const char* base = buf_.data();
    if (scanned_ < end_) {
      const void* nl = std::memchr(base + scanned_, '\n', end_ - scanned_);
      if (nl != nullptr) {
        size_t nl_pos = static_cast<size_t>(static_cast<const char*>(nl) - base);
        size_t len = nl_pos - pos_;
        raw.offset = buf_offset_ + pos_;
        raw.newline = true;
        if (len <= cap) {
          raw.bytes = std::string_view(base + pos_, len);
        } else {
          // The whole line is in the buffer but too long: keep a capped copy
          // so that out.text never holds more than the cap.
          scratch_.clear();
          append_capped(base + pos_, len, raw);
          raw.cr_at_end = base[nl_pos - 1] == '\r';
          raw.bytes = scratch_;
        }
        pos_ = nl_pos + 1;
        scanned_ = pos_;
        return true;
      }
      scanned_ = end_;
    }
    if (eof_) {
      if (pos_ == end_) return false;
      size_t len = end_ - pos_;
      raw.offset = buf_offset_ + pos_;
      raw.newline = false;
      if (len <= cap) {
        raw.bytes = std::string_view(base + pos_, len);
      } else {
        scratch_.clear();
        append_capped(base + pos_, len, raw);
        raw.cr_at_end = base[end_ - 1] == '\r';
        raw.bytes = scratch_;
      }
      pos_ = end_;
      scanned_ = end_;
      return true;
    }
    if (end_ - pos_ > cap) return read_overlong(raw);
    Result<Ok> filled = fill();
    if (!filled.ok()) return filled.error();
  }
}

void LineReader::append_capped(const char* p, size_t n, RawLine& raw) {
  const size_t cap = options_.max_line_bytes + kTerminatorSlack;
  const char* end = p + n;
  while (p < end) {
    const void* nul = std::memchr(p, '\0', static_cast<size_t>(end - p));
    const char* stop = nul != nullptr ? static_cast<const char*>(nul) : end;
    size_t room = cap - std::min(cap, scratch_.size());
    size_t run = static_cast<size_t>(stop - p);
    if (run > room) raw.truncated = true;
    scratch_.append(p, std::min(run, room));
    if (stop == end) break;
    raw.nul_dropped = true;
    p = stop + 1;
  }
}

// A line longer than the cap is streamed through: the first `cap` non-NUL
// bytes are copied to scratch_, the rest is read and dropped up to the
// '\n'. The buffer never has to hold the whole line, so a 4 GB line (or a
// 500 MB NUL hole left by copytruncate) costs no more memory than a short
// one.
Result<bool> LineReader::read_overlong(RawLine& raw) {
  scratch_.clear();
  raw.offset = buf_offset_ + pos_;
  char last = '\0';
  for (;;) {
    const char* start = buf_.data() + pos_;
    size_t avail = end_ - pos_;
    const void* nl = std::memchr(start, '\n', avail);
    size_t len = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - start) : avail;
    if (len > 0) last = start[len - 1];
    append_capped(start, len, raw);
    if (nl != nullptr) {
      pos_ += len + 1;
      raw.newline = true;
      break;
    }
    pos_ = end_;
    if (eof_) {
      raw.newline = false;
      break;
    }
    Result<Ok> filled = fill();
    if (!filled.ok()) return filled.error();
  }
  scanned_ = pos_;
  raw.cr_at_end = last == '\r';
  raw.bytes = scratch_;
  return true;
}

Result<Ok> LineReader::fill() {
  // Roll: keep only the unfinished line, at the front.
  if (pos_ > 0) {
    size_t keep = end_ - pos_;
    std::memmove(buf_.data(), buf_.data() + pos_, keep);
    buf_offset_ += pos_;
    scanned_ -= pos_;
    end_ = keep;
    pos_ = 0;
  }
  // Full with one unfinished line: grow. read_raw() diverts lines longer
  // than the cap to read_overlong(), so this stops at about twice the cap.
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);

  // The first fill keeps reading until the binary sample is complete (or
  // the buffer is full), so that with the default buffer a binary input is
  // refused before any of its "lines" are returned.
  if (source_error_) {
    Error e = std::move(*source_error_);
    source_error_.reset();
    if (e.file.empty()) e.file = source_->name();
    if (e.line == 0) e.line = line_number_ + 1;
    return e;
  }
  const size_t end_before = end_;
  do {
    Result<size_t> got = source_->read(buf_.data() + end_, buf_.size() - end_);
    bool failed = false;
    if (!got.ok()) {
      // Return the complete lines read so far first; the error comes at
      // the next fill, with the line number of the line it cut short.
      source_error_ = got.error();
      if (end_ == end_before) return fill();
      failed = true;
    } else if (got.value() == 0) {
      eof_ = true;
    } else {
      if (!sniff_decided_) sniffer_.add(buf_.data() + end_, got.value());
      end_ += got.value();
    }
    if (!sniff_decided_ && (eof_ || failed || sniffer_.sample_full())) {
      sniff_decided_ = true;
      BinarySniffer::Verdict v = sniffer_.verdict();
      if (options_.reject_binary && v.binary) {
        return Error{source_->name(), 0, BinarySniffer::describe(v)};
      }
    }
    if (failed) break;
  } while (!sniff_decided_ && !eof_ && end_ < buf_.size());
  return Ok{};
}

}  // namespace sshlogwhy
