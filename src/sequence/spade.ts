import { ClienteleError, grown } from '../table/internal';
import type { Sequences } from './sequences';

/** What a pattern must satisfy to count in a sequence, and the limits of the search. */
export interface SpadeConstraints {
  /** Fewest sequences a pattern must occur in. */
  readonly minCount: number;
  /** Most elements (events) in a pattern. */
  readonly maxLength: number;
  /** Most items in one element. */
  readonly maxSize: number;
  /** Smallest time between consecutive elements (0: any later event). */
  readonly minGap: number;
  /** Largest time between consecutive elements (Infinity: none). */
  readonly maxGap: number;
  /** Largest time from the first element to the last (Infinity: none). */
  readonly maxWindow: number;
  /** Most patterns before the search stops with `LIMIT_EXCEEDED`. */
  readonly maxSequences: number;
}

/**
 * Frequent sequences as the miner returns them, flat: pattern p holds elements `patternOffsets[p] …
 * patternOffsets[p + 1] − 1`; element k holds item codes `codes[elementOffsets[k] … elementOffsets[k + 1] − 1]`
 * (ascending); the pattern occurs in `counts[p]` sequences.
 */
export interface MinedSequences {
  readonly patternOffsets: Int32Array;
  readonly elementOffsets: Int32Array;
  readonly codes: Int32Array;
  readonly counts: Int32Array;
}

/**
 * An id-list (Zaki 2001, section 4.1): the embeddings of a pattern, one per event that can hold its last element,
 * in event order (so grouped by sequence). `first[j]` is the latest time at which an embedding ending at event
 * `ev[j]` can start — the one that leaves most room under a window — kept only when a window is set.
 */
interface IdList {
  readonly ev: Int32Array;
  readonly first: Float64Array | null;
  readonly support: number;
}

/**
 * All frequent sequential patterns by SPADE's vertical method (Zaki 2001, "SPADE: an efficient algorithm for mining
 * frequent sequences", Machine Learning 42, 31–60): each item's id-list of (sequence, event) pairs, then a
 * depth-first search over the prefix lattice in which a pattern's id-list comes from its parent's by a temporal
 * join — a sequence extension `P → {x}` keeps the events of x strictly after an event of P's last element (with
 * minGap ≤ Δt ≤ maxGap and the span from P's start ≤ maxWindow: cSPADE's constraints, Zaki 2000, "Sequence mining
 * in categorical domains: incorporating constraints", CIKM), an itemset extension `P ∪ x` keeps the events of P's
 * last element that also hold x. Support is the number of distinct sequences in the id-list.
 *
 * Candidates are pruned as in SPADE's equivalence classes: a pattern's extensions are tried only with the items
 * that extended its parent (a frequent `P ∪ x ∪ y` has a frequent `P ∪ y`, and a frequent `P → x → y` a frequent
 * `P → y`) — except that maxGap breaks the second rule (dropping the middle element may widen a gap), so with a
 * maxGap a sequence extension after x tries the items y with `<{x},{y}>` frequent instead (cSPADE's use of F2).
 *
 * Cost: O(Σ over candidate joins of the id-list lengths); with gap or window constraints a join is quadratic in
 * the events of one sequence.
 */
export function spade(s: Sequences, c: SpadeConstraints): MinedSequences {
  return new SpadeSearch(s, c).run();
}

/** The vertical layout of the sequences: each item's events (ascending) and support; each event's sequence. */
interface Vertical {
  readonly eventSeq: Int32Array;
  readonly itemStart: Int32Array;
  readonly itemEvents: Int32Array;
  readonly itemSupport: Int32Array;
}

