// The node's OpenAPI 3.1 document (/api/openapi.json), as much of it as the API page reads.
import type { HttpClient } from '../../lib/http';

export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  items?: Schema | false;
  prefixItems?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

export interface Parameter { name: string; in: 'path' | 'query'; required: boolean; description?: string }
interface Media { schema: Schema }
interface Response { $ref?: string; description?: string; content?: Record<string, Media> }

export interface Operation {
  tags: string[];
  summary: string;
  operationId: string;
  'x-steward-access': 'public' | 'user' | 'admin';
  parameters?: Parameter[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, Response>;
}

export interface OpenApi {
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export const OPENAPI_PATH = '/api/openapi.json';

export function openApi(http: HttpClient): Promise<OpenApi> {
  return http.get(OPENAPI_PATH);
}

export interface Endpoint { method: string; path: string; operation: Operation }

/** Every operation under its tag, in the document's tag order; `filter` matches path, method or summary. */
export function endpointsByTag(doc: OpenApi, filter: string): [string, Endpoint[]][] {
  const needle = filter.trim().toLowerCase();
  const groups = new Map<string, Endpoint[]>(doc.tags.map((tag) => [tag.name, []]));
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const text = `${method} ${path} ${operation.summary}`.toLowerCase();
      if (needle !== '' && !needle.split(/\s+/).every((word) => text.includes(word))) continue;
      const tag = operation.tags[0] ?? 'Other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)?.push({ method: method.toUpperCase(), path, operation });
    }
  }
  return [...groups.entries()].filter(([, endpoints]) => endpoints.length > 0);
}

/** The component a `$ref` names ("#/components/schemas/X" → "X"). */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

/** A one-line type: `string`, `ServerSummary[]`, `number | null`, `'a' | 'b'`, `[number, number]`. */
export function typeLabel(schema: Schema | false | undefined): string {
  if (schema === undefined || schema === false) return 'nothing';
  if (schema.$ref !== undefined) return refName(schema.$ref).replace(/-nullable$/, ' | null');
  if (schema.enum !== undefined) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.prefixItems !== undefined) return `[${schema.prefixItems.map(typeLabel).join(', ')}]`;
  const variants = schema.allOf ?? schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return variants.map(typeLabel).join(schema.allOf !== undefined ? ' & ' : ' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const label = types.map((type) => {
    if (type === 'array') return `${typeLabel(schema.items).replace(/^(.* \| .*)$/, '($1)')}[]`;
    if (type === 'integer') return 'integer';
    if (type === 'object' && typeof schema.additionalProperties === 'object') return `{ [key]: ${typeLabel(schema.additionalProperties)} }`;
    if (type === 'string' && schema.format !== undefined) return `string (${schema.format})`;
    return type;
  }).join(' | ');
  return label === '' ? 'any' : label;
}

/** The component a schema shows fields of, if any (a reference, possibly to a nullable wrapper of one). */
export function referenced(doc: OpenApi, schema: Schema | undefined): [string, Schema] | null {
  if (schema?.$ref === undefined) return null;
  const name = refName(schema.$ref);
  const target = doc.components.schemas[name];
  if (target === undefined) return null;
  if (target.properties === undefined && target.anyOf !== undefined) {
    const inner = target.anyOf.find((part) => part.$ref !== undefined);
    if (inner !== undefined) return referenced(doc, inner);
  }
  return [name, target];
}
