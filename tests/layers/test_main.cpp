#define BOOST_TEST_MODULE nmt_layers
#include <boost/test/unit_test.hpp>
