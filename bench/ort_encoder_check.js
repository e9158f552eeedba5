// The standalone encoder timing of bench/gliner_bench.py: ONE ONNX Runtime session for the encoder
// graph alone, timed on the same encoder inputs (bench_engine --dump) with the same protocol and
// session options as ort_runner.js's encoder column. ort_runner.js creates five sessions in one
// process; if that cost the encoder anything (pools competing, memory), its encoder time would be
// slower than this one's, and gliner_bench.py flags a ratio above 1.05.
//
//   node bench/ort_encoder_check.js --graph FILE --dump DIR --workloads FILE --threads N
//        [--spinning 0|1] [--timing 0|1] [--save-hidden DIR] [--save-optimized FILE] [--out F]
//
// Protocol, as ort_runner.js: untimed, the calls the dump carries reference values for, then the
// warm-up (request 0, for workloads with warm-up); then `reps` passes over the requests, each
// request's time being the sum of its encoder calls (tensor creation and session.run).
// --save-hidden DIR writes, before any timing, every sequence's hidden states (its unpadded rows,
// float32, in dump order: call by call, sequence by sequence) to DIR/<workload>.f32; the int8
// anchor's decisions are decoded from them (bench/ort_decisions.py). --timing 0 skips the timing.
// --save-optimized FILE has ORT write the graph it runs after its optimisations (which fusions
// it applied), from an extra session created for that alone.
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');
const {loadDump, now, sessionOptions} = require('./ort_runner.js');

function parseArgs(argv) {
    const a = {threads: 1, spinning: '1', timing: '1'};
    for (let i = 2; i < argv.length; i += 2) {
        const flag = argv[i], value = argv[i + 1];
        if (value === undefined) throw new Error(`${flag} needs a value`);
        if (flag === '--graph') a.graph = value;
        else if (flag === '--dump') a.dump = value;
        else if (flag === '--workloads') a.workloads = value;
        else if (flag === '--threads') a.threads = parseInt(value, 10);
        else if (flag === '--spinning') a.spinning = value;
        else if (flag === '--timing') a.timing = value;
        else if (flag === '--save-hidden') a.saveHidden = value;
        else if (flag === '--save-optimized') a.saveOptimized = value;
        else if (flag === '--out') a.out = value;
        else throw new Error(`unknown option ${flag}`);
    }
    if (!a.graph || !a.dump || !a.workloads)
        throw new Error('--graph, --dump and --workloads are required');
    if (!(a.threads >= 1)) throw new Error('--threads must be at least 1');
    if (a.spinning !== '0' && a.spinning !== '1') throw new Error('--spinning is 0 or 1');
    if (a.timing !== '0' && a.timing !== '1') throw new Error('--timing is 0 or 1');
    return a;
}

async function encode(session, call) {
    const shape = [call.rows, call.length];
    const out = await session.run({input_ids: new ort.Tensor('int64', call.ids, shape),
                                   attention_mask: new ort.Tensor('int64', call.mask, shape)});
    return out.hidden.data;
}

// Every sequence's unpadded rows of every call, in dump order, as one float32 file.
async function saveHidden(session, doc, file) {
    const fd = fs.openSync(file, 'w');
    let floats = 0, sequences = 0;
    try {
        for (const call of doc.calls) {
            const hidden = await encode(session, call);
            call.seqs.forEach((seq, b) => {
                const off = b * call.length * doc.hidden_size;
                const rows = hidden.subarray(off, off + seq.length * doc.hidden_size);
                fs.writeSync(fd, Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength));
                floats += rows.length;
                sequences += 1;
            });
        }
    } finally {
        fs.closeSync(fd);
    }
    return {file, sequences, floats, hidden_size: doc.hidden_size};
}

async function main() {
    const a = parseArgs(process.argv);
    const options = sessionOptions(a.threads, a.spinning);
    if (a.saveOptimized) {
        // A session of its own: writing the optimised graph must not touch the timed one.
        await ort.InferenceSession.create(a.graph, {...options,
                                                    optimizedModelFilePath: a.saveOptimized});
    }
    const t0 = now();
    const session = await ort.InferenceSession.create(a.graph, options);
    const out = {engine: 'onnxruntime-encoder', graph: a.graph, threads: a.threads,
                 spinning: a.spinning, load_seconds: now() - t0,
                 ort_version: require('onnxruntime-node/package.json').version,
                 session_options: options, workloads: {}, hidden: {}};
    const workloads = JSON.parse(fs.readFileSync(a.workloads, 'utf8')).workloads;
    for (const w of workloads) {
        const doc = loadDump(a.dump, w.name);
        if (a.saveHidden) {
            fs.mkdirSync(a.saveHidden, {recursive: true});
            out.hidden[w.name] = await saveHidden(session, doc, path.join(a.saveHidden,
                                                                          `${w.name}.f32`));
        }
        if (a.timing === '0') continue;
        const requests = w.mode === 'batch' ? 1 : w.texts.length;
        const byRequest = Array.from({length: requests}, () => []);
        for (const call of doc.calls) byRequest[call.request].push(call);
        for (const call of doc.calls) if (call.refHidden) await encode(session, call);
        if (w.warmup !== false) for (const call of byRequest[0]) await encode(session, call);
        const enc = byRequest.map(() => []), encCpu = byRequest.map(() => []);
        for (let rep = 0; rep < w.reps; ++rep) {
            for (let r = 0; r < requests; ++r) {
                let e = 0, ec = 0;
                for (const call of byRequest[r]) {
                    const c0 = process.cpuUsage(), t = now();
                    await encode(session, call);
                    e += now() - t;
                    const c = process.cpuUsage(c0);  // every thread of the process
                    ec += (c.user + c.system) / 1e6;
                }
                enc[r].push(e);
                encCpu[r].push(ec);
            }
        }
        out.workloads[w.name] = {encoder: enc, encoder_cpu: encCpu, texts: w.texts.length};
    }
    out.memory = {peak_rss_bytes: process.resourceUsage().maxRSS * 1024};
    const text = JSON.stringify(out);
    if (a.out) fs.writeFileSync(a.out, text + '\n'); else console.log(text);
}

main().catch((e) => {
    console.error(`ort_encoder_check: ${e.message}`);
    process.exit(1);
});
