#include "schemas/decoding/long_text_merge.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <tuple>

#include "tokenizer/utf8.h"
#include "tokenizer/word_splitter.h"

namespace spanguard::schemas {
namespace {

bool is_span_item(const Json& v) {
    return v.is_object() && v.contains("text") && v.contains("start") && v.contains("end") &&
           v["start"].is_number_integer() && v["end"].is_number_integer();
}

bool is_label_item(const Json& v) {
    return v.is_object() && v.contains("label") && v.contains("confidence");
}

// Python's `value in (None, {}, [])`.
bool is_empty_value(const Json& v) {
    return v.is_null() || (v.is_object() && v.empty()) || (v.is_array() && v.empty());
}

double confidence_or_zero(const Json& item) {
    if (item.is_object() && item.contains("confidence") && item["confidence"].is_number()) {
        return item["confidence"].get<double>();
    }
    return 0.0;
}

std::string lower_text(const Json& item) {
    const Json& text = item["text"];
    return text.is_string() ? tokenizer::python_lower(text.get<std::string>()) : text.dump();
}

std::string text_or_empty(const Json& item) {
    return item["text"].is_string() ? item["text"].get<std::string>() : std::string();
}

struct Remapper {
    std::string_view document;
    tokenizer::utf8::CodePointIndex index;
    const TextWindow* window = nullptr;

