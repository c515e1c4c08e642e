#include "nmt/core/tensor.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#include "nmt/core/error.h"

namespace nmt {
namespace {

// One cache line, and the widest vector register (AVX-512).
constexpr std::size_t kAlignment = 64;

float* allocate_floats(int64_t count) {
  if (count == 0) return nullptr;
  std::size_t bytes = static_cast<std::size_t>(count) * sizeof(float);
  bytes = (bytes + kAlignment - 1) / kAlignment * kAlignment;  // aligned_alloc requires it
  void* p = std::aligned_alloc(kAlignment, bytes);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<float*>(p);
}

}  // namespace

std::string to_string(const Shape& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

int64_t element_count(const Shape& shape) {
  int64_t count = 1;
  for (int64_t d : shape) {
    if (d < 0) throw Error("negative dimension in tensor shape " + to_string(shape));
    count *= d;
  }
  return count;
}

void Tensor::Free::operator()(float* p) const { std::free(p); }

Tensor::Tensor(Shape shape) {
  resize(shape);
  zero();
}

Tensor::Tensor(const Tensor& other) : Tensor() { *this = other; }

Tensor& Tensor::operator=(const Tensor& other) {
  if (this == &other) return *this;
  resize(other.shape_);
  std::copy(other.data(), other.data() + size_, data());
  return *this;
}

void Tensor::resize(const Shape& shape) {
  const int64_t count = element_count(shape);
  if (count > capacity_) {
    data_.reset(allocate_floats(count));
    capacity_ = count;
  }
  shape_ = shape;
  size_ = count;
}

void Tensor::fill(float value) { std::fill(data(), data() + size_, value); }

}  // namespace nmt
