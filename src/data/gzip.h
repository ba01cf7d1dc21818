// gzip'd data files (OGB ships every table as .csv.gz) are read directly.
#pragma once
#include <string>

namespace gt {

// True when gt was built with zlib.
bool gzip_supported();
// Decompresses a whole gzip file already in memory; `path` names it in
// errors (a truncated or corrupt file is a gt::Error, never a crash).
std::string gunzip(const std::string& compressed, const std::string& path);
// True when the bytes start with the gzip magic number.
inline bool is_gzip(const std::string& bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

}  // namespace gt
