"""BG/NBD peer for benchmarks/clv.bench.ts: scipy Nelder-Mead on the same likelihood.

The BG/NBD log-likelihood of Fader, Hardie & Lee (2005), "'Counting your customers' the easy way: an alternative
to the Pareto/NBD model", Marketing Science 24(2), 275-284, eq. (6), written here with numpy from the paper:

    L(r, alpha, a, b | x, t_x, T) = A1 * A2 * (A3 + delta(x > 0) * A4)

    ln A1 = ln Gamma(r + x) - ln Gamma(r) + r ln alpha
    ln A2 = ln Gamma(a + b) + ln Gamma(b + x) - ln Gamma(b) - ln Gamma(a + b + x)
    ln A3 = -(r + x) ln(alpha + T)
    ln A4 = ln a - ln(b + x - 1) - (r + x) ln(alpha + t_x)            (x > 0 only)

summed over the distinct (x, t_x, T) patterns with their weights, and maximised with
scipy.optimize.minimize(method='Nelder-Mead') over theta = ln(parameter / scale), alpha's scale being the weighted
mean age (the same parametrisation, start, initial simplex and tolerances as clientele's fitBgNbd, so that the two
runs differ only in the implementation).

Usage: python3 bgnbd_scipy.py PATTERNS_FILE [RUNS]
PATTERNS_FILE: little-endian float64, m values of x, then m of t_x, then m of T, then m of weights (4m values).
The search and the output are scipy_peer.py's. Prints one JSON object: the fit time of each run (ms,
time.perf_counter around the minimisation only), the
parameters, the log-likelihood, iterations and function evaluations, and the time of one likelihood evaluation.
"""
import numpy as np
from scipy.special import gammaln

import scipy_peer


def log_likelihood(x, tx, T, w):
    """The weighted BG/NBD log-likelihood as a function of (r, alpha, a, b), FHL (2005) eq. (6)."""
    repeat = x > 0
    # ln(b + x - 1) is only used where x > 0; elsewhere any finite stand-in (masked below)
    x_minus_one = np.where(repeat, x - 1.0, 0.0)

    def ll(r, alpha, a, b):
        ln_a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
        ln_a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
        ln_a3 = -(r + x) * np.log(alpha + T)
        ln_a4 = np.log(a) - np.log(b + x_minus_one) - (r + x) * np.log(alpha + tx)
        ln_a4 = np.where(repeat, ln_a4, -np.inf)
        return float(np.dot(w, ln_a1 + ln_a2 + np.logaddexp(ln_a3, ln_a4)))

    return ll


if __name__ == '__main__':
    scipy_peer.main(log_likelihood, ['r', 'alpha', 'a', 'b'], [False, True, False, False])
