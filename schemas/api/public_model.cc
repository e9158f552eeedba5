// spanguard::Model: loading and extraction over the task layer's Model, results through the typed
// seam (schemas/decoding/typed_results.h).
#include "schemas/api/public_model.h"

#include <memory>
#include <string>
#include <utility>

#include "schemas/api/public_errors.h"
#include "schemas/api/public_schema.h"
#include "schemas/hub/hub_download.h"

namespace spanguard {
namespace {

schemas::ModelOptions internal_options(const LoadOptions& options) {
    schemas::ModelOptions out;
    out.precision =
        options.precision == Precision::kInt8 ? core::Precision::kInt8 : core::Precision::kFloat32;
    out.limits.max_text_bytes = options.max_text_bytes;
    out.limits.max_sequence_tokens = options.max_sequence_tokens;
    out.limits.max_schema_entries = options.max_schema_entries;
    return out;
}

}  // namespace

Model::Model(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Model Model::load(const std::string& directory, const LoadOptions& options) {
    return api::public_errors<LoadError>([&] {
        return Model(std::make_shared<const Impl>(Impl{schemas::Model::load(
            schemas::hub::resolve_model(directory), internal_options(options))}));
    });
}

Model Model::load_default(const LoadOptions& options) {
    return load(default_directory(), options);
}

const std::string& Model::directory() const {
    return impl_->model.directory();
}

Extraction Model::extract(std::string_view text, const Schema& schema,
                          const ExtractOptions& options) const {
    std::vector<Extraction> out;
    try {
        out = extract(std::vector<std::string>{std::string(text)}, schema, options);
    } catch (const RequestError& e) {
        // One text: name it "text", not "texts[0]".
        std::string where = e.where();
        if (where.rfind("texts[0]", 0) == 0) where = "text" + where.substr(8);
        throw RequestError(where, e.problem());
    }
    return std::move(out.front());
}

std::vector<Extraction> Model::extract(const std::vector<std::string>& texts, const Schema& schema,
                                       const ExtractOptions& options) const {
    return api::public_errors([&] {
        const schemas::Schema& parsed = schema.impl_->parsed;
        if (options.windowed) {
            schemas::LongTextOptions o;
            o.threshold = options.threshold;
            o.batch_size = options.batch_size;
            o.chunk_size = options.chunk_size;
            o.chunk_overlap = options.chunk_overlap;
            return impl_->model.extract_typed_long(texts, parsed, o);
        }
        schemas::ExtractOptions o;
        o.threshold = options.threshold;
        o.batch_size = options.batch_size;
        return impl_->model.extract_typed(texts, parsed, o);
    });
}

}  // namespace spanguard
