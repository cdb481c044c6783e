/**
 * Merges of sorted tid-lists (ascending basket ids), shared by Eclat (src/basket/eclat.ts) and the closed/maximal
 * search (src/basket/closed-search.ts): sizes with an early stop, then the written lists, and the additive hash of
 * a list (see ClosedRepository). All lists live in one buffer `list`, a list being a range [from, to).
 */

/**
 * |A ∩ B| for A = list[a … aEnd − 1], B = list[b … bEnd − 1] when it is ≥ threshold, else −1. Stops as soon as more
 * than |A| − threshold elements of A (or of B) have found no partner.
 */
export function intersectionSize(
  list: Int32Array,
  a: number,
  aEnd: number,
  b: number,
  bEnd: number,
  threshold: number,
): number {
  let slackA = aEnd - a - threshold;
  let slackB = bEnd - b - threshold;
  let common = 0;
  while (a < aEnd && b < bEnd) {
    const x = list[a];
    const y = list[b];
    if (x < y) {
      a++;
      if (--slackA < 0) return -1;
    } else if (x > y) {
      b++;
      if (--slackB < 0) return -1;
    } else {
      common++;
      a++;
      b++;
    }
  }
  return common >= threshold ? common : -1;
}

/** |B \ A| for B = list[b … bEnd − 1], A = list[a … aEnd − 1] when it is ≤ budget, else −1. */
export function differenceSize(
  list: Int32Array,
  b: number,
  bEnd: number,
  a: number,
  aEnd: number,
  budget: number,
): number {
  let missing = 0;
  while (b < bEnd && a < aEnd) {
    const y = list[b];
    const x = list[a];
    if (y < x) {
      b++;
      if (++missing > budget) return -1;
    } else if (y > x) {
      a++;
    } else {
      a++;
      b++;
    }
  }
  missing += bEnd - b;
  return missing <= budget ? missing : -1;
}

/** Writes A ∩ B to `into` from `at`; returns the end. */
export function writeIntersection(
  list: Int32Array,
  a: number,
  aEnd: number,
  b: number,
  bEnd: number,
  into: Int32Array,
  at: number,
): number {
  while (a < aEnd && b < bEnd) {
    const x = list[a];
    const y = list[b];
    if (x < y) a++;
    else if (x > y) b++;
    else {
      into[at++] = x;
      a++;
      b++;
    }
  }
  return at;
}

/** Writes A \ B to `into` from `at`; returns the end. */
export function writeDifference(
  list: Int32Array,
  a: number,
  aEnd: number,
  b: number,
  bEnd: number,
  into: Int32Array,
  at: number,
): number {
  while (a < aEnd && b < bEnd) {
    const x = list[a];
    const y = list[b];
    if (x < y) {
      into[at++] = x;
      a++;
    } else if (x > y) b++;
    else {
      a++;
      b++;
    }
  }
  while (a < aEnd) into[at++] = list[a++];
  return at;
}

/** Σ words[id] over the ids list[from … to − 1], modulo 2³² (the additive tid-list hash). */
export function listHash(list: Int32Array, from: number, to: number, words: Int32Array): number {
  let h = 0;
  for (let t = from; t < to; t++) h = (h + words[list[t]]) | 0;
  return h;
}
