// JSON serialiser: Json::dump (see json.h). Numbers print in the shortest
// form that round-trips; strings are escaped as RFC 8259 requires.
#include <charconv>
#include <cmath>

#include "core/error.h"
#include "core/json.h"

namespace gt {

namespace {

void escape_to(std::string& out, const std::string& s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    const char* short_form = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                           : c == '\t' ? "\\t" : c == '\r' ? "\\r" : c == '\b' ? "\\b"
                           : c == '\f' ? "\\f" : nullptr;
    if (short_form) {
      out += short_form;
    } else if (c < 0x20) {
      (out += "\\u00") += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

// Shortest decimal that reads back to the same double, laid out like
// Python's repr(): fixed notation for exponents in [-4, 16) ("0.0007",
// "100000.0"), otherwise scientific with a signed two-digit exponent
// ("1e-06", "1e+22"). Always contains '.' or 'e', so it never reads back as
// an integer.
std::string format_double(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  const std::string sci(buf, res.ptr);  // e.g. "-1.2345e-05"
  const size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  const int exp10 = std::stoi(sci.substr(e + 1));
  std::string sign;
  if (mant[0] == '-') sign = "-", mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  const int n = static_cast<int>(digits.size());
  if (exp10 >= -4 && exp10 < 16) {
    const int point = exp10 + 1;  // digits before the decimal point
    if (point <= 0) return sign + "0." + std::string(-point, '0') + digits;
    if (point >= n) return sign + digits + std::string(point - n, '0') + ".0";
    return sign + digits.substr(0, point) + "." + digits.substr(point);
  }
  std::string out = sign + digits.substr(0, 1);
  if (n > 1) out += "." + digits.substr(1);
  const int a = exp10 < 0 ? -exp10 : exp10;
  return out + (exp10 < 0 ? "e-" : "e+") + (a < 10 ? "0" : "") + std::to_string(a);
}

void newline_to(std::string& out, int indent, int depth) {
  if (indent < 0) return;
  out += '\n';
  out.append(static_cast<size_t>(indent) * depth, ' ');
}

}  // namespace

void Json::dump_to(std::string& out, int indent, int depth) const {
  switch (type_) {
    case Type::Null: out += "null"; return;
    case Type::Bool: out += bool_ ? "true" : "false"; return;
    case Type::String: escape_to(out, str_); return;
    case Type::Number: {
      if (is_int_) {
        out += std::to_string(int_);
        return;
      }
      if (!std::isfinite(num_)) fail(located("cannot write non-finite number to JSON"));
      out += format_double(num_);
      return;
    }
    case Type::Array:
    case Type::Object: {
      const bool is_array = type_ == Type::Array;
      out += is_array ? '[' : '{';
      for (size_t i = 0; i < size(); ++i) {
        if (i) out += ',';
        newline_to(out, indent, depth + 1);
        if (!is_array) {
          escape_to(out, obj_[i].key);
          out += indent < 0 ? ":" : ": ";
        }
        (is_array ? arr_[i] : obj_[i].value).dump_to(out, indent, depth + 1);
      }
      if (size()) newline_to(out, indent, depth);  // empty containers stay "[]" / "{}"
      out += is_array ? ']' : '}';
      return;
    }
  }
}

std::string Json::dump(int indent) const {
  std::string out;
  dump_to(out, indent, 0);
  return out;
}

}  // namespace gt
