// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Script} from "forge-std/Script.sol";
import {LoomMarket} from "../src/LoomMarket.sol";
import {LoomRegistry} from "../src/LoomRegistry.sol";
import {LoomReplicatedMarket} from "../src/LoomReplicatedMarket.sol";
import {TestUSDC} from "../src/TestUSDC.sol";

/// @notice Deploys the contract set (the worker registry, the single-worker market with the model hub
/// it creates, the replicated market) and a 6-decimal test USDC to a local chain, funds the first ten
/// accounts of the mnemonic with USDC, and writes deployments/<chainId>.json, which the indexer
/// reads by contract name. Local roles: account 0 deploys and owns, 8 arbitrates, 9 is the treasury.
/// Env: MNEMONIC (anvil's by default), FEE_BPS (100 = 1% by default), DEPLOYMENT_FILE (relative to
/// the repository root; tests and benchmarks write under .cache/ so they never touch the real record).
contract Deploy is Script {
    string internal constant ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
    uint256 internal constant FUNDED_ACCOUNTS = 10;
    uint256 internal constant USDC_PER_ACCOUNT = 1_000_000e6;

    struct Deployed {
        LoomRegistry registry;
        LoomMarket market;
        LoomReplicatedMarket replicated;
        TestUSDC usdc;
    }

    function run() external {
        string memory mnemonic = vm.envOr("MNEMONIC", ANVIL_MNEMONIC);
        uint256 deployerKey = vm.deriveKey(mnemonic, 0);
        address deployer = vm.addr(deployerKey);
        address arbiter = vm.addr(vm.deriveKey(mnemonic, 8));
        address treasury = vm.addr(vm.deriveKey(mnemonic, 9));
        uint16 feeBps = uint16(vm.envOr("FEE_BPS", uint256(100)));
        // The deployment lands in a later block; indexing from this one misses nothing.
        uint256 startBlock = block.number;

        vm.startBroadcast(deployerKey);
        Deployed memory d;
        d.registry = new LoomRegistry(deployer, _nextAddresses(deployer, 2));
        d.market = new LoomMarket(d.registry, deployer, treasury, arbiter, feeBps);
        d.replicated = new LoomReplicatedMarket(d.registry, deployer, treasury, feeBps, d.market.models());
        d.usdc = new TestUSDC();
        d.market.setTokenAllowed(address(d.usdc), true);
        d.replicated.setTokenAllowed(address(d.usdc), true);
        for (uint32 i; i < FUNDED_ACCOUNTS; i++) {
            d.usdc.mint(vm.addr(vm.deriveKey(mnemonic, i)), USDC_PER_ACCOUNT);
        }
        vm.stopBroadcast();
        _record(d, startBlock, deployer, arbiter, treasury);
    }

    function _record(Deployed memory d, uint256 startBlock, address deployer, address arbiter, address treasury)
        internal
    {
        string memory obj = "deployment";
        vm.serializeUint(obj, "chainId", block.chainid);
        vm.serializeString(obj, "LoomRegistry", _entry("registry", address(d.registry), startBlock));
        vm.serializeString(obj, "LoomMarket", _entry("market", address(d.market), startBlock));
        vm.serializeString(obj, "LoomReplicatedMarket", _entry("replicated", address(d.replicated), startBlock));
        vm.serializeString(obj, "LoomModels", _entry("models", address(d.market.models()), startBlock));
        vm.serializeString(obj, "TestUSDC", _entry("usdc", address(d.usdc), startBlock));
        vm.serializeAddress(obj, "owner", deployer);
        vm.serializeAddress(obj, "arbiter", arbiter);
        string memory json = vm.serializeAddress(obj, "treasury", treasury);
        string memory defaultFile = string.concat("deployments/", vm.toString(block.chainid), ".json");
        vm.writeJson(json, string.concat(vm.projectRoot(), "/", vm.envOr("DEPLOYMENT_FILE", defaultFile)));
    }

    /// @dev The registry trusts both markets from the start; they are deployed right after it, so their
    /// addresses follow from the deployer's nonces after the registry's.
    function _nextAddresses(address deployer, uint64 count) internal view returns (address[] memory next) {
        uint64 nonce = vm.getNonce(deployer);
        next = new address[](count);
        for (uint64 i; i < count; i++) {
            next[i] = vm.computeCreateAddress(deployer, nonce + 1 + i);
        }
    }

    function _entry(string memory key, address at, uint256 startBlock) internal returns (string memory) {
        vm.serializeAddress(key, "address", at);
        return vm.serializeUint(key, "startBlock", startBlock);
    }
}
