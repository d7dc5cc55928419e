// FastRegex: parser, compiler and backtracking matcher (see fast_regex.h).
//
// Pipeline: pattern text -> Node tree (Parser) -> flat program of Inst
// (Compiler, laid out like RE2's: an alternation is a chain of Splits that
// prefer the left branch, x* is `L: Split(x, out); x; Jump L`, x{2,4} is
// `x x (x (x)?)?`) -> depth-first search in priority order (run_program).
//
// Why a depth-first search gives RE2's submatches: RE2's NFA keeps, at each
// text position, only the highest-priority thread per instruction, and
// reports the highest-priority thread that reaches Match from the leftmost
// start. A backtracker that tries branches in priority order finds exactly
// that path, provided the program has no cycle that consumes nothing (then
// a state (instruction, position) can only be reached again after it failed
// once, and it fails again). The parser guarantees this by refusing
// unbounded repeats whose body can match empty; RE2 resolves those empty
// loops by its own rules, so such patterns stay on RE2.
//
// Speed: a repeat of a single character class (\S+, .*, \d{1,5}, [^)]*?) is
// one kRun instruction that scans its run in a tight loop (memchr for `.`),
// and retries its continuation only at positions where the continuation can
// start (its "first set", memchr/memrchr for a single byte such as the ' '
// of " from "). A Split pushes its alternative only when that can start at
// the current byte. Captures are undone through the backtrack stack.
#include "events/fast_regex.h"

#include <array>
#include <bit>
#include <cctype>
#include <cstring>
#include <limits>

namespace sshlogwhy {
namespace detail {
namespace {

// Limits. RE2 rejects repeat counts above 1000 and nested counted repeats
// whose product exceeds 1000; the program cap keeps compile time and memory
// small for what is left.
constexpr int kMaxRepeat = 1000;
constexpr int kMaxDepth = 200;
constexpr size_t kMaxInsts = 20000;
constexpr int kMaxGroups = 63;            // slots fit a fixed array
constexpr size_t kMaxFrames = size_t{1} << 20;  // 16 MiB of backtrack stack

struct ByteSet {
  uint64_t w[4] = {0, 0, 0, 0};
  bool has(uint8_t b) const { return (w[b >> 6] >> (b & 63)) & 1; }
  void add(uint8_t b) { w[b >> 6] |= uint64_t{1} << (b & 63); }
  void remove(uint8_t b) { w[b >> 6] &= ~(uint64_t{1} << (b & 63)); }
  void add_range(int lo, int hi) {
    for (int b = lo; b <= hi; ++b) add(static_cast<uint8_t>(b));
  }
  void add_set(const ByteSet& o) {
    for (int i = 0; i < 4; ++i) w[i] |= o.w[i];
  }
  void negate() {
    for (uint64_t& x : w) x = ~x;
  }
  int count() const {
    int c = 0;
    for (uint64_t x : w) c += std::popcount(x);
    return c;
  }
  int lowest() const {
    for (int i = 0; i < 4; ++i)
      if (w[i] != 0) return i * 64 + std::countr_zero(w[i]);
    return -1;
  }
  bool operator==(const ByteSet& o) const {
    return w[0] == o.w[0] && w[1] == o.w[1] && w[2] == o.w[2] && w[3] == o.w[3];
  }
};

// ---------------------------------------------------------------------------
// Syntax tree

enum class NodeKind : uint8_t {
  kEmpty,      // matches the empty string
  kByteClass,  // one byte from `set` (a literal byte is a one-member class)
  kBeginText,  // ^ or \A
  kEndText,    // $ or \z
  kConcat,
  kAlternate,  // kids in priority order
  kCapture,    // group `cap` around kids[0]
  kRepeat,     // kids[0]{min,max}; max -1 = unbounded
};

struct Node {
  NodeKind kind = NodeKind::kEmpty;
  ByteSet set;
  int cap = 0;
  int min = 0;
  int max = 0;
  bool greedy = true;
  bool counted = false;  // written as {n,m} (RE2's repeat-size rules apply)
  std::vector<std::unique_ptr<Node>> kids;
};

using NodePtr = std::unique_ptr<Node>;

NodePtr make(NodeKind kind) {
  NodePtr n = std::make_unique<Node>();
  n->kind = kind;
  return n;
}

NodePtr make_byte_class(const ByteSet& set) {
  NodePtr n = make(NodeKind::kByteClass);
  n->set = set;
  n->set.remove('\n');  // never_nl: nothing matches a newline
  return n;
}

bool nullable(const Node& n) {
  switch (n.kind) {
    case NodeKind::kEmpty:
    case NodeKind::kBeginText:
    case NodeKind::kEndText:
      return true;
    case NodeKind::kByteClass:
      return false;
    case NodeKind::kConcat:
      for (const NodePtr& k : n.kids)
        if (!nullable(*k)) return false;
      return true;
    case NodeKind::kAlternate:
      for (const NodePtr& k : n.kids)
        if (nullable(*k)) return true;
      return false;
    case NodeKind::kCapture:
      return nullable(*n.kids[0]);
    case NodeKind::kRepeat:
      return n.min == 0 || nullable(*n.kids[0]);
  }
  return true;
}

// RE2's RepetitionWalker: nested counted repeats may multiply to at most
// kMaxRepeat. Returns the remaining budget (0 = too large).
int repetition_budget(const Node& n, int budget) {
  int arg = budget;
  if (n.kind == NodeKind::kRepeat && n.counted) {
    int m = n.max < 0 ? n.min : n.max;
    if (m > 0) arg /= m;
  }
  int result = arg;
  for (const NodePtr& k : n.kids) result = std::min(result, repetition_budget(*k, arg));
  return result;
}

// True when a loop of `n` could go around without consuming a byte.
bool has_empty_loop(const Node& n) {
  if (n.kind == NodeKind::kRepeat && n.max < 0 && nullable(*n.kids[0])) return true;
  for (const NodePtr& k : n.kids)
    if (has_empty_loop(*k)) return true;
  return false;
}

// ---------------------------------------------------------------------------
// Parser: recursive descent over the RE2 grammar subset. Every error or
// unsupported feature makes parse() return nullptr.

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  NodePtr parse() {
    NodePtr n = alternation();
    if (n == nullptr || i_ != p_.size()) return nullptr;  // e.g. an unmatched ')'
    return n;
  }

