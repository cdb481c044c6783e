import { compile } from 'vega-lite';
import * as vega from 'vega';

/** What a headless render of a Vega-Lite spec produced. */
export interface Rendered {
  svg: string;
  view: vega.View;
  /** Warnings and errors logged by vega-lite's compiler and by the Vega runtime. */
  messages: string[];
}

/** A logger that records every warning and error (vega-util's logger interface). */
function recordingLogger(messages: string[]) {
  let level = 2; // Warn
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...args: unknown[]) => (messages.push(`error: ${args.map(String).join(' ')}`), logger),
    warn: (...args: unknown[]) => (messages.push(`warn: ${args.map(String).join(' ')}`), logger),
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Compiles with the real vega-lite, renders with the real vega (no DOM) to SVG, and keeps the view for its scenegraph. */
export async function render(spec: object): Promise<Rendered> {
  const messages: string[] = [];
  const logger = recordingLogger(messages);
  // a JSON round trip: what a notebook or a report hands to the renderer
  const compiled = compile(JSON.parse(JSON.stringify(spec)), { logger: logger as never });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger: logger as never });
  const svg = await view.toSVG();
  return { svg, view, messages };
}

/** A scenegraph item (the parts the tests read). */
export interface Item {
  x?: number;
  y?: number;
  x2?: number;
  y2?: number;
  width?: number;
  height?: number;
  text?: string;
  fill?: string;
  stroke?: string;
  angle?: number;
  strokeDash?: number[];
  datum?: Record<string, unknown>;
  mark: { marktype: string; name?: string; role?: string };
}

interface SceneNode {
  marktype?: string;
  name?: string;
  role?: string;
  items?: SceneNode[];
}

/** Every item of every mark named `name` (Vega-Lite names a unit's marks `<name>_marks`), in scene order. */
export function itemsOf(view: vega.View, name: string): Item[] {
  const out: Item[] = [];
  const walk = (node: SceneNode) => {
    if (node.marktype) {
      if (node.name === `${name}_marks` || node.name === name) out.push(...((node.items ?? []) as unknown as Item[]));
      else for (const item of node.items ?? []) walk(item);
    } else for (const child of node.items ?? []) walk(child);
  };
  walk((view.scenegraph() as unknown as { root: SceneNode }).root);
  return out;
}

/** Every mark name in the scenegraph, for failure messages. */
export function markNames(view: vega.View): string[] {
  const out: string[] = [];
  const walk = (node: SceneNode) => {
    if (node.marktype && node.name) out.push(`${node.name}:${node.marktype}`);
    for (const item of node.items ?? []) walk(item);
  };
  walk((view.scenegraph() as unknown as { root: SceneNode }).root);
  return out;
}
