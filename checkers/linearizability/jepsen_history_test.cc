// checkers/linearizability/jepsen_history_test.cc — ParseJepsenEdnHistory:
// the register / cas-register mapping, :fail and :info, both value forms,
// both time modes, every error with its FILE:LINE:COL, and random byte
// mutations of testdata/jepsen_cas_ok.edn that must never crash.

#include "checkers/linearizability/jepsen_history.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/prng.h"
#include "checkers/linearizability/history.h"
#include "checkers/linearizability/linearizability.h"

namespace raftsim::checkers {
namespace {

using ::testing::MatchesRegex;

History Parse(absl::string_view text) {
  absl::StatusOr<History> h = ParseJepsenEdnHistory(text, "h.edn");
  EXPECT_TRUE(h.ok()) << h.status();
  return h.ok() ? *h : History();
}

std::string ErrorOf(absl::string_view text) {
  absl::StatusOr<History> h = ParseJepsenEdnHistory(text, "h.edn");
  if (h.ok()) return "(parsed)";
  return std::string(h.status().message());
}

std::string Lines(const History& h) { return FormatHistoryJsonLines(h); }

TEST(JepsenHistory, CasRegisterMapping) {
  const History h = Parse(
      "{:type :invoke, :f :read, :value nil, :process 3, :time 100}\n"
      "{:type :ok, :f :read, :value nil, :process 3, :time 200}\n"
      "{:type :invoke, :f :write, :value 1, :process 0, :time 300}\n"
      "{:type :info, :f :start, :process :nemesis, :time 350}\n"
      "{:type :ok, :f :write, :value 1, :process 0, :time 400}\n"
      "{:type :invoke, :f :cas, :value [1 \"two\"], :process 1, :time 500}\n"
      "{:type :ok, :f :cas, :value [1 \"two\"], :process 1, :time 600}\n"
      "{:type :invoke, :f :read, :value nil, :process 2, :time 700}\n"
      "{:type :ok, :f :read, :value \"two\", :process 2, :time 800}\n");
  EXPECT_EQ(Lines(h),
            "{\"client\":3,\"kind\":\"get\",\"key\":\"\",\"value\":null,"
            "\"expected\":null,\"output\":\"\",\"call\":100,\"return\":200}\n"
            "{\"client\":0,\"kind\":\"put\",\"key\":\"\",\"value\":\"1\","
            "\"expected\":null,\"output\":null,\"call\":300,\"return\":400}\n"
            "{\"client\":1,\"kind\":\"cas\",\"key\":\"\",\"value\":\"two\","
            "\"expected\":\"1\",\"output\":true,\"call\":500,\"return\":600}\n"
            "{\"client\":2,\"kind\":\"get\",\"key\":\"\",\"value\":null,"
            "\"expected\":null,\"output\":\"two\",\"call\":700,\"return\":"
            "800}\n");
}

TEST(JepsenHistory, FailIsDroppedInfoAndPendingAreUnknown) {
  const History h = Parse(
      "{:type :invoke, :f :cas, :value [1 2], :process 0, :time 10}\n"
      "{:type :fail, :f :cas, :value [1 2], :process 0, :time 20}\n"
      "{:type :invoke, :f :read, :value nil, :process 0, :time 30}\n"
      "{:type :fail, :f :read, :process 0, :time 40, :error :timeout}\n"
      "{:type :invoke, :f :write, :value 5, :process 1, :time 50}\n"
      "{:type :info, :f :write, :value 5, :process 1, :time 60}\n"
      "{:type :invoke, :f :cas, :value [5 6], :process 2, :time 70}\n");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].Describe(),
            "client 1 [50, ?] put(\"\", \"5\") -> ? "
            "(outcome unknown)");
  EXPECT_EQ(h[1].Describe(),
            "client 2 [70, ?] cas(\"\", \"5\" -> \"6\") -> ? "
            "(outcome unknown)");
}

