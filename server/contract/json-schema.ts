/**
 * JSON Schemas for the API documents, from the two sources of truth in shared/: zod 4's own
 * JSON Schema output for what clients send (command payloads, REST bodies and queries), and
 * ts-json-schema-generator over shared/contract.ts's `WireContract` for what they receive (acks,
 * pushes, REST answers, errors), which are TypeScript interfaces.
 */
import path from 'node:path';
import ts from 'typescript';
import {
  createFormatter,
  createParser,
  createProgram,
  DEFAULT_CONFIG,
  SchemaGenerator,
  UnknownType,
  type BaseType,
  type CompletedConfig,
  type SubNodeParser,
} from 'ts-json-schema-generator';
import { z, type ZodType } from 'zod';
import { ROOT } from '../core/paths';

/** A JSON Schema as plain data (what both documents embed). */
export type JsonSchema = { [key: string]: Json };
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** `draft-7` for AsyncAPI's schema format, `draft-2020-12` for OpenAPI 3.1. */
export type Dialect = 'draft-7' | 'draft-2020-12';

/** The JSON Schema of what a zod schema accepts (its input side: defaults optional, before transforms). */
export function inputSchema(schema: ZodType, dialect: Dialect): JsonSchema {
  const out = z.toJSONSchema(schema, {
    io: 'input',
    target: dialect,
    // `undefined` (an omitted payload) has no JSON Schema: it is marked here and dropped below.
    unrepresentable: 'any',
    override: (ctx) => {
      if (ctx.zodSchema._zod.def.type === 'undefined') ctx.jsonSchema.not = {};
    },
  }) as JsonSchema;
  delete out.$schema;
  return dropNever(out) as JsonSchema;
}

/** Whether a payload may be left out altogether (`emit('whoami', ack)`). */
export function acceptsNothing(schema: ZodType): boolean {
  return schema.safeParse(undefined).success;
}

/** Removes `{ not: {} }` (matches nothing) from every anyOf; a single member left replaces its anyOf. */
function dropNever(value: Json): Json {
  if (Array.isArray(value)) return value.map(dropNever);
  if (value === null || typeof value !== 'object') return value;
  const out: { [key: string]: Json } = {};
  for (const [key, v] of Object.entries(value)) out[key] = dropNever(v);
  if (Array.isArray(out.anyOf)) {
    const kept = out.anyOf.filter((s) => !isNever(s));
    if (kept.length === 1 && Object.keys(out).length === 1) return kept[0]!;
    out.anyOf = kept;
  }
  return out;
}

function isNever(s: Json): boolean {
  return (
    typeof s === 'object' && s !== null && !Array.isArray(s) && Object.keys(s).length === 1 && isEmpty(s.not)
  );
}

function isEmpty(s: Json | undefined): boolean {
  return typeof s === 'object' && s !== null && !Array.isArray(s) && Object.keys(s).length === 0;
}

/**
 * The command maps name each command's input as `z.input<typeof schema>`: that side comes from
 * zod itself, so the generator does not follow it into zod's types (it reads `output` only).
 */
class ZodTypeStub implements SubNodeParser {
  supportsNode(node: ts.Node): boolean {
    return (
      ts.isTypeReferenceNode(node) &&
      ts.isQualifiedName(node.typeName) &&
      node.typeName.left.getText() === 'z'
    );
  }
  createType(): BaseType {
    return new UnknownType();
  }
}

/**
 * The TypeScript side: `WireContract` (shared/contract.ts) as one JSON Schema. Named interfaces
 * and aliases become `definitions`; the rest is inline.
 */
export function wireContractSchema(): { root: JsonSchema; definitions: Record<string, JsonSchema> } {
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: path.join(ROOT, 'shared', 'contract.ts'),
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    type: 'WireContract',
    expose: 'export',
    topRef: false,
    jsDoc: 'extended',
    additionalProperties: false,
    // `npm run check` type-checks shared/; the generator only reads it.
    skipTypeCheck: true,
    functions: 'comment',
  };
  const program = createProgram(config);
  const parser = createParser(program, config, (chain) => chain.addNodeParser(new ZodTypeStub()));
  const generator = new SchemaGenerator(program, parser, createFormatter(config), config);
  const { definitions = {}, ...root } = generator.createSchema(config.type) as JsonSchema & {
    definitions?: Record<string, JsonSchema>;
  };
  delete root.$schema;
  return { root, definitions };
}

/**
 * Makes generated schemas self-contained for a document: references to generic instantiations
 * (`Page<PostDto>`, `PushEvent<…>`, `Command<…>`, whose generated names are not valid component
 * names) are inlined; references to plain named types point to `prefix` + name and are collected,
 * with everything they reference, in `used`.
 */
export class Definitions {
  readonly used = new Map<string, JsonSchema>();

  constructor(
    private readonly definitions: Record<string, JsonSchema>,
    private readonly prefix: string,
  ) {}

  /** `schema` with its references resolved as described above; `$comment`s (function signatures) dropped. */
  resolve(schema: Json): Json {
    if (Array.isArray(schema)) return schema.map((s) => this.resolve(s));
    if (schema === null || typeof schema !== 'object') return schema;
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$comment') continue;
      if (key === '$ref' && typeof value === 'string') {
        Object.assign(out, this.reference(value));
        continue;
      }
      // `properties` maps names to schemas: its keys are never keywords.
      out[key] =
        key === 'properties' && typeof value === 'object' && value !== null && !Array.isArray(value)
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.resolve(v)]))
          : this.resolve(value);
    }
    return out;
  }

  /** The named definition itself (resolved), e.g. the whole `WireContract.commands`. */
  get(name: string): JsonSchema {
    const def = this.definitions[name];
    if (!def) throw new Error(`ts-json-schema-generator produced no definition ${name}`);
    return def;
  }

  private reference(ref: string): { [key: string]: Json } {
    const name = decodeURIComponent(ref.replace(/^#\/definitions\//, ''));
    const def = this.get(name);
    if (!/^[A-Za-z0-9_]+$/.test(name)) return this.resolve(def) as { [key: string]: Json };
    if (!this.used.has(name)) {
      this.used.set(name, {}); // placeholder first: a type that refers to itself stops here
      this.used.set(name, this.resolve(def) as JsonSchema);
    }
    return { $ref: this.prefix + name };
  }

  /** The collected components, sorted by name (stable output). */
  components(): Record<string, JsonSchema> {
    return Object.fromEntries([...this.used.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** Follows `$ref`s to the schema they name (unresolved: for reading the generated tree). */
export function deref(defs: Definitions, schema: JsonSchema): JsonSchema {
  let s = schema;
  while (typeof s.$ref === 'string')
    s = defs.get(decodeURIComponent(s.$ref.replace(/^#\/definitions\//, '')));
  return s;
}

/** The schema at a path of property names, following `$ref`s on the way. */
export function at(defs: Definitions, schema: JsonSchema, ...names: string[]): JsonSchema {
  let s = schema;
  for (const name of names) {
    const props = deref(defs, s).properties;
    const next =
      typeof props === 'object' && props !== null && !Array.isArray(props) ? props[name] : undefined;
    if (typeof next !== 'object' || next === null || Array.isArray(next))
      throw new Error(`no property ${names.join(' → ')} in the generated schema (at ${name})`);
    s = next;
  }
  return s;
}

/** The property names of an object schema, in declaration order. */
export function keys(defs: Definitions, schema: JsonSchema): string[] {
  const props = deref(defs, schema).properties;
  return typeof props === 'object' && props !== null && !Array.isArray(props) ? Object.keys(props) : [];
}
