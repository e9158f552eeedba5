#include "tokenizer/tokenizer_json.h"

#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "tokenizer/added_tokens.h"
#include "tokenizer/error.h"
#include "tokenizer/hf_base64.h"
#include "tokenizer/hf_normalizers.h"
#include "tokenizer/hf_pre_tokenizers.h"
#include "tokenizer/hf_segment_encoder.h"
#include "tokenizer/precompiled_charsmap.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/unigram_model.h"
#include "tokenizer/utf8.h"

namespace spanguard::tokenizer {
namespace {

using json = nlohmann::json;

// Typed access to the JSON tree; every failure names the source and the JSON path.
class Reader {
  public:
    explicit Reader(std::string source) : source_(std::move(source)) {}
    const std::string& source() const { return source_; }

    [[noreturn]] void fail(const std::string& path, const std::string& message) const {
        throw TokenizerError(source_ + ": " + (path.empty() ? "" : path + ": ") + message);
    }

    void expect(const json& v, json::value_t type, const std::string& path) const {
        const bool ok =
            type == json::value_t::number_unsigned ? v.is_number_integer() : v.type() == type;
        if (!ok) fail(path, std::string("expected ") + name_of(type) + ", got " + describe(v));
    }

    const json* find(const json& obj, const char* key) const {
        auto it = obj.find(key);
        return it == obj.end() ? nullptr : &*it;
    }
    const json& require(const json& obj, const std::string& path, const char* key) const {
        const json* v = find(obj, key);
        if (!v) fail(path, std::string("missing field '") + key + "'");
        return *v;
    }

    std::string string_at(const json& obj, const std::string& path, const char* key) const {
        const json& v = require(obj, path, key);
        expect(v, json::value_t::string, join(path, key));
        return v.get<std::string>();
    }
    bool bool_at(const json& obj, const std::string& path, const char* key) const {
        const json& v = require(obj, path, key);
        expect(v, json::value_t::boolean, join(path, key));
        return v.get<bool>();
    }
    std::optional<bool> optional_bool_at(const json& obj, const std::string& path,
                                         const char* key) const {
        const json* v = find(obj, key);
        if (!v || v->is_null()) return std::nullopt;
        expect(*v, json::value_t::boolean, join(path, key));
        return v->get<bool>();
    }
    // A non-negative integer that fits int32.
    int32_t id_at(const json& v, const std::string& path) const {
        if (!v.is_number_integer() ||
            (v.is_number_integer() && !v.is_number_unsigned() && v.get<int64_t>() < 0)) {
            fail(path, "expected a non-negative integer, got " + describe(v));
        }
        const auto n = v.get<uint64_t>();
        if (n > static_cast<uint64_t>(std::numeric_limits<int32_t>::max())) {
            fail(path, "id " + std::to_string(n) + " is too large");
        }
        return static_cast<int32_t>(n);
    }

    static std::string join(const std::string& path, const char* key) {
        return path.empty() ? std::string(key) : path + "." + key;
    }
    static std::string index(const std::string& path, size_t i) {
        return path + "[" + std::to_string(i) + "]";
    }
    static std::string describe(const json& v) {
        switch (v.type()) {
            case json::value_t::null:
                return "null";
            case json::value_t::object:
                return "an object";
            case json::value_t::array:
                return "an array";
            case json::value_t::string:
                return "the string " + v.dump();
            case json::value_t::boolean:
                return v.get<bool>() ? "true" : "false";
            default:
                return "the number " + v.dump();
        }
    }
    static const char* name_of(json::value_t t) {
        switch (t) {
            case json::value_t::object:
                return "an object";
            case json::value_t::array:
                return "an array";
            case json::value_t::string:
                return "a string";
            case json::value_t::boolean:
                return "a boolean";
            case json::value_t::number_unsigned:
                return "an integer";
            default:
                return "a number";
        }
    }

