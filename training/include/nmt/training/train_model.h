#pragma once
// Everything `nmt train` does once its options are parsed: a fresh model (its
// subword models given, or one joint model trained on the training data) or,
// when resuming, the model, optimizer and position of MODEL.checkpoint (read
// once), then the training loop.

#include <string>

#include "nmt/core/dnn_context.h"
#include "nmt/model/model_config.h"
#include "nmt/training/trainer.h"

namespace nmt {

struct NewModelOptions {
  // SentencePiece models; both empty: one joint model (joint_vocab_size pieces,
  // an upper bound) is trained on the training data and kept as MODEL.spm.model.
  std::string source_vocab, target_vocab;
  int joint_vocab_size = 8000;
  ModelConfig config;  // the vocabulary sizes are taken from the subword models
};

// Throws nmt::Error when resuming without a checkpoint, or starting afresh
// where an earlier run's checkpoint would be overwritten. ranks: the
// processes training together (rank 0 trains the joint subword model, the
// others wait for it).
TrainingState train_model(DnnContext& dnn, const TrainingOptions& options, const NewModelOptions& fresh,
                          bool resume, Distributed& ranks = Distributed::single());

}  // namespace nmt