  int group_count() const { return ncap_; }
  std::vector<std::pair<std::string, int>>& names() { return names_; }

 private:
  bool at(char c) const { return i_ < p_.size() && p_[i_] == c; }

  NodePtr alternation() {
    if (++depth_ > kMaxDepth) return nullptr;
    std::vector<NodePtr> kids;
    NodePtr first = concat();
    if (first == nullptr) return nullptr;
    kids.push_back(std::move(first));
    while (at('|')) {
      ++i_;
      NodePtr k = concat();
      if (k == nullptr) return nullptr;
      kids.push_back(std::move(k));
    }
    --depth_;
    if (kids.size() == 1) return std::move(kids[0]);
    NodePtr n = make(NodeKind::kAlternate);
    n->kids = std::move(kids);
    return n;
  }

  NodePtr concat() {
    std::vector<NodePtr> kids;
    while (i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      NodePtr k = repeated_atom();
      if (k == nullptr) return nullptr;
      kids.push_back(std::move(k));
    }
    if (kids.empty()) return make(NodeKind::kEmpty);
    if (kids.size() == 1) return std::move(kids[0]);
    NodePtr n = make(NodeKind::kConcat);
    n->kids = std::move(kids);
    return n;
  }

  // Parses {n}, {n,} or {n,m} at i_ without consuming on failure (then the
  // '{' is a literal, as in RE2).
  bool braces(size_t& j, int& lo, int& hi) const {
    j = i_;
    if (j >= p_.size() || p_[j] != '{') return false;
    ++j;
    auto number = [&](int& out) {
      size_t start = j;
      long long v = 0;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') {
        if (v < 100000) v = v * 10 + (p_[j] - '0');
        ++j;
      }
      out = static_cast<int>(v);
      return j > start;
    };
    if (!number(lo)) return false;
    hi = lo;
    if (j < p_.size() && p_[j] == ',') {
      ++j;
      if (j < p_.size() && p_[j] == '}') {
        hi = -1;
      } else if (!number(hi)) {
        return false;
      }
    }
    if (j >= p_.size() || p_[j] != '}') return false;
    ++j;
    return true;
  }

  NodePtr repeated_atom() {
    NodePtr n = atom();
    if (n == nullptr) return nullptr;
    bool repeated = false;
    for (;;) {
      int lo = 0, hi = 0;
      bool counted = false;
      size_t j = 0;
      if (at('*')) {
        lo = 0, hi = -1, j = i_ + 1;
      } else if (at('+')) {
        lo = 1, hi = -1, j = i_ + 1;
      } else if (at('?')) {
        lo = 0, hi = 1, j = i_ + 1;
      } else if (braces(j, lo, hi)) {
        counted = true;
        if (lo > kMaxRepeat || hi > kMaxRepeat || (hi >= 0 && hi < lo)) return nullptr;
      } else {
        break;
      }
      if (repeated) return nullptr;  // a** and a*{2}: RE2 "bad repetition operator"
      i_ = j;
      bool greedy = true;
      if (at('?')) {
        greedy = false;
        ++i_;
      }
      NodePtr r = make(NodeKind::kRepeat);
      r->min = lo;
      r->max = hi;
      r->greedy = greedy;
      r->counted = counted;
      r->kids.push_back(std::move(n));
      n = std::move(r);
      repeated = true;
    }
    return n;
  }

