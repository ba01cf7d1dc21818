#include "data/csv.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "core/edit_distance.h"
#include "core/error.h"
#include "data/text_table.h"

namespace gt {

// Parses records one by one into the table's flat cell storage; a class so
// the position, line counter and table travel together through the helpers.
class CsvBuilder {
 public:
  CsvBuilder(const std::string& path, std::string_view text) : text_(text) { table_.path = path; }
  CsvTable run();

 private:
  // Appends the next non-blank record's fields to cells_/cell_start_ and
  // returns its field count; 0 at end of text. Sets *record_line.
  size_t next_record(int64_t* record_line);
  // Reads one field starting at pos_; returns true when the record goes on
  // (a comma followed), false when it ended (line end or end of text).
  bool read_field(size_t field_index);
  void read_quoted(size_t field_index);
  // Consumes one line terminator (LF, CRLF or lone CR) at pos_.
  void end_line();
  std::string column_label(size_t field_index) const;
  void check_header(int64_t header_line) const;

  std::string_view text_;
  size_t pos_ = 0;
  int64_t line_ = 1;
  CsvTable table_;
};

namespace {

// Number of line ends (LF, CRLF, lone CR) in s, for line numbers after a
// quoted field that spans lines.
int64_t count_line_ends(std::string_view s) {
  int64_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') ++n;
    if (s[i] == '\r' && (i + 1 == s.size() || s[i + 1] != '\n')) ++n;
  }
  return n;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}


// The header for error messages; a very wide one is cut short.
std::string column_list(const std::vector<std::string>& columns) {
  constexpr size_t kMax = 30;
  std::string out;
  for (size_t i = 0; i < columns.size() && i < kMax; ++i) out += (i ? ", " : "") + quote_field(columns[i]);
  if (columns.size() > kMax) out += ", ... (" + std::to_string(columns.size()) + " columns)";
  return out;
}

}  // namespace

std::string CsvBuilder::column_label(size_t field_index) const {
  if (field_index < table_.columns.size()) return "column " + quote_field(table_.columns[field_index]);
  return "field " + std::to_string(field_index + 1);
}

void CsvBuilder::end_line() {
  if (pos_ < text_.size() && text_[pos_] == '\r') {
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
  } else if (pos_ < text_.size() && text_[pos_] == '\n') {
    ++pos_;
  }
  ++line_;
}

void CsvBuilder::read_quoted(size_t field_index) {
  const int64_t open_line = line_;
  ++pos_;  // the opening quote
  while (true) {
    const size_t quote = text_.find('"', pos_);
    if (quote == std::string_view::npos)
      fail(location(table_.path, open_line) + column_label(field_index) +
           ": quoted field is never closed (a \" opened here has no matching \" before the end "
           "of the file)");
    const std::string_view chunk = text_.substr(pos_, quote - pos_);
    table_.cells_.append(chunk);
    line_ += count_line_ends(chunk);
    pos_ = quote + 1;
    if (pos_ < text_.size() && text_[pos_] == '"') {  // "" is one literal quote
      table_.cells_.push_back('"');
      ++pos_;
      continue;
    }
    return;
  }
}

bool CsvBuilder::read_field(size_t field_index) {
  table_.cell_start_.push_back(table_.cells_.size());
  if (pos_ < text_.size() && text_[pos_] == '"') {
    read_quoted(field_index);
  } else {
    size_t end = pos_;
    while (end < text_.size() && text_[end] != ',' && text_[end] != '\n' && text_[end] != '\r') ++end;
    table_.cells_.append(text_.substr(pos_, end - pos_));
    pos_ = end;
  }
  if (pos_ >= text_.size()) return false;
  const char c = text_[pos_];
  if (c == ',') {
    ++pos_;
    return true;
  }
  if (c == '\n' || c == '\r') {
    end_line();
    return false;
  }
  // Only a quoted field can stop anywhere else: `"abc"def`.
  fail(location(table_.path, line_) + column_label(field_index) + ": unexpected " +
       quote_field(std::string(1, c)) +
       " after a closing quote (inside a quoted field write a quote as \"\")");
}

