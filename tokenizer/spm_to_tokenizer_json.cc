#include "tokenizer/spm_to_tokenizer_json.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "tokenizer/error.h"
#include "tokenizer/hf_base64.h"
#include "tokenizer/spm_model_proto.h"
#include "tokenizer/utf8.h"

namespace spanguard::tokenizer {
namespace {

using ojson = nlohmann::ordered_json;

ojson added_token(int32_t id, const std::string& content, bool special) {
    // Field order as the Hugging Face library serialises an AddedToken.
    ojson t;
    t["id"] = id;
    t["content"] = content;
    t["single_word"] = false;
    t["lstrip"] = false;
    t["rstrip"] = false;
    t["normalized"] = false;
    t["special"] = special;
    return t;
}

ojson metaspace(const char* type) {
    ojson m;
    m["type"] = type;
    m["replacement"] = "\u2581";
    m["prepend_scheme"] = "always";
    m["split"] = true;
    return m;
}

ojson template_piece(const char* kind, const char* id, int type_id) {
    ojson inner;
    inner["id"] = id;
    inner["type_id"] = type_id;
    ojson piece;
    piece[kind] = inner;
    return piece;
}

ojson post_processor(int32_t cls_id, int32_t sep_id) {
    ojson p;
    p["type"] = "TemplateProcessing";
    p["single"] = ojson::array({template_piece("SpecialToken", "[CLS]", 0),
                                template_piece("Sequence", "A", 0),
                                template_piece("SpecialToken", "[SEP]", 0)});
    p["pair"] = ojson::array(
        {template_piece("SpecialToken", "[CLS]", 0), template_piece("Sequence", "A", 0),
         template_piece("SpecialToken", "[SEP]", 0), template_piece("Sequence", "B", 1),
         template_piece("SpecialToken", "[SEP]", 1)});
    ojson specials;
    for (const auto& [name, id] :
         {std::pair<const char*, int32_t>{"[CLS]", cls_id}, {"[SEP]", sep_id}}) {
        ojson s;
        s["id"] = name;
        s["ids"] = ojson::array({id});
        s["tokens"] = ojson::array({name});
        specials[name] = s;
    }
    p["special_tokens"] = specials;
    return p;
}

// Writes `v` as serde_json's PrettyFormatter does (the Hugging Face library writes tokenizer.json
// with it): 2-space indent, "key": value, every array element on its own line, and floats in
// Rust's shortest round-trip form (ryu), e.g. 0.0, -3.329261541366577, 1e-7.
void write_float(double v, std::string& out) {
    char buf[64];
    // Shortest round-trip digits and decimal exponent, then ryu's choice of layout.
    auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
    bool negative = false;
    if (!sci.empty() && sci[0] == '-') {
        negative = true;
        sci.remove_prefix(1);
    }
    const size_t e_pos = sci.find('e');
    std::string digits;
    for (char c : sci.substr(0, e_pos)) {
        if (c != '.') digits.push_back(c);
    }
    const int exp10 = std::stoi(std::string(sci.substr(e_pos + 1)));
    if (digits == "0") {
        out += negative ? "-0.0" : "0.0";
        return;
    }
    const int length = static_cast<int>(digits.size());
    const int k = exp10 - (length - 1);  // value = digits * 10^k
    const int kk = length + k;           // 10^(kk-1) <= |value| < 10^kk
    if (negative) out.push_back('-');
    if (k >= 0 && kk <= 16) {
        out += digits;
        out.append(static_cast<size_t>(k), '0');
        out += ".0";
    } else if (kk > 0 && kk <= 16) {
        out += digits.substr(0, static_cast<size_t>(kk));
        out.push_back('.');
        out += digits.substr(static_cast<size_t>(kk));
    } else if (kk > -5 && kk <= 0) {
        out += "0.";
        out.append(static_cast<size_t>(-kk), '0');
        out += digits;
    } else if (length == 1) {
        out += digits;
        out.push_back('e');
        out += std::to_string(kk - 1);
    } else {
        out.push_back(digits[0]);
        out.push_back('.');
        out += digits.substr(1);
        out.push_back('e');
        out += std::to_string(kk - 1);
    }
}

void write_string(const std::string& s, std::string& out) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out.push_back(kHex[c >> 4]);
                    out.push_back(kHex[c & 15]);
                } else {
                    out.push_back(ch);
                }
        }
    }
    out.push_back('"');
}

