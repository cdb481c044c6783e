"""What the scipy peers of benchmarks/clv.bench.ts share: the patterns file, the Nelder-Mead search and the JSON line.

Each peer script (bgnbd_scipy.py, paretonbd_scipy.py) defines only its model's log-likelihood and calls `main`.
The search is clientele's: theta = ln(parameter / scale), the time-scale parameters scaled by the weighted mean age,
start theta = 0, initial simplex of step 0.1, adaptive coefficients (Gao & Han 2012), xatol 1e-8, fatol 1e-10, so
that a peer run differs from clientele's only in the implementation.

PATTERNS_FILE: little-endian float64, m values of x, then m of t_x, then m of T, then m of weights (4m values).
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize


def load(path):
    data = np.fromfile(path, dtype='<f8')
    if data.size % 4 != 0:
        raise ValueError(f'{path}: {data.size} values, not a multiple of 4')
    m = data.size // 4
    return data[:m], data[m:2 * m], data[2 * m:3 * m], data[3 * m:]


def fit(log_likelihood, time_scaled, x, tx, T, w):
    customers = float(w.sum())
    scale = float(np.dot(w, T)) / customers
    if not scale > 0:
        scale = 1.0
    scales = np.array([scale if timed else 1.0 for timed in time_scaled])
    ll = log_likelihood(x, tx, T, w)

    def objective(theta):
        p = np.exp(theta) * scales
        with np.errstate(all='ignore'):
            v = ll(*p)
        return -v / customers if np.isfinite(v) else np.inf

    k = len(time_scaled)
    x0 = np.zeros(k)  # every parameter 1, the time-scale ones the mean age: clientele's default start
    simplex = np.vstack([x0, x0 + 0.1 * np.eye(k)])  # clientele's initial simplex (step 0.1)
    result = minimize(
        objective,
        x0,
        method='Nelder-Mead',
        options={
            'initial_simplex': simplex,
            'xatol': 1e-8,
            'fatol': 1e-10,
            'adaptive': True,  # Gao & Han (2012) coefficients, as clientele's minimize
            'maxiter': 2000,
            'maxfev': 10000,
        },
    )
    params = np.exp(result.x) * scales
    return result, params, ll


def main(log_likelihood, names, time_scaled):
    """Fits the patterns file argv[1] argv[2] times (default 1) and prints the JSON line clv.bench.ts reads."""
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    x, tx, T, w = load(path)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result, params, ll = fit(log_likelihood, time_scaled, x, tx, T, w)
        times.append((time.perf_counter() - t0) * 1000)
    # one likelihood evaluation at the optimum (median of 5), to compare the cost per evaluation
    evals = []
    for _ in range(5):
        t0 = time.perf_counter()
        ll(*params)
        evals.append((time.perf_counter() - t0) * 1000)
    print(json.dumps({
        'ms': times,
        'params': dict(zip(names, map(float, params))),
        'logLikelihood': ll(*params),
        'iterations': int(result.nit),
        'evaluations': int(result.nfev),
        'success': bool(result.success),
        'message': str(result.message),
        'evaluationMs': float(np.median(evals)),
        'patterns': int(x.size),
        'customers': float(w.sum()),
        'numpy': np.__version__,
        'scipy': scipy.__version__,
        'python': sys.version.split()[0],
    }))
