// Communication between the processes of one data-parallel run. The trainer
// talks to a Communicator only; backends sit behind it: one process (no-op
// collectives), MPI (comm_world_mpi.cpp, Debian's OpenMPI), and later NCCL for
// GPUs, which would implement the same calls on device buffers.
//
// Every rank must call the collectives in the same order with the same
// sizes (MPI's rule). Results are the same on every rank.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace gt {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Ranks on this rank's machine (for the default thread count per rank).
  virtual int local_size() const = 0;
  virtual std::string backend() const = 0;  // "single", "mpi"

  // In place: data[i] = sum over ranks of data[i].
  virtual void allreduce_sum(float* data, int64_t n) = 0;
  virtual void allreduce_sum(double* data, int64_t n) = 0;
  virtual void allreduce_max(double* data, int64_t n) = 0;
  // Concatenation in rank order of every rank's `send` (counts[r] floats from
  // rank r; counts identical on every rank) into recv, on every rank.
  virtual void allgather(const float* send, float* recv, const std::vector<int64_t>& counts) = 0;
  // Every rank's 64-bit value, in rank order.
  virtual std::vector<uint64_t> allgather(uint64_t value) = 0;
  // root's bytes to every rank (data must hold `bytes` on every rank).
  virtual void broadcast(void* data, int64_t bytes, int root) = 0;
  virtual void barrier() = 0;
  // Wall time this process has spent inside collectives (waiting included).
  virtual double seconds_in_collectives() const { return 0.0; }
  // Ends every rank of the job with this exit code: what a rank that cannot
  // go on does (after printing why), so the others do not wait for it forever.
  [[noreturn]] virtual void abort(int code) = 0;
};

// One process: collectives are identities.
std::unique_ptr<Communicator> make_single_process_communicator();

// The process-wide communicator. init_world() picks MPI when this process
// was started by an MPI launcher (mpirun/mpiexec: OMPI_COMM_WORLD_SIZE,
// PMIX_RANK or PMI_SIZE in the environment) and gt was built with MPI;
// otherwise one process. A launch with several ranks on a gt built without
// MPI is an error (each copy would train alone and write the same files).
void init_world(int* argc, char*** argv);
Communicator& world();
// Finalises MPI (after the last collective).
void finalize_world();
// What the environment says about the launch: 0 when no MPI launcher
// started this process, else the number of ranks it started (-1: a launcher
// that does not say how many).
int launcher_world_size();

}  // namespace gt
