#include "nmt/eval/python_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "nmt/eval/python_text.h"

namespace nmt::eval {

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  char buffer[64];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific).ptr;
  const std::string scientific(buffer, end);  // "-4.97e+01": shortest round-trip digits
  const std::size_t e = scientific.find('e');
  const int exponent = std::atoi(scientific.c_str() + e + 1);
  if (exponent < -4 || exponent >= 16) return scientific;  // repr keeps the exponent form

  const bool negative = scientific[0] == '-';
  std::string digits;
  for (std::size_t i = negative ? 1 : 0; i < e; ++i)
    if (scientific[i] != '.') digits += scientific[i];
  std::string out = negative ? "-" : "";
  if (exponent < 0) return out + "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
  const auto integer_digits = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= integer_digits)
    return out + digits + std::string(integer_digits - digits.size(), '0') + ".0";
  return out + digits.substr(0, integer_digits) + "." + digits.substr(integer_digits);
}

namespace {

void append_escaped(std::string& out, const std::string& text, bool ensure_ascii) {
  out += '"';
  std::u32string code_points;
  decode_utf8(text, code_points);
  char hex[16];
  for (const char32_t c : code_points) {
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      default: break;
    }
    if (c < 0x20 || (ensure_ascii && c > 0x7E)) {
      if (c > 0xFFFF) {  // a surrogate pair, as Python writes it
        const char32_t v = c - 0x10000;
        std::snprintf(hex, sizeof hex, "\\u%04x\\u%04x", static_cast<unsigned>(0xD800 + (v >> 10)),
                      static_cast<unsigned>(0xDC00 + (v & 0x3FF)));
      } else {
        std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned>(c));
      }
      out += hex;
    } else {
      append_utf8(out, c);
    }
  }
  out += '"';
}

void dump(std::string& out, const nlohmann::ordered_json& value, int indent, bool ensure_ascii,
          int level) {
  const auto newline = [&](int depth) {
    out += '\n';
    out.append(static_cast<std::size_t>(indent * depth), ' ');
  };
  if (value.is_object() || value.is_array()) {
    const bool object = value.is_object();
    if (value.empty()) {
      out += object ? "{}" : "[]";
      return;
    }
    out += object ? '{' : '[';
    bool first = true;
    for (auto item = value.begin(); item != value.end(); ++item) {
      if (!first) out += ',';
      first = false;
      newline(level + 1);
      if (object) {
        append_escaped(out, item.key(), ensure_ascii);
        out += ": ";
      }
      dump(out, item.value(), indent, ensure_ascii, level + 1);
    }
    newline(level);
    out += object ? '}' : ']';
  } else if (value.is_string()) {
    append_escaped(out, value.get_ref<const std::string&>(), ensure_ascii);
  } else if (value.is_number_float()) {
    out += python_float_repr(value.get<double>());
  } else if (value.is_boolean()) {
    out += value.get<bool>() ? "true" : "false";
  } else if (value.is_null()) {
    out += "null";
  } else {
    out += value.dump();  // integers
  }
}

}  // namespace

std::string python_json_dumps(const nlohmann::ordered_json& value, int indent, bool ensure_ascii) {
  std::string out;
  dump(out, value, indent, ensure_ascii, 0);
  return out;
}

}  // namespace nmt::eval
