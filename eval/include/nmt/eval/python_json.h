#pragma once
// JSON exactly as Python's json.dumps writes it (sacreBLEU prints its results
// with it): floats as repr() gives them (shortest round-trip digits, exponent
// below 1e-4 and from 1e16), Python's indentation and string escapes.

#include <nlohmann/json.hpp>

#include <string>

namespace nmt::eval {

// A float as json.dumps writes it, which is repr(value): "49.7", "100.0",
// "1e-05", "1e+16" (and NaN, Infinity).
std::string python_float_repr(double value);

// json.dumps(value, indent=indent, ensure_ascii=ensure_ascii). Keys keep their
// insertion order; numbers that are not integers print as Python floats.
std::string python_json_dumps(const nlohmann::ordered_json& value, int indent, bool ensure_ascii);

}  // namespace nmt::eval
