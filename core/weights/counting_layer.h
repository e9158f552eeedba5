// The three count-embedding variants of GLiNER2 (GLINER2.md §1.2, §3.3) and how a checkpoint
// reveals
// which one it holds. config.json names one, but the weight keys are what the model was trained
// with, so the loader detects the variant from the keys (GLINER2.md §1.2 recommendation) and
// trusts them.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanguard::core {

enum class CountingLayer { kCountLstm, kCountLstmV2, kCountLstmMoe };

// "count_lstm", "count_lstm_v2", "count_lstm_moe": the config.json spellings.
std::string_view counting_layer_name(CountingLayer layer);
std::optional<CountingLayer> parse_counting_layer(std::string_view name);

// From tensor names: count_embed.transformer.* => v2, count_embed.projector.* => count_lstm,
// count_embed.w1 => moe. Throws core::Error (prefixed with `file`) when no variant's keys are
// present or keys of more than one variant are.
CountingLayer detect_counting_layer(const std::vector<std::string_view>& tensor_names,
                                    const std::string& file);

}  // namespace spanguard::core