function vertical(s: Sequences): Vertical {
  const { count, sequenceOffsets, eventOffsets, items, names } = s;
  const events = eventOffsets.length - 1;
  const eventSeq = new Int32Array(events);
  for (let q = 0; q < count; q++) eventSeq.fill(q, sequenceOffsets[q], sequenceOffsets[q + 1]);
  const nItems = names.length;
  const itemStart = new Int32Array(nItems + 1);
  for (let p = 0; p < items.length; p++) itemStart[items[p] + 1]++;
  for (let x = 0; x < nItems; x++) itemStart[x + 1] += itemStart[x];
  const itemEvents = new Int32Array(items.length);
  const fill = itemStart.slice(0, nItems);
  for (let e = 0; e < events; e++) {
    for (let p = eventOffsets[e]; p < eventOffsets[e + 1]; p++) itemEvents[fill[items[p]]++] = e;
  }
  const itemSupport = new Int32Array(nItems);
  for (let x = 0; x < nItems; x++) {
    let last = -1;
    for (let k = itemStart[x]; k < itemStart[x + 1]; k++) {
      const q = eventSeq[itemEvents[k]];
      if (q !== last) itemSupport[x]++;
      last = q;
    }
  }
  return { eventSeq, itemStart, itemEvents, itemSupport };
}

/** One run of the search: the layout, the constraints, the join buffers and the output. */
class SpadeSearch {
  private readonly v: Vertical;
  private readonly times: Float64Array;
  private readonly windowed: boolean;
  /** No gap or window: a sequence extension needs only the earliest end of P in each sequence. */
  private readonly simple: boolean;
  /** Join results are written here, and copied out only when frequent. */
  private readonly scratchEv: Int32Array;
  private readonly scratchFirst: Float64Array | null;
  private readonly out: PatternCollector;
  private followers: Int32Array[] = [];

  constructor(
    private readonly s: Sequences,
    private readonly c: SpadeConstraints,
  ) {
    this.v = vertical(s);
    this.times = s.times;
    this.windowed = c.maxWindow !== Infinity;
    this.simple = c.minGap === 0 && c.maxGap === Infinity && !this.windowed;
    this.scratchEv = new Int32Array(s.items.length);
    this.scratchFirst = this.windowed ? new Float64Array(s.items.length) : null;
    this.out = new PatternCollector(c);
  }

  run(): MinedSequences {
    const { itemSupport } = this.v;
    const f1: number[] = [];
    for (let x = 0; x < itemSupport.length; x++) if (itemSupport[x] >= this.c.minCount) f1.push(x);
    const pairs = frequentPairs(this.s, f1, this.c);
    this.followers = pairs.followers;
    // the 2-patterns were counted in one horizontal pass (Zaki 2001, section 5.2): each item's frequent followers
    // and companions are its only extensions worth a join
    for (const x of f1) {
      this.out.open(x);
      this.out.emit(itemSupport[x]);
      const follow = pairs.followers[x];
      const join = pairs.companions[x];
      this.grow(this.itemList(x), follow, this.occurrences(follow), join, this.occurrences(join), 1, 1);
      this.out.close();
    }
    return this.out.result();
  }

  /** Each item's events, the reference lists of a join with a whole item. */
  private occurrences(xs: Int32Array): Int32Array[] {
    const { itemStart, itemEvents } = this.v;
    return Array.from(xs, (x) => itemEvents.subarray(itemStart[x], itemStart[x + 1]));
  }

  private itemList(x: number): IdList {
    const { itemStart, itemEvents, itemSupport } = this.v;
    const ev = itemEvents.subarray(itemStart[x], itemStart[x + 1]);
    const first = this.windowed ? Float64Array.from(ev, (e) => this.times[e]) : null;
    return { ev, first, support: itemSupport[x] };
  }

