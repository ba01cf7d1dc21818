// A small, strict JSON value (RFC 8259) for configs, checkpoint metadata and
// safetensors headers. Own implementation so the core builds with only a
// compiler and CMake.
//
// - Objects keep insertion order (a resolved config dumps in the order a
//   person wrote it) and reject duplicate keys when parsed.
// - Every parsed value remembers its source name, line and column (1-based,
//   columns count UTF-8 code points), so a bad field is reported as
//   "<source>:<line>:<col>: <message>".
// - Numbers are doubles that also remember whether they were written as an
//   integer; an integer literal that fits in int64 is kept exactly.
// - Parse errors are gt::Error; parsing never recurses deeper than 512
//   levels, so hostile input cannot overflow the stack.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gt {

class Json {
 public:
  enum class Type { Null, Bool, Number, String, Array, Object };
  struct Member;  // one key/value pair of an object (defined below)
  using Array = std::vector<Json>;
  using Object = std::vector<Member>;

  // ---- construction -------------------------------------------------------
  Json() = default;  // null
  Json(std::nullptr_t) {}
  Json(bool b);
  // Integers (is_integer() true). Unsigned values above INT64_MAX are a gt::Error.
  Json(long long v);
  Json(int v) : Json(static_cast<long long>(v)) {}
  Json(long v) : Json(static_cast<long long>(v)) {}
  Json(unsigned v) : Json(static_cast<long long>(v)) {}
  Json(unsigned long v);
  Json(unsigned long long v);
  Json(double v);  // a non-integer number: dumps as "1.0", not "1"
  Json(const char* s);
  // Any other pointer would silently become a bool: refuse it at compile time.
  template <class T> Json(const T*) = delete;
  Json(std::string s);
  static Json array(Array items = {});
  static Json object();  // empty object; fill with set() or operator[]

  // Parses a complete JSON text. Errors: gt::Error
  // "<source_name>:<line>:<col>: <message>" (unterminated string, bad escape,
  // trailing comma, duplicate key, trailing garbage, invalid UTF-8, ...).
  // A leading UTF-8 byte-order mark is skipped.
  static Json parse(const std::string& text, const std::string& source_name);

  // Serialises. indent < 0: compact, no spaces ({"a":[1,2]}); indent >= 0:
  // one element per line, nested by `indent` spaces (like Python's
  // json.dumps(indent=n)). Integers print as integers; other numbers print
  // in the shortest form that round-trips, with ".0" added when it would
  // otherwise read back as an integer. Non-ASCII text is written as raw
  // UTF-8. A NaN or infinity (not representable in JSON) is a gt::Error.
  std::string dump(int indent = -1) const;

  // ---- type queries -------------------------------------------------------
  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::Null; }
  bool is_bool() const { return type_ == Type::Bool; }
  bool is_number() const { return type_ == Type::Number; }
  bool is_string() const { return type_ == Type::String; }
  bool is_array() const { return type_ == Type::Array; }
  bool is_object() const { return type_ == Type::Object; }
  // A number written as an integer literal that fits in int64 (or built
  // from an integer type).
  bool is_integer() const { return type_ == Type::Number && is_int_; }
  // "null", "bool", "number", "string", "array", "object".
  static const char* type_name(Type t);
  // Short description for error messages: `string "abc"`, `number 1.5`, `object`.
  std::string describe() const;

  // ---- value access (gt::Error naming where() on a type mismatch) ---------
  bool as_bool() const { return require(Type::Bool), bool_; }
  double as_double() const { return require(Type::Number), num_; }  // any number
  // An integral number in [lo, hi]. A number written with a fraction or
  // exponent is accepted only if its value is integral (64.0, 1e3).
  int64_t as_int64(int64_t lo = INT64_MIN, int64_t hi = INT64_MAX) const;
  int as_int() const;  // as_int64 within int's range
  const std::string& as_string() const { return require(Type::String), str_; }
  // Array elements.
  const Array& items() const { return require(Type::Array), arr_; }
  Array& items() { return require(Type::Array), arr_; }
  // Object members in insertion order.
  const Object& members() const { return require(Type::Object), obj_; }
  Object& members() { return require(Type::Object), obj_; }

  // ---- containers ---------------------------------------------------------
  // Elements of an array or members of an object; 0 for scalars.
  size_t size() const {
    return type_ == Type::Array ? arr_.size() : type_ == Type::Object ? obj_.size() : 0;
  }
  // Array element, range-checked. The int overloads keep j[0] from being
  // read as j[(const char*)0], i.e. a key lookup.
  const Json& operator[](size_t i) const;
  Json& operator[](size_t i) {
    return const_cast<Json&>(static_cast<const Json&>(*this)[i]);
  }
  const Json& operator[](int i) const { return (*this)[static_cast<size_t>(i)]; }
  Json& operator[](int i) { return (*this)[static_cast<size_t>(i)]; }
  // Object member or nullptr (also nullptr if this is not an object).
  // Linear search: objects here are small.
  const Json* find(const std::string& key) const;
  Json* find(const std::string& key) {
    return const_cast<Json*>(static_cast<const Json*>(this)->find(key));
  }
  const Member* find_member(const std::string& key) const;
  bool contains(const std::string& key) const { return find(key) != nullptr; }
  // Object member; gt::Error "<where>: missing key "<key>"" if absent.
  const Json& at(const std::string& key) const;
  // Object member, appended (as null) if absent. A null value becomes an
  // empty object first, so `Json j; j["a"]["b"] = 1;` builds nested objects.
  Json& operator[](const std::string& key);
  const Json& operator[](const std::string& key) const { return at(key); }  // = at(key)
  // Replaces the member's value, or appends it if the key is new.
  Json& set(const std::string& key, Json value);
  // Appends to an array (a null value becomes an empty array first).
  void push_back(Json value);

  // ---- source position (0 / empty for values not produced by parse) -------
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& source() const;
  // "<source>:<line>:<col>" for a parsed value, "" otherwise.
  std::string where() const;
  // Prefixes message with "<where>: " when the position is known.
  std::string located(const std::string& message) const;

  // Structural equality (numbers by value, objects in member order).
  friend bool operator==(const Json& a, const Json& b);
  friend bool operator!=(const Json& a, const Json& b) { return !(a == b); }

 private:
  friend class JsonParser;
  Type type_ = Type::Null;
  bool bool_ = false;
  bool is_int_ = false;
  double num_ = 0.0;
  int64_t int_ = 0;  // exact value when is_int_
  std::string str_;
  Array arr_;
  Object obj_;
  int line_ = 0, column_ = 0;
  std::shared_ptr<const std::string> source_;  // shared by all values of one parse

  void require(Type t) const;  // gt::Error naming where() if type_ != t
  void dump_to(std::string& out, int indent, int depth) const;
};

// One object member. key_line/key_column locate the key's opening quote
// (unknown-key errors point there); the value carries its own position.
struct Json::Member {
  std::string key;
  Json value;
  int key_line = 0, key_column = 0;
  // "<source>:<key_line>:<key_column>", or "" when not parsed.
  std::string key_where() const;
};

}  // namespace gt
