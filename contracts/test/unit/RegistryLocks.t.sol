// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms, Requirements} from "../../src/interfaces/ILoomTypes.sol";

/// @notice Markets locking, unlocking and slashing stake in the registry: only trusted markets lock,
/// each market releases only what it locked, and slashed ETH goes registry -> market -> client credit.
contract RegistryLocksTest is MarketFixture {
    bytes32 internal constant JOB = keccak256("job");

    function setUp() public override {
        super.setUp();
        _register(worker, 1 ether);
    }

    // ---- lock ----

    function test_lock_locksCollateralForTheCallingMarket() public {
        _lockAs(address(market), 0.3 ether);

        _assertStake(worker, 1 ether, 0.3 ether);
        assertEq(registry.lockedBy(address(market), worker), 0.3 ether, "held by the market");
        assertEq(registry.lockedBy(address(replicated), worker), 0, "not by the other market");
    }

    function test_lock_addsUpAcrossMarkets() public {
        _lockAs(address(market), 0.3 ether);
        _lockAs(address(replicated), 0.5 ether);
        _lockAs(address(market), 0.2 ether);

        _assertStake(worker, 1 ether, 1 ether);
        assertEq(registry.lockedBy(address(market), worker), 0.5 ether, "the market's locks");
        assertEq(registry.lockedBy(address(replicated), worker), 0.5 ether, "the replicated market's lock");
        // All the stake is locked now: nothing more can be locked, nor unstaked.
        _expectLockRefused(
            address(replicated), worker, 1, abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0, 1)
        );
        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0, 1));
        vm.prank(worker);
        registry.requestUnstake(1);
    }

    function test_lock_revertsIfMarketNotTrusted() public {
        _expectLockRefused(stranger, worker, 0.1 ether, abi.encodeWithSelector(MarketNotTrusted.selector, stranger));
        _assertStake(worker, 1 ether, 0);
    }

    function test_lock_ofZeroNeedsNoTrust() public {
        _lockAs(stranger, 0);

        _assertStake(worker, 1 ether, 0);
        assertEq(registry.lockedBy(stranger, worker), 0, "nothing held");
    }

    function test_lock_ofZeroStillChecksEligibility() public {
        _expectLockRefused(stranger, worker2, 0, abi.encodeWithSelector(NotRegistered.selector, worker2));
        vm.prank(worker);
        registry.setAvailability(false);
        _expectLockRefused(stranger, worker, 0, abi.encodeWithSelector(WorkerUnavailable.selector, worker));
    }

    function test_lock_checksEligibilityBeforeTrust() public {
        // An untrusted caller learns why the worker is ineligible, not that it is untrusted.
        _expectLockRefused(
            stranger, worker, 2 ether, abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 1 ether, 2 ether)
        );
    }

    function test_lock_revertsIfRequirementsNotMet() public {
        Requirements memory req = Requirements(3, 0, bytes32(0));
        _expectRefusedBy(
            address(registry),
            address(market),
            abi.encodeCall(registry.lock, (JOB, worker, req, 0)),
            abi.encodeWithSelector(RequirementsNotMet.selector, JOB, worker)
        );
        req = Requirements(1, 81_921, bytes32(0));
        _expectRefusedBy(
            address(registry),
            address(market),
            abi.encodeCall(registry.lock, (JOB, worker, req, 0)),
            abi.encodeWithSelector(RequirementsNotMet.selector, JOB, worker)
        );
        req = Requirements(1, 0, bytes32("NVIDIA A100 40GB"));
        _expectRefusedBy(
            address(registry),
            address(market),
            abi.encodeCall(registry.lock, (JOB, worker, req, 0)),
            abi.encodeWithSelector(RequirementsNotMet.selector, JOB, worker)
        );
        // Exactly the claim passes.
        vm.prank(address(market));
        registry.lock(JOB, worker, Requirements(2, 81_920, H100), 0.1 ether);
        _assertStake(worker, 1 ether, 0.1 ether);
    }

    function test_lock_byARevokedMarketReverts() public {
        _revoke(address(market));

        _expectLockRefused(
            address(market), worker, 0.1 ether, abi.encodeWithSelector(MarketNotTrusted.selector, address(market))
        );
        _lockAs(address(market), 0);
    }

    // ---- checkEligible ----

    function test_checkEligible_changesNothing() public {
        vm.prank(stranger);
        registry.checkEligible(JOB, worker, _requirements(), 1 ether);

        _assertStake(worker, 1 ether, 0);
        assertEq(registry.lockedBy(stranger, worker), 0, "nothing held");
    }

    function test_checkEligible_revertsLikeLock() public {
        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 1 ether, 1 ether + 1));
        registry.checkEligible(JOB, worker, _requirements(), 1 ether + 1);
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        registry.checkEligible(JOB, stranger, _requirements(), 0);
        vm.expectRevert(abi.encodeWithSelector(RequirementsNotMet.selector, JOB, worker));
        registry.checkEligible(JOB, worker, Requirements(3, 0, bytes32(0)), 0);
    }

    // ---- unlock ----

    function test_unlock_releasesWithoutSlash() public {
        _lockAs(address(market), 0.3 ether);
        uint256 marketBefore = address(market).balance;

        vm.prank(address(market));
        registry.unlock(worker, 0.3 ether, 0);

        _assertStake(worker, 1 ether, 0);
        assertEq(registry.lockedBy(address(market), worker), 0, "released");
        assertEq(address(market).balance, marketBefore, "no ETH moved");
        assertEq(address(registry).balance, 1 ether, "stake stays in the registry");
    }

    function test_unlock_partOfTheLock() public {
        _lockAs(address(market), 0.3 ether);

        vm.prank(address(market));
        registry.unlock(worker, 0.1 ether, 0.05 ether);

        _assertStake(worker, 0.95 ether, 0.2 ether);
        assertEq(registry.lockedBy(address(market), worker), 0.2 ether, "the rest still held");
    }

    function test_unlock_slashSendsEthToTheCallingMarket() public {
        _lockAs(address(replicated), 0.3 ether);

        vm.prank(address(replicated));
        registry.unlock(worker, 0.3 ether, 0.2 ether);

        _assertStake(worker, 0.8 ether, 0);
        assertEq(address(replicated).balance, 0.2 ether, "slash sent to the market that locked");
        assertEq(address(market).balance, 0, "not to another market");
        assertEq(address(registry).balance, 0.8 ether, "the rest stays");
    }

    function test_unlock_revertsIfMoreThanLocked() public {
        _lockAs(address(market), 0.3 ether);

        _expectUnlockRefused(
            address(market),
            0.3 ether + 1,
            0,
            abi.encodeWithSelector(LockNotHeld.selector, address(market), worker, 0.3 ether, 0.3 ether + 1)
        );
    }

    function test_unlock_revertsIfAnotherMarketLocked() public {
        _lockAs(address(market), 0.3 ether);

        _expectUnlockRefused(
            address(replicated),
            0.3 ether,
            0.3 ether,
            abi.encodeWithSelector(LockNotHeld.selector, address(replicated), worker, 0, 0.3 ether)
        );
        _expectUnlockRefused(
            stranger, 0.1 ether, 0, abi.encodeWithSelector(LockNotHeld.selector, stranger, worker, 0, 0.1 ether)
        );
        _assertStake(worker, 1 ether, 0.3 ether);
    }

    function test_unlock_revertsIfSlashExceedsCollateral() public {
        _lockAs(address(market), 0.3 ether);

        _expectUnlockRefused(
            address(market),
            0.1 ether,
            0.1 ether + 1,
            abi.encodeWithSelector(LockNotHeld.selector, address(market), worker, 0.3 ether, 0.1 ether)
        );
    }

    function test_unlock_cannotReleaseTwice() public {
        _lockAs(address(market), 0.3 ether);
        vm.prank(address(market));
        registry.unlock(worker, 0.3 ether, 0);

        _expectUnlockRefused(
            address(market),
            0.3 ether,
            0,
            abi.encodeWithSelector(LockNotHeld.selector, address(market), worker, 0, 0.3 ether)
        );
    }

    function test_unlock_worksAfterTrustRevoked() public {
        _lockAs(address(market), 0.3 ether);
        _revoke(address(market));

        vm.prank(address(market));
        registry.unlock(worker, 0.3 ether, 0.1 ether);

        _assertStake(worker, 0.9 ether, 0);
        assertEq(address(market).balance, 0.1 ether, "slash still paid to it");
    }

    // ---- through the market ----

    function test_reclaim_slashFlowsRegistryToMarketToClientCredit() public {
        (bytes32 jobId, JobTerms memory t) = _claimedBy(worker);
        assertEq(address(registry).balance, 1 ether, "stake in the registry");
        assertEq(address(market).balance, 1 ether, "budget in the market");
        vm.warp(START + t.executionTimeout + 1);

        market.reclaim(t);

        _assertJob(jobId, worker, JobStatus.Closed, CloseReason.Reclaimed, 0);
        assertEq(address(registry).balance, 0.9 ether, "slash left the registry");
        assertEq(address(market).balance, 1.1 ether, "and arrived in the market");
        _assertCredits(address(0), 1.1 ether, 0, 0);
        _assertStake(worker, 0.9 ether, 0);
        assertEq(registry.lockedBy(address(market), worker), 0, "released");

        uint256 clientBefore = client.balance;
        vm.prank(client);
        market.withdraw(address(0), client);
        assertEq(client.balance, clientBefore + 1.1 ether, "refund and slash paid out");
        assertEq(address(market).balance, 0, "market empty");
    }

    function test_reclaim_slashesAfterTrustRevoked() public {
        (, JobTerms memory t) = _claimedBy(worker);
        _revoke(address(market));
        assertGt(block.timestamp, START + t.executionTimeout, "the job is overdue by now");

        market.reclaim(t);

        _assertCredits(address(0), 1.1 ether, 0, 0);
        _assertStake(worker, 0.9 ether, 0);
        assertEq(registry.lockedBy(address(market), worker), 0, "released");
    }

    function test_release_unlocksAfterTrustRevoked() public {
        (, JobTerms memory t) = _claimedBy(worker);
        vm.prank(worker);
        market.submitResult(t, RESULT_HASH, RESULT_URI);
        _revoke(address(market));

        vm.prank(client);
        market.release(t);

        _assertStake(worker, 1 ether, 0);
        assertEq(registry.lockedBy(address(market), worker), 0, "released");
        // Revoked, the market takes no new collateral.
        _register(worker2, 1 ether);
        JobParams memory p = _params(JobMode.Claim);
        p.salt = 1;
        (, JobTerms memory t2) = _post(p);
        _expectRefused(
            worker2,
            abi.encodeCall(market.claimJob, (t2)),
            abi.encodeWithSelector(MarketNotTrusted.selector, address(market))
        );
    }

    // ---- receive ----

    function test_receive_refusesEthFromAnyoneButTheRegistry() public {
        _expectEthRefused(address(market), stranger);
        _expectEthRefused(address(replicated), stranger);
        _expectEthRefused(address(market), address(replicated));
        _expectEthRefused(address(replicated), worker);
    }

    function test_receive_acceptsEthFromTheRegistry() public {
        vm.deal(address(registry), 1 ether);
        vm.prank(address(registry));
        (bool ok,) = address(market).call{value: 1 ether}("");

        assertTrue(ok, "accepted");
        assertEq(address(market).balance, 1 ether, "received");
    }

    // ---- helpers ----

    function _requirements() internal pure returns (Requirements memory) {
        return Requirements(1, 40_960, bytes32(0));
    }

    function _lockAs(address caller, uint96 collateral) internal {
        vm.prank(caller);
        registry.lock(JOB, worker, _requirements(), collateral);
    }

    /// @dev `caller` asks to lock `collateral` of `who`'s stake and the registry refuses with `revertData`.
    function _expectLockRefused(address caller, address who, uint96 collateral, bytes memory revertData) internal {
        _expectRefusedBy(
            address(registry),
            caller,
            abi.encodeCall(registry.lock, (JOB, who, _requirements(), collateral)),
            revertData
        );
    }

    function _expectUnlockRefused(address caller, uint96 collateral, uint96 slash, bytes memory revertData) internal {
        _expectRefusedBy(
            address(registry), caller, abi.encodeCall(registry.unlock, (worker, collateral, slash)), revertData
        );
    }

    function _revoke(address target) internal {
        vm.prank(owner);
        registry.proposeTrust(target, false);
        vm.warp(block.timestamp + registry.TRUST_DELAY());
        registry.applyTrust(target);
        assertFalse(registry.trusted(target), "revoked");
    }

    /// @dev A claim-mode job (1 ETH, 0.1 ETH collateral) claimed by `who`, registered already.
    function _claimedBy(address who) internal returns (bytes32 jobId, JobTerms memory t) {
        (jobId, t) = _post(_params(JobMode.Claim));
        vm.prank(who);
        market.claimJob(t);
    }

    /// @dev `from` sends 1 wei to `target` and the market refuses it with UnexpectedSender(from).
    function _expectEthRefused(address target, address from) internal {
        vm.deal(from, from.balance + 1);
        uint256 targetBefore = target.balance;
        vm.expectRevert(abi.encodeWithSelector(UnexpectedSender.selector, from));
        vm.prank(from);
        (bool matched, bytes memory mismatch) = target.call{value: 1}("");
        if (!matched) {
            assembly ("memory-safe") {
                revert(add(mismatch, 32), mload(mismatch))
            }
        }
        assertEq(target.balance, targetBefore, "nothing received");
    }
}
