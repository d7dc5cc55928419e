#include "verdicts/verdict.h"

#include <algorithm>

namespace sshlogwhy {

void set_port_vars(Verdict& v, const std::string& host, const std::string& port) {
  bool other = !port.empty() && port != "22";
  bool have = false;
  for (auto& [k, val] : v.vars) {
    if (k == "port_opt") {
      val = other ? "-p " + port + " " : "";
      have = true;
    }
  }
  if (!have) v.vars.emplace_back("port_opt", other ? "-p " + port + " " : "");
  if (!host.empty()) v.set("known_host", other ? "[" + host + "]:" + port : host);
}

void tidy(Diagnosis& d) {
  std::sort(d.verdict.evidence.begin(), d.verdict.evidence.end(), [](const Event* a, const Event* b) {
    return a->file_index != b->file_index ? a->file_index < b->file_index : a->line_number < b->line_number;
  });
  d.alternatives.erase(std::remove_if(d.alternatives.begin(), d.alternatives.end(),
                                      [&](const Verdict& a) { return a.id == d.verdict.id; }),
                       d.alternatives.end());
}

}  // namespace sshlogwhy
