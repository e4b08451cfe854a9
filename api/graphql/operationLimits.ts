/**
 * Limits on what one GraphQL operation may ask, checked before any resolver runs:
 * document size and tokens (at parse), depth and aliases (at validation), and an estimated cost (at
 * execution, when variables are known). Every breach is a QUERY_TOO_COMPLEX error.
 */
import {
  type ASTVisitor,
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  type GraphQLError,
  Kind,
  Lexer,
  type SelectionSetNode,
  Source,
  TokenKind,
  type ValidationContext,
  type ValueNode,
} from './graphqlJs';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ApiError } from './errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../data/pagination';

export type OperationLimits = {
  /** Characters in the document. */
  maxDocumentLength: number;
  /** Lexical tokens in the document (comments excluded). */
  maxTokens: number;
  /** Nesting of fields (introspection fields excluded). */
  maxDepth: number;
  /** Aliased fields, counting each fragment spread. */
  maxAliases: number;
  /** Estimated objects returned (see estimateCost). */
  maxCost: number;
};

export const defaultLimits: OperationLimits = {
  maxDocumentLength: 16_384,
  maxTokens: 2_000,
  maxDepth: 12,
  maxAliases: 20,
  maxCost: 20_000,
};

/**
 * Fields returning a page (multiplying what they nest) with their default page size, and fields
 * that cost a fixed amount on their own.
 */
const pagedFields: Record<string, number> = {
  jobs: DEFAULT_PAGE_SIZE,
  bids: DEFAULT_PAGE_SIZE,
  workers: DEFAULT_PAGE_SIZE,
  jobEvents: DEFAULT_PAGE_SIZE,
  events: DEFAULT_PAGE_SIZE,
  matchWorkers: 10,
  models: DEFAULT_PAGE_SIZE,
  pools: DEFAULT_PAGE_SIZE,
  /** Unpaged lists, at the sizes they are expected to have: a model line's versions, a pool's members. */
  versions: DEFAULT_PAGE_SIZE,
  members: MAX_PAGE_SIZE,
};
const fixedCostFields: Record<string, number> = {
  /** Up to 366 days. */
  usesPerDay: 366,
  /** Reads whole tables: at most two per operation. */
  stateDigest: 10_000,
  /** Up to 366 days. */
  stats: 366,
};

/** Traversal budget: fragment fan-out cannot make the analysis itself expensive. */
const MAX_VISITS = 50_000;

function tooComplex(message: string, limit: number): GraphQLError {
  return createGraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', limit } });
}

/** Counts tokens without building an AST; lexing errors are left to the parser to report. */
function countTokens(body: string, max: number): number {
  const lexer = new Lexer(new Source(body));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > max) return count;
    }
  } catch {
    // a syntax error: the parser reports it with its location
  }
  return count;
}

type Walk = {
  fragments: (name: string) => FragmentDefinitionNode | undefined;
  visits: number;
};

/** The depth and alias count of a selection set, following fragments (cycles are a validation error). */
function analyze(set: SelectionSetNode, walk: Walk, level: number, path: Set<string>): { depth: number; aliases: number } {
  let depth = level;
  let aliases = 0;
  for (const selection of set.selections) {
    if (++walk.visits > MAX_VISITS) return { depth: Infinity, aliases: Infinity };
    if (selection.kind === Kind.FIELD) {
      if (selection.alias) aliases++;
      if (selection.name.value.startsWith('__')) continue;
      const child = selection.selectionSet ? analyze(selection.selectionSet, walk, level + 1, path) : { depth: level + 1, aliases: 0 };
      depth = Math.max(depth, child.depth);
      aliases += child.aliases;
    } else {
      let child: SelectionSetNode | undefined;
      if (selection.kind === Kind.INLINE_FRAGMENT) child = selection.selectionSet;
      else if (!path.has(selection.name.value)) child = walk.fragments(selection.name.value)?.selectionSet;
      if (!child) continue;
      const name = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : undefined;
      if (name) path.add(name);
      const inner = analyze(child, walk, level, path);
      if (name) path.delete(name);
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
    }
  }
  return { depth, aliases };
}

