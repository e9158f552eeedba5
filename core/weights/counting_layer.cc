#include "core/weights/counting_layer.h"

#include "core/util/error.h"

namespace spanguard::core {

std::string_view counting_layer_name(CountingLayer layer) {
    switch (layer) {
        case CountingLayer::kCountLstm:
            return "count_lstm";
        case CountingLayer::kCountLstmV2:
            return "count_lstm_v2";
        case CountingLayer::kCountLstmMoe:
            return "count_lstm_moe";
    }
    throw Error("unknown CountingLayer value " + std::to_string(static_cast<int>(layer)));
}

std::optional<CountingLayer> parse_counting_layer(std::string_view name) {
    for (CountingLayer layer :
         {CountingLayer::kCountLstm, CountingLayer::kCountLstmV2, CountingLayer::kCountLstmMoe}) {
        if (counting_layer_name(layer) == name) return layer;
    }
    return std::nullopt;
}

CountingLayer detect_counting_layer(const std::vector<std::string_view>& tensor_names,
                                    const std::string& file) {
    bool v2 = false;
    bool lstm = false;
    bool moe = false;
    for (std::string_view name : tensor_names) {
        v2 = v2 || name.starts_with("count_embed.transformer.");
        lstm = lstm || name.starts_with("count_embed.projector.");
        moe = moe || name == "count_embed.w1";
    }
    const int found = int{v2} + int{lstm} + int{moe};
    if (found == 0) {
        throw Error(file +
                    ": cannot tell the counting layer: no count_embed.transformer.* "
                    "(count_lstm_v2), count_embed.projector.* (count_lstm) or count_embed.w1 "
                    "(count_lstm_moe) tensor");
    }
    if (found > 1) {
        std::string kinds;
        if (v2) kinds += " count_embed.transformer.* (count_lstm_v2)";
        if (lstm) kinds += " count_embed.projector.* (count_lstm)";
        if (moe) kinds += " count_embed.w1 (count_lstm_moe)";
        throw Error(file + ": tensors of more than one counting layer:" + kinds);
    }
    return v2 ? CountingLayer::kCountLstmV2
              : (lstm ? CountingLayer::kCountLstm : CountingLayer::kCountLstmMoe);
}

}  // namespace spanguard::core
