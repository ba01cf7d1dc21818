// JSON value and strict recursive-descent parser (see json.h); the
// serialiser is in json_dump.cpp.
#include "core/json.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/error.h"

namespace gt {

Json::Json(bool b) : type_(Type::Bool), bool_(b) {}
Json::Json(long long v)
    : type_(Type::Number), is_int_(true), num_(static_cast<double>(v)), int_(v) {}
Json::Json(unsigned long v) : Json(static_cast<unsigned long long>(v)) {}
Json::Json(unsigned long long v) {
  if (v > static_cast<unsigned long long>(INT64_MAX))
    fail("integer " + std::to_string(v) + " is too large for a JSON value (max int64)");
  *this = Json(static_cast<long long>(v));
}
Json::Json(double v) : type_(Type::Number), num_(v) {}
Json::Json(const char* s) : type_(Type::String), str_(s) {}
Json::Json(std::string s) : type_(Type::String), str_(std::move(s)) {}

Json Json::array(Array items) {
  Json j;
  j.type_ = Type::Array;
  j.arr_ = std::move(items);
  return j;
}

Json Json::object() {
  Json j;
  j.type_ = Type::Object;
  return j;
}

const char* Json::type_name(Type t) {
  static const char* names[] = {"null", "bool", "number", "string", "array", "object"};
  return names[static_cast<int>(t)];
}

std::string Json::describe() const {
  switch (type_) {
    case Type::Null: return "null";
    case Type::Bool: return bool_ ? "true" : "false";
    case Type::Number: return "number " + (std::isfinite(num_) ? dump() : std::to_string(num_));
    case Type::String: {
      // Long strings are cut: the message should point, not quote a file.
      std::string s = str_.size() > 40 ? str_.substr(0, 37) + "..." : str_;
      return "string " + Json(s).dump();
    }
    default: return type_name(type_);
  }
}

const std::string& Json::source() const {
  static const std::string empty;
  return source_ ? *source_ : empty;
}

std::string Json::where() const {
  if (line_ == 0) return "";
  return source() + ":" + std::to_string(line_) + ":" + std::to_string(column_);
}

std::string Json::located(const std::string& message) const {
  std::string w = where();
  return w.empty() ? message : w + ": " + message;
}

std::string Json::Member::key_where() const {
  if (key_line == 0) return "";
  return value.source() + ":" + std::to_string(key_line) + ":" + std::to_string(key_column);
}

void Json::require(Type t) const {
  if (type_ != t) fail(located(std::string("expected ") + type_name(t) + ", got " + describe()));
}

int64_t Json::as_int64(int64_t lo, int64_t hi) const {
  require(Type::Number);
  int64_t v = int_;
  if (!is_int_) {
    // 2^63 is exactly representable; anything at or beyond it does not fit.
    const bool integral = std::isfinite(num_) && std::floor(num_) == num_ &&
                          num_ >= -9223372036854775808.0 && num_ < 9223372036854775808.0;
    if (!integral) fail(located("expected an integer, got " + describe()));
    v = static_cast<int64_t>(num_);
  }
  if (v < lo || v > hi)
    fail(located("integer " + std::to_string(v) + " out of range [" + std::to_string(lo) + ", " +
                 std::to_string(hi) + "]"));
  return v;
}

int Json::as_int() const { return static_cast<int>(as_int64(INT32_MIN, INT32_MAX)); }

const Json& Json::operator[](size_t i) const {
  require(Type::Array);
  if (i >= arr_.size())
    fail(located("index " + std::to_string(i) + " out of range for array of " +
                 std::to_string(arr_.size())));
  return arr_[i];
}

const Json::Member* Json::find_member(const std::string& key) const {
  if (type_ != Type::Object) return nullptr;
  for (const Member& m : obj_)
    if (m.key == key) return &m;
  return nullptr;
}

const Json* Json::find(const std::string& key) const {
  const Member* m = find_member(key);
  return m ? &m->value : nullptr;
}

const Json& Json::at(const std::string& key) const {
  require(Type::Object);
  const Json* v = find(key);
  if (!v) fail(located("missing key \"" + key + "\""));
  return *v;
}

Json& Json::operator[](const std::string& key) {
  if (type_ == Type::Null) type_ = Type::Object;
  require(Type::Object);
  if (Json* v = find(key)) return *v;
  obj_.push_back(Member{key, Json()});
  return obj_.back().value;
}

Json& Json::set(const std::string& key, Json value) {
  Json& slot = (*this)[key];
  slot = std::move(value);
  return slot;
}

void Json::push_back(Json value) {
  if (type_ == Type::Null) type_ = Type::Array;
  require(Type::Array);
  arr_.push_back(std::move(value));
}

bool operator==(const Json& a, const Json& b) {
  if (a.type_ != b.type_) return false;
  switch (a.type_) {
    case Json::Type::Null: return true;
    case Json::Type::Bool: return a.bool_ == b.bool_;
    case Json::Type::Number:
      return (a.is_int_ && b.is_int_) ? a.int_ == b.int_ : a.num_ == b.num_;
    case Json::Type::String: return a.str_ == b.str_;
    case Json::Type::Array: return a.arr_ == b.arr_;
    case Json::Type::Object:
      if (a.obj_.size() != b.obj_.size()) return false;
      for (size_t i = 0; i < a.obj_.size(); ++i)
        if (a.obj_[i].key != b.obj_[i].key || a.obj_[i].value != b.obj_[i].value) return false;
      return true;
  }
  return false;
}


class JsonParser {
 public:
  JsonParser(const std::string& text, const std::string& source)
      : t_(text), src_(std::make_shared<const std::string>(source)) {}

