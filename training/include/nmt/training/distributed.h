#pragma once
// Synchronous data parallelism over MPI: the processes (ranks) of one
// `mpirun` or `srun` job train one model together. Every rank holds the whole
// model and optimizer, computes the gradients of its share of each global
// batch, and the gradients are summed over the ranks before the same update
// runs everywhere. Rank 0 alone logs, validates and writes files; the others
// take its decisions from broadcasts.
//
// A process started without an MPI launcher, or built without MPI
// (-DNMT_MPI=OFF), is a job of one rank and every operation is a no-op.
//
// Failures: a rank that exits or dies makes the launcher end the whole job
// (Open MPI's default, "mpirun noticed that process rank N ... exited"). A
// rank that hangs without dying (stopped, stuck on a file system, a link
// down) cannot be noticed by the launcher: a watchdog ends this rank when a
// collective of the training step has waited longer than the timeout, and the
// launcher then ends the rest.

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

namespace nmt {

class Distributed {
 public:
  // Joins the job when the process was started by an MPI launcher (and nmt
  // was built with MPI); otherwise a job of one. collective_timeout_seconds:
  // how long a step's collective may wait for the other ranks before this
  // rank ends the job (0 = no limit).
  explicit Distributed(double collective_timeout_seconds = 300);
  ~Distributed();
  // A job of one that never initializes MPI, whatever the environment (for
  // training in-process, e.g. in tests).
  static Distributed& single();
  Distributed(const Distributed&) = delete;
  Distributed& operator=(const Distributed&) = delete;

  // Built with MPI support.
  static bool built_with_mpi();
  // The number of ranks the launcher started, from its environment, without
  // initializing MPI (1 when not started by a launcher).
  static int launcher_ranks();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }
  // Ranks on this machine (sharing its cores).
  int local_size() const { return local_size_; }
  // "rank 1 of 4", for messages.
  std::string describe() const;

  // Sums over all ranks, in place; every rank gets the same values. `what`
  // names the operation in the watchdog's message.
  void sum(float* values, std::size_t count, const char* what);
  void sum(double* values, std::size_t count, const char* what);
  // The largest of the ranks' values.
  int max(int value, const char* what);

  // Rank 0's values or bytes to every rank. The others wait without spinning
  // a core (they wait while rank 0 validates and writes files), and without
  // the watchdog: how long that takes has no bound. Rank 0's own wait (for
  // ranks that should be waiting already) is watched.
  void broadcast(float* values, std::size_t count);
  void broadcast(std::string& bytes);

  // Ends every rank of the job now, with this exit status (after this rank
  // hit an error the others cannot know of).
  [[noreturn]] void abort(int status) const;

  struct Watchdog;  // defined where MPI is

 private:
  struct Single {};
  explicit Distributed(Single);
  int rank_ = 0, size_ = 1, local_size_ = 1;
  bool initialized_ = false;
  std::unique_ptr<Watchdog> watchdog_;
};

}  // namespace nmt