  /**
   * Emits the frequent extensions of a pattern whose id-list is `l`, and theirs, depth first. Each candidate comes
   * with a reference list, a superset of the events its extension can end at: a sibling's id-list (SPADE's join of
   * two members of a class, Zaki 2001, section 4.3), or the item's whole list where maxGap makes the sibling's
   * too narrow.
   */
  private grow(
    l: IdList,
    sCands: Int32Array,
    sRefs: readonly Int32Array[],
    iCands: Int32Array,
    iRefs: readonly Int32Array[],
    elements: number,
    lastSize: number,
  ): void {
    const { maxLength, maxSize, maxGap } = this.c;
    const sItems: number[] = [];
    const sLists: IdList[] = [];
    if (elements < maxLength) {
      for (let i = 0; i < sCands.length; i++) {
        const j = this.sJoin(l, sRefs[i]);
        if (j) {
          sItems.push(sCands[i]);
          sLists.push(j);
        }
      }
    }
    const iItems: number[] = [];
    const iLists: IdList[] = [];
    if (lastSize < maxSize) {
      for (let i = 0; i < iCands.length; i++) {
        const j = this.iJoin(l, iRefs[i]);
        if (j) {
          iItems.push(iCands[i]);
          iLists.push(j);
        }
      }
    }
    const sFreq = Int32Array.from(sItems);
    const iFreq = Int32Array.from(iItems);
    const sEvents = sLists.map((j) => j.ev);
    const iEvents = iLists.map((j) => j.ev);
    for (let i = 0; i < sItems.length; i++) {
      this.out.open(sItems[i]);
      this.out.emit(sLists[i].support);
      const next = maxGap === Infinity ? sFreq : this.followers[sItems[i]];
      const nextRefs = maxGap === Infinity ? sEvents : this.occurrences(next);
      this.grow(sLists[i], next, nextRefs, sFreq.subarray(i + 1), sEvents.slice(i + 1), elements + 1, 1);
      this.out.close();
    }
    for (let i = 0; i < iItems.length; i++) {
      this.out.push(iItems[i]);
      this.out.emit(iLists[i].support);
      this.grow(iLists[i], sFreq, sEvents, iFreq.subarray(i + 1), iEvents.slice(i + 1), elements, lastSize + 1);
      this.out.pop();
    }
  }

  /** The id-list of the first n scratch entries when `support` is frequent, else null. */
  private kept(n: number, support: number): IdList | null {
    if (support < this.c.minCount) return null;
    return {
      ev: this.scratchEv.slice(0, n),
      first: this.scratchFirst ? this.scratchFirst.slice(0, n) : null,
      support,
    };
  }

  /** P → {x}: the events of x (`itemEvents`, a reference list) after an event of P's last element, within the constraints. */
  private sJoin(l: IdList, itemEvents: Int32Array): IdList | null {
    const { eventSeq } = this.v;
    const ln = l.ev.length;
    const to = itemEvents.length;
    let p = 0;
    let q = 0;
    let n = 0;
    let support = 0;
    while (p < ln && q < to) {
      const sp = eventSeq[l.ev[p]];
      const sq = eventSeq[itemEvents[q]];
      if (sp < sq) p++;
      else if (sq < sp) q++;
      else {
        let pEnd = p + 1;
        while (pEnd < ln && eventSeq[l.ev[pEnd]] === sp) pEnd++;
        let qEnd = q + 1;
        while (qEnd < to && eventSeq[itemEvents[qEnd]] === sp) qEnd++;
        const before = n;
        if (this.simple) {
          // no constraint: every event of x after P's earliest end
          const e0 = l.ev[p];
          for (let k = q; k < qEnd; k++) if (itemEvents[k] > e0) this.scratchEv[n++] = itemEvents[k];
        } else n = this.constrained(l, p, pEnd, itemEvents, q, qEnd, n);
        if (n > before) support++;
        p = pEnd;
        q = qEnd;
      }
    }
    return this.kept(n, support);
  }

  /**
   * The events of x (`itemEvents[q … qEnd − 1]`) that follow one of P's ends (`l.ev[p … pEnd − 1]`) in one
   * sequence within minGap, maxGap and maxWindow, written to the scratch from `n` on, each with the latest start
   * it can keep; returns the new end.
   */
  private constrained(
    l: IdList,
    p: number,
    pEnd: number,
    itemEvents: Int32Array,
    q: number,
    qEnd: number,
    n: number,
  ): number {
    const { minGap, maxGap, maxWindow } = this.c;
    const times = this.times;
    for (let k = q; k < qEnd; k++) {
      const e2 = itemEvents[k];
      const t2 = times[e2];
      let best = -Infinity;
      let found = false;
      for (let j = p; j < pEnd; j++) {
        const e1 = l.ev[j];
        if (e1 >= e2) break;
        const gap = t2 - times[e1];
        if (gap < minGap) break; // later ends of P are closer still
        if (gap > maxGap) continue;
        if (l.first) {
          const f = l.first[j];
          if (t2 - f > maxWindow || f <= best) continue;
          best = f;
        }
        found = true;
        if (!l.first) break;
      }
      if (found) {
        this.scratchEv[n] = e2;
        if (this.scratchFirst) this.scratchFirst[n] = best;
        n++;
      }
    }
    return n;
  }

