// RFC 4180 CSV with a header row, for the tables users bring (a SMILES CSV
// exported from pandas or a spreadsheet): quoted fields may hold commas,
// newlines and "" for a quote. text_table.h's split_fields is enough for gt's
// own unquoted tables; files written by other tools need this parser.
//
// Accepted beyond the RFC, because real exporters produce it: a UTF-8 byte
// order mark, LF / CRLF / lone-CR line ends, a missing final line end, blank
// lines (skipped, as pandas does), and a quote inside an unquoted field
// (kept literally, as Python's csv module does). Rejected with a gt::Error
// naming file, line and column: an unterminated quoted field, text after a
// closing quote, a row whose field count differs from the header's, a NUL
// byte, duplicate column names, and a file without a header.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gt {

class CsvTable {
 public:
  std::string path;                  // for error messages
  std::vector<std::string> columns;  // header names, in file order

  int64_t num_rows() const { return static_cast<int64_t>(row_line_.size()); }
  int32_t num_columns() const { return static_cast<int32_t>(columns.size()); }
  // Field `col` of data row `row` (0-based, header excluded), unquoted.
  std::string_view field(int64_t row, int32_t col) const {
    const size_t at = static_cast<size_t>(row) * columns.size() + static_cast<size_t>(col);
    return std::string_view(cells_).substr(cell_start_[at], cell_start_[at + 1] - cell_start_[at]);
  }
  // 1-based physical line on which data row `row` starts (quoted newlines
  // make rows span several lines).
  int64_t line(int64_t row) const { return row_line_[static_cast<size_t>(row)]; }
  // Index of the column named exactly `name`, or -1.
  int32_t find_column(std::string_view name) const;
  // Like find_column but throws: "<path>: no column "x"; columns are: a, b, c
  // (did you mean "X"?)". `role` says what the column was wanted for.
  int32_t require_column(std::string_view name, const std::string& role) const;
  // "<path>:<line>: column "<name>": " for a field of data row `row`.
  std::string where(int64_t row, int32_t col) const;

 private:
  friend class CsvBuilder;
  std::string cells_;               // every unquoted field, concatenated
  std::vector<size_t> cell_start_;  // rows * columns + 1 offsets into cells_
  std::vector<int64_t> row_line_;
};

// Parses CSV text already in memory (see the rules above).
CsvTable parse_csv(const std::string& path, std::string_view text);
// read_file_bytes (gzip'd files are decompressed) + parse_csv.
CsvTable read_csv(const std::string& path);

// The candidate closest to `name` (case-insensitive edit distance), or "" when
// none is close enough to be a plausible typo. For "did you mean" hints.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace gt
