#include "data/text_table.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "data/gzip.h"

namespace gt {

std::string read_file_bytes(const std::string& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) fail(path + ": cannot open file (" + std::strerror(errno) + ")");
  std::string bytes;
  // One bulk read when the size is known; the loop also covers pipes.
  if (std::fseek(f.get(), 0, SEEK_END) == 0) {
    const long size = std::ftell(f.get());
    if (size > 0) bytes.reserve(static_cast<size_t>(size));
    std::rewind(f.get());
  }
  char buffer[1 << 16];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof buffer, f.get())) > 0) bytes.append(buffer, got);
  if (std::ferror(f.get())) fail(path + ": read error (" + std::strerror(errno) + ")");
  return is_gzip(bytes) ? gunzip(bytes, path) : bytes;
}

LineReader::LineReader(std::string_view text) : text_(text) {
  if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

bool LineReader::next(std::string_view* line) {
  if (pos_ >= text_.size()) return false;
  size_t end = text_.find('\n', pos_);
  const size_t next = end == std::string_view::npos ? text_.size() : end + 1;
  if (end == std::string_view::npos) end = text_.size();
  size_t stop = end;
  if (stop > pos_ && text_[stop - 1] == '\r') --stop;
  *line = text_.substr(pos_, stop - pos_);
  pos_ = next;
  ++line_number_;
  return true;
}

std::string location(const std::string& path, int64_t line) {
  return path + ":" + std::to_string(line) + ": ";
}

void split_fields(std::string_view line, char sep, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  while (true) {
    const size_t at = line.find(sep, start);
    if (at == std::string_view::npos) {
      fields->push_back(line.substr(start));
      return;
    }
    fields->push_back(line.substr(start, at - start));
    start = at + 1;
  }
}

std::string quote_field(std::string_view field) {
  constexpr size_t kMax = 80;
  if (field.size() <= kMax) return "\"" + std::string(field) + "\"";
  return "\"" + std::string(field.substr(0, kMax)) + "...\" (" + std::to_string(field.size()) +
         " characters)";
}

double parse_finite_double(std::string_view field, const std::string& where, const std::string& name) {
  const std::string prefix = where + "field \"" + name + "\": ";
  if (field.empty()) fail(prefix + "is empty (expected a number)");
  // from_chars is locale-independent and rejects leading spaces and '+',
  // which keeps parsing identical on every machine.
  const char* first = field.data();
  const char* last = first + field.size();
  if (*first == '+' && field.size() > 1 && first[1] != '-') ++first;
  double value = 0.0;
  const auto result = std::from_chars(first, last, value);
  if (result.ec == std::errc::result_out_of_range)
    fail(prefix + quote_field(field) + " is out of range for a double");
  if (result.ec != std::errc() || result.ptr != last) fail(prefix + quote_field(field) + " is not a number");
  if (!std::isfinite(value)) fail(prefix + quote_field(field) + " is not a finite number");
  return value;
}

int64_t parse_int(std::string_view field, const std::string& where, const std::string& name) {
  const std::string prefix = where + "field \"" + name + "\": ";
  if (field.empty()) fail(prefix + "is empty (expected an integer)");
  int64_t value = 0;
  const char* last = field.data() + field.size();
  const auto result = std::from_chars(field.data(), last, value);
  if (result.ec == std::errc::result_out_of_range) fail(prefix + quote_field(field) + " is out of range");
  if (result.ec != std::errc() || result.ptr != last)
    fail(prefix + quote_field(field) + " is not an integer");
  return value;
}

}  // namespace gt