  /** P ∪ x: the events of P's last element that also hold x (in `itemEvents`, a reference list). */
  private iJoin(l: IdList, itemEvents: Int32Array): IdList | null {
    const { eventSeq } = this.v;
    const ln = l.ev.length;
    const to = itemEvents.length;
    let p = 0;
    let q = 0;
    let n = 0;
    let support = 0;
    let last = -1;
    while (p < ln && q < to) {
      const a = l.ev[p];
      const b = itemEvents[q];
      if (a < b) p++;
      else if (b < a) q++;
      else {
        this.scratchEv[n] = a;
        if (this.scratchFirst && l.first) this.scratchFirst[n] = l.first[p];
        n++;
        if (eventSeq[a] !== last) support++;
        last = eventSeq[a];
        p++;
        q++;
      }
    }
    return this.kept(n, support);
  }
}

/**
 * The frequent 2-patterns by one horizontal pass over the sequences (Zaki 2001, section 5.2: F2 from the horizontal
 * database rather than by joins of every pair of id-lists): for each frequent item x, the items y with `<{x},{y}>`
 * frequent under the constraints (`followers[x]`) and the items y > x with `<{x,y}>` frequent (`companions[x]`),
 * ascending. Each pair is counted once per sequence.
 *
 * Cost: O(Σ over sequences of (event pairs within the gaps) × items per event²).
 */