  NodePtr atom() {
    char c = p_[i_];
    switch (c) {
      case '(':
        return group();
      case '[': {
        ByteSet set;
        if (!char_class(set)) return nullptr;
        return make_byte_class(set);
      }
      case '.': {
        ++i_;
        ByteSet set;
        set.negate();
        return make_byte_class(set);
      }
      case '^':
        ++i_;
        return make(NodeKind::kBeginText);
      case '$':
        ++i_;
        return make(NodeKind::kEndText);
      case '\\':
        return escape_atom();
      case '*':
      case '+':
      case '?':
        return nullptr;  // no argument for repetition operator
      case '{': {
        size_t j;
        int lo, hi;
        if (braces(j, lo, hi)) return nullptr;
        break;
      }
      default:
        break;
    }
    ++i_;
    ByteSet set;
    set.add(static_cast<uint8_t>(c));
    return make_byte_class(set);
  }

  NodePtr group() {
    ++i_;  // '('
    int cap = -1;
    if (at('?')) {
      if (p_.substr(i_, 2) == "?:") {
        i_ += 2;
      } else if (p_.substr(i_, 3) == "?P<") {
        i_ += 3;
        size_t start = i_;
        while (i_ < p_.size() && (std::isalnum(static_cast<unsigned char>(p_[i_])) || p_[i_] == '_')) ++i_;
        if (i_ == start || !at('>')) return nullptr;
        std::string name(p_.substr(start, i_ - start));
        ++i_;
        for (const auto& [existing, index] : names_)
          if (existing == name) return nullptr;  // duplicate name: RE2 error
        cap = ++ncap_;
        names_.emplace_back(std::move(name), cap);
      } else {
        return nullptr;  // flags, lookaround, (?<name>...) of newer RE2
      }
    } else {
      cap = ++ncap_;
    }
    NodePtr inner = alternation();
    if (inner == nullptr || !at(')')) return nullptr;
    ++i_;
    if (cap < 0) return inner;
    NodePtr n = make(NodeKind::kCapture);
    n->cap = cap;
    n->kids.push_back(std::move(inner));
    return n;
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // After a backslash (i_ at the escaped char). Either fills `set` with a
  // Perl class (\d \s \w and negations, returns 2) or `byte` (returns 1);
  // 0 = unsupported or invalid. \A and \z are handled by the caller.
  int escape(ByteSet& set, uint8_t& byte) {
    if (i_ >= p_.size()) return 0;  // trailing backslash
    char c = p_[i_++];
    switch (c) {
      case 'd':
      case 'D':
        set.add_range('0', '9');
        if (c == 'D') set.negate();
        return 2;
      case 's':
      case 'S':
        set.add('\t'), set.add('\n'), set.add('\f'), set.add('\r'), set.add(' ');
        if (c == 'S') set.negate();
        return 2;
      case 'w':
      case 'W':
        set.add_range('0', '9'), set.add_range('A', 'Z'), set.add_range('a', 'z'), set.add('_');
        if (c == 'W') set.negate();
        return 2;
      case 'a': byte = 7; return 1;
      case 'f': byte = 12; return 1;
      case 't': byte = 9; return 1;
      case 'n': byte = 10; return 1;
      case 'r': byte = 13; return 1;
      case 'v': byte = 11; return 1;
      case 'x': {
        int v = 0;
        if (at('{')) {
          ++i_;
          size_t start = i_;
          while (i_ < p_.size() && hex_value(p_[i_]) >= 0) {
            v = v * 16 + hex_value(p_[i_++]);
            if (v > 0xFF) return 0;  // beyond Latin-1
          }
          if (i_ == start || !at('}')) return 0;
          ++i_;
        } else {
          if (i_ + 2 > p_.size() || hex_value(p_[i_]) < 0 || hex_value(p_[i_ + 1]) < 0) return 0;
          v = hex_value(p_[i_]) * 16 + hex_value(p_[i_ + 1]);
          i_ += 2;
        }
        byte = static_cast<uint8_t>(v);
        return 1;
      }
      default:
        // Punctuation (and space, '_') escapes itself, as in RE2. Letters
        // and digits left are \b \B \p \P \Q \C, octal and backreferences.
        if (c >= 0x20 && c < 0x7f && !std::isalnum(static_cast<unsigned char>(c))) {
          byte = static_cast<uint8_t>(c);
          return 1;
        }
        return 0;
    }
  }

  NodePtr escape_atom() {
    ++i_;  // backslash
    if (at('A') || at('z')) {
      NodeKind kind = p_[i_] == 'A' ? NodeKind::kBeginText : NodeKind::kEndText;
      ++i_;
      return make(kind);
    }
    ByteSet set;
    uint8_t byte = 0;
    int r = escape(set, byte);
    if (r == 0) return nullptr;
    if (r == 1) set.add(byte);
    return make_byte_class(set);
  }

  bool char_class(ByteSet& out) {
    ++i_;  // '['
    bool negated = false;
    if (at('^')) {
      negated = true;
      ++i_;
    }
    bool first = true;
    for (;;) {
      if (i_ >= p_.size()) return false;  // missing ]
      if (p_[i_] == ']' && !first) {
        ++i_;
        break;
      }
      first = false;
      if (p_[i_] == '[' && i_ + 1 < p_.size() && p_[i_ + 1] == ':') return false;  // [:alpha:]
      ByteSet set;
      uint8_t lo = 0;
      int r = 1;
      if (p_[i_] == '\\') {
        ++i_;
        r = escape(set, lo);
        if (r == 0) return false;
      } else {
        lo = static_cast<uint8_t>(p_[i_++]);
      }
      if (r == 2) {
        out.add_set(set);
        continue;
      }
      if (at('-') && i_ + 1 < p_.size() && p_[i_ + 1] != ']') {
        ++i_;
        uint8_t hi = 0;
        if (p_[i_] == '\\') {
          ++i_;
          ByteSet unused;
          if (escape(unused, hi) != 1) return false;  // [a-\d] is an error in RE2
        } else {
          hi = static_cast<uint8_t>(p_[i_++]);
        }
        if (hi < lo) return false;
        out.add_range(lo, hi);
      } else {
        out.add(lo);
      }
    }
    if (negated) out.negate();
    return true;
  }

  std::string_view p_;
  size_t i_ = 0;
  int depth_ = 0;
  int ncap_ = 0;
  std::vector<std::pair<std::string, int>> names_;
};

// ---------------------------------------------------------------------------
// Program

enum class Op : uint8_t {
  kByte,       // consume one byte of class `set`
  kLiteral,    // consume literals[x, x+y)
  kSplit,      // try x, then y
  kJump,       // go to x
  kSave,       // slots[x] = position
  kBeginText,  // position == 0
  kEndText,    // position == text size
  kRun,        // class `set` repeated x..y (y -1 = unbounded) times, greedy or not
  kMatch,
};

struct Inst {
  Op op = Op::kMatch;
  bool greedy = true;
  uint16_t set = 0;
  int32_t x = 0;
  int32_t y = 0;
};

// Which positions an instruction can start a successful path from: a byte
// in `bytes` comes next, or (at_end) the text ends here, or (empty) it may
// succeed without looking at the next byte. A superset is always safe.
struct First {
  ByteSet bytes;
  bool at_end = false;
  bool empty = false;
  int single = -1;  // the only member of `bytes`, when that is all
  // When every path from here first passes literals[lit_offset, +lit_length)
  // (a chain of Saves and Jumps, then a literal of 2+ bytes), candidates of
  // a run are checked against the whole literal, not just its first byte.
  int32_t lit_offset = 0;
  int32_t lit_length = 0;
};

enum class SetKind : uint8_t { kTable, kAllButNewline };

}  // namespace

struct FastRegexProgram {
  std::vector<Inst> insts;
  std::vector<First> firsts;  // parallel to insts
  std::vector<std::array<uint8_t, 256>> tables;
  std::vector<SetKind> set_kinds;
  std::vector<ByteSet> sets;
  std::string literals;
  int ncap = 0;
  std::vector<std::pair<std::string, int>> names;
  bool anchored = false;
};

namespace {

class Compiler {
 public:
  explicit Compiler(FastRegexProgram& prog) : prog_(prog) {}

