// A recognised message: which kind, from which line, with which fields.
//
// Events own their field values (std::string), so they stay valid after the
// line buffer moved on; client traces are small, and the server path (issue
// 5) will use its own fixed-size records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/event_kind.h"
#include "events/pattern.h"

namespace sshlogwhy {

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
  std::vector<std::pair<std::string, std::string>> fields;

  // The value of a field, or "" when the pattern did not capture it.
  std::string_view get(std::string_view name) const {
    for (const auto& [k, v] : fields) {
      if (k == name) return v;
    }
    return {};
  }
};

}  // namespace sshlogwhy
