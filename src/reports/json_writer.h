// A small streaming JSON writer: enough for our reports, and every string
// goes through json_escape(), so no input can break the output.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/sanitize.h"

namespace sshlogwhy {

class JsonWriter {
 public:
  void begin_object() { value_prefix(); out_ += '{'; first_.push_back(true); }
  void end_object() { out_ += '}'; first_.pop_back(); }
  void begin_array() { value_prefix(); out_ += '['; first_.push_back(true); }
  void end_array() { out_ += ']'; first_.pop_back(); }
  void key(std::string_view k) {
    comma();
    out_ += '"';
    out_ += json_escape(k);
    out_ += "\":";
    after_key_ = true;
  }
  void string(std::string_view s) { value_prefix(); out_ += '"'; out_ += json_escape(s); out_ += '"'; }
  void number(long long n) { value_prefix(); out_ += std::to_string(n); }
  void boolean(bool b) { value_prefix(); out_ += b ? "true" : "false"; }
  void null() { value_prefix(); out_ += "null"; }
  // key + string, skipped when the value is empty? No: scripts want stable
  // shapes, so empty strings are written as null.
  void field(std::string_view k, std::string_view v) {
    key(k);
    if (v.empty()) null();
    else string(v);
  }
  void number_field(std::string_view k, long long n) {
    key(k);
    number(n);
  }
  // {"name": count, ...} for a map of counts.
  template <typename Map>
  void count_object(std::string_view k, const Map& counts) {
    key(k);
    begin_object();
    for (const auto& [name, n] : counts) number_field(name, static_cast<long long>(n));
    end_object();
  }
  std::string take() { return std::move(out_); }

 private:
  void comma() {
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
    }
  }
  void value_prefix() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    comma();
  }
  std::string out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace sshlogwhy
