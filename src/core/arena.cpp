#include "core/arena.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

#include <sys/mman.h>

namespace gt {

namespace {
constexpr size_t kAlign = 64;
constexpr size_t kHugePage = size_t{2} << 20;
size_t round_up(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }
}  // namespace

Arena::~Arena() {
  for (auto& b : blocks_) std::free(b.data);
}

void Arena::add_block(size_t min_bytes) {
  size_t size = round_up(std::max<size_t>(min_bytes, 1 << 20));
  void* p = nullptr;
  if (size >= kHugePage) {
    // Large blocks in 2 MiB pages where the kernel allows it (transparent
    // huge pages in "madvise" mode): the first touch of a ~500 MB step
    // arena then costs ~250 page faults instead of ~125,000.
    size = (size + kHugePage - 1) / kHugePage * kHugePage;
    p = std::aligned_alloc(kHugePage, size);
#ifdef MADV_HUGEPAGE
    if (p) madvise(p, size, MADV_HUGEPAGE);
#endif
  } else {
    p = std::aligned_alloc(kAlign, size);
  }
  if (!p) throw std::bad_alloc();
  blocks_.push_back({static_cast<char*>(p), size});
  capacity_ += size;
  used_in_current_ = 0;
  ++heap_allocations_;
}

void* Arena::bytes(size_t n) {
  n = round_up(n == 0 ? kAlign : n);
  if (blocks_.empty() || used_in_current_ + n > blocks_.back().size) {
    add_block(std::max(n, capacity_));  // grow geometrically
  }
  char* p = blocks_.back().data + used_in_current_;
  used_in_current_ += n;
  used_total_ += n;
  if (used_total_ > high_water_) high_water_ = used_total_;
  return p;
}

float* Arena::zeros(size_t n) {
  float* p = floats(n);
  std::memset(p, 0, n * sizeof(float));
  return p;
}

void Arena::reset() {
  if (blocks_.size() > 1) {
    // Headroom so that a slightly larger batch later does not grow it again.
    const size_t need = round_up(high_water_ + high_water_ / 4);
    for (auto& b : blocks_) std::free(b.data);
    blocks_.clear();
    capacity_ = 0;
    add_block(need);
  }
  used_in_current_ = 0;
  used_total_ = 0;
}

}  // namespace gt
