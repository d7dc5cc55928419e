// Fallible results without exceptions.
//
// Below src/cli/ nothing throws and nothing prints: a function that can fail
// returns Result<T> (a value or an Error) and the CLI layer decides what to
// print and which exit code to use. An Error carries what a person needs to
// act: the file, the 1-based line (0 when it is about the whole file) and a
// sentence that says what is wrong and, where we know, what to do.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace sshlogwhy {

struct Error {
  std::string file;     // path as the user gave it, "<stdin>" for standard input
  uint64_t line = 0;    // 1-based; 0 when the error is not about one line
  std::string message;  // one sentence, no trailing newline

  // "file:line: message", "file: message" or just "message".
  std::string to_string() const {
    std::string out;
    if (!file.empty()) {
      out += file;
      if (line != 0) {
        out += ':';
        out += std::to_string(line);
      }
      out += ": ";
    }
    out += message;
    return out;
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit on purpose
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit on purpose

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For functions that return nothing on success.
struct Ok {};

}  // namespace sshlogwhy
