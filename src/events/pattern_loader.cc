#include "events/pattern_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <simdjson.h>

#include "base/embedded_data.h"
#include "base/json_text.h"

namespace sshlogwhy {
namespace {

namespace od = simdjson::ondemand;

// Walks one file with simdjson's on-demand API, using error codes only.
class PatternFileParser {
 public:
  PatternFileParser(std::string_view path, std::string_view content, PatternLoad& out)
      : path_(path), content_(content), out_(out) {}

  void run() {
    simdjson::padded_string padded(content_);
    od::parser parser;
    od::document doc;
    if (auto err = parser.iterate(padded).get(doc); err) {
      fail(1, std::string("not valid JSON: ") + simdjson::error_message(err));
      return;
    }
    doc_ = &doc;
    padded_begin_ = padded.data();
    od::object root;
    if (auto err = doc.get_object().get(root); err) {
      fail(here(), "the file must hold one JSON object with \"family\" and \"patterns\"");
      return;
    }
    std::string family;
    bool saw_patterns = false;
    for (auto field_result : root) {
      od::field field;
      if (std::move(field_result).get(field)) return syntax_error();
      std::string_view key;
      if (field.unescaped_key().get(key)) return syntax_error();
      if (key == "family") {
        if (!read_string(field.value(), family)) return;
      } else if (key == "description" || key == "$schema") {
        std::string ignored;
        if (!read_string(field.value(), ignored)) return;
      } else if (key == "patterns") {
        if (family.empty()) {
          fail(here(), "\"family\" must come before \"patterns\"");
          return;
        }
        saw_patterns = true;
        od::array patterns;
        if (field.value().get_array().get(patterns)) {
          fail(here(), "\"patterns\" must be an array");
          return;
        }
        for (auto item : patterns) {
          od::object obj;
          if (item.get_object().get(obj)) {
            fail(here(), "each entry of \"patterns\" must be an object");
            return;
          }
          if (!read_pattern(obj, family)) return;
        }
      } else {
        fail(here(), "unknown key \"" + std::string(key) + "\" (expected family, description, patterns)");
        return;
      }
    }
    if (!saw_patterns) fail(1, "no \"patterns\" array");
  }

 private:
  uint64_t here() {
    const char* at = nullptr;
    if (doc_ != nullptr) {
      auto loc = doc_->current_location();
      if (!loc.error()) at = loc.value_unsafe();
    }
    if (at == nullptr) return line_number_at(content_, content_.data() + content_.size());
    return line_number_at(content_, content_.data() + (at - padded_begin_));
  }

  void fail(uint64_t line, std::string message) {
    out_.errors.push_back(Error{std::string(path_), line, std::move(message)});
  }

  void syntax_error() { fail(here(), "not valid JSON here"); }

  bool read_string(od::value& v, std::string& out) {
    std::string_view s;
    if (v.get_string().get(s)) {
      fail(here(), "expected a string");
      return false;
    }
    out.assign(s);
    return true;
  }

  bool read_pattern(od::object& obj, const std::string& family) {
    Pattern p;
    p.family = family;
    p.source_file = std::string(path_);
    p.source_line = here();
    std::string event_name;
    for (auto field_result : obj) {
      od::field field;
      if (std::move(field_result).get(field)) {
        syntax_error();
        return false;
      }
      std::string_view key;
      if (field.unescaped_key().get(key)) {
        syntax_error();
        return false;
      }
      bool ok = true;
      if (key == "id") ok = read_string(field.value(), p.id);
      else if (key == "event") ok = read_string(field.value(), event_name);
      else if (key == "literal") ok = read_string(field.value(), p.literal);
      else if (key == "regex") ok = read_string(field.value(), p.regex);
      else if (key == "since") ok = read_string(field.value(), p.since);
      else if (key == "until") ok = read_string(field.value(), p.until);
      else if (key == "note") ok = read_string(field.value(), p.note);
      else if (key == "samples") ok = read_samples(field.value(), p);
      else {
        fail(here(), "unknown key \"" + std::string(key) + "\" in a pattern");
        return false;
      }
      if (!ok) return false;
    }
    if (p.id.empty()) fail(p.source_line, "a pattern has no \"id\"");
    if (p.regex.empty()) fail(p.source_line, "pattern " + p.id + " has no \"regex\"");
    if (p.literal.empty()) fail(p.source_line, "pattern " + p.id + " has no \"literal\" (the prefilter substring)");
    std::optional<EventKind> kind = event_kind_from_name(event_name);
    if (!kind) {
      fail(p.source_line, "pattern " + p.id + ": unknown event \"" + event_name +
                              "\" (the kinds are listed in src/events/event_kind.h)");
    } else {
      p.event = *kind;
    }
    if (p.samples.empty()) fail(p.source_line, "pattern " + p.id + " has no samples");
    out_.patterns.push_back(std::move(p));
    return true;
  }

