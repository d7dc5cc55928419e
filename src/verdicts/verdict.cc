#include "verdicts/verdict.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace sshlogwhy {

bool line_applies(std::string_view line, const Verdict& v, std::string_view& text) {
  text = line;
  for (std::string_view os : {std::string_view("windows"), std::string_view("unix")}) {
    std::string marker = "[" + std::string(os) + "] ";
    if (line.substr(0, marker.size()) != marker) continue;
    text = line.substr(marker.size());
    std::string shown = v.get("client_os");
    return shown.empty() || shown == os;
  }
  return true;
}

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
  bool have_putty = false;
  for (auto& [k, val] : v.vars) {
    if (k == "putty_port_opt") {
      val = other ? "-P " + port + " " : "";
      have_putty = true;
    }
  }
  if (!have_putty) v.vars.emplace_back("putty_port_opt", other ? "-P " + port + " " : "");
  if (!host.empty()) v.set("known_host", other ? "[" + host + "]:" + port : host);
}

namespace {

bool icontains(std::string_view s, std::string_view p) {
  auto it = std::search(s.begin(), s.end(), p.begin(), p.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != s.end();
}

// Entries of an offer that only signal protocol extensions; naming one in
// KexAlgorithms=+... would do nothing.
bool is_marker(std::string_view alg) {
  return alg.starts_with("ext-info-") || alg.starts_with("kex-strict-") || alg.starts_with("ext-info-in-auth");
}

// The offer's entries, trimmed, markers dropped.
std::vector<std::string_view> offer_items(std::string_view offer) {
  size_t bracket = offer.find(" [");
  if (bracket != std::string_view::npos) offer = offer.substr(0, bracket);
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start < offer.size()) {
    size_t comma = offer.find(',', start);
    if (comma == std::string_view::npos) comma = offer.size();
    std::string_view item = offer.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '.')) item.remove_suffix(1);
    if (!item.empty() && !is_marker(item)) out.push_back(item);
    start = comma + 1;
  }
  return out;
}

// Strongest first. Only names OpenSSH has shipped for years, so a fix that
// names one works on old and new sides alike; anything else in an offer is
// picked only when none of these is there.
constexpr std::array kKex = {
    "curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384",
    "ecdh-sha2-nistp521", "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
    "diffie-hellman-group-exchange-sha256", "diffie-hellman-group14-sha256", "diffie-hellman-group14-sha1",
    "diffie-hellman-group-exchange-sha1", "diffie-hellman-group1-sha1"};
constexpr std::array kHostKey = {"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
                                 "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-dss"};
constexpr std::array kCipher = {"chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
                                "aes256-ctr", "aes192-ctr", "aes128-ctr", "aes256-cbc", "aes192-cbc", "aes128-cbc",
                                "3des-cbc"};
constexpr std::array kMac = {"hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
                             "umac-128-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "umac-128@openssh.com",
                             "hmac-sha1-etm@openssh.com", "hmac-sha1", "umac-64@openssh.com", "hmac-sha1-96",
                             "hmac-md5", "hmac-md5-96"};

template <size_t N>
std::string best_of(const std::vector<std::string_view>& items, const std::array<const char*, N>& ranked) {
  for (const char* want : ranked) {
    for (std::string_view item : items) {
      if (item == want) return std::string(item);
    }
  }
  return {};
}

// "KEY:VALUE" inside "(host=H, ip=I, required=LIST)"; "" when absent.
std::string_view paren_field(std::string_view text, std::string_view key) {
  size_t at = text.find(key);
  if (at == std::string_view::npos) return {};
  std::string_view rest = text.substr(at + key.size());
  size_t end = rest.find_first_of(",)");
  return rest.substr(0, end);
}

}  // namespace

std::string pick_offered_algorithm(std::string_view what, std::string_view offer) {
  std::vector<std::string_view> items = offer_items(offer);
  if (items.empty()) return {};
  std::string best;
  if (icontains(what, "host key")) best = best_of(items, kHostKey);
  else if (icontains(what, "key exchange") || icontains(what, "key-exchange") || icontains(what, "kex")) best = best_of(items, kKex);
  else if (icontains(what, "cipher")) best = best_of(items, kCipher);
  else if (icontains(what, "mac")) best = best_of(items, kMac);
  return best.empty() ? std::string(items.front()) : best;
}

std::string clean_offer(std::string_view offer) {
  std::string out;
  for (std::string_view item : offer_items(offer)) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

void add_derived_vars(Verdict& v) {
  std::string offer = v.get("offer");
  if (!offer.empty()) {
    std::string cleaned = clean_offer(offer);
    if (!cleaned.empty()) v.set("offer", cleaned);
    if (v.get("alg").empty()) v.set("alg", pick_offered_algorithm(v.get("what"), offer));
  }
  for (const Event* e : v.evidence) {
    if (e == nullptr || e->kind != EventKind::sshd_key_option_refused) continue;
    // The fields if a pattern captures them, else read from the line itself.
    std::string_view text = e->text;
    std::string required(e->get("required"));
    if (required.empty()) required = std::string(paren_field(text, "required="));
    v.set("required", required);
    if (!required.empty() && v.get("option").empty()) v.set("option", "from=\"" + required + "\"");
    else if (v.get("option").empty() && icontains(text, "not from a permitted")) v.set("option", "from=");
    // "FILE:LINE: Authentication tried ..." names the authorized_keys line.
    size_t tried = text.find(": Authentication tried");
    if (tried != std::string_view::npos && v.get("path").empty()) {
      std::string_view loc = text.substr(0, tried);
      size_t colon = loc.rfind(':');
      size_t space = loc.rfind(' ', colon);
      if (colon != std::string_view::npos) {
        std::string_view file = loc.substr(space == std::string_view::npos ? 0 : space + 1,
                                           colon - (space == std::string_view::npos ? 0 : space + 1));
        std::string_view line = loc.substr(colon + 1);
        if (!file.empty() && file.front() == '/' &&
            !line.empty() && line.find_first_not_of("0123456789") == std::string_view::npos) {
          v.set("path", std::string(file));
          v.set("line", std::string(line));
        }
      }
    }
    break;
  }
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
