// Small helpers shared by the JSON data loaders (patterns, verdict texts).
#pragma once

#include <cstdint>
#include <string_view>

namespace sshlogwhy {

// 1-based line number of `at` inside `text`; the last line when `at` is past
// the end or null (simdjson may report a location inside its padding).
inline uint64_t line_number_at(std::string_view text, const char* at) {
  if (at == nullptr || at < text.data()) return 1;
  size_t end = static_cast<size_t>(at - text.data());
  if (end > text.size()) end = text.size();
  uint64_t line = 1;
  for (size_t i = 0; i < end; ++i) line += (text[i] == '\n');
  return line;
}

}  // namespace sshlogwhy
