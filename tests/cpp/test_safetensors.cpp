// safetensors writer/reader (exact byte layout, round trips, corrupt files)
// and the file_io helpers it is built on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file_io.h"
#include "core/safetensors.h"

using gt::DType;
using gt::SafetensorsFile;
using gt::TensorRef;

namespace {

// A fresh scratch directory per test, removed afterwards.
class StorageScratch : public ::testing::Test {
 protected:
  std::string dir;
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "gt_st_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::string path(const std::string& name) const { return dir + "/" + name; }
};

std::string error_of(const std::string& bytes) {
  try {
    SafetensorsFile::parse(bytes, "m.safetensors");
  } catch (const gt::Error& e) {
    return e.what();
  }
  return "";
}

// A file with the given header text (padded) and data bytes.
std::string hand_built(std::string header, const std::string& data) {
  header.append((8 - header.size() % 8) % 8, ' ');
  uint64_t n = header.size();
  return std::string(reinterpret_cast<const char*>(&n), 8) + header + data;
}

std::string floats(std::initializer_list<float> v) {
  return std::string(reinterpret_cast<const char*>(std::data(v)), v.size() * sizeof(float));
}

using SafetensorsFiles = StorageScratch;
using FileIo = StorageScratch;

}  // namespace

TEST(Safetensors, ByteLayoutMatchesSpec) {
  const float a[2] = {1.0f, 2.0f};
  const std::string bytes = gt::serialize_safetensors({{"a", DType::F32, {2}, a}}, {});
  const std::string header = R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})";  // 54 bytes
  const std::string expect = std::string("\x38\0\0\0\0\0\0\0", 8) + header + "  " +
                             std::string("\x00\x00\x80\x3F\x00\x00\x00\x40", 8);
  EXPECT_EQ(bytes, expect);
}

TEST(Safetensors, MetadataFirstAndLargerDtypesFirst) {
  const int64_t b = 7;
  const uint8_t a[3] = {1, 2, 3};
  const std::string bytes =
      gt::serialize_safetensors({{"a", DType::U8, {3}, a}, {"b", DType::I64, {}, &b}}, {{"format", "pt"}});
  const std::string header =
      R"({"__metadata__":{"format":"pt"},"b":{"dtype":"I64","shape":[],"data_offsets":[0,8]},)"
      R"("a":{"dtype":"U8","shape":[3],"data_offsets":[8,11]}})";  // 137 bytes
  const std::string expect = std::string("\x90\0\0\0\0\0\0\0", 8) + header + std::string(7, ' ') +
                             std::string("\x07\0\0\0\0\0\0\0\x01\x02\x03", 11);
  EXPECT_EQ(bytes, expect);
}

TEST_F(SafetensorsFiles, RoundTripAllDtypesAndMetadata) {
  const std::vector<float> f32 = {1.5f, -2.25f, 3e-8f, 4.0f, 5.0f, 6.0f};
  const std::vector<double> f64 = {3.141592653589793, -1e300};
  const std::vector<int32_t> i32 = {-1, 0, 2147483647, 42};
  const std::vector<int64_t> i64 = {INT64_MIN};
  const std::vector<uint8_t> u8 = {0, 255, 7};
  const float scalar = 0.5f;
  const std::map<std::string, std::string> meta = {{"config", "{\"a\": 1}"}, {"lr", "0.0007"}, {"é", "ü"}};
  const std::string p = path("x.safetensors");
  gt::write_safetensors(p,
                        {{"w.f32", DType::F32, {2, 3}, f32.data()},
                         {"w.f64", DType::F64, {2}, f64.data()},
                         {"idx", DType::I32, {4}, i32.data()},
                         {"big", DType::I64, {1, 1}, i64.data()},
                         {"bytes", DType::U8, {3}, u8.data()},
                         {"scalar", DType::F32, {}, &scalar},
                         {"empty", DType::F32, {0, 5}, nullptr}},
                        meta);
  const SafetensorsFile f = SafetensorsFile::read(p);
  EXPECT_EQ(f.metadata(), meta);
  EXPECT_EQ(f.names(), (std::vector<std::string>{"big", "bytes", "empty", "idx", "scalar", "w.f32", "w.f64"}));
  const auto& e = f.get("w.f32", DType::F32, {2, 3});
  EXPECT_EQ(std::vector<float>(e.f32(), e.f32() + 6), f32);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(e.data()) % 8, 0u);
  EXPECT_EQ(std::vector<double>(f.get("w.f64", DType::F64).f64(), f.get("w.f64", DType::F64).f64() + 2), f64);
  EXPECT_EQ(std::vector<int32_t>(f.get("idx", DType::I32).i32(), f.get("idx", DType::I32).i32() + 4), i32);
  EXPECT_EQ(f.get("big", DType::I64, {1, 1}).i64()[0], INT64_MIN);
  EXPECT_EQ(f.get("bytes", DType::U8).u8()[1], 255);
  EXPECT_EQ(f.get("scalar", DType::F32, {}).numel(), 1);
  EXPECT_EQ(f.get("scalar", DType::F32).f32()[0], 0.5f);
  EXPECT_EQ(f.get("empty", DType::F32, {0, 5}).nbytes(), 0u);
  EXPECT_TRUE(f.has("idx"));
  EXPECT_FALSE(f.has("nope"));
  EXPECT_EQ(f.find("nope"), nullptr);
  // No temporary file is left behind.
  int files = 0;
  for (const auto& ent : std::filesystem::directory_iterator(dir)) files += 1, (void)ent;
  EXPECT_EQ(files, 1);
}

