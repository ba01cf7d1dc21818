// Bump allocator for activations and scratch. A training step allocates from
// the arena and resets it at the start of the next step; once the arena has
// grown to the largest batch seen, a step performs no heap allocation.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace gt {

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  // 64-byte aligned, uninitialised floats / ints.
  float* floats(size_t n) { return static_cast<float*>(bytes(n * sizeof(float))); }
  float* zeros(size_t n);
  int32_t* ints(size_t n) { return static_cast<int32_t*>(bytes(n * sizeof(int32_t))); }
  void* bytes(size_t n);

  // Forget all allocations. If the last cycle overflowed into extra blocks,
  // replace everything by one block big enough for the whole cycle.
  void reset();

  size_t capacity() const { return capacity_; }
  size_t high_water() const { return high_water_; }
  // Number of heap allocations performed so far (tests check it stops growing).
  size_t heap_allocations() const { return heap_allocations_; }

 private:
  struct Block {
    char* data;
    size_t size;
  };
  std::vector<Block> blocks_;
  size_t used_in_current_ = 0;  // bytes used in blocks_.back()
  size_t used_total_ = 0;       // bytes handed out this cycle (incl. alignment)
  size_t capacity_ = 0;
  size_t high_water_ = 0;
  size_t heap_allocations_ = 0;
  void add_block(size_t min_bytes);
};

}  // namespace gt
