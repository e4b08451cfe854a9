// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {RevertingReceiver} from "../mocks/RevertingReceiver.sol";
import {HardwareClaim, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice Registration, hardware claims, availability and the stake's way in and out.
contract WorkerRegistryTest is MarketFixture {
    /// @dev `workers(addr)` as a struct, so tests can compare fields by name.
    struct WorkerView {
        uint96 stake;
        uint96 locked;
        uint16 gpuCount;
        uint32 vramMiB;
        bool registered;
        bool available;
    }

    uint40 internal unbondingPeriod;

    function setUp() public override {
        super.setUp();
        unbondingPeriod = uint40(registry.UNBONDING_PERIOD());
    }

    // ---- register ----

    function test_register_storesClaimAndStake() public {
        uint256 registryBefore = address(registry).balance;

        _register(worker, 1 ether);

        WorkerView memory w = _worker(worker);
        assertEq(w.stake, 1 ether, "stake");
        assertEq(w.locked, 0, "locked");
        assertEq(w.gpuCount, 2, "gpuCount");
        assertEq(w.vramMiB, 81_920, "vramMiB");
        assertTrue(w.registered, "registered");
        assertTrue(w.available, "available at once");
        assertEq(registry.gpuModelOf(worker), H100, "gpu model");
        (uint96 unbondingAmount, uint40 unlockAt) = registry.unbonding(worker);
        assertEq(unbondingAmount, 0, "nothing unbonding");
        assertEq(unlockAt, 0, "no unlock time");
        assertEq(address(registry).balance, registryBefore + 1 ether, "stake held by the registry");
        assertEq(address(market).balance, 0, "no stake in the market");
    }

    function test_register_emitsWorkerRegistered() public {
        HardwareClaim memory claim = _hardware();

        _registerEmitting(claim, 1 ether);
    }

    function test_register_withoutStake() public {
        _registerEmitting(_hardware(), 0);

        WorkerView memory w = _worker(worker);
        assertTrue(w.registered, "registered");
        assertEq(w.stake, 0, "no stake");
    }

    function test_register_cpuOnlyWorker() public {
        HardwareClaim memory claim = _cpuOnlyHardware();

        _registerEmitting(claim, 1 ether);

        WorkerView memory w = _worker(worker);
        assertTrue(w.registered, "registered");
        assertEq(w.gpuCount, 0, "no GPUs");
        assertEq(w.vramMiB, 0, "no VRAM");
        assertEq(registry.gpuModelOf(worker), bytes32(0), "no GPU model");

        // A CPU-only worker can take a job that asks for no GPU.
        JobParams memory p = _params(JobMode.Claim);
        p.minGpuCount = 0;
        p.minVramMiB = 0;
        (bytes32 jobId, JobTerms memory t) = _post(p);
        vm.prank(worker);
        market.claimJob(t);
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Assigned), "cpu job assigned");
    }

    function test_register_acceptsMetadataURIAtLimit() public {
        HardwareClaim memory claim = _hardware();
        claim.metadataURI = string(new bytes(1024));

        vm.prank(worker);
        registry.register(claim);

        assertTrue(_worker(worker).registered, "registered");
    }

    function test_register_revertsIfMetadataURITooLong() public {
        HardwareClaim memory claim = _hardware();
        claim.metadataURI = string(new bytes(1025));

        vm.expectRevert(abi.encodeWithSelector(TextTooLong.selector, 1025, 1024));
        vm.prank(worker);
        registry.register{value: 1 ether}(claim);
    }

    function test_register_revertsIfAlreadyRegistered() public {
        _register(worker, 1 ether);

        vm.expectRevert(abi.encodeWithSelector(AlreadyRegistered.selector, worker));
        vm.prank(worker);
        registry.register{value: 1 ether}(_hardware());
    }

    function test_register_afterDeregisterStartsAfresh() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.setAvailability(false);
        vm.prank(worker);
        registry.deregister();

        HardwareClaim memory claim = _hardware();
        claim.gpuModel = bytes32("NVIDIA A100 40GB");
        claim.gpuCount = 1;
        claim.vramMiB = 40_960;

        _registerEmitting(claim, 0.5 ether);

        WorkerView memory w = _worker(worker);
        assertTrue(w.registered, "registered again");
        assertTrue(w.available, "available again");
        assertEq(w.stake, 0.5 ether, "only the new stake is active");
        assertEq(w.gpuCount, 1, "new gpuCount");
        assertEq(w.vramMiB, 40_960, "new vramMiB");
        assertEq(registry.gpuModelOf(worker), bytes32("NVIDIA A100 40GB"), "new model");
        (uint96 unbondingAmount, uint40 unlockAt) = registry.unbonding(worker);
        assertEq(unbondingAmount, 1 ether, "old stake keeps unbonding");
        assertEq(unlockAt, START + unbondingPeriod, "old cooldown kept");
    }

    // ---- updateClaim ----

    function test_updateClaim_replacesClaim() public {
        _register(worker, 1 ether);
        HardwareClaim memory claim = _hardware();
        claim.gpuModel = bytes32("NVIDIA L4");
        claim.gpuCount = 8;
        claim.vramMiB = 24_576;
        claim.metadataURI = "ipfs://new-metadata";

        vm.expectEmit(true, true, true, true, address(registry));
        emit WorkerClaimUpdated(worker, claim);
        vm.prank(worker);
        registry.updateClaim(claim);

        WorkerView memory w = _worker(worker);
        assertEq(w.gpuCount, 8, "gpuCount");
        assertEq(w.vramMiB, 24_576, "vramMiB");
        assertEq(registry.gpuModelOf(worker), bytes32("NVIDIA L4"), "gpu model");
        assertEq(w.stake, 1 ether, "stake untouched");
        assertTrue(w.registered, "still registered");
        assertTrue(w.available, "availability untouched");
    }

    function test_updateClaim_clearsGpuModel() public {
        _register(worker, 1 ether);
        HardwareClaim memory claim = _cpuOnlyHardware();

        vm.prank(worker);
        registry.updateClaim(claim);

        assertEq(registry.gpuModelOf(worker), bytes32(0), "model cleared");
        assertEq(_worker(worker).gpuCount, 0, "gpuCount cleared");
    }

    function test_updateClaim_keepsLockedCollateral() public {
        _assigned();

        vm.prank(worker);
        registry.updateClaim(_hardware());

        assertEq(_worker(worker).locked, 0.1 ether, "collateral still locked");
    }

    function test_updateClaim_revertsIfNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        vm.prank(stranger);
        registry.updateClaim(_hardware());
    }

    function test_updateClaim_revertsIfMetadataURITooLong() public {
        _register(worker, 1 ether);
        HardwareClaim memory claim = _hardware();
        claim.metadataURI = string(new bytes(2048));

        vm.expectRevert(abi.encodeWithSelector(TextTooLong.selector, 2048, 1024));
        vm.prank(worker);
        registry.updateClaim(claim);
    }

    // ---- setAvailability ----

    function test_setAvailability_closesAndReopens() public {
        _register(worker, 1 ether);

        vm.expectEmit(true, true, true, true, address(registry));
        emit WorkerAvailabilitySet(worker, false);
        vm.prank(worker);
        registry.setAvailability(false);
        assertFalse(_worker(worker).available, "closed");

        vm.expectEmit(true, true, true, true, address(registry));
        emit WorkerAvailabilitySet(worker, true);
        vm.prank(worker);
        registry.setAvailability(true);
        assertTrue(_worker(worker).available, "reopened");
    }

    function test_setAvailability_blocksNewJobs() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.setAvailability(false);
        (, JobTerms memory t) = _post(_params(JobMode.Claim));

        vm.expectRevert(abi.encodeWithSelector(WorkerUnavailable.selector, worker));
        vm.prank(worker);
        market.claimJob(t);
    }

    function test_setAvailability_leavesHeldJobsAlone() public {
        (bytes32 jobId, JobTerms memory t) = _assigned();
        vm.prank(worker);
        registry.setAvailability(false);

        vm.prank(worker);
        market.submitResult(t, keccak256("result"), "ipfs://result");
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Submitted), "held job goes on");
    }

    function test_setAvailability_revertsIfNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        vm.prank(stranger);
        registry.setAvailability(true);
    }

    // ---- addStake ----

    function test_addStake_increasesStake() public {
        _register(worker, 1 ether);

        vm.expectEmit(true, true, true, true, address(registry));
        emit StakeAdded(worker, 0.25 ether, 1.25 ether);
        vm.prank(worker);
        registry.addStake{value: 0.25 ether}();

        assertEq(_worker(worker).stake, 1.25 ether, "stake");
        assertEq(address(registry).balance, 1.25 ether, "the registry holds the stake");
    }

    function test_addStake_whileCollateralLocked() public {
        _assigned();

        vm.prank(worker);
        registry.addStake{value: 1 ether}();

        WorkerView memory w = _worker(worker);
        assertEq(w.stake, 2 ether, "stake");
        assertEq(w.locked, 0.1 ether, "lock unchanged");
    }

    function test_addStake_revertsIfNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        vm.prank(stranger);
        registry.addStake{value: 1 ether}();
    }

    // ---- requestUnstake ----

    function test_requestUnstake_movesStakeToUnbonding() public {
        _register(worker, 1 ether);
        uint40 unlockAt = uint40(START) + unbondingPeriod;

        vm.expectEmit(true, true, true, true, address(registry));
        emit UnstakeRequested(worker, 0.4 ether, 0.6 ether, 0.4 ether, unlockAt);
        vm.prank(worker);
        registry.requestUnstake(0.4 ether);

        assertEq(_worker(worker).stake, 0.6 ether, "stake");
        (uint96 amount, uint40 at) = registry.unbonding(worker);
        assertEq(amount, 0.4 ether, "unbonding");
        assertEq(at, unlockAt, "unlockAt");
        assertEq(address(registry).balance, 1 ether, "nothing paid out yet");
    }

    function test_requestUnstake_wholeFreeStake() public {
        _register(worker, 1 ether);

        vm.prank(worker);
        registry.requestUnstake(1 ether);

        WorkerView memory w = _worker(worker);
        assertEq(w.stake, 0, "no stake left");
        assertTrue(w.registered, "still registered");
    }

    function test_requestUnstake_addsToPendingAndRestartsCooldown() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.requestUnstake(0.3 ether);

        vm.warp(START + 1 days);
        uint40 unlockAt = uint40(START + 1 days) + unbondingPeriod;
        vm.expectEmit(true, true, true, true, address(registry));
        emit UnstakeRequested(worker, 0.2 ether, 0.5 ether, 0.5 ether, unlockAt);
        vm.prank(worker);
        registry.requestUnstake(0.2 ether);

        (uint96 amount, uint40 at) = registry.unbonding(worker);
        assertEq(amount, 0.5 ether, "amounts add up");
        assertEq(at, unlockAt, "cooldown restarted");
    }

    function test_requestUnstake_freeStakeWhileCollateralLocked() public {
        _assigned();

        vm.prank(worker);
        registry.requestUnstake(0.9 ether);

        WorkerView memory w = _worker(worker);
        assertEq(w.stake, 0.1 ether, "only the locked collateral stays");
        assertEq(w.locked, 0.1 ether, "locked");
    }

    function test_requestUnstake_revertsIfBeyondFreeStake() public {
        _assigned();

        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0.9 ether, 0.9 ether + 1));
        vm.prank(worker);
        registry.requestUnstake(0.9 ether + 1);
    }

    function test_requestUnstake_revertsIfZero() public {
        _register(worker, 1 ether);

        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 1 ether, 0));
        vm.prank(worker);
        registry.requestUnstake(0);
    }

    function test_requestUnstake_revertsIfNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        vm.prank(stranger);
        registry.requestUnstake(1);
    }

    function test_requestUnstake_allowedAgainOnceCollateralUnlocked() public {
        (, JobTerms memory t) = _submitted();
        vm.prank(client);
        market.release(t);

        vm.prank(worker);
        registry.requestUnstake(1 ether);

        WorkerView memory w = _worker(worker);
        assertEq(w.locked, 0, "collateral unlocked");
        assertEq(w.stake, 0, "all stake unbonding");
    }

    function test_requestUnstake_limitedToStakeLeftAfterSlash() public {
        (, JobTerms memory t) = _assigned();
        vm.warp(block.timestamp + t.executionTimeout + 1);
        market.reclaim(t);
        assertEq(_worker(worker).stake, 0.9 ether, "collateral slashed");

        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0.9 ether, 1 ether));
        vm.prank(worker);
        registry.requestUnstake(1 ether);
    }

    // ---- withdrawStake ----

    function test_withdrawStake_paysAtUnlockTime() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.requestUnstake(0.4 ether);
        (, uint40 unlockAt) = registry.unbonding(worker);
        vm.warp(unlockAt);
        uint256 balanceBefore = worker.balance;

        vm.expectEmit(true, true, true, true, address(registry));
        emit StakeWithdrawn(worker, worker, 0.4 ether);
        vm.prank(worker);
        registry.withdrawStake(worker);

        assertEq(worker.balance, balanceBefore + 0.4 ether, "paid");
        (uint96 amount, uint40 at) = registry.unbonding(worker);
        assertEq(amount, 0, "unbonding cleared");
        assertEq(at, 0, "unlockAt cleared");
        assertEq(_worker(worker).stake, 0.6 ether, "remaining stake untouched");
        assertEq(address(registry).balance, 0.6 ether, "the registry keeps the rest");
    }

    function test_withdrawStake_revertsOneSecondBeforeUnlock() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.requestUnstake(0.4 ether);
        (, uint40 unlockAt) = registry.unbonding(worker);
        vm.warp(unlockAt - 1);

        vm.expectRevert(abi.encodeWithSelector(UnbondingNotReady.selector, worker, 0.4 ether, unlockAt));
        vm.prank(worker);
        registry.withdrawStake(worker);
    }

    function test_withdrawStake_toAnotherAddress() public {
        _unbondedWholeStake();
        address payee = makeAddr("payee");
        uint256 workerBefore = worker.balance;

        vm.expectEmit(true, true, true, true, address(registry));
        emit StakeWithdrawn(worker, payee, 1 ether);
        vm.prank(worker);
        registry.withdrawStake(payee);

        assertEq(payee.balance, 1 ether, "payee paid");
        assertEq(worker.balance, workerBefore, "worker not paid");
    }

    function test_withdrawStake_afterDeregister() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.deregister();
        vm.warp(START + unbondingPeriod);
        uint256 balanceBefore = worker.balance;

        vm.prank(worker);
        registry.withdrawStake(worker);

        assertEq(worker.balance, balanceBefore + 1 ether, "whole stake back");
        assertEq(address(registry).balance, 0, "registry empty");
    }

    function test_withdrawStake_revertsIfNothingUnbonding() public {
        _register(worker, 1 ether);

        vm.expectRevert(abi.encodeWithSelector(UnbondingNotReady.selector, worker, 0, 0));
        vm.prank(worker);
        registry.withdrawStake(worker);
    }

    function test_withdrawStake_revertsIfWithdrawnAlready() public {
        _unbondedWholeStake();
        vm.prank(worker);
        registry.withdrawStake(worker);

        vm.expectRevert(abi.encodeWithSelector(UnbondingNotReady.selector, worker, 0, 0));
        vm.prank(worker);
        registry.withdrawStake(worker);
    }

    function test_withdrawStake_revertsIfZeroAddress() public {
        _unbondedWholeStake();

        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        vm.prank(worker);
        registry.withdrawStake(address(0));
    }

    function test_withdrawStake_revertsIfRecipientRejectsEth() public {
        _unbondedWholeStake();
        address rejecter = address(new RevertingReceiver());

        vm.expectRevert(abi.encodeWithSelector(EthTransferFailed.selector, rejecter, 1 ether));
        vm.prank(worker);
        registry.withdrawStake(rejecter);

        (uint96 amount,) = registry.unbonding(worker);
        assertEq(amount, 1 ether, "stake still unbonding, can go elsewhere");
    }

    // ---- deregister ----

    function test_deregister_unbondsWholeStake() public {
        _register(worker, 1 ether);
        uint40 unlockAt = uint40(START) + unbondingPeriod;

        vm.expectEmit(true, true, true, true, address(registry));
        emit WorkerDeregistered(worker, 1 ether, unlockAt);
        vm.prank(worker);
        registry.deregister();

        WorkerView memory w = _worker(worker);
        assertFalse(w.registered, "not registered");
        assertFalse(w.available, "not available");
        assertEq(w.stake, 0, "no stake");
        assertEq(w.gpuCount, 0, "claim cleared");
        assertEq(registry.gpuModelOf(worker), bytes32(0), "model cleared");
        (uint96 amount, uint40 at) = registry.unbonding(worker);
        assertEq(amount, 1 ether, "all stake unbonding");
        assertEq(at, unlockAt, "unlockAt");
    }

    function test_deregister_addsToPendingUnbonding() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.requestUnstake(0.3 ether);
        vm.warp(START + 1 days);
        uint40 unlockAt = uint40(START + 1 days) + unbondingPeriod;

        vm.expectEmit(true, true, true, true, address(registry));
        emit WorkerDeregistered(worker, 1 ether, unlockAt);
        vm.prank(worker);
        registry.deregister();

        (uint96 amount, uint40 at) = registry.unbonding(worker);
        assertEq(amount, 1 ether, "pending and remaining stake together");
        assertEq(at, unlockAt, "cooldown restarted");
    }

    function test_deregister_blocksWorkerCalls() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.deregister();

        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, worker));
        vm.prank(worker);
        registry.addStake{value: 1 ether}();

        (, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, worker));
        vm.prank(worker);
        market.claimJob(t);
    }

    function test_deregister_revertsIfStakeLocked() public {
        _assigned();

        vm.expectRevert(abi.encodeWithSelector(StakeLocked.selector, worker, 0.1 ether));
        vm.prank(worker);
        registry.deregister();
    }

    function test_deregister_allowedOnceJobClosed() public {
        (, JobTerms memory t) = _submitted();
        vm.prank(client);
        market.release(t);

        vm.prank(worker);
        registry.deregister();

        (uint96 amount,) = registry.unbonding(worker);
        assertEq(amount, 1 ether, "whole stake unbonding");
        assertFalse(_worker(worker).registered, "left");
    }

    function test_deregister_revertsIfNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        vm.prank(stranger);
        registry.deregister();
    }

    function test_deregister_revertsIfDeregisteredAlready() public {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.deregister();

        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, worker));
        vm.prank(worker);
        registry.deregister();
    }

    // ---- helpers ----

    /// @dev `worker` registers `claim` with `stake`, and the registry emits WorkerRegistered for it.
    function _registerEmitting(HardwareClaim memory claim, uint96 stake) internal {
        vm.expectEmit(true, true, true, true, address(registry));
        emit WorkerRegistered(worker, claim, stake);
        vm.prank(worker);
        registry.register{value: stake}(claim);
    }

    /// @dev `_hardware()` without a GPU.
    function _cpuOnlyHardware() internal pure returns (HardwareClaim memory claim) {
        claim = _hardware();
        claim.gpuModel = bytes32(0);
        claim.gpuCount = 0;
        claim.vramMiB = 0;
    }

    /// @dev `worker` registers with 1 ETH, asks for all of it back and waits out the unbonding period.
    function _unbondedWholeStake() internal {
        _register(worker, 1 ether);
        vm.prank(worker);
        registry.requestUnstake(1 ether);
        vm.warp(START + unbondingPeriod);
    }

    function _worker(address who) internal view returns (WorkerView memory w) {
        (w.stake, w.locked, w.gpuCount, w.vramMiB, w.registered, w.available) = registry.workers(who);
    }
}