function frequentPairs(
  s: Sequences,
  f1: readonly number[],
  c: SpadeConstraints,
): { followers: Int32Array[]; companions: Int32Array[] } {
  const { count, sequenceOffsets, eventOffsets, items, times, names } = s;
  const nItems = names.length;
  const frequent = new Uint8Array(nItems);
  for (const x of f1) frequent[x] = 1;
  const reach = Math.min(c.maxGap, c.maxWindow);
  // pairs keyed by the items' ranks among the frequent ones: rx · nF + ry (sequence pairs), nF² + rx · nF + ry
  // (itemset pairs); counted in flat arrays when they fit in 2M slots, in maps otherwise; `seen` stamps a key with
  // the last sequence that counted it
  const nF = f1.length;
  const rank = new Int32Array(nItems).fill(-1);
  f1.forEach((x, i) => (rank[x] = i));
  const slots = 2 * nF * nF;
  const dense = slots <= 1 << 21;
  const denseCounts = new Int32Array(dense ? slots : 0);
  const denseSeen = new Int32Array(dense ? slots : 0).fill(-1);
  const counts = new Map<number, number>();
  const seen = new Map<number, number>();
  const bump = (key: number, q: number) => {
    if (dense) {
      if (denseSeen[key] === q) return;
      denseSeen[key] = q;
      denseCounts[key]++;
    } else {
      if (seen.get(key) === q) return;
      seen.set(key, q);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  const wantSequences = c.maxLength > 1;
  const wantItemsets = c.maxSize > 1;
  const itemsetBase = nF * nF;
  for (let q = 0; q < count; q++) {
    for (let e = sequenceOffsets[q]; e < sequenceOffsets[q + 1]; e++) {
      const from = eventOffsets[e];
      const to = eventOffsets[e + 1];
      for (let a = from; a < to; a++) {
        const rx = rank[items[a]];
        if (rx < 0) continue;
        if (wantItemsets) {
          for (let b = a + 1; b < to; b++) if (rank[items[b]] >= 0) bump(itemsetBase + rx * nF + rank[items[b]], q);
        }
        if (!wantSequences) continue;
        for (let f = e + 1; f < sequenceOffsets[q + 1]; f++) {
          const gap = times[f] - times[e];
          if (gap > reach) break;
          if (gap < c.minGap) continue;
          for (let b = eventOffsets[f]; b < eventOffsets[f + 1]; b++)
            if (rank[items[b]] >= 0) bump(rx * nF + rank[items[b]], q);
        }
      }
    }
  }
  const followers: number[][] = Array.from({ length: nItems }, () => []);
  const companions: number[][] = Array.from({ length: nItems }, () => []);
  const keep = (key: number, n: number) => {
    if (n < c.minCount) return;
    const k = key < itemsetBase ? key : key - itemsetBase;
    (key < itemsetBase ? followers : companions)[f1[Math.floor(k / nF)]].push(f1[k % nF]);
  };
  if (dense) for (let key = 0; key < slots; key++) keep(key, denseCounts[key]);
  else for (const [key, n] of counts) keep(key, n);
  const sorted = (lists: number[][]) => lists.map((l) => Int32Array.from(l).sort());
  // (codes ascend with ranks, so a sorted list of codes is in rank order too)
  return { followers: sorted(followers), companions: sorted(companions) };
}

/**
 * The pattern being grown (a stack of items with element boundaries) and the growable output buffers, with the
 * guard on the output's size: pattern number `maxSequences + 1` throws `LIMIT_EXCEEDED`.
 */
class PatternCollector {
  private readonly stack: number[] = [];
  /** Where each open element starts in `stack`. */
  private readonly starts: number[] = [];
  private patternOffsets = new Int32Array(256);
  private elementOffsets = new Int32Array(256);
  private codes = new Int32Array(1024);
  private counts = new Int32Array(256);
  private patterns = 0;
  private elements = 0;
  private used = 0;

  constructor(private readonly c: SpadeConstraints) {}

  /** Starts a new element holding x. */
  open(x: number): void {
    this.starts.push(this.stack.length);
    this.stack.push(x);
  }

  close(): void {
    this.stack.length = this.starts.pop() as number;
  }

  /** Adds x to the last element. */
  push(x: number): void {
    this.stack.push(x);
  }

  pop(): void {
    this.stack.pop();
  }

  /** Records the current pattern with its count. */
  emit(count: number): void {
    const c = this.c;
    if (this.patterns >= c.maxSequences) {
      throw new ClienteleError(
        'LIMIT_EXCEEDED',
        `frequentSequences: the search passed maxSequences = ${c.maxSequences} frequent sequences (found more at ` +
          `minCount ${c.minCount}, maxLength ${c.maxLength}, maxSize ${c.maxSize}); raise minSupport (or minCount), ` +
          `lower maxLength or maxSize, or raise maxSequences (Infinity lifts the limit) if the output should be that large`,
      );
    }
    const k = this.starts.length;
    const n = this.stack.length;
    this.patternOffsets = grown(this.patternOffsets, this.patterns + 2);
    this.counts = grown(this.counts, this.patterns + 1);
    this.elementOffsets = grown(this.elementOffsets, this.elements + k + 1);
    this.codes = grown(this.codes, this.used + n);
    for (let j = 0; j < k; j++) this.elementOffsets[this.elements + j] = this.used + this.starts[j];
    for (let t = 0; t < n; t++) this.codes[this.used + t] = this.stack[t];
    this.elements += k;
    this.used += n;
    this.elementOffsets[this.elements] = this.used;
    this.counts[this.patterns] = count;
    this.patterns++;
    this.patternOffsets[this.patterns] = this.elements;
  }

  result(): MinedSequences {
    return {
      patternOffsets: this.patternOffsets.slice(0, this.patterns + 1),
      elementOffsets: this.elementOffsets.slice(0, this.elements + 1),
      codes: this.codes.slice(0, this.used),
      counts: this.counts.slice(0, this.patterns),
    };
  }
}
