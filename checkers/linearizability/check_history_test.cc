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

Outcome CheckFile(const std::string& name) {
  std::ostringstream out, err;
  const int code =
      RunCheckHistory("checkers/linearizability/testdata/" + name, out, err);
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

}  // namespace
}  // namespace raftsim::checkers
