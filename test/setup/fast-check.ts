import fc from 'fast-check';

/**
 * One seed for every fast-check property of a run, so that a red run in CI replays exactly: `npm test` uses the
 * fixed seed below; `npm run fuzz` draws a fresh one (FC_SEED=random) and runs each property ten times as often.
 * The seed is printed once per test file, so any failing run names the seed that reproduces it
 * (`FC_SEED=<seed> npx vitest run <file>`).
 */
const FIXED_SEED = 20261207;
const asked = process.env.FC_SEED;
const seed =
  asked === undefined || asked === ''
    ? FIXED_SEED
    : asked === 'random'
      ? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0
      : Number(asked);
if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer or "random" (found ${asked})`);
const scale = Number(process.env.FC_RUNS_SCALE ?? 1);
fc.configureGlobal({ seed, ...(scale !== 1 ? { numRuns: Math.round(100 * scale) } : {}) });
process.stdout.write(`fast-check seed ${seed}${scale !== 1 ? `, numRuns ${Math.round(100 * scale)}` : ''}\n`);
