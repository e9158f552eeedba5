// CheckpointWeights: the two upstream parity checkpoints load (F32 and F16) with the right counting
// layer, tensor count and values; checkpoints edited into inconsistency are refused naming the
// tensor and its expected shape.
#include "core/weights/checkpoint_weights.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "core/weights/safetensors.h"
#include "core/weights/tensor_name_table.h"
#include "heads/head_tensor_names.h"
#include "shared_fixtures.h"
#include "tests/core/weights_test_support.h"

// Reads parity checkpoints and goldens from ../shared/reference (shared_fixtures.h).
SPANGUARD_SUITE_NEEDS_SHARED(EditedCheckpointTest);
SPANGUARD_SUITE_NEEDS_SHARED(MixedDtypeTest);
SPANGUARD_SUITE_NEEDS_SHARED(ParityLoadTest);

namespace spanguard::core {
namespace {

using testing::expect_error;
using testing::parity_checkpoint;
using testing::TempDir;

struct ParityCase {
    std::string name;
    CountingLayer counting;
    size_t tensors;
    DType dtype;
};

EncoderConfig encoder_of(const std::string& checkpoint) {
    return load_encoder_config(parity_checkpoint(checkpoint) + "/encoder_config/config.json");
}

// Parameter count from the file header, read with nlohmann (not the library's reader).
int64_t header_parameter_count(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    uint64_t length = 0;
    in.read(reinterpret_cast<char*>(&length), 8);
    std::string header(length, '\0');
    in.read(header.data(), static_cast<std::streamsize>(length));
    const nlohmann::json entries = nlohmann::json::parse(header);  // must outlive the loop
    int64_t total = 0;
    for (const auto& [name, entry] : entries.items()) {
        if (name == "__metadata__") continue;
        int64_t n = 1;
        for (const auto& dim : entry["shape"])
            n *= dim.get<int64_t>();
        total += n;
    }
    return total;
}

class ParityLoadTest : public ::testing::TestWithParam<ParityCase> {};

TEST_P(ParityLoadTest, LoadsWithCountingLayerTensorCountAndValues) {
    const ParityCase& c = GetParam();
    const std::string folder = parity_checkpoint(c.name);
    const EncoderConfig encoder = encoder_of(c.name);
    const GlinerConfig gliner = load_gliner_config(folder + "/config.json");

    const auto start = std::chrono::steady_clock::now();
    const CheckpointWeights weights = heads::load_checkpoint_weights(folder, encoder, gliner);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("[ load time ] %s: %.3f s for %zu tensors\n", c.name.c_str(), seconds,
                weights.size());
    RecordProperty("load_seconds", std::to_string(seconds));

    EXPECT_EQ(weights.counting_layer(), c.counting);
    EXPECT_EQ(weights.size(), c.tensors);
    EXPECT_TRUE(weights.notes().empty());
    EXPECT_EQ(weights.num_parameters(), header_parameter_count(folder + "/model.safetensors"));

    // Table order, every tensor present with its table shape and its file's values.
    const auto table = heads::expected_checkpoint_tensors(encoder, c.counting);
    ASSERT_EQ(weights.names().size(), table.size());
    const SafetensorsFile file = SafetensorsFile::open(folder + "/model.safetensors");
    for (size_t i = 0; i < table.size(); ++i) {
        EXPECT_EQ(weights.names()[i], table[i].name);
        const WeightTensor& tensor = weights.get(table[i].name);
        EXPECT_EQ(tensor.shape, table[i].shape);
        const TensorInfo* info = file.find(table[i].name);
        ASSERT_NE(info, nullptr);
        EXPECT_EQ(info->dtype, c.dtype);
        const std::vector<float> expected = file.to_float(*info);
        ASSERT_EQ(tensor.data.size(), expected.size());
        EXPECT_EQ(std::memcmp(tensor.data.data(), expected.data(), expected.size() * 4), 0)
            << table[i].name;
        // F32 is lent from the mapping (both files keep 4-byte aligned offsets); F16 is converted.
        EXPECT_EQ(tensor.data.is_borrowed(), c.dtype == DType::kF32) << table[i].name;
    }
    const WeightTensor& word = weights.get("encoder.embeddings.word_embeddings.weight");
    EXPECT_EQ(word.rows(), 128011);
    EXPECT_EQ(word.cols(), 64);
    EXPECT_TRUE(weights.has("count_pred.2.bias"));
    EXPECT_FALSE(weights.has("count_pred.3.bias"));
    expect_error([&] { weights.get("count_pred.3.bias"); }, {"no tensor 'count_pred.3.bias'"});
}

INSTANTIATE_TEST_SUITE_P(Parity, ParityLoadTest,
                         ::testing::Values(ParityCase{"tiny_count_lstm_v2",
                                                      CountingLayer::kCountLstmV2, 95, DType::kF32},
                                           ParityCase{"tiny_count_lstm_f16",
                                                      CountingLayer::kCountLstm, 83, DType::kF16}),
                         [](const auto& test_info) { return test_info.param.name; });

// Copies the F16 parity checkpoint tensor by tensor into a new model.safetensors, letting `edit`
// drop (return false), rename, reshape or replace any of them, then appends `extra`.
class EditedCheckpointTest : public ::testing::Test {
  protected:
    struct Tensor {
        std::string name;
        std::string dtype;
        std::vector<int64_t> shape;
        std::string bytes;
    };
    using Edit = std::function<bool(Tensor&)>;

