/**
 * The dependency rules of functions/ and events/, checked over the import graph: which layer may import which,
 * and no import cycle. The graph is read from the source (static `import`/`export … from` and `import()`), so the
 * check needs no bundler; `checkGraph` takes any graph, which is how its own test proves that it can fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export type Layer =
  | 'domain'
  | 'use-cases'
  | 'adapters'
  | 'handlers'
  | 'commons'
  | 'dashboard'
  | 'composition'
  | 'events'
  | 'other';

export interface ImportEdge {
  /** Repository-relative path of the importing file. */
  from: string;
  /** Repository-relative path of the imported file, or the bare specifier of a package or node builtin. */
  to: string;
  /** `import type` / `export type`: erased at run time, but still a dependency of the design. */
  typeOnly: boolean;
}

export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
}

export interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** The files of the Lambda entries (named by infra/): a handler is an entry and never imports another one. */
export const lambdaEntries = [
  'functions/handlers/api.ts',
  'functions/handlers/custody-events.ts',
  'functions/handlers/dispatch.ts',
  'functions/handlers/notify-callbacks.ts',
  'functions/handlers/partner-drop.ts',
  'functions/handlers/sweeper.ts',
];

/** What the domain must not use: AWS, the Lambda runtime, HTTP clients, and the machine (files, processes, network). */
const outsideWorld = [
  /^@aws-sdk\//,
  /^@aws-lambda-powertools\//,
  /^@middy\//,
  /^aws-lambda$/,
  /^aws-xray-sdk/,
  /^axios$/,
  /^notifications-node-client$/,
  /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dns|os|process|worker_threads|cluster|dgram|tls)$/,
];

export function layerOf(path: string): Layer {
  const match = /^functions\/([^/]+)\//.exec(path);
  if (match) {
    const layer = match[1] as Layer;
    return (
      ['domain', 'use-cases', 'adapters', 'handlers', 'commons', 'dashboard', 'composition'] as const
    ).includes(layer as never)
      ? layer
      : 'other';
  }
  return path.startsWith('events/') ? 'events' : 'other';
}

const isPackage = (to: string) =>
  !to.startsWith('layer:') &&
  !to.startsWith('functions/') &&
  !to.startsWith('events/') &&
  !to.startsWith('infra/') &&
  !to.startsWith('local/');

/** Every rule broken by one edge (an edge may break none). */
function edgeViolations(edge: ImportEdge, entries: ReadonlySet<string>): Violation[] {
  const { from, to } = edge;
  const source = layerOf(from);
  const target = isPackage(to) ? 'package' : layerOf(to);
  const broken: string[] = [];

  if (source === 'domain') {
    if (target === 'package' && outsideWorld.some((p) => p.test(to)))
      broken.push('the domain uses no AWS, no runtime and no machine (files, network, processes)');
    if (['use-cases', 'adapters', 'handlers', 'commons', 'dashboard'].includes(target))
      broken.push(`the domain imports nothing from ${target}`);
    if (target === 'events')
      broken.push(
        'the domain does not import the wire contract (events/ is mapped to domain facts at the edge)',
      );
    if (to.startsWith('infra/') || to.startsWith('local/'))
      broken.push('functions/ import nothing from infra/ or local/');
  }
  if (source === 'commons' && ['domain', 'use-cases', 'adapters', 'handlers'].includes(target))
    broken.push(`commons imports nothing from ${target}`);
  if (source === 'events' && ['use-cases', 'adapters', 'handlers', 'commons'].includes(target))
    broken.push(`the wire contract imports nothing from ${target}`);
  if (source === 'use-cases' && ['adapters', 'handlers'].includes(target))
    broken.push(`a use case imports nothing from ${target} (adapters implement its ports)`);
  if (source === 'adapters' && target === 'handlers') broken.push('an adapter imports nothing from handlers');
  // An adapter implements a port: it may name the port's types (or use a ports module), never run a use case's code.
  if (source === 'adapters' && target === 'use-cases' && !edge.typeOnly && !to.endsWith('-ports.ts'))
    broken.push("an adapter imports only the types of a use case's ports, not its internals");
  if (entries.has(from) && entries.has(to)) broken.push('a handler does not import another handler');
  // A composition root is where a host (Lambda, local/) starts: the code it wires never reaches back into it.
  if (target === 'composition' && source !== 'composition' && source !== 'other')
    broken.push('only a host (the Lambda entry, local/) imports a composition root');
  return broken.map((rule) => ({ rule, from, to }));
}

