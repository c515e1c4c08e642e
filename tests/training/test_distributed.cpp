// Distributed outside a launcher: a job of one whose operations change
// nothing, and the launcher's rank count read from its environment.

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "nmt/training/distributed.h"

namespace {

// Sets an environment variable for one scope, restoring it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    if (value) ::setenv(name, value, 1);
    else ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (had_) ::setenv(name_.c_str(), old_.c_str(), 1);
    else ::unsetenv(name_.c_str());
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_, old_;
  bool had_ = false;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(distributed)

BOOST_AUTO_TEST_CASE(launcher_ranks_come_from_the_launchers_environment) {
  const ScopedEnv ompi("OMPI_COMM_WORLD_SIZE", nullptr), pmi("PMI_SIZE", nullptr), pmix("PMIX_RANK", nullptr),
      slurm("SLURM_STEP_NUM_TASKS", nullptr);
  BOOST_TEST(nmt::Distributed::launcher_ranks() == 1);
  {
    const ScopedEnv four("OMPI_COMM_WORLD_SIZE", "4");
    BOOST_TEST(nmt::Distributed::launcher_ranks() == 4);
  }
  {
    const ScopedEnv three("PMI_SIZE", "3");
    BOOST_TEST(nmt::Distributed::launcher_ranks() == 3);
  }
  {
    const ScopedEnv rank("PMIX_RANK", "0"), tasks("SLURM_STEP_NUM_TASKS", "8");
    BOOST_TEST(nmt::Distributed::launcher_ranks() == 8);
  }
  {
    const ScopedEnv one("OMPI_COMM_WORLD_SIZE", "1");
    BOOST_TEST(nmt::Distributed::launcher_ranks() == 1);
  }
}

BOOST_AUTO_TEST_CASE(a_job_of_one_changes_nothing) {
  auto& one = nmt::Distributed::single();
  BOOST_TEST(one.rank() == 0);
  BOOST_TEST(one.size() == 1);
  BOOST_TEST(one.is_root());
  BOOST_TEST(one.describe() == "rank 0 of 1");
  std::vector<float> values{1.5f, -2.0f, 3.25f};
  one.sum(values.data(), values.size(), "a test");
  one.broadcast(values.data(), values.size());
  BOOST_TEST(values == (std::vector<float>{1.5f, -2.0f, 3.25f}), boost::test_tools::per_element());
  double sums[2] = {4.0, 5.0};
  one.sum(sums, 2, "a test");
  BOOST_TEST(sums[0] == 4.0);
  BOOST_TEST(sums[1] == 5.0);
  BOOST_TEST(one.max(7, "a test") == 7);
  std::string bytes = "rank 0's state";
  one.broadcast(bytes);
  BOOST_TEST(bytes == "rank 0's state");
}

BOOST_AUTO_TEST_CASE(outside_a_launcher_the_job_has_one_rank) {
  const ScopedEnv ompi("OMPI_COMM_WORLD_SIZE", nullptr), pmi("PMI_SIZE", nullptr), pmix("PMIX_RANK", nullptr);
  const nmt::Distributed job(5);
  BOOST_TEST(job.size() == 1);
  BOOST_TEST(job.local_size() == 1);
  BOOST_TEST(job.is_root());
}

BOOST_AUTO_TEST_SUITE_END()
