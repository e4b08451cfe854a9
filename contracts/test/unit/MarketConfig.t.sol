// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {MarketFixture} from "../utils/MarketFixture.sol";
import {LoomMarket} from "../../src/LoomMarket.sol";
import {JobMode, JobParams, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice The owner's settings, their bounds, and the two-step hand-over of ownership.
contract MarketConfigTest is MarketFixture {
    address internal newOwner = makeAddr("newOwner");
    address internal arbiter2 = makeAddr("arbiter2");

    /// @dev `who` makes the owner-only call `call` and Ownable refuses it.
    function _expectNotOwner(address who, bytes memory call) internal {
        _expectRefused(who, call, abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, who));
    }

    // ---- constructor ----

    function test_constructor_setsInitialConfig() public view {
        assertEq(market.owner(), owner, "owner");
        assertEq(market.pendingOwner(), address(0), "no pending owner");
        assertEq(market.feeBps(), FEE_BPS, "fee");
        assertEq(market.treasury(), treasury, "treasury");
        assertEq(market.defaultArbiter(), arbiter, "default arbiter");
        assertTrue(market.arbiterAllowed(arbiter), "default arbiter allow-listed");
        assertFalse(market.tokenAllowed(address(0xdead)), "no token allowed by default");
    }

    function test_constructor_emitsInitialConfig() public {
        address expected = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));

        vm.expectEmit(true, true, true, true, expected);
        emit Ownable.OwnershipTransferred(address(0), owner);
        vm.expectEmit(true, true, true, true, expected);
        emit FeeSet(250);
        vm.expectEmit(true, true, true, true, expected);
        emit TreasurySet(treasury);
        vm.expectEmit(true, true, true, true, expected);
        emit ArbiterAllowed(arbiter, true);
        vm.expectEmit(true, true, true, true, expected);
        emit DefaultArbiterSet(arbiter);
        LoomMarket deployed = new LoomMarket(registry, owner, treasury, arbiter, 250);

        assertEq(address(deployed), expected, "deployed where expected");
    }

    function test_constructor_acceptsMaxFee() public {
        LoomMarket deployed = new LoomMarket(registry, owner, treasury, arbiter, 1_000);
        assertEq(deployed.feeBps(), deployed.MAX_FEE_BPS(), "fee at cap");
    }

    function test_constructor_revertsIfFeeTooHigh() public {
        vm.expectRevert(abi.encodeWithSelector(FeeTooHigh.selector, 1_001, 1_000));
        new LoomMarket(registry, owner, treasury, arbiter, 1_001);
    }

    function test_constructor_revertsIfTreasuryZero() public {
        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        new LoomMarket(registry, owner, address(0), arbiter, FEE_BPS);
    }

    function test_constructor_revertsIfDefaultArbiterZero() public {
        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        new LoomMarket(registry, owner, treasury, address(0), FEE_BPS);
    }

    function test_constructor_revertsIfOwnerZero() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableInvalidOwner.selector, address(0)));
        new LoomMarket(registry, address(0), treasury, arbiter, FEE_BPS);
    }

    // ---- setFee ----

    function test_setFee_updatesFee() public {
        vm.expectEmit(true, true, true, true, address(market));
        emit FeeSet(500);
        vm.prank(owner);
        market.setFee(500);

        assertEq(market.feeBps(), 500, "fee");
    }

    function test_setFee_acceptsZeroAndCap() public {
        vm.prank(owner);
        market.setFee(0);
        assertEq(market.feeBps(), 0, "zero fee");

        vm.prank(owner);
        market.setFee(1_000);
        assertEq(market.feeBps(), 1_000, "fee at cap");
    }

    function test_setFee_revertsIfAboveCap() public {
        vm.expectRevert(abi.encodeWithSelector(FeeTooHigh.selector, 1_001, 1_000));
        vm.prank(owner);
        market.setFee(1_001);
    }

    function test_setFee_revertsIfNotOwner() public {
        _expectNotOwner(stranger, abi.encodeCall(market.setFee, (0)));
    }

    function test_setFee_leavesPostedJobsAtTheirFee() public {
        (, JobTerms memory t) = _submitted();
        assertEq(t.feeBps, FEE_BPS, "fee fixed in the terms");

        vm.prank(owner);
        market.setFee(1_000);
        vm.prank(client);
        market.release(t);

        assertEq(market.credits(address(0), treasury), 0.01 ether, "old fee: 1% of 1 ETH");
        assertEq(market.credits(address(0), worker), 0.99 ether, "worker paid at the old fee");
    }

    function test_setFee_appliesToJobsPostedAfter() public {
        vm.prank(owner);
        market.setFee(1_000);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));

        assertEq(t.feeBps, 1_000, "new fee in the terms");
        assertEq(market.jobIdOf(t), jobId, "terms with the new fee name the job");
    }

    // ---- setTreasury ----

    function test_setTreasury_updatesTreasury() public {
        address treasury2 = makeAddr("treasury2");

        vm.expectEmit(true, true, true, true, address(market));
        emit TreasurySet(treasury2);
        vm.prank(owner);
        market.setTreasury(treasury2);

        assertEq(market.treasury(), treasury2, "treasury");
    }

    function test_setTreasury_receivesLaterFees() public {
        address treasury2 = makeAddr("treasury2");
        (, JobTerms memory t) = _submitted();
        vm.prank(owner);
        market.setTreasury(treasury2);

        vm.prank(client);
        market.release(t);

        assertEq(market.credits(address(0), treasury2), 0.01 ether, "new treasury credited");
        assertEq(market.credits(address(0), treasury), 0, "old treasury not credited");
    }

    function test_setTreasury_revertsIfZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        vm.prank(owner);
        market.setTreasury(address(0));
    }

    function test_setTreasury_revertsIfNotOwner() public {
        _expectNotOwner(stranger, abi.encodeCall(market.setTreasury, (stranger)));
    }

    // ---- setTokenAllowed ----

    function test_setTokenAllowed_addsToken() public {
        address token = makeAddr("token");

        vm.expectEmit(true, true, true, true, address(market));
        emit TokenAllowed(token, true);
        vm.prank(owner);
        market.setTokenAllowed(token, true);

        assertTrue(market.tokenAllowed(token), "allowed");
    }

    function test_setTokenAllowed_removesToken() public {
        assertTrue(market.tokenAllowed(address(usdc)), "allowed by the fixture");

        vm.expectEmit(true, true, true, true, address(market));
        emit TokenAllowed(address(usdc), false);
        vm.prank(owner);
        market.setTokenAllowed(address(usdc), false);

        assertFalse(market.tokenAllowed(address(usdc)), "removed");
        JobParams memory p = _params(JobMode.Claim);
        p.token = address(usdc);
        p.budget = 100e6;
        _expectPostReverts(p, 0, abi.encodeWithSelector(TokenNotAllowed.selector, address(usdc)));
    }

    function test_setTokenAllowed_revertsIfZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        vm.prank(owner);
        market.setTokenAllowed(address(0), true);
    }

    function test_setTokenAllowed_revertsIfNotOwner() public {
        _expectNotOwner(stranger, abi.encodeCall(market.setTokenAllowed, (address(usdc), false)));
    }

    // ---- setArbiter ----

    function test_setArbiter_addsArbiter() public {
        vm.expectEmit(true, true, true, true, address(market));
        emit ArbiterAllowed(arbiter2, true);
        vm.prank(owner);
        market.setArbiter(arbiter2, true);

        assertTrue(market.arbiterAllowed(arbiter2), "allowed");
        assertEq(market.defaultArbiter(), arbiter, "default unchanged");
    }

    function test_setArbiter_removesArbiter() public {
        vm.prank(owner);
        market.setArbiter(arbiter2, true);

        vm.expectEmit(true, true, true, true, address(market));
        emit ArbiterAllowed(arbiter2, false);
        vm.prank(owner);
        market.setArbiter(arbiter2, false);

        assertFalse(market.arbiterAllowed(arbiter2), "removed");
        JobParams memory p = _params(JobMode.Claim);
        p.arbiter = arbiter2;
        _expectPostReverts(p, p.budget, abi.encodeWithSelector(ArbiterNotAllowed.selector, arbiter2));
    }

    function test_setArbiter_reallowsDefaultArbiter() public {
        vm.expectEmit(true, true, true, true, address(market));
        emit ArbiterAllowed(arbiter, true);
        vm.prank(owner);
        market.setArbiter(arbiter, true);

        assertTrue(market.arbiterAllowed(arbiter), "still allowed");
    }

    function test_setArbiter_revertsIfRemovingDefault() public {
        vm.expectRevert(abi.encodeWithSelector(DefaultArbiterRequired.selector, arbiter));
        vm.prank(owner);
        market.setArbiter(arbiter, false);
    }

    function test_setArbiter_revertsIfZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        vm.prank(owner);
        market.setArbiter(address(0), true);

        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        vm.prank(owner);
        market.setArbiter(address(0), false);
    }

    function test_setArbiter_revertsIfNotOwner() public {
        _expectNotOwner(stranger, abi.encodeCall(market.setArbiter, (stranger, true)));
    }

    // ---- setDefaultArbiter ----

    function test_setDefaultArbiter_switchesDefault() public {
        vm.prank(owner);
        market.setArbiter(arbiter2, true);

        vm.expectEmit(true, true, true, true, address(market));
        emit DefaultArbiterSet(arbiter2);
        vm.prank(owner);
        market.setDefaultArbiter(arbiter2);

        assertEq(market.defaultArbiter(), arbiter2, "default");
        (, JobTerms memory t) = _post(_params(JobMode.Claim));
        assertEq(t.arbiter, arbiter2, "jobs naming no arbiter get the new default");
    }

    function test_setDefaultArbiter_letsOldDefaultBeRemoved() public {
        vm.prank(owner);
        market.setArbiter(arbiter2, true);
        vm.prank(owner);
        market.setDefaultArbiter(arbiter2);

        vm.prank(owner);
        market.setArbiter(arbiter, false);

        assertFalse(market.arbiterAllowed(arbiter), "old default removed");
    }

    function test_setDefaultArbiter_revertsIfNotAllowed() public {
        vm.expectRevert(abi.encodeWithSelector(ArbiterNotAllowed.selector, arbiter2));
        vm.prank(owner);
        market.setDefaultArbiter(arbiter2);
    }

    function test_setDefaultArbiter_revertsIfZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(ArbiterNotAllowed.selector, address(0)));
        vm.prank(owner);
        market.setDefaultArbiter(address(0));
    }

    function test_setDefaultArbiter_revertsIfNotOwner() public {
        _expectNotOwner(stranger, abi.encodeCall(market.setDefaultArbiter, (arbiter)));
    }

    // ---- transferOwnership / acceptOwnership ----

    function test_transferOwnership_setsPendingOwner() public {
        vm.expectEmit(true, true, true, true, address(market));
        emit Ownable2Step.OwnershipTransferStarted(owner, newOwner);
        vm.prank(owner);
        market.transferOwnership(newOwner);

        assertEq(market.pendingOwner(), newOwner, "pending");
        assertEq(market.owner(), owner, "owner unchanged until accepted");
    }

    function test_transferOwnership_pendingOwnerCannotConfigure() public {
        vm.prank(owner);
        market.transferOwnership(newOwner);

        _expectNotOwner(newOwner, abi.encodeCall(market.setFee, (0)));
    }

    function test_transferOwnership_revertsIfNotOwner() public {
        _expectNotOwner(stranger, abi.encodeCall(market.transferOwnership, (stranger)));
    }

    function test_acceptOwnership_completesTransfer() public {
        vm.prank(owner);
        market.transferOwnership(newOwner);

        vm.expectEmit(true, true, true, true, address(market));
        emit Ownable.OwnershipTransferred(owner, newOwner);
        vm.prank(newOwner);
        market.acceptOwnership();

        assertEq(market.owner(), newOwner, "owner");
        assertEq(market.pendingOwner(), address(0), "pending cleared");

        vm.prank(newOwner);
        market.setFee(0);
        assertEq(market.feeBps(), 0, "new owner configures");

        _expectNotOwner(owner, abi.encodeCall(market.setFee, (1)));
    }

    function test_acceptOwnership_revertsIfNotPendingOwner() public {
        vm.prank(owner);
        market.transferOwnership(newOwner);

        _expectNotOwner(stranger, abi.encodeCall(market.acceptOwnership, ()));
    }

    function test_acceptOwnership_revertsIfNothingPending() public {
        _expectNotOwner(owner, abi.encodeCall(market.acceptOwnership, ()));
    }

    function test_transferOwnership_replacesPendingOwner() public {
        vm.prank(owner);
        market.transferOwnership(newOwner);
        vm.prank(owner);
        market.transferOwnership(stranger);

        _expectNotOwner(newOwner, abi.encodeCall(market.acceptOwnership, ()));

        vm.prank(stranger);
        market.acceptOwnership();
        assertEq(market.owner(), stranger, "latest nominee accepted");
    }
}