/** The cycles of the graph (one per strongly connected component of two or more files, or a file importing itself). */
export function cycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) if (!isPackage(e.to)) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const nodes = [
    ...new Set([
      ...graph.files,
      ...graph.edges.filter((e) => !isPackage(e.to)).flatMap((e) => [e.from, e.to]),
    ]),
  ].sort();
  for (const root of nodes) {
    if (indices.has(root)) continue;
    const work: Array<{ node: string; i: number }> = [{ node: root, i: 0 }];
    indices.set(root, index);
    low.set(root, index++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const successors = next.get(frame.node) ?? [];
      if (frame.i < successors.length) {
        const w = successors[frame.i++]!;
        if (!indices.has(w)) {
          indices.set(w, index);
          low.set(w, index++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, indices.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === indices.get(frame.node)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.node);
        if (component.length > 1 || successors.includes(frame.node)) found.push(component.sort());
      }
    }
  }
  return found;
}

/** Every broken rule of the graph, cycles included, in a stable order. */
export function checkGraph(graph: ImportGraph, entries: readonly string[] = lambdaEntries): Violation[] {
  const entrySet = new Set(entries);
  const violations = graph.edges.flatMap((e) => edgeViolations(e, entrySet));
  for (const cycle of cycles(graph))
    violations.push({ rule: 'no import cycle', from: cycle[0]!, to: cycle.join(' → ') });
  // Between layers too: a file-level graph without cycles can still have two layers that import each other.
  const layerGraph: ImportGraph = {
    files: [],
    edges: graph.edges
      .filter((e) => !isPackage(e.to) && layerOf(e.from) !== layerOf(e.to))
      .map((e) => ({ from: `layer:${layerOf(e.from)}`, to: `layer:${layerOf(e.to)}`, typeOnly: e.typeOnly })),
  };
  for (const cycle of cycles(layerGraph)) {
    const layers = cycle.map((l) => l.slice('layer:'.length));
    const witnesses = graph.edges.filter(
      (e) =>
        !isPackage(e.to) &&
        layerOf(e.from) !== layerOf(e.to) &&
        layers.includes(layerOf(e.from)) &&
        layers.includes(layerOf(e.to)),
    );
    for (const w of witnesses)
      violations.push({
        rule: `no import cycle between layers (${layers.join(', ')})`,
        from: w.from,
        to: w.to,
      });
  }
  const key = (v: Violation) => `${v.rule}|${v.from}|${v.to}`;
  return [...new Map(violations.map((v) => [key(v), v])).values()].sort((a, b) =>
    key(a).localeCompare(key(b)),
  );
}

const importPattern =
  /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[\w*\s{},$]*?\s+from\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports of one source text (comments are removed first, so a path in a comment is not an import). */
export function importsOf(text: string): Array<{ specifier: string; typeOnly: boolean }> {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  for (const m of code.matchAll(importPattern)) {
    const specifier = m[2] ?? m[3];
    if (specifier) found.push({ specifier, typeOnly: Boolean(m[1]) });
  }
  return found;
}

export function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const path = `${dir}/${d.name}`;
    if (d.isDirectory()) return sourceFiles(root, path);
    return /\.(ts|js)$/.test(d.name) && !d.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The subpath imports of package.json (`#domain/*` → `./functions/domain/*.ts`), as Node, tsx and esbuild read them. */
function subpathImports(root: string): Array<{ prefix: string; target: (rest: string) => string }> {
  const imports =
    (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports?: Record<string, string> })
      .imports ?? {};
  return Object.entries(imports).map(([pattern, target]) => ({
    prefix: pattern.replace(/\*$/, ''),
    target: (rest: string) => target.replace(/^\.\//, '').replace('*', rest),
  }));
}

function resolveSpecifier(
  root: string,
  from: string,
  specifier: string,
  known: ReadonlySet<string>,
  subpaths = subpathImports(root),
): string {
  if (specifier.startsWith('#')) {
    const mapped = subpaths.find((s) => specifier.startsWith(s.prefix));
    if (!mapped) return specifier;
    const path = mapped.target(specifier.slice(mapped.prefix.length));
    return path;
  }
  if (!specifier.startsWith('.')) return specifier.replace(/^node:/, 'node:');
  const base = relative(root, resolve(root, dirname(from), specifier))
    .split('\\')
    .join('/');
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}.js`, `${base}/index.ts`];
  return candidates.find((c) => known.has(c)) ?? base;
}

/** The import graph of the given folders of the repository at `root`. */
export function readGraph(root: string, folders: readonly string[] = ['functions', 'events']): ImportGraph {
  const files = folders.flatMap((f) => sourceFiles(root, f)).sort();
  const known = new Set(files);
  const subpaths = subpathImports(root);
  const edges = files.flatMap((from) =>
    importsOf(readFileSync(join(root, from), 'utf8')).map(({ specifier, typeOnly }) => ({
      from,
      to: resolveSpecifier(root, from, specifier, known, subpaths),
      typeOnly,
    })),
  );
  return { files, edges };
}
