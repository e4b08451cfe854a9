import { defineConfig } from '@wagmi/cli';
import { foundry } from '@wagmi/cli/plugins';
import { solidityEnums } from './scripts/abis/solidityEnums';

// Regenerate with `npm run abis`; abis/generated.test.ts fails when the committed file is stale.
export default defineConfig({
  // ABIS_OUT lets abis/generated.test.ts regenerate elsewhere and compare.
  out: process.env.ABIS_OUT ?? 'abis/generated.ts',
  plugins: [
    {
      name: 'generated-banner',
      run: () => ({
        prepend: '// GENERATED FILE, do not edit. Made by @wagmi/cli from contracts/src (`npm run abis`).',
        content: '',
      }),
    },
    foundry({
      project: '.',
      forge: { path: 'scripts/foundry/forge', rebuild: true },
      // Only our contracts: forge-std and OpenZeppelin artifacts share the out/ folder.
      include: ['LoomRegistry.sol/**', 'LoomMarket.sol/**', 'LoomDeposits.sol/LoomDeposits.json', 'LoomModels.sol/LoomModels.json', 'LoomReplicatedMarket.sol/**', 'TestUSDC.sol/**'],
    }),
    // The enums' member names, which the ABI does not carry.
    solidityEnums(),
  ],
});
