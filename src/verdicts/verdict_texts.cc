#include "verdicts/verdict_texts.h"

#include <simdjson.h>

#include "base/embedded_data.h"
#include "base/json_text.h"

namespace sshlogwhy {
namespace {

namespace od = simdjson::ondemand;

Error at(std::string_view path, std::string_view content, od::document& doc, const char* padded_begin,
         std::string message) {
  uint64_t line = 1;
  auto loc = doc.current_location();
  if (!loc.error()) line = line_number_at(content, content.data() + (loc.value_unsafe() - padded_begin));
  return Error{std::string(path), line, std::move(message)};
}

}  // namespace

Result<VerdictTexts> VerdictTexts::parse(std::string_view path, std::string_view content) {
  simdjson::padded_string padded(content);
  od::parser parser;
  od::document doc;
  if (auto err = parser.iterate(padded).get(doc); err) {
    return Error{std::string(path), 1, std::string("not valid JSON: ") + simdjson::error_message(err)};
  }
  const char* base = padded.data();
  auto fail = [&](std::string m) { return at(path, content, doc, base, std::move(m)); };
  od::array verdicts;
  if (doc["verdicts"].get_array().get(verdicts)) return fail("expected an object with a \"verdicts\" array");
  VerdictTexts out;
  for (auto item : verdicts) {
    od::object obj;
    if (item.get_object().get(obj)) return fail("each verdict must be an object");
    VerdictText t;
    for (auto field_result : obj) {
      od::field field;
      std::string_view key;
      if (std::move(field_result).get(field) || field.unescaped_key().get(key)) return fail("not valid JSON here");
      // "fix", "fix_putty", "settle_server" ...: which list it fills.
      std::vector<std::string>* list_target = key == "fix"             ? &t.fix
                                              : key == "settle"        ? &t.settle
                                              : key == "fix_putty"     ? &t.putty.fix
                                              : key == "settle_putty"  ? &t.putty.settle
                                              : key == "fix_server"    ? &t.server.fix
                                              : key == "settle_server" ? &t.server.settle
                                                                       : nullptr;
      if (list_target != nullptr) {
        od::array list;
        if (field.value().get_array().get(list)) return fail("\"" + std::string(key) + "\" must be an array of strings");
        for (auto s : list) {
          std::string_view v;
          if (s.get_string().get(v)) return fail("\"" + std::string(key) + "\" must be an array of strings");
          list_target->emplace_back(v);
        }
        if (list_target->empty()) return fail("\"" + std::string(key) + "\" must not be empty");
        continue;
      }
      std::string_view v;
      if (field.value().get_string().get(v)) return fail("\"" + std::string(key) + "\" must be a string");
      if (key == "id") t.id = v;
      else if (key == "side") t.side = v;
      else if (key == "seen_in") t.seen_in = v;
      else if (key == "title") t.title = v;
      else if (key == "label") t.label = v;
      else if (key == "explanation") t.explanation = v;
      else if (key == "title_putty") t.putty.title = v;
      else if (key == "explanation_putty") t.putty.explanation = v;
      else if (key == "title_server") t.server.title = v;
      else if (key == "explanation_server") t.server.explanation = v;
      else if (key == "note" || key == "$comment") {
      } else {
        return fail("unknown key \"" + std::string(key) + "\" in a verdict");
      }
    }
    if (t.id.empty() || t.title.empty()) return fail("a verdict needs at least \"id\" and \"title\"");
    out.texts_.push_back(std::move(t));
  }
  return out;
}

const char* audience_name(Audience a) {
  switch (a) {
    case Audience::kOpenssh: return "openssh";
    case Audience::kPutty: return "putty";
    case Audience::kServer: return "server";
  }
  return "openssh";
}

Audience audience_for(std::string_view answer_from, std::string_view client) {
  if (answer_from == "server") return Audience::kServer;
  if (client == "putty") return Audience::kPutty;
  return Audience::kOpenssh;
}

VerdictText VerdictText::for_audience(Audience a) const {
  VerdictText out = *this;
  out.putty = {};
  out.server = {};
  if (a == Audience::kOpenssh) return out;
  const VerdictTextVariant& v = a == Audience::kPutty ? putty : server;
  if (!v.title.empty()) out.title = v.title;
  if (!v.explanation.empty()) out.explanation = v.explanation;
  if (!v.fix.empty()) out.fix = v.fix;
  if (!v.settle.empty()) out.settle = v.settle;
  return out;
}

Result<VerdictTexts> VerdictTexts::builtin() {
  for (const EmbeddedFile& f : embedded_data_files()) {
    if (f.path == "verdicts/verdicts.json") return parse("patterns/verdicts/verdicts.json", f.content);
  }
  return Error{"patterns/verdicts/verdicts.json", 0, "not embedded in this build"};
}

const VerdictText* VerdictTexts::find(std::string_view id) const {
  for (const VerdictText& t : texts_) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

std::string render(std::string_view text, const std::vector<std::pair<std::string, std::string>>& vars) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char ch = text[i];
    if (ch == '{') {
      size_t close = text.find('}', i + 1);
      std::string_view name = close == std::string_view::npos ? std::string_view() : text.substr(i + 1, close - i - 1);
      bool is_name = !name.empty() && name.size() < 40 &&
                     name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos;
      if (is_name) {
        // A var set to "" on purpose (port_opt for port 22) renders as
        // nothing; a var never set renders as <name>.
        const std::string* value = nullptr;
        for (const auto& [k, v] : vars) {
          if (k == name && (!v.empty() || k.ends_with("_opt"))) value = &v;
        }
        if (value != nullptr) out += *value;
        else out += "<" + std::string(name) + ">";
        i = close + 1;
        continue;
      }
    }
    out += ch;
    ++i;
  }
  return out;
}

}  // namespace sshlogwhy

namespace sshlogwhy {

std::string render_generic(std::string_view text) {
  static const std::vector<std::pair<std::string, std::string>> kWords = {
      {"user", "the user"},          {"host", "the server"},          {"port", "the SSH port"},
      {"address", "the address"},    {"key_path", "the key"},         {"key_type", "the key type"},
      {"fingerprint", "the key"},    {"known_hosts_path", "known_hosts"}, {"known_hosts_line", "?"},
      {"host_key_type", "host key"}, {"what", "algorithm"},           {"offer", "legacy algorithms"},
      {"methods", "other methods"},  {"path", "a path"},              {"reason", "a reason"},
      {"directive", "a directive"},  {"mode", "open"},                {"config_path", "the config file"},
      {"config_line", "?"},          {"option", "an option"},         {"hop", "the jump host"},
      {"server_version", "the server"}, {"client_version", "the client"}, {"code", "?"},
      {"count", "several"},          {"source_ip", "one source"},     {"method", "a method"},
      {"port_opt", ""},              {"known_host", "the server"},    {"putty_port_opt", ""},
      {"alg", "an offered algorithm"}, {"required", "the allowed addresses"}, {"line", "?"},
  };
  return render(text, kWords);
}

std::string label_for(const VerdictText& t) {
  if (!t.label.empty()) return t.label;
  return render_generic(t.server.title.empty() ? t.title : t.server.title);
}

}  // namespace sshlogwhy
