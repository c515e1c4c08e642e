#include "nmt/core/tensor.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>

#include "nmt/core/dnn_context.h"
#include "nmt/core/dnn_memory.h"
#include "nmt/core/error.h"

using namespace nmt;

BOOST_AUTO_TEST_SUITE(tensor)

BOOST_AUTO_TEST_CASE(is_zeroed_aligned_and_deep_copied) {
  Tensor a({2, 3, 4});
  BOOST_TEST(a.size() == 24);
  BOOST_TEST(a.rank() == 3);
  BOOST_TEST(reinterpret_cast<std::uintptr_t>(a.data()) % 64 == 0u);
  for (int64_t i = 0; i < a.size(); ++i) BOOST_TEST(a[i] == 0.0f);
  a[5] = 2.5f;
  Tensor b = a;
  b[5] = 1.0f;
  BOOST_TEST(a[5] == 2.5f);
  BOOST_TEST((b.shape() == Shape{2, 3, 4}));
}

BOOST_AUTO_TEST_CASE(resize_keeps_the_buffer_when_it_fits) {
  Tensor a({10, 10});
  const float* buffer = a.data();
  a.resize({5, 7});
  BOOST_TEST(a.data() == buffer);
  BOOST_TEST(a.size() == 35);
  a.resize({20, 10});
  BOOST_TEST(a.size() == 200);
  BOOST_CHECK_THROW(a.resize({-1, 2}), Error);
}

BOOST_AUTO_TEST_CASE(is_seen_by_onednn_without_a_copy) {
  DnnContext context;
  Tensor state({3, 6});
  const auto desc = plain_desc({1, 1, 3, 6}, dnnl::memory::format_tag::ldnc);
  dnnl::memory memory = as_memory(state, desc, context.engine());
  BOOST_TEST(memory.get_data_handle() == static_cast<void*>(state.data()));
  Tensor too_small({3, 5});
  BOOST_CHECK_THROW(as_memory(too_small, desc, context.engine()), Error);
}

BOOST_AUTO_TEST_SUITE_END()
