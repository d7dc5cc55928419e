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
#include <string_view>
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
  // Empty, or one verdict whose texts give the Fix and settle lists in place
  // of this one's, rendered with its own vars: a jump host that refused the
  // login gets the fixes of its own cause, addressed at the hop.
  std::vector<Verdict> fix_from = {};

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
// ("-p P " or "" for 22), {putty_port_opt} ("-P P " or "" for 22, plink's
// spelling) and {known_host} ("host" or "[host]:P").
void set_port_vars(Verdict& v, const std::string& host, const std::string& port);

// The algorithm a fix should name for "no matching <what>": one from the
// peer's `offer` (a comma list as ssh/sshd/PuTTY print it), the strongest
// of the well-known names in it, else its first real entry. Markers that
// are not algorithms (ext-info-c, kex-strict-*-v00@openssh.com) are never
// picked. "" when the offer names none.
std::string pick_offered_algorithm(std::string_view what, std::string_view offer);

// `offer` without the non-algorithm markers and without a trailing
// " [preauth]", for showing to a user.
std::string clean_offer(std::string_view offer);

// Whether a fix or settle line applies to `v`; on true, `text` is the line
// without its condition. A line may start with a condition:
//   "[windows] " shown unless the trace shows a non-Windows client,
//   "[unix] "    shown unless the trace shows a Windows client,
// decided by the var {client_os} ("windows", "unix"; unset: both shown).
bool line_applies(std::string_view line, const Verdict& v, std::string_view& text);

// Fills the placeholders a report can work out from what a rule already
// set or cited, without overwriting a value a rule set:
//   {offer}     cleaned (clean_offer), {alg} picked from it;
//   {required}, {option}, {path}, {line} from sshd's from= refusal
//               ("FILE:LINE: Authentication tried for U with correct key but
//               not from a permitted host (host=H, ip=I, required=LIST)").
// Reports call it on a copy of the verdict before rendering texts.
void add_derived_vars(Verdict& v);

// The result for one conversation: the verdict and ranked alternatives.
struct Diagnosis {
  Verdict verdict;
  std::vector<Verdict> alternatives;
};

// Puts the evidence in input order and drops alternatives that repeat the
// verdict itself. Every rule table and the join end with this.
void tidy(Diagnosis& d);

}  // namespace sshlogwhy
