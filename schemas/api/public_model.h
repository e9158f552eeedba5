// Private to the public API's implementation: what a spanguard::Model holds.
#pragma once

#include "schemas/model.h"
#include "spanguard/spanguard.h"

namespace spanguard {

struct Model::Impl {
    schemas::Model model;  // the loaded checkpoint and the pipeline over it
};

}  // namespace spanguard
