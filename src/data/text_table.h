// Reading small text data files (CSV tables, one-record-per-line files) with
// error messages that point at the exact file, line and field. Every reader in
// src/data goes through these helpers so a bad input always ends in a gt::Error
// like `data/zinc/val.csv:58: field "y": "abc" is not a number`, never in a
// crash or a silently wrong value.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gt {

// The whole file as bytes, decompressed when it is gzip'd (detected by its
// magic number, whatever the name). Throws gt::Error naming the path (and the
// OS or zlib reason) when it cannot be opened, read or decompressed.
std::string read_file_bytes(const std::string& path);

// Walks the lines of a file already in memory. Strips a UTF-8 byte-order mark
// at the start and a CR before each LF (files edited on Windows), so callers
// only ever see the line content. Line numbers are 1-based, as editors show them.
class LineReader {
 public:
  explicit LineReader(std::string_view text);
  // Next line into *line (without the terminator); false at end of text. A
  // final terminator does not produce an extra empty line.
  bool next(std::string_view* line);
  int64_t line_number() const { return line_number_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_number_ = 0;
};

// "path:line: " prefix for error messages.
std::string location(const std::string& path, int64_t line);

// Splits on every occurrence of sep (no quoting: none of our tables needs it,
// and a quote character in a field is passed through unchanged).
void split_fields(std::string_view line, char sep, std::vector<std::string_view>* fields);

// Splits on each single space; empty tokens (double spaces, a leading or
// trailing space) are kept as empty views so the caller can reject them.
inline void split_tokens(std::string_view line, std::vector<std::string_view>* tokens) {
  split_fields(line, ' ', tokens);
}

// Strict number parsing: the whole field must be the number (no spaces, no
// trailing junk). Throws gt::Error "<where>field "<name>": ..." on failure;
// `where` is usually location(path, line).
double parse_finite_double(std::string_view field, const std::string& where, const std::string& name);
int64_t parse_int(std::string_view field, const std::string& where, const std::string& name);

// Quotes a field for an error message, shortening very long ones.
std::string quote_field(std::string_view field);

}  // namespace gt
