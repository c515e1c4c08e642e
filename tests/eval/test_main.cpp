#define BOOST_TEST_MODULE eval_unit_tests
#include <boost/test/unit_test.hpp>