  bool compile(const Node& root) {
    emit_op(Op::kSave, 0);
    emit(root);
    emit_op(Op::kSave, 1);
    emit_op(Op::kMatch, 0);
    return prog_.insts.size() <= kMaxInsts;
  }

 private:
  int32_t pc() const { return static_cast<int32_t>(prog_.insts.size()); }

  int32_t emit_op(Op op, int32_t x, int32_t y = 0) {
    Inst in;
    in.op = op;
    in.x = x;
    in.y = y;
    prog_.insts.push_back(in);
    return pc() - 1;
  }

  uint16_t set_index(const ByteSet& set) {
    for (size_t i = 0; i < prog_.sets.size(); ++i)
      if (prog_.sets[i] == set) return static_cast<uint16_t>(i);
    prog_.sets.push_back(set);
    std::array<uint8_t, 256> table{};
    for (int b = 0; b < 256; ++b) table[b] = set.has(static_cast<uint8_t>(b)) ? 1 : 0;
    prog_.tables.push_back(table);
    ByteSet dot;
    dot.negate();
    dot.remove('\n');
    prog_.set_kinds.push_back(set == dot ? SetKind::kAllButNewline : SetKind::kTable);
    return static_cast<uint16_t>(prog_.sets.size() - 1);
  }

  static bool is_single_byte(const Node& n) { return n.kind == NodeKind::kByteClass && n.set.count() == 1; }

