// Runs every case of every corpus/**/expected.json through the whole
// pipeline and checks the verdict. Adding a case is adding files:
//   corpus/<group>/<scenario>/expected.json  {"cases": [{"input": [...],
//     "verdict": "id", "pending": "why it is not checked yet",
//     "connections": [{"user": "u", "verdict": "id"}, ...]}]}
// A case with "pending" is reported as skipped, with its reason.
// "connections" (optional, for server logs) lists every sshd connection the
// case's logs hold, in log order, with the verdict each one must get; "user"
// may be left out (a connection that never named one) and must then be "".
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <simdjson.h>

#include "pipeline/diagnose.h"
#include "test_paths.h"

namespace sshlogwhy {
namespace {

namespace fs = std::filesystem;

struct ExpectedConnection {
  std::string user;
  std::string verdict;
};

struct CorpusCase {
  std::string name;  // scenario/index
  std::vector<std::string> inputs;
  std::string verdict;
  std::string pending;
  bool check_connections = false;
  std::vector<ExpectedConnection> connections;
};

std::vector<CorpusCase> discover() {
  std::vector<CorpusCase> out;
  fs::path root = fs::path(testing::source_dir()) / "corpus";
  std::vector<fs::path> files;
  if (fs::exists(root)) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().filename() == "expected.json") files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    std::string rel = fs::relative(f.parent_path(), root).generic_string();
    if (parser.load(f.string()).get(doc)) {
      CorpusCase broken;
      broken.name = rel + "/INVALID_JSON";
      out.push_back(std::move(broken));
      continue;
    }
    simdjson::dom::array cases;
    if (doc["cases"].get_array().get(cases)) continue;
    size_t index = 0;
    for (simdjson::dom::element c : cases) {
      CorpusCase cc;
      cc.name = rel + "/" + std::to_string(index++);
      simdjson::dom::array inputs;
      if (!c["input"].get_array().get(inputs)) {
        for (simdjson::dom::element in : inputs) {
          std::string_view s;
          if (!in.get_string().get(s)) cc.inputs.push_back((f.parent_path() / std::string(s)).string());
        }
      }
      std::string_view v;
      if (!c["verdict"].get_string().get(v)) cc.verdict = std::string(v);
      if (!c["pending"].get_string().get(v)) cc.pending = std::string(v);
      simdjson::dom::array conns;
      if (!c["connections"].get_array().get(conns)) {
        cc.check_connections = true;
        for (simdjson::dom::element conn : conns) {
          ExpectedConnection ec;
          if (!conn["user"].get_string().get(v)) ec.user = std::string(v);
          if (!conn["verdict"].get_string().get(v)) ec.verdict = std::string(v);
          cc.connections.push_back(std::move(ec));
        }
      }
      out.push_back(std::move(cc));
    }
  }
  return out;
}

// Keeps test names and failure output readable (GoogleTest would dump bytes).
void PrintTo(const CorpusCase& c, std::ostream* os) { *os << c.name << " -> " << c.verdict; }

class CorpusTest : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(CorpusTest, GivesTheExpectedVerdict) {
  const CorpusCase& c = GetParam();
  ASSERT_FALSE(c.inputs.empty()) << "expected.json of " << c.name << " is invalid or has no inputs";
  ASSERT_FALSE(c.verdict.empty()) << c.name << ": no expected verdict";
  if (!c.pending.empty()) GTEST_SKIP() << "pending: " << c.pending;
  static Result<std::unique_ptr<PatternDb>> db = load_pattern_db({});
  ASSERT_TRUE(db.ok()) << db.error().to_string();
  Result<Analysis> a = diagnose(c.inputs, *db.value(), DiagnoseOptions{});
  ASSERT_TRUE(a.ok()) << a.error().to_string();
  EXPECT_EQ(a.value().answer.verdict.id, c.verdict)
      << "rule " << a.value().answer.verdict.rule << " for " << c.inputs.front();
  if (!c.check_connections) return;
  // Every connection of the server log(s), in order: "user -> verdict".
  auto show = [](const std::string& user, const std::string& verdict) { return user + " -> " + verdict; };
  std::vector<std::string> want, got;
  for (const ExpectedConnection& e : c.connections) want.push_back(show(e.user, e.verdict));
  for (const Analysis::ServerResult& r : a.value().server) {
    got.push_back(show(r.connection.user, r.diagnosis.verdict.id));
  }
  EXPECT_EQ(got, want) << "per-connection verdicts of " << c.inputs.front();
}

std::string case_name(const ::testing::TestParamInfo<CorpusCase>& info) {
  std::string n = info.param.name;
  for (char& ch : n) {
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest, ::testing::ValuesIn(discover()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CorpusTest);

}  // namespace
}  // namespace sshlogwhy
