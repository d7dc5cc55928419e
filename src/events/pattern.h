// A message pattern as loaded from patterns/**/*.json (see patterns/README.md).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "events/event_kind.h"

namespace sshlogwhy {

struct PatternSample {
  std::string line;  // exactly what the regex sees
  std::vector<std::pair<std::string, std::string>> captures;  // name -> value
  uint64_t source_line = 0;  // line of the sample in its JSON file
};

struct Pattern {
  std::string id;       // stable, unique: "client.offering_public_key"
  std::string family;   // "openssh-client", "putty", "sshd"
  EventKind event = EventKind::kCount;
  std::string literal;  // substring every match contains (prefilter)
  std::string regex;    // RE2 syntax, (?P<name>...) captures
  std::string since, until, note;
  std::vector<PatternSample> samples;
  std::string source_file;   // where it was defined, for messages
  uint64_t source_line = 0;
};

}  // namespace sshlogwhy
