/*
 * A parser for the Python expressions the model evaluates (Grammar/python.gram,
 * CPython 3.11, eval mode, with Python's operator precedence): constants and
 * displays (tuples, lists, dicts, sets), the arithmetic, bitwise and unary
 * operators, comparisons, list / set / dict comprehensions (for and if clauses,
 * one name per for), names (comprehension variables), and calls of the builtins
 * that build values (builtins.ts: list, tuple, set, frozenset, dict,
 * dict.fromkeys, bytes, bytearray, str, int, float, range).
 * It returns the AST after the AST optimizer's constant folding (fold.ts), as the
 * compiler sees it, so that the evaluator can choose the bytecode CPython chooses.
 * Errors: Python's SyntaxError wording as LiteralSyntaxError; what Python accepts
 * but the model does not evaluate (generators, other calls, attributes, lambdas...)
 * as NotModelledError.
 */
import type { BinaryOperator, UnaryOperator } from './arith.js';
import { LiteralSyntaxError, NotModelledError, type Constant } from './constant.js';
import { foldConstants } from './fold.js';
import { tokenize, type Token } from './tokens.js';

export { LiteralSyntaxError, NotModelledError, type Constant };

export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type Callee = 'list' | 'tuple' | 'set' | 'frozenset' | 'dict' | 'dict.fromkeys' | 'bytes' | 'bytearray' | 'str' | 'int' | 'float' | 'range';
export const CALLEES: readonly Callee[] = ['list', 'tuple', 'set', 'frozenset', 'dict', 'dict.fromkeys', 'bytes', 'bytearray', 'str', 'int', 'float', 'range'];

export interface Clause {
  target: string;
  iterable: LiteralNode;
  conditions: LiteralNode[];
}

export type LiteralNode =
  | { kind: 'const'; value: Constant }
  | { kind: 'list' | 'tuple' | 'set'; items: LiteralNode[] }
  | { kind: 'dict'; keys: LiteralNode[]; values: LiteralNode[] }
  | { kind: 'binary'; op: BinaryOperator; left: LiteralNode; right: LiteralNode }
  | { kind: 'unary'; op: UnaryOperator; operand: LiteralNode }
  | { kind: 'compare'; first: LiteralNode; rest: { op: CompareOperator; right: LiteralNode }[] }
  | { kind: 'name'; name: string }
  | { kind: 'call'; callee: Callee; args: LiteralNode[] }
  | { kind: 'comprehension'; type: 'list' | 'set' | 'dict'; element: LiteralNode; value?: LiteralNode; clauses: Clause[] };

/** Parses one expression and folds its constants as CPython's AST optimizer does. */
export function parseLiteral(source: string): LiteralNode {
  return foldConstants(parseUnfolded(source));
}

/** The AST as the parser builds it, before constant folding. */
export function parseUnfolded(source: string): LiteralNode {
  const parser = new Parser(tokenize(source));
  const node = parser.expressionList();
  parser.expectEnd();
  checkDepth(node);
  return node;
}

/**
 * The model's bound on how deep an expression's tree goes (1+1+...+1 is as deep as
 * it is long), so that folding and evaluating it cannot overflow the JS stack;
 * CPython's compiler gives up near 3000 levels (RecursionError: maximum recursion
 * depth exceeded during compilation).
 */
const MAX_DEPTH = 1000;

