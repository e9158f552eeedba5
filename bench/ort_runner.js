// The ONNX Runtime column of bench/gliner_bench.py: runs the graphs of bench/onnx_export.py on the
// exact encoder/head inputs spanguard built (bench_engine --dump), one process per thread count,
// spinning setting and encoder graph.
//
//   node bench/ort_runner.js --graphs DIR --dump DIR --workloads FILE --threads N
//                            [--spinning 0|1] [--encoder FILE --variant NAME] [--out F]
//
// NODE_PATH must reach onnxruntime-node (gliner_bench.py installs it into bench/.work/ort). Per
// request it times the encoder graph and the heads (the row gathers done here plus the span_rep,
// count_pred, count_score and classifier graphs), deciding each block's instance count from the
// count logits as spanguard does. Input building and decoding are spanguard's code and are not
// run here; gliner_bench.py adds spanguard's measured time for them to get ORT's end-to-end time.
// On the calls the dump carries reference values for, it compares hidden states, counts, span
// probabilities and classifier logits with spanguard's and reports the largest differences.
//
// --spinning sets session.intra_op.allow_spinning on every session it creates: 1 (ORT's default)
// lets each session's intra-op threads busy-wait between work items, 0 makes them sleep. Five
// sessions with a spinning pool each compete for the cores whenever more than one thread runs,
// so gliner_bench.py runs both and reports the faster; with one thread there is no pool.
// --encoder replaces the encoder graph (the int8 anchor: bench/onnx_quantize.py's output), and
// --variant names the column in the output (default fp32); the heads stay the fp32 graphs.
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require('onnxruntime-node');

function parseArgs(argv) {
    const a = {threads: 1, spinning: '1', variant: 'fp32'};
    for (let i = 2; i < argv.length; i += 2) {
        const flag = argv[i], value = argv[i + 1];
        if (value === undefined) throw new Error(`${flag} needs a value`);
        if (flag === '--graphs') a.graphs = value;
        else if (flag === '--dump') a.dump = value;
        else if (flag === '--workloads') a.workloads = value;
        else if (flag === '--threads') a.threads = parseInt(value, 10);
        else if (flag === '--spinning') a.spinning = value;
        else if (flag === '--encoder') a.encoder = value;
        else if (flag === '--variant') a.variant = value;
        else if (flag === '--out') a.out = value;
        else throw new Error(`unknown option ${flag}`);
    }
    if (!a.graphs || !a.dump || !a.workloads)
        throw new Error('--graphs, --dump and --workloads are required');
    if (!(a.threads >= 1)) throw new Error('--threads must be at least 1');
    if (a.spinning !== '0' && a.spinning !== '1') throw new Error('--spinning is 0 or 1');
    return a;
}

// The options of every session this benchmark creates (ort_encoder_check.js uses them too, so
// that its standalone timing runs ORT the same way): all graph optimisations, one inter-op
// thread, sequential execution, intra-op threads = the thread count, spinning as asked.
function sessionOptions(threads, spinning) {
    return {intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
            executionMode: 'sequential',
            extra: {session: {intra_op: {allow_spinning: spinning}}}};
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

// Rows `rows` of a [*, H] float32 matrix starting at row `base`, as a new [rows.length, H] array.
function gather(data, base, rows, H) {
    const out = new Float32Array(rows.length * H);
    rows.forEach((r, i) => out.set(data.subarray((base + r) * H, (base + r + 1) * H), i * H));
    return out;
}

function argmax(values) {
    let best = 0;
    for (let i = 1; i < values.length; ++i) if (values[i] > values[best]) best = i;
    return best;  // the first maximum, as torch.argmax and spanguard
}

class Diff {
    constructor() { this.max = 0; this.compared = 0; }
    add(a, b, n = a.length) {
        for (let i = 0; i < n; ++i) this.max = Math.max(this.max, Math.abs(a[i] - b[i]));
        this.compared += n;
    }
}

class Runner {
    constructor(sessions, H, K, maxCount) {
        this.s = sessions; this.H = H; this.K = K; this.maxCount = maxCount;
        this.check = {hidden: new Diff(), probs: new Diff(), count_logits: new Diff(),
                      class_logits: new Diff(), count_mismatches: 0, counts_compared: 0};
    }

    async run(call, refHidden) {
        const {H, K} = this;
        const t0 = now(), c0 = process.cpuUsage();
        const shape = [call.rows, call.length];
        const enc = await this.s.encoder.run({
            input_ids: new ort.Tensor('int64', call.ids, shape),
            attention_mask: new ort.Tensor('int64', call.mask, shape)});
        const hidden = enc.hidden.data;
        const t1 = now(), c1 = process.cpuUsage(c0);
        for (let b = 0; b < call.seqs.length; ++b)
            await this.heads(call.seqs[b], hidden, b * call.length, refHidden !== null);
        const t2 = now();
        if (refHidden) {
            for (let b = 0; b < call.seqs.length; ++b) {
                const off = b * call.length * H, n = call.seqs[b].length * H;
                this.check.hidden.add(hidden.subarray(off, off + n),
                                      refHidden.subarray(off, off + n));
            }
        }
        return [t1 - t0, t2 - t1, (c1.user + c1.system) / 1e6];
    }

    async heads(seq, hidden, base, checking) {
        const {H, K} = this;
        let spans = null;
        if (seq.grid) {
            const words = gather(hidden, base, seq.text_positions, H);
            const N = seq.text_positions.length;
            const feeds = {words: new ort.Tensor('float32', words, [N, H])};
            spans = (await this.s.span_rep.run(feeds)).spans;
        }
        for (const block of seq.blocks) {
            const children = block.positions.slice(1);
            if (block.kind === 'classification') {
                const labels = gather(hidden, base, children, H);
                const out = await this.s.classifier.run(
                    {labels: new ort.Tensor('float32', labels, [children.length, H])});
                if (block.logits) this.check.class_logits.add(out.logits.data, block.logits);
                continue;
            }
            if (!spans) continue;
            const prompt = gather(hidden, base, [block.positions[0]], H);
            const logits = (await this.s.count_pred.run(
                {prompts: new ort.Tensor('float32', prompt, [1, H])})).logits.data;
            const count = argmax(logits);
            if (checking && block.count !== undefined) {
                this.check.counts_compared += 1;
                if (count !== block.count) this.check.count_mismatches += 1;
            }
            if (block.count_logits) this.check.count_logits.add(logits, block.count_logits);
            const cap = block.max_instances > 0 ? block.max_instances : Infinity;
            const instances = Math.min(count, cap, this.maxCount);
            if (instances === 0) continue;
            const steps = BigInt64Array.from({length: instances}, (_, i) => BigInt(i));
            const fields = gather(hidden, base, children, H);
            const out = await this.s.count_score.run({
                fields: new ort.Tensor('float32', fields, [children.length, H]),
                steps: new ort.Tensor('int64', steps, [instances]),
                spans});
            // Compare only when both scored the same instances (a count mismatch is counted above).
            if (block.probs && block.probs.length === out.probs.data.length)
                this.check.probs.add(out.probs.data, block.probs);
        }
    }
}

function loadDump(dir, name) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8'));
    const buf = fs.readFileSync(path.join(dir, `${name}.hidden.f32`));
    const hidden = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
    for (const call of doc.calls) {
        call.ids = BigInt64Array.from(call.input_ids, (v) => BigInt(v));
        call.mask = BigInt64Array.from(call.attention_mask, (v) => BigInt(v));
        delete call.input_ids;
        delete call.attention_mask;
        if (call.hidden_offset !== undefined) {
            const n = call.rows * call.length * doc.hidden_size;
            call.refHidden = hidden.subarray(call.hidden_offset, call.hidden_offset + n);
        }
    }
    return doc;
}

