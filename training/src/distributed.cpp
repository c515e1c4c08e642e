// What Distributed does the same with or without MPI.

#include <algorithm>
#include <cstdlib>
#include <string>

#include "nmt/training/distributed.h"

namespace nmt {

int Distributed::launcher_ranks() {
  // Open MPI's mpirun; MPICH's and Intel MPI's Hydra (and Slurm's PMI-2);
  // Slurm's srun --mpi=pmix names only the rank, and the task count.
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE"}) {
    if (const char* value = std::getenv(name)) return std::max(1, std::atoi(value));
  }
  if (std::getenv("PMIX_RANK")) {
    if (const char* tasks = std::getenv("SLURM_STEP_NUM_TASKS")) return std::max(1, std::atoi(tasks));
    return 2;  // a PMIx launcher of unknown size: more than one, MPI tells how many
  }
  return 1;
}

Distributed& Distributed::single() {
  static Distributed one{Single{}};
  return one;
}

std::string Distributed::describe() const {
  return "rank " + std::to_string(rank_) + " of " + std::to_string(size_);
}

}  // namespace nmt