TEST(JepsenHistory, IndependentTuplesAndPositionTimes) {
  // No :time: an operation's time is its position; wrapped in a vector.
  const History h = Parse(
      "[{:type :invoke, :f :write, :value [\"a\" 1], :process 0}\n"
      " {:type :invoke, :f :cas, :value [7 [nil 2]], :process 1}\n"
      " {:type :ok, :f :write, :value [\"a\" 1], :process 0}\n"
      " {:type :ok, :f :cas, :value [7 [nil 2]], :process 1}\n"
      " {:type :invoke, :f :read, :value [:k nil], :process 0}\n"
      " {:type :ok, :f :read, :value [:k 3], :process 0}]\n");
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].Describe(), "client 0 [0, 2] put(\"a\", \"1\")");
  EXPECT_EQ(h[1].Describe(),
            "client 1 [1, 3] cas(\"7\", \"\" -> \"2\") -> true");
  EXPECT_EQ(h[2].Describe(), "client 0 [4, 5] get(\":k\") -> \"3\"");
}

TEST(JepsenHistory, StaleReadIsNotLinearizable) {
  const History h = Parse(
      "{:type :invoke, :f :write, :value 1, :process 0, :time 0}\n"
      "{:type :ok, :f :write, :value 1, :process 0, :time 10}\n"
      "{:type :invoke, :f :cas, :value [1 2], :process 0, :time 20}\n"
      "{:type :ok, :f :cas, :value [1 2], :process 0, :time 30}\n"
      "{:type :invoke, :f :read, :value nil, :process 1, :time 40}\n"
      "{:type :ok, :f :read, :value 1, :process 1, :time 50}\n");
  EXPECT_FALSE(CheckLinearizability(h).linearizable());
  // The same read of the new value is fine.
  History fixed = h;
  fixed[2].output = std::string("2");
  EXPECT_TRUE(CheckLinearizability(fixed).linearizable());
}

TEST(JepsenHistory, PairingErrors) {
  EXPECT_EQ(ErrorOf("{:type :ok, :f :read, :value 1, :process 5, :time 1}"),
            "h.edn:1:1: expected an :invoke from process 5 before this :ok, "
            "found none pending");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process 0}\n"
                    "  {:type :invoke, :f :read, :value nil, :process 0}"),
            "h.edn:2:3: expected a completion of process 0's :invoke at 1:1, "
            "found another :invoke");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process 0}\n"
                    "{:type :ok, :f :write, :value 1, :process 0}"),
            "h.edn:2:16: expected :f :read like process 0's pending :invoke "
            "at 1:1, found :write");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process 0, "
                    ":time 50}\n"
                    "{:type :ok, :f :read, :value 1, :process 0, :time 40}"),
            "h.edn:2:51: expected :time >= 50 (its :invoke's), found 40");
}

TEST(JepsenHistory, FieldErrors) {
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :append, :value 1, :process 0}"),
            "h.edn:1:20: expected :f to be :read, :write or :cas, found "
            ":append");
  EXPECT_EQ(ErrorOf("{:type :done, :f :read, :value 1, :process 0}"),
            "h.edn:1:8: expected :type to be :invoke, :ok, :fail or :info, "
            "found :done");
  EXPECT_EQ(ErrorOf("{:type \"ok\", :f :read, :value 1, :process 0}"),
            "h.edn:1:8: expected :type to be :invoke, :ok, :fail or :info, "
            "found a string \"ok\"");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil}"),
            "h.edn:1:1: expected key :process, found a map without it");
  EXPECT_EQ(ErrorOf("{:process 1, :f :read, :value nil}"),
            "h.edn:1:1: expected key :type, found a map without it");
  EXPECT_EQ(ErrorOf("{:type :invoke, :process 1, :value nil}"),
            "h.edn:1:1: expected key :f, found a map without it");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :write, :process 1}"),
            "h.edn:1:1: expected key :value, found a map without it");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process \"p\"}"),
            "h.edn:1:48: expected :process to be an integer (a client) or a "
            "keyword (such as :nemesis), found a string \"p\"");
  EXPECT_EQ(ErrorOf("[1 2]"),
            "h.edn:1:2: expected an operation map, found "
            "an integer");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process 0}\n"
                    "  :b"),
            "h.edn:2:3: expected an operation map, found a keyword");
}

