/**
 * Reading a query's selection from a resolver: the fields beneath a field (through fragments) and
 * their argument values. Resolvers use it to read only the columns a query asks for, and to load a
 * nested level for a whole page before graphql-js walks it.
 */
import type { FieldNode, FragmentDefinitionNode, SelectionSetNode, ValueNode } from './graphqlJs';

/** What graphql-js hands a resolver about its selection (a subset of GraphQLResolveInfo). */
export type SelectionInfo = {
  fieldNodes: readonly FieldNode[];
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
};

type Fragments = SelectionInfo['fragments'];

/**
 * The fields of `sets`, through fragment spreads and inline fragments. `@skip`/`@include` are not
 * evaluated: callers treat what they return as what a query may ask, never as what it must.
 */
export function fieldsOf(sets: readonly (SelectionSetNode | undefined)[], fragments: Fragments): FieldNode[] {
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === 'Field') fields.push(selection);
      else if (selection.kind === 'InlineFragment') walk(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const set of sets) walk(set);
  return fields;
}

/** The subfields of every field named `name` among `fields`. */
export function childrenNamed(fields: readonly FieldNode[], name: string, fragments: Fragments): FieldNode[] {
  return fieldsOf(
    fields.filter((f) => f.name.value === name).map((f) => f.selectionSet),
    fragments,
  );
}

/**
 * The fields of the nodes of a connection field (`edges { node { ... } } }`) being resolved.
 *
 * @example
 * // jobs { edges { node { id ... on Job { status } } } }  =>  [id, status]
 * const fields = connectionNodeFields(info);
 */
export function connectionNodeFields(info: SelectionInfo): FieldNode[] {
  const top = fieldsOf(
    info.fieldNodes.map((f) => f.selectionSet),
    info.fragments,
  );
  return childrenNamed(childrenNamed(top, 'edges', info.fragments), 'node', info.fragments);
}

/** Marks an argument value this module does not evaluate (a list or an input object). */
export const UNSUPPORTED = Symbol('unsupported argument value');

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case 'Variable':
      return variables[node.name.value];
    case 'IntValue':
      return Number(node.value);
    case 'StringValue':
    case 'EnumValue':
      return node.value;
    case 'BooleanValue':
      return node.value;
    case 'NullValue':
      return null;
    default:
      return UNSUPPORTED;
  }
}

/**
 * The value of a scalar or enum argument as the query gives it (a literal, or a variable's value,
 * uncoerced); undefined when absent (the schema's default then applies).
 */
export function argumentValue(field: FieldNode, name: string, variables: Record<string, unknown>): unknown {
  const argument = field.arguments?.find((a) => a.name.value === name);
  return argument ? valueOf(argument.value, variables) : undefined;
}
