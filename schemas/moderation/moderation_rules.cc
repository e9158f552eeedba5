// The moderation decision rules (moderation.h): which labels each task returns, which of them
// flag, and the side's verdict with its veto.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "schemas/moderation/moderation.h"

namespace spanguard::schemas {
namespace {

// unsafe_labels when given, else every label outside safe_labels.
bool is_flagging(const ModerationTask& t, const std::string& label) {
    if (!t.unsafe_labels.empty()) return t.unsafe_labels.count(label) != 0;
    return t.safe_labels.count(label) == 0;
}

// Index of the most probable label among those with is_flagging == `flagging`, the first on
// ties; labels.size() when there is none.
size_t best_label(const ModerationTask& t, const std::vector<double>& probs, bool flagging) {
    const auto& labels = t.task.labels;
    size_t best = labels.size();
    for (size_t i = 0; i < labels.size(); ++i) {
        if (is_flagging(t, labels[i].name) != flagging) continue;
        if (best == labels.size() || probs[i] > probs[best]) best = i;
    }
    return best;
}

// Indices of the returned labels, in label order.
std::vector<size_t> returned_labels(const ModerationTask& t, const std::vector<double>& probs) {
    const auto& task = t.task;
    std::vector<size_t> out;
    if (task.multi_label) {
        for (size_t i = 0; i < probs.size(); ++i) {
            if (probs[i] >= task.cls_threshold) out.push_back(i);
        }
        return out;
    }
    const size_t flag = best_label(t, probs, true);
    if (flag < probs.size() && probs[flag] >= task.cls_threshold) return {flag};
    const size_t other = best_label(t, probs, false);
    if (other < probs.size()) out.push_back(other);
    return out;
}

}  // namespace

SideVerdict judge_side(const ModerationSide& side,
                       const std::vector<std::vector<double>>& probabilities) {
    if (probabilities.size() != side.tasks.size()) {
        throw std::invalid_argument("judge_side: probabilities for " +
                                    std::to_string(probabilities.size()) + " tasks, the side has " +
                                    std::to_string(side.tasks.size()));
    }
    SideVerdict verdict;
    for (size_t t = 0; t < side.tasks.size(); ++t) {
        const ModerationTask& task = side.tasks[t];
        const std::vector<double>& probs = probabilities[t];
        const auto& labels = task.task.labels;
        if (probs.size() != labels.size()) {
            throw std::invalid_argument("judge_side: task " + task.task.task + ": " +
                                        std::to_string(probs.size()) + " probabilities for " +
                                        std::to_string(labels.size()) + " labels");
        }
        TaskVerdict tv;
        tv.task = task.task.task;
        for (size_t i = 0; i < labels.size(); ++i) {
            tv.scores[labels[i].name] = probs[i];
            tv.label_order.push_back(labels[i].name);
        }
        for (size_t i : returned_labels(task, probs)) {
            const std::string& name = labels[i].name;
            tv.labels.push_back(name);
            if (!is_flagging(task, name)) continue;
            tv.flagged = true;
            if (std::find(verdict.flagged.begin(), verdict.flagged.end(), name) ==
                verdict.flagged.end()) {
                verdict.flagged.push_back(name);
            }
        }
        if (side.veto && side.veto->first == tv.task &&
            std::find(tv.labels.begin(), tv.labels.end(), side.veto->second) != tv.labels.end()) {
            verdict.vetoed = true;
        }
        verdict.tasks.push_back(std::move(tv));
    }
    if (verdict.vetoed) verdict.flagged.clear();
    verdict.unsafe = !verdict.flagged.empty();
    return verdict;
}

}  // namespace spanguard::schemas