/** Measures the tree's depth without recursing (the tree may be as deep as the input is long). */
function checkDepth(root: LiteralNode): void {
  const stack: [LiteralNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [LiteralNode, number];
    if (depth > MAX_DEPTH) throw new NotModelledError(`the model evaluates expressions nested at most ${MAX_DEPTH} levels deep`);
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
}

function childrenOf(node: LiteralNode): LiteralNode[] {
  switch (node.kind) {
    case 'const':
    case 'name':
      return [];
    case 'list':
    case 'tuple':
    case 'set':
      return node.items;
    case 'dict':
      return [...node.keys, ...node.values];
    case 'binary':
      return [node.left, node.right];
    case 'unary':
      return [node.operand];
    case 'compare':
      return [node.first, ...node.rest.map((r) => r.right)];
    case 'call':
      return node.args;
    case 'comprehension':
      return [node.element, ...(node.value === undefined ? [] : [node.value]), ...node.clauses.flatMap((c) => [c.iterable, ...c.conditions])];
  }
}

/** CPython's parser refuses deeper nesting (MAXSTACK in Parser/parser.c is far deeper; the tokenizer's MAXLEVEL is 200). */
const MAX_NESTING = 200;
const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);
const COMPARE_OPERATORS: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];
const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '//', '%', '@']];

