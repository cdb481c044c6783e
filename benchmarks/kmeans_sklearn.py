"""scikit-learn peer for benchmarks/kmeans.bench.ts: KMeans on the same points, timed inside Python.

Run with Debian's Python, which has scikit-learn (package python3-sklearn); the `python3` first on PATH may be
another interpreter without it:

    /usr/bin/python3 benchmarks/kmeans_sklearn.py POINTS_FILE N D RUNS [REPEAT_BUDGET_S]

POINTS_FILE: N x D little-endian float64 values, row-major (row i at values i*D ... i*D + D - 1), written by
kmeans.bench.ts from the same seeded data clientele clusters.

What it times, with time.perf_counter (wall) and time.process_time (CPU of the whole process, every OpenMP thread
included) around `fit` only (reading the file is not timed):
- a warm-up fit on the first 10,000 rows (not timed: the first fit pays for OpenMP thread start-up and imports);
- `KMeans(n_clusters=8, n_init=1, random_state=0).fit(X)`: RUNS times, the median reported;
- `KMeans(n_clusters=8, n_init=10, random_state=0).fit(X)`: RUNS times when RUNS x 10 x the n_init=1 median fits in
  REPEAT_BUDGET_S seconds (default 60), else once;
- `kmeans_plusplus(X, 8, random_state=0)` alone (the seeding KMeans runs first; it also computes the row norms that
  KMeans computes once for all its runs), RUNS times.
Every other parameter is scikit-learn's default: k-means++ seeding (greedy, 2 + ln k candidates), algorithm
'lloyd', max_iter 300, tol 1e-4 (relative to the mean feature variance).

The number of threads is left to the environment: scikit-learn's Lloyd iterations run on OpenMP threads (all cores
by default; OMP_NUM_THREADS=1 for one). The JSON says which thread pools were loaded and their sizes
(threadpoolctl.threadpool_info()) and scikit-learn's effective OpenMP thread count.

Prints one JSON object: per setting ("1" and "10") the times (ms), their median, the CPU times (ms, `cpu`), the inertia and the iterations of
the kept run (n_iter_) and the cluster sizes (largest first); the seeding times; versions of Python, numpy and
scikit-learn; thread information.
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans, kmeans_plusplus

K = 8
WARMUP_ROWS = 10_000


def fit(X, n_init):
    c0 = time.process_time()
    t0 = time.perf_counter()
    model = KMeans(n_clusters=K, n_init=n_init, random_state=0).fit(X)
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, model


def setting(X, n_init, runs):
    times = []
    cpu = []
    model = None
    for _ in range(runs):
        ms, cpu_ms, model = fit(X, n_init)
        times.append(ms)
        cpu.append(cpu_ms)
    sizes = np.bincount(model.labels_, minlength=K)
    return {
        'ms': times,
        'median': float(np.median(times)),
        'cpu': cpu,
        'inertia': float(model.inertia_),
        'iterations': int(model.n_iter_),
        'sizes': sorted((int(s) for s in sizes), reverse=True),
    }


def thread_info():
    info = {'env': {v: os.environ.get(v) for v in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS')}}
    try:
        from threadpoolctl import threadpool_info

        info['threadpools'] = [
            {key: pool.get(key) for key in ('user_api', 'internal_api', 'prefix', 'version', 'num_threads')}
            for pool in threadpool_info()
        ]
    except ImportError:
        info['threadpools'] = None
    try:
        from sklearn.utils._openmp_helpers import _openmp_effective_n_threads

        info['openmpThreads'] = int(_openmp_effective_n_threads())
    except ImportError:
        info['openmpThreads'] = None
    return info


def main():
    path, n, d, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    budget_s = float(sys.argv[5]) if len(sys.argv) > 5 else 60.0
    X = np.fromfile(path, dtype='<f8')
    if X.size != n * d:
        raise ValueError(f'{path}: {X.size} values, expected {n} x {d}')
    X = X.reshape(n, d)
    fit(X[:WARMUP_ROWS], 1)
    one = setting(X, 1, runs)
    ten_runs = runs if runs * 10 * one['median'] <= budget_s * 1000 else 1
    ten = setting(X, 10, ten_runs)
    seeding = []
    for _ in range(runs):
        t0 = time.perf_counter()
        kmeans_plusplus(X, K, random_state=0)
        seeding.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        'n': n,
        'd': d,
        'settings': {'1': one, '10': ten},
        'seedingMs': seeding,
        'python': sys.version.split()[0],
        'executable': sys.executable,
        'numpy': np.__version__,
        'sklearn': sklearn.__version__,
        'threads': thread_info(),
    }))


if __name__ == '__main__':
    main()
