// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";

/// @notice Chain-first delivery of a job's sealed secrets bundle (SealedBundleSent).
contract RegistrySealedBundleTest is MarketFixture {
    bytes32 internal constant JOB = keccak256("job");

    function test_sendSealed_emitsInlineBundle() public {
        bytes memory ciphertext = hex"01deadbeef";
        bytes32 hash = sha256(ciphertext);
        vm.expectEmit(true, true, true, true, address(registry));
        emit SealedBundleSent(JOB, client, worker, hash, ciphertext, "");
        vm.prank(client);
        registry.sendSealed(JOB, worker, hash, ciphertext, "");
    }

    function test_sendSealed_emitsUriBundle() public {
        bytes32 hash = keccak256("stored elsewhere");
        vm.expectEmit(true, true, true, true, address(registry));
        emit SealedBundleSent(JOB, client, worker, hash, "", "artifact://00");
        vm.prank(client);
        registry.sendSealed(JOB, worker, hash, "", "artifact://00");
    }

    function test_sendSealed_acceptsInlineAtCap() public {
        bytes memory ciphertext = new bytes(registry.MAX_INLINE_SEALED_BYTES());
        bytes32 hash = sha256(ciphertext);
        vm.prank(client);
        registry.sendSealed(JOB, worker, hash, ciphertext, "");
    }

    function test_sendSealed_revertsIfInlineOverCap() public {
        bytes memory ciphertext = new bytes(registry.MAX_INLINE_SEALED_BYTES() + 1);
        bytes32 hash = sha256(ciphertext);
        vm.expectRevert(abi.encodeWithSelector(SealedBundleTooLarge.selector, ciphertext.length, 4096));
        vm.prank(client);
        registry.sendSealed(JOB, worker, hash, ciphertext, "");
    }

    function test_sendSealed_revertsIfHashMismatch() public {
        bytes memory ciphertext = hex"01deadbeef";
        bytes32 wrong = keccak256(ciphertext);
        bytes32 actual = sha256(ciphertext);
        vm.expectRevert(abi.encodeWithSelector(SealedBundleHashMismatch.selector, wrong, actual));
        vm.prank(client);
        registry.sendSealed(JOB, worker, wrong, ciphertext, "");
    }

    function test_sendSealed_revertsIfNothingSent() public {
        vm.expectRevert(abi.encodeWithSelector(SealedBundleMissing.selector, JOB));
        vm.prank(client);
        registry.sendSealed(JOB, worker, keccak256("h"), "", "");

        vm.expectRevert(abi.encodeWithSelector(SealedBundleMissing.selector, JOB));
        vm.prank(client);
        registry.sendSealed(JOB, worker, bytes32(0), "", "artifact://00");
    }

    function test_sendSealed_revertsIfZeroWorker() public {
        vm.expectRevert(ZeroAddress.selector);
        vm.prank(client);
        registry.sendSealed(JOB, address(0), keccak256("h"), "", "artifact://00");
    }

    function test_sendSealed_revertsIfUriTooLong() public {
        string memory uri = string(new bytes(1025));
        vm.expectRevert(abi.encodeWithSelector(TextTooLong.selector, 1025, 1024));
        vm.prank(client);
        registry.sendSealed(JOB, worker, keccak256("h"), "", uri);
    }
}
