// safetensors writer and validating reader (see safetensors.h).
#include "core/safetensors.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/file_io.h"
#include "core/json.h"

// The format stores little-endian data and we copy it verbatim.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "safetensors I/O assumes a little-endian host");

namespace gt {

namespace {

// The official readers refuse larger headers; so do we (a corrupt length
// must not make us allocate gigabytes).
constexpr uint64_t kMaxHeaderBytes = 100u << 20;
constexpr const char* kMetadataKey = "__metadata__";

// numel(shape) with overflow and negative-dimension checks; -1 on failure.
int64_t checked_numel(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0 || __builtin_mul_overflow(n, d, &n)) return -1;
  }
  return n;
}

// Tensor bytes, or -1 if it overflows.
int64_t checked_nbytes(const std::vector<int64_t>& shape, DType dtype) {
  int64_t n = checked_numel(shape), b = 0;
  if (n < 0 || __builtin_mul_overflow(n, static_cast<int64_t>(dtype_size(dtype)), &b)) return -1;
  return b;
}

bool dtype_from_name(const std::string& s, DType* out) {
  for (DType d : {DType::F32, DType::F64, DType::I32, DType::I64, DType::U8}) {
    if (s == dtype_name(d)) {
      *out = d;
      return true;
    }
  }
  return false;
}

// The write plan: tensors in data order, their offsets, and the padded header.
struct Plan {
  std::vector<const TensorRef*> order;
  std::vector<size_t> nbytes;
  std::string header;  // length field + padded JSON
};

Plan plan_file(const std::vector<TensorRef>& tensors,
               const std::map<std::string, std::string>& metadata) {
  Plan plan;
  for (const TensorRef& t : tensors) plan.order.push_back(&t);
  // Official order: larger element size first (keeps every tensor aligned), then name.
  std::sort(plan.order.begin(), plan.order.end(), [](const TensorRef* a, const TensorRef* b) {
    const size_t sa = dtype_size(a->dtype), sb = dtype_size(b->dtype);
    return sa != sb ? sa > sb : a->name < b->name;
  });
  Json header = Json::object();
  if (!metadata.empty()) {
    Json& m = header[kMetadataKey];
    m = Json::object();
    for (const auto& [k, v] : metadata) m.set(k, v);
  }
  size_t offset = 0;
  for (size_t i = 0; i < plan.order.size(); ++i) {
    const TensorRef& t = *plan.order[i];
    if (t.name.empty()) fail("safetensors: tensor name is empty");
    if (t.name == kMetadataKey) fail("safetensors: \"__metadata__\" is not a valid tensor name");
    if (header.contains(t.name)) fail("safetensors: duplicate tensor name \"" + t.name + "\"");
    const int64_t nb = checked_nbytes(t.shape, t.dtype);
    if (nb < 0) fail("safetensors: tensor \"" + t.name + "\" has invalid shape " + shape_string(t.shape));
    if (nb > 0 && t.data == nullptr) fail("safetensors: tensor \"" + t.name + "\" has no data");
    Json entry = Json::object();
    entry.set("dtype", dtype_name(t.dtype));
    Json shape = Json::array();
    for (int64_t d : t.shape) shape.push_back(Json(static_cast<long long>(d)));
    entry.set("shape", shape);
    entry.set("data_offsets", Json::array({Json(offset), Json(offset + static_cast<size_t>(nb))}));
    header.set(t.name, std::move(entry));
    plan.nbytes.push_back(static_cast<size_t>(nb));
    offset += static_cast<size_t>(nb);
  }
  std::string json = header.dump();
  json.append((8 - json.size() % 8) % 8, ' ');  // data section starts 8-aligned
  uint64_t n = json.size();
  plan.header.assign(reinterpret_cast<const char*>(&n), 8);
  plan.header += json;
  return plan;
}

}  // namespace

const char* dtype_name(DType dtype) {
  switch (dtype) {
    case DType::F32: return "F32";
    case DType::F64: return "F64";
    case DType::I32: return "I32";
    case DType::I64: return "I64";
    case DType::U8: return "U8";
  }
  return "?";
}

