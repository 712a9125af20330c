/**
 * Why a value does not fit a JSON Schema, said for a person editing the file: one problem per
 * field, at its JSON path, in words ("is missing", "unknown field", "not one of: …"). TypeBox's own
 * error list reports every branch of a union, which buries the one mistake under a dozen; this
 * walker picks the branch the value means (by its discriminating field or its distinctive fields)
 * and reports only that branch's problems.
 *
 * It understands the subset of JSON Schema the scenario schema uses (object, array, string,
 * integer, number, boolean, const, enum, anyOf). A string is never quoted back unless it is an
 * enum's value: free text in a file may be a password.
 */

export type PathSegment = string | number;

export interface SchemaProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

type Schema = Readonly<Record<string, unknown>>;

/** `$.card.triesLeft.sign`, `$.maintenance[0].from`: the field as a trainer finds it in the file. */
export function jsonPath(path: readonly PathSegment[]): string {
  return '$' + path.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}

export function schemaProblems(schema: object, value: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  walk(schema as Schema, value, [], out);
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return 'a mapping';
  if (typeof v === 'number') return Number.isInteger(v) ? 'an integer' : 'a number';
  return `a ${typeof v}`;
}

/** An enum value as written, short; anything that is not a short scalar by its kind only. */
function shown(v: unknown): string {
  if ((typeof v === 'string' && v.length <= 40) || typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  return kindOf(v);
}

function walk(s: Schema, v: unknown, at: readonly PathSegment[], out: SchemaProblem[]): void {
  const problem = (message: string, path: readonly PathSegment[] = at) => out.push({ path, message });
  if (Array.isArray(s.anyOf)) return walkUnion(s.anyOf as Schema[], v, at, out);
  if ('const' in s) {
    if (v !== s.const) problem(`must be ${JSON.stringify(s.const)}`);
    return;
  }
  if (Array.isArray(s.enum)) {
    if (!s.enum.includes(v)) problem(`${shown(v)} is not one of: ${s.enum.join(', ')}`);
    return;
  }
  switch (s.type) {
    case 'object': {
      if (!isObject(v)) return void problem(`must be a mapping (key: value lines), not ${kindOf(v)}`);
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const key of (s.required ?? []) as string[]) if (!(key in v)) problem('is missing (required)', [...at, key]);
      for (const [key, item] of Object.entries(v)) {
        const sub = props[key];
        if (sub !== undefined) walk(sub, item, [...at, key], out);
        else if (s.additionalProperties === false) problem(`unknown field (allowed here: ${Object.keys(props).join(', ')})`, [...at, key]);
      }
      return;
    }
    case 'array': {
      if (!Array.isArray(v)) return void problem(`must be a list, not ${kindOf(v)}`);
      if (typeof s.minItems === 'number' && v.length < s.minItems) problem(`must have at least ${s.minItems} item(s)`);
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) problem(`must have at most ${s.maxItems} item(s)`);
      if (isObject(s.items)) v.forEach((item, i) => walk(s.items as Schema, item, [...at, i], out));
      return;
    }
    case 'string': {
      if (typeof v !== 'string') return void problem(`must be text, not ${kindOf(v)}`);
      if (typeof s.minLength === 'number' && v.length < s.minLength) problem(s.minLength === 1 ? 'must not be empty' : `must be at least ${s.minLength} characters`);
      if (typeof s.maxLength === 'number' && v.length > s.maxLength) problem(`must be at most ${s.maxLength} characters`);
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) {
        problem(typeof s.description === 'string' ? `does not have the expected form: ${s.description}` : `does not match ${s.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return void problem(`must be a number, not ${kindOf(v)}`);
      if (s.type === 'integer' && !Number.isInteger(v)) return void problem('must be a whole number');
      if (typeof s.minimum === 'number' && v < s.minimum) problem(`must be at least ${s.minimum}`);
      if (typeof s.maximum === 'number' && v > s.maximum) problem(`must be at most ${s.maximum}`);
      if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) problem(`must be less than ${s.exclusiveMaximum}`);
      return;
    }
    case 'boolean':
      if (typeof v !== 'boolean') problem(`must be true or false, not ${kindOf(v)}`);
      return;
  }
}

/** The field whose constant value tells the variants apart (e.g. `state`), if there is one. */
function discriminator(variants: readonly Schema[]): string | undefined {
  const first = (variants[0]?.properties ?? {}) as Record<string, Schema>;
  return Object.keys(first).find((k) => variants.every((v) => 'const' in (((v.properties ?? {}) as Record<string, Schema>)[k] ?? {})));
}

function walkUnion(variants: readonly Schema[], v: unknown, at: readonly PathSegment[], out: SchemaProblem[]): void {
  if (!variants.every((x) => x.type === 'object')) {
    // Scalars: fits if any variant has no problem.
    const tries = variants.map((x) => schemaProblems(x, v));
    if (tries.some((t) => t.length === 0)) return;
    out.push(...(tries[0] ?? []).map((p) => ({ path: [...at, ...p.path], message: p.message })));
    return;
  }
  if (!isObject(v)) return void out.push({ path: at, message: `must be a mapping (key: value lines), not ${kindOf(v)}` });
  const key = discriminator(variants);
  if (key !== undefined) {
    const values = variants.map((x) => ((x.properties as Record<string, Schema>)[key] as Schema).const);
    if (!(key in v)) return void out.push({ path: [...at, key], message: `is missing (required; one of: ${values.join(', ')})` });
    const chosen = variants.find((x) => ((x.properties as Record<string, Schema>)[key] as Schema).const === v[key]);
    if (chosen === undefined) return void out.push({ path: [...at, key], message: `${shown(v[key])} is not one of: ${values.join(', ')}` });
    return walk(chosen, v, at, out);
  }
  // No discriminating field: each variant is known by a field only it requires (`reset` or `guidance`).
  const distinctive = variants.map((x, i) => {
    const others = new Set(variants.flatMap((y, j) => (j === i ? [] : ((y.required ?? []) as string[]))));
    return ((x.required ?? []) as string[]).filter((k) => !others.has(k));
  });
  const matching = variants.filter((_, i) => distinctive[i]!.some((k) => k in v));
  const all = distinctive.flat();
  if (matching.length === 1) return walk(matching[0]!, v, at, out);
  if (matching.length === 0) return void out.push({ path: at, message: `must have one of the fields: ${all.join(', ')}` });
  out.push({ path: at, message: `has fields of different kinds at once (${all.filter((k) => k in v).join(', ')}): choose one` });
}