  private:
    std::string source_;
};

// The "type" tag of a component object.
std::string type_of(const Reader& r, const json& v, const std::string& path) {
    r.expect(v, json::value_t::object, path);
    return r.string_at(v, path, "type");
}

HfPattern parse_pattern(const Reader& r, const json& obj, const std::string& path) {
    const std::string p = Reader::join(path, "pattern");
    const json& v = r.require(obj, path, "pattern");
    r.expect(v, json::value_t::object, p);
    if (v.size() != 1) r.fail(p, "expected exactly one of {\"String\": ...} or {\"Regex\": ...}");
    const std::string where = r.source() + ": " + p;
    if (const json* s = r.find(v, "String")) {
        r.expect(*s, json::value_t::string, p + ".String");
        return HfPattern::literal(s->get<std::string>(), where);
    }
    if (const json* s = r.find(v, "Regex")) {
        r.expect(*s, json::value_t::string, p + ".Regex");
        return HfPattern::regex(s->get<std::string>(), where);
    }
    r.fail(p, "unknown pattern kind '" + v.begin().key() + "' (expected String or Regex)");
}

std::unique_ptr<HfNormalizer> parse_normalizer(const Reader& r, const json& v,
                                               const std::string& path) {
    if (v.is_null()) return nullptr;
    const std::string type = type_of(r, v, path);
    if (type == "Sequence") {
        const std::string p = Reader::join(path, "normalizers");
        const json& list = r.require(v, path, "normalizers");
        r.expect(list, json::value_t::array, p);
        std::vector<std::unique_ptr<HfNormalizer>> items;
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string ip = Reader::index(p, i);
            if (list[i].is_null()) r.fail(ip, "expected a normalizer object, got null");
            items.push_back(parse_normalizer(r, list[i], ip));
        }
        return make_hf_sequence_normalizer(std::move(items));
    }
    if (type == "Strip") {
        return make_hf_strip(r.bool_at(v, path, "strip_left"), r.bool_at(v, path, "strip_right"));
    }
    if (type == "StripAccents") return make_hf_strip_accents();
    if (type == "Precompiled") {
        const std::string p = Reader::join(path, "precompiled_charsmap");
        const json& map = r.require(v, path, "precompiled_charsmap");
        if (map.is_null()) return make_hf_precompiled(nullptr);
        r.expect(map, json::value_t::string, p);
        const std::string blob = base64_decode(map.get<std::string>(), r.source() + ": " + p);
        if (blob.empty()) return make_hf_precompiled(nullptr);
        return make_hf_precompiled(
            std::make_shared<const PrecompiledCharsmap>(blob, r.source() + ": " + p));
    }
    if (type == "Replace") {
        HfPattern pattern = parse_pattern(r, v, path);
        return make_hf_replace(std::move(pattern), r.string_at(v, path, "content"));
    }
    if (type == "Lowercase") return make_hf_lowercase();
    if (type == "NFC") return make_hf_unicode_normalizer(HfUnicodeForm::kNFC);
    if (type == "NFD") return make_hf_unicode_normalizer(HfUnicodeForm::kNFD);
    if (type == "NFKC") return make_hf_unicode_normalizer(HfUnicodeForm::kNFKC);
    if (type == "NFKD") return make_hf_unicode_normalizer(HfUnicodeForm::kNFKD);
    if (type == "Prepend") return make_hf_prepend(r.string_at(v, path, "prepend"));
    if (type == "Nmt") return make_hf_nmt();
    if (type == "BertNormalizer") {
        return make_hf_bert_normalizer(
            r.bool_at(v, path, "clean_text"), r.bool_at(v, path, "handle_chinese_chars"),
            r.optional_bool_at(v, path, "strip_accents"), r.bool_at(v, path, "lowercase"));
    }
    if (type == "ByteLevel") {
        r.fail(path,
               "normalizer type 'ByteLevel' is not supported (byte-level BPE models are not)");
    }
    r.fail(path, "unknown normalizer type '" + type + "'");
}

HfSplitBehavior parse_behavior(const Reader& r, const json& obj, const std::string& path) {
    const std::string b = r.string_at(obj, path, "behavior");
    if (b == "Removed") return HfSplitBehavior::kRemoved;
    if (b == "Isolated") return HfSplitBehavior::kIsolated;
    if (b == "MergedWithPrevious") return HfSplitBehavior::kMergedWithPrevious;
    if (b == "MergedWithNext") return HfSplitBehavior::kMergedWithNext;
    if (b == "Contiguous") return HfSplitBehavior::kContiguous;
    r.fail(Reader::join(path, "behavior"),
           "unknown split behavior '" + b +
               "' (expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous)");
}

std::unique_ptr<HfPreTokenizer> parse_metaspace(const Reader& r, const json& v,
                                                const std::string& path) {
    const std::string replacement = r.string_at(v, path, "replacement");
    const std::u32string cps = utf8::to_u32(replacement);
    if (cps.size() != 1) {
        r.fail(Reader::join(path, "replacement"),
               "expected exactly one character, got \"" + replacement + "\"");
    }
    HfPrependScheme scheme = HfPrependScheme::kAlways;  // the library's default
    bool scheme_given = false;
    if (const json* s = r.find(v, "prepend_scheme"); s && !s->is_null()) {
        r.expect(*s, json::value_t::string, Reader::join(path, "prepend_scheme"));
        const std::string name = s->get<std::string>();
        if (name == "always") {
            scheme = HfPrependScheme::kAlways;
        } else if (name == "first") {
            scheme = HfPrependScheme::kFirst;
        } else if (name == "never") {
            scheme = HfPrependScheme::kNever;
        } else {
            r.fail(Reader::join(path, "prepend_scheme"),
                   "unknown prepend_scheme '" + name + "' (expected always, first or never)");
        }
        scheme_given = true;
    }
    // The older form says add_prefix_space instead. true keeps the scheme (default "always");
    // false requires the scheme to be "never", exactly as the library checks.
    if (auto add_prefix_space = r.optional_bool_at(v, path, "add_prefix_space");
        add_prefix_space && !*add_prefix_space) {
        if (scheme != HfPrependScheme::kNever) {
            r.fail(Reader::join(path, "add_prefix_space"),
                   scheme_given ? std::string("false does not match prepend_scheme '") +
                                      (scheme == HfPrependScheme::kFirst ? "first" : "always") + "'"
                                : "false requires prepend_scheme \"never\" (absent means "
                                  "\"always\"), as the Hugging Face library checks");
        }
        scheme = HfPrependScheme::kNever;
    }
    const bool split = r.optional_bool_at(v, path, "split").value_or(true);
    return make_hf_metaspace(cps[0], scheme, split);
}

std::unique_ptr<HfPreTokenizer> parse_pre_tokenizer(const Reader& r, const json& v,
                                                    const std::string& path) {
    if (v.is_null()) return nullptr;
    const std::string type = type_of(r, v, path);
    if (type == "Sequence") {
        const std::string p = Reader::join(path, "pretokenizers");
        const json& list = r.require(v, path, "pretokenizers");
        r.expect(list, json::value_t::array, p);
        std::vector<std::unique_ptr<HfPreTokenizer>> items;
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string ip = Reader::index(p, i);
            if (list[i].is_null()) r.fail(ip, "expected a pre-tokenizer object, got null");
            items.push_back(parse_pre_tokenizer(r, list[i], ip));
        }
        return make_hf_sequence_pre_tokenizer(std::move(items));
    }
    if (type == "Metaspace") return parse_metaspace(r, v, path);
    if (type == "WhitespaceSplit") return make_hf_whitespace_split();
    if (type == "Whitespace") return make_hf_whitespace();
    if (type == "Split") {
        HfPattern pattern = parse_pattern(r, v, path);
        const HfSplitBehavior behavior = parse_behavior(r, v, path);
        return make_hf_split(std::move(pattern), behavior, r.bool_at(v, path, "invert"));
    }
    for (const char* known : {"BertPreTokenizer", "ByteLevel", "CharDelimiterSplit", "Delimiter",
                              "Punctuation", "Digits", "UnicodeScripts", "FixedLength"}) {
        if (type == known) r.fail(path, "pre-tokenizer type '" + type + "' is not supported");
    }
    r.fail(path, "unknown pre-tokenizer type '" + type + "'");
}

