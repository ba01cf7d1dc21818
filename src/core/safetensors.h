// Hugging Face safetensors files: checkpoints and the PyTorch parity dump.
//
// Layout (https://github.com/huggingface/safetensors, "Format"):
//   8 bytes   N, unsigned little-endian: length of the JSON header
//   N bytes   JSON header, UTF-8, padded with spaces so 8 + N is a multiple of 8:
//             {"__metadata__": {"k": "v", ...},                    (optional)
//              "<name>": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, ...}
//   rest      raw little-endian tensor data; offsets are relative to the
//             first byte after the header, end - begin = numel * dtype size.
// Files written here follow the official writer: "__metadata__" first, then
// tensors ordered by dtype size (largest first, so each tensor is naturally
// aligned in the file) and then by name, packed with no gaps. The official
// Python package reads them.
//
// Reading never trusts the file: a truncated file, a header length beyond the
// file, bad JSON, an unknown dtype, offsets out of range or overlapping, or a
// shape that does not match its byte count is a gt::Error naming the file
// (and the tensor), never a crash or an out-of-bounds read.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace gt {

enum class DType { F32, F64, I32, I64, U8 };

// The format's dtype string: "F32", "F64", "I32", "I64", "U8".
const char* dtype_name(DType dtype);
// Bytes per element: 4, 8, 4, 8, 1.
size_t dtype_size(DType dtype);
// The DType for a C++ element type (float, double, int32_t, int64_t, uint8_t).
template <class T> constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::F32; }
template <> constexpr DType dtype_of<double>() { return DType::F64; }
template <> constexpr DType dtype_of<int32_t>() { return DType::I32; }
template <> constexpr DType dtype_of<int64_t>() { return DType::I64; }
template <> constexpr DType dtype_of<uint8_t>() { return DType::U8; }

// "[2, 3]"; "[]" for a scalar.
std::string shape_string(const std::vector<int64_t>& shape);

// A tensor to write: borrowed, row-major, host-endian (little-endian) data of
// numel(shape) * dtype_size(dtype) bytes. data may be null only if that is 0.
// An empty shape is a scalar (one element).
struct TensorRef {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  const void* data;
};

// Writes a safetensors file atomically (temp file, fsync, rename; see
// file_io.h). Names must be non-empty, unique and not "__metadata__";
// dimensions must be >= 0. gt::Error on invalid input or I/O failure.
void write_safetensors(const std::string& path, const std::vector<TensorRef>& tensors,
                       const std::map<std::string, std::string>& metadata);

// The same file as bytes in memory (tests, embedding in other containers).
std::string serialize_safetensors(const std::vector<TensorRef>& tensors,
                                  const std::map<std::string, std::string>& metadata);

// A safetensors file read fully into memory and validated.
class SafetensorsFile {
 public:
  // One tensor. Its bytes live in 8-byte-aligned storage owned by the entry,
  // so data() may be read as float*, int64_t*, ... directly.
  class Entry {
   public:
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;

    int64_t numel() const;
    size_t nbytes() const { return nbytes_; }
    const void* data() const { return words_.data(); }
    // Typed view; gt::Error naming the file and tensor if T does not match dtype.
    template <class T> const T* as() const {
      check_dtype(dtype_of<T>());
      return static_cast<const T*>(data());
    }
    const float* f32() const { return as<float>(); }
    const double* f64() const { return as<double>(); }
    const int32_t* i32() const { return as<int32_t>(); }
    const int64_t* i64() const { return as<int64_t>(); }
    const uint8_t* u8() const { return as<uint8_t>(); }

   private:
    friend class SafetensorsFile;
    std::string source_;           // file name, for messages
    std::vector<uint64_t> words_;  // the bytes, 8-byte aligned
    size_t nbytes_ = 0;
    void check_dtype(DType want) const;
  };

  // Reads and validates path. gt::Error "cannot open <path>: ..." or
  // "<path>: <what is wrong>".
  static SafetensorsFile read(const std::string& path);
  // Validates bytes already in memory; source_name is used in messages.
  static SafetensorsFile parse(const std::string& bytes, const std::string& source_name);

  const std::string& source() const { return source_; }
  // The "__metadata__" string map (empty if the file has none).
  const std::map<std::string, std::string>& metadata() const { return metadata_; }
  bool has(const std::string& name) const { return tensors_.count(name) != 0; }
  // Tensor names in sorted order.
  std::vector<std::string> names() const;
  size_t size() const { return tensors_.size(); }
  // The tensor, or nullptr if absent (no dtype check).
  const Entry* find(const std::string& name) const;
  // The tensor, checked to have this dtype. gt::Error
  // "<file>: no tensor named "x"" / "<file>: tensor "x" has dtype F64, expected F32".
  const Entry& get(const std::string& name, DType dtype) const;
  // As above, also checking the shape:
  // "<file>: tensor "x" has shape [2, 3], expected [3, 2]".
  const Entry& get(const std::string& name, DType dtype, const std::vector<int64_t>& shape) const;

 private:
  std::string source_;
  std::map<std::string, std::string> metadata_;
  std::map<std::string, Entry> tensors_;
};

}  // namespace gt