  void emit(const Node& n) {
    if (prog_.insts.size() > kMaxInsts) return;  // compile() reports it
    switch (n.kind) {
      case NodeKind::kEmpty:
        return;
      case NodeKind::kByteClass:
        emit_byte_class(n.set);
        return;
      case NodeKind::kBeginText:
        emit_op(Op::kBeginText, 0);
        return;
      case NodeKind::kEndText:
        emit_op(Op::kEndText, 0);
        return;
      case NodeKind::kConcat: {
        size_t i = 0;
        while (i < n.kids.size()) {
          // Runs of literal bytes become one memcmp.
          size_t j = i;
          while (j < n.kids.size() && is_single_byte(*n.kids[j])) ++j;
          if (j - i >= 2) {
            int32_t offset = static_cast<int32_t>(prog_.literals.size());
            for (size_t k = i; k < j; ++k) prog_.literals.push_back(static_cast<char>(n.kids[k]->set.lowest()));
            emit_op(Op::kLiteral, offset, static_cast<int32_t>(j - i));
            i = j;
          } else {
            emit(*n.kids[i]);
            ++i;
          }
        }
        return;
      }
      case NodeKind::kAlternate: {
        std::vector<int32_t> jumps;
        for (size_t i = 0; i < n.kids.size(); ++i) {
          if (i + 1 == n.kids.size()) {
            emit(*n.kids[i]);
            break;
          }
          int32_t split = emit_op(Op::kSplit, pc() + 1, 0);
          emit(*n.kids[i]);
          jumps.push_back(emit_op(Op::kJump, 0));
          prog_.insts[split].y = pc();
        }
        for (int32_t j : jumps) prog_.insts[j].x = pc();
        return;
      }
      case NodeKind::kCapture:
        emit_op(Op::kSave, 2 * n.cap);
        emit(*n.kids[0]);
        emit_op(Op::kSave, 2 * n.cap + 1);
        return;
      case NodeKind::kRepeat:
        emit_repeat(n);
        return;
    }
  }

  void emit_byte_class(const ByteSet& set) {
    if (set.count() == 1) {
      int32_t offset = static_cast<int32_t>(prog_.literals.size());
      prog_.literals.push_back(static_cast<char>(set.lowest()));
      emit_op(Op::kLiteral, offset, 1);
      return;
    }
    int32_t at = emit_op(Op::kByte, 0);
    prog_.insts[at].set = set_index(set);
  }

  // Priority-ordered split: the greedy form prefers `x` (enter), the lazy
  // form prefers `y` (skip). Returns its pc; `y`/`x` are patched later.
  int32_t emit_split(bool greedy) {
    int32_t at = emit_op(Op::kSplit, 0, 0);
    prog_.insts[at].greedy = greedy;
    return at;
  }
  // Points the "enter" and "skip" ends of a split.
  void patch_split(int32_t at, int32_t enter, int32_t skip) {
    Inst& in = prog_.insts[at];
    if (in.greedy) {
      in.x = enter, in.y = skip;
    } else {
      in.x = skip, in.y = enter;
    }
  }

  void emit_repeat(const Node& n) {
    const Node& body = *n.kids[0];
    if (n.max == 0) return;  // x{0}: matches empty (groups inside never participate)
    if (body.kind == NodeKind::kByteClass && !(n.min == 1 && n.max == 1)) {
      int32_t at = emit_op(Op::kRun, n.min, n.max);
      prog_.insts[at].greedy = n.greedy;
      prog_.insts[at].set = set_index(body.set);
      return;
    }
    for (int i = 0; i < n.min; ++i) emit(body);
    if (n.max < 0) {
      // L: Split(body, out); body; Jump L; out:
      int32_t loop = emit_split(n.greedy);
      emit(body);
      emit_op(Op::kJump, loop);
      patch_split(loop, loop + 1, pc());
      return;
    }
    // (x(x(x)?)?)?: every skip goes to the end.
    std::vector<int32_t> splits;
    for (int i = n.min; i < n.max; ++i) {
      int32_t s = emit_split(n.greedy);
      splits.push_back(s);
      emit(body);
      prog_.insts[s].x = s + 1;  // temporarily: enter
    }
    for (int32_t s : splits) patch_split(s, s + 1, pc());
  }

