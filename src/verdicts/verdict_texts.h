// The words of every verdict: title, explanation, fix, what settles it.
//
// They live in patterns/verdicts/verdicts.json (embedded at build time) so
// they can be reviewed and translated without touching code. Texts hold
// {placeholders} that render() fills from a Verdict's vars; a placeholder
// without a value renders as <name>, which still reads as an instruction
// ("ssh <user>@<host>").
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.h"

namespace sshlogwhy {

// Who reads the report, which decides the wording and the tools in the
// fix. The texts default to an OpenSSH user; a verdict may carry variants
// for the other two readers (see patterns/verdicts/README.md).
enum class Audience : uint8_t {
  kOpenssh,  // the answer rests on an ssh -v trace (alone or joined with a server log)
  kPutty,    // the answer rests on a PuTTY Event Log, session log or plink -v output
  kServer,   // the answer rests on an sshd log alone: the reader runs the server
};

// "openssh", "putty", "server" (the JSON report's "audience" field).
const char* audience_name(Audience a);

// The audience of an answer: `answer_from` is the Analysis field ("client",
// "server", "client+server"), `client` the answering conversation's client
// ("openssh", "putty", or "" when there is none).
Audience audience_for(std::string_view answer_from, std::string_view client);

// Texts that replace the default ones for one audience. An empty field (or
// an empty list) means "use the default".
struct VerdictTextVariant {
  std::string title;
  std::string explanation;
  std::vector<std::string> fix;
  std::vector<std::string> settle;
  bool empty() const { return title.empty() && explanation.empty() && fix.empty() && settle.empty(); }
};

struct VerdictText {
  std::string id;
  std::string side;     // client, server, network, either, none
  std::string seen_in;  // "C P S"
  std::string title;
  // A short summary for aggregates ("Wrong password"), no placeholders;
  // "" when the entry has none (see label_for()).
  std::string label;
  std::string explanation;
  std::vector<std::string> fix;
  std::vector<std::string> settle;
  VerdictTextVariant putty;   // "title_putty", "explanation_putty", "fix_putty", "settle_putty"
  VerdictTextVariant server;  // "title_server", "explanation_server", "fix_server", "settle_server"

  // The texts this audience reads: the default fields with the audience's
  // variant fields put in their place. The copy has no variants of its own.
  VerdictText for_audience(Audience a) const;
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

// Fills {name} placeholders from `vars`; unknown ones become <name>. A var
// whose name ends in "_opt" (port_opt, putty_port_opt) may be set to "" on
// purpose and then renders as nothing.
std::string render(std::string_view text, const std::vector<std::pair<std::string, std::string>>& vars);

// A title for a summary line about many connections: placeholders become
// generic words ("the user", "the server").
std::string render_generic(std::string_view text);

// The line for a verdict in a report about many connections: its "label",
// else its server title (else its title) rendered with generic words.
std::string label_for(const VerdictText& t);

}  // namespace sshlogwhy