    std::string write_edited(const Edit& edit, const std::vector<Tensor>& extra = {}) {
        const SafetensorsFile source =
            SafetensorsFile::open(parity_checkpoint("tiny_count_lstm_f16") + "/model.safetensors");
        testing::SafetensorsWriter writer;
        for (const TensorInfo& info : source.tensors()) {
            const auto bytes = source.bytes(info);
            Tensor t{info.name, std::string(dtype_name(info.dtype)), info.shape,
                     std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size())};
            if (edit(t)) writer.add(t.name, t.dtype, t.shape, t.bytes);
        }
        for (const Tensor& t : extra)
            writer.add(t.name, t.dtype, t.shape, t.bytes);
        writer.write(dir_.file("model.safetensors"));
        return dir_.path();
    }

    const EncoderConfig encoder_ = encoder_of("tiny_count_lstm_f16");
    TempDir dir_;
};

TEST_F(EditedCheckpointTest, UneditedCopyLoads) {
    const std::string folder = write_edited([](Tensor&) { return true; });
    EXPECT_EQ(heads::load_checkpoint_weights(folder, encoder_).size(), 83u);
}

TEST_F(EditedCheckpointTest, MissingTensor) {
    const std::string folder =
        write_edited([](Tensor& t) { return t.name != "count_pred.2.bias"; });
    expect_error([&] { heads::load_checkpoint_weights(folder, encoder_); },
                 {folder + "/model.safetensors: 1 tensor does not match the configuration",
                  "missing tensor 'count_pred.2.bias' (expected shape [20])"});
}

TEST_F(EditedCheckpointTest, ExtraTensor) {
    const std::string folder = write_edited([](Tensor&) { return true; },
                                            {{"encoder.pooler.dense.weight", "F16", {2}, "abcd"}});
    expect_error([&] { heads::load_checkpoint_weights(folder, encoder_); },
                 {"unexpected tensor 'encoder.pooler.dense.weight' [2]"});
}

TEST_F(EditedCheckpointTest, MisshapedTensor) {
    // Same bytes, transposed shape: only the table can notice.
    const std::string folder = write_edited([](Tensor& t) {
        if (t.name == "classifier.0.weight") t.shape = {64, 128};
        return true;
    });
    expect_error([&] { heads::load_checkpoint_weights(folder, encoder_); },
                 {"tensor 'classifier.0.weight' has shape [64, 128], expected [128, 64]"});
}

TEST_F(EditedCheckpointTest, WrongEncoderConfigurationListsEveryProblem) {
    // The F16 checkpoint (3 layers, FFN 160) against the v2 encoder config (2 layers, FFN 128).
    const std::string folder = write_edited([](Tensor&) { return true; });
    expect_error(
        [&] { heads::load_checkpoint_weights(folder, encoder_of("tiny_count_lstm_v2")); },
        {"tensors do not match the configuration (hidden_size 64, 2 layers, intermediate_size 128",
         "tensor 'encoder.encoder.layer.0.intermediate.dense.weight' has shape [160, 64], "
         "expected [128, 64]",
         "... and"});
}

TEST_F(EditedCheckpointTest, CountingLayerFromTheWeightsWins) {
    const std::string folder = write_edited([](Tensor&) { return true; });
    GlinerConfig gliner;
    gliner.counting_layer = "count_lstm_v2";  // what config.json might claim
    const CheckpointWeights weights = heads::load_checkpoint_weights(folder, encoder_, gliner);
    EXPECT_EQ(weights.counting_layer(), CountingLayer::kCountLstm);
    ASSERT_EQ(weights.notes().size(), 1u);
    EXPECT_NE(weights.notes()[0].find("config.json says counting_layer \"count_lstm_v2\""),
              std::string::npos)
        << weights.notes()[0];
}

TEST_F(EditedCheckpointTest, CountingLayerUndetectableOrAmbiguous) {
    const std::string none =
        write_edited([](Tensor& t) { return !t.name.starts_with("count_embed.projector."); });
    expect_error([&] { heads::load_checkpoint_weights(none, encoder_); },
                 {"cannot tell the counting layer"});
    const std::string both =
        write_edited([](Tensor&) { return true; },
                     {{"count_embed.transformer.in_projector.bias", "F16", {1}, "ab"}});
    expect_error([&] { heads::load_checkpoint_weights(both, encoder_); },
                 {"tensors of more than one counting layer", "count_embed.transformer.*",
                  "count_embed.projector.*"});
}

TEST_F(EditedCheckpointTest, NonFiniteWeightNamesTensorAndIndex) {
    const std::string folder = write_edited([](Tensor& t) {
        if (t.name == "count_pred.2.bias") {
            t.bytes[14] = '\x00';  // element 7 := 0x7e00, a NaN
            t.bytes[15] = '\x7e';
        }
        return true;
    });
    expect_error([&] { heads::load_checkpoint_weights(folder, encoder_); },
                 {"tensor 'count_pred.2.bias': element 7 [7] is NaN"});
}

TEST_F(EditedCheckpointTest, NonFloatDtype) {
    const std::string ints = write_edited([](Tensor& t) {
        if (t.name == "classifier.2.bias") t.dtype = "I16";  // same 2 bytes per element
        return true;
    });
    expect_error([&] { heads::load_checkpoint_weights(ints, encoder_); },
                 {"tensor 'classifier.2.bias' has dtype I16 (weights must be F32, F16 or BF16)"});
}

// Stores `names` as F32 (the exact widening of their F16 values, computed by half_to_float's
// independent check in half_float_test), optionally with a NaN at flat index 5.
class MixedDtypeTest : public EditedCheckpointTest {
  protected:
    std::string widen(const std::set<std::string>& names, const std::string& nan_in = "") {
        const SafetensorsFile f16 =
            SafetensorsFile::open(parity_checkpoint("tiny_count_lstm_f16") + "/model.safetensors");
        return write_edited([&](Tensor& t) {
            if (names.contains(t.name)) {
                std::vector<float> values = f16.to_float(*f16.find(t.name));
                if (t.name == nan_in) values[5] = std::numeric_limits<float>::quiet_NaN();
                t.dtype = "F32";
                t.bytes.assign(reinterpret_cast<const char*>(values.data()), values.size() * 4);
            }
            return true;
        });
    }
};

TEST_F(MixedDtypeTest, F32IsBorrowedWhenAlignedAndCopiedOtherwise) {
    // In name order, classifier.0.weight starts at data offset 256 (4-byte aligned), while
    // classifier.2.weight follows the 2-byte F16 classifier.2.bias (offset = 2 mod 4).
    const std::string folder = widen({"classifier.0.weight", "classifier.2.weight"});
    const CheckpointWeights mixed = heads::load_checkpoint_weights(folder, encoder_);
    const CheckpointWeights original =
        heads::load_checkpoint_weights(parity_checkpoint("tiny_count_lstm_f16"), encoder_);
    EXPECT_TRUE(mixed.get("classifier.0.weight").data.is_borrowed());
    EXPECT_FALSE(mixed.get("classifier.2.weight").data.is_borrowed());
    for (const std::string& name : original.names()) {
        const auto& x = mixed.get(name).data;
        const auto& y = original.get(name).data;
        ASSERT_EQ(x.size(), y.size()) << name;
        EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * 4), 0) << name;
    }
}

