// The ONNX Runtime column of bench/gliner_v1_bench.py: runs the graphs of bench/onnx_export_v1.py
// (model.onnx: the whole GLiNER v1 forward pass; encoder.onnx: the encoder alone) on the exact
// inputs spanguard built (bench_engine_v1 --pass stages --dump), one process per thread count
// and spinning setting.
//
//   node bench/ort_runner_v1.js --graphs DIR [--dump DIR --workloads FILE] --threads N
//                               [--spinning 0|1] [--out FILE]
//
// NODE_PATH must reach onnxruntime-node (gliner_v1_bench.py installs it into bench/.work/ort).
// --spinning sets the session's intra-op threads to busy-wait (1, ORT's default) or to sleep (0)
// between work items; with one thread there is no intra-op pool and it changes nothing.
//
// Before any timing it runs the reference check (check.json of the export: texts the PyTorch
// reference ran, with its logits and hidden states) and reports ORT's largest differences. Per
// request it then times model.onnx (the end-to-end graph) and, separately, encoder.onnx. Words,
// sub-tokens and decoding are not run by ORT: gliner_v1_bench.py adds spanguard's measured time
// for them. The logits of the first timed repetition are decoded here (upstream's greedy flat
// decoding, the same rules as schemas/gliner_v1/v1_decode.h) into entities for the agreement
// check, and on the calls the dump carries spanguard's logits and hidden states for, those are
// compared with ORT's.
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function parseArgs(argv) {
    const a = {threads: 1, spinning: '1'};
    for (let i = 2; i < argv.length; i += 2) {
        const flag = argv[i], value = argv[i + 1];
        if (value === undefined) throw new Error(`${flag} needs a value`);
        if (flag === '--graphs') a.graphs = value;
        else if (flag === '--dump') a.dump = value;
        else if (flag === '--workloads') a.workloads = value;
        else if (flag === '--threads') a.threads = parseInt(value, 10);
        else if (flag === '--spinning') a.spinning = value;
        else if (flag === '--out') a.out = value;
        else throw new Error(`unknown option ${flag}`);
    }
    if (!a.graphs) throw new Error('--graphs is required');
    if (!a.dump !== !a.workloads) throw new Error('--dump and --workloads go together');
    if (!(a.threads >= 1)) throw new Error('--threads must be at least 1');
    if (a.spinning !== '0' && a.spinning !== '1') throw new Error('--spinning is 0 or 1');
    return a;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

function maxAbsDiff(a, b, n = Math.min(a.length, b.length)) {
    let max = 0;
    for (let i = 0; i < n; ++i) max = Math.max(max, Math.abs(a[i] - b[i]));
    return max;
}

const int64 = (values) => BigInt64Array.from(values, (v) => BigInt(v));

// The five model.onnx inputs of one text (batch of 1): every word position is a word.
function feedsOf(call) {
    const S = call.input_ids.length, L = call.word_positions.length;
    const C = call.type_positions.length;
    const ids = new ort.Tensor('int64', int64(call.input_ids), [1, S]);
    const mask = new ort.Tensor('int64', new BigInt64Array(S).fill(1n), [1, S]);
    return {
        model: {input_ids: ids, attention_mask: mask,
                word_positions: new ort.Tensor('int64', int64(call.word_positions), [1, L]),
                word_mask: new ort.Tensor('int64', new BigInt64Array(L).fill(1n), [1, L]),
                type_positions: new ort.Tensor('int64', int64(call.type_positions), [1, C])},
        encoder: {input_ids: ids, attention_mask: mask},
    };
}

// Upstream's flat decoding of one text's logits [W, K, C]: candidates with sigmoid > threshold
// and i + k < W in (i, k, c) order, stably sorted by descending float32 score, kept greedily when
// they share no word with a kept one, then ordered by start word.
function decode(logits, W, K, C, threshold) {
    const cand = [];
    for (let i = 0; i < W; ++i)
        for (let k = 0; k < K && i + k < W; ++k)
            for (let c = 0; c < C; ++c) {
                const p = Math.fround(1 / (1 + Math.exp(-logits[(i * K + k) * C + c])));
                if (p > threshold) cand.push({s: i, e: i + k, c, p});
            }
    cand.sort((x, y) => y.p - x.p);  // stable (ES2019)
    const kept = [];
    for (const x of cand)
        if (kept.every((y) => x.e < y.s || x.s > y.e)) kept.push(x);
    return kept.sort((x, y) => x.s - y.s);
}

async function referenceCheck(sessions, graphs) {
    const file = path.join(graphs, 'check.json');
    if (!fs.existsSync(file)) return null;
    const check = JSON.parse(fs.readFileSync(file, 'utf8'));
    const feeds = {};
    for (const [name, t] of Object.entries(check.inputs))
        feeds[name] = new ort.Tensor('int64', int64(t.data), t.shape);
    const out = await sessions.model.run(feeds);
    const enc = await sessions.encoder.run(
        {input_ids: feeds.input_ids, attention_mask: feeds.attention_mask});
    // Hidden states of padded rows are not compared: nothing reads them.
    const [B, S, E] = check.hidden.shape;
    const mask = check.inputs.attention_mask.data;
    let hiddenDiff = 0;
    for (let b = 0; b < B; ++b)
        for (let s = 0; s < S; ++s)
            if (mask[b * S + s]) {
                const off = (b * S + s) * E;
                const mine = enc.hidden.data.subarray(off, off + E);
                hiddenDiff = Math.max(hiddenDiff,
                                      maxAbsDiff(mine, check.hidden.data.slice(off, off + E)));
            }
    return {texts: check.texts.length, labels: check.labels.length,
            max_abs_diff_logits: maxAbsDiff(out.logits.data, check.logits.data),
            logits_compared: check.logits.data.length, max_abs_diff_hidden: hiddenDiff};
}

async function main() {
    const a = parseArgs(process.argv);
    const options = {intraOpNumThreads: a.threads, interOpNumThreads: 1,
                     graphOptimizationLevel: 'all', executionMode: 'sequential',
                     extra: {session: {intra_op: {allow_spinning: a.spinning}}}};
    const t0 = now();
    const sessions = {};
    for (const name of ['model', 'encoder'])
        sessions[name] =
            await ort.InferenceSession.create(path.join(a.graphs, `${name}.onnx`), options);
    const out = {engine: 'onnxruntime', threads: a.threads, spinning: a.spinning,
                 load_seconds: now() - t0,
                 ort_version: require('onnxruntime-node/package.json').version,
                 session_options: options, workloads: {}};
    out.reference_check = await referenceCheck(sessions, a.graphs);
    const workloads = a.workloads ? JSON.parse(fs.readFileSync(a.workloads, 'utf8')).workloads
                                  : [];
    for (const w of workloads) {
        const doc = JSON.parse(fs.readFileSync(path.join(a.dump, `${w.name}.json`), 'utf8'));
        const hiddenFile = path.join(a.dump, `${w.name}.hidden.f32`);
        const buf = fs.readFileSync(hiddenFile);
        const refHidden = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
        const K = doc.max_width, C = doc.labels.length, E = doc.hidden_size;
        const feeds = doc.calls.map(feedsOf);
        const check = {max_abs_diff_logits: 0, logits_compared: 0, max_abs_diff_hidden: 0,
                       hidden_compared: 0};
        // Untimed: the comparison with spanguard's outputs, then the warm-up.
        for (let r = 0; r < doc.calls.length; ++r) {
            const call = doc.calls[r];
            if (!call.logits) continue;
            const logits = (await sessions.model.run(feeds[r].model)).logits.data;
            check.max_abs_diff_logits =
                Math.max(check.max_abs_diff_logits, maxAbsDiff(logits, call.logits));
            check.logits_compared += call.logits.length;
            const hidden = (await sessions.encoder.run(feeds[r].encoder)).hidden.data;
            const n = call.hidden_rows * E;
            check.max_abs_diff_hidden = Math.max(check.max_abs_diff_hidden, maxAbsDiff(
                hidden, refHidden.subarray(call.hidden_offset, call.hidden_offset + n), n));
            check.hidden_compared += n;
        }
        if (w.warmup !== false) {
            await sessions.model.run(feeds[0].model);
            await sessions.encoder.run(feeds[0].encoder);
        }
        const requests = doc.calls.length;
        const e2e = feeds.map(() => []), cpu = feeds.map(() => []);
        const enc = feeds.map(() => []), encCpu = feeds.map(() => []);
        const decisions = [];
        for (let rep = 0; rep < w.reps; ++rep) {
            for (let r = 0; r < requests; ++r) {
                let c0 = process.cpuUsage(), t = now();
                const res = await sessions.model.run(feeds[r].model);
                e2e[r].push(now() - t);
                let c = process.cpuUsage(c0);  // every thread of the process, microseconds
                cpu[r].push((c.user + c.system) / 1e6);
                c0 = process.cpuUsage();
                t = now();
                await sessions.encoder.run(feeds[r].encoder);
                enc[r].push(now() - t);
                c = process.cpuUsage(c0);
                encCpu[r].push((c.user + c.system) / 1e6);
                if (rep === 0) {
                    const call = doc.calls[r];
                    const W = call.word_positions.length;
                    const spans = call.empty_text ? []
                        : decode(res.logits.data, W, K, C, doc.threshold);
                    decisions.push(spans.map((s) => ({start: call.word_starts[s.s],
                                                      end: call.word_ends[s.e],
                                                      label: doc.labels[s.c], score: s.p})));
                }
            }
        }
        out.workloads[w.name] = {model: e2e, model_cpu: cpu, encoder: enc, encoder_cpu: encCpu,
                                 texts: w.texts.length, check, decisions};
    }
    out.memory = {peak_rss_bytes: process.resourceUsage().maxRSS * 1024};
    const text = JSON.stringify(out);
    if (a.out) fs.writeFileSync(a.out, text + '\n'); else console.log(text);
}

main().catch((e) => {
    console.error(`ort_runner_v1: ${e.message}`);
    process.exit(1);
});
