// Lines of an OpenSSH client trace -> Events.
//
// Per line: drop a timestamp/quote prefix added by tools (`ts`, chat
// pastes), drop the `debugN: ` level prefix (levels of a message changed
// across releases, so patterns never depend on it), then match the
// openssh-client family. Lines that match nothing are counted, not lost: the
// verbose report lists how many there were.
#pragma once

#include <string_view>
#include <vector>

#include "events/event.h"
#include "events/pattern_matcher.h"
#include "lines/line.h"

namespace sshlogwhy {

struct EventExtraction {
  std::vector<Event> events;
  uint64_t lines = 0;
  uint64_t matched = 0;
  uint64_t unmatched = 0;  // non-empty lines no pattern knew
};

// Removes `debug1: `..`debug3: ` and returns the level (0 when absent).
std::string_view strip_client_level(std::string_view text, uint8_t& level);

// The message text a client pattern sees for this line.
std::string_view client_message_text(const Line& line, uint8_t& level);

// The Event for a matched line (`index` = the line's index in its input).
Event make_event(const PatternMatch& match, const Line& line, uint32_t index, uint8_t level);

EventExtraction extract_events(const std::vector<Line>& lines, const FamilyMatcher& matcher, bool client_levels);

}  // namespace sshlogwhy