TEST_F(MixedDtypeTest, NonFiniteF32IsFoundBorrowedOrCopied) {
    for (const std::string name : {"classifier.0.weight", "classifier.2.weight"}) {
        const std::string folder = widen({"classifier.0.weight", "classifier.2.weight"}, name);
        expect_error([&] { heads::load_checkpoint_weights(folder, encoder_); },
                     {"tensor '" + name + "': element 5 [0, 5] is NaN"});
    }
}

TEST(CheckpointFolderTest, PytorchBinIsReadByTheRestrictedReader) {
    TempDir dir;
    // Without model.safetensors the folder's pytorch_model.bin is read by TorchCheckpoint (a real
    // one loads in torch_checkpoint_test.cc); this one is not even a zip archive.
    testing::write_text(dir.file("pytorch_model.bin"), "not a pickle");
    expect_error([&] { heads::load_checkpoint_weights(dir.path(), EncoderConfig{}); },
                 {dir.file("pytorch_model.bin") + ": not a zip archive"});
}

TEST(CheckpointFolderTest, MissingFolderOrFile) {
    TempDir dir;
    expect_error([&] { heads::load_checkpoint_weights(dir.path(), EncoderConfig{}); },
                 {dir.path() + ": no model.safetensors"});
    expect_error([&] { heads::load_checkpoint_weights(dir.file("absent"), EncoderConfig{}); },
                 {"absent: not a checkpoint folder"});
}

