#include "events/literal_set.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace sshlogwhy {
namespace {

// How often a byte pair is expected in log text: pairs with a space or a
// colon, and lower-case letter pairs, are everywhere; a pair with a capital,
// a digit or other punctuation is rare. Indexing each literal at its rarest
// pair keeps the bitmap hits (and the comparisons) few.
int commonness(unsigned char a, unsigned char b) {
  auto weight = [](unsigned char c) {
    if (c == ' ' || c == ':') return 8;
    if (std::islower(c)) return 3;
    return 1;
  };
  return weight(a) * weight(b);
}

}  // namespace

void LiteralSet::add(std::string literal, uint32_t id) {
  if (literal.size() < 2) {
    always_.push_back(id);
    return;
  }
  size_t best = 0;
  int best_score = 1 << 30;
  for (size_t k = 0; k + 1 < literal.size(); ++k) {
    int score = commonness(static_cast<unsigned char>(literal[k]), static_cast<unsigned char>(literal[k + 1]));
    if (score < best_score) {
      best_score = score;
      best = k;
    }
  }
  uint32_t pair = pair_of(static_cast<unsigned char>(literal[best]), static_cast<unsigned char>(literal[best + 1]));
  pairs_[pair / 64] |= uint64_t{1} << (pair % 64);
  Entry e{std::move(literal), id, pair, static_cast<uint32_t>(best)};
  entries_.insert(std::upper_bound(entries_.begin(), entries_.end(), e,
                                   [](const Entry& a, const Entry& b) { return a.pair < b.pair; }),
                  std::move(e));
}

void LiteralSet::find(std::string_view text, std::vector<uint32_t>& out) const {
  out.insert(out.end(), always_.begin(), always_.end());
  if (entries_.empty() || text.size() < 2) return;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  for (size_t i = 0; i + 1 < n; ++i) {
    uint32_t pair = pair_of(p[i], p[i + 1]);
    if (!(pairs_[pair / 64] & (uint64_t{1} << (pair % 64)))) continue;
    // Rare: only the literals indexed at this pair are compared, where they
    // would start.
    auto first = std::lower_bound(entries_.begin(), entries_.end(), pair,
                                  [](const Entry& e, uint32_t v) { return e.pair < v; });
    for (auto e = first; e != entries_.end() && e->pair == pair; ++e) {
      if (i < e->offset) continue;
      size_t start = i - e->offset;
      if (e->literal.size() <= n - start && std::memcmp(p + start, e->literal.data(), e->literal.size()) == 0) {
        out.push_back(e->id);
      }
    }
  }
}

}  // namespace sshlogwhy