class Parser {
  private position = 0;
  private nesting = 0;
  private operatorNesting = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)];
  }

  private isOp(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.type === 'op' && token.text === text;
  }

  private isKeyword(word: string): boolean {
    const token = this.peek();
    return token.type === 'name' && token.text === word;
  }

  private accept(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.position++;
    return true;
  }

  private expect(op: string): void {
    if (!this.accept(op)) this.fail(`expected '${op}'`);
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(`expected '${word}'`);
    this.position++;
  }

  private fail(what: string): never {
    const token = this.peek();
    const found = token.type === 'end' ? 'end of input' : token.type === 'newline' ? 'a new line' : `'${token.text}'`;
    throw new LiteralSyntaxError(`invalid syntax: ${what}, found ${found} at position ${token.at + 1}`);
  }

  expectEnd(): void {
    while (this.peek().type === 'newline') this.position++;
    if (this.peek().type !== 'end') this.fail('expected the end of the expression');
  }

  /** expressions: a bare tuple (`1, 2`) or one expression. */
  expressionList(): LiteralNode {
    const first = this.expression();
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.accept(',') && this.startsExpression()) items.push(this.expression());
    return { kind: 'tuple', items };
  }

  private startsExpression(): boolean {
    const token = this.peek();
    if (token.type === 'end' || token.type === 'newline') return false;
    if (token.type === 'name') return !KEYWORDS.has(token.text) || ['None', 'True', 'False', 'not', 'lambda'].includes(token.text);
    return !(token.type === 'op' && [')', ']', '}', ',', ':', '='].includes(token.text));
  }

  /** expression: a comparison (boolean operators, conditional expressions, `is` and `in` are not modelled). */
  private expression(): LiteralNode {
    const refuse = (words: string[]) => {
      const word = words.find((w) => this.isKeyword(w));
      if (word === undefined) return;
      // The two-word operators by their names: `1 not in x` is a 'not in' test, `a is not b` an 'is not' one.
      const next = this.peek(1);
      const pair = next.type === 'name' && ((word === 'not' && next.text === 'in') || (word === 'is' && next.text === 'not'));
      throw new NotModelledError(`the model does not evaluate '${pair ? `${word} ${next.text}` : word}' expressions`);
    };
    this.refuseOutsideFunction();
    refuse(['not', 'lambda']);
    const node = this.comparison();
    refuse(['and', 'or', 'if', 'is', 'in', 'not']);
    if (this.isOp(':=')) throw new NotModelledError("the model does not evaluate assignment expressions (':=')");
    if (this.isOp('=')) this.fail('an assignment is not an expression');
    return node;
  }

  private comparison(): LiteralNode {
    const first = this.binary(0);
    const rest: { op: CompareOperator; right: LiteralNode }[] = [];
    while (this.peek().type === 'op' && COMPARE_OPERATORS.includes(this.peek().text)) {
      const op = this.peek().text as CompareOperator;
      this.position++;
      rest.push({ op, right: this.binary(0) });
    }
    return rest.length === 0 ? first : { kind: 'compare', first, rest };
  }

  private binary(level: number): LiteralNode {
    if (level === BINARY_LEVELS.length) return this.factor();
    let left = this.binary(level + 1);
    for (;;) {
      const op = BINARY_LEVELS[level].find((o) => this.isOp(o));
      if (op === undefined) return left;
      this.position++;
      left = { kind: 'binary', op, left, right: this.binary(level + 1) };
    }
  }

  private factor(): LiteralNode {
    for (const op of ['-', '+', '~'] as const) {
      if (this.accept(op)) return this.nestedOperator(() => ({ kind: 'unary', op, operand: this.factor() }));
    }
    return this.power();
  }

  private power(): LiteralNode {
    const base = this.primary();
    if (this.accept('**')) return this.nestedOperator(() => ({ kind: 'binary', op: '**', left: base, right: this.factor() }));
    return base;
  }

  /** A unary or ** operand: the parser recurses, so their nesting is bounded like the tree's depth. */
  private nestedOperator(parse: () => LiteralNode): LiteralNode {
    if (++this.operatorNesting > MAX_DEPTH) throw new NotModelledError(`the model evaluates expressions nested at most ${MAX_DEPTH} levels deep`);
    try {
      return parse();
    } finally {
      this.operatorNesting--;
    }
  }

  private primary(): LiteralNode {
    const atom = this.atom();
    if (this.isOp('(') || this.isOp('[') || this.isOp('.')) {
      throw new NotModelledError(`the model evaluates calls of ${CALLEES.join(', ')} only (no other calls, subscripts or attributes)`);
    }
    return atom;
  }

  private atom(): LiteralNode {
    const token = this.peek();
    if (token.type === 'number') {
      this.position++;
      return { kind: 'const', value: token.value as Constant };
    }
    if (token.type === 'string') return this.strings();
    if (token.type === 'name') return this.name();
    if (this.accept('...')) return { kind: 'const', value: { kind: 'ellipsis' } };
    if (token.type === 'op' && OPENERS.includes(token.text)) return this.nested(() => this.display());
    this.fail('expected an expression');
  }

  private name(): LiteralNode {
    const token = this.peek();
    this.position++;
    if (token.text === 'None') return { kind: 'const', value: { kind: 'none' } };
    if (token.text === 'True' || token.text === 'False') return { kind: 'const', value: { kind: 'bool', value: token.text === 'True' } };
    if (KEYWORDS.has(token.text)) {
      this.position--;
      this.fail('expected an expression');
    }
    if (token.text === 'dict' && this.isOp('.')) {
      this.position++;
      const attribute = this.peek();
      if (attribute.type !== 'name' || attribute.text !== 'fromkeys') throw new NotModelledError('the model knows one attribute: dict.fromkeys');
      this.position++;
      return this.call('dict.fromkeys');
    }
    if (this.isOp('(')) {
      const callee = CALLEES.find((name) => name === token.text);
      if (callee === undefined) throw new NotModelledError(`the model does not call ${token.text}(): it evaluates calls of ${CALLEES.join(', ')}`);
      return this.call(callee);
    }
    return { kind: 'name', name: token.text };
  }

  private call(callee: Callee): LiteralNode {
    return this.nested(() => {
      this.expect('(');
      const args: LiteralNode[] = [];
      while (!this.accept(')')) {
        if (this.isOp('*') || this.isOp('**') || (this.peek().type === 'name' && this.isOp('=', 1))) {
          throw new NotModelledError('the model passes positional arguments only');
        }
        args.push(this.expression());
        if (this.isKeyword('for')) throw new NotModelledError('generator expressions are not modelled: use a list comprehension');
        if (!this.accept(',')) {
          this.expect(')');
          break;
        }
      }
      return { kind: 'call', callee, args };
    });
  }

  /**
   * `await` and `yield` belong in a function: CPython 3.11's compiler refuses
   * them in an expression as a SyntaxError (a parenthesized yield by name, a bare
   * one as invalid syntax), not as something the model leaves out.
   */
  private refuseOutsideFunction(): void {
    if (this.isKeyword('await')) throw new LiteralSyntaxError("'await' outside function");
    if (!this.isKeyword('yield')) return;
    const before = this.position > 0 ? this.peek(-1) : undefined;
    throw new LiteralSyntaxError(before?.type === 'op' && before.text === '(' ? "'yield' outside function" : 'invalid syntax');
  }

  private nested<T>(parse: () => T): T {
    if (++this.nesting > MAX_NESTING) throw new LiteralSyntaxError('too many nested parentheses');
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  private display(): LiteralNode {
    if (this.accept('(')) {
      if (this.accept(')')) return { kind: 'const', value: { kind: 'tuple', items: [] } };
      const first = this.item();
      if (this.isKeyword('for')) throw new NotModelledError('generator expressions are not modelled: use a list comprehension');
      if (this.accept(')')) return first;
      return { kind: 'tuple', items: this.rest(first, ')') };
    }
    if (this.accept('[')) {
      if (this.accept(']')) return { kind: 'list', items: [] };
      const first = this.item();
      if (this.isKeyword('for')) return this.comprehension('list', first, undefined, ']');
      return { kind: 'list', items: this.rest(first, ']') };
    }
    this.expect('{');
    if (this.accept('}')) return { kind: 'dict', keys: [], values: [] };
    const first = this.item();
    if (this.accept(':')) {
      const value = this.expression();
      if (this.isKeyword('for')) return this.comprehension('dict', first, value, '}');
      const keys = [first];
      const values = [value];
      while (this.accept(',') && !this.isOp('}')) {
        if (this.isOp('**')) throw new NotModelledError('the model does not unpack with ** in a display');
        keys.push(this.expression());
        this.expect(':');
        values.push(this.expression());
      }
      this.expect('}');
      return { kind: 'dict', keys, values };
    }
    if (this.isKeyword('for')) return this.comprehension('set', first, undefined, '}');
    return { kind: 'set', items: this.rest(first, '}') };
  }

  private item(): LiteralNode {
    if (this.isOp('*') || this.isOp('**')) throw new NotModelledError('the model does not unpack with * or ** in a display');
    return this.expression();
  }

  private rest(first: LiteralNode, close: string): LiteralNode[] {
    const items = [first];
    while (this.accept(',') && !this.isOp(close)) items.push(this.item());
    this.expect(close);
    return items;
  }

  private comprehension(type: 'list' | 'set' | 'dict', element: LiteralNode, value: LiteralNode | undefined, close: string): LiteralNode {
    const clauses: Clause[] = [];
    while (this.isKeyword('for')) {
      this.position++;
      const target = this.peek();
      if (target.type !== 'name' || KEYWORDS.has(target.text)) this.fail('expected a name after for');
      this.position++;
      if (this.isOp(',')) throw new NotModelledError('the model binds one name per for clause');
      this.expectKeyword('in');
      const iterable = this.comparison();
      const conditions: LiteralNode[] = [];
      while (this.isKeyword('if')) {
        this.position++;
        conditions.push(this.comparison());
      }
      clauses.push({ target: target.text, iterable, conditions });
    }
    this.expect(close);
    return { kind: 'comprehension', type, element, value, clauses };
  }

  private strings(): LiteralNode {
    const parts: Constant[] = [];
    while (this.peek().type === 'string') parts.push(this.tokens[this.position++].value as Constant);
    if (new Set(parts.map((p) => p.kind)).size > 1) throw new LiteralSyntaxError('cannot mix bytes and nonbytes literals');
    if (parts[0].kind === 'bytes') return { kind: 'const', value: { kind: 'bytes', value: parts.flatMap((p) => (p as { value: number[] }).value) } };
    return { kind: 'const', value: { kind: 'str', points: parts.flatMap((p) => (p as { points: number[] }).points) } };
  }
}

const OPENERS = ['(', '[', '{'];
