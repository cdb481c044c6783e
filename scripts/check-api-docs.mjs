#!/usr/bin/env node
/**
 * Checks the API documentation that `npx typedoc` generates into docs/api (typedoc.json):
 *   1. every exported function and class of the package (src/index.ts and the subpath entries) has an `@example`
 *      (for a function, on its doc comment or on each of its signatures; for a class, on the class);
 *   2. TypeDoc's validation (unexported types in the public API, broken `{@link}`s) gives no warning.
 * The examples themselves run as tests (test/doc-examples.test.ts); this check makes sure none is missing.
 *
 *   node scripts/check-api-docs.mjs            # exit 0 when both hold, 1 otherwise (the list on stderr)
 *   node scripts/check-api-docs.mjs --json     # the findings as JSON on stdout
 *
 * It converts the sources with TypeDoc's API (no HTML written), so it runs in a few seconds.
 */
import { Application, LogLevel, ReflectionKind, TSConfigReader, TypeDocReader } from 'typedoc';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const asJson = process.argv.includes('--json');

const warnings = [];
const app = await Application.bootstrapWithPlugins(
  // warnings are collected below rather than turned into errors, so that all of them are listed at once
  { options: resolve(root, 'typedoc.json'), treatWarningsAsErrors: false, logLevel: asJson ? 'None' : 'Warn' },
  [new TypeDocReader(), new TSConfigReader()],
);
const log = app.logger.log.bind(app.logger);
app.logger.log = (message, level) => {
  if (level === LogLevel.Warn) warnings.push(String(message));
  log(message, level);
};
const project = await app.convert();
if (!project) {
  console.error('check-api-docs: TypeDoc could not convert the sources (see the errors above)');
  process.exit(1);
}
app.validate(project);

const hasExample = (comment) =>
  Boolean(comment?.blockTags?.some((tag) => tag.tag === '@example' && tag.content.some((part) => part.text.trim())));
/** Where a reflection is exported from: `clientele` for src/index.ts, `clientele/<area>` for a subpath entry. */
const entryOf = (reflection) => {
  let r = reflection;
  while (r.parent && r.parent.kind !== ReflectionKind.Project) r = r.parent;
  return r.kind === ReflectionKind.Module ? r.name : project.name;
};

const checked = new Map(); // name → { kind, entries, example }
for (const reflection of project.getReflectionsByKind(ReflectionKind.Function | ReflectionKind.Class)) {
  // functions and classes exported at a module's top level; methods and nested namespaces are not separate API
  if (reflection.parent?.kind !== ReflectionKind.Module && reflection.parent?.kind !== ReflectionKind.Project) continue;
  const example =
    reflection.kind === ReflectionKind.Class
      ? hasExample(reflection.comment)
      : hasExample(reflection.comment) ||
        (reflection.signatures?.length > 0 && reflection.signatures.every((s) => hasExample(s.comment)));
  const kind = reflection.kind === ReflectionKind.Class ? 'class' : 'function';
  const seen = checked.get(reflection.name) ?? { kind, entries: [], example: true };
  seen.entries.push(entryOf(reflection));
  seen.example &&= example;
  checked.set(reflection.name, seen);
}

const missing = [...checked]
  .filter(([, v]) => !v.example)
  .map(([name, v]) => ({ name, kind: v.kind, entries: v.entries }));
missing.sort((a, b) => (a.name < b.name ? -1 : 1));
const summary = { checked: checked.size, missing, warnings };

if (asJson) console.log(JSON.stringify(summary, null, 2));
else {
  console.log(
    `check-api-docs: ${checked.size} exported functions and classes, ${checked.size - missing.length} with an @example`,
  );
  if (missing.length) {
    console.error(`check-api-docs: ${missing.length} without an @example:`);
    for (const m of missing) console.error(`  ${m.kind} ${m.name} (${[...new Set(m.entries)].join(', ')})`);
  }
  if (warnings.length)
    console.error(
      `check-api-docs: ${warnings.length} TypeDoc warnings (typedoc.json treats them as errors), listed above`,
    );
}
process.exit(missing.length || warnings.length ? 1 : 0);
