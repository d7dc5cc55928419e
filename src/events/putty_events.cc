#include "events/putty_events.h"

#include <span>
#include <string>

#include "events/putty_prefix.h"
#include "lines/capture_prefix.h"

namespace sshlogwhy {
namespace {

constexpr std::string_view kFatalPrefix = "FATAL ERROR: ";

}  // namespace

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
  std::string previous;  // body of the previous event, to fold plink's terminal echoes
  // Every line's message text first: multi-line messages (plink's fatal
  // disconnect text, PuTTY 0.70's Event Log) need to look ahead.
  std::vector<PuttyText> texts;
  texts.reserve(lines.size());
  for (const Line& line : lines) texts.push_back(putty_message_text(line));

  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    ++out.lines;
    if (line.flags & kLineRedactedPrivateKey) continue;
    if (texts[i].skip || texts[i].text.empty()) continue;

    // Join a message that PuTTY split over lines into its one-line form.
    std::vector<std::string_view> ahead;
    for (size_t k = i; k < lines.size() && k < i + 4; ++k) ahead.push_back(texts[k].text);
    size_t parts = putty_message_line_count(std::span<const std::string_view>(ahead));
    std::string joined;
    std::string_view body = texts[i].text;
    if (parts > 1) {
      joined = join_putty_message(std::span<const std::string_view>(ahead.data(), parts));
      body = joined;
    }

    // plink writes some messages twice (terminal and event log), and the
    // fatal box repeats the event as "FATAL ERROR: X": one event each.
    if (!previous.empty() && is_terminal_echo(previous, body)) {
      i += parts - 1;
      out.lines += parts - 1;
      continue;
    }
    std::string_view to_match = body;
    bool matched = matcher.match(to_match, match);
    // "FATAL ERROR: X" with no event line before it: X is the message.
    if (matched && match.pattern->event == EventKind::fatal_other && body.substr(0, kFatalPrefix.size()) == kFatalPrefix) {
      PatternMatch inner;
      if (matcher.match(body.substr(kFatalPrefix.size()), inner)) match = inner;
    }
    if (!matched) {
      ++out.unmatched;
      continue;
    }
    previous.assign(body);
    ++out.matched;
    out.events.push_back(make_event(match, line, static_cast<uint32_t>(i), 0));
    i += parts - 1;
    out.lines += parts - 1;
  }
  return out;
}

}  // namespace sshlogwhy