  FastRegexProgram& prog_;
};

// The first set of every instruction, by fixed point (loops make the
// equations recursive; each step only adds members, so it terminates).
void compute_firsts(FastRegexProgram& prog) {
  const size_t n = prog.insts.size();
  prog.firsts.assign(n, First{});
  bool changed = true;
  auto merge = [&](First& into, const First& from) {
    First before = into;
    into.bytes.add_set(from.bytes);
    into.at_end = into.at_end || from.at_end;
    into.empty = into.empty || from.empty;
    return !(before.bytes == into.bytes) || before.at_end != into.at_end || before.empty != into.empty;
  };
  while (changed) {
    changed = false;
    for (size_t pc = n; pc-- > 0;) {
      const Inst& in = prog.insts[pc];
      First f;
      switch (in.op) {
        case Op::kByte:
          f.bytes = prog.sets[in.set];
          break;
        case Op::kLiteral:
          f.bytes.add(static_cast<uint8_t>(prog.literals[in.x]));
          break;
        case Op::kSplit:
          merge(f, prog.firsts[in.x]);
          merge(f, prog.firsts[in.y]);
          break;
        case Op::kJump:
          f = prog.firsts[in.x];
          break;
        case Op::kSave:
        case Op::kBeginText:  // passes only at 0; ignoring that is a safe superset
          f = prog.firsts[pc + 1];
          break;
        case Op::kEndText:
          f.at_end = true;
          break;
        case Op::kRun:
          f.bytes = prog.sets[in.set];
          if (in.x == 0) merge(f, prog.firsts[pc + 1]);
          break;
        case Op::kMatch:
          f.empty = true;
          break;
      }
      if (merge(prog.firsts[pc], f)) changed = true;
    }
  }
  for (size_t pc = 0; pc < n; ++pc) {
    First& f = prog.firsts[pc];
    f.single = (f.bytes.count() == 1) ? f.bytes.lowest() : -1;
    size_t q = pc;
    for (size_t hops = 0; hops < n && (prog.insts[q].op == Op::kSave || prog.insts[q].op == Op::kJump); ++hops) {
      q = prog.insts[q].op == Op::kSave ? q + 1 : static_cast<size_t>(prog.insts[q].x);
    }
    if (prog.insts[q].op == Op::kLiteral && prog.insts[q].y >= 2) {
      f.lit_offset = prog.insts[q].x;
      f.lit_length = prog.insts[q].y;
    }
  }
}

// ---------------------------------------------------------------------------
// Matcher

enum class FrameKind : int32_t {
  kAlt,      // resume at pc a, position b
  kRestore,  // slots[a] = b
  kGreedy,   // continue at pc a from the highest viable position in [b, c]
  kLazy,     // continue at pc a from the lowest viable position in [b, c]
};

struct Frame {
  FrameKind kind;
  int32_t a, b, c;
};

inline bool viable(const First& f, const uint8_t* t, int32_t n, int32_t pos) {
  if (f.empty) return true;
  return pos < n ? f.bytes.has(t[pos]) : f.at_end;
}

// True when the literal that must follow (if any) is at p.
inline bool literal_at(const First& f, const char* literals, const uint8_t* t, int32_t n, int32_t p) {
  return f.lit_length == 0 ||
         (n - p >= f.lit_length && std::memcmp(t + p, literals + f.lit_offset, static_cast<size_t>(f.lit_length)) == 0);
}

// Highest p in [lo, hi] (hi <= n) where `f` can start, or -1.
int32_t highest_viable(const First& f, const char* literals, const uint8_t* t, int32_t n, int32_t lo, int32_t hi) {
  if (lo > hi) return -1;
  if (f.empty) return hi;
  if (hi == n) {
    if (f.at_end) return n;
    --hi;
  }
  while (lo <= hi) {
    int32_t p = hi;
    if (f.single >= 0) {
      const void* r = memrchr(t + lo, f.single, static_cast<size_t>(hi - lo + 1));
      if (r == nullptr) return -1;
      p = static_cast<int32_t>(static_cast<const uint8_t*>(r) - t);
    } else {
      while (p >= lo && !f.bytes.has(t[p])) --p;
      if (p < lo) return -1;
    }
    if (literal_at(f, literals, t, n, p)) return p;
    hi = p - 1;
  }
  return -1;
}

// Lowest p in [lo, hi] (hi <= n) where `f` can start, or -1.
int32_t lowest_viable(const First& f, const char* literals, const uint8_t* t, int32_t n, int32_t lo, int32_t hi) {
  if (lo > hi) return -1;
  if (f.empty) return lo;
  int32_t top = hi == n ? n - 1 : hi;
  while (lo <= top) {
    int32_t p = lo;
    if (f.single >= 0) {
      const void* r = memchr(t + lo, f.single, static_cast<size_t>(top - lo + 1));
      if (r == nullptr) break;
      p = static_cast<int32_t>(static_cast<const uint8_t*>(r) - t);
    } else {
      while (p <= top && !f.bytes.has(t[p])) ++p;
      if (p > top) break;
    }
    if (literal_at(f, literals, t, n, p)) return p;
    lo = p + 1;
  }
  if (hi == n && f.at_end) return n;
  return -1;
}

// End of the run of bytes of set `s` from pos, at most up to limit.
inline int32_t scan_run(const FastRegexProgram& prog, uint16_t s, const uint8_t* t, int32_t pos, int32_t limit) {
  if (prog.set_kinds[s] == SetKind::kAllButNewline) {
    const void* nl = memchr(t + pos, '\n', static_cast<size_t>(limit - pos));
    return nl == nullptr ? limit : static_cast<int32_t>(static_cast<const uint8_t*>(nl) - t);
  }
  const uint8_t* table = prog.tables[s].data();
  while (pos < limit && table[t[pos]]) ++pos;
  return pos;
}

struct Scratch {
  std::vector<Frame> frames = std::vector<Frame>(256);
};

}  // namespace
}  // namespace detail