async function main() {
    const a = parseArgs(process.argv);
    const options = sessionOptions(a.threads, a.spinning);
    const meta = JSON.parse(fs.readFileSync(path.join(a.graphs, 'export.json'), 'utf8'));
    const graphs = {};
    for (const name of ['encoder', 'span_rep', 'count_pred', 'count_score', 'classifier'])
        graphs[name] = path.join(a.graphs, `${name}.onnx`);
    if (a.encoder) graphs.encoder = a.encoder;
    const t0 = now();
    const sessions = {};
    for (const [name, file] of Object.entries(graphs))
        sessions[name] = await ort.InferenceSession.create(file, options);
    const out = {engine: 'onnxruntime', variant: a.variant, threads: a.threads,
                 spinning: a.spinning, encoder_graph: graphs.encoder, load_seconds: now() - t0,
                 ort_version: require('onnxruntime-node/package.json').version,
                 session_options: options, workloads: {}};
    const workloads = JSON.parse(fs.readFileSync(a.workloads, 'utf8')).workloads;
    for (const w of workloads) {
        const doc = loadDump(a.dump, w.name);
        const runner = new Runner(sessions, doc.hidden_size, doc.max_width, meta.max_count);
        const requests = w.mode === 'batch' ? 1 : w.texts.length;
        const byRequest = Array.from({length: requests}, () => []);
        for (const call of doc.calls) byRequest[call.request].push(call);
        // Untimed: the output checks of the calls that carry reference values, then the warm-up.
        for (const call of doc.calls) if (call.refHidden) await runner.run(call, call.refHidden);
        if (w.warmup !== false) for (const call of byRequest[0]) await runner.run(call, null);
        const enc = byRequest.map(() => []), heads = byRequest.map(() => []);
        const cpu = byRequest.map(() => []), encCpu = byRequest.map(() => []);
        for (let rep = 0; rep < w.reps; ++rep) {
            for (let r = 0; r < requests; ++r) {
                let e = 0, h = 0, ec = 0;
                const c0 = process.cpuUsage();  // every thread of the process, microseconds
                for (const call of byRequest[r]) {
                    const [te, th, tc] = await runner.run(call, null);
                    e += te; h += th; ec += tc;
                }
                const c = process.cpuUsage(c0);
                enc[r].push(e); heads[r].push(h); cpu[r].push((c.user + c.system) / 1e6);
                encCpu[r].push(ec);
            }
        }
        const c = runner.check;
        out.workloads[w.name] = {
            encoder: enc, heads: heads, cpu: cpu, encoder_cpu: encCpu, texts: w.texts.length,
            check: {max_abs_diff_hidden: c.hidden.max, hidden_values: c.hidden.compared,
                    max_abs_diff_span_probs: c.probs.max, span_probs: c.probs.compared,
                    max_abs_diff_count_logits: c.count_logits.max,
                    max_abs_diff_class_logits: c.class_logits.max,
                    class_logits: c.class_logits.compared,
                    count_mismatches: c.count_mismatches, counts_compared: c.counts_compared}};
    }
    out.memory = {peak_rss_bytes: process.resourceUsage().maxRSS * 1024};
    const text = JSON.stringify(out);
    if (a.out) fs.writeFileSync(a.out, text + '\n'); else console.log(text);
}

module.exports = {loadDump, now, sessionOptions};

if (require.main === module) {
    main().catch((e) => {
        console.error(`ort_runner: ${e.message}`);
        process.exit(1);
    });
}
