/**
 * The dependency rules, checked over the real import graph of functions/ and events/: handler → use case → domain,
 * adapters implement ports, commons and the domain know nothing of each other, and no cycle anywhere.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkGraph,
  importsOf,
  readGraph,
  sourceFiles,
  type ImportGraph,
} from '#test-support/dependency-rules';

const root = new URL('../../..', import.meta.url).pathname;

/** Known violations not fixed yet; the list may only shrink (see the last test). */
const notYetFixed: string[] = [];

const line = (v: { rule: string; from: string; to: string }) => `${v.rule}: ${v.from} -> ${v.to}`;

const edge = (from: string, to: string, typeOnly = false) => ({ from, to, typeOnly });
const graphOf = (...edges: ReturnType<typeof edge>[]): ImportGraph => ({
  files: [...new Set(edges.map((e) => e.from))],
  edges,
});

describe('the dependency rules', () => {
  it('find a domain module that imports an adapter, the AWS SDK, commons or the file system', () => {
    const rules = checkGraph(
      graphOf(
        edge('functions/domain/a.ts', 'functions/adapters/dynamodb/b.ts'),
        edge('functions/domain/a.ts', '@aws-sdk/client-dynamodb'),
        edge('functions/domain/a.ts', 'functions/commons/c.ts', true),
        edge('functions/domain/a.ts', 'node:fs'),
        edge('functions/domain/a.ts', 'fs/promises'),
      ),
    ).map((v) => `${v.rule} (${v.to})`);
    expect(rules).toEqual(
      expect.arrayContaining([
        'the domain imports nothing from adapters (functions/adapters/dynamodb/b.ts)',
        'the domain uses no AWS, no runtime and no machine (files, network, processes) (@aws-sdk/client-dynamodb)',
        'the domain imports nothing from commons (functions/commons/c.ts)',
        'the domain uses no AWS, no runtime and no machine (files, network, processes) (node:fs)',
        'the domain uses no AWS, no runtime and no machine (files, network, processes) (fs/promises)',
      ]),
    );
  });

  it('let the domain use pure libraries and its own modules', () => {
    expect(
      checkGraph(
        graphOf(
          edge('functions/domain/a.ts', 'zod'),
          edge('functions/domain/a.ts', 'node:crypto'),
          edge('functions/domain/a.ts', 'functions/domain/b.ts'),
        ),
      ),
    ).toEqual([]);
  });

  it('find a handler that imports another handler, but not a handler using its own helper module', () => {
    const entries = ['functions/handlers/a.ts', 'functions/handlers/b.ts'];
    const found = checkGraph(
      graphOf(
        edge('functions/handlers/a.ts', 'functions/handlers/b.ts'),
        edge('functions/handlers/a.ts', 'functions/handlers/a-routes.ts'),
      ),
      entries,
    );
    expect(found.map(line)).toEqual([
      'a handler does not import another handler: functions/handlers/a.ts -> functions/handlers/b.ts',
    ]);
  });

  it('find a handler, adapter or use case that reaches back into a composition root', () => {
    const found = checkGraph(
      graphOf(
        edge('functions/handlers/a.ts', 'functions/composition/a.ts'),
        edge('functions/composition/a.ts', 'functions/handlers/a.ts'),
        edge('functions/composition/a.ts', 'functions/composition/host.ts'),
        edge('local/runtime.ts', 'functions/composition/a.ts'),
      ),
    );
    expect(found.map(line)).toContain(
      'only a host (the Lambda entry, local/) imports a composition root: functions/handlers/a.ts -> functions/composition/a.ts',
    );
    expect(
      found.filter((v) => v.from === 'local/runtime.ts' || v.to === 'functions/composition/host.ts'),
    ).toEqual([]);
  });

  it("find an adapter that runs a use case's code, but not one that names its port's types or imports a ports module", () => {
    const found = checkGraph(
      graphOf(
        edge('functions/adapters/x.ts', 'functions/use-cases/dispatch-alert.ts'),
        edge('functions/adapters/y.ts', 'functions/use-cases/dispatch-alert.ts', true),
        edge('functions/adapters/z.ts', 'functions/use-cases/alert-ports.ts'),
      ),
    );
    expect(found.map((v) => v.from)).toEqual(['functions/adapters/x.ts']);
  });

  it('find commons importing the domain', () => {
    expect(
      checkGraph(graphOf(edge('functions/commons/config.ts', 'functions/domain/routing.ts', true))).map(
        (v) => v.rule,
      ),
    ).toContain('commons imports nothing from domain');
  });

  it('find an import cycle between files, and one between layers made of files that do not form a cycle', () => {
    const files = checkGraph(
      graphOf(
        edge('events/a.ts', 'events/b.ts'),
        edge('events/b.ts', 'events/c.ts'),
        edge('events/c.ts', 'events/a.ts'),
      ),
    );
    expect(files.map(line)).toEqual([
      'no import cycle: events/a.ts -> events/a.ts → events/b.ts → events/c.ts',
    ]);
    const layers = checkGraph(
      graphOf(
        edge('functions/use-cases/u.ts', 'functions/domain/d.ts'),
        edge('functions/domain/e.ts', 'functions/use-cases/v.ts', true),
      ),
    );
    expect(layers.map((v) => v.rule)).toContain('no import cycle between layers (domain, use-cases)');
  });

  it('read imports, exports and dynamic imports, type-only or not, and not paths in comments', () => {
    const text = [
      "import { a, type B } from './a';",
      "import type { C } from '../c';",
      "export { d } from './d';",
      "export type { E } from './e';",
      "import './side-effect';",
      "const f = await import('./f');",
      "// import { g } from './g';",
      "/* import { h } from './h'; */",
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { specifier: './a', typeOnly: false },
      { specifier: '../c', typeOnly: true },
      { specifier: './d', typeOnly: false },
      { specifier: './e', typeOnly: true },
      { specifier: './side-effect', typeOnly: false },
      { specifier: './f', typeOnly: false },
    ]);
  });

  const found = checkGraph(readGraph(root)).map(line);

  it('hold in functions/ and events/ (apart from the violations listed as not fixed yet)', () => {
    expect(found.filter((v) => !notYetFixed.includes(v))).toEqual([]);
  });

  it('list as not fixed only violations that are still there', () => {
    expect(notYetFixed.filter((v) => !found.includes(v))).toEqual([]);
  });

  it('cross folders by subpath import (#domain/…, #adapters/…), never by climbing out with ../', () => {
    const climbing = ['functions', 'events', 'infra', 'local', 'test', 'bench']
      .flatMap((folder) => sourceFiles(root, folder))
      .flatMap((file) =>
        importsOf(readFileSync(join(root, file), 'utf8'))
          .filter(({ specifier }) => specifier.startsWith('../') && !specifier.endsWith('.json'))
          .map(({ specifier }) => `${file}: ${specifier}`),
      );
    expect(climbing).toEqual([]);
  });
});
