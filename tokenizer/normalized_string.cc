#include "tokenizer/normalized_string.h"

namespace spanguard::tokenizer {

NormalizedString::NormalizedString(std::string_view original, size_t base)
    : text_(original), align_(original.size()) {
    for (size_t i = 0; i < original.size(); ++i)
        align_[i] = {base + i, base + i + 1};
}

void NormalizedString::append(std::string_view piece, ByteRange original) {
    text_.append(piece);
    align_.insert(align_.end(), piece.size(), original);
}

void NormalizedString::append_from(const NormalizedString& other, size_t begin, size_t end) {
    text_.append(other.text_, begin, end - begin);
    align_.insert(align_.end(), other.align_.begin() + static_cast<std::ptrdiff_t>(begin),
                  other.align_.begin() + static_cast<std::ptrdiff_t>(end));
}

ByteRange NormalizedString::original_range(size_t begin, size_t end) const {
    if (begin >= end) {
        if (begin < align_.size()) return {align_[begin].begin, align_[begin].begin};
        if (!align_.empty()) return {align_.back().end, align_.back().end};
        return {0, 0};
    }
    return {align_[begin].begin, align_[end - 1].end};
}

NormalizedString NormalizedString::slice(size_t begin, size_t end) const {
    NormalizedString out;
    out.append_from(*this, begin, end);
    return out;
}

}  // namespace spanguard::tokenizer
