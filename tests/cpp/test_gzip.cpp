// gzip'd inputs: read_file_bytes decompresses by magic number (single and
// multi-member files), leaves plain files alone, and turns truncated or
// corrupt data into a gt::Error naming the file.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "data/gzip.h"
#include "data/text_table.h"

#if __has_include(<zlib.h>)
#include <zlib.h>
#endif

namespace gt {
namespace {

#if __has_include(<zlib.h>)
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("gt_test_gzip_" + name)).string();
}

void write_bytes(const std::string& path, const std::string& bytes) {
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
}

std::string raw_gzip(const std::string& text) {
  const std::string path = temp_path("raw.gz");
  gzFile f = gzopen(path.c_str(), "wb");
  gzwrite(f, text.data(), static_cast<unsigned>(text.size()));
  gzclose(f);
  FILE* in = std::fopen(path.c_str(), "rb");
  std::string bytes;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, in)) > 0) bytes.append(buf, n);
  std::fclose(in);
  return bytes;
}

TEST(Gzip, DecompressesByMagicAndLeavesPlainFilesAlone) {
  ASSERT_TRUE(gzip_supported());
  std::string text;
  for (int i = 0; i < 20000; ++i) text += std::to_string(i) + ",x\n";
  const std::string gz = raw_gzip(text);
  ASSERT_TRUE(is_gzip(gz));
  ASSERT_LT(gz.size(), text.size());
  const std::string p1 = temp_path("a.csv.gz"), p2 = temp_path("a.csv"), p3 = temp_path("b.dat");
  write_bytes(p1, gz);
  write_bytes(p2, text);
  write_bytes(p3, gz);  // any name: detection is by content
  EXPECT_EQ(read_file_bytes(p1), text);
  EXPECT_EQ(read_file_bytes(p2), text);
  EXPECT_EQ(read_file_bytes(p3), text);
  // Two members back to back decompress to the concatenation (as gunzip does).
  write_bytes(p1, gz + raw_gzip("tail\n"));
  EXPECT_EQ(read_file_bytes(p1), text + "tail\n");
}

TEST(Gzip, TruncatedOrCorruptDataIsAnErrorNamingTheFile) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += std::to_string(i * 7919) + "\n";
  const std::string gz = raw_gzip(text);
  const std::string path = temp_path("bad.csv.gz");
  for (size_t cut : {size_t(2), size_t(10), gz.size() / 2, gz.size() - 4}) {
    write_bytes(path, gz.substr(0, cut));
    try {
      read_file_bytes(path);
      ADD_FAILURE() << "truncated at " << cut << " of " << gz.size() << " bytes was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("gzip"), std::string::npos) << e.what();
    }
  }
  std::string corrupt = gz;
  corrupt[corrupt.size() / 2] ^= 0x5a;
  corrupt[corrupt.size() / 2 + 1] ^= 0x33;
  write_bytes(path, corrupt);
  EXPECT_THROW(read_file_bytes(path), Error);
}

#else  // built without zlib: gzip'd files are refused with a clear message

TEST(Gzip, WithoutZlibGzipInputIsAClearError) {
  EXPECT_FALSE(gzip_supported());
  try {
    gunzip("\x1f\x8b", "x.csv.gz");
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("without zlib"), std::string::npos) << e.what();
  }
}
#endif

}  // namespace
}  // namespace gt
