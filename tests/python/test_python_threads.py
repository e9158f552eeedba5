"""Concurrency: eight Python threads sharing one model get exactly the sequential results, and the
GIL is released while the engine runs (another Python thread keeps running meanwhile)."""

import threading
import time

from python_package_support import LONG, TEXTS, random_model, spanguard_package

SCHEMA = {"entities": ["person", "company", "location"],
          "classifications": [{"task": "sentiment", "labels": ["positive", "negative"]}],
          "relations": ["works_for"]}


def test_eight_threads_share_one_model():
    spanguard_package()
    model = random_model()
    kw = {"include_confidence": True, "include_spans": True}
    requests = [(text, i % 3) for i, text in enumerate(TEXTS * 4)]

    def run(text, kind):
        if kind == 0:
            return model.extract(text, SCHEMA, **kw)
        if kind == 1:
            return model.batch_extract_entities([text, text[::-1]], ["person", "city"], **kw)
        return model.extract_long(text, SCHEMA, chunk_size=16, chunk_overlap=4, **kw)

    sequential = [run(*r) for r in requests]
    results = [None] * len(requests)
    errors = []
    barrier = threading.Barrier(8)

    def worker(k):
        try:
            barrier.wait()
            for i in range(k, len(requests), 8):
                results[i] = run(*requests[i])
        except Exception as e:  # reported below, on the main thread
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == sequential


def test_gil_is_released_during_a_long_batch():
    spanguard_package()
    model = random_model()
    texts = [LONG] * 4
    ticks = []
    done = threading.Event()

    def counter():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    # Warm up, and grow the batch until one call takes long enough to observe (0.2 s).
    while True:
        start = time.perf_counter()
        model.batch_extract_long(texts, SCHEMA, chunk_size=64, chunk_overlap=8)
        alone = time.perf_counter() - start
        if alone >= 0.2 or len(texts) >= 256:
            break
        texts = texts * 2
    thread = threading.Thread(target=counter)
    thread.start()
    try:
        start = time.perf_counter()
        model.batch_extract_long(texts, SCHEMA, chunk_size=64, chunk_overlap=8)
        end = time.perf_counter()
    finally:
        done.set()
        thread.join()
    during = [t for t in ticks if start < t < end]
    # With the GIL held the counter could not run at all during the call (at most a tick at the
    # edges); released, it ticks about every millisecond.
    assert end - start > 0.1, f"batch too short to tell ({end - start:.3f} s, alone {alone:.3f})"
    assert len(during) >= 10, f"{len(during)} ticks in {end - start:.3f} s"
