// gt::Json: parsing, positions, serialisation round trips, every error kind.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "core/json.h"

using gt::Json;

namespace {

// The gt::Error message of parsing text (source "t.json"), or "" if it parsed.
std::string parse_error(const std::string& text) {
  try {
    Json::parse(text, "t.json");
  } catch (const gt::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Json, ParsesScalarsAndContainers) {
  Json j = Json::parse(R"({"n": null, "t": true, "f": false, "i": -42, "d": 2.5,
                           "s": "hi", "a": [1, "x", []], "o": {}})", "t.json");
  ASSERT_TRUE(j.is_object());
  EXPECT_TRUE(j.at("n").is_null());
  EXPECT_TRUE(j.at("t").as_bool());
  EXPECT_FALSE(j.at("f").as_bool());
  EXPECT_EQ(j.at("i").as_int(), -42);
  EXPECT_TRUE(j.at("i").is_integer());
  EXPECT_FALSE(j.at("d").is_integer());
  EXPECT_DOUBLE_EQ(j.at("d").as_double(), 2.5);
  EXPECT_EQ(j.at("s").as_string(), "hi");
  ASSERT_EQ(j.at("a").size(), 3u);
  EXPECT_EQ(j.at("a")[1].as_string(), "x");
  EXPECT_TRUE(j.at("a")[2].is_array());
  EXPECT_EQ(j.at("o").size(), 0u);
  EXPECT_EQ(j.find("missing"), nullptr);
}

TEST(Json, ObjectsKeepInsertionOrder) {
  Json j = Json::parse(R"({"zeta": 1, "alpha": 2, "mid": 3})", "t.json");
  ASSERT_EQ(j.members().size(), 3u);
  EXPECT_EQ(j.members()[0].key, "zeta");
  EXPECT_EQ(j.members()[1].key, "alpha");
  EXPECT_EQ(j.members()[2].key, "mid");
  EXPECT_EQ(j.dump(), R"({"zeta":1,"alpha":2,"mid":3})");

  Json b;
  b["z"] = 1;
  b["a"]["inner"] = "x";  // null becomes an object
  b.set("z", 5);          // replaces in place, keeps position
  b["list"].push_back(true);
  EXPECT_EQ(b.dump(), R"({"z":5,"a":{"inner":"x"},"list":[true]})");
}

TEST(Json, RemembersPositions) {
  const std::string text = "{\n  \"a\": [1,\n        true],\n  \"b\":   \"x\"\n}";
  Json j = Json::parse(text, "cfg.json");
  EXPECT_EQ(j.line(), 1);
  EXPECT_EQ(j.column(), 1);
  EXPECT_EQ(j.at("a").where(), "cfg.json:2:8");
  EXPECT_EQ(j.at("a")[1].where(), "cfg.json:3:9");
  EXPECT_EQ(j.at("b").where(), "cfg.json:4:10");
  EXPECT_EQ(j.find_member("b")->key_where(), "cfg.json:4:3");
  EXPECT_EQ(j.at("b").source(), "cfg.json");
  EXPECT_EQ(Json(1).where(), "");  // built in code: no position
}

TEST(Json, ColumnsCountCodePoints) {
  // "é" is two bytes but one column.
  EXPECT_EQ(parse_error("{\"é\": 1,}"), "t.json:1:8: trailing comma in object");
}

TEST(Json, DumpCompactAndIndented) {
  Json j = Json::parse(R"({"a": [1, 2], "b": {"c": null}, "e": [], "f": {}})", "t.json");
  EXPECT_EQ(j.dump(), R"({"a":[1,2],"b":{"c":null},"e":[],"f":{}})");
  EXPECT_EQ(j.dump(2),
            "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {\n    \"c\": null\n  },\n"
            "  \"e\": [],\n  \"f\": {}\n}");
}

TEST(Json, NumbersPrintShortestAndRoundTrip) {
  EXPECT_EQ(Json(0.0007).dump(), "0.0007");
  EXPECT_EQ(Json(1e-6).dump(), "1e-06");
  EXPECT_EQ(Json(0.1).dump(), "0.1");
  EXPECT_EQ(Json(0.0).dump(), "0.0");   // stays a float for Python readers
  EXPECT_EQ(Json(24.0).dump(), "24.0");
  EXPECT_EQ(Json(1e22).dump(), "1e+22");
  EXPECT_EQ(Json(100000.0).dump(), "100000.0");
  EXPECT_EQ(Json(-2.5e-5).dump(), "-2.5e-05");
  EXPECT_EQ(Json(24).dump(), "24");
  EXPECT_EQ(Json(-7L).dump(), "-7");
  const double values[] = {1.0 / 3.0, 2.0 / 3.0, 1e300, -1e-300, 5e-324, 0.1 + 0.2,
                           std::numeric_limits<double>::max(), 123456.789, -0.0};
  for (double v : values) {
    const std::string s = Json(v).dump();
    const Json back = Json::parse(s, "t.json");
    EXPECT_FALSE(back.is_integer()) << s;
    EXPECT_EQ(back.as_double(), v) << s;
    EXPECT_EQ(std::signbit(back.as_double()), std::signbit(v)) << s;
  }
}

TEST(Json, IntegersAreExact) {
  Json j = Json::parse("[9007199254740993, -9223372036854775808, 9223372036854775807, 1e3, 64.0]",
                       "t.json");
  EXPECT_EQ(j[0].as_int64(), 9007199254740993LL);  // not representable as a double
  EXPECT_EQ(j[1].as_int64(), INT64_MIN);
  EXPECT_EQ(j[2].as_int64(), INT64_MAX);
  EXPECT_EQ(j[0].dump(), "9007199254740993");
  EXPECT_FALSE(j[3].is_integer());
  EXPECT_EQ(j[3].as_int(), 1000);  // integral value written as a real
  EXPECT_EQ(j[4].as_int(), 64);
  // Beyond int64: kept as a (non-integer) double.
  Json big = Json::parse("123456789012345678901", "t.json");
  EXPECT_FALSE(big.is_integer());
  EXPECT_DOUBLE_EQ(big.as_double(), 123456789012345678901.0);
}

TEST(Json, AccessorErrorsNamePosition) {
  Json j = Json::parse("{\"a\": 1.5, \"b\": 3000000000, \"c\": 3}", "t.json");
  auto msg = [](auto&& f) -> std::string {
    try {
      f();
    } catch (const gt::Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(msg([&] { j.at("a").as_int(); }), "t.json:1:7: expected an integer, got number 1.5");
  EXPECT_EQ(msg([&] { j.at("b").as_int(); }),
            "t.json:1:17: integer 3000000000 out of range [-2147483648, 2147483647]");
  EXPECT_EQ(msg([&] { j.at("c").as_string(); }), "t.json:1:34: expected string, got number 3");
  EXPECT_EQ(msg([&] { j.at("zz"); }), "t.json:1:1: missing key \"zz\"");
  EXPECT_EQ(msg([&] { j.at("c")[0]; }), "t.json:1:34: expected array, got number 3");
  EXPECT_EQ(msg([&] { j.at("c").as_int64(5, 10); }), "t.json:1:34: integer 3 out of range [5, 10]");
}

TEST(Json, StringsEscapesAndUnicode) {
  Json j = Json::parse(R"(["a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00", "raw é 中 😀", "\u0001"])",
                       "t.json");
  EXPECT_EQ(j[0].as_string(), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(j[1].as_string(), "\xC3\xA9\xE4\xB8\xAD");  // é 中
  EXPECT_EQ(j[2].as_string(), "\xF0\x9F\x98\x80");      // U+1F600 from a surrogate pair
  EXPECT_EQ(j[3].as_string(), "raw \xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80");
  EXPECT_EQ(j[4].as_string(), std::string("\x01"));
  // Dump escapes only what JSON requires and writes UTF-8 raw.
  EXPECT_EQ(j.dump(), "[\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\",\"\xC3\xA9\xE4\xB8\xAD\","
                      "\"\xF0\x9F\x98\x80\",\"raw \xC3\xA9 \xE4\xB8\xAD \xF0\x9F\x98\x80\",\"\\u0001\"]");
  EXPECT_EQ(Json::parse(j.dump(), "t.json"), j);
}

TEST(Json, RoundTripsDocument) {
  const std::string text = R"({"gpu": {"use": true, "id": 0}, "lr": 0.0007, "min": 1e-06,
    "name": "ZINC \"q\"", "dims": [64, 32, 16, 1], "nested": [[[]], {"k": [null, false]}],
    "neg": -0.5, "big": 1e+300})";
  Json a = Json::parse(text, "t.json");
  for (int indent : {-1, 0, 2, 4}) {
    Json b = Json::parse(a.dump(indent), "t.json");
    EXPECT_EQ(a, b) << indent;
    EXPECT_EQ(a.dump(indent), b.dump(indent));
  }
  EXPECT_NE(a, Json::parse(R"({"gpu": 1})", "t.json"));
}

TEST(Json, SkipsByteOrderMark) {
  EXPECT_EQ(Json::parse("\xEF\xBB\xBF{\"a\": 1}", "t.json").at("a").as_int(), 1);
}

TEST(Json, ErrorsCarryLineAndColumn) {
  struct Case {
    std::string text, error;
  };
  const Case cases[] = {
      {"{\"a\": \"abc", "t.json:1:7: unterminated string"},
      {"{\"a\": \"ab\nc\"}", "t.json:1:7: unterminated string (line break before the closing quote)"},
      {"{\"a\": 1,}", "t.json:1:8: trailing comma in object"},
      {"{\n  \"a\": [1, 2,\n  ]\n}", "t.json:2:13: trailing comma in array"},
      {"\"a\\qb\"", "t.json:1:3: invalid escape '\\q' in string"},
      {"{\"a\": 1,\n \"a\": 2}", "t.json:2:2: duplicate key \"a\" (first defined at 1:2)"},
      {"{} x", "t.json:1:4: unexpected character 'x' after the JSON value"},
      {"[1] [2]", "t.json:1:5: unexpected character '[' after the JSON value"},
      {"", "t.json:1:1: empty input: expected a JSON value"},
      {"   \n ", "t.json:2:2: empty input: expected a JSON value"},
      {"01", "t.json:1:1: leading zeros are not allowed"},
      {"1.", "t.json:1:3: invalid number: expected a digit after '.'"},
      {"1e+", "t.json:1:4: invalid number: expected a digit in the exponent"},
      {"-", "t.json:1:2: invalid number: expected a digit, got end of input"},
      {"[.5]", "t.json:1:2: expected a JSON value, got character '.'"},
      {"1e400", "t.json:1:1: number out of range: 1e400"},
      {"[1 2]", "t.json:1:4: expected ',' or ']' in array, got character '2'"},
      {"{\"a\" 1}", "t.json:1:6: expected ':' after key \"a\", got character '1'"},
      {"{1: 2}", "t.json:1:2: expected a string key in object, got character '1'"},
      {"{\"a\": 1 \"b\": 2}", "t.json:1:9: expected ',' or '}' in object, got character '\"'"},
      {"[True]", "t.json:1:2: invalid literal 'True' (JSON literals are true, false and null)"},
      {"[nul]", "t.json:1:2: invalid literal 'nul'"},
      {"NaN", "t.json:1:1: invalid literal 'NaN'"},
      {"{'a': 1}", "t.json:1:2: expected a string key in object, got character '''"},
      {"['a']", "t.json:1:2: strings must use double quotes"},
      {"// c\n{}", "t.json:1:1: comments are not allowed in JSON"},
      {"[1, [2", "t.json:1:7: unexpected end of input: array opened at 1:5 is not closed"},
      {"{\"a\": ", "t.json:1:7: unexpected end of input: object opened at 1:1 is not closed"},
      {"{\"a\": {\"b\": 1}", "t.json:1:15: unexpected end of input: object opened at 1:1 is not closed"},
      {"\"\\ud800x\"", "t.json:1:2: high surrogate \\u escape not followed by a low surrogate"},
      {"\"\\ud800\\u0041\"", "t.json:1:2: high surrogate \\u escape not followed by a low surrogate"},
      {"\"\\udc00\"", "t.json:1:2: unpaired low surrogate in \\u escape"},
      {"\"\\u12g4\"", "t.json:1:6: invalid \\u escape: expected 4 hex digits, got character 'g'"},
      {"\"a\tb\"", "t.json:1:3: unescaped control character in string (byte 0x09)"},
      {"\"\xFF\"", "t.json:1:2: invalid UTF-8 in string"},
      {"\"\xC3\"", "t.json:1:2: invalid UTF-8 in string"},
      {"\"\xC0\x80\"", "t.json:1:2: invalid UTF-8 in string"},          // overlong NUL
      {"\"\xED\xA0\x80\"", "t.json:1:2: invalid UTF-8 in string"},      // encoded surrogate
      {"\"\xF4\x90\x80\x80\"", "t.json:1:2: invalid UTF-8 in string"},  // > U+10FFFF
      {"\"abc\\", "t.json:1:1: unterminated string"},
  };
  for (const Case& c : cases) EXPECT_EQ(parse_error(c.text), c.error) << "input: " << c.text;
}

TEST(Json, DeepNestingIsAnErrorNotACrash) {
  EXPECT_EQ(parse_error(std::string(100000, '[')), "t.json:1:513: nesting deeper than 512 levels");
  const std::string ok = std::string(500, '[') + std::string(500, ']');
  EXPECT_EQ(parse_error(ok), "");
}

TEST(Json, TruncatedInputNeverCrashes) {
  const std::string text = R"({"a": [1, 2.5e-3, "x\u00e9\n"], "b": {"c": true, "d": null}})";
  for (size_t n = 0; n < text.size(); ++n) EXPECT_NE(parse_error(text.substr(0, n)), "") << n;
  EXPECT_EQ(parse_error(text), "");
}

TEST(Json, NonFiniteCannotBeWritten) {
  EXPECT_THROW(Json(std::nan("")).dump(), gt::Error);
  EXPECT_THROW(Json(HUGE_VAL).dump(), gt::Error);
}

TEST(Json, TypeNamesAndDescriptions) {
  EXPECT_STREQ(Json::type_name(Json::Type::Object), "object");
  EXPECT_EQ(Json("abc").describe(), "string \"abc\"");
  EXPECT_EQ(Json(1.5).describe(), "number 1.5");
  EXPECT_EQ(Json::array().describe(), "array");
  EXPECT_EQ(Json(true).describe(), "true");
  EXPECT_EQ(Json().describe(), "null");
}
