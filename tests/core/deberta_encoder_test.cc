// Encoder behaviour that the goldens do not pin down on their own: padding never changes real
// positions, concurrent forward() calls, input validation and unsupported configurations.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <thread>

#include "core/parallel/parallel_for.h"
#include "core/util/error.h"
#include "deberta_test_support.h"
#include "shared_fixtures.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(DebertaEncoder);

namespace spanguard::core {
namespace {

using encoder_testing::encoder_fixture;
using encoder_testing::golden_calls;

// Single-sequence golden inputs of a few different lengths.
std::vector<encoder_testing::GoldenCall> single_sequences(const std::string& name, size_t count) {
    std::vector<encoder_testing::GoldenCall> singles;
    for (const encoder_testing::GoldenCall& call : golden_calls(name)) {
        if (call.batch != 1) continue;
        const bool seen = std::any_of(singles.begin(), singles.end(),
                                      [&](const auto& s) { return s.length == call.length; });
        if (!seen) singles.push_back(call);
    }
    std::sort(singles.begin(), singles.end(),
              [](const auto& a, const auto& b) { return a.length < b.length; });
    // Spread over the range of lengths rather than taking the shortest ones.
    std::vector<encoder_testing::GoldenCall> chosen;
    for (size_t i = 0; i < count && i < singles.size(); ++i) {
        chosen.push_back(singles[i * (singles.size() - 1) / std::max<size_t>(count - 1, 1)]);
    }
    return chosen;
}

double max_real_difference(const EncoderOutput& batched, size_t b, const EncoderOutput& alone,
                           const std::vector<int32_t>& mask) {
    double worst = 0.0;
    for (size_t t = 0; t < alone.length; ++t) {
        if (mask[t] == 0) continue;
        worst = std::max(
            worst,
            static_cast<double>((batched.token(b, t) - alone.token(0, t)).cwiseAbs().maxCoeff()));
    }
    return worst;
}

void check_padding_invariance(const std::string& name, int32_t pad_id) {
    const encoder_testing::EncoderFixture& checkpoint = encoder_fixture(name);
    const std::vector<encoder_testing::GoldenCall> singles = single_sequences(name, 5);
    ASSERT_GE(singles.size(), 3u);
    size_t length = 0;
    for (const auto& s : singles)
        length = std::max(length, s.length);
    // Longest sequence in the middle so that padding sits both before and after it in memory.
    std::vector<int32_t> ids, mask;
    for (const auto& s : singles) {
        ids.insert(ids.end(), s.input_ids.begin(), s.input_ids.end());
        mask.insert(mask.end(), s.attention_mask.begin(), s.attention_mask.end());
        ids.insert(ids.end(), length - s.length, pad_id);
        mask.insert(mask.end(), length - s.length, 0);
    }
    const EncoderOutput batched = checkpoint.encoder->forward(ids, mask, singles.size(), length);
    double worst = 0.0;
    for (size_t b = 0; b < singles.size(); ++b) {
        const auto& s = singles[b];
        const EncoderOutput alone =
            checkpoint.encoder->forward(s.input_ids, s.attention_mask, 1, s.length);
        const double diff = max_real_difference(batched, b, alone, s.attention_mask);
        EXPECT_LE(diff, 1e-6) << name << " sequence of length " << s.length << " padded to "
                              << length << " with id " << pad_id;
        worst = std::max(worst, diff);
    }
    std::printf(
        "%s: padding invariance over %zu sequences (lengths %zu..%zu, pad id %d): max "
        "|dh| = %.3g\n",
        name.c_str(), singles.size(), singles.front().length, length, pad_id, worst);
}

TEST(DebertaEncoder, PaddingDoesNotChangeRealPositions) {
    check_padding_invariance("tiny_count_lstm_v2", 0);
    check_padding_invariance("tiny_count_lstm_f16", 0);
}

TEST(DebertaEncoder, PaddingTokenIdsAreIrrelevant) {
    check_padding_invariance("tiny_count_lstm_v2", 4711);
}

TEST(DebertaEncoder, PaddedRowsOfTheEmbeddingAreZeroedBeforeTheFirstLayer) {
    // With mask 0 everywhere but position 0, the output at position 0 equals the sequence of
    // length 1: nothing of the padding leaks through attention.
    const encoder_testing::EncoderFixture& checkpoint = encoder_fixture("tiny_count_lstm_v2");
    const std::vector<int32_t> ids = {1, 500, 600, 700};
    const std::vector<int32_t> mask = {1, 0, 0, 0};
    const EncoderOutput padded = checkpoint.encoder->forward(ids, mask, 1, 4);
    const std::vector<int32_t> one_id = {1}, one_mask = {1};
    const EncoderOutput alone = checkpoint.encoder->forward(one_id, one_mask, 1, 1);
    EXPECT_LE((padded.token(0, 0) - alone.token(0, 0)).cwiseAbs().maxCoeff(), 1e-6f);
}

TEST(DebertaEncoder, ConcurrentForwardCallsAgreeWithSerialOnes) {
    const encoder_testing::EncoderFixture& checkpoint = encoder_fixture("tiny_count_lstm_f16");
    const std::vector<encoder_testing::GoldenCall> singles =
        single_sequences("tiny_count_lstm_f16", 4);
    std::vector<EncoderOutput> serial;
    for (const auto& s : singles) {
        serial.push_back(checkpoint.encoder->forward(s.input_ids, s.attention_mask, 1, s.length));
    }
    std::vector<EncoderOutput> concurrent(singles.size());
    std::vector<std::thread> threads;
    for (size_t i = 0; i < singles.size(); ++i) {
        threads.emplace_back([&, i] {
            const auto& s = singles[i];
            concurrent[i] = checkpoint.encoder->forward(s.input_ids, s.attention_mask, 1, s.length);
        });
    }
    for (auto& t : threads)
        t.join();
    for (size_t i = 0; i < singles.size(); ++i) {
        EXPECT_LE((concurrent[i].hidden - serial[i].hidden).cwiseAbs().maxCoeff(), 1e-6f) << i;
    }
}

template <typename Fn>
std::string error_of(Fn&& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "<no error>";
}

TEST(DebertaEncoder, RejectsBadInputsNamingThePosition) {
    const DebertaEncoder& encoder = *encoder_fixture("tiny_count_lstm_v2").encoder;
    const std::vector<int32_t> ok_mask = {1, 1, 1, 1};
    const std::vector<int32_t> big_id = {1, 2, 3, 128011};
    EXPECT_NE(error_of([&] { encoder.forward(big_id, ok_mask, 2, 2); }).find("input_ids[1][1]"),
              std::string::npos);
    const std::vector<int32_t> negative = {1, -2, 3, 4};
    EXPECT_NE(error_of([&] { encoder.forward(negative, ok_mask, 1, 4); }).find("input_ids[0][1]"),
              std::string::npos);
    const std::vector<int32_t> ids = {1, 2, 3, 4};
    const std::vector<int32_t> bad_mask = {1, 1, 2, 0};
    EXPECT_NE(error_of([&] { encoder.forward(ids, bad_mask, 1, 4); }).find("attention_mask[0][2]"),
              std::string::npos);
    EXPECT_NE(error_of([&] { encoder.forward(ids, ok_mask, 1, 3); }), "<no error>");
    const std::vector<int32_t> short_mask = {1, 1, 1};
    EXPECT_NE(error_of([&] { encoder.forward(ids, short_mask, 1, 4); }), "<no error>");
}

TEST(DebertaEncoder, EmptyBatchGivesEmptyOutput) {
    const DebertaEncoder& encoder = *encoder_fixture("tiny_count_lstm_v2").encoder;
    const EncoderOutput out = encoder.forward({}, {}, 0, 5);
    EXPECT_EQ(out.hidden.rows(), 0);
    EXPECT_EQ(out.hidden.cols(), 64);
}

TEST(DebertaEncoder, RejectsUnsupportedConfigurationsNamingTheKey) {
    const encoder_testing::EncoderFixture& checkpoint = encoder_fixture("tiny_count_lstm_v2");
    const auto rejects = [&](const char* key, auto&& edit) {
        EncoderConfig config = checkpoint.config;
        edit(config);
        const std::string message =
            error_of([&] { DebertaEncoder encoder(checkpoint.weights, config); });
        EXPECT_NE(message.find(key), std::string::npos) << key << ": " << message;
    };
    rejects("hidden_act", [](EncoderConfig& c) { c.hidden_act = "gelu_new"; });
    rejects("relative_attention", [](EncoderConfig& c) { c.relative_attention = false; });
    rejects("share_att_key", [](EncoderConfig& c) { c.share_att_key = false; });
    rejects("position_biased_input", [](EncoderConfig& c) { c.position_biased_input = true; });
    rejects("type_vocab_size", [](EncoderConfig& c) { c.type_vocab_size = 2; });
    rejects("pos_att_type", [](EncoderConfig& c) { c.pos_att_type = "c2p"; });
    rejects("norm_rel_ebd", [](EncoderConfig& c) { c.norm_rel_ebd = "none"; });
    rejects("num_attention_heads", [](EncoderConfig& c) { c.num_attention_heads = 3; });
    // A configuration that does not fit the tensors names the tensor.
    rejects("intermediate.dense.weight", [](EncoderConfig& c) { c.intermediate_size = 100; });
    rejects("encoder.encoder.layer.2.", [](EncoderConfig& c) { c.num_hidden_layers = 3; });
    // Spellings the reference accepts: any case, spaces around items, either order.
    EncoderConfig config = checkpoint.config;
    config.pos_att_type = " C2P | p2c ";
    EXPECT_NO_THROW(DebertaEncoder(checkpoint.weights, config));
}

}  // namespace
}  // namespace spanguard::core
