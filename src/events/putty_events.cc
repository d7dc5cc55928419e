#include "events/putty_events.h"

#include "events/putty_prefix.h"
#include "lines/capture_prefix.h"

namespace sshlogwhy {

PuttyText putty_message_text(const Line& line) {
  PuttyText out;
  PuttyLine pl = classify_putty_line(strip_capture_prefix(line.text));
  out.text = pl.body;
  switch (pl.form) {
    case PuttyLineForm::kEventLogWindow:
    case PuttyLineForm::kSessionLogEvent:
    case PuttyLineForm::kSessionLogHeader:
      out.putty_form = true;
      break;
    default:
      break;
  }
  out.skip = pl.form == PuttyLineForm::kSessionLogHeader || pl.form == PuttyLineForm::kPacketDump ||
             pl.form == PuttyLineForm::kOther;
  return out;
}

EventExtraction extract_putty_events(const std::vector<Line>& lines, const FamilyMatcher& matcher) {
  EventExtraction out;
  PatternMatch match;
  std::string_view previous;  // plink prints some events twice (terminal + log)
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    ++out.lines;
    if (line.flags & kLineRedactedPrivateKey) continue;
    PuttyText pt = putty_message_text(line);
    if (pt.skip || pt.text.empty()) continue;
    if (!matcher.match(pt.text, match)) {
      ++out.unmatched;
      continue;
    }
    // plink writes some messages to the terminal (\r\n) and the event log
    // (\n): the same text twice in a row is one event.
    if (pt.text == previous) continue;
    previous = pt.text;
    ++out.matched;
    Event e;
    e.kind = match.pattern->event;
    e.pattern = match.pattern;
    e.file_index = line.file_index;
    e.line_number = line.number;
    e.line_index = static_cast<uint32_t>(i);
    for (const auto& [name, value] : match.captures) e.fields.emplace_back(std::string(name), std::string(value));
    out.events.push_back(std::move(e));
  }
  return out;
}

}  // namespace sshlogwhy