TEST(JepsenHistory, ValueShapeErrors) {
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :cas, :value 3, :process 1}"),
            "h.edn:1:33: expected a :cas value to be [old new], found an "
            "integer 3");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :cas, :value [1 [2]], :process 1}"),
            "h.edn:1:36: expected the :cas's new value to be an integer, a "
            "string or nil, found [2]");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :write, :value 1.5, :process 1}"),
            "h.edn:1:35: expected the :write's value to be an integer, a "
            "string or nil, found a float 1.5");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value 3, :process 1}"),
            "h.edn:1:34: expected a :read :invoke's value to be nil, found "
            "an integer 3");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process 1}\n"
                    "{:type :ok, :f :read, :value [1 2], :process 1}"),
            "h.edn:2:30: expected the :read's value to be an integer, a "
            "string or nil, found [1 2]");
  // Tuples: every operation after the first must be one; keys must agree.
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :write, :value [0 1], :process 0}\n"
                    "{:type :invoke, :f :write, :value 1, :process 1}"),
            "h.edn:2:35: expected the :write :invoke's :value to be a [key "
            "value] tuple (jepsen.independent, like the first operation's), "
            "found an integer 1");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value [0 nil], :process 0}\n"
                    "{:type :ok, :f :read, :value [1 5], :process 0}"),
            "h.edn:2:31: expected the key 0 of the :invoke at 1:1, found 1");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value [[0] nil], :process "
                    "0}"),
            "h.edn:1:35: expected a key (an integer, a string or a keyword), "
            "found [0]");
}

TEST(JepsenHistory, TimeModeErrors) {
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process 0}\n"
                    "{:type :ok, :f :read, :value 1, :process 0, :time 9}"),
            "h.edn:2:51: expected no :time (the first operation has none, so "
            "times are positions), found :time");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process 0, "
                    ":time 1}\n"
                    "{:type :ok, :f :read, :value 1, :process 0}"),
            "h.edn:2:1: expected key :time (the first operation has one), "
            "found a map without it");
  EXPECT_EQ(ErrorOf("{:type :invoke, :f :read, :value nil, :process 0, "
                    ":time \"1\"}"),
            "h.edn:1:57: expected :time to be an integer (nanoseconds), found "
            "a string \"1\"");
}

TEST(JepsenHistory, ReaderErrorsNameTheFile) {
  EXPECT_EQ(ErrorOf("{:type :invoke\n :f :read, :value nil :process 0]"),
            "h.edn:2:33: expected '}' to close the map opened at 1:1, found "
            "']'");
}

std::string ReadTestdata(const std::string& name) {
  std::ifstream in("checkers/linearizability/testdata/" + name,
                   std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

TEST(JepsenHistory, GoodTestdataIsLinearizable) {
  const History h = Parse(ReadTestdata("jepsen_cas_ok.edn"));
  EXPECT_EQ(h.size(), 9u);  // 10 client invokes, one :fail dropped.
  EXPECT_TRUE(CheckLinearizability(h).linearizable());
}

// Random byte edits of a good history: each result is parsed, converted
// and, when it converts, checked. Nothing may crash, and every rejection
// is a positioned message.
TEST(JepsenHistory, MutationsNeverCrash) {
  const std::string good = ReadTestdata("jepsen_cas_ok.edn");
  ASSERT_FALSE(good.empty());
  constexpr char kInteresting[] = "{}[]()#\"\\:;, \n0123456789-N.e";
  Prng prng(20240611);
  int converted = 0;
  int rejected = 0;
  for (int round = 0; round < 4000; ++round) {
    std::string text = good;
    const int edits = static_cast<int>(prng.Range(1, 4));
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = prng.Uniform(text.size());
      const char byte =
          prng.Ratio(1, 2)
              ? kInteresting[prng.Uniform(sizeof(kInteresting) - 1)]
              : static_cast<char>(prng.Uniform(256));
      switch (prng.Uniform(4)) {
        case 0:
          text[at] = byte;
          break;
        case 1:
          text.insert(at, 1, byte);
          break;
        case 2:
          text.erase(at, 1 + prng.Uniform(8));
          break;
        default:
          text.resize(at);  // Truncation.
      }
    }
    absl::StatusOr<History> h = ParseJepsenEdnHistory(text, "m.edn");
    if (h.ok()) {
      ++converted;
      CheckLinearizability(*h);
    } else {
      ++rejected;
      EXPECT_THAT(std::string(h.status().message()),
                  MatchesRegex("m\\.edn:[0-9]+:[0-9]+: .*expected .+"))
          << "round " << round;
    }
  }
  // Both outcomes are exercised.
  EXPECT_GT(converted, 100);
  EXPECT_GT(rejected, 1000);
}

}  // namespace
}  // namespace raftsim::checkers