TEST(CheckpointWeightsFromTensorsTest, BuildsAndChecksSizes) {
    std::vector<std::pair<std::string, WeightTensor>> tensors;
    tensors.push_back({"a", WeightTensor{{2, 3}, WeightBuffer(6, 0.5f)}});
    tensors.push_back({"b", WeightTensor{{4}, {1, 2, 3, 4}}});
    const CheckpointWeights w =
        CheckpointWeights::from_tensors(std::move(tensors), CountingLayer::kCountLstmV2);
    EXPECT_EQ(w.size(), 2u);
    EXPECT_EQ(w.names(), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(w.get("a").cols(), 3);
    EXPECT_EQ(w.get("b").data[3], 4.0f);
    EXPECT_EQ(w.num_parameters(), 10);
    EXPECT_EQ(w.counting_layer(), CountingLayer::kCountLstmV2);

    std::vector<std::pair<std::string, WeightTensor>> bad;
    bad.push_back({"a", WeightTensor{{2, 3}, WeightBuffer(5, 0.0f)}});
    expect_error(
        [&] { CheckpointWeights::from_tensors(std::move(bad), CountingLayer::kCountLstm); },
        {"tensor 'a' has 5 values for shape [2, 3]"});
    std::vector<std::pair<std::string, WeightTensor>> twice;
    twice.push_back({"a", WeightTensor{{1}, {1}}});
    twice.push_back({"a", WeightTensor{{1}, {2}}});
    expect_error(
        [&] { CheckpointWeights::from_tensors(std::move(twice), CountingLayer::kCountLstm); },
        {"tensor 'a' given twice"});
}

}  // namespace
}  // namespace spanguard::core

namespace spanguard::core {
namespace {

TEST(CheckpointWeightsGet, ShapeCheckedLookupNamesTheTensorAndBothShapes) {
    std::vector<std::pair<std::string, WeightTensor>> tensors;
    tensors.emplace_back("layer.weight", WeightTensor{{2, 3}, WeightBuffer(6, 0.5f)});
    const auto weights =
        CheckpointWeights::from_tensors(std::move(tensors), CountingLayer::kCountLstm);
    EXPECT_EQ(weights.get("layer.weight", {2, 3}).data.size(), 6u);
    try {
        weights.get("layer.weight", {3, 2});
        FAIL() << "a mis-shaped lookup must throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("'layer.weight' has shape [2, 3], expected [3, 2]"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(weights.get("absent.weight", {1}), Error);
}

}  // namespace
}  // namespace spanguard::core
