// Lines of a PuTTY log (Event Log window copy, session log, plink -v) ->
// Events. The prefix forms are recognised by putty_prefix.h; packet dumps
// and session-log headers are skipped.
#pragma once

#include <string_view>
#include <vector>

#include "events/client_events.h"

namespace sshlogwhy {

struct PuttyText {
  std::string_view text;    // the message a putty pattern sees
  bool putty_form = false;  // the line had an unmistakable PuTTY prefix
  bool skip = false;        // header, packet dump: not a message
};

PuttyText putty_message_text(const Line& line);

EventExtraction extract_putty_events(const std::vector<Line>& lines, const FamilyMatcher& matcher);

}  // namespace sshlogwhy
