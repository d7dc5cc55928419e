#include "verdicts/verdict.h"

#include <algorithm>

namespace sshlogwhy {

void tidy(Diagnosis& d) {
  std::sort(d.verdict.evidence.begin(), d.verdict.evidence.end(), [](const Event* a, const Event* b) {
    return a->file_index != b->file_index ? a->file_index < b->file_index : a->line_number < b->line_number;
  });
  d.alternatives.erase(std::remove_if(d.alternatives.begin(), d.alternatives.end(),
                                      [&](const Verdict& a) { return a.id == d.verdict.id; }),
                       d.alternatives.end());
}

}  // namespace sshlogwhy
