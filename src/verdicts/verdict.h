// What the rules conclude about one conversation.
//
// A Verdict names a cause by its stable id (../shared/VERDICTS.md), says how
// sure we are, fills the placeholders of the cause's texts
// (patterns/verdicts/verdicts.json) and cites the events it rests on. The
// texts themselves are looked up when a report is written, so rules never
// hold prose.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "events/event.h"

namespace sshlogwhy {

enum class Confidence : uint8_t {
  kHigh,    // the trace names the cause in so many words
  kMedium,  // the most likely cause; others fit the same lines
  kLow,     // a guess the evidence does not rule out
};

const char* confidence_name(Confidence c);

struct Verdict {
  std::string id;           // "key_not_authorized"
  Confidence confidence = Confidence::kMedium;
  std::string rule;         // which rule decided (for --verbose and tests)
  std::vector<std::pair<std::string, std::string>> vars;  // placeholder -> value
  std::vector<const Event*> evidence;                     // in input order
  std::vector<std::string> notes;  // extra sentences specific to this trace

  void set(const std::string& name, std::string value) {
    if (value.empty()) return;
    for (auto& [k, v] : vars) {
      if (k == name) {
        v = std::move(value);
        return;
      }
    }
    vars.emplace_back(name, std::move(value));
  }
  std::string get(const std::string& name) const {
    for (const auto& [k, v] : vars) {
      if (k == name) return v;
    }
    return {};
  }
  void cite(const Event* e) {
    if (e == nullptr) return;
    for (const Event* x : evidence) {
      if (x == e) return;
    }
    evidence.push_back(e);
  }
};

// Sets the vars every fix command needs to reach the same server: {port_opt}
// ("-p P " or "" for 22) and {known_host} ("host" or "[host]:P").
void set_port_vars(Verdict& v, const std::string& host, const std::string& port);

// The result for one conversation: the verdict and ranked alternatives.
struct Diagnosis {
  Verdict verdict;
  std::vector<Verdict> alternatives;
};

// Puts the evidence in input order and drops alternatives that repeat the
// verdict itself. Every rule table and the join end with this.
void tidy(Diagnosis& d);

}  // namespace sshlogwhy
