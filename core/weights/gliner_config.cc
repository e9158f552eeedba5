// config.json: GLiNER2's ExtractorConfig, in the published form (flat keys, e.g. gliner2-base-v1's
// 236 bytes) and the newer one (architecture, span_head {max_width, span_mode, dropout}). Keys the
// engine does not need (transformers_version, attn_implementation, ...) are ignored.
#include <climits>

#include "core/util/error.h"
#include "core/weights/checkpoint_config.h"
#include "core/weights/config_json.h"
#include "core/weights/counting_layer.h"

namespace spanguard::core {
namespace {

using Json = nlohmann::json;

constexpr int kMaxSpanWidth = 4096;

void check_span_mode(const ConfigReader& r, GlinerConfig& c) {
    if (!r.has_value("span_mode")) return;
    c.span_mode = r.get_string("span_mode", c.span_mode);
    if (c.span_mode != "markerV0") {
        r.fail("span_mode", "is \"" + c.span_mode + "\"; the span architecture uses \"markerV0\"");
    }
}

GlinerConfig from_json(const Json& root, const std::string& path) {
    const ConfigReader r(root, path);
    GlinerConfig c;

    const std::string model_type = r.get_string("model_type", "extractor");
    if (model_type != "extractor") {
        r.fail("model_type", "is \"" + model_type + "\"; a GLiNER2 config.json says \"extractor\"");
    }
    // The reference infers "boundary" when the key is absent but a boundary_head section exists.
    c.architecture =
        r.get_string("architecture", r.has_value("boundary_head") ? "boundary" : "span");
    if (c.architecture != "span") {
        r.fail("architecture",
               "is \"" + c.architecture + "\"" +
                   (r.has_value("architecture") ? "" : " (inferred from boundary_head)") +
                   "; spanguard runs only the \"span\" architecture (GLiNER 2.5 \"boundary\" "
                   "checkpoints are a different model)");
    }
    c.model_name = r.get_string("model_name", "");

    c.counting_layer = r.get_string("counting_layer", "count_lstm");
    if (!parse_counting_layer(c.counting_layer)) {
        r.fail("counting_layer", "is \"" + c.counting_layer +
                                     "\"; expected count_lstm, count_lstm_v2 or count_lstm_moe");
    }
    c.token_pooling = r.get_string("token_pooling", "first");
    if (c.token_pooling != "first" && c.token_pooling != "mean" && c.token_pooling != "max") {
        r.fail("token_pooling",
               "is \"" + c.token_pooling + "\"; expected \"first\", \"mean\" or \"max\"");
    }

    check_span_mode(r, c);
    int span_head_width = 0;
    if (const Json* span_head = r.get_object("span_head")) {
        const ConfigReader head(*span_head, path, "span_head.");
        check_span_mode(head, c);
        span_head_width = head.get_int("max_width", 0, 1, kMaxSpanWidth);
    }
    // Precedence as in the reference: top-level max_width, then span_head.max_width, then 8.
    c.max_width =
        r.get_int("max_width", span_head_width > 0 ? span_head_width : 8, 1, kMaxSpanWidth);

    c.max_len = r.get_int("max_len", 0, 1, INT_MAX);  // null / absent: no cap
    return c;
}

}  // namespace

GlinerConfig parse_gliner_config(const std::string& json_text, const std::string& path) {
    return from_json(parse_json_object(json_text, path), path);
}

GlinerConfig load_gliner_config(const std::string& path) {
    return from_json(read_json_object_file(path), path);
}

}  // namespace spanguard::core
