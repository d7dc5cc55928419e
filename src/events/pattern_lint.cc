#include "events/pattern_lint.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

namespace sshlogwhy {
namespace {

std::set<std::string> allowed_fields(EventKind kind) {
  std::set<std::string> out;
  std::string_view fields = event_kind_fields(kind);
  size_t start = 0;
  while (start < fields.size()) {
    size_t comma = fields.find(',', start);
    if (comma == std::string_view::npos) comma = fields.size();
    if (comma > start) out.emplace(fields.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

// Named groups written (?P<name> in the regex text.
std::vector<std::string> declared_groups(const std::string& regex) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = regex.find("(?P<", pos)) != std::string::npos) {
    size_t end = regex.find('>', pos + 4);
    if (end == std::string::npos) break;
    out.push_back(regex.substr(pos + 4, end - pos - 4));
    pos = end;
  }
  return out;
}

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

LintReport lint_patterns(const PatternLoad& load) {
  LintReport report;
  report.errors = load.errors;
  report.patterns = load.patterns.size();

  std::unordered_map<std::string, const Pattern*> by_id;
  for (const Pattern& p : load.patterns) {
    auto [it, inserted] = by_id.emplace(p.id, &p);
    if (!inserted) {
      report.errors.push_back(Error{p.source_file, p.source_line,
                                    "duplicate pattern id " + p.id + " (first defined in " +
                                        it->second->source_file + ":" +
                                        std::to_string(it->second->source_line) + ")"});
    }
    if (p.event != EventKind::kCount) {
      std::set<std::string> allowed = allowed_fields(p.event);
      for (const std::string& g : declared_groups(p.regex)) {
        if (!allowed.count(g)) {
          report.errors.push_back(Error{p.source_file, p.source_line,
                                        "pattern " + p.id + ": capture " + quote(g) + " is not a field of event " +
                                            std::string(event_kind_name(p.event)) + " (allowed: " +
                                            std::string(event_kind_fields(p.event)) + ")"});
        }
      }
    }
  }

  PatternDb db(load.patterns);
  report.families = db.families().size();
  for (const std::string& family : db.families()) db.matcher(family);
  for (const Error& e : db.build_errors()) report.errors.push_back(e);

  for (const Pattern& p : db.patterns()) {
    const FamilyMatcher& m = db.matcher(p.family);
    for (const PatternSample& s : p.samples) {
      ++report.samples;
      auto at = [&](std::string message) {
        report.errors.push_back(Error{p.source_file, s.source_line, "pattern " + p.id + ": " + std::move(message)});
      };
      if (s.line.find(p.literal) == std::string::npos) {
        at("sample does not contain the literal " + quote(p.literal) + ": " + quote(s.line));
      }
      std::vector<const Pattern*> hits = m.match_all(s.line);
      if (hits.empty()) {
        at("sample is matched by no pattern: " + quote(s.line));
        continue;
      }
      if (hits.size() > 1 || hits[0]->id != p.id) {
        std::string names;
        for (const Pattern* h : hits) names += (names.empty() ? "" : ", ") + h->id;
        at("sample must be matched by exactly this pattern, but is matched by: " + names + ": " + quote(s.line));
        continue;
      }
      PatternMatch match;
      if (!m.match(s.line, match)) continue;
      for (const auto& [name, value] : s.captures) {
        auto it = std::find_if(match.captures.begin(), match.captures.end(),
                               [&](const auto& c) { return c.first == name; });
        if (it == match.captures.end()) {
          at("expected capture " + quote(name) + " = " + quote(value) + " but the group did not match");
        } else if (it->second != value) {
          at("capture " + quote(name) + " is " + quote(it->second) + ", expected " + quote(value));
        }
      }
      for (const auto& [name, value] : match.captures) {
        bool expected = std::any_of(s.captures.begin(), s.captures.end(),
                                    [&](const auto& c) { return c.first == name; });
        if (!expected) at("capture " + quote(name) + " = " + quote(value) + " is not listed in the sample");
      }
    }
  }
  return report;
}

}  // namespace sshlogwhy
