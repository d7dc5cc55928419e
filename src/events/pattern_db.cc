#include "events/pattern_db.h"

namespace sshlogwhy {

PatternDb::PatternDb(std::vector<Pattern> patterns) : patterns_(std::move(patterns)) {
  for (const Pattern& p : patterns_) {
    if (!slots_.count(p.family)) slots_[p.family] = std::make_unique<Slot>();
  }
  empty_.build({});
}

std::vector<std::string> PatternDb::families() const {
  std::vector<std::string> out;
  for (const auto& [name, slot] : slots_) out.push_back(name);
  return out;
}

const FamilyMatcher& PatternDb::matcher(const std::string& family) const {
  auto it = slots_.find(family);
  if (it == slots_.end()) return empty_;
  Slot& slot = *it->second;
  std::call_once(slot.once, [&] {
    std::vector<const Pattern*> members;
    for (const Pattern& p : patterns_) {
      if (p.family == family) members.push_back(&p);
    }
    slot.matcher.build(std::move(members));
  });
  return slot.matcher;
}

std::vector<Error> PatternDb::build_errors() const {
  std::vector<Error> out;
  for (const auto& [name, slot] : slots_) {
    for (const Error& e : matcher(name).compile_all()) out.push_back(e);
  }
  return out;
}

}  // namespace sshlogwhy
