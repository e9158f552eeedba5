// The GLiNER2 heads' MLPs: Linear layers with a ReLU between consecutive ones and none after the
// last (dropout is inactive at inference). In the checkpoint they are nn.Sequential modules whose
// Linear layers sit at indices such as {0, 3} (Linear, ReLU, Dropout, Linear) or {0, 2, 4}.
//
// Thread safety: immutable after construction; apply() may run on many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/weights/checkpoint_weights.h"
#include "heads/linear.h"
#include "heads/tensor.h"

namespace spanguard::heads {

class ReluMlp {
  public:
    // Throws core::Error when `layers` is empty or consecutive widths disagree.
    explicit ReluMlp(std::vector<Linear> layers);

    // Reads `<prefix>.<index>.weight/bias` for each Sequential index; `widths` lists the input
    // width then each layer's output width (widths.size() == indices.size() + 1).
    static ReluMlp from_checkpoint(const core::CheckpointWeights& weights,
                                   const std::string& prefix, const std::vector<int>& indices,
                                   const std::vector<int64_t>& widths);

    int64_t in_features() const { return layers_.front().in_features(); }
    int64_t out_features() const { return layers_.back().out_features(); }
    const std::vector<Linear>& layers() const { return layers_; }

    // x: [rows, in] -> [rows, out].
    Matrix apply(const MatrixRef& x) const;

  private:
    std::vector<Linear> layers_;
};

}  // namespace spanguard::heads