using detail::FastRegexProgram;
using detail::Frame;
using detail::FrameKind;
using detail::Inst;
using detail::Op;

FastRegex::FastRegex(std::unique_ptr<FastRegexProgram> program) : program_(std::move(program)) {}
FastRegex::~FastRegex() = default;

std::unique_ptr<FastRegex> FastRegex::compile(std::string_view pattern) {
  detail::Parser parser(pattern);
  detail::NodePtr root = parser.parse();
  if (root == nullptr) return nullptr;
  if (parser.group_count() > detail::kMaxGroups) return nullptr;
  if (detail::repetition_budget(*root, detail::kMaxRepeat) == 0) return nullptr;
  if (detail::has_empty_loop(*root)) return nullptr;
  auto prog = std::make_unique<FastRegexProgram>();
  prog->ncap = parser.group_count();
  prog->names = std::move(parser.names());
  detail::Compiler compiler(*prog);
  if (!compiler.compile(*root)) return nullptr;
  if (prog->sets.size() > 65535) return nullptr;
  detail::compute_firsts(*prog);
  prog->anchored = prog->insts.size() > 1 && prog->insts[1].op == Op::kBeginText;
  return std::unique_ptr<FastRegex>(new FastRegex(std::move(prog)));
}

int FastRegex::group_count() const { return program_->ncap; }
const std::vector<std::pair<std::string, int>>& FastRegex::named_groups() const { return program_->names; }
bool FastRegex::anchored_at_start() const { return program_->anchored; }

