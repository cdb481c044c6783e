import { ClienteleError, moduleLocation } from '../table/internal';

/** The source text of the three browser builds a report inlines, in load order. */
export interface VegaScripts {
  /** `vega/build/vega.min.js` */
  readonly vega: string;
  /** `vega-lite/build/vega-lite.min.js` */
  readonly vegaLite: string;
  /** `vega-embed/build/vega-embed.min.js` */
  readonly vegaEmbed: string;
}

/**
 * Reads the minified browser builds of vega, vega-lite and vega-embed from the installed packages. They are found
 * through files each package exports (`vega/vega-schema.json`, `vega-lite/vega-lite-schema.json`, `vega-embed`'s
 * main file, all in the package's `build/` folder), because the packages do not export `build/*.min.js` itself;
 * resolution starts at this module (so an app that depends on clientele finds clientele's copies) and falls back to
 * the working directory. Node modules are loaded on demand, so the root bundle stays loadable in browsers. The three
 * packages are optional peer dependencies (24 MB with d3, which the core library does not need): when they are not
 * installed, the error says which to install.
 *
 * @throws {ClienteleError} `INVALID_OPTION` when the builds cannot be found or read
 */
export async function loadVegaScripts(fn: string): Promise<VegaScripts> {
  let modules;
  try {
    const [mod, fs, path] = await Promise.all([import('node:module'), import('node:fs/promises'), import('node:path')]);
    modules = { createRequire: mod.createRequire, readFile: fs.readFile, dirname: path.dirname, join: path.join };
  } catch (e) {
    throw new ClienteleError(
      'INVALID_OPTION',
      `${fn}: charts need the vega browser builds, and this runtime has no node:fs to read them (${(e as Error).message}); pass their text as options.scripts`,
    );
  }
  const { createRequire, readFile, dirname, join } = modules;
  const bases = [
    moduleLocation(),
    typeof process === 'object' && process && typeof process.cwd === 'function'
      ? join(process.cwd(), 'noop.js')
      : undefined,
  ];
  const problems: string[] = [];
  for (const base of bases) {
    if (!base) continue;
    try {
      const require = createRequire(base);
      const files = [
        join(dirname(require.resolve('vega/vega-schema.json')), 'vega.min.js'),
        join(dirname(require.resolve('vega-lite/vega-lite-schema.json')), 'vega-lite.min.js'),
        join(dirname(require.resolve('vega-embed')), 'vega-embed.min.js'),
      ];
      const [vega, vegaLite, vegaEmbed] = await Promise.all(files.map((f) => readFile(f, 'utf8')));
      return { vega, vegaLite, vegaEmbed };
    } catch (e) {
      problems.push((e as Error).message.split('\n')[0]);
    }
  }
  throw new ClienteleError(
    'INVALID_OPTION',
    `${fn}: cannot read the browser builds of vega, vega-lite and vega-embed (found: ${problems.join('; ') || 'no place to look from'}); ` +
      'they are optional peer dependencies of clientele, needed only for the HTML report: install them beside it ' +
      '(npm install vega vega-lite vega-embed), or pass their text as options.scripts',
  );
}

/**
 * A script's text made safe to sit inside `<script>…</script>`: a `</script` would end the element early, so it
 * is written `<\/script` (the same string to JavaScript in string, template and regex literals); source-map
 * comments are dropped because the maps are not inlined.
 */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
}
