/**
 * fast-check arbitraries from Quad's shared zod 4 schemas, for the fuzzer. zod-fast-check, the
 * library that does this, supports zod 3 only; this walks zod 4's schema definitions
 * (`schema._zod.def`) for the kinds `shared/schemas` uses. It aims near the schema: mostly
 * valid values, and often values just past a bound (one character too long, 0 for a positive
 * id). Whether a value is valid is decided by the schema itself (`safeParse`), never here, so
 * the generator may be loose.
 */
import fc from 'fast-check';
import type { ZodType } from 'zod';

interface Check {
  check: string;
  minimum?: number;
  maximum?: number;
  length?: number;
  value?: number | bigint;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

interface Def {
  type: string;
  checks?: { _zod: { def: Check } }[];
  shape?: Record<string, ZodType>;
  catchall?: ZodType;
  innerType?: ZodType;
  in?: ZodType;
  element?: ZodType;
  options?: ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const checksOf = (def: Def): Check[] => (def.checks ?? []).map((c) => c._zod.def);

/** Unicode text as people type it: ASCII, Hangul, emoji, combining marks, controls. */
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constant('grapheme-ascii' as const) },
  { weight: 3, arbitrary: fc.constant('grapheme' as const) },
  { weight: 1, arbitrary: fc.constant('binary' as const) },
);
const hangul = fc
  .array(
    fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCodePoint(c)),
    { maxLength: 40 },
  )
  .map((a) => a.join(''));

function text(min: number, max: number): fc.Arbitrary<string> {
  // Mostly short; sometimes right at or one past each bound.
  const cap = Math.min(max, 40);
  return fc.oneof(
    { weight: 6, arbitrary: unit.chain((u) => fc.string({ unit: u, minLength: min, maxLength: cap })) },
    { weight: 2, arbitrary: hangul },
    { weight: 1, arbitrary: fc.string({ minLength: max, maxLength: max + 1 }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u0000', '\u200b', 'a\u0301', '  padded  ') },
  );
}

function integer(checks: Check[]): fc.Arbitrary<number> {
  let min = Number.MIN_SAFE_INTEGER;
  let max = Number.MAX_SAFE_INTEGER;
  for (const c of checks) {
    const v = Number(c.value);
    if (c.check === 'greater_than') min = c.inclusive ? v : v + 1;
    if (c.check === 'less_than') max = c.inclusive ? v : v - 1;
  }
  // Small ids hit rows that exist; the edges and just past them test the bounds.
  const low = Math.max(min, Math.min(0, max));
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: low, max: Math.min(max, low + 60) }) },
    { weight: 2, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max, min - 1, max + 1, 0, -1, 2 ** 53, 1.5) },
  );
}

const isFormatted = (c: Check) => c.check === 'string_format' && c.pattern instanceof RegExp;

/** A fast-check arbitrary for values of `schema`'s input, aimed near its bounds. */
export function arbitraryOf(schema: ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const checks = checksOf(def);
  switch (def.type) {
    case 'string': {
      const pattern = def.pattern ?? checks.find(isFormatted)?.pattern;
      if (pattern) return fc.oneof({ weight: 5, arbitrary: fc.stringMatching(pattern) }, text(0, 30));
      const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const max = checks.find((c) => c.check === 'max_length')?.maximum ?? 200;
      const exact = checks.find((c) => c.check === 'length_equals')?.length;
      return exact !== undefined ? text(exact, exact) : text(min, max);
    }
    case 'number':
      return checks.some((c) => c.format === 'safeint')
        ? integer(checks)
        : fc.oneof(integer(checks), fc.double());
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'undefined':
      return fc.constant(undefined);
    case 'enum':
      return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...Object.values(def.entries ?? {})) },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
      );
    case 'literal':
      return fc.constantFrom(...(def.values ?? [null]));
    case 'optional':
    case 'default':
    case 'nullable':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return fc.option(arbitraryOf(def.innerType!), { nil: undefined, freq: 3 });
    case 'pipe':
      return arbitraryOf(def.in!);
    case 'union':
      return fc.oneof(...(def.options ?? []).map(arbitraryOf));
    case 'array': {
      const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const max = checks.find((c) => c.check === 'max_length')?.maximum ?? 10;
      return fc.array(arbitraryOf(def.element!), { minLength: min, maxLength: Math.min(max + 1, 40) });
    }
    case 'object': {
      const shape = def.shape ?? {};
      const record = fc.record(
        Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, arbitraryOf(v)])),
        { requiredKeys: [] },
      );
      // Mostly every key the schema knows; sometimes one it does not.
      return fc.oneof(
        { weight: 9, arbitrary: record },
        {
          weight: 1,
          arbitrary: fc
            .tuple(record, fc.string({ minLength: 1, maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }))
            .map(([r, k, v]) => ({ ...r, [k]: v })),
        },
      );
    }
    default:
      // Kinds the shared schemas do not use (yet): anything JSON.
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/**
 * A payload for a command whose input is `schema`: usually near the schema, sometimes mutated
 * (a key dropped or retyped, a wrong top-level type, any JSON at all).
 */
export function payloadOf(schema: ZodType): fc.Arbitrary<unknown> {
  const near = arbitraryOf(schema);
  return fc.oneof(
    { weight: 12, arbitrary: near },
    {
      weight: 2,
      arbitrary: fc.tuple(near, fc.jsonValue({ maxDepth: 2 })).map(([v, j]) => {
        if (!v || typeof v !== 'object' || Array.isArray(v)) return j;
        const keys = Object.keys(v);
        if (keys.length === 0) return j;
        const k = keys[Math.abs(JSON.stringify(j ?? null).length) % keys.length]!;
        return { ...v, [k]: j };
      }),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, 0, '', [], {}, true, 'undefined') },
  );
}
