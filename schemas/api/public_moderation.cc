// spanguard::Model::moderate over the task layer's moderation (moderation.h).
#include <string>
#include <vector>

#include "schemas/api/public_errors.h"
#include "schemas/api/public_model.h"
#include "schemas/moderation/moderation.h"

namespace spanguard {
namespace {

schemas::ModerationPolicy policy_of(const ModerationOptions& o) {
    if (o.policy_json.empty()) return schemas::gliguard_policy(o.threshold);
    const schemas::Json parsed = schemas::Json::parse(o.policy_json, nullptr, false);
    if (parsed.is_discarded()) throw RequestError("policy_json", "not valid JSON");
    return schemas::policy_from_json(parsed, "policy");
}

SideVerdict public_side(const schemas::SideVerdict& side) {
    SideVerdict out;
    out.unsafe = side.unsafe;
    out.vetoed = side.vetoed;
    out.flagged = side.flagged;
    for (const schemas::TaskVerdict& t : side.tasks) {
        TaskVerdict task{t.task, t.labels, {}, t.flagged};
        if (t.label_order.empty()) {
            for (const auto& [label, p] : t.scores)
                task.scores.push_back({label, p});
        } else {
            for (const std::string& label : t.label_order)
                task.scores.push_back({label, t.scores.at(label)});
        }
        out.tasks.push_back(std::move(task));
    }
    return out;
}

Moderation public_result(const schemas::ModerationResult& r) {
    Moderation out;
    out.unsafe = r.unsafe;
    if (r.prompt) out.prompt = public_side(*r.prompt);
    if (r.response) out.response = public_side(*r.response);
    return out;
}

}  // namespace

Moderation Model::moderate(const ModerationInput& input, const ModerationOptions& options) const {
    std::vector<Moderation> out;
    try {
        out = moderate(std::vector<ModerationInput>{input}, options);
    } catch (const RequestError& e) {
        // One input: name it "prompt" / "response", not "inputs[0].prompt".
        std::string where = e.where();
        if (where.rfind("inputs[0].", 0) == 0) {
            where = where.substr(10);
        } else if (where == "inputs[0]") {
            where = "input";
        }
        throw RequestError(where, e.problem());
    }
    return std::move(out.front());
}

std::vector<Moderation> Model::moderate(const std::vector<ModerationInput>& inputs,
                                        const ModerationOptions& options) const {
    return api::public_errors([&] {
        const schemas::ModerationPolicy policy = policy_of(options);
        std::vector<schemas::ModerationInput> internal;
        internal.reserve(inputs.size());
        for (const ModerationInput& i : inputs)
            internal.push_back({i.prompt, i.response});
        const schemas::ModerationWindows windows{options.chunk_size, options.chunk_overlap};
        std::vector<Moderation> out;
        out.reserve(inputs.size());
        for (const schemas::ModerationResult& r :
             schemas::moderate_batch(impl_->model, policy, internal, options.batch_size, windows)) {
            out.push_back(public_result(r));
        }
        return out;
    });
}

}  // namespace spanguard
