// checkers/linearizability/edn_test.cc — the EDN reader: every accepted form,
// positions, every error class with its exact LINE:COL, deep nesting and
// truncated input.

#include "checkers/linearizability/edn.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace raftsim::checkers {
namespace {

using ::testing::MatchesRegex;

EdnValue One(absl::string_view text) {
  absl::StatusOr<std::vector<EdnValue>> forms = ParseEdn(text);
  EXPECT_TRUE(forms.ok()) << forms.status();
  if (!forms.ok() || forms->size() != 1) {
    ADD_FAILURE() << "expected exactly one form in " << text;
    return EdnValue();
  }
  return (*forms)[0];
}

std::string ErrorOf(absl::string_view text) {
  absl::StatusOr<std::vector<EdnValue>> forms = ParseEdn(text);
  if (forms.ok()) return "(parsed)";
  EXPECT_EQ(forms.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(forms.status().message());
}

TEST(Edn, Scalars) {
  absl::StatusOr<std::vector<EdnValue>> forms = ParseEdn(
      "nil true false 42 -7 +3 0 12N -9223372036854775808 9223372036854775807 "
      ":invoke :jepsen.x/y foo a/b / - +a 1.5 -2e3 1.0M 3e+2");
  ASSERT_TRUE(forms.ok()) << forms.status();
  const std::vector<EdnValue>& v = *forms;
  ASSERT_EQ(v.size(), 21u);
  EXPECT_EQ(v[0].type, EdnType::kNil);
  EXPECT_EQ(v[1].type, EdnType::kBool);
  EXPECT_TRUE(v[1].boolean);
  EXPECT_FALSE(v[2].boolean);
  EXPECT_EQ(v[3].type, EdnType::kInt);
  EXPECT_EQ(v[3].integer, 42);
  EXPECT_EQ(v[4].integer, -7);
  EXPECT_EQ(v[5].integer, 3);
  EXPECT_EQ(v[6].integer, 0);
  EXPECT_EQ(v[7].integer, 12);
  EXPECT_EQ(v[8].integer, INT64_MIN);
  EXPECT_EQ(v[9].integer, INT64_MAX);
  EXPECT_EQ(v[10].type, EdnType::kKeyword);
  EXPECT_TRUE(v[10].is_keyword("invoke"));
  EXPECT_TRUE(v[11].is_keyword("jepsen.x/y"));
  for (int i : {12, 13, 14, 15, 16}) EXPECT_EQ(v[i].type, EdnType::kSymbol);
  EXPECT_EQ(v[13].text, "a/b");
  for (int i : {17, 18, 19, 20}) EXPECT_EQ(v[i].type, EdnType::kFloat);
  EXPECT_EQ(v[18].text, "-2e3");  // Kept as written.
}

TEST(Edn, Strings) {
  EXPECT_EQ(One(R"("a\"b\\c\nd\te\rf\bg\fh")").text, "a\"b\\c\nd\te\rf\bg\fh");
  EXPECT_EQ(One(R"("\u00e9\u20AC")").text, "\xc3\xa9\xe2\x82\xac");
  EXPECT_EQ(One(R"("\uD83D\uDE00")").text, "\xf0\x9f\x98\x80");
  EXPECT_EQ(One("\"two\nlines\"").text, "two\nlines");
  EXPECT_EQ(One("\"\"").text, "");
}

TEST(Edn, CollectionsCommasCommentsAndPositions) {
  const EdnValue v =
      One("; a history\n"
          "[1, [2 (3)] ; trailing\n"
          "  {:a 1, :b \"x\"} #{1 2} #inst \"2024\"]");
  ASSERT_EQ(v.type, EdnType::kVector);
  EXPECT_EQ(v.line, 2);
  EXPECT_EQ(v.column, 1);
  ASSERT_EQ(v.items.size(), 5u);
  EXPECT_EQ(v.items[1].type, EdnType::kVector);
  EXPECT_EQ(v.items[1].items[1].type, EdnType::kList);
  const EdnValue& map = v.items[2];
  ASSERT_EQ(map.type, EdnType::kMap);
  EXPECT_EQ(map.line, 3);
  EXPECT_EQ(map.column, 3);
  ASSERT_NE(map.Find("b"), nullptr);
  EXPECT_EQ(map.Find("b")->text, "x");
  EXPECT_EQ(map.Find("b")->line, 3);
  EXPECT_EQ(map.Find("b")->column, 13);
  EXPECT_EQ(map.Find("c"), nullptr);
  EXPECT_EQ(v.items[3].type, EdnType::kSet);
  EXPECT_EQ(v.items[4].type, EdnType::kTagged);
  EXPECT_EQ(v.items[4].text, "inst");
  EXPECT_EQ(v.items[4].items[0].text, "2024");
  EXPECT_EQ(FormatEdn(v), "[1 [2 (3)] {:a 1 :b \"x\"} #{1 2} #inst \"2024\"]");
}

TEST(Edn, TopLevelSequenceAndEmptyInput) {
  absl::StatusOr<std::vector<EdnValue>> forms =
      ParseEdn("{:a 1}\n{:a 2}{:a 3}\n\n");
  ASSERT_TRUE(forms.ok());
  ASSERT_EQ(forms->size(), 3u);
  EXPECT_EQ((*forms)[2].line, 2);
  EXPECT_EQ((*forms)[2].column, 7);
  absl::StatusOr<std::vector<EdnValue>> empty = ParseEdn(" ,; only\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST(Edn, FormatRoundTrips) {
  const std::string text =
      "{:type :invoke :f :cas :value [1 \"a\\\"\\n\\u0001\"] :x #{nil true} "
      ":y (a/b 1.5M) :z #t {}}";
  const EdnValue v = One(text);
  EXPECT_EQ(FormatEdn(v), text);
  EXPECT_EQ(FormatEdn(One(FormatEdn(v))), text);
  EXPECT_EQ(DescribeEdn(One("[1 2 3 4 5 6]"), 5), "[1 2 ...");
}

TEST(Edn, ErrorsCollections) {
  EXPECT_EQ(ErrorOf("{:a 1"),
            "1:6: expected '}' to close the map opened at 1:1, found end of "
            "input");
  EXPECT_EQ(ErrorOf("[1 2)"),
            "1:5: expected ']' to close the vector opened at 1:1, found ')'");
  EXPECT_EQ(ErrorOf("(1\n  2 }"),
            "2:5: expected ')' to close the list opened at 1:1, found '}'");
  EXPECT_EQ(ErrorOf("#{1"),
            "1:4: expected '}' to close the set opened at 1:1, found end of "
            "input");
  EXPECT_EQ(ErrorOf(")"), "1:1: expected a value, found ')'");
  EXPECT_EQ(ErrorOf("{:a 1 :b}"),
            "1:9: expected a value for the key :b, found '}'");
  EXPECT_EQ(ErrorOf("{:a 1 :a 2}"),
            "1:7: expected a new key, found a second :a");
  EXPECT_EQ(ErrorOf("#{1 \"x\" 1}"),
            "1:9: expected distinct elements, found a second 1");
}

TEST(Edn, ErrorsStrings) {
  EXPECT_EQ(ErrorOf("\"abc"),
            "1:5: expected '\"' to close the string opened at 1:1, found end "
            "of input");
  EXPECT_EQ(ErrorOf(R"("a\q")"),
            "1:4: expected one of \\\" \\\\ \\n \\t \\r \\b \\f \\u after "
            "'\\', found 'q'");
  EXPECT_EQ(ErrorOf("\"a\\"),
            "1:4: expected an escape character after '\\', found end of "
            "input");
  EXPECT_EQ(ErrorOf(R"("\u12G4")"),
            "1:6: expected 4 hex digits after \\u, found 'G'");
  EXPECT_EQ(ErrorOf(R"("\uDE00")"),
            "1:4: expected a code point that is not a lone low surrogate, "
            "found \\uDE00");
  EXPECT_EQ(ErrorOf(R"("\uD83Dx")"),
            "1:8: expected \\u and a low surrogate after a high surrogate, "
            "found 'x'");
  EXPECT_EQ(ErrorOf(R"("\uD83D\u0041")"),
            "1:10: expected a low surrogate DC00..DFFF, found \\u0041");
}

TEST(Edn, ErrorsNumbersAndSymbols) {
  EXPECT_EQ(ErrorOf("9223372036854775808"),
            "1:1: expected an integer that fits in 64 bits, found "
            "'9223372036854775808'");
  EXPECT_EQ(ErrorOf("[-9223372036854775809]"),
            "1:2: expected an integer that fits in 64 bits, found "
            "'-9223372036854775809'");
  EXPECT_EQ(ErrorOf("012"),
            "1:1: expected a number without leading zeros, found '012'");
  EXPECT_EQ(ErrorOf("12abc"), "1:1: expected a number, found '12abc'");
  EXPECT_EQ(ErrorOf("1/2"), "1:1: expected a number, found '1/2'");
  EXPECT_EQ(ErrorOf("1e"), "1:1: expected a number, found '1e'");
  EXPECT_EQ(ErrorOf("1.5N"), "1:1: expected a number, found '1.5N'");
  EXPECT_EQ(ErrorOf(":"), "1:1: expected a keyword such as :name, found ':'");
  EXPECT_EQ(ErrorOf("  ::a"),
            "1:3: expected a keyword such as :name, found '::a'");
  EXPECT_EQ(ErrorOf(".5"), "1:1: expected a symbol, found '.5'");
  EXPECT_EQ(ErrorOf("a/b/c"), "1:1: expected a symbol, found 'a/b/c'");
  EXPECT_EQ(ErrorOf("a/"), "1:1: expected a symbol, found 'a/'");
}

TEST(Edn, ErrorsDispatchAndBytes) {
  EXPECT_EQ(ErrorOf("\\c"),
            "1:1: expected a value (character literals are not supported), "
            "found '\\'");
  EXPECT_EQ(ErrorOf("#_ 1"),
            "1:2: expected '{' (a set) or a tag symbol after '#', found '_'");
  EXPECT_EQ(ErrorOf("#"),
            "1:2: expected '{' (a set) or a tag symbol after '#', found end "
            "of input");
  EXPECT_EQ(ErrorOf("#inst"),
            "1:6: expected a value after the tag #inst, found end of input");
  EXPECT_EQ(ErrorOf("#nil 1"),
            "1:1: expected a tag symbol after '#', found nil");
  EXPECT_EQ(ErrorOf("[1\n  2\n  @]"), "3:3: expected a value, found '@'");
  EXPECT_EQ(ErrorOf("'a"), "1:1: expected a value, found '''");
  EXPECT_EQ(ErrorOf("\x01"), "1:1: expected a value, found byte 0x01");
  EXPECT_EQ(ErrorOf("\xc3\xa9"), "1:1: expected a value, found byte 0xc3");
  EXPECT_EQ(ErrorOf(std::string("[\0]", 3)),
            "1:2: expected a value, found byte 0x00");
}

TEST(Edn, NestingIsBounded) {
  const std::string ok =
      std::string(kEdnMaxDepth, '[') + std::string(kEdnMaxDepth, ']');
  EXPECT_TRUE(ParseEdn(ok).ok());
  const std::string one_more =
      std::string(kEdnMaxDepth + 1, '[') + std::string(kEdnMaxDepth + 1, ']');
  EXPECT_EQ(ErrorOf(one_more),
            "1:101: expected at most 100 nested levels, found '[' opening "
            "level 101");
  // Hostile input: a million opening brackets of mixed kinds, and a long
  // chain of tags, end in the same error instead of a stack overflow.
  std::string deep;
  for (int i = 0; i < 1'000'000; ++i) deep += "[({"[i % 3];
  EXPECT_THAT(ErrorOf(deep),
              MatchesRegex("1:101: expected at most 100 nested levels, .*"));
  std::string tags;
  for (int i = 0; i < 100'000; ++i) tags += "#a ";
  EXPECT_EQ(ErrorOf(tags + "1"),
            "1:301: expected at most 100 nested levels, found '#' opening "
            "level 101");
  std::string sets;
  for (int i = 0; i < 1'000; ++i) sets += "#{";
  EXPECT_THAT(ErrorOf(sets),
              MatchesRegex("1:201: expected at most 100 nested levels, .*"));
}

TEST(Edn, EveryTruncationIsParsedOrAPositionedError) {
  const std::string doc =
      "{:type :invoke, :f :cas, :value [1 \"two\\n\"], :process 0, "
      ":time 12N} ; c\n"
      "{:x #{:a :b} :y (1.5 -2) :z #t nil :u \"\\u00e9\"}\n";
  ASSERT_TRUE(ParseEdn(doc).ok());
  for (size_t n = 0; n <= doc.size(); ++n) {
    absl::StatusOr<std::vector<EdnValue>> forms = ParseEdn(doc.substr(0, n));
    if (!forms.ok()) {
      EXPECT_THAT(std::string(forms.status().message()),
                  MatchesRegex("[0-9]+:[0-9]+: expected .+, found .+"))
          << "prefix " << n;
    }
  }
  EXPECT_EQ(ErrorOf(doc.substr(0, 18)),
            "1:19: expected '}' to close the map opened at 1:1, found end of "
            "input");
  EXPECT_EQ(ErrorOf(doc.substr(0, 39)),
            "1:40: expected '\"' to close the string opened at 1:36, found "
            "end of input");
}

}  // namespace
}  // namespace raftsim::checkers