size_t CsvBuilder::next_record(int64_t* record_line) {
  while (pos_ < text_.size()) {
    // Blank lines carry no record (pandas skips them too).
    if (text_[pos_] == '\n' || text_[pos_] == '\r') {
      end_line();
      continue;
    }
    *record_line = line_;
    // "a,b," is 3 fields: after a comma read_field always reads one more.
    size_t fields = 0;
    while (read_field(fields++)) {
    }
    return fields;
  }
  return 0;
}

void CsvBuilder::check_header(int64_t header_line) const {
  // Unnamed columns (pandas writes its index under an empty name) may repeat;
  // a repeated name would make a column lookup ambiguous.
  std::unordered_map<std::string_view, size_t> seen;
  const std::vector<std::string>& cols = table_.columns;
  for (size_t i = 0; i < cols.size(); ++i) {
    if (cols[i].empty()) continue;
    const auto [it, fresh] = seen.emplace(cols[i], i);
    if (!fresh)
      fail(location(table_.path, header_line) + "column " + quote_field(cols[i]) +
           " appears twice in the header (columns " + std::to_string(it->second + 1) + " and " +
           std::to_string(i + 1) + ")");
  }
}

CsvTable CsvBuilder::run() {
  if (text_.size() >= 3 && text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  const size_t nul = text_.find('\0');
  if (nul != std::string_view::npos)
    fail(location(table_.path, 1 + count_line_ends(text_.substr(0, nul))) +
         "contains a NUL byte (not a text CSV file?)");
  int64_t line = 0;
  const size_t header_fields = next_record(&line);
  if (header_fields == 0) fail(table_.path + ": empty file (expected a header row naming the columns)");
  for (size_t i = 0; i < header_fields; ++i) {
    const size_t begin = table_.cell_start_[i];
    const size_t end = i + 1 < header_fields ? table_.cell_start_[i + 1] : table_.cells_.size();
    table_.columns.push_back(table_.cells_.substr(begin, end - begin));
  }
  check_header(line);
  table_.cells_.clear();
  table_.cell_start_.clear();
  while (true) {
    const size_t fields = next_record(&line);
    if (fields == 0) break;
    if (fields != header_fields)
      fail(location(table_.path, line) + "row has " + std::to_string(fields) + " field" +
           (fields == 1 ? "" : "s") + " but the header has " + std::to_string(header_fields) + " (" +
           column_list(table_.columns) + "); a field holding a comma or a line break must be quoted");
    table_.row_line_.push_back(line);
  }
  table_.cell_start_.push_back(table_.cells_.size());
  return std::move(table_);
}

int32_t CsvTable::find_column(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<int32_t>(i);
  return -1;
}

int32_t CsvTable::require_column(std::string_view name, const std::string& role) const {
  const int32_t at = find_column(name);
  if (at >= 0) return at;
  std::string message =
      path + ": no column " + quote_field(name) + " (" + role + "); the header has " + column_list(columns);
  const std::string hint = closest_name(name, columns);
  if (!hint.empty()) message += " (did you mean " + quote_field(hint) + "?)";
  fail(message);
}

std::string CsvTable::where(int64_t row, int32_t col) const {
  return location(path, line(row)) + "column " + quote_field(columns[static_cast<size_t>(col)]) + ": ";
}

CsvTable parse_csv(const std::string& path, std::string_view text) { return CsvBuilder(path, text).run(); }

CsvTable read_csv(const std::string& path) { return parse_csv(path, read_file_bytes(path)); }

std::string closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string want = lower(name);
  std::string best;
  size_t best_distance = std::max<size_t>(2, want.size() / 3) + 1;  // beyond this it is not a typo
  for (const std::string& c : candidates) {
    // Lengths alone rule most candidates out; this also keeps a huge name
    // from costing a quadratic distance computation.
    const size_t gap = c.size() > want.size() ? c.size() - want.size() : want.size() - c.size();
    if (gap >= best_distance || c.size() > 256) continue;
    const size_t d = edit_distance(want, lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

}  // namespace gt