void write_pretty(const ojson& v, size_t depth, std::string& out) {
    const auto indent = [&](size_t d) { out.append(2 * d, ' '); };
    switch (v.type()) {
        case ojson::value_t::object: {
            if (v.empty()) {
                out += "{}";
                return;
            }
            out += "{\n";
            bool first = true;
            for (auto it = v.begin(); it != v.end(); ++it) {
                if (!first) out += ",\n";
                first = false;
                indent(depth + 1);
                write_string(it.key(), out);
                out += ": ";
                write_pretty(it.value(), depth + 1, out);
            }
            out += "\n";
            indent(depth);
            out += "}";
            return;
        }
        case ojson::value_t::array: {
            if (v.empty()) {
                out += "[]";
                return;
            }
            out += "[\n";
            bool first = true;
            for (const auto& e : v) {
                if (!first) out += ",\n";
                first = false;
                indent(depth + 1);
                write_pretty(e, depth + 1, out);
            }
            out += "\n";
            indent(depth);
            out += "]";
            return;
        }
        case ojson::value_t::string:
            write_string(v.get_ref<const std::string&>(), out);
            return;
        case ojson::value_t::boolean:
            out += v.get<bool>() ? "true" : "false";
            return;
        case ojson::value_t::null:
            out += "null";
            return;
        case ojson::value_t::number_float:
            write_float(v.get<double>(), out);
            return;
        case ojson::value_t::number_integer:
            out += std::to_string(v.get<int64_t>());
            return;
        case ojson::value_t::number_unsigned:
            out += std::to_string(v.get<uint64_t>());
            return;
        default:
            out += "null";
            return;
    }
}

}  // namespace

