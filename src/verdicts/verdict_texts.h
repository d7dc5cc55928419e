// The words of every verdict: title, explanation, fix, what settles it.
//
// They live in patterns/verdicts/verdicts.json (embedded at build time) so
// they can be reviewed and translated without touching code. Texts hold
// {placeholders} that render() fills from a Verdict's vars; a placeholder
// without a value renders as <name>, which still reads as an instruction
// ("ssh <user>@<host>").
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace sshlogwhy {

struct VerdictText {
  std::string id;
  std::string side;     // client, server, network, either, none
  std::string seen_in;  // "C P S"
  std::string title;
  std::string explanation;
  std::vector<std::string> fix;
  std::vector<std::string> settle;
};

class VerdictTexts {
 public:
  // Parses one verdicts.json; errors name the file and line.
  static Result<VerdictTexts> parse(std::string_view path, std::string_view content);
  // The embedded texts.
  static Result<VerdictTexts> builtin();

  const VerdictText* find(std::string_view id) const;
  const std::vector<VerdictText>& all() const { return texts_; }

 private:
  std::vector<VerdictText> texts_;
};

// Fills {name} placeholders from `vars`; unknown ones become <name>.
std::string render(std::string_view text, const std::vector<std::pair<std::string, std::string>>& vars);

// A title for a summary line about many connections: placeholders become
// generic words ("the user", "the server").
std::string render_generic(std::string_view text);

}  // namespace sshlogwhy