std::shared_ptr<const UnigramModel> parse_model(const Reader& r, const json& v,
                                                const std::string& path) {
    const std::string type = type_of(r, v, path);
    if (type == "BPE" || type == "WordPiece" || type == "WordLevel") {
        r.fail(path, "model type '" + type + "' is not supported (only Unigram)");
    }
    if (type != "Unigram") r.fail(path, "unknown model type '" + type + "'");

    const std::string vp = Reader::join(path, "vocab");
    const json& vocab = r.require(v, path, "vocab");
    r.expect(vocab, json::value_t::array, vp);
    std::vector<Piece> pieces;
    pieces.reserve(vocab.size());
    for (size_t i = 0; i < vocab.size(); ++i) {
        const json& entry = vocab[i];
        const std::string ep = Reader::index(vp, i);
        if (!entry.is_array() || entry.size() != 2) {
            r.fail(ep, "expected a [piece, score] pair, got " + Reader::describe(entry));
        }
        r.expect(entry[0], json::value_t::string, ep + "[0]");
        if (!entry[1].is_number()) {
            r.fail(ep + "[1]", "expected a number, got " + Reader::describe(entry[1]));
        }
        const double score = entry[1].get<double>();
        if (!std::isfinite(score)) r.fail(ep + "[1]", "score is not finite");
        pieces.push_back(
            {entry[0].get<std::string>(), static_cast<float>(score), PieceType::kNormal});
    }
    if (pieces.empty()) r.fail(vp, "the vocabulary is empty");

    const json* unk = r.find(v, "unk_id");
    if (!unk || unk->is_null()) {
        r.fail(Reader::join(path, "unk_id"),
               "is missing or null; a Unigram model without an unknown token is not supported");
    }
    const int32_t unk_id = r.id_at(*unk, Reader::join(path, "unk_id"));
    if (static_cast<size_t>(unk_id) >= pieces.size()) {
        r.fail(Reader::join(path, "unk_id"), std::to_string(unk_id) +
                                                 " is outside the vocabulary of " +
                                                 std::to_string(pieces.size()) + " pieces");
    }
    const bool byte_fallback = r.optional_bool_at(v, path, "byte_fallback").value_or(false);
    try {
        return std::make_shared<const UnigramModel>(std::move(pieces), unk_id, byte_fallback,
                                                    UnigramModel::Matching::kHuggingFace);
    } catch (const TokenizerError& e) {
        r.fail(path, e.what());
    }
}

