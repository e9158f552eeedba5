#include "core/weights/checkpoint_weights.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <numeric>
#include <span>
#include <utility>

#include "core/parallel/parallel_for.h"
#include "core/util/error.h"
#include "core/weights/float_decode.h"
#include "core/weights/safetensors.h"
#include "core/weights/safetensors_header.h"
#include "core/weights/tensor_name_table.h"
#include "core/weights/torch_checkpoint.h"

namespace spanguard::core {

// The tensors of one weights file, whichever format holds them (SafetensorsFile or
// TorchCheckpoint), so that both go through the same table check and conversion.
struct TensorSource {
    const std::string& path;
    const std::vector<TensorInfo>& tensors;  // sorted by name
    std::function<std::span<const std::byte>(const TensorInfo&)> bytes;
    std::shared_ptr<const void> mapping;
    // The file behind `mapping`, when there is one: the loader reads each tensor's bytes through
    // it (MappedFile::read) rather than through the mapping (see convert_all). Null for
    // checkpoints held in memory.
    const MappedFile* file = nullptr;

    const TensorInfo* find(std::string_view name) const {
        const auto it = std::lower_bound(
            tensors.begin(), tensors.end(), name,
            [](const TensorInfo& t, std::string_view wanted) { return t.name < wanted; });
        return it != tensors.end() && it->name == name ? &*it : nullptr;
    }
};

namespace {

// Problems listed in full before "... and N more"; the count is always reported.
constexpr size_t kMaxListedProblems = 8;

bool is_regular_file(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

bool is_directory(const std::string& path) {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

std::string join_path(const std::string& folder, const std::string& name) {
    return folder.empty() || folder.back() == '/' ? folder + name : folder + "/" + name;
}

// The weights file of a checkpoint folder: model.safetensors, else pytorch_model.bin (read by
// TorchCheckpoint, which never runs the pickle).
std::string weights_file(const std::string& folder) {
    const std::string safetensors = join_path(folder, "model.safetensors");
    if (is_regular_file(safetensors)) return safetensors;
    if (!is_directory(folder))
        throw Error(folder + ": not a checkpoint folder (no such directory)");
    const std::string pickle = join_path(folder, "pytorch_model.bin");
    if (is_regular_file(pickle)) return pickle;
    throw Error(folder + ": no model.safetensors (or pytorch_model.bin) in the checkpoint folder");
}

bool is_torch_checkpoint_path(std::string_view path) {
    return path.ends_with(".bin") || path.ends_with(".pt") || path.ends_with(".pth");
}

// Opens `path` with the reader its extension names and hands its tensors to `use`.
CheckpointWeights with_weights_file(
    const std::string& path, const std::function<CheckpointWeights(const TensorSource&)>& use) {
    if (is_torch_checkpoint_path(path)) {
        const TorchCheckpoint file = TorchCheckpoint::open(path);
        return use(TensorSource{file.path(), file.tensors(),
                                [&file](const TensorInfo& t) { return file.data(t); },
                                file.mapping(), file.mapped_file()});
    }
    const SafetensorsFile file = SafetensorsFile::open(path);
    return use(TensorSource{file.path(), file.tensors(),
                            [&file](const TensorInfo& t) { return file.bytes(t); }, file.mapping(),
                            &file.mapped_file()});
}

std::string describe_configuration(const EncoderConfig& encoder, CountingLayer counting) {
    return "hidden_size " + std::to_string(encoder.hidden_size) + ", " +
           std::to_string(encoder.num_hidden_layers) + " layers, intermediate_size " +
           std::to_string(encoder.intermediate_size) + ", vocab_size " +
           std::to_string(encoder.vocab_size) + ", " +
           std::to_string(encoder.rel_embeddings_rows()) + " relative-embedding rows, " +
           std::string(counting_layer_name(counting));
}

// Every way the file's tensors differ from the table, as sentences naming tensor and shape.
std::vector<std::string> compare_with_table(const TensorSource& file,
                                            const std::vector<ExpectedTensor>& table) {
    std::vector<std::string> problems;
    std::map<std::string_view, const ExpectedTensor*> expected;
    for (const ExpectedTensor& t : table)
        expected.emplace(t.name, &t);
    for (const ExpectedTensor& t : table) {
        const TensorInfo* found = file.find(t.name);
        if (found == nullptr) {
            problems.push_back("missing tensor " + quote_for_error(t.name) + " (expected shape " +
                               shape_to_string(t.shape) + ")");
        } else if (found->shape != t.shape) {
            problems.push_back("tensor " + quote_for_error(t.name) + " has shape " +
                               shape_to_string(found->shape) + ", expected " +
                               shape_to_string(t.shape));
        }
    }
    for (const TensorInfo& t : file.tensors) {
        if (!expected.contains(t.name)) {
            problems.push_back("unexpected tensor " + quote_for_error(t.name) + " " +
                               shape_to_string(t.shape));
        }
    }
    for (const ExpectedTensor& t : table) {
        const TensorInfo* found = file.find(t.name);
        if (found != nullptr && !decodes_to_float(found->dtype)) {
            problems.push_back("tensor " + quote_for_error(t.name) + " has dtype " +
                               std::string(dtype_name(found->dtype)) +
                               " (weights must be F32, F16 or BF16)");
        }
    }
    return problems;
}

std::string list_problems(const std::vector<std::string>& problems) {
    std::string text;
    for (size_t i = 0; i < problems.size() && i < kMaxListedProblems; ++i) {
        if (i > 0) text += "; ";
        text += problems[i];
    }
    if (problems.size() > kMaxListedProblems) {
        text += "; ... and " + std::to_string(problems.size() - kMaxListedProblems) + " more";
    }
    return text;
}

// Makes every tensor's float32 buffer. Aligned F32 data is borrowed from the file mapping (no
// copy); F16/BF16 (and F32 at an odd address) are decoded into uninitialized owned buffers. Either
// way every value is checked to be finite, in parallel over fixed-size pieces (not whole tensors:
// the word embedding alone is half of a base checkpoint). Each piece records its first non-finite
// element; the error reported is the first in table order, whatever the thread timing.
//
// The bytes are read through the file descriptor into a small per-thread buffer, not through the
// mapping: touching a mapped page the first time is what costs (a fault, and on virtual machines
// with shadow page tables far more), and the check looks at each byte once. Pages the model
// reads later (the encoder's matrices, the heads, the embedding rows of the tokens it sees) are
// faulted in by those reads; the rest of the word embedding never is.
std::vector<WeightBuffer> convert_all(const TensorSource& file,
                                      const std::vector<const TensorInfo*>& sources) {
    constexpr size_t kPieceElements = size_t{1} << 18;  // 1 MiB of float32 per piece
    struct Piece {
        size_t tensor;
        size_t begin;
        size_t end;
    };
    const std::shared_ptr<const void>& mapping = file.mapping;
    std::vector<WeightBuffer> buffers(sources.size());
    std::vector<float*> destinations(sources.size(), nullptr);  // null: borrowed, check only
    std::vector<Piece> pieces;
    for (size_t t = 0; t < sources.size(); ++t) {
        const TensorInfo& info = *sources[t];
        const size_t count = info.nbytes / dtype_size(info.dtype);
        const std::byte* bytes = file.bytes(info).data();
        if (info.dtype == DType::kF32 && reinterpret_cast<uintptr_t>(bytes) % alignof(float) == 0) {
            // Without a file (TorchCheckpoint::from_bytes) the bytes are ordinary memory.
            buffers[t] = WeightBuffer::borrowed(mapping, reinterpret_cast<const float*>(bytes),
                                                count, file.file);
        } else {
            buffers[t] = WeightBuffer::uninitialized(count);
            destinations[t] = buffers[t].mutable_data();
        }
        for (size_t begin = 0; begin < count; begin += kPieceElements) {
            pieces.push_back({t, begin, std::min(count, begin + kPieceElements)});
        }
    }
    constexpr size_t kFinite = static_cast<size_t>(-1);
    std::vector<size_t> first_bad(pieces.size(), kFinite);
    parallel_for(pieces.size(), 1, [&](size_t begin, size_t end) {
        // One piece's raw bytes (F32 is the widest dtype), kept per thread for the next load:
        // fresh memory costs its own page faults on every call otherwise. new[] leaves it
        // uninitialized and aligned for floats.
        thread_local std::unique_ptr<std::byte[]> staging;
        if (file.file != nullptr && staging == nullptr) {
            staging.reset(new std::byte[kPieceElements * sizeof(float)]);
        }
        for (size_t p = begin; p < end; ++p) {
            const Piece& piece = pieces[p];
            const TensorInfo& info = *sources[piece.tensor];
            const size_t n = piece.end - piece.begin;
            const size_t element_size = dtype_size(info.dtype);
            std::span<const std::byte> raw =
                file.bytes(info).subspan(piece.begin * element_size, n * element_size);
            if (file.file != nullptr) {
                file.file->read(raw, {staging.get(), raw.size()});
                raw = {staging.get(), raw.size()};
            }
            size_t bad;
            if (float* destination = destinations[piece.tensor]) {
                bad = decode_to_float_checked(info.dtype, raw.data(), n, destination + piece.begin);
            } else {
                // F32 at an aligned address (borrowed): the staging buffer comes from new[], and
                // the mapping's offset was aligned, so the floats can be read in place.
                bad = first_non_finite(reinterpret_cast<const float*>(raw.data()), n);
            }
            if (bad != n) first_bad[p] = piece.begin + bad;
        }
    });
    for (size_t p = 0; p < pieces.size(); ++p) {
        if (first_bad[p] != kFinite) {
            const size_t t = pieces[p].tensor;
            throw Error(
                non_finite_message(file.path, *sources[t], first_bad[p], buffers[t][first_bad[p]]));
        }
    }
    return buffers;
}

}  // namespace

CheckpointWeights CheckpointWeights::load(const std::string& folder, const EncoderConfig& encoder,
                                          const HeadTensorTable& heads) {
    return load_file(weights_file(folder), encoder, heads);
}

CheckpointWeights CheckpointWeights::load(const std::string& folder, const EncoderConfig& encoder,
                                          const GlinerConfig& gliner,
                                          const HeadTensorTable& heads) {
    CheckpointWeights weights = load(folder, encoder, heads);
    const std::string_view detected = counting_layer_name(weights.counting_layer_);
    if (gliner.counting_layer != detected) {
        weights.notes_.push_back("config.json says counting_layer \"" + gliner.counting_layer +
                                 "\", but the weights hold a " + std::string(detected) +
                                 " count embedding; using " + std::string(detected));
    }
    return weights;
}

CheckpointWeights CheckpointWeights::load_file(const std::string& path,
                                               const EncoderConfig& encoder,
                                               const HeadTensorTable& heads) {
    return with_weights_file(path, [&](const TensorSource& file) {
        std::vector<std::string_view> names;
        names.reserve(file.tensors.size());
        for (const TensorInfo& t : file.tensors)
            names.push_back(t.name);
        const CountingLayer counting = detect_counting_layer(names, path);

        std::vector<ExpectedTensor> table = expected_encoder_tensors(encoder);
        for (ExpectedTensor& t : heads(encoder.hidden_size, counting))
            table.push_back(std::move(t));
        return from_table(file, table, describe_configuration(encoder, counting), counting);
    });
}

CheckpointWeights CheckpointWeights::load_with_table(const std::string& folder,
                                                     const std::vector<ExpectedTensor>& table,
                                                     const std::string& configuration) {
    return with_weights_file(weights_file(folder), [&](const TensorSource& file) {
        // The counting layer is a GLiNER2 notion; a complete table has none to detect.
        return from_table(file, table, configuration, CountingLayer::kCountLstm);
    });
}

CheckpointWeights CheckpointWeights::from_table(const TensorSource& file,
                                                const std::vector<ExpectedTensor>& table,
                                                const std::string& configuration,
                                                CountingLayer counting) {
    const std::vector<std::string> problems = compare_with_table(file, table);
    if (!problems.empty()) {
        throw Error(file.path + ": " + std::to_string(problems.size()) +
                    (problems.size() == 1 ? " tensor does" : " tensors do") +
                    " not match the configuration (" + configuration +
                    "): " + list_problems(problems));
    }

    std::vector<const TensorInfo*> sources;
    sources.reserve(table.size());
    for (const ExpectedTensor& t : table)
        sources.push_back(file.find(t.name));
    std::vector<WeightBuffer> converted = convert_all(file, sources);

    CheckpointWeights weights;
    weights.counting_layer_ = counting;
    weights.tensors_.reserve(table.size());
    weights.names_.reserve(table.size());
    for (size_t i = 0; i < table.size(); ++i) {
        weights.names_.push_back(table[i].name);
        weights.tensors_.emplace(table[i].name,
                                 WeightTensor{table[i].shape, std::move(converted[i])});
    }
    return weights;
}

CheckpointWeights CheckpointWeights::from_tensors(
    std::vector<std::pair<std::string, WeightTensor>> tensors, CountingLayer counting_layer) {
    CheckpointWeights weights;
    weights.counting_layer_ = counting_layer;
    for (auto& [name, tensor] : tensors) {
        uint64_t numel = 1;
        bool valid = true;
        for (int64_t dim : tensor.shape) {
            valid = valid && dim >= 0 &&
                    !__builtin_mul_overflow(numel, static_cast<uint64_t>(dim), &numel);
        }
        if (!valid || numel != tensor.data.size()) {
            throw Error("checkpoint weights: tensor " + quote_for_error(name) + " has " +
                        std::to_string(tensor.data.size()) + " values for shape " +
                        shape_to_string(tensor.shape));
        }
        weights.names_.push_back(name);
        if (!weights.tensors_.emplace(std::move(name), std::move(tensor)).second) {
            throw Error("checkpoint weights: tensor " + quote_for_error(weights.names_.back()) +
                        " given twice");
        }
    }
    return weights;
}

const WeightTensor& CheckpointWeights::get(std::string_view name) const {
    const auto it = tensors_.find(name);
    if (it == tensors_.end()) {
        throw Error("checkpoint weights: no tensor " + quote_for_error(name));
    }
    return it->second;
}

const WeightTensor& CheckpointWeights::get(std::string_view name,
                                           const std::vector<int64_t>& expected) const {
    const WeightTensor& tensor = get(name);
    if (tensor.shape != expected) {
        throw Error("checkpoint weights: tensor " + quote_for_error(name) + " has shape " +
                    shape_to_string(tensor.shape) + ", expected " + shape_to_string(expected));
    }
    return tensor;
}

bool CheckpointWeights::has(std::string_view name) const {
    return tensors_.contains(name);
}

int64_t CheckpointWeights::num_parameters() const {
    int64_t total = 0;
    for (const auto& [name, tensor] : tensors_)
        total += static_cast<int64_t>(tensor.data.size());
    return total;
}

}  // namespace spanguard::core
