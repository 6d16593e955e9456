// checkers/linearizability/check_history_test.cc — RunCheckHistory on files in
// testdata/.

#include "checkers/linearizability/check_history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace raftsim::checkers {
namespace {

using ::testing::HasSubstr;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome CheckFile(const std::string& name,
                  HistoryFormat format = HistoryFormat::kAuto) {
  std::ostringstream out, err;
  const int code = RunCheckHistory("checkers/linearizability/testdata/" + name,
                                   out, err, {}, format);
  return {code, out.str(), err.str()};
}

TEST(CheckHistory, GoodFileIsLinearizable) {
  const Outcome r = CheckFile("good.jsonl");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "linearizable\n");
  EXPECT_EQ(r.err, "");
}

TEST(CheckHistory, StaleReadIsAViolationWithWitness) {
  const Outcome r = CheckFile("stale_read.jsonl");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out,
            "NOT linearizable: on key \"x\", no order of the operations "
            "respects real time and the register model once this one "
            "returns:\n"
            "  client 2 [40, 50] get(\"x\") -> \"a\"\n"
            "witness: 3 of 3 operations on key \"x\", not linearizable "
            "(removing any one operation makes it linearizable):\n"
            "  client 1 [0, 10] put(\"x\", \"a\")\n"
            "  client 1 [20, 30] put(\"x\", \"b\")\n"
            "  client 2 [40, 50] get(\"x\") -> \"a\"\n");
}

TEST(CheckHistory, MalformedFileReportsFileLineColumn) {
  const Outcome r = CheckFile("malformed.jsonl");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "checkers/linearizability/testdata/malformed.jsonl:3:96: expected "
            "\"return\" to "
            "be an integer or null, found string\n");
  EXPECT_EQ(r.out, "");
}

TEST(CheckHistory, MissingFile) {
  const Outcome r = CheckFile("no_such_file.jsonl");
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("no_such_file.jsonl: cannot read"));
}

TEST(CheckHistory, BudgetExhaustedSaysCouldNotDecide) {
  std::ostringstream out, err;
  LinearizabilityOptions options;
  options.max_steps_per_key = 0;
  EXPECT_EQ(RunCheckHistory("checkers/linearizability/testdata/good.jsonl", out,
                            err, options),
            1);
  EXPECT_THAT(out.str(),
              HasSubstr("could not decide: search budget exhausted"));
}

TEST(CheckHistory, JepsenCasRegisterIsLinearizable) {
  const Outcome r = CheckFile("jepsen_cas_ok.edn");
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out, "linearizable\n");
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(CheckFile("jepsen_cas_ok.edn", HistoryFormat::kEdn).code, 0);
}

TEST(CheckHistory, JepsenStaleReadIsAViolationWithWitness) {
  const Outcome r = CheckFile("jepsen_stale_read.edn");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out,
            "NOT linearizable: on key \"0\", no order of the operations "
            "respects real time and the register model once this one "
            "returns:\n"
            "  client 1 [40, 50] get(\"0\") -> \"1\"\n"
            "witness: 3 of 3 operations on key \"0\", not linearizable "
            "(removing any one operation makes it linearizable):\n"
            "  client 0 [0, 10] put(\"0\", \"1\")\n"
            "  client 0 [20, 30] cas(\"0\", \"1\" -> \"2\") -> true\n"
            "  client 1 [40, 50] get(\"0\") -> \"1\"\n");
}

TEST(CheckHistory, JepsenMalformedFileReportsFileLineColumn) {
  const Outcome r = CheckFile("jepsen_malformed.edn");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err,
            "checkers/linearizability/testdata/jepsen_malformed.edn:3:33: "
            "expected a :cas value to be [old new], found an integer 3\n");
  EXPECT_EQ(r.out, "");
}

TEST(CheckHistory, FormatOverridesTheExtension) {
  // An EDN file read as JSON lines, and JSON lines read as EDN, are
  // malformed.
  const Outcome as_json =
      CheckFile("jepsen_cas_ok.edn", HistoryFormat::kJsonLines);
  EXPECT_EQ(as_json.code, 2);
  EXPECT_EQ(as_json.err,
            "checkers/linearizability/testdata/jepsen_cas_ok.edn:1:2: "
            "expected '\"', found ':'\n");
  const Outcome as_edn = CheckFile("good.jsonl", HistoryFormat::kEdn);
  EXPECT_EQ(as_edn.code, 2);
  EXPECT_EQ(as_edn.err,
            "checkers/linearizability/testdata/good.jsonl:1:19: expected a "
            "keyword such as :name, found ':'\n");
}

TEST(CheckHistory, FormatNames) {
  EXPECT_EQ(HistoryFormatFromName("edn"), HistoryFormat::kEdn);
  EXPECT_EQ(HistoryFormatFromName("jsonl"), HistoryFormat::kJsonLines);
  EXPECT_EQ(HistoryFormatFromName("auto"), HistoryFormat::kAuto);
  EXPECT_EQ(HistoryFormatFromName("EDN"), std::nullopt);
}

}  // namespace
}  // namespace raftsim::checkers
