// The tensor inventory of a GLiNER2 checkpoint's encoder (GLINER2.md §1.4): every name and shape
// the encoder configuration implies, in state-dict order, and the builder the head layers use for
// their part of the inventory (heads/head_tensor_names.h). The loader checks a file against the
// two together; reference/gliner2_tensor_shapes_derived.json of the shared fixtures is the
// independent check of the whole table (255 tensors, 208,476,821 parameters for gliner2-base-v1).
//
// Shapes follow PyTorch: Linear weights are [out, in], biases [out].
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/weights/checkpoint_config.h"
#include "core/weights/counting_layer.h"

namespace spanguard::core {

struct ExpectedTensor {
    std::string name;
    std::vector<int64_t> shape;
    int64_t numel() const;
};

// Appends tensors to a table in the shapes PyTorch modules give them.
class TensorTableBuilder {
  public:
    explicit TensorTableBuilder(std::vector<ExpectedTensor>& out) : out_(out) {}

    void add(std::string name, std::vector<int64_t> shape);
    // nn.Linear(in, out): weight [out, in], bias [out].
    void linear(const std::string& prefix, int64_t in, int64_t out);
    // nn.LayerNorm(width): weight and bias [width].
    void layer_norm(const std::string& prefix, int64_t width);

  private:
    std::vector<ExpectedTensor>& out_;
};

// The encoder's tensors under `prefix` ("encoder." in GLiNER2 checkpoints,
// "token_rep_layer.bert_layer.model." in GLiNER v1 ones). Its relative-embedding rows come from
// EncoderConfig::rel_embeddings_rows().
std::vector<ExpectedTensor> expected_encoder_tensors(const EncoderConfig& encoder,
                                                     const std::string& prefix = "encoder.");

// The tensors of everything after the encoder, for the hidden size and the counting layer the
// weight keys reveal. Supplied by the head layers (heads::expected_head_tensors), which own those
// names; the core loader only checks a file against them.
using HeadTensorTable =
    std::function<std::vector<ExpectedTensor>(int64_t hidden, CountingLayer counting)>;

// "[768, 3072]".
std::string shape_to_string(const std::vector<int64_t>& shape);

}  // namespace spanguard::core