size_t dtype_size(DType dtype) {
  switch (dtype) {
    case DType::F32: return 4;
    case DType::F64: return 8;
    case DType::I32: return 4;
    case DType::I64: return 8;
    case DType::U8: return 1;
  }
  return 0;
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string serialize_safetensors(const std::vector<TensorRef>& tensors,
                                  const std::map<std::string, std::string>& metadata) {
  Plan plan = plan_file(tensors, metadata);
  std::string out = std::move(plan.header);
  for (size_t i = 0; i < plan.order.size(); ++i)
    out.append(static_cast<const char*>(plan.order[i]->data), plan.nbytes[i]);
  return out;
}

void write_safetensors(const std::string& path, const std::vector<TensorRef>& tensors,
                       const std::map<std::string, std::string>& metadata) {
  Plan plan;
  try {
    plan = plan_file(tensors, metadata);
  } catch (const Error& e) {
    fail(path + ": " + e.what());
  }
  // Streams tensor data straight from the caller's buffers: no full copy.
  AtomicFileWriter w(path);
  w.write(plan.header);
  for (size_t i = 0; i < plan.order.size(); ++i)
    if (plan.nbytes[i] > 0) w.write(plan.order[i]->data, plan.nbytes[i]);
  w.commit();
}

// ===========================================================================
// Reader
// ===========================================================================

int64_t SafetensorsFile::Entry::numel() const { return checked_numel(shape); }

void SafetensorsFile::Entry::check_dtype(DType want) const {
  if (dtype != want)
    fail(source_ + ": tensor \"" + name + "\" has dtype " + dtype_name(dtype) + ", expected " +
         dtype_name(want));
}

SafetensorsFile SafetensorsFile::read(const std::string& path) {
  return parse(read_file(path), path);
}

namespace {

// Parses one tensor's header entry (not its data). `data_size` bounds the offsets.
void parse_entry(const std::string& src, const Json::Member& m, uint64_t data_size,
                 SafetensorsFile::Entry& e, uint64_t& begin, uint64_t& end) {
  auto bad = [&](const std::string& what) {
    fail(src + ": tensor \"" + m.key + "\": " + what);
  };
  if (!m.value.is_object()) bad("header entry is " + m.value.describe() + ", expected an object");
  for (const Json::Member& f : m.value.members())
    if (f.key != "dtype" && f.key != "shape" && f.key != "data_offsets")
      bad("unexpected field \"" + f.key + "\"");
  const Json* dt = m.value.find("dtype");
  const Json* sh = m.value.find("shape");
  const Json* off = m.value.find("data_offsets");
  if (!dt || !sh || !off) bad("header entry needs \"dtype\", \"shape\" and \"data_offsets\"");
  if (!dt->is_string()) bad("dtype is " + dt->describe() + ", expected a string");
  if (!dtype_from_name(dt->as_string(), &e.dtype))
    bad("unsupported dtype \"" + dt->as_string() + "\" (supported: F32, F64, I32, I64, U8)");
  if (!sh->is_array()) bad("shape is " + sh->describe() + ", expected an array");
  for (const Json& d : sh->items()) {
    if (!d.is_integer() || d.as_int64() < 0) bad("shape has " + d.describe() + ", expected integers >= 0");
    e.shape.push_back(d.as_int64());
  }
  if (!off->is_array() || off->size() != 2 || !(*off)[0].is_integer() || !(*off)[1].is_integer())
    bad("data_offsets must be [begin, end] integers");
  const int64_t b = (*off)[0].as_int64(), en = (*off)[1].as_int64();
  if (b < 0 || en < b || static_cast<uint64_t>(en) > data_size)
    bad("data_offsets [" + std::to_string(b) + ", " + std::to_string(en) +
        "] outside the data section of " + std::to_string(data_size) + " bytes");
  const int64_t nb = checked_nbytes(e.shape, e.dtype);
  if (nb < 0 || nb != en - b)
    bad("shape " + shape_string(e.shape) + " of " + dtype_name(e.dtype) + " needs " +
        (nb < 0 ? std::string("too many") : std::to_string(nb)) + " bytes but data_offsets span " +
        std::to_string(en - b));
  begin = static_cast<uint64_t>(b);
  end = static_cast<uint64_t>(en);
}

void parse_metadata(const std::string& src, const Json& m, std::map<std::string, std::string>& out) {
  if (!m.is_object()) fail(src + ": __metadata__ is " + m.describe() + ", expected an object");
  for (const Json::Member& kv : m.members()) {
    if (!kv.value.is_string())
      fail(src + ": __metadata__ \"" + kv.key + "\" is " + kv.value.describe() +
           ", expected a string");
    out[kv.key] = kv.value.as_string();
  }
}

}  // namespace

SafetensorsFile SafetensorsFile::parse(const std::string& bytes, const std::string& source_name) {
  const std::string& src = source_name;
  if (bytes.size() < 8)
    fail(src + ": truncated safetensors file (" + std::to_string(bytes.size()) +
         " bytes, the 8-byte header length is missing)");
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  const uint64_t avail = bytes.size() - 8;
  if (n > kMaxHeaderBytes)
    fail(src + ": header length " + std::to_string(n) + " is larger than the 100 MB limit (corrupt file?)");
  if (n > avail)
    fail(src + ": header length " + std::to_string(n) + " exceeds the file size (" +
         std::to_string(bytes.size()) + " bytes): truncated file");
  const std::string text = bytes.substr(8, n);
  if (text.empty() || text[0] != '{') fail(src + ": header does not start with '{'");
  const Json header = Json::parse(text, src + " (JSON header)");
  if (!header.is_object()) fail(src + ": header is not a JSON object");

  SafetensorsFile file;
  file.source_ = src;
  const uint64_t data_size = avail - n;
  const char* data = bytes.data() + 8 + n;
  struct Span {
    uint64_t begin, end;
    const std::string* name;
  };
  std::vector<Span> spans;
  for (const Json::Member& m : header.members()) {
    if (m.key == kMetadataKey) {
      parse_metadata(src, m.value, file.metadata_);
      continue;
    }
    Entry e;
    uint64_t begin = 0, end = 0;
    parse_entry(src, m, data_size, e, begin, end);
    e.name = m.key;
    e.source_ = src;
    e.nbytes_ = static_cast<size_t>(end - begin);
    e.words_.assign((e.nbytes_ + 7) / 8, 0);
    if (e.nbytes_ > 0) std::memcpy(e.words_.data(), data + begin, e.nbytes_);
    auto it = file.tensors_.emplace(m.key, std::move(e)).first;
    if (end > begin) spans.push_back({begin, end, &it->first});
  }
  // Two tensors sharing bytes means a corrupt (or malicious) header.
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  for (size_t i = 1; i < spans.size(); ++i)
    if (spans[i].begin < spans[i - 1].end)
      fail(src + ": tensors \"" + *spans[i - 1].name + "\" and \"" + *spans[i].name +
           "\" have overlapping data_offsets");
  return file;
}

std::vector<std::string> SafetensorsFile::names() const {
  std::vector<std::string> out;
  for (const auto& kv : tensors_) out.push_back(kv.first);
  return out;
}

const SafetensorsFile::Entry* SafetensorsFile::find(const std::string& name) const {
  auto it = tensors_.find(name);
  return it == tensors_.end() ? nullptr : &it->second;
}

const SafetensorsFile::Entry& SafetensorsFile::get(const std::string& name, DType dtype) const {
  const Entry* e = find(name);
  if (!e) fail(source_ + ": no tensor named \"" + name + "\"");
  e->check_dtype(dtype);
  return *e;
}

const SafetensorsFile::Entry& SafetensorsFile::get(const std::string& name, DType dtype,
                                                   const std::vector<int64_t>& shape) const {
  const Entry& e = get(name, dtype);
  if (e.shape != shape)
    fail(source_ + ": tensor \"" + name + "\" has shape " + shape_string(e.shape) + ", expected " +
         shape_string(shape));
  return e;
}

}  // namespace gt
