// Reference tokenisation with the real Hugging Face `tokenizers` library (its Rust core, through
// the @anush008/tokenizers 0.6.0 Node addon, which wraps tokenizers 0.22).
//
//   node hf_reference.js TOKENIZER_JSON < texts.jsonl > encodings.jsonl
//   node hf_reference.js A.json=a.jsonl B.json=b.jsonl ... < texts.jsonl
//
// Reads JSON lines {"text": "..."}; writes, for each tokenizer (to stdout, or to the file after
// '=' when several are given, so that one process serves them all), one line per input:
// {"ids": [...], "offsets": [[begin, end], ...]} without special tokens, truncation or padding.
// Offsets are in Unicode code
// points (the addon calls encode_char_offsets: Rust `char` indices into the input), not UTF-16
// units or bytes. A tokenizer.json that the library refuses to load is reported on stderr with
// exit status 3. The package is looked up in <repo>/node_modules (installed by .ci/install-deps),
// or at $SPANGUARD_HF_TOKENIZERS when set.
'use strict';

const fs = require('fs');
const path = require('path');

const packageDir = process.env.SPANGUARD_HF_TOKENIZERS ||
    path.join(__dirname, '..', '..', 'node_modules', '@anush008', 'tokenizers');
const { Tokenizer } = require(packageDir);

const BATCH = 4096;

function load(file) {
    let tokenizer;
    try {
        tokenizer = Tokenizer.fromFile(file);
    } catch (e) {
        process.stderr.write(`hf_reference: the Hugging Face library cannot load ${file}: ${e}\n`);
        process.exit(3);
    }
    // A tokenizer.json may carry truncation/padding settings (the Pegasus sample truncates to 192
    // tokens); the comparison is about tokenisation, so both are switched off.
    tokenizer.disableTruncation();
    tokenizer.disablePadding();
    return tokenizer;
}

async function encodeAll(tokenizer, texts) {
    const out = [];
    for (let i = 0; i < texts.length; i += BATCH) {
        const encodings = await tokenizer.encodeBatch(texts.slice(i, i + BATCH),
                                                      { addSpecialTokens: false });
        for (const e of encodings) {
            out.push(JSON.stringify({ ids: e.getIds(), offsets: e.getOffsets() }));
        }
    }
    out.push('');
    return out.join('\n');
}

async function main() {
    const jobs = process.argv.slice(2).map((arg) => {
        const eq = arg.lastIndexOf('=');
        if (eq <= 0) return { file: arg, out: null };
        return { file: arg.slice(0, eq), out: arg.slice(eq + 1) };
    });
    if (jobs.length === 0 || (jobs.length > 1 && jobs.some((j) => j.out === null))) {
        process.stderr.write(
            'usage: node hf_reference.js TOKENIZER_JSON[=OUTPUT] ... < texts.jsonl\n');
        process.exit(2);
    }
    const texts = fs.readFileSync(0, 'utf8').split('\n').filter((l) => l.length > 0)
        .map((l) => JSON.parse(l).text);
    for (const job of jobs) {
        const tokenizer = load(job.file);
        const text = await encodeAll(tokenizer, texts);
        // A file, not a pipe, when large: writeFileSync on a non-blocking pipe can fail (EAGAIN).
        fs.writeFileSync(job.out === null ? 1 : job.out, text);
        process.stderr.write(`hf_reference: ${job.file}: ${texts.length} texts, vocabulary ` +
                             `${tokenizer.getVocabSize(true)}\n`);
    }
}

main().catch((e) => {
    process.stderr.write(`hf_reference: ${e && e.stack ? e.stack : e}\n`);
    process.exit(1);
});
