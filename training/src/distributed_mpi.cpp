// Distributed on MPI (built with -DNMT_MPI=ON). Only the thread that calls
// the constructor calls MPI (MPI_THREAD_FUNNELED); the watchdog thread never
// does: it ends the process, and the launcher ends the job.

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "nmt/core/error.h"
#include "nmt/training/distributed.h"

namespace nmt {

namespace {

using Clock = std::chrono::steady_clock;

// MPI counts are ints: larger buffers go in pieces.
constexpr std::size_t kMaxCount = INT_MAX / 2;

void check(int status, const char* call) {
  if (status == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(status, text, &length);
  throw Error(std::string("MPI: ") + call + " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

// Waits for a non-blocking operation, sleeping between tests: a blocking MPI
// wait spins a core, which on a machine with as many ranks as cores takes
// it from the rank doing the work (rank 0, validating).
void wait_politely(MPI_Request& request) {
  int done = 0;
  for (;;) {
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (done) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void broadcast_bytes(void* data, std::size_t bytes) {
  auto* p = static_cast<char*>(data);
  for (std::size_t done = 0; done < bytes;) {
    const std::size_t n = std::min(kMaxCount, bytes - done);
    MPI_Request request;
    check(MPI_Ibcast(p + done, static_cast<int>(n), MPI_BYTE, 0, MPI_COMM_WORLD, &request), "MPI_Ibcast");
    wait_politely(request);
    done += n;
  }
}

}  // namespace

// Ends the process when a collective has waited longer than the timeout.
struct Distributed::Watchdog {
  Watchdog(double timeout_seconds, std::string who) : timeout(timeout_seconds), rank(std::move(who)) {
    thread = std::thread([this] { watch(); });
  }
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex);
      quit = true;
    }
    wake.notify_one();
    thread.join();
  }

  // Marks the start and end of a wait for the other ranks.
  void enter(const char* operation) {
    what.store(operation);
    since.store(Clock::now().time_since_epoch().count());
  }
  void leave() { since.store(0); }

  void watch() {
    std::unique_lock<std::mutex> lock(mutex);
    while (!wake.wait_for(lock, std::chrono::milliseconds(250), [this] { return quit; })) {
      const auto started = since.load();
      if (started == 0) continue;
      const double waited =
          std::chrono::duration<double>(Clock::now().time_since_epoch() - Clock::duration(started)).count();
      if (waited < timeout) continue;
      std::fprintf(stderr,
                   "nmt train: error: %s waited %.0f s for the other ranks in %s (--collective-timeout %g): "
                   "a rank hangs or the network is down; ending the job (the last checkpoint is kept)\n",
                   rank.c_str(), waited, what.load(), timeout);
      std::fflush(stderr);
      std::_Exit(1);  // the launcher sees a rank fail and ends the others
    }
  }

  const double timeout;
  const std::string rank;
  std::atomic<Clock::rep> since{0};
  std::atomic<const char*> what{""};
  std::mutex mutex;
  std::condition_variable wake;
  bool quit = false;
  std::thread thread;
};

namespace {

// Scope of one watched collective.
class Watched {
 public:
  Watched(Distributed::Watchdog* watchdog, const char* what) : watchdog_(watchdog) {
    if (watchdog_) watchdog_->enter(what);
  }
  ~Watched() {
    if (watchdog_) watchdog_->leave();
  }
  Watched(const Watched&) = delete;
  Watched& operator=(const Watched&) = delete;

 private:
  Distributed::Watchdog* watchdog_;
};

template <class T>
void sum_in_place(T* values, std::size_t count, MPI_Datatype type) {
  for (std::size_t done = 0; done < count;) {
    const std::size_t n = std::min(kMaxCount, count - done);
    check(MPI_Allreduce(MPI_IN_PLACE, values + done, static_cast<int>(n), type, MPI_SUM, MPI_COMM_WORLD),
          "MPI_Allreduce");
    done += n;
  }
}

}  // namespace

bool Distributed::built_with_mpi() { return true; }

Distributed::Distributed(double collective_timeout_seconds) {
  if (launcher_ranks() <= 1) return;  // one process needs no MPI (nor its start-up time)
  int provided = 0;
  check(MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  initialized_ = true;
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  MPI_Comm local;
  check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &local), "MPI_Comm_split_type");
  check(MPI_Comm_size(local, &local_size_), "MPI_Comm_size");
  MPI_Comm_free(&local);
  if (size_ > 1 && collective_timeout_seconds > 0)
    watchdog_ = std::make_unique<Watchdog>(collective_timeout_seconds, describe());
}

Distributed::Distributed(Single) {}

Distributed::~Distributed() {
  watchdog_.reset();
  if (initialized_) MPI_Finalize();
}

void Distributed::sum(float* values, std::size_t count, const char* what) {
  if (size_ == 1) return;
  const Watched watched(watchdog_.get(), what);
  sum_in_place(values, count, MPI_FLOAT);
}

void Distributed::sum(double* values, std::size_t count, const char* what) {
  if (size_ == 1) return;
  const Watched watched(watchdog_.get(), what);
  sum_in_place(values, count, MPI_DOUBLE);
}

int Distributed::max(int value, const char* what) {
  if (size_ == 1) return value;
  const Watched watched(watchdog_.get(), what);
  int result = value;
  check(MPI_Allreduce(&value, &result, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  return result;
}

// Rank 0's side of a broadcast is watched: the others are waiting for it
// already (or hung), and a message over the eager limit (a training state with
// a long history) is not sent until they take it. Their side is not (see the
// header).
void Distributed::broadcast(float* values, std::size_t count) {
  if (size_ == 1) return;
  const Watched watched(is_root() ? watchdog_.get() : nullptr, "a broadcast from rank 0");
  broadcast_bytes(values, count * sizeof(float));
}

void Distributed::broadcast(std::string& bytes) {
  if (size_ == 1) return;
  const Watched watched(is_root() ? watchdog_.get() : nullptr, "a broadcast from rank 0");
  unsigned long long size = bytes.size();
  broadcast_bytes(&size, sizeof size);
  bytes.resize(static_cast<std::size_t>(size));
  broadcast_bytes(bytes.data(), bytes.size());
}

void Distributed::abort(int status) const {
  if (initialized_) MPI_Abort(MPI_COMM_WORLD, status);
  std::_Exit(status);
}

}  // namespace nmt
