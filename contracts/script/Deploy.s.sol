// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Script} from "forge-std/Script.sol";
import {LoomMarket} from "../src/LoomMarket.sol";
import {TestUSDC} from "../src/TestUSDC.sol";

/// @notice Deploys the market and a 6-decimal test USDC to a local chain, funds the first ten
/// accounts of the mnemonic with USDC, and writes deployments/<chainId>.json, which the indexer
/// reads by contract name. Local roles: account 0 deploys and owns, 8 arbitrates, 9 is the treasury.
/// Env: MNEMONIC (anvil's by default), FEE_BPS (100 = 1% by default), DEPLOYMENT_FILE (relative to
/// the repository root; tests and benchmarks write under .cache/ so they never touch the real record).
contract Deploy is Script {
    string internal constant ANVIL_MNEMONIC = "test test test test test test test test test test test junk";
    uint256 internal constant FUNDED_ACCOUNTS = 10;
    uint256 internal constant USDC_PER_ACCOUNT = 1_000_000e6;

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
        LoomMarket market = new LoomMarket(deployer, treasury, arbiter, feeBps);
        TestUSDC usdc = new TestUSDC();
        market.setTokenAllowed(address(usdc), true);
        for (uint32 i; i < FUNDED_ACCOUNTS; i++) {
            usdc.mint(vm.addr(vm.deriveKey(mnemonic, i)), USDC_PER_ACCOUNT);
        }
        vm.stopBroadcast();

        string memory obj = "deployment";
        vm.serializeUint(obj, "chainId", block.chainid);
        vm.serializeString(obj, "LoomMarket", _entry("market", address(market), startBlock));
        vm.serializeString(obj, "TestUSDC", _entry("usdc", address(usdc), startBlock));
        vm.serializeAddress(obj, "owner", deployer);
        vm.serializeAddress(obj, "arbiter", arbiter);
        string memory json = vm.serializeAddress(obj, "treasury", treasury);
        string memory defaultFile = string.concat("deployments/", vm.toString(block.chainid), ".json");
        vm.writeJson(json, string.concat(vm.projectRoot(), "/", vm.envOr("DEPLOYMENT_FILE", defaultFile)));
    }

    function _entry(string memory key, address at, uint256 startBlock) internal returns (string memory) {
        vm.serializeAddress(key, "address", at);
        return vm.serializeUint(key, "startBlock", startBlock);
    }
}
