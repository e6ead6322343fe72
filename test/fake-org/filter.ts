/**
 * The SCIM filter subset Okta accepts on `/api/v1/logs`, `/api/v1/events` and `/api/v1/users`:
 *   expr := term ("or" term)* ; term := factor ("and" factor)*
 *   factor := "not"? "(" expr ")" | path "pr" | path op value
 *   op := eq ne co sw ew gt ge lt le ; value := "string" | true | false | null | number
 * Parsed once per request into a closure tree, so evaluating it per event costs little.
 * String comparisons ignore case, as SCIM's default (caseExact=false) says, unless `caseExact`.
 * The Users API narrows attributes and operators through `allow`.
 */

export class FilterError extends Error {
  constructor(readonly code: 'E0000031' | 'E0000053', message: string) {
    super(message);
  }
}

type Value = string | number | boolean | null;
type Op = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
const OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

type Node =
  | { t: 'cmp'; path: string; op: Op; value: Value }
  | { t: 'pr'; path: string }
  | { t: 'and' | 'or'; l: Node; r: Node }
  | { t: 'not'; e: Node };

interface Token {
  kind: 'word' | 'string' | 'lparen' | 'rparen';
  text: string;
  pos: number;
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '(' || c === ')') out.push({ kind: c === '(' ? 'lparen' : 'rparen', text: c, pos: i++ });
    else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        text += src[j++];
      }
      if (j >= src.length) throw new FilterError('E0000031', `Unterminated string starting at position ${i}`);
      out.push({ kind: 'string', text, pos: i });
      i = j + 1;
    } else {
      let j = i;
      while (j < src.length && !' \t\n\r()"'.includes(src[j])) j++;
      out.push({ kind: 'word', text: src.slice(i, j), pos: i });
      i = j;
    }
  }
  return out;
}

class Parser {
  private i = 0;
  readonly paths = new Set<string>();
  constructor(
    private readonly tokens: Token[],
    private readonly forbidden: ReadonlySet<string>,
    private readonly allow?: FilterOptions['allow'],
    private readonly noNot = false,
  ) {}

  parse(): Node {
    if (this.tokens.length === 0) throw new FilterError('E0000031', 'Empty filter');
    const node = this.expr();
    const rest = this.tokens[this.i];
    if (rest) throw new FilterError('E0000031', `Unexpected "${rest.text}" at position ${rest.pos}`);
    return node;
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.i];
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  private expr(): Node {
    let node = this.term();
    while (this.peekWord('or')) {
      this.i++;
      node = { t: 'or', l: node, r: this.term() };
    }
    return node;
  }

  private term(): Node {
    let node = this.factor();
    while (this.peekWord('and')) {
      this.i++;
      node = { t: 'and', l: node, r: this.factor() };
    }
    return node;
  }

  private group(): Node {
    if (this.tokens[this.i]?.kind !== 'lparen') throw new FilterError('E0000031', 'Expected "(" after "not"');
    this.i++;
    const node = this.expr();
    if (this.tokens[this.i]?.kind !== 'rparen') throw new FilterError('E0000031', 'Missing ")"');
    this.i++;
    return node;
  }

  private factor(): Node {
    const t = this.tokens[this.i];
    if (!t) throw new FilterError('E0000031', 'Filter ends too early');
    if (t.kind === 'lparen') return this.group();
    if (this.peekWord('not')) {
      if (this.noNot) throw new FilterError('E0000031', 'The not operator is not supported');
      this.i++;
      return { t: 'not', e: this.group() };
    }
    if (t.kind !== 'word' || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(t.text)) {
      throw new FilterError('E0000031', `Expected an attribute at position ${t.pos}, got "${t.text}"`);
    }
    this.i++;
    const path = t.text;
    if (this.forbidden.has(path)) throw new FilterError('E0000053', `Invalid filter: "${path}" cannot be filtered; use since and until`);
    this.paths.add(path);
    const opTok = this.tokens[this.i++];
    const op = opTok?.kind === 'word' ? opTok.text.toLowerCase() : '';
    if (op !== 'pr' && !OPS.has(op)) throw new FilterError('E0000031', `Unknown operator "${opTok?.text ?? ''}" after ${path}`);
    const refused = this.allow?.(path, op);
    if (refused) throw new FilterError('E0000031', refused);
    if (op === 'pr') return { t: 'pr', path };
    return { t: 'cmp', path, op: op as Op, value: this.value() };
  }

  private value(): Value {
    const t = this.tokens[this.i++];
    if (!t) throw new FilterError('E0000031', 'Missing value');
    if (t.kind === 'string') return t.text;
    if (t.kind === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'true' || w === 'false') return w === 'true';
      if (w === 'null') return null;
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t.text)) return Number(t.text);
    }
    throw new FilterError('E0000031', `Invalid value "${t.text}" at position ${t.pos}`);
  }
}

/** Leaf values at a dotted path; arrays on the way match if any element does (`target.id`). */
function collect(obj: unknown, parts: string[], k: number, out: unknown[]): void {
  if (Array.isArray(obj)) {
    for (const el of obj) collect(el, parts, k, out);
    return;
  }
  if (k === parts.length) {
    out.push(obj);
    return;
  }
  if (obj === null || typeof obj !== 'object') return;
  collect((obj as Record<string, unknown>)[parts[k]], parts, k + 1, out);
}

