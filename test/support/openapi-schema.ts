/**
 * Checks a JSON value against a schema of a vendored OpenAPI document (functions/adapters/hmpps/specs), for the
 * contract tests. Covers what those documents use: $ref, type (or a list of types), required, properties, items,
 * enum and the formats date and uuid. Returns every problem with its path; an empty list means it conforms.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Schema = {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  format?: string;
};

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

export function vendoredSpec(name: string): OpenApiDocument {
  return JSON.parse(
    readFileSync(
      fileURLToPath(new URL(`../../functions/adapters/hmpps/specs/${name}.openapi.json`, import.meta.url)),
      'utf8',
    ),
  );
}

/** The schema of an operation's answer, e.g. ('/prisoner/{id}', 'get', '200'). */
export function responseSchema(spec: OpenApiDocument, path: string, method: string, status: string): Schema {
  const schema = spec.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`the spec has no JSON answer for ${method.toUpperCase()} ${path} ${status}`);
  return schema;
}

export function conformance(spec: OpenApiDocument, schema: Schema, value: unknown, at = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = spec.components.schemas[name];
    if (!target) return [`${at}: the spec has no schema ${name}`];
    return conformance(spec, target, value, at);
  }
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const actual =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : Number.isInteger(value)
          ? 'integer'
          : typeof value;
  if (types.length > 0 && !types.includes(actual) && !(actual === 'integer' && types.includes('number')))
    return [`${at}: expected ${types.join(' or ')}, found ${actual}`];
  if (value === null) return [];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${at}: not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string' && schema.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value))
    problems.push(`${at}: not a date`);
  if (
    typeof value === 'string' &&
    schema.format === 'uuid' &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  )
    problems.push(`${at}: not a uuid`);
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? [])
      if (object[name] === undefined) problems.push(`${at}.${name}: required`);
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (object[name] !== undefined)
        problems.push(...conformance(spec, property, object[name], `${at}.${name}`));
    }
  }
  if (actual === 'array' && schema.items)
    for (const [i, item] of (value as unknown[]).entries())
      problems.push(...conformance(spec, schema.items!, item, `${at}[${i}]`));
  return problems;
}
