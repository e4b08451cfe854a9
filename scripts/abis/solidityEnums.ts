/**
 * A @wagmi/cli plugin that writes the Solidity enums of contracts/src/interfaces/ILoomTypes.sol into
 * abis/generated.ts. An ABI carries enums as bare uint8s, so their member names would otherwise be
 * written out by hand in every client; here they come from the compiler's own AST (solc-js, parsed
 * only), so renaming or adding a member regenerates them and the drift test sees it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const SOURCE = 'contracts/src/interfaces/ILoomTypes.sol';

type AstNode = { nodeType: string; name?: string; members?: AstNode[]; nodes?: AstNode[] };

/** The enum definitions of one source file, in source order, from solc's parsed AST. */
export function readSolidityEnums(path = SOURCE): { name: string; members: string[] }[] {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string };
  const input = {
    language: 'Solidity',
    sources: { [path]: { content: readFileSync(path, 'utf8') } },
    // Names are all we need: stopping after parsing skips imports and code generation.
    settings: { stopAfter: 'parsing', outputSelection: { '*': { '': ['ast'] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as {
    errors?: { severity: string; formattedMessage: string }[];
    sources: Record<string, { ast: AstNode }>;
  };
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(`${path}: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  return (output.sources[path]!.ast.nodes ?? [])
    .filter((n) => n.nodeType === 'EnumDefinition')
    .map((n) => ({ name: n.name!, members: n.members!.map((m) => m.name!) }));
}

/** "DisputeResolved" -> "DISPUTE_RESOLVED": the spelling of the indexer's tables and the GraphQL API. */
export function screamingSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);
const list = (items: string[]) => `[${items.map((i) => `'${i}'`).join(', ')}] as const`;

export function solidityEnums() {
  return {
    name: 'solidity-enums',
    run: () => ({
      content: readSolidityEnums()
        .map(({ name, members }) =>
          [
            `/** \`enum ${name}\` (${SOURCE}): member names, indexed by value. */\nexport const ${lowerFirst(name)}Names = ${list(members)}`,
            `/** \`enum ${name}\` as the indexer and the GraphQL API spell it, indexed by value. */\nexport const ${lowerFirst(name)}Keys = ${list(members.map(screamingSnake))}`,
          ].join('\n\n'),
        )
        .join('\n\n'),
    }),
  };
}
