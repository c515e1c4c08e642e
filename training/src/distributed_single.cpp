// Distributed without MPI (built with -DNMT_MPI=OFF): always a job of one.

#include <cstdlib>

#include "nmt/core/error.h"
#include "nmt/training/distributed.h"

namespace nmt {

struct Distributed::Watchdog {};

bool Distributed::built_with_mpi() { return false; }

Distributed::Distributed(double) {
  if (launcher_ranks() > 1)
    throw Error("started as one of " + std::to_string(launcher_ranks()) +
                " MPI ranks, but this nmt was built without MPI (-DNMT_MPI=OFF): each rank would train a model "
                "of its own; rebuild with libopenmpi-dev installed, or run one process");
}

Distributed::Distributed(Single) {}

Distributed::~Distributed() = default;

void Distributed::sum(float*, std::size_t, const char*) {}
void Distributed::sum(double*, std::size_t, const char*) {}
int Distributed::max(int value, const char*) { return value; }
void Distributed::broadcast(float*, std::size_t) {}
void Distributed::broadcast(std::string&) {}

void Distributed::abort(int status) const { std::_Exit(status); }

}  // namespace nmt
