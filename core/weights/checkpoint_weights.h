// All weights of a GLiNER2 `span` checkpoint, converted to float32 row-major at load and checked
// against the tensor-name table that the configuration implies: a missing, extra or mis-shaped
// tensor is an error naming it and its expected shape. PyTorch Linear weights keep their [out, in]
// layout. F32, F16 and BF16 files are accepted (converted exactly); NaN/Inf weights are an error
// naming the tensor and element (every value is checked at load). F32 tensors are read in place
// from the file's read-only memory mapping, which stays open while any of them is alive: replace a
// loaded checkpoint by writing a new file and renaming it over the old one, not by overwriting it
// in place.
//
// Thread safety: immutable after load; share freely.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/weights/checkpoint_config.h"
#include "core/weights/counting_layer.h"  // CountingLayer (defined there, used with this header)
#include "core/weights/tensor_name_table.h"
#include "core/weights/weight_buffer.h"

namespace spanguard::core {

struct TensorSource;  // a weights file's tensors in either format (checkpoint_weights.cc)

struct WeightTensor {
    std::vector<int64_t> shape;
    // Row-major float32, read-only: use it like a const std::vector<float> (data(), size(),
    // operator[], or a std::span<const float>). See weight_buffer.h.
    WeightBuffer data;
    int64_t rows() const { return shape.empty() ? 1 : shape[0]; }
    int64_t cols() const { return shape.size() < 2 ? (shape.empty() ? 1 : shape[0]) : shape[1]; }
};

class CheckpointWeights {
  public:
    // Loads `model.safetensors` of a checkpoint folder or, when the folder has none, its
    // `pytorch_model.bin` through TorchCheckpoint, which interprets the pickle as data and never
    // runs it (torch_checkpoint.h).
    // The file must hold exactly the encoder's tensors (tensor_name_table.h) and those `heads`
    // lists for the hidden size and the counting layer the weight keys reveal
    // (heads::load_checkpoint_weights passes the GLiNER2 heads' table).
    static CheckpointWeights load(const std::string& folder, const EncoderConfig& encoder,
                                  const HeadTensorTable& heads);
    // Same, and compares config.json's counting_layer with the variant the weight keys reveal: the
    // weights win, and a disagreement is recorded in notes().
    static CheckpointWeights load(const std::string& folder, const EncoderConfig& encoder,
                                  const GlinerConfig& gliner, const HeadTensorTable& heads);
    // Loads one weights file by path (tools and tests): a PyTorch checkpoint when the name ends
    // in .bin, .pt or .pth, else a .safetensors file.
    static CheckpointWeights load_file(const std::string& path, const EncoderConfig& encoder,
                                       const HeadTensorTable& heads);
    // Loads the folder's weights against a complete table that the caller builds (checkpoint
    // layouts other than GLiNER2's, such as GLiNER v1): exactly these tensors, in this order.
    // `configuration` describes what the table was built from, for error messages.
    static CheckpointWeights load_with_table(const std::string& folder,
                                             const std::vector<ExpectedTensor>& table,
                                             const std::string& configuration);
    // Weights built in memory (unit tests of layers, converters). Checks only that names are
    // unique and that each data size equals its shape's element count; no tensor table.
    static CheckpointWeights from_tensors(std::vector<std::pair<std::string, WeightTensor>> tensors,
                                          CountingLayer counting_layer);

    CountingLayer counting_layer() const { return counting_layer_; }
    // Throws core::Error naming the tensor when absent.
    const WeightTensor& get(std::string_view name) const;
    // get(name), also requiring exactly `expected` as its shape; throws core::Error naming the
    // tensor and both shapes. Layers call this for every tensor they read, so a checkpoint of
    // another size or variant is reported by name instead of producing wrong numbers.
    const WeightTensor& get(std::string_view name, const std::vector<int64_t>& expected) const;
    bool has(std::string_view name) const;
    size_t size() const { return tensors_.size(); }
    // Tensor names in table order (GLINER2.md §1.4: encoder, span_rep, classifier, count_pred,
    // count_embed).
    const std::vector<std::string>& names() const { return names_; }
    // Total float32 elements across all tensors.
    int64_t num_parameters() const;
    // Things worth telling the user that are not errors (e.g. config.json naming another counting
    // layer than the weights hold). Empty for a consistent checkpoint.
    const std::vector<std::string>& notes() const { return notes_; }

  private:
    // Checks `file` against `table` and converts every tensor (load_file, load_with_table).
    static CheckpointWeights from_table(const TensorSource& file,
                                        const std::vector<ExpectedTensor>& table,
                                        const std::string& configuration, CountingLayer counting);

    // Lets get()/has() look up a string_view without building a std::string.
    struct NameHash {
        using is_transparent = void;
        size_t operator()(std::string_view name) const {
            return std::hash<std::string_view>{}(name);
        }
    };

    std::unordered_map<std::string, WeightTensor, NameHash, std::equal_to<>> tensors_;
    std::vector<std::string> names_;
    std::vector<std::string> notes_;
    CountingLayer counting_layer_ = CountingLayer::kCountLstm;
};

}  // namespace spanguard::core