/** A validation rule reporting operations over the depth or alias limit. */
export function operationShapeRule(limits: OperationLimits) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(node) {
      const walk: Walk = { fragments: (name) => context.getFragment(name) ?? undefined, visits: 0 };
      const { depth, aliases } = analyze(node.selectionSet, walk, 0, new Set());
      if (walk.visits > MAX_VISITS) {
        context.reportError(tooComplex('The query is too large to analyze', MAX_VISITS));
        return;
      }
      if (depth > limits.maxDepth) {
        context.reportError(tooComplex(`Query depth ${depth} is over the limit of ${limits.maxDepth}`, limits.maxDepth));
      }
      if (aliases > limits.maxAliases) {
        context.reportError(tooComplex(`${aliases} aliases are over the limit of ${limits.maxAliases}`, limits.maxAliases));
      }
    },
  });
}

function pageArgument(value: ValueNode | undefined, variables: Record<string, unknown>, fallback: number): number {
  let raw: unknown = fallback;
  if (value?.kind === Kind.INT) raw = Number(value.value);
  else if (value?.kind === Kind.VARIABLE) raw = variables[value.name.value] ?? fallback;
  // Invalid sizes fail in the resolver (BAD_USER_INPUT / PAGE_TOO_LARGE); count them at the cap.
  return typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? Math.min(raw, MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}

/**
 * The estimated number of objects an operation returns: each paged field counts `first` times the
 * pages it is nested in, and multiplies what it nests; fixed-cost fields add their cost.
 *
 * @example
 * // jobs(first: 50) { edges { node { bids(first: 20) { ... } } } }  =>  50 + 50 * 20 = 1050
 */
export function estimateCost(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> = {}): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let visits = 0;
  const walk = (set: SelectionSetNode, multiplier: number, path: Set<string>): number => {
    let cost = 0;
    for (const selection of set.selections) {
      if (++visits > MAX_VISITS) return Infinity;
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        let inner = multiplier;
        if (name in pagedFields) {
          const first = selection.arguments?.find((a) => a.name.value === 'first')?.value;
          inner = multiplier * pageArgument(first, variables, pagedFields[name]!);
          cost += inner;
        } else if (name in fixedCostFields) {
          cost += multiplier * fixedCostFields[name]!;
        }
        if (selection.selectionSet) cost += walk(selection.selectionSet, inner, path);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        cost += walk(selection.selectionSet, multiplier, path);
      } else if (!path.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        path.add(fragment.name.value);
        cost += walk(fragment.selectionSet, multiplier, path);
        path.delete(fragment.name.value);
      }
    }
    return cost;
  };
  return walk(operation.selectionSet, 1, new Set());
}

/**
 * The yoga plugin enforcing `limits`.
 *
 * @example
 * createYoga({ schema, plugins: [useOperationLimits()] });
 */
export function useOperationLimits(limits: OperationLimits = defaultLimits): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      // Wraps the parser yoga was going to use (its own copy of graphql-js).
      setParseFn((source, options) => {
        const body = typeof source === 'string' ? source : source.body;
        if (body.length > limits.maxDocumentLength) {
          throw new ApiError('QUERY_TOO_COMPLEX', `The document is over the limit of ${limits.maxDocumentLength} characters`, {
            limit: limits.maxDocumentLength,
          });
        }
        const tokens = countTokens(body, limits.maxTokens);
        if (tokens > limits.maxTokens) {
          throw new ApiError('QUERY_TOO_COMPLEX', `The document is over the limit of ${limits.maxTokens} tokens`, {
            limit: limits.maxTokens,
          });
        }
        return parseFn(source, options);
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(operationShapeRule(limits));
    },
    onExecute({ args, setResultAndStopExecution }) {
      const cost = estimateCost(args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>);
      if (cost > limits.maxCost) {
        setResultAndStopExecution({
          errors: [tooComplex(`The estimated cost ${cost} is over the limit of ${limits.maxCost}`, limits.maxCost)],
        });
      }
    },
  };
}
