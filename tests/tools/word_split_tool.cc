// Batch driver for tests/python/test_word_splitter_differential.py: runs split_words() or
// python_lower() over many strings in one process so that the comparison with CPython is fast.
//
// Usage: word_split_tool split|lower < records > results
//        word_split_tool assigned > bitmap
// Input records: u32 byte length + the bytes (any bytes; invalid UTF-8 yields an error result).
// Each result starts with u32 status: 0 = ok, 1 = TokenizerError, followed (status 1) by
// u32 length + the error message, or (status 0) by:
//   split: u32 word count, then per word u32 start_cp, end_cp, start_byte, end_byte (one block, so
//          that the test can read it as an array), then u32 length + the lowered words joined by
//          U+001F (a whitespace character for Python, so it never occurs inside a word);
//   lower: u32 length + the lowered text.
// `assigned` writes one byte per code point U+0000..U+10FFFF: 1 where ICU's Unicode version has
//   the code point assigned (general category other than Cn), so that the test can tell apart
//   code points that are new in ICU's Unicode version and unassigned in CPython's.
// All integers are little-endian.
#include <unicode/uchar.h>

#include <cstdint>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/error.h"
#include "tokenizer/word_splitter.h"

namespace {

using spanguard::tokenizer::TokenizerError;

void put_u32(std::string& out, uint64_t value) {
    if (value > 0xFFFFFFFFu) throw std::runtime_error("value too large for the wire format");
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

void put_bytes(std::string& out, std::string_view bytes) {
    put_u32(out, bytes.size());
    out.append(bytes);
}

bool read_record(std::string& record) {
    unsigned char header[4];
    const size_t got = std::fread(header, 1, 4, stdin);
    if (got == 0) return false;
    if (got != 4) throw std::runtime_error("truncated record header");
    const uint32_t size =
        header[0] | (header[1] << 8) | (header[2] << 16) | (static_cast<uint32_t>(header[3]) << 24);
    record.resize(size);
    if (size > 0 && std::fread(record.data(), 1, size, stdin) != size) {
        throw std::runtime_error("truncated record");
    }
    return true;
}

void put_error(std::string& out, const TokenizerError& error) {
    put_u32(out, 1);
    put_bytes(out, error.what());
}

void run_split(const std::string& record, std::string& out) {
    std::vector<spanguard::tokenizer::Word> words;
    try {
        words = spanguard::tokenizer::split_words(record);
    } catch (const TokenizerError& error) {
        put_error(out, error);
        return;
    }
    put_u32(out, 0);
    put_u32(out, words.size());
    std::string joined;
    for (const auto& word : words) {
        put_u32(out, word.start_cp);
        put_u32(out, word.end_cp);
        put_u32(out, word.start_byte);
        put_u32(out, word.end_byte);
        if (&word != &words.front()) joined.push_back('\x1f');
        joined += word.lowered;
    }
    put_bytes(out, joined);
}

void run_lower(const std::string& record, std::string& out) {
    std::string lowered;
    try {
        lowered = spanguard::tokenizer::python_lower(record);
    } catch (const TokenizerError& error) {
        put_error(out, error);
        return;
    }
    put_u32(out, 0);
    put_bytes(out, lowered);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc == 2 ? argv[1] : "";
    if (mode != "split" && mode != "lower" && mode != "assigned") {
        std::cerr << "usage: word_split_tool split|lower|assigned\n";
        return 2;
    }
    try {
        std::string out;
        if (mode == "assigned") {
            for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
                out.push_back(u_charType(c) == U_UNASSIGNED ? '\0' : '\1');
            }
        } else {
            std::string record;
            while (read_record(record)) {
                if (mode == "split") {
                    run_split(record, out);
                } else {
                    run_lower(record, out);
                }
            }
        }
        if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) {
            throw std::runtime_error("cannot write the results");
        }
        return std::fflush(stdout) == 0 ? 0 : 1;
    } catch (const std::exception& error) {
        std::cerr << "word_split_tool: " << error.what() << "\n";
        return 1;
    }
}