type Pred = (ev: object) => boolean;

function compileCmp(path: string, op: Op, value: Value, timeFields: ReadonlySet<string>, caseExact: boolean): Pred {
  const parts = path.split('.');
  const isTime = timeFields.has(path);
  const fold = (v: string) => (caseExact ? v : v.toLowerCase());
  const want = isTime && typeof value === 'string' ? Date.parse(value) : typeof value === 'string' ? fold(value) : value;
  if (isTime && typeof want === 'number' && !Number.isFinite(want)) throw new FilterError('E0000031', `Invalid date "${String(value)}" for ${path}`);
  const test = (leaf: unknown): boolean => {
    if (leaf === undefined) return false;
    const have = isTime && typeof leaf === 'string' ? Date.parse(leaf) : typeof leaf === 'string' ? fold(leaf) : leaf;
    switch (op) {
      case 'eq':
      case 'ne':
        return typeof want === 'number' && typeof have === 'string' ? Number(have) === want : have === want;
      case 'co':
        return typeof have === 'string' && typeof want === 'string' && have.includes(want);
      case 'sw':
        return typeof have === 'string' && typeof want === 'string' && have.startsWith(want);
      case 'ew':
        return typeof have === 'string' && typeof want === 'string' && have.endsWith(want);
      default: {
        if (have === null || want === null || typeof have !== typeof want) return false;
        const a = have as string | number;
        const b = want as string | number;
        return op === 'gt' ? a > b : op === 'ge' ? a >= b : op === 'lt' ? a < b : a <= b;
      }
    }
  };
  const any = (ev: object): boolean => {
    const leaves: unknown[] = [];
    collect(ev, parts, 0, leaves);
    if (value === null && op === 'eq' && leaves.length === 0) return true;
    return leaves.some((l) => test(l === undefined && value === null ? null : l));
  };
  return op === 'ne' ? (ev) => !any(ev) : any;
}

function compile(node: Node, timeFields: ReadonlySet<string>, caseExact = false): Pred {
  switch (node.t) {
    case 'cmp':
      return compileCmp(node.path, node.op, node.value, timeFields, caseExact);
    case 'pr': {
      const parts = node.path.split('.');
      return (ev) => {
        const leaves: unknown[] = [];
        collect(ev, parts, 0, leaves);
        return leaves.some((l) => l !== undefined && l !== null && l !== '');
      };
    }
    case 'and': {
      const l = compile(node.l, timeFields, caseExact);
      const r = compile(node.r, timeFields, caseExact);
      return (ev) => l(ev) && r(ev);
    }
    case 'or': {
      const l = compile(node.l, timeFields, caseExact);
      const r = compile(node.r, timeFields, caseExact);
      return (ev) => l(ev) || r(ev);
    }
    case 'not': {
      const e = compile(node.e, timeFields, caseExact);
      return (ev) => !e(ev);
    }
  }
}

/** Epoch-ms bounds on a time field implied by the top-level `and` chain: [min, max). */
function timeBounds(node: Node, field: string): { min: number; max: number } {
  const b = { min: -Infinity, max: Infinity };
  const walk = (n: Node): void => {
    if (n.t === 'and') {
      walk(n.l);
      walk(n.r);
    } else if (n.t === 'cmp' && n.path === field && typeof n.value === 'string') {
      const ms = Date.parse(n.value);
      if (n.op === 'gt') b.min = Math.max(b.min, ms + 1);
      if (n.op === 'ge' || n.op === 'eq') b.min = Math.max(b.min, ms);
      if (n.op === 'lt') b.max = Math.min(b.max, ms);
      if (n.op === 'le' || n.op === 'eq') b.max = Math.min(b.max, ms + 1);
    }
  };
  walk(node);
  return b;
}

export interface CompiledFilter {
  test: Pred;
  /** Every attribute path the filter reads. */
  paths: ReadonlySet<string>;
  bounds(field: string): { min: number; max: number };
}

export interface FilterOptions {
  /** Attributes that may not appear (the System Log rejects `published`). */
  forbidden?: ReadonlySet<string>;
  /** Attributes compared as instants rather than text (the Events API's `published`). */
  timeFields?: ReadonlySet<string>;
  /** Why an attribute may not be used with an operator (400 E0000031), or undefined when it may. */
  allow?: (path: string, op: string) => string | undefined;
  /** Refuse `not ( … )` (the Users API's `filter` has only `and` and `or`). */
  noNot?: boolean;
  /** Compare strings case included (the Users API's `filter`). Default false: SCIM's caseExact=false. */
  caseExact?: boolean;
}

export function compileFilter(src: string, opts: FilterOptions = {}): CompiledFilter {
  const parser = new Parser(tokenize(src), opts.forbidden ?? new Set(), opts.allow, opts.noNot);
  const ast = parser.parse();
  return { test: compile(ast, opts.timeFields ?? new Set(), opts.caseExact), paths: parser.paths, bounds: (f) => timeBounds(ast, f) };
}
