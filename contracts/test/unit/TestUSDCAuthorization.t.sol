// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {TestUSDC} from "../../src/TestUSDC.sol";

/// @dev The local token's signed transfers, as Circle's USDC has them (EIP-3009, EIP-2612): what the
/// gasless and x402 paths rely on.
contract TestUSDCAuthorizationTest is Test {
    bytes32 constant RECEIVE_TYPEHASH =
        keccak256("ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)");
    bytes32 constant TRANSFER_TYPEHASH =
        keccak256("TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)");
    bytes32 constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    TestUSDC usdc;
    uint256 payerKey = 0xA11CE;
    address payer;
    address payee = makeAddr("payee");

    function setUp() public {
        usdc = new TestUSDC();
        payer = vm.addr(payerKey);
        usdc.mint(payer, 100e6);
        vm.warp(1_000_000);
    }

    function _sign(bytes32 typehash, address to, uint256 value, uint256 validAfter, uint256 validBefore, bytes32 nonce, uint256 key)
        internal
        view
        returns (bytes memory)
    {
        bytes32 structHash = keccak256(abi.encode(typehash, payer, to, value, validAfter, validBefore, nonce));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash)));
        return abi.encodePacked(r, s, v);
    }

    function test_receiveWithAuthorization_bytesSignature_movesFundsOnce() public {
        bytes memory sig = _sign(RECEIVE_TYPEHASH, payee, 5e6, 0, block.timestamp + 60, bytes32("n1"), payerKey);
        vm.prank(payee);
        usdc.receiveWithAuthorization(payer, payee, 5e6, 0, block.timestamp + 60, bytes32("n1"), sig);
        assertEq(usdc.balanceOf(payee), 5e6);
        assertTrue(usdc.authorizationState(payer, bytes32("n1")));

        vm.prank(payee);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009UsedAuthorization.selector, payer, bytes32("n1")));
        usdc.receiveWithAuthorization(payer, payee, 5e6, 0, block.timestamp + 60, bytes32("n1"), sig);
    }

    function test_receiveWithAuthorization_vrsSignature() public {
        bytes32 structHash = keccak256(abi.encode(RECEIVE_TYPEHASH, payer, payee, 1e6, 0, block.timestamp + 60, bytes32("n2")));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKey, keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash)));
        vm.prank(payee);
        usdc.receiveWithAuthorization(payer, payee, 1e6, 0, block.timestamp + 60, bytes32("n2"), v, r, s);
        assertEq(usdc.balanceOf(payee), 1e6);
    }

    function test_receiveWithAuthorization_onlyThePayeeSubmits() public {
        bytes memory sig = _sign(RECEIVE_TYPEHASH, payee, 5e6, 0, block.timestamp + 60, bytes32("n3"), payerKey);
        vm.prank(makeAddr("frontRunner"));
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, payee));
        usdc.receiveWithAuthorization(payer, payee, 5e6, 0, block.timestamp + 60, bytes32("n3"), sig);
    }

    function test_authorization_refusesOtherSignerWrongAmountAndTime() public {
        bytes memory byOther = _sign(RECEIVE_TYPEHASH, payee, 5e6, 0, block.timestamp + 60, bytes32("n4"), 0xB0B);
        vm.startPrank(payee);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        usdc.receiveWithAuthorization(payer, payee, 5e6, 0, block.timestamp + 60, bytes32("n4"), byOther);

        bytes memory sig = _sign(RECEIVE_TYPEHASH, payee, 5e6, 0, block.timestamp + 60, bytes32("n4"), payerKey);
        vm.expectRevert(ERC3009.ERC3009InvalidSignature.selector);
        usdc.receiveWithAuthorization(payer, payee, 6e6, 0, block.timestamp + 60, bytes32("n4"), sig);

        uint256 until = block.timestamp + 60;
        vm.warp(until);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009InvalidAuthorizationTime.selector, 0, until));
        usdc.receiveWithAuthorization(payer, payee, 5e6, 0, until, bytes32("n4"), sig);

        bytes memory early = _sign(RECEIVE_TYPEHASH, payee, 5e6, block.timestamp + 10, block.timestamp + 60, bytes32("n5"), payerKey);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009InvalidAuthorizationTime.selector, block.timestamp + 10, block.timestamp + 60));
        usdc.receiveWithAuthorization(payer, payee, 5e6, block.timestamp + 10, block.timestamp + 60, bytes32("n5"), early);
        vm.stopPrank();
        assertEq(usdc.balanceOf(payee), 0);
    }

    function test_transferWithAuthorization_anyoneSubmits_andCancelledNonceIsDead() public {
        bytes memory sig = _sign(TRANSFER_TYPEHASH, payee, 2e6, 0, block.timestamp + 60, bytes32("n6"), payerKey);
        vm.prank(makeAddr("relayer"));
        usdc.transferWithAuthorization(payer, payee, 2e6, 0, block.timestamp + 60, bytes32("n6"), sig);
        assertEq(usdc.balanceOf(payee), 2e6);

        bytes32 cancelHash = keccak256(abi.encode(keccak256("CancelAuthorization(address authorizer,bytes32 nonce)"), payer, bytes32("n7")));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKey, keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), cancelHash)));
        usdc.cancelAuthorization(payer, bytes32("n7"), v, r, s);
        bytes memory late = _sign(TRANSFER_TYPEHASH, payee, 2e6, 0, block.timestamp + 60, bytes32("n7"), payerKey);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009UsedAuthorization.selector, payer, bytes32("n7")));
        usdc.transferWithAuthorization(payer, payee, 2e6, 0, block.timestamp + 60, bytes32("n7"), late);
    }

    function test_permit_setsAllowance() public {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, payer, payee, 3e6, usdc.nonces(payer), block.timestamp + 60));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(payerKey, keccak256(abi.encodePacked("\x19\x01", usdc.DOMAIN_SEPARATOR(), structHash)));
        usdc.permit(payer, payee, 3e6, block.timestamp + 60, v, r, s);
        assertEq(usdc.allowance(payer, payee), 3e6);
        vm.expectRevert();
        usdc.permit(payer, payee, 3e6, block.timestamp + 60, v, r, s);
    }
}
