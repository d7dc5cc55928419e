#include "events/client_events.h"

#include "lines/capture_prefix.h"

namespace sshlogwhy {

std::string_view strip_client_level(std::string_view text, uint8_t& level) {
  level = 0;
  if (text.size() >= 8 && text.substr(0, 5) == "debug" && text[5] >= '1' && text[5] <= '3' && text[6] == ':' &&
      text[7] == ' ') {
    level = static_cast<uint8_t>(text[5] - '0');
    return text.substr(8);
  }
  return text;
}

std::string_view client_message_text(const Line& line, uint8_t& level) {
  return strip_client_level(strip_capture_prefix(line.text), level);
}

Event make_event(const PatternMatch& match, const Line& line, uint32_t index, uint8_t level) {
  Event e;
  e.kind = match.pattern->event;
  e.pattern = match.pattern;
  e.file_index = line.file_index;
  e.line_number = line.number;
  e.line_index = index;
  e.level = level;
  for (const auto& [name, value] : match.captures) e.fields.add(name, value);
  return e;
}

EventExtraction extract_events(const std::vector<Line>& lines, const FamilyMatcher& matcher, bool client_levels) {
  EventExtraction out;
  PatternMatch match;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    ++out.lines;
    if (line.flags & kLineRedactedPrivateKey) continue;
    uint8_t level = 0;
    std::string_view text = client_levels ? client_message_text(line, level) : strip_capture_prefix(line.text);
    if (text.empty()) continue;
    if (!matcher.match(text, match)) {
      ++out.unmatched;
      continue;
    }
    ++out.matched;
    out.events.push_back(make_event(match, line, static_cast<uint32_t>(i), level));
  }
  return out;
}

}  // namespace sshlogwhy