// The search loop. One backtrack stack serves all start positions: a failed
// attempt pops everything it pushed (restoring every slot to -1), so slots
// are reset once per call. Steps are counted per instruction, per popped
// frame, and per 8 bytes scanned by a run, against one budget for the call.
FastRegex::Outcome FastRegex::match(std::string_view text, std::string_view* groups, int ngroups) const {
  const FastRegexProgram& prog = *program_;
  if (text.size() > static_cast<size_t>(std::numeric_limits<int32_t>::max() / 2)) return Outcome::kGaveUp;
  const uint8_t* t = reinterpret_cast<const uint8_t*>(text.data());
  static const uint8_t kEmptyText = 0;
  if (t == nullptr) t = &kEmptyText;
  const int32_t n = static_cast<int32_t>(text.size());
  const Inst* insts = prog.insts.data();
  const detail::First* firsts = prog.firsts.data();
  const char* lits = prog.literals.data();

  thread_local detail::Scratch scratch;
  std::vector<Frame>& frames = scratch.frames;
  Frame* stack = frames.data();
  size_t cap = frames.size();
  size_t sp = 0;

  int32_t slots[2 * (detail::kMaxGroups + 1)];
  const int nslots = 2 * (prog.ncap + 1);
  for (int i = 0; i < nslots; ++i) slots[i] = -1;

  int64_t steps = 64 * static_cast<int64_t>(n) + 10000;

// Pushes a frame, growing the thread-local stack when needed.
#define FASTRE_PUSH(K, A, B, C)                               \
  do {                                                        \
    if (sp == cap) {                                          \
      if (cap >= detail::kMaxFrames) return Outcome::kGaveUp; \
      frames.resize(cap * 2);                                 \
      stack = frames.data();                                  \
      cap = frames.size();                                    \
    }                                                         \
    stack[sp++] = Frame{K, A, B, C};                          \
  } while (0)

  int32_t start = detail::lowest_viable(firsts[0], lits, t, n, 0, n);
  while (start >= 0) {
    int32_t pc = 0;
    int32_t pos = start;
    bool matched = false;
    for (;;) {
      if (--steps < 0) return Outcome::kGaveUp;
      const Inst& in = insts[pc];
      switch (in.op) {
        case Op::kByte:
          if (pos < n && prog.tables[in.set][t[pos]]) {
            ++pos;
            ++pc;
            continue;
          }
          goto fail;
        case Op::kLiteral:
          if (n - pos >= in.y && std::memcmp(t + pos, lits + in.x, static_cast<size_t>(in.y)) == 0) {
            pos += in.y;
            ++pc;
            continue;
          }
          goto fail;
        case Op::kSplit: {
          bool vx = detail::viable(firsts[in.x], t, n, pos);
          bool vy = detail::viable(firsts[in.y], t, n, pos);
          if (vx) {
            if (vy) FASTRE_PUSH(FrameKind::kAlt, in.y, pos, 0);
            pc = in.x;
            continue;
          }
          if (vy) {
            pc = in.y;
            continue;
          }
          goto fail;
        }
        case Op::kJump:
          pc = in.x;
          continue;
        case Op::kSave:
          FASTRE_PUSH(FrameKind::kRestore, in.x, slots[in.x], 0);
          slots[in.x] = pos;
          ++pc;
          continue;
        case Op::kBeginText:
          if (pos == 0) {
            ++pc;
            continue;
          }
          goto fail;
        case Op::kEndText:
          if (pos == n) {
            ++pc;
            continue;
          }
          goto fail;
        case Op::kRun: {
          int32_t limit = (in.y < 0 || in.y > n - pos) ? n : pos + in.y;
          int32_t end = detail::scan_run(prog, in.set, t, pos, limit);
          steps -= (end - pos) >> 3;
          int32_t lo = pos + in.x;
          if (end < lo) goto fail;
          const detail::First& f = firsts[pc + 1];
          int32_t c;
          if (in.greedy) {
            c = detail::highest_viable(f, lits, t, n, lo, end);
            if (c < 0) goto fail;
            if (c > lo) FASTRE_PUSH(FrameKind::kGreedy, pc + 1, lo, c - 1);
          } else {
            c = detail::lowest_viable(f, lits, t, n, lo, end);
            if (c < 0) goto fail;
            if (c < end) FASTRE_PUSH(FrameKind::kLazy, pc + 1, c + 1, end);
          }
          pos = c;
          ++pc;
          continue;
        }
        case Op::kMatch:
          matched = true;
          break;
      }
      if (matched) break;
    fail:
      // Pop until a frame gives another path to try; an empty stack means
      // no match starts at `start`.
      while (sp > 0) {
        if (--steps < 0) return Outcome::kGaveUp;
        Frame& fr = stack[sp - 1];
        if (fr.kind == FrameKind::kRestore) {
          slots[fr.a] = fr.b;
          --sp;
          continue;
        }
        if (fr.kind == FrameKind::kAlt) {
          pc = fr.a;
          pos = fr.b;
          --sp;
          goto resume;
        }
        int32_t c = fr.kind == FrameKind::kGreedy ? detail::highest_viable(firsts[fr.a], lits, t, n, fr.b, fr.c)
                                                  : detail::lowest_viable(firsts[fr.a], lits, t, n, fr.b, fr.c);
        if (c < 0) {
          --sp;
          continue;
        }
        pc = fr.a;
        pos = c;
        if (fr.kind == FrameKind::kGreedy ? c > fr.b : c < fr.c) {
          (fr.kind == FrameKind::kGreedy ? fr.c : fr.b) = fr.kind == FrameKind::kGreedy ? c - 1 : c + 1;
        } else {
          --sp;
        }
        goto resume;
      }
      break;
    resume:;
    }
    if (matched) {
      for (int i = 0; i < ngroups; ++i) {
        if (i <= prog.ncap && slots[2 * i] >= 0 && slots[2 * i + 1] >= 0) {
          groups[i] = std::string_view(text.data() + slots[2 * i], static_cast<size_t>(slots[2 * i + 1] - slots[2 * i]));
        } else {
          groups[i] = std::string_view();
        }
      }
      return Outcome::kMatch;
    }
    if (prog.anchored || start >= n) break;
    start = detail::lowest_viable(firsts[0], lits, t, n, start + 1, n);
  }
#undef FASTRE_PUSH
  return Outcome::kNoMatch;
}

}  // namespace sshlogwhy
