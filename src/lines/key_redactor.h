// Recognising pasted private keys, one cleaned line at a time.
//
// People paste whole terminals into tickets, and sometimes that includes
// `cat ~/.ssh/id_ed25519`. No stage after the line stage may ever see
// those bytes, so the LineReader asks this class about every line and
// blanks the ones that are key material. It errs towards redacting: an
// unterminated block swallows the rest of the input, because losing log
// lines is better than leaking a key.
//
// Recognised:
//   - PEM-style armor, with or without a prefix before it on the line:
//     "-----BEGIN [WORDS ]PRIVATE KEY-----" ... "-----END [WORDS ]PRIVATE KEY-----"
//     (OPENSSH, RSA, EC, DSA, ENCRYPTED, none), ssh.com's
//     "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----" and "PGP PRIVATE KEY BLOCK";
//     a key squeezed onto one line (BEGIN and END on it) is one block;
//   - a PuTTY key file: "PuTTY-User-Key-File-N:" through "Private-MAC:", or
//     from "Private-Lines:" when the paste starts in the middle;
//   - a key body pasted without its BEGIN line: a base64 line that starts
//     like an OpenSSH, PKCS#1 RSA, PKCS#8 or SEC1 EC private key, and the
//     base64 lines after it;
//   - a key whose BEGIN line was cut off: base64 lines followed by a lone
//     END (or "Private-MAC:") line. The caller must hold such base64 lines
//     back until it knows (kHold / kRedactHeld).
#pragma once

#include <cstdint>
#include <string_view>

namespace sshlogwhy {

class KeyRedactor {
 public:
  enum class Decision : uint8_t {
    // An ordinary line: release it (after any held lines, unredacted).
    kKeep,
    // Key material: blank this line. Held lines, if any, precede the key
    // and are released unredacted first.
    kRedact,
    // A base64-only line outside any block: it may be the body of a key
    // whose END line is still to come. Hold it back (bounded by the caller).
    kHold,
    // A lone END line: blank the held lines and this one.
    kRedactHeld,
  };

  // Classifies the next line's cleaned text. Lines must be given in order;
  // the decision depends on the block state left by earlier lines.
  Decision classify(std::string_view text);

  // Key blocks seen so far (each BEGIN..END, PuTTY file, headerless body or
  // lone END counts once).
  uint64_t blocks() const { return blocks_; }

  // True while inside a block (more lines will be redacted until its end).
  bool in_block() const { return state_ != State::kOutside; }

 private:
  enum class State : uint8_t {
    kOutside,   // not in a key
    kPem,       // after a BEGIN line, until the END line
    kPutty,     // inside a PuTTY key file, until Private-MAC:
    kBareBody,  // a base64 key body without BEGIN, while lines stay base64
  };

  Decision classify_outside(std::string_view text);

  State state_ = State::kOutside;
  uint64_t blocks_ = 0;
};

namespace detail {

// Markers found on one line (exposed for tests).
struct KeyMarkers {
  bool pem_begin = false;           // "-----BEGIN ... PRIVATE KEY-----"
  bool pem_end = false;             // "-----END ... PRIVATE KEY-----"
  bool pem_end_after_begin = false; // an END armor after the first BEGIN armor
  bool putty_begin = false;         // "PuTTY-User-Key-File-N:" or "Private-Lines:"
  bool putty_end = false;           // "Private-MAC:"
};
KeyMarkers find_key_markers(std::string_view text);

// A non-empty line of only base64 characters (trailing blanks allowed).
bool is_base64_line(std::string_view text);

// A base64 line that starts like a private key body (OpenSSH, PKCS#1 RSA,
// PKCS#8, SEC1 EC).
bool starts_like_key_body(std::string_view text);

}  // namespace detail

}  // namespace sshlogwhy
