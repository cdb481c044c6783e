/**
 * The part of ml-cart 2.1.1 (mljs/decision-tree-cart, which ships no types) that clientele uses, written from its
 * source (`src/DecisionTreeClassifier.js`, `src/TreeNode.js`). Only `decision-rules.ts` imports it; nothing of it
 * reaches the public API.
 */
declare module 'ml-cart' {
  /** Options of the CART classifier; ml-cart's defaults in brackets. */
  export interface DecisionTreeClassifierOptions {
    /** Impurity used to pick splits ['gini', the only one ml-cart has]. */
    gainFunction?: 'gini';
    /** How a threshold is made from two adjacent sorted values ['mean', the only one]. */
    splitFunction?: 'mean';
    /** A node with this many training rows or fewer becomes a leaf [3]. */
    minNumSamples?: number;
    /** Splits allowed on a path from the root (the root is depth 0) [Infinity]. */
    maxDepth?: number;
    /** A node splits only when its best Gini gain is above this [0.01]. */
    gainThreshold?: number;
  }

  /** The row vector of class shares ml-cart stores in a leaf (an ml-matrix `Matrix` with one row). */
  export interface CartDistribution {
    readonly rows: number;
    readonly columns: number;
    get(row: number, column: number): number;
    getRow(row: number): number[];
  }

  /**
   * A node of the fitted tree. An inner node has both `left` and `right`; a row goes left when
   * `row[splitColumn] < splitValue`, right otherwise. A leaf has `distribution` (class shares of its training rows,
   * indexed by class number). `splitValue` and `splitColumn` are also set on leaves that were tried and not split.
   */
  export interface CartNode {
    readonly splitValue?: number;
    readonly splitColumn?: number;
    readonly gain?: number;
    readonly left?: CartNode;
    readonly right?: CartNode;
    readonly distribution?: CartDistribution;
  }

  export class DecisionTreeClassifier {
    constructor(options?: DecisionTreeClassifierOptions);
    /** Set by `train`. */
    readonly root: CartNode;
    /** Trains on rows of features and class numbers 0…k−1 (they index the leaf distributions). */
    train(trainingSet: number[][], trainingLabels: number[]): void;
    /** The most frequent training class of each row's leaf (the lowest class number on a tie). */
    predict(toPredict: number[][]): number[];
  }
}
