import { apriori } from './apriori';
import { eclat } from './eclat';
import { fpgrowth } from './fpgrowth';
import type { Miner } from './mined';

/** The name of a frequent-itemset miner. */
export type MinerName = 'fpgrowth' | 'eclat' | 'apriori';

/** The miners of `frequentItemsets` by name (the worker threads look them up here too). */
export const MINERS: Readonly<Record<MinerName, Miner>> = Object.freeze({ fpgrowth, eclat, apriori });