// Post-processor and decoder: not used for encoding, but a malformed one is still an error.
void check_unused_component(const Reader& r, const json& root, const char* key) {
    const json* v = r.find(root, key);
    if (!v || v->is_null()) return;
    type_of(r, *v, key);
}

struct AddedTokenSpec {
    std::string content;
    int32_t id;
    bool special, normalized, lstrip, rstrip, single_word;
    bool same_as(const AddedTokenSpec& o) const {
        return content == o.content && special == o.special && normalized == o.normalized &&
               lstrip == o.lstrip && rstrip == o.rstrip && single_word == o.single_word;
    }
};

std::vector<AddedTokenSpec> parse_added_tokens(const Reader& r, const json& root,
                                               const UnigramModel& model) {
    std::vector<AddedTokenSpec> out;
    const json* list = r.find(root, "added_tokens");
    if (!list || list->is_null()) return out;
    r.expect(*list, json::value_t::array, "added_tokens");
    std::map<std::string, size_t> seen;     // content -> index into `out`
    std::map<std::string, size_t> seen_at;  // content -> JSON index, for messages
    // The library assigns ids itself: a model piece keeps its id, any other token takes the next
    // id after the model's vocabulary, in file order.
    auto next_id = static_cast<int64_t>(model.size());
    for (size_t i = 0; i < list->size(); ++i) {
        const std::string p = Reader::index("added_tokens", i);
        const json& t = (*list)[i];
        r.expect(t, json::value_t::object, p);
        AddedTokenSpec spec{
            r.string_at(t, p, "content"),  r.id_at(r.require(t, p, "id"), Reader::join(p, "id")),
            r.bool_at(t, p, "special"),    r.bool_at(t, p, "normalized"),
            r.bool_at(t, p, "lstrip"),     r.bool_at(t, p, "rstrip"),
            r.bool_at(t, p, "single_word")};
        if (spec.content.empty()) r.fail(Reader::join(p, "content"), "is empty");
        for (const auto& [flag, set] : {std::pair<const char*, bool>{"lstrip", spec.lstrip},
                                        {"rstrip", spec.rstrip},
                                        {"single_word", spec.single_word}}) {
            if (set) {
                r.fail(Reader::join(p, flag),
                       "true is not supported (token '" + spec.content + "')");
            }
        }
        if (auto it = seen.find(spec.content); it != seen.end()) {
            if (out[it->second].same_as(spec) && out[it->second].id == spec.id) continue;
            r.fail(p, "token '" + spec.content + "' repeats added_tokens[" +
                          std::to_string(seen_at[spec.content]) + "] with different settings");
        }
        int64_t expected;
        if (auto piece_id = model.piece_to_id(spec.content)) {
            expected = *piece_id;
        } else {
            expected = next_id++;
        }
        if (expected != spec.id) {
            r.fail(Reader::join(p, "id"),
                   "token '" + spec.content + "' has id " + std::to_string(spec.id) +
                       " but the Hugging Face library would give it id " +
                       std::to_string(expected) +
                       " (the model's id for one of its pieces, otherwise the next id after the "
                       "model's vocabulary of " +
                       std::to_string(model.size()) + ", in file order)");
        }
        seen.emplace(spec.content, out.size());
        seen_at.emplace(spec.content, i);
        out.push_back(std::move(spec));
    }
    return out;
}

