// The MPI backend (OpenMPI from Debian; any MPI-3 library works). Used when
// an MPI launcher started the process; a plain `gt` run never initialises
// MPI, so it needs no launcher and pays nothing.
#include <mpi.h>

#include <cstdio>
#include <cstdlib>

#include "core/comm.h"
#include "core/error.h"

namespace gt {

namespace {

void check(int rc, const char* what) {
  if (rc == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(rc, text, &len);
  fail(std::string("MPI ") + what + " failed: " + std::string(text, len));
}

// MPI counts are int: large buffers go in chunks.
constexpr int64_t kMaxChunk = int64_t{1} << 30;

class Mpi final : public Communicator {
 public:
  Mpi() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    MPI_Comm local;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local);
    MPI_Comm_size(local, &local_size_);
    MPI_Comm_free(&local);
    // Errors come back as return codes (check() turns them into gt::Error,
    // whose handler aborts the job) instead of MPI killing us silently.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  int local_size() const override { return local_size_; }
  std::string backend() const override { return "mpi"; }

  double seconds_in_collectives() const override { return seconds_; }

  void allreduce_sum(float* data, int64_t n) override { reduce(data, n, MPI_FLOAT, MPI_SUM); }
  void allreduce_sum(double* data, int64_t n) override { reduce(data, n, MPI_DOUBLE, MPI_SUM); }
  void allreduce_max(double* data, int64_t n) override { reduce(data, n, MPI_DOUBLE, MPI_MAX); }

  void allgather(const float* send, float* recv, const std::vector<int64_t>& counts) override {
    GT_CHECK(static_cast<int>(counts.size()) == size_, "allgather: one count per rank");
    std::vector<int> c(size_), displ(size_);
    int64_t total = 0;
    for (int r = 0; r < size_; ++r) {
      GT_CHECK(total + counts[r] < INT32_MAX, "allgather: more than 2^31 floats");
      c[r] = static_cast<int>(counts[r]);
      displ[r] = static_cast<int>(total);
      total += counts[r];
    }
    const double t0 = MPI_Wtime();
    check(MPI_Allgatherv(send, c[rank_], MPI_FLOAT, recv, c.data(), displ.data(), MPI_FLOAT,
                         MPI_COMM_WORLD),
          "Allgatherv");
    seconds_ += MPI_Wtime() - t0;
  }
  std::vector<uint64_t> allgather(uint64_t value) override {
    std::vector<uint64_t> all(size_);
    check(MPI_Allgather(&value, 1, MPI_UINT64_T, all.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD),
          "Allgather");
    return all;
  }
  void broadcast(void* data, int64_t bytes, int root) override {
    char* p = static_cast<char*>(data);
    for (int64_t off = 0; off < bytes; off += kMaxChunk)
      check(MPI_Bcast(p + off, static_cast<int>(std::min(kMaxChunk, bytes - off)), MPI_BYTE, root,
                      MPI_COMM_WORLD),
            "Bcast");
  }
  void barrier() override { check(MPI_Barrier(MPI_COMM_WORLD), "Barrier"); }
  [[noreturn]] void abort(int code) override {
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, code);
    std::exit(code);  // MPI_Abort does not return; the compiler does not know
  }

 private:
  template <class T>
  void reduce(T* data, int64_t n, MPI_Datatype type, MPI_Op op) {
    const double t0 = MPI_Wtime();
    for (int64_t off = 0; off < n; off += kMaxChunk)
      check(MPI_Allreduce(MPI_IN_PLACE, data + off, static_cast<int>(std::min(kMaxChunk, n - off)),
                          type, op, MPI_COMM_WORLD),
            "Allreduce");
    seconds_ += MPI_Wtime() - t0;
  }
  int rank_ = 0, size_ = 1, local_size_ = 1;
  double seconds_ = 0.0;
};

std::unique_ptr<Communicator>& world_ptr() {
  static std::unique_ptr<Communicator> w = make_single_process_communicator();
  return w;
}
bool g_mpi_initialised = false;

}  // namespace

void init_world(int* argc, char*** argv) {
  if (launcher_world_size() == 0 || g_mpi_initialised) return;
  int provided = 0;
  // FUNNELED: only the main thread calls MPI (OpenMP threads never do).
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "Init_thread");
  g_mpi_initialised = true;
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > 1) world_ptr() = std::make_unique<Mpi>();
}

Communicator& world() { return *world_ptr(); }

void finalize_world() {
  if (!g_mpi_initialised) return;
  world_ptr() = make_single_process_communicator();
  MPI_Finalize();
  g_mpi_initialised = false;
}

}  // namespace gt
