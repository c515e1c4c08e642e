#pragma once
// The translation model: an Encoder whose context seeds a Decoder (which may
// also attend to the encoder's outputs, config().attention). Forward and
// backward of a whole batch with teacher forcing, and its weights in and out
// of a model file. A language model (config().task lm) is the Decoder alone,
// starting from zero states; its batches have empty sources. A classifier
// (task classify) is the Encoder and a ClassifierHead; its batches' targets
// are one label index each.

#include <cstdint>
#include <memory>
#include <vector>

#include "nmt/core/dnn_context.h"
#include "nmt/core/model_file.h"
#include "nmt/core/parameter.h"
#include "nmt/decoder/decoder.h"
#include "nmt/encoder/encoder.h"
#include "nmt/layers/softmax_cross_entropy.h"
#include "nmt/model/batching.h"
#include "nmt/model/classifier_head.h"
#include "nmt/model/model_config.h"

namespace nmt {

class Seq2SeqModel {
 public:
  Seq2SeqModel(DnnContext& dnn, const ModelConfig& config);

  const ModelConfig& config() const { return config_; }
  // Throws nmt::Error for a language model, which has none.
  Encoder& encoder();
  // What seeds the decoder: the encoder's context after its forward(), or,
  // for a language model, zero states (null h and c).
  Context decoder_context();
  // Throws nmt::Error for a classifier, which has none.
  Decoder& decoder();
  // A classifier's label probabilities [N, labels] for a batch (dropout off).
  const Tensor& classify_batch(const Batch& batch);
  // A classifier's head (null otherwise).
  const ClassifierHead* classifier_head() const { return head_.get(); }

  void initialize(uint64_t seed);
  // Every trainable tensor once (a tied embedding appears once).
  const std::vector<Parameter>& parameters() const { return parameters_; }
  std::size_t parameter_count() const;
  // After the weights changed (optimizer step, loading): refreshes the copies
  // the oneDNN primitives read.
  void weights_changed();
  void zero_grad();
  // Translation in int8 from now on (Encoder and Decoder::quantize_for_inference);
  // training and teacher-forced scoring keep f32 where it matters (see there).
  void quantize_for_inference();

  // Forward and backward on one batch: ADDS gradient_scale * d(loss)/d(weights)
  // to the gradients. Dropout masks are drawn from dropout_seed.
  layers::CrossEntropySums train_batch(const Batch& batch, float label_smoothing,
                                       float gradient_scale, uint64_t dropout_seed);
  // The loss without dropout or gradients (label smoothing 0: plain NLL).
  layers::CrossEntropySums evaluate_batch(const Batch& batch);

  // Sections "param/<name>" of a model file.
  void save_weights(ModelFileWriter& file) const;
  void load_weights(const ModelFileReader& file);

 private:
  layers::CrossEntropySums forward(const Batch& batch, bool training, float label_smoothing,
                                   float gradient_scale);
  layers::CrossEntropySums forward_classifier(const Batch& batch, bool training, float label_smoothing,
                                              float gradient_scale);

  ModelConfig config_;
  std::unique_ptr<Encoder> encoder_;  // null for a language model
  std::unique_ptr<Decoder> decoder_;        // null for a classifier
  std::unique_ptr<ClassifierHead> head_;    // a classifier's only
  std::vector<int> labels_;                 // the batch's, for the loss
  Tensor probabilities_;
  Tensor empty_final_, empty_outputs_;  // classify_batch() of empty sentences
  std::vector<layers::LstmState> grad_context_;  // a classifier's: the final state's gradient at the top layer
  std::vector<Parameter> parameters_;
  std::vector<int> source_lengths_;  // the batch's, for attention
};

}  // namespace nmt
