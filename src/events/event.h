// A recognised message: which kind, from which line, with which fields.
//
// Events own their field values, so they stay valid after the line buffer
// moved on. A scan makes one event per sshd line, so the fields live in one
// string with a small inline index (EventFields) instead of a vector of
// string pairs: one allocation per event instead of one per field (issue 5).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/event_kind.h"
#include "events/pattern.h"

namespace sshlogwhy {

// Named values in insertion order. Names and values are copied in.
class EventFields {
 public:
  void add(std::string_view name, std::string_view value);
  // The value of the first field called `name`, or "" when there is none.
  std::string_view get(std::string_view name) const;
  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  std::string_view name(size_t i) const { return view(ref(i).name_offset, ref(i).name_size); }
  std::string_view value(size_t i) const { return view(ref(i).value_offset, ref(i).value_size); }
  void clear();
  void reserve_bytes(size_t n) { data_.reserve(n); }

 private:
  struct Ref {
    uint32_t name_offset = 0, value_offset = 0;
    uint32_t name_size = 0, value_size = 0;
  };
  // The built-in patterns have at most 8 named groups; more spill over.
  static constexpr size_t kInline = 10;
  const Ref& ref(size_t i) const { return i < kInline ? inline_[i] : overflow_[i - kInline]; }
  std::string_view view(uint32_t offset, uint32_t size) const { return std::string_view(data_).substr(offset, size); }

  std::string data_;
  std::array<Ref, kInline> inline_{};
  std::vector<Ref> overflow_;
  uint32_t count_ = 0;
};

struct Event {
  EventKind kind = EventKind::kCount;
  const Pattern* pattern = nullptr;  // the pattern that matched (lives in the PatternDb)
  uint32_t file_index = 0;           // which input
  uint64_t line_number = 0;          // 1-based line in that input
  uint32_t line_index = 0;           // index into the run's Line vector for that input
  uint8_t level = 0;                 // 1..3 for debugN: lines, 0 otherwise
  // The whole input line, kept only where the run does not keep its lines
  // (server logs are streamed); empty otherwise, and the line is looked up.
  std::string text;
  EventFields fields;

  // The value of a field, or "" when the pattern did not capture it.
  std::string_view get(std::string_view name) const { return fields.get(name); }
};

}  // namespace sshlogwhy
