#pragma once
// An owning, contiguous float tensor (row-major, last dimension fastest) whose
// buffer is aligned for vector loads, so that oneDNN can work on it in place
// (see dnn_memory.h) instead of on a copy.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace nmt {

using Shape = std::vector<int64_t>;

std::string to_string(const Shape& shape);
int64_t element_count(const Shape& shape);

class Tensor {
 public:
  // No elements and no shape; Tensor({}) is a scalar.
  Tensor() = default;
  // Zero-filled.
  explicit Tensor(Shape shape);

  Tensor(const Tensor& other);
  Tensor& operator=(const Tensor& other);
  Tensor(Tensor&&) noexcept = default;
  Tensor& operator=(Tensor&&) noexcept = default;

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  int64_t dim(int axis) const { return shape_.at(static_cast<std::size_t>(axis)); }
  int64_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  float& operator[](int64_t i) { return data_[static_cast<std::size_t>(i)]; }
  float operator[](int64_t i) const { return data_[static_cast<std::size_t>(i)]; }

  // Changes the shape; the buffer is reallocated only when it must grow, so a
  // buffer reused for batches of varying shape settles at the largest one.
  // The contents are unspecified afterwards.
  void resize(const Shape& shape);
  void fill(float value);
  void zero() { fill(0.0f); }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  Shape shape_;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
  std::unique_ptr<float[], Free> data_;
};

}  // namespace nmt
