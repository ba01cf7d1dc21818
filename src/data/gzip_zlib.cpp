// gzip decompression through zlib (compiled when zlib is found; see
// gzip_none.cpp otherwise). Multi-member files (concatenated gzip streams, as
// `cat a.gz b.gz` makes) decompress to the concatenation, as gunzip does.
#include <zlib.h>

#include "core/error.h"
#include "data/gzip.h"

namespace gt {

bool gzip_supported() { return true; }

std::string gunzip(const std::string& compressed, const std::string& path) {
  std::string out;
  z_stream zs{};
  // 16 + MAX_WBITS: expect a gzip header and trailer (checked: CRC and length).
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) fail(path + ": cannot initialise zlib");
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  char buffer[1 << 16];
  int status = Z_OK;
  while (true) {
    zs.next_out = reinterpret_cast<Bytef*>(buffer);
    zs.avail_out = sizeof buffer;
    status = inflate(&zs, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - zs.avail_out);
    if (status == Z_STREAM_END) {
      if (zs.avail_in == 0) break;
      inflateReset(&zs);  // another gzip member follows
      continue;
    }
    if (status != Z_OK) break;
    if (zs.avail_in == 0 && zs.avail_out != 0) { status = Z_BUF_ERROR; break; }
  }
  const std::string why = zs.msg ? zs.msg : "unexpected end of data";
  inflateEnd(&zs);
  if (status != Z_STREAM_END)
    fail(path + ": corrupt or truncated gzip data (" + why + ") after " +
         std::to_string(out.size()) + " decompressed bytes");
  return out;
}

}  // namespace gt