    Json remap(const Json& value) const {
        if (value.is_array()) {
            Json out = Json::array();
            for (const auto& item : value)
                out.push_back(remap(item));
            return out;
        }
        if (!value.is_object()) return value;
        Json out = Json::object();
        for (const auto& [key, item] : value.items())
            out[key] = remap(item);
        if (!is_span_item(out)) return out;
        const long long start =
            out["start"].get<long long>() + static_cast<long long>(window->start_cp);
        const long long end =
            out["end"].get<long long>() + static_cast<long long>(window->start_cp);
        out["start"] = start;
        out["end"] = end;
        const auto length = static_cast<long long>(index.code_point_count());
        // A span over the window's synthetic "." can end one past the document; it keeps the
        // window's text then.
        if (0 <= start && start <= end && end <= length) {
            const size_t from = index.to_byte(static_cast<size_t>(start));
            const size_t to = index.to_byte(static_cast<size_t>(end));
            out["text"] = std::string(document.substr(from, to - from));
        }
        return out;
    }
};

// A value with every "confidence" key left out and object keys sorted: two predictions of the
// same thing from two windows have the same key. Numbers keep their type (1 and 1.0 differ), as
// in the reference's repr-based key.
std::string canonical_key(const Json& value) {
    if (value.is_object()) {
        std::map<std::string, std::string> sorted;
        for (const auto& [key, item] : value.items()) {
            if (key != "confidence") sorted.emplace(key, canonical_key(item));
        }
        std::string out = "{";
        for (const auto& [key, item] : sorted)
            out += Json(key).dump() + ":" + item + ",";
        return out + "}";
    }
    if (value.is_array()) {
        std::string out = "[";
        for (const auto& item : value)
            out += canonical_key(item) + ",";
        return out + "]";
    }
    return value.dump();
}

// The confidence of a prediction, or the highest confidence nested in it, or 0.
double representative_confidence(const Json& value) {
    if (value.is_object()) {
        if (value.contains("confidence") && value["confidence"].is_number()) {
            return value["confidence"].get<double>();
        }
        double best = 0.0;
        bool any = false;
        for (const auto& item : value) {
            const double c = representative_confidence(item);
            best = any ? std::max(best, c) : c;
            any = true;
        }
        return best;
    }
    if (value.is_array()) {
        double best = 0.0;
        bool any = false;
        for (const auto& item : value) {
            const double c = representative_confidence(item);
            best = any ? std::max(best, c) : c;
            any = true;
        }
        return best;
    }
    return 0.0;
}

std::vector<Json> as_list(const Json& value) {
    if (value.is_null()) return {};
    if (value.is_array()) return std::vector<Json>(value.begin(), value.end());
    return {value};
}

// Keys of `values` (objects only) in first-seen order.
std::vector<std::string> union_keys(const std::vector<Json>& values) {
    std::vector<std::string> keys;
    for (const auto& v : values) {
        if (!v.is_object()) continue;
        for (const auto& [key, item] : v.items()) {
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
        }
    }
    return keys;
}

Json merge_values(const std::vector<Json>& values);

Json merge_objects(const std::vector<Json>& values) {
    Json out = Json::object();
    for (const auto& key : union_keys(values)) {
        std::vector<Json> present;
        for (const auto& v : values) {
            if (v.contains(key)) present.push_back(v[key]);
        }
        out[key] = merge_values(present);
    }
    return out;
}

Json merge_values(const std::vector<Json>& values) {
    std::vector<Json> non_empty;
    for (const auto& v : values) {
        if (!is_empty_value(v)) non_empty.push_back(v);
    }
    if (non_empty.empty()) return values.empty() ? Json(nullptr) : values.front();
    auto all = [&](auto predicate) {
        return std::all_of(non_empty.begin(), non_empty.end(), predicate);
    };
    if (all(is_label_item)) {
        // The first of the most confident (Python max keeps the first maximum).
        const Json* best = &non_empty.front();
        for (const auto& v : non_empty) {
            if (confidence_or_zero(v) > confidence_or_zero(*best)) best = &v;
        }
        return *best;
    }
    if (all([](const Json& v) { return v.is_string(); })) {
        // Majority vote; ties go to the value seen first.
        const Json* best = nullptr;
        size_t best_count = 0;
        for (const auto& v : non_empty) {
            const auto count =
                static_cast<size_t>(std::count(non_empty.begin(), non_empty.end(), v));
            if (count > best_count) {
                best = &v;
                best_count = count;
            }
        }
        return *best;
    }
    if (all([](const Json& v) { return v.is_array(); })) {
        std::vector<Json> items;
        for (const auto& v : non_empty)
            items.insert(items.end(), v.begin(), v.end());
        return dedupe_merged_items(items, false);
    }
    if (all([](const Json& v) { return v.is_object(); })) return merge_objects(non_empty);
    return non_empty.front();
}

Json merge_keyed_lists(const std::vector<Json>& values, bool remove_overlaps,
                       const std::set<std::string>* scalar_labels) {
    Json out = Json::object();
    for (const auto& label : union_keys(values)) {
        std::vector<Json> items;
        for (const auto& v : values) {
            if (!v.is_object() || !v.contains(label)) continue;
            for (auto& item : as_list(v[label]))
                items.push_back(std::move(item));
        }
        Json deduped = dedupe_merged_items(items, remove_overlaps);
        if (scalar_labels != nullptr && scalar_labels->count(label) != 0) {
            out[label] = deduped.empty() ? Json(nullptr) : deduped[0];
        } else {
            out[label] = std::move(deduped);
        }
    }
    return out;
}

}  // namespace

Json dedupe_merged_items(const std::vector<Json>& items, bool remove_overlaps) {
    std::vector<Json> spans;
    std::vector<Json> others;
    for (const auto& item : items)
        (is_span_item(item) ? spans : others).push_back(item);

    Json out = Json::array();
    // Most confident first; stable, as Python's sorted(reverse=True) is.
    std::stable_sort(spans.begin(), spans.end(), [](const Json& a, const Json& b) {
        return confidence_or_zero(a) > confidence_or_zero(b);
    });
    std::vector<Json> taken;
    std::set<std::tuple<std::string, long long, long long>> seen;
    for (auto& item : spans) {
        const long long start = item["start"].get<long long>();
        const long long end = item["end"].get<long long>();
        auto key = std::make_tuple(lower_text(item), start, end);
        if (seen.count(key) != 0) continue;
        if (remove_overlaps) {
            const bool overlaps = std::any_of(taken.begin(), taken.end(), [&](const Json& t) {
                return !(end <= t["start"].get<long long>() || start >= t["end"].get<long long>());
            });
            if (overlaps) continue;
        }
        seen.insert(std::move(key));
        taken.push_back(std::move(item));
    }
    std::stable_sort(taken.begin(), taken.end(), [](const Json& a, const Json& b) {
        return std::make_tuple(a["start"].get<long long>(), a["end"].get<long long>(),
                               text_or_empty(a)) < std::make_tuple(b["start"].get<long long>(),
                                                                   b["end"].get<long long>(),
                                                                   text_or_empty(b));
    });
    for (auto& t : taken)
        out.push_back(std::move(t));

    std::vector<Json> kept;
    std::map<std::string, size_t> position;
    for (const auto& item : others) {
        const std::string key = canonical_key(item);
        const auto it = position.find(key);
        if (it == position.end()) {
            position.emplace(key, kept.size());
            kept.push_back(item);
        } else if (representative_confidence(item) > representative_confidence(kept[it->second])) {
            kept[it->second] = item;
        }
    }
    for (auto& k : kept)
        out.push_back(std::move(k));
    return out;
}

Json strip_span_metadata(const Json& value, const OutputOptions& options) {
    if (value.is_array()) {
        Json out = Json::array();
        for (const auto& item : value)
            out.push_back(strip_span_metadata(item, options));
        return out;
    }
    if (!value.is_object()) return value;
    if (is_span_item(value)) {
        Json extras = Json::object();
        for (const auto& [key, item] : value.items()) {
            if (key != "text" && key != "confidence" && key != "start" && key != "end") {
                extras[key] = item;
            }
        }
        const Json text = value["text"];
        if (!options.include_confidence && !options.include_spans && extras.empty()) return text;
        Json out = Json::object();
        out["text"] = text;
        if (options.include_confidence && value.contains("confidence")) {
            out["confidence"] = value["confidence"];
        }
        if (options.include_spans) {
            out["start"] = value["start"];
            out["end"] = value["end"];
        }
        for (const auto& [key, item] : extras.items())
            out[key] = item;
        return out;
    }
    if (is_label_item(value)) {
        if (!options.include_confidence) return value["label"];
        Json out = Json::object();
        out["label"] = value["label"];
        out["confidence"] = value["confidence"];
        return out;
    }
    // A choice field's pick: text and confidence without offsets.
    if (value.contains("text") && value.contains("confidence") && !value.contains("start") &&
        !value.contains("end")) {
        if (!options.include_confidence) return value["text"];
        Json out = Json::object();
        out["text"] = value["text"];
        out["confidence"] = value["confidence"];
        return out;
    }
    Json out = Json::object();
    for (const auto& [key, item] : value.items())
        out[key] = strip_span_metadata(item, options);
    return out;
}

Json merge_window_results(std::string_view document, const std::vector<TextWindow>& windows,
                          const std::vector<Json>& window_results,
                          const std::set<std::string>& scalar_entity_labels,
                          const OutputOptions& options) {
    if (windows.size() != window_results.size()) {
        throw std::invalid_argument("merge_window_results: " + std::to_string(windows.size()) +
                                    " windows, " + std::to_string(window_results.size()) +
                                    " results");
    }
    Remapper remapper{document, tokenizer::utf8::CodePointIndex(document), nullptr};
    std::vector<Json> remapped;
    remapped.reserve(windows.size());
    for (size_t k = 0; k < windows.size(); ++k) {
        remapper.window = &windows[k];
        remapped.push_back(remapper.remap(window_results[k]));
    }

    Json merged = Json::object();
    for (const auto& key : union_keys(remapped)) {
        std::vector<Json> values;
        for (const auto& r : remapped) {
            if (r.is_object() && r.contains(key)) values.push_back(r[key]);
        }
        if (key == "entities") {
            merged[key] = merge_keyed_lists(values, true, &scalar_entity_labels);
        } else if (key == "relation_extraction") {
            merged[key] = merge_keyed_lists(values, false, nullptr);
        } else {
            merged[key] = merge_values(values);
        }
    }
    Json out = strip_span_metadata(merged, options);
    // Windows always carry relations as {"head": item, "tail": item}; without either flag the
    // reference renders each as a [head, tail] pair (output_format.h).
    if (!options.include_confidence && !options.include_spans && merged.is_object() &&
        merged.contains("relation_extraction") && merged["relation_extraction"].is_object()) {
        for (const auto& [name, instances] : merged["relation_extraction"].items()) {
            if (!instances.is_array()) continue;
            Json pairs = Json::array();
            for (const auto& r : instances) {
                if (r.is_object() && r.contains("head") && r.contains("tail")) {
                    pairs.push_back(Json::array({strip_span_metadata(r["head"], options),
                                                 strip_span_metadata(r["tail"], options)}));
                } else {
                    pairs.push_back(strip_span_metadata(r, options));
                }
            }
            out["relation_extraction"][name] = std::move(pairs);
        }
    }
    return out;
}

}  // namespace spanguard::schemas
