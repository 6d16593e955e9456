// checkers/linearizability/history_test.cc — the JSON-lines history format.

#include "checkers/linearizability/history.h"

#include <gtest/gtest.h>

namespace raftsim::checkers {
namespace {

constexpr char kGet[] =
    R"({"client":2,"kind":"get","key":"x","value":null,"expected":null,)"
    R"("output":"a","call":5,"return":15})";

std::string Error(const std::string& text) {
  absl::StatusOr<History> h = ParseHistoryJsonLines(text, "h.jsonl");
  EXPECT_FALSE(h.ok());
  return std::string(h.status().message());
}

TEST(HistoryFormat, ParsesAndRoundTrips) {
  absl::StatusOr<History> h = ParseHistoryJsonLines(
      std::string("\n  \n") + kGet + "\n" +
          R"({"return":null,"call":-3,"output":null,"expected":"\"\\\/\b\f\n\r\t","value":"\u00e9\ud83d\ude00","key":"","kind":"cas","client":-9223372036854775808})",
      "h.jsonl");
  ASSERT_TRUE(h.ok()) << h.status();
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].Describe(), "client 2 [5, 15] get(\"x\") -> \"a\"");
  EXPECT_EQ(*(*h)[1].expected, "\"\\/\b\f\n\r\t");
  EXPECT_EQ(*(*h)[1].value, "\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ((*h)[1].client, INT64_MIN);
  EXPECT_FALSE((*h)[1].completed());
  absl::StatusOr<History> again =
      ParseHistoryJsonLines(FormatHistoryJsonLines(*h), "again");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, *h);
  EXPECT_EQ(FormatOperationJson((*h)[0]), kGet);
}

TEST(HistoryFormat, SyntaxErrorsHaveLineAndColumn) {
  EXPECT_EQ(Error("\n[1]"), "h.jsonl:2:1: expected '{', found '['");
  EXPECT_EQ(Error(R"({"client" 1})"), "h.jsonl:1:11: expected ':', found '1'");
  EXPECT_EQ(Error(R"({"client":1} x)"),
            "h.jsonl:1:14: expected end of line after the object, found 'x'");
  EXPECT_EQ(
      Error(R"({"client":99999999999999999999})"),
      "h.jsonl:1:11: expected an integer that fits in 64 bits, found '9'");
  EXPECT_EQ(
      Error(R"({"client":1.5})"),
      "h.jsonl:1:12: expected an integer (no fraction or exponent), found '.'");
  EXPECT_EQ(
      Error(R"({"client":"\x"})"),
      R"(h.jsonl:1:13: expected one of \" \\ \/ \b \f \n \r \t \u, found 'x')");
  EXPECT_EQ(
      Error(R"({"client":"\ud800x"})"),
      R"(h.jsonl:1:18: expected \u low surrogate after a high surrogate, found 'x')");
  EXPECT_EQ(
      Error(R"({"client":1,"client":2})"),
      "h.jsonl:1:13: expected a new key, not a second \"client\", found '\"'");
  EXPECT_EQ(Error(R"({"client":[1]})"),
            "h.jsonl:1:11: expected a string, integer, true, false or null, "
            "found '['");
  EXPECT_EQ(Error(R"({"client":"a)"),
            "h.jsonl:1:13: expected closing '\"', found end of line");
}

TEST(HistoryFormat, SchemaErrors) {
  EXPECT_EQ(Error(R"({"client":"1"})"),
            "h.jsonl:1:11: expected \"client\" to be an integer, found string");
  EXPECT_EQ(Error(R"({"client":1,"colour":1})"),
            "h.jsonl:1:13: expected one of client, kind, key, value, expected, "
            "output, call, return; found key \"colour\"");
  EXPECT_EQ(Error(R"({"client":1})"),
            "h.jsonl:1: expected key \"kind\", found an object without it");
  EXPECT_EQ(
      Error(R"({"kind":"del"})"),
      "h.jsonl:1:9: expected kind \"get\", \"put\", \"append\" or \"cas\", "
      "found \"del\"");
}

std::string Line(const std::string& kind, const std::string& value,
                 const std::string& expected, const std::string& output,
                 const std::string& ret) {
  return R"({"client":1,"kind":")" + kind + R"(","key":"k","value":)" + value +
         R"(,"expected":)" + expected + R"(,"output":)" + output +
         R"(,"call":10,"return":)" + ret + "}";
}

TEST(HistoryFormat, OperationRules) {
  EXPECT_EQ(Error(Line("get", "null", "null", "\"a\"", "9")),
            "h.jsonl:1: get: expected return >= call (10), found 9");
  EXPECT_EQ(Error(Line("get", "null", "null", "null", "20")),
            "h.jsonl:1: get: expected output to be a string, found null");
  EXPECT_EQ(Error(Line("put", "null", "null", "null", "20")),
            "h.jsonl:1: put: expected value to be a string, found null");
  EXPECT_EQ(Error(Line("cas", "\"b\"", "null", "true", "20")),
            "h.jsonl:1: cas: expected expected to be a string, found null");
  EXPECT_EQ(Error(Line("cas", "\"b\"", "\"a\"", "\"a\"", "20")),
            "h.jsonl:1: cas: expected output to be a boolean, found a string");
  EXPECT_EQ(Error(Line("cas", "\"b\"", "\"a\"", "true", "null")),
            "h.jsonl:1: cas: expected output to be null (the outcome is "
            "unknown: return is null), found a boolean");
  EXPECT_EQ(Error(Line("append", "\"b\"", "\"a\"", "null", "20")),
            "h.jsonl:1: append: expected expected to be null, found a string");
  EXPECT_EQ(Error(Line("put", "\"b\"", "null", "true", "20")),
            "h.jsonl:1: put: expected output to be null, found a boolean");
}

}  // namespace
}  // namespace raftsim::checkers
