// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";

/// @notice The public key a worker publishes for clients to seal job secrets to.
contract RegistryEncryptionKeyTest is MarketFixture {
    bytes32 internal constant KEY = keccak256("x25519 public key");
    bytes32 internal constant NEW_KEY = keccak256("rotated x25519 public key");

    function test_setEncryptionKey_publishesKey() public {
        _register(worker, 1 ether);

        vm.expectEmit(true, true, true, true, address(registry));
        emit EncryptionKeySet(worker, KEY);
        vm.prank(worker);
        registry.setEncryptionKey(KEY);

        assertEq(registry.encryptionKeyOf(worker), KEY, "published");
        assertEq(registry.encryptionKeyOf(worker2), bytes32(0), "only for the caller");
    }

    function test_setEncryptionKey_replacesKey() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.setEncryptionKey(KEY);

        vm.expectEmit(true, true, true, true, address(registry));
        emit EncryptionKeySet(worker, NEW_KEY);
        vm.prank(worker);
        registry.setEncryptionKey(NEW_KEY);

        assertEq(registry.encryptionKeyOf(worker), NEW_KEY, "rotated");
    }

    function test_setEncryptionKey_zeroWithdrawsKey() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.setEncryptionKey(KEY);

        vm.expectEmit(true, true, true, true, address(registry));
        emit EncryptionKeySet(worker, bytes32(0));
        vm.prank(worker);
        registry.setEncryptionKey(bytes32(0));

        assertEq(registry.encryptionKeyOf(worker), bytes32(0), "withdrawn");
    }

    function test_setEncryptionKey_leavesStakeAndClaimAlone() public {
        _register(worker, 1 ether);

        vm.prank(worker);
        registry.setEncryptionKey(KEY);

        (uint96 stake, uint96 locked, uint16 gpuCount, uint32 vramMiB, bool registered, bool available) =
            registry.workers(worker);
        assertEq(stake, 1 ether, "stake");
        assertEq(locked, 0, "locked");
        assertEq(gpuCount, 2, "gpuCount");
        assertEq(vramMiB, 81_920, "vramMiB");
        assertTrue(registered && available, "registered and available");
    }

    function test_setEncryptionKey_revertsIfNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        vm.prank(stranger);
        registry.setEncryptionKey(KEY);

        assertEq(registry.encryptionKeyOf(stranger), bytes32(0), "nothing published");
    }

    function test_deregister_clearsEncryptionKey() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.setEncryptionKey(KEY);

        vm.prank(worker);
        registry.deregister();

        assertEq(registry.encryptionKeyOf(worker), bytes32(0), "cleared on leaving");
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, worker));
        vm.prank(worker);
        registry.setEncryptionKey(KEY);
    }

    function test_register_afterDeregisterHasNoKey() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.setEncryptionKey(KEY);
        vm.prank(worker);
        registry.deregister();

        _register(worker, 0.5 ether);

        assertEq(registry.encryptionKeyOf(worker), bytes32(0), "an old key does not come back");
    }
}
