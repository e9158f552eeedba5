// spanguard::schemas::V1Model: a GLiNER v1 checkpoint folder (gliner_config.json + weights +
// tokenizer: urchade/gliner_multi_pii-v1, gliner_multi-v2.1, gliner_medium-v2.1 and their
// fine-tunes) loaded for entity extraction, with upstream's predict_entities semantics.
//
//   const auto model = spanguard::schemas::V1Model::load("/models/gliner_multi_pii-v1");
//   auto found = model.predict({"Call Ana at +1 415 555 0132."}, {"person", "phone number"});
//   // found[0].entities: {start 5, end 8, text "Ana", label "person", score 0.97...}, ...
//
// Texts longer than the model's max_len words: by default they are cut into windows of max_len
// words (overlapping by window_overlap), every window is scored and the windows' spans, in the
// text's own offsets, go through the same greedy selection once more, so nothing past max_len is
// lost. LongText::kTruncate keeps upstream's single pass instead: only the first max_len words
// are read and the result carries upstream's warning.
//
// Units: entity offsets are code points (as Python's str indices) and UTF-8 bytes into the text.
// Errors: load() throws core::Error / tokenizer::TokenizerError naming the file and key; predict()
// throws RequestError naming the input (texts[3], labels[1]).
// Thread safety: immutable after load(); predict() may run on many threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/encoder/relative_position.h"
#include "core/tensor/matrix.h"
#include "core/weights/gliner_v1_config.h"
#include "core/weights/int8_weights.h"
#include "schemas/gliner_v1/v1_input.h"

namespace spanguard::schemas {

struct V1ModelOptions {
    core::RelativeDistanceConvention relative_distances =
        core::RelativeDistanceConvention::kHuggingFace;
    core::Precision precision = core::Precision::kFloat32;
};

struct V1Entity {
    size_t start = 0;  // code points, half-open
    size_t end = 0;
    size_t start_byte = 0;
    size_t end_byte = 0;
    std::string text;
    std::string label;
    float score = 0.f;
};

struct V1Result {
    std::vector<V1Entity> entities;     // in start order
    std::vector<std::string> warnings;  // upstream's, e.g. the truncation warning
};

enum class LongText { kWindows, kTruncate };

struct V1PredictOptions {
    double threshold = 0.5;
    bool flat_ner = true;
    bool multi_label = false;
    size_t batch_size = 8;
    // predict_entities / batch_predict_entities drop repeated labels (first kept); upstream's run()
    // does not.
    bool deduplicate_labels = true;
    LongText long_text = LongText::kWindows;
    size_t window_overlap = 64;  // words shared by consecutive windows (< max_len)
};

// One encoder pass of one text, for parity tests and tools.
struct V1Forward {
    V1Input input;
    core::RowMatrix hidden;     // [tokens, encoder hidden]
    std::vector<float> logits;  // GlinerV1Heads::logits() layout
};

class V1Model {
  public:
    static V1Model load(const std::string& dir, const V1ModelOptions& options = {});

    // One result per text, in order.
    std::vector<V1Result> predict(const std::vector<std::string>& texts,
                                  const std::vector<std::string>& labels,
                                  const V1PredictOptions& options = {}) const;

    // The single upstream pass of each text (first max_len words), batch_size texts per encoder
    // call, without decoding.
    std::vector<V1Forward> forward(const std::vector<std::string>& texts,
                                   const std::vector<std::string>& labels,
                                   size_t batch_size = 8) const;

    const core::GlinerV1Config& config() const;
    const std::string& directory() const;

    struct Impl;

  private:
    explicit V1Model(std::shared_ptr<const Impl> impl);
    std::shared_ptr<const Impl> impl_;
};

// Whether `dir` holds a GLiNER v1 checkpoint (gliner_config.json) rather than a GLiNER2 one.
bool is_gliner_v1_folder(const std::string& dir);

}  // namespace spanguard::schemas
