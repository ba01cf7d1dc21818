// Built when zlib is not installed: gzip'd inputs get a clear error.
#include "core/error.h"
#include "data/gzip.h"

namespace gt {

bool gzip_supported() { return false; }

std::string gunzip(const std::string&, const std::string& path) {
  fail(path + ": gzip-compressed, but gt was built without zlib (install zlib1g-dev and "
       "rebuild, or gunzip the file first)");
}

}  // namespace gt
