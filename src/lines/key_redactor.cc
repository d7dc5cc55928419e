#include "lines/key_redactor.h"

#include <cstring>

namespace sshlogwhy {

namespace detail {

namespace {

bool is_armor_word_char(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' '; }

// Checks the armor around "PRIVATE KEY" at `pos`: before it "BEGIN " or
// "END " plus key-type words (upper case, digits, spaces), preceded by
// "-----" or "---- "; after it an optional " BLOCK" and then "-----" or
// " ----". Returns 'B', 'E' or 0.
char armor_at(std::string_view t, size_t pos) {
  size_t k = pos;
  while (k > 0 && pos - k < 48 && is_armor_word_char(t[k - 1])) --k;
  std::string_view words = t.substr(k, pos - k);
  if (k < 4 || t.substr(k - 4, 4) != "----") return 0;
  if (!words.empty() && words.front() == ' ') words.remove_prefix(1);  // "---- BEGIN"
  char kind = 0;
  if (words.starts_with("BEGIN ")) {
    kind = 'B';
  } else if (words.starts_with("END ")) {
    kind = 'E';
  } else {
    return 0;
  }
  std::string_view after = t.substr(pos + std::strlen("PRIVATE KEY"));
  if (after.starts_with(" BLOCK")) after.remove_prefix(6);
  if (!after.starts_with("-----") && !after.starts_with(" ----")) return 0;
  return kind;
}

bool digits_follow(std::string_view t, size_t pos) { return pos < t.size() && t[pos] >= '0' && t[pos] <= '9'; }

}  // namespace

// All four markers start with 'P', so one memchr walk over the line finds
// them all; ordinary log lines hold few capital Ps, so this costs about
// one pass per line.
KeyMarkers find_key_markers(std::string_view t) {
  KeyMarkers m;
  const char* base = t.data();
  size_t pos = 0;
  while (pos < t.size()) {
    const void* hit = std::memchr(base + pos, 'P', t.size() - pos);
    if (hit == nullptr) break;
    pos = static_cast<size_t>(static_cast<const char*>(hit) - base);
    std::string_view rest = t.substr(pos);
    if (rest.starts_with("PRIVATE KEY")) {
      char kind = armor_at(t, pos);
      if (kind == 'B') {
        m.pem_begin = true;
      } else if (kind == 'E') {
        m.pem_end = true;
        if (m.pem_begin) m.pem_end_after_begin = true;
      }
    } else if (rest.starts_with("PuTTY-User-Key-File-")) {
      size_t after = pos + std::strlen("PuTTY-User-Key-File-");
      if (digits_follow(t, after) && t.substr(after + 1).starts_with(":")) m.putty_begin = true;
    } else if (rest.starts_with("Private-Lines:")) {
      size_t after = pos + std::strlen("Private-Lines:");
      while (after < t.size() && t[after] == ' ') ++after;
      if (digits_follow(t, after)) m.putty_begin = true;
    } else if (rest.starts_with("Private-MAC:")) {
      m.putty_end = true;
    }
    ++pos;
  }
  return m;
}

bool is_base64_line(std::string_view t) {
  while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
  if (t.empty()) return false;
  for (char c : t) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
              c == '/' || c == '=';
    if (!ok) return false;
  }
  return true;
}

// The first bytes of a key's DER or binary form are fixed, so their base64
// is too (positions marked '?' depend on the key length):
//   "openssh-key-v1\0"                  -> b3BlbnNzaC1rZXktdjE
//   PKCS#1 RSA  30 82 ll ll 02 01 00 02 8x -> MII???IBAAK
//   PKCS#8 RSA  30 82 ll ll 02 01 00 30 0d -> MII???IBADAN
//   PKCS#8 Ed25519 30 2e 02 01 00 30 05 06 03 2b 65 70 -> MC4CAQAwBQYDK2Vw
//   SEC1 P-256  30 77 02 01 01 04 20     -> MHcCAQEEI
//   SEC1 P-384  30 81 a4 02 01 01 04 30  -> MIGkAgEBBDA
bool starts_like_key_body(std::string_view t) {
  if (t.starts_with("b3BlbnNzaC1rZXktdjE")) return true;
  if (t.starts_with("MC4CAQAwBQYDK2Vw") || t.starts_with("MHcCAQEEI") || t.starts_with("MIGkAgEBBDA")) {
    return true;
  }
  if (t.size() >= 12 && t.starts_with("MII")) {
    std::string_view tail = t.substr(6);
    if (tail.starts_with("IBAAK") || tail.starts_with("IBADAN")) return true;
  }
  return false;
}

}  // namespace detail

KeyRedactor::Decision KeyRedactor::classify(std::string_view text) {
  switch (state_) {
    case State::kOutside:
      return classify_outside(text);
    case State::kPem:
      if (detail::find_key_markers(text).pem_end) state_ = State::kOutside;
      return Decision::kRedact;
    case State::kPutty:
      if (detail::find_key_markers(text).putty_end) state_ = State::kOutside;
      return Decision::kRedact;
    case State::kBareBody:
      if (detail::is_base64_line(text)) return Decision::kRedact;
      state_ = State::kOutside;
      // The END line of a body whose BEGIN line was missing belongs to it.
      if (detail::find_key_markers(text).pem_end) return Decision::kRedact;
      return classify_outside(text);
  }
  return Decision::kKeep;
}

KeyRedactor::Decision KeyRedactor::classify_outside(std::string_view text) {
  detail::KeyMarkers m = detail::find_key_markers(text);
  if (m.pem_begin) {
    ++blocks_;
    if (!m.pem_end_after_begin) state_ = State::kPem;
    return Decision::kRedact;
  }
  if (m.putty_begin) {
    ++blocks_;
    if (!m.putty_end) state_ = State::kPutty;
    return Decision::kRedact;
  }
  if (m.pem_end || m.putty_end) {
    ++blocks_;
    return Decision::kRedactHeld;
  }
  if (detail::is_base64_line(text)) {
    if (detail::starts_like_key_body(text)) {
      ++blocks_;
      state_ = State::kBareBody;
      return Decision::kRedact;
    }
    return Decision::kHold;
  }
  return Decision::kKeep;
}

}  // namespace sshlogwhy