TEST(Safetensors, ReadsForeignLayout) {
  // Whitespace, other key order, metadata last, data order differing from names.
  const std::string file = hand_built(
      R"({ "w" : {"shape": [2], "data_offsets": [4, 12], "dtype": "F32"},)"
      R"( "v": {"dtype": "I32", "shape": [1], "data_offsets": [0, 4]}, "__metadata__": {"format": "pt"} })",
      std::string("\x05\0\0\0", 4) + floats({1.0f, -1.0f}));
  const SafetensorsFile f = SafetensorsFile::parse(file, "m.safetensors");
  EXPECT_EQ(f.metadata().at("format"), "pt");
  EXPECT_EQ(f.get("v", DType::I32).i32()[0], 5);
  EXPECT_EQ(f.get("w", DType::F32).f32()[1], -1.0f);
}

TEST(Safetensors, LookupErrorsNameFileAndTensor) {
  const float a[2] = {1, 2};
  const SafetensorsFile f =
      SafetensorsFile::parse(gt::serialize_safetensors({{"a", DType::F32, {2}, a}}, {}), "m.safetensors");
  auto err = [](auto&& fn) -> std::string {
    try {
      fn();
    } catch (const gt::Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(err([&] { f.get("b", DType::F32); }), "m.safetensors: no tensor named \"b\"");
  EXPECT_EQ(err([&] { f.get("a", DType::F64); }), "m.safetensors: tensor \"a\" has dtype F32, expected F64");
  EXPECT_EQ(err([&] { f.get("a", DType::F32, {1, 2}); }),
            "m.safetensors: tensor \"a\" has shape [2], expected [1, 2]");
  EXPECT_EQ(err([&] { f.get("a", DType::F32).i32(); }),
            "m.safetensors: tensor \"a\" has dtype F32, expected I32");
}

TEST(Safetensors, CorruptFilesAreErrors) {
  const std::string d8 = floats({1, 2});
  struct Case {
    std::string bytes, error;
  };
  const Case cases[] = {
      {"abc", "m.safetensors: truncated safetensors file (3 bytes, the 8-byte header length is missing)"},
      {std::string("\xff\xff\xff\xff\xff\xff\xff\x7f", 8) + "{}",
       "m.safetensors: header length 9223372036854775807 is larger than the 100 MB limit (corrupt file?)"},
      {std::string("\x40\0\0\0\0\0\0\0", 8) + "{}",
       "m.safetensors: header length 64 exceeds the file size (10 bytes): truncated file"},
      {hand_built("[]", ""), "m.safetensors: header does not start with '{'"},
      {hand_built("{\"a\": {\"dtype\": \"F32\",}}", ""), "m.safetensors (JSON header):1:22: trailing comma in object"},
      {hand_built(R"({"a": {"dtype": "F16", "shape": [1], "data_offsets": [0, 2]}})", "xx"),
       "m.safetensors: tensor \"a\": unsupported dtype \"F16\" (supported: F32, F64, I32, I64, U8)"},
      {hand_built(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 16]}})", d8),
       "m.safetensors: tensor \"a\": data_offsets [0, 16] outside the data section of 8 bytes"},
      {hand_built(R"({"a": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}})", d8),
       "m.safetensors: tensor \"a\": shape [3] of F32 needs 12 bytes but data_offsets span 8"},
      {hand_built(R"({"a": {"dtype": "F32", "shape": [-1], "data_offsets": [0, 8]}})", d8),
       "m.safetensors: tensor \"a\": shape has number -1, expected integers >= 0"},
      {hand_built(R"({"a": {"dtype": "U8", "shape": [4611686018427387904, 4], "data_offsets": [0, 8]}})", d8),
       "m.safetensors: tensor \"a\": shape [4611686018427387904, 4] of U8 needs too many bytes but "
       "data_offsets span 8"},
      {hand_built(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}})", d8),
       "m.safetensors: tensor \"a\": data_offsets [8, 0] outside the data section of 8 bytes"},
      {hand_built(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0]}})", d8),
       "m.safetensors: tensor \"a\": data_offsets must be [begin, end] integers"},
      {hand_built(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]},)"
                  R"( "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}})", d8),
       "m.safetensors: tensors \"a\" and \"b\" have overlapping data_offsets"},
      {hand_built(R"({"a": {"dtype": "F32", "shape": [2]}})", d8),
       "m.safetensors: tensor \"a\": header entry needs \"dtype\", \"shape\" and \"data_offsets\""},
      {hand_built(R"({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8], "x": 1}})", d8),
       "m.safetensors: tensor \"a\": unexpected field \"x\""},
      {hand_built(R"({"a": 5})", d8), "m.safetensors: tensor \"a\": header entry is number 5, expected an object"},
      {hand_built(R"({"__metadata__": {"k": 1}})", ""),
       "m.safetensors: __metadata__ \"k\" is number 1, expected a string"},
  };
  for (const Case& c : cases) EXPECT_EQ(error_of(c.bytes), c.error);
}