std::string line_and_column(std::string_view text, size_t byte) {
    // nlohmann reports the 1-based position of the last byte read.
    const size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

ParsedTokenizerJson parse_tokenizer_json(std::string_view json_text, std::string_view source_name) {
    const Reader r{std::string(source_name)};
    json root;
    try {
        root = json::parse(json_text.begin(), json_text.end());
    } catch (const json::parse_error& e) {
        // e.what() is "[json.exception.parse_error.101] parse error at line L, column C: ...";
        // keep only the reason and give the position in our own words.
        std::string reason = e.what();
        if (auto colon = reason.find(": "); colon != std::string::npos)
            reason = reason.substr(colon + 2);
        throw TokenizerError(r.source() + ": invalid JSON at " +
                             line_and_column(json_text, e.byte) + ": " + reason);
    } catch (const json::out_of_range& e) {
        // A number beyond double's range (e.g. 1e400) is out_of_range, not parse_error, and has
        // no position.
        throw TokenizerError(r.source() + ": invalid JSON: " + e.what());
    }
    r.expect(root, json::value_t::object, "");
    if (const json* version = r.find(root, "version"); version && !version->is_null()) {
        r.expect(*version, json::value_t::string, "version");
        if (version->get<std::string>() != "1.0") {
            r.fail("version", "unsupported tokenizer.json version '" + version->get<std::string>() +
                                  "' (expected 1.0)");
        }
    }
    for (const char* key : {"truncation", "padding"}) {
        const json* v = r.find(root, key);
        if (v && !v->is_null()) r.expect(*v, json::value_t::object, key);
    }
    check_unused_component(r, root, "post_processor");
    check_unused_component(r, root, "decoder");

    const json* model_json = r.find(root, "model");
    if (!model_json || model_json->is_null()) r.fail("model", "missing (a model is required)");
    std::shared_ptr<const UnigramModel> model = parse_model(r, *model_json, "model");

    const json* normalizer_json = r.find(root, "normalizer");
    std::unique_ptr<HfNormalizer> normalizer =
        normalizer_json ? parse_normalizer(r, *normalizer_json, "normalizer") : nullptr;
    const json* pre_json = r.find(root, "pre_tokenizer");
    std::unique_ptr<HfPreTokenizer> pre_tokenizer =
        pre_json ? parse_pre_tokenizer(r, *pre_json, "pre_tokenizer") : nullptr;

    ParsedTokenizerJson out;
    std::vector<HfSegmentEncoder::NormalizedToken> normalized_tokens;
    for (auto& t : parse_added_tokens(r, root, *model)) {
        if (t.normalized) {
            normalized_tokens.push_back({std::move(t.content), t.id});
        } else {
            out.raw_tokens.emplace_back(std::move(t.content), t.id);
        }
    }
    try {
        out.encoder = std::make_shared<const HfSegmentEncoder>(
            std::move(normalizer), std::move(pre_tokenizer), std::move(model),
            std::move(normalized_tokens));
    } catch (const TokenizerError& e) {
        r.fail("added_tokens", e.what());
    }
    return out;
}

Tokenizer Tokenizer::from_tokenizer_json(std::string_view json_text, std::string_view source_name) {
    ParsedTokenizerJson parsed = parse_tokenizer_json(json_text, source_name);
    auto added = std::make_shared<AddedTokens>();
    for (const auto& [token, id] : parsed.raw_tokens)
        added->add(token, id);
    return Tokenizer(std::move(parsed.encoder), std::move(added));
}

}  // namespace spanguard::tokenizer
