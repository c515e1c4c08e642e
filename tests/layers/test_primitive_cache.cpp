// Primitives are made once per shape and reused: each layer counts the
// primitive sets it made, so a cache that rebuilt them on every call (or
// forgot a shape still in use) fails here.

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/primitive_cache.h"
#include "nmt/core/tensor.h"
#include "nmt/layers/attention.h"
#include "nmt/layers/linear.h"
#include "nmt/layers/lstm_layer.h"

using nmt::Tensor;

BOOST_AUTO_TEST_CASE(cache_makes_each_key_once_and_evicts_the_least_recently_used) {
  nmt::PrimitiveCache<int, std::string> cache(2);
  int made = 0;
  const auto get = [&](int key) { return *cache.get(key, [&] { ++made; return std::to_string(key); }); };
  BOOST_TEST(get(1) == "1");
  BOOST_TEST(get(2) == "2");
  BOOST_TEST(get(1) == "1");  // reused; 2 is now the least recent
  BOOST_TEST(made == 2);
  BOOST_TEST(get(3) == "3");  // full: evicts 2, not 1
  BOOST_TEST(cache.size() == 2u);
  BOOST_TEST(get(1) == "1");
  BOOST_TEST(made == 3);
  BOOST_TEST(get(2) == "2");  // made again
  BOOST_TEST(made == 4);
  BOOST_TEST(cache.created() == 4u);
}

BOOST_AUTO_TEST_CASE(an_entry_held_outlives_its_eviction) {
  nmt::PrimitiveCache<int, std::vector<int>> cache(1);
  const auto held = cache.get(1, [] { return std::vector<int>{7, 8}; });
  cache.get(2, [] { return std::vector<int>{9}; });
  BOOST_TEST(cache.size() == 1u);
  BOOST_TEST((*held == std::vector<int>{7, 8}));
}

BOOST_AUTO_TEST_CASE(linear_makes_primitives_once_per_row_count) {
  nmt::DnnContext context;
  nmt::layers::Linear layer(context, 4, 3);
  std::vector<float> x(10 * 4, 0.5f), y(10 * 3), dy(10 * 3, 1.0f), dx(10 * 4);
  for (int repeat = 0; repeat < 3; ++repeat) {
    layer.forward(x.data(), 10, y.data());
    layer.backward(x.data(), dy.data(), 10, dx.data());
  }
  BOOST_TEST(layer.primitives_created() == 1u);
  layer.forward(x.data(), 7, y.data());
  layer.forward(x.data(), 10, y.data());
  layer.forward(x.data(), 7, y.data());
  BOOST_TEST(layer.primitives_created() == 2u);
}

BOOST_AUTO_TEST_CASE(lstm_makes_primitives_once_per_shape_and_mode) {
  nmt::DnnContext context;
  nmt::layers::LstmLayer layer(context, 4, 6);
  const Tensor x5({5, 2, 4}), x3({3, 2, 4});
  for (int repeat = 0; repeat < 3; ++repeat) {
    layer.forward(x5, {}, true);
    layer.backward(x5, {}, Tensor({5, 2, 6}), {});
  }
  BOOST_TEST(layer.primitives_created() == 1u);
  layer.forward(x5, {}, false);  // inference: its own primitives
  layer.forward(x3, {}, true);
  layer.forward(x5, {}, true);
  layer.forward(x5, {}, false);
  BOOST_TEST(layer.primitives_created() == 3u);
}

BOOST_AUTO_TEST_CASE(attention_makes_primitives_once_per_shape) {
  nmt::DnnContext context;
  nmt::layers::LuongAttention layer(context, nmt::layers::AttentionType::general, 6, 6);
  const Tensor source({5, 2, 6}), states({4, 2, 6});
  for (int repeat = 0; repeat < 3; ++repeat) {
    layer.set_source(source, {5, 3});
    layer.forward(states);
  }
  BOOST_TEST(layer.primitives_created() == 1u);
}

BOOST_AUTO_TEST_CASE(onednn_keeps_few_primitives_of_its_own) {
  // The layers cache what they use; oneDNN's default of 1,024 more held
  // evicted shapes' kernels (120 MiB of a training run's peak).
  nmt::DnnContext context;
  if (std::getenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY") || std::getenv("DNNL_PRIMITIVE_CACHE_CAPACITY"))
    return;  // the user's setting wins
  BOOST_TEST(dnnl::get_primitive_cache_capacity() == nmt::DnnContext::kOneDnnPrimitiveCacheCapacity);
}
