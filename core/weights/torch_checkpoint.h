// Read-only view of a PyTorch `torch.save` checkpoint (`pytorch_model.bin`) holding a flat state
// dict, read without running anything the file says. Many published GLiNER checkpoints exist only
// in this format, and unpickling one with Python can run arbitrary code; this reader interprets the
// pickle as data instead.
//
// File layout (PyTorch's zip serialization): a zip archive whose entries are all under one folder
// `<p>/` (the file's stem or `archive`): `<p>/data.pkl` is a pickle of the state dict in which
// each tensor's storage is a persistent id ('storage', torch.<Type>Storage, key, location, numel)
// whose bytes are the entry `<p>/data/<key>`; `<p>/byteorder`, when present, says "little" or
// "big". PyTorch stores every entry uncompressed, so tensor bytes are read in place from the
// memory mapping.
//
// The pickle is run on a tiny machine that only builds plain values (ints, floats, strings, tuples,
// lists, dicts) and understands the few callables a state dict is made of: collections.OrderedDict,
// torch._utils._rebuild_tensor_v2 and _rebuild_parameter, and torch's typed storage classes as
// persistent-id tags. Any other global, any other way of constructing objects (INST, OBJ, NEWOBJ,
// extension codes, text persistent ids, ...) is refused with an error naming the file, the byte
// offset in data.pkl, the opcode and the global; nothing is ever imported or called. The machine
// keeps no references between objects that could form cycles and never recurses, and its memory
// is bounded by the pickle's size (and the limits below), never by sizes the file declares.
//
// Accepted result: a dict or OrderedDict (its attributes, such as _metadata, are ignored) mapping
// strings to tensors, each laid out contiguously row-major inside its storage; the storage entry
// must hold exactly the element count its persistent id declares. Anything else (nested dicts,
// non-tensor values, strided views, big-endian files, compressed or encrypted entries) is an error
// naming the file and, where one is at fault, the tensor.
//
// Thread safety: immutable after open(); share freely. The mapping lives as long as the object.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/weights/mapped_file.h"
#include "core/weights/safetensors.h"  // DType, TensorInfo

namespace spanguard::core {

class TorchCheckpoint {
  public:
    // Limits on the pickle machine: values on the stack, memo entries and open MARKs. PyTorch's
    // state dicts need a few per tensor (GLiNER's largest: a few thousand), so these only stop
    // hostile files from growing the machine's tables beyond what they contain.
    static constexpr size_t kMaxStackValues = 1 << 20;
    static constexpr size_t kMaxMemoEntries = 1 << 20;
    static constexpr size_t kMaxOpenMarks = 1 << 12;
    // Tensor rank limit (PyTorch's own is 64).
    static constexpr size_t kMaxDims = 64;

    // Maps the file and reads it in full. Throws core::Error naming `path` and what is wrong.
    static TorchCheckpoint open(const std::string& path);
    // Reads a checkpoint already in memory (tests, fuzzing). `bytes` must stay valid while the
    // result or any span it hands out lives; `name` stands for the path in errors; mapping()
    // returns `owner`.
    static TorchCheckpoint from_bytes(std::span<const std::byte> bytes, const std::string& name,
                                      std::shared_ptr<const void> owner = nullptr);

    const std::string& path() const;
    // The state dict's tensors, sorted by name. `offset` counts bytes from the start of the file.
    const std::vector<TensorInfo>& tensors() const;
    const TensorInfo* find(std::string_view name) const;  // nullptr when absent
    // The raw little-endian bytes of `tensor` (row-major, nbytes long) inside the mapping; valid
    // while this object (or a mapping() handle) lives. Throws if `tensor` does not fit this file.
    std::span<const std::byte> data(const TensorInfo& tensor) const;
    // Shared ownership of the file mapping, as SafetensorsFile::mapping().
    std::shared_ptr<const void> mapping() const;
    // The mapped file when this checkpoint came from open() (for MappedFile::read of data()
    // ranges); nullptr for from_bytes().
    const MappedFile* mapped_file() const;

    TorchCheckpoint(TorchCheckpoint&&) noexcept;
    TorchCheckpoint& operator=(TorchCheckpoint&&) noexcept;
    ~TorchCheckpoint();

  private:
    struct Impl;
    explicit TorchCheckpoint(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace spanguard::core