  bool read_samples(od::value& v, Pattern& p) {
    od::array samples;
    if (v.get_array().get(samples)) {
      fail(here(), "\"samples\" must be an array");
      return false;
    }
    for (auto item : samples) {
      od::object obj;
      if (item.get_object().get(obj)) {
        fail(here(), "each sample must be an object with \"line\" and \"captures\"");
        return false;
      }
      PatternSample sample;
      sample.source_line = here();
      for (auto field_result : obj) {
        od::field field;
        if (std::move(field_result).get(field)) {
          syntax_error();
          return false;
        }
        std::string_view key;
        if (field.unescaped_key().get(key)) {
          syntax_error();
          return false;
        }
        if (key == "line") {
          if (!read_string(field.value(), sample.line)) return false;
        } else if (key == "captures") {
          od::object caps;
          if (field.value().get_object().get(caps)) {
            fail(here(), "\"captures\" must be an object of name: value");
            return false;
          }
          for (auto cap_result : caps) {
            od::field cap;
            if (std::move(cap_result).get(cap)) {
              syntax_error();
              return false;
            }
            std::string_view name;
            if (cap.unescaped_key().get(name)) {
              syntax_error();
              return false;
            }
            std::string value;
            if (!read_string(cap.value(), value)) return false;
            sample.captures.emplace_back(std::string(name), std::move(value));
          }
        } else if (key == "note" || key == "source") {
          std::string ignored;
          if (!read_string(field.value(), ignored)) return false;
        } else {
          fail(here(), "unknown key \"" + std::string(key) + "\" in a sample");
          return false;
        }
      }
      p.samples.push_back(std::move(sample));
    }
    return true;
  }

  std::string_view path_;
  std::string_view content_;
  PatternLoad& out_;
  od::document* doc_ = nullptr;
  const char* padded_begin_ = nullptr;
};

bool is_pattern_file(std::string_view relative_path) {
  return relative_path.size() > 5 && relative_path.substr(relative_path.size() - 5) == ".json" &&
         relative_path.substr(0, 9) != "verdicts/";
}

}  // namespace

void parse_pattern_file(std::string_view path, std::string_view content, PatternLoad& out) {
  PatternFileParser(path, content, out).run();
}

PatternLoad load_builtin_patterns() {
  PatternLoad out;
  for (const EmbeddedFile& f : embedded_data_files()) {
    if (!is_pattern_file(f.path)) continue;
    parse_pattern_file("patterns/" + std::string(f.path), f.content, out);
  }
  return out;
}

void load_pattern_dir(const std::string& dir, PatternLoad& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    out.errors.push_back(Error{dir, 0, "not a directory of pattern files"});
    return;
  }
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string rel = fs::relative(it->path(), dir, ec).generic_string();
    if (is_pattern_file(rel)) files.push_back(it->path());
  }
  if (ec) out.errors.push_back(Error{dir, 0, "cannot list directory: " + ec.message()});
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      out.errors.push_back(Error{file.string(), 0, "cannot read file"});
      continue;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    parse_pattern_file(file.string(), buffer.str(), out);
  }
}

void merge_patterns(PatternLoad& base, PatternLoad extra) {
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < base.patterns.size(); ++i) index[base.patterns[i].id] = i;
  for (Pattern& p : extra.patterns) {
    auto it = index.find(p.id);
    if (it != index.end()) {
      base.patterns[it->second] = std::move(p);
    } else {
      index[p.id] = base.patterns.size();
      base.patterns.push_back(std::move(p));
    }
  }
  for (Error& e : extra.errors) base.errors.push_back(std::move(e));
}

}  // namespace sshlogwhy