std::string spm_to_tokenizer_json(std::string_view spm_model_bytes, std::string_view source_name,
                                  const SpmConversionOptions& options) {
    const std::string src(source_name);
    const SpmModel model = parse_spm_model(spm_model_bytes, source_name);
    if (model.pieces.empty()) throw TokenizerError(src + ": the model has no pieces");

    if (!options.transformers_compatible) {
        // The DeBERTa layout hard-codes SentencePiece's default whitespace handling; a model
        // that turns it off would tokenise differently from its tokenizer.json.
        const auto& n = model.normalizer;
        const char* off = !n.add_dummy_prefix           ? "add_dummy_prefix is false"
                          : !n.remove_extra_whitespaces ? "remove_extra_whitespaces is false"
                          : !n.escape_whitespaces       ? "escape_whitespaces is false"
                          : model.trainer.treat_whitespace_as_suffix
                              ? "treat_whitespace_as_suffix is true"
                              : nullptr;
        if (off) {
            throw TokenizerError(src + ": normalizer_spec " + off +
                                 ", which the DeBERTa-v2 tokenizer.json layout cannot express "
                                 "(use the transformers-compatible mode to convert anyway)");
        }
    }

    std::unordered_map<std::string, int32_t> piece_id;
    piece_id.reserve(model.pieces.size());
    for (size_t i = 0; i < model.pieces.size(); ++i) {
        piece_id.emplace(model.pieces[i].text, static_cast<int32_t>(i));
    }
    const auto id_of = [&](const char* name) {
        auto it = piece_id.find(name);
        if (it == piece_id.end()) {
            throw TokenizerError(src + ": the model has no " + name +
                                 " piece, which the DeBERTa-v2 post-processor needs");
        }
        return it->second;
    };
    const int32_t cls_id = id_of("[CLS]");
    const int32_t sep_id = id_of("[SEP]");
    const int32_t unk_id = model.trainer.unk_id;
    if (unk_id < 0 || static_cast<size_t>(unk_id) >= model.pieces.size()) {
        throw TokenizerError(src + ": trainer_spec.unk_id " + std::to_string(unk_id) +
                             " is outside the " + std::to_string(model.pieces.size()) + " pieces");
    }

    // Added tokens: control and unknown pieces are special; user-defined pieces are not (they
    // are still matched verbatim, as SentencePiece does).
    ojson added = ojson::array();
    std::unordered_map<std::string, int32_t> added_ids;
    for (size_t i = 0; i < model.pieces.size(); ++i) {
        const Piece& p = model.pieces[i];
        if (p.type != PieceType::kControl && p.type != PieceType::kUnknown &&
            p.type != PieceType::kUserDefined) {
            continue;
        }
        added.push_back(
            added_token(static_cast<int32_t>(i), p.text, p.type != PieceType::kUserDefined));
        added_ids.emplace(p.text, static_cast<int32_t>(i));
    }
    auto extras = options.extra_special_tokens;
    std::stable_sort(extras.begin(), extras.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    auto next_id = static_cast<int64_t>(model.pieces.size());
    for (const auto& [content, id] : extras) {
        if (content.empty())
            throw TokenizerError("extra special token with id " + std::to_string(id) + " is empty");
        if (auto it = added_ids.find(content); it != added_ids.end()) {
            if (it->second == id) continue;
            throw TokenizerError("extra special token '" + content + "' has id " +
                                 std::to_string(id) + " but is already added with id " +
                                 std::to_string(it->second));
        }
        int64_t expected;
        if (auto it = piece_id.find(content); it != piece_id.end()) {
            expected = it->second;
        } else {
            expected = next_id++;
        }
        if (expected != id) {
            throw TokenizerError(
                "extra special token '" + content + "' has id " + std::to_string(id) +
                ", but the Hugging Face library would assign it id " + std::to_string(expected) +
                " on load (a model piece keeps its id; other tokens take consecutive ids after "
                "the " +
                std::to_string(model.pieces.size()) + " pieces, in id order)");
        }
        added.push_back(added_token(id, content, true));
        added_ids.emplace(content, id);
    }

    ojson normalizers = ojson::array();
    {
        ojson strip;
        strip["type"] = "Strip";
        strip["strip_left"] = true;
        strip["strip_right"] = true;
        normalizers.push_back(strip);
    }
    if (!model.normalizer.precompiled_charsmap.empty()) {
        ojson pre;
        pre["type"] = "Precompiled";
        pre["precompiled_charsmap"] = base64_encode(model.normalizer.precompiled_charsmap);
        normalizers.push_back(pre);
    }
    {
        ojson replace;
        replace["type"] = "Replace";
        replace["pattern"] = ojson{{"Regex", " {2,}"}};
        replace["content"] = " ";
        normalizers.push_back(replace);
    }

    ojson vocab = ojson::array();
    for (const Piece& p : model.pieces) {
        // Scores are float32 in the model; written as the double of that float, the shortest
        // text that reads back exactly.
        vocab.push_back(ojson::array({p.text, static_cast<double>(p.score)}));
    }
    ojson unigram;
    unigram["type"] = "Unigram";
    unigram["unk_id"] = unk_id;
    unigram["vocab"] = std::move(vocab);
    unigram["byte_fallback"] =
        options.transformers_compatible ? false : model.trainer.byte_fallback;

    ojson root;
    root["version"] = "1.0";
    root["truncation"] = nullptr;
    root["padding"] = nullptr;
    root["added_tokens"] = std::move(added);
    root["normalizer"] = ojson{{"type", "Sequence"}, {"normalizers", std::move(normalizers)}};
    root["pre_tokenizer"] =
        ojson{{"type", "Sequence"}, {"pretokenizers", ojson::array({metaspace("Metaspace")})}};
    root["post_processor"] = post_processor(cls_id, sep_id);
    root["decoder"] = metaspace("Metaspace");
    root["model"] = std::move(unigram);
    for (const Piece& p : model.pieces) {
        if (auto bad = utf8::find_invalid(p.text)) {
            throw TokenizerError(src + ": piece '" + utf8::replace_invalid(p.text) +
                                 "' is not valid UTF-8 (byte offset " + std::to_string(*bad) +
                                 "), which tokenizer.json cannot hold");
        }
    }
    std::string out;
    out.reserve(model.pieces.size() * 48 + model.normalizer.precompiled_charsmap.size() * 2);
    write_pretty(root, 0, out);
    return out;
}

}  // namespace spanguard::tokenizer
