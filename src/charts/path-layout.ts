import { ClienteleError } from '../table/internal';

/** A node of a layered layout: its layer (depth), its place in the layer and its slot on the vertical axis. */
export interface LayoutNode {
  readonly name: string;
  /** Length of the longest directed route from a source (a node without incoming paths) to this node. */
  readonly depth: number;
  /** Place within its layer, 0 on top. */
  readonly order: number;
  /** Vertical position in slots (one slot between neighbours of a layer); smaller is higher. */
  readonly slot: number;
}

/**
 * A layered (Sugiyama-style) layout of a directed acyclic graph: depth = longest route from a source, so every edge
 * points to a deeper layer; within a layer, nodes are ordered by the mean place of their predecessors (the
 * barycentre heuristic, one sweep from the first layer; ties and the first layer keep the order of `nodes`); each
 * layer is centred on slot 0. When an edge skips a layer, odd layers are shifted by half a slot, so a chain of
 * single-node layers becomes a zigzag and the long edges do not run through the nodes in between.
 *
 * Cost: O(V + E) plus a sort per layer.
 *
 * @throws {ClienteleError} `INVALID_INPUT` when an edge names an unknown node or the graph has a cycle
 */
export function layeredLayout(
  nodes: readonly string[],
  edges: readonly (readonly [string, string])[],
  fn: string,
): LayoutNode[] {
  const index = new Map(nodes.map((name, i) => [name, i]));
  const incoming: number[][] = nodes.map(() => []);
  const outgoing: number[][] = nodes.map(() => []);
  for (const [from, to] of edges) {
    const a = index.get(from);
    const b = index.get(to);
    if (a === undefined || b === undefined) {
      throw new ClienteleError(
        'INVALID_INPUT',
        `${fn}: the path ${from} → ${to} names a latent variable that is not in the model (found ${nodes.join(', ')}); pass the result of plsPathModel`,
      );
    }
    incoming[b].push(a);
    outgoing[a].push(b);
  }
  // Kahn's topological order, then the longest route to each node
  const indegree = incoming.map((list) => list.length);
  const queue: number[] = [];
  indegree.forEach((d, i) => d === 0 && queue.push(i));
  const depth = new Int32Array(nodes.length);
  let seen = 0;
  while (seen < queue.length) {
    const a = queue[seen++];
    for (const b of outgoing[a]) {
      if (depth[a] + 1 > depth[b]) depth[b] = depth[a] + 1;
      if (--indegree[b] === 0) queue.push(b);
    }
  }
  if (seen < nodes.length) {
    const left = nodes.filter((_, i) => indegree[i] > 0);
    throw new ClienteleError(
      'INVALID_INPUT',
      `${fn}: the inner model has a cycle through ${left.join(', ')}; a path diagram needs a recursive (acyclic) model`,
    );
  }
  const layers: number[][] = [];
  nodes.forEach((_, i) => (layers[depth[i]] ??= []).push(i));
  const place = new Float64Array(nodes.length);
  layers.forEach((layer, d) => {
    if (d > 0) {
      const centre = (i: number) =>
        incoming[i].length === 0 ? Infinity : incoming[i].reduce((s, a) => s + place[a], 0) / incoming[i].length;
      layer.sort((a, b) => centre(a) - centre(b) || a - b);
    }
    layer.forEach((i, k) => (place[i] = k - (layer.length - 1) / 2));
  });
  const skips = edges.some(([from, to]) => depth[index.get(to)!] - depth[index.get(from)!] > 1);
  const out: LayoutNode[] = [];
  layers.forEach((layer, d) =>
    layer.forEach((i, k) =>
      out.push({ name: nodes[i], depth: d, order: k, slot: place[i] + (skips && d % 2 === 1 ? 0.5 : 0) }),
    ),
  );
  return out;
}