  Json parse_document() {
    if (t_.compare(0, 3, "\xEF\xBB\xBF") == 0) p_ = 3;  // UTF-8 BOM
    skip_ws();
    if (at_end()) error("empty input: expected a JSON value");
    Json v = parse_value();
    skip_ws();
    if (!at_end()) error("unexpected " + describe_here() + " after the JSON value");
    return v;
  }

 private:
  static constexpr int kMaxDepth = 512;
  const std::string& t_;
  std::shared_ptr<const std::string> src_;
  size_t p_ = 0;
  int line_ = 1, col_ = 1, depth_ = 0;

  [[noreturn]] void error_at(int line, int col, const std::string& msg) const {
    fail(*src_ + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + msg);
  }
  [[noreturn]] void error(const std::string& msg) const { error_at(line_, col_, msg); }

  bool at_end() const { return p_ >= t_.size(); }
  unsigned char peek() const { return at_end() ? 0 : static_cast<unsigned char>(t_[p_]); }
  // Columns count code points: continuation bytes do not advance them.
  void advance() {
    unsigned char c = peek();
    ++p_;
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col_;
    }
  }
  void skip_ws() {
    while (!at_end()) {
      unsigned char c = peek();
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance();
      } else if (c == '/' && p_ + 1 < t_.size() && (t_[p_ + 1] == '/' || t_[p_ + 1] == '*')) {
        error("comments are not allowed in JSON");
      } else {
        return;
      }
    }
  }
  std::string describe_here() const {
    if (at_end()) return "end of input";
    unsigned char c = peek();
    if (c >= 0x20 && c < 0x7F) return std::string("character '") + static_cast<char>(c) + "'";
    static const char* hex = "0123456789ABCDEF";
    return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
  }
  Json make(Json::Type t, int line, int col) const {
    Json j;
    j.type_ = t;
    j.line_ = line;
    j.column_ = col;
    j.source_ = src_;
    return j;
  }

  Json parse_value() {
    unsigned char c = peek();
    if (c == '{' || c == '[') {
      if (++depth_ > kMaxDepth) error("nesting deeper than 512 levels");
      Json v = parse_container();
      --depth_;
      return v;
    }
    if (c == '"') {
      Json v = make(Json::Type::String, line_, col_);
      v.str_ = parse_string();
      return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
    if (c == '\'') error("strings must use double quotes");
    return parse_literal();
  }

  Json parse_literal() {
    const int line = line_, col = col_;
    size_t end = p_;
    while (end < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[end])) || t_[end] == '_'))
      ++end;
    if (end == p_) error("expected a JSON value, got " + describe_here());
    const std::string word = t_.substr(p_, end - p_);
    Json v = make(Json::Type::Null, line, col);
    if (word == "true" || word == "false") {
      v.type_ = Json::Type::Bool;
      v.bool_ = word == "true";
    } else if (word != "null") {
      std::string lower;
      for (char ch : word) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const bool near = lower == "true" || lower == "false" || lower == "null" || lower == "none";
      error_at(line, col, "invalid literal '" + word + "'" +
                              (near ? " (JSON literals are true, false and null)" : ""));
    }
    while (p_ < end) advance();
    return v;
  }

  Json parse_number() {
    const int line = line_, col = col_;
    const size_t start = p_;
    auto digits = [&]() {
      size_t n = 0;
      while (peek() >= '0' && peek() <= '9') advance(), ++n;
      return n;
    };
    if (peek() == '-') advance();
    if (peek() == '0') {
      advance();
      if (peek() >= '0' && peek() <= '9') error_at(line, col, "leading zeros are not allowed");
    } else if (digits() == 0) {
      error("invalid number: expected a digit, got " + describe_here());
    }
    bool integer = true;
    if (peek() == '.') {
      integer = false;
      advance();
      if (digits() == 0) error("invalid number: expected a digit after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      integer = false;
      advance();
      if (peek() == '+' || peek() == '-') advance();
      if (digits() == 0) error("invalid number: expected a digit in the exponent");
    }
    const char* first = t_.data() + start;
    const char* last = t_.data() + p_;
    Json v = make(Json::Type::Number, line, col);
    if (integer) {
      int64_t i = 0;
      auto r = std::from_chars(first, last, i);
      if (r.ec == std::errc() && r.ptr == last) {
        v.is_int_ = true;
        v.int_ = i;
        v.num_ = static_cast<double>(i);
        return v;
      }
      // Beyond int64: fall through and keep it as a double.
    }
    double d = 0.0;
    auto r = std::from_chars(first, last, d);
    if (r.ec == std::errc::result_out_of_range) {
      // Underflow (1e-400) is a tiny number and reads as 0; overflow is an error.
      const std::string s(first, last);
      const bool negative_exponent =
          s.find("e-") != std::string::npos || s.find("E-") != std::string::npos;
      if (!negative_exponent) error_at(line, col, "number out of range: " + s);
      d = 0.0;
    } else if (r.ec != std::errc() || r.ptr != last) {
      error_at(line, col, "invalid number");
    }
    v.num_ = d;
    return v;
  }

  unsigned parse_hex4() {
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      unsigned char c = peek();
      unsigned d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else error("invalid \\u escape: expected 4 hex digits, got " + describe_here());
      v = v * 16 + d;
      advance();
    }
    return v;
  }

  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
      return;
    }
    const int extra = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;  // continuation bytes
    static const unsigned char lead[] = {0, 0xC0, 0xE0, 0xF0};
    out += static_cast<char>(lead[extra] | (cp >> (6 * extra)));
    for (int k = extra - 1; k >= 0; --k) out += static_cast<char>(0x80 | ((cp >> (6 * k)) & 0x3F));
  }

  // Handles one escape sequence; the cursor is on the backslash.
  void parse_escape(std::string& out) {
    const int line = line_, col = col_;
    advance();
    const unsigned char c = peek();
    if (at_end()) return;  // the caller reports the unterminated string
    advance();
    static const std::string from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
    if (c != 'u') {
      const size_t k = from.find(static_cast<char>(c));
      if (k == std::string::npos || c == 0) {
        std::string shown = c >= 0x20 && c < 0x7F ? std::string(1, static_cast<char>(c)) : "?";
        error_at(line, col, "invalid escape '\\" + shown + "' in string");
      }
      out += to[k];
      return;
    }
    uint32_t cp = parse_hex4();
    if (cp >= 0xDC00 && cp <= 0xDFFF) error_at(line, col, "unpaired low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (peek() != '\\' || p_ + 1 >= t_.size() || t_[p_ + 1] != 'u')
        error_at(line, col, "high surrogate \\u escape not followed by a low surrogate");
      advance();
      advance();
      uint32_t lo = parse_hex4();
      if (lo < 0xDC00 || lo > 0xDFFF)
        error_at(line, col, "high surrogate \\u escape not followed by a low surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    append_utf8(out, cp);
  }

  // Copies one multi-byte UTF-8 character, rejecting overlong forms,
  // surrogates and code points beyond U+10FFFF.
  void copy_utf8_char(std::string& out) {
    const unsigned char c = peek();
    int n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // beyond U+10FFFF
    } else {
      error("invalid UTF-8 in string");
    }
    for (int i = 1; i <= n; ++i) {
      if (p_ + i >= t_.size()) error("invalid UTF-8 in string (truncated sequence)");
      const unsigned char b = static_cast<unsigned char>(t_[p_ + i]);
      if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) error("invalid UTF-8 in string");
    }
    out.append(t_, p_, n + 1);
    for (int i = 0; i <= n; ++i) advance();
  }

  std::string parse_string() {
    const int line = line_, col = col_;
    advance();  // opening quote
    std::string out;
    for (;;) {
      if (at_end()) error_at(line, col, "unterminated string");
      const unsigned char c = peek();
      if (c == '"') {
        advance();
        return out;
      }
      if (c == '\\') {
        parse_escape(out);
      } else if (c == '\n') {
        error_at(line, col, "unterminated string (line break before the closing quote)");
      } else if (c < 0x20) {
        error("unescaped control character in string (" + describe_here() + ")");
      } else if (c >= 0x80) {
        copy_utf8_char(out);
      } else {
        out += static_cast<char>(c);
        advance();
      }
    }
  }

  // Reports the end of input inside a container, naming where it opened.
  [[noreturn]] void unclosed(const char* what, int line, int col) const {
    error(std::string("unexpected end of input: ") + what + " opened at " + std::to_string(line) +
          ":" + std::to_string(col) + " is not closed");
  }

  // Arrays and objects share the element loop; the cursor is on '[' or '{'.
  Json parse_container() {
    const bool is_array = peek() == '[';
    const char close = is_array ? ']' : '}';
    const char* what = is_array ? "array" : "object";
    Json c = make(is_array ? Json::Type::Array : Json::Type::Object, line_, col_);
    std::unordered_map<std::string, size_t> seen;  // object key -> member index
    advance();
    skip_ws();
    if (peek() == close) {
      advance();
      return c;
    }
    for (;;) {
      if (at_end()) unclosed(what, c.line_, c.column_);
      if (is_array) {
        c.arr_.push_back(parse_value());
      } else {
        parse_member(c, seen);
      }
      skip_ws();
      if (at_end()) unclosed(what, c.line_, c.column_);
      if (peek() == close) {
        advance();
        return c;
      }
      if (peek() != ',')
        error(std::string("expected ',' or '") + close + "' in " + what + ", got " + describe_here());
      const int comma_line = line_, comma_col = col_;
      advance();
      skip_ws();
      if (peek() == close) error_at(comma_line, comma_col, std::string("trailing comma in ") + what);
    }
  }

  // One "key": value pair of an object; the cursor is where the key should start.
  void parse_member(Json& obj, std::unordered_map<std::string, size_t>& seen) {
    if (peek() != '"') error("expected a string key in object, got " + describe_here());
    Json::Member m;
    m.key_line = line_;
    m.key_column = col_;
    m.key = parse_string();
    auto [it, fresh] = seen.emplace(m.key, obj.obj_.size());
    if (!fresh) {
      const Json::Member& first = obj.obj_[it->second];
      error_at(m.key_line, m.key_column,
               "duplicate key \"" + m.key + "\" (first defined at " +
                   std::to_string(first.key_line) + ":" + std::to_string(first.key_column) + ")");
    }
    skip_ws();
    if (peek() != ':') error("expected ':' after key \"" + m.key + "\", got " + describe_here());
    advance();
    skip_ws();
    if (at_end()) unclosed("object", obj.line_, obj.column_);
    m.value = parse_value();
    obj.obj_.push_back(std::move(m));
  }
};

Json Json::parse(const std::string& text, const std::string& source_name) {
  return JsonParser(text, source_name).parse_document();
}

}  // namespace gt
