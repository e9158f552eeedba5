#include "heads/count_embedding.h"

#include "core/util/error.h"
#include "heads/count_lstm.h"
#include "heads/count_lstm_moe.h"
#include "heads/count_lstm_v2.h"

namespace spanguard::heads {

std::unique_ptr<CountEmbedding> make_count_embedding(const core::CheckpointWeights& weights,
                                                     int64_t hidden) {
    // The loader decides the variant from the weight keys, not from config.json (GLINER2.md §1.2).
    switch (weights.counting_layer()) {
        case core::CountingLayer::kCountLstm:
            return std::make_unique<CountLstm>(CountLstm::from_checkpoint(weights, hidden));
        case core::CountingLayer::kCountLstmV2:
            return std::make_unique<CountLstmV2>(CountLstmV2::from_checkpoint(weights, hidden));
        case core::CountingLayer::kCountLstmMoe:
            return std::make_unique<CountLstmMoe>(CountLstmMoe::from_checkpoint(weights, hidden));
    }
    throw core::Error("count embedding: unknown counting layer variant");
}

}  // namespace spanguard::heads