TEST(Safetensors, EveryTruncationAndByteFlipIsAnErrorNotACrash) {
  const float a[3] = {1, 2, 3};
  const int64_t b[2] = {4, 5};
  const std::string good =
      gt::serialize_safetensors({{"a", DType::F32, {3}, a}, {"b", DType::I64, {2}, b}}, {{"k", "v"}});
  ASSERT_EQ(error_of(good), "");
  for (size_t n = 0; n < good.size(); ++n) {
    // Dropping data bytes shrinks the data section below the offsets.
    EXPECT_NE(error_of(good.substr(0, n)), "") << "truncated to " << n;
  }
  // Flips may yield another valid file; they must never crash or read out of bounds.
  for (size_t i = 0; i < good.size(); ++i) {
    for (unsigned char x : {0x01, 0x20, 0x80, 0xFF}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ x);
      (void)error_of(bad);
    }
  }
}

TEST_F(SafetensorsFiles, WriteRejectsBadInputAndKeepsOldFile) {
  const float a[1] = {1};
  const std::string p = path("w.safetensors");
  gt::write_safetensors(p, {{"a", DType::F32, {1}, a}}, {});
  auto err = [&](const std::vector<TensorRef>& t) -> std::string {
    try {
      gt::write_safetensors(p, t, {});
    } catch (const gt::Error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(err({{"a", DType::F32, {1}, a}, {"a", DType::I32, {1}, a}}),
            p + ": safetensors: duplicate tensor name \"a\"");
  EXPECT_EQ(err({{"__metadata__", DType::F32, {1}, a}}),
            p + ": safetensors: \"__metadata__\" is not a valid tensor name");
  EXPECT_EQ(err({{"", DType::F32, {1}, a}}), p + ": safetensors: tensor name is empty");
  EXPECT_EQ(err({{"n", DType::F32, {-1}, a}}), p + ": safetensors: tensor \"n\" has invalid shape [-1]");
  EXPECT_EQ(err({{"n", DType::F32, {2}, nullptr}}), p + ": safetensors: tensor \"n\" has no data");
  // The earlier file is intact.
  EXPECT_EQ(SafetensorsFile::read(p).names(), std::vector<std::string>{"a"});
  EXPECT_THROW(gt::write_safetensors(path("no/such/dir/x.safetensors"), {}, {}), gt::Error);
  EXPECT_THROW(SafetensorsFile::read(path("missing.safetensors")), gt::Error);
}

TEST_F(FileIo, ReadWriteAtomic) {
  const std::string p = path("f.bin");
  const std::string bytes("a\0b\xff", 4);
  gt::write_file_atomic(p, bytes);
  EXPECT_EQ(gt::read_file(p), bytes);
  gt::write_file_atomic(p, "second");  // replaces
  EXPECT_EQ(gt::read_file(p), "second");
  gt::write_file_atomic(p, "");
  EXPECT_EQ(gt::read_file(p), "");
  EXPECT_TRUE(gt::path_exists(p));
  EXPECT_FALSE(gt::path_exists(p + ".tmp." + std::to_string(getpid())));
  try {
    gt::read_file(path("missing"));
    FAIL();
  } catch (const gt::Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open " + path("missing") + ": No such file or directory");
  }
  try {
    gt::read_file(dir);
    FAIL();
  } catch (const gt::Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot open " + dir + ": Is a directory");
  }
  EXPECT_THROW(gt::write_file_atomic(path("nodir/x"), "x"), gt::Error);
}

TEST_F(FileIo, AtomicWriterAbandonsOnException) {
  const std::string p = path("g.bin");
  gt::write_file_atomic(p, "old");
  try {
    gt::AtomicFileWriter w(p);
    w.write("partial new contents");
    throw std::runtime_error("interrupted");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(gt::read_file(p), "old");
  int files = 0;
  for (const auto& ent : std::filesystem::directory_iterator(dir)) files += 1, (void)ent;
  EXPECT_EQ(files, 1);
}

TEST_F(FileIo, MakeDirs) {
  gt::make_dirs(path("a/b/c/"));
  EXPECT_TRUE(std::filesystem::is_directory(path("a/b/c")));
  gt::make_dirs(path("a/b/c"));  // existing: fine
  gt::write_file_atomic(path("a/file"), "x");
  try {
    gt::make_dirs(path("a/file/sub"));
    FAIL();
  } catch (const gt::Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot create directory " + path("a/file") + ": Not a directory");
  }
  EXPECT_EQ(gt::parent_dir("a/b/c.txt"), "a/b");
  EXPECT_EQ(gt::parent_dir("c.txt"), ".");
  EXPECT_EQ(gt::parent_dir("/x"), "/");
  EXPECT_EQ(gt::parent_dir("a/b/"), "a");
}
