// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

contract ClaimJobTest is MarketFixture {
    function _claim(address who, JobTerms memory t) internal {
        vm.prank(who);
        market.claimJob(t);
    }

    /// @dev An open claim job with `p`; `worker` registered with 1 ETH.
    function _open(JobParams memory p) internal returns (bytes32 jobId, JobTerms memory t) {
        _register(worker, 1 ether);
        (jobId, t) = _post(p);
    }

    /// @dev Posts `p`; `worker`'s claim on it fails for want of the hardware it asks for.
    function _expectClaimRefused(JobParams memory p) internal {
        (bytes32 jobId, JobTerms memory t) = _open(p);
        vm.expectRevert(abi.encodeWithSelector(RequirementsNotMet.selector, jobId, worker));
        _claim(worker, t);
    }

    function test_claimJob_assignsWorkerAtBudget() public {
        (bytes32 jobId, JobTerms memory t) = _open(_params(JobMode.Claim));
        _claim(worker, t);

        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, START + 2 hours);
        _assertStake(worker, 1 ether, 0.1 ether);
        _assertCredits(address(0), 0, 0, 0);
        assertEq(market.bids(jobId, worker), 0, "claim mode stores no bid");
    }

    function test_claimJob_emitsJobAssigned() public {
        (bytes32 jobId, JobTerms memory t) = _open(_params(JobMode.Claim));
        vm.warp(START + 30 minutes);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobAssigned(jobId, worker, 1 ether, 0, 0.1 ether, uint40(START + 30 minutes + 2 hours));
        _claim(worker, t);
    }

    function test_claimJob_locksEthCollateralForUsdcJob() public {
        (bytes32 jobId, JobTerms memory t) = _open(_usdcParams(JobMode.Claim));
        vm.expectEmit(true, true, true, true, address(market));
        emit JobAssigned(jobId, worker, 1_000e6, 0, 0.1 ether, uint40(START + 2 hours));
        _claim(worker, t);

        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, START + 2 hours);
        _assertStake(worker, 1 ether, 0.1 ether);
        _assertCredits(address(usdc), 0, 0, 0);
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_claimJob_worksAtOpenUntil() public {
        (bytes32 jobId, JobTerms memory t) = _open(_params(JobMode.Claim));
        vm.warp(t.openUntil);
        _claim(worker, t);
        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, uint256(t.openUntil) + 2 hours);
    }

    function test_claimJob_withoutCollateralLocksNothing() public {
        JobParams memory p = _params(JobMode.Claim);
        p.collateral = 0;
        (bytes32 jobId, JobTerms memory t) = _open(p);
        vm.expectEmit(true, true, true, true, address(market));
        emit JobAssigned(jobId, worker, 1 ether, 0, 0, uint40(START + 2 hours));
        _claim(worker, t);
        _assertStake(worker, 1 ether, 0);
    }

    function test_claimJob_acceptsFreeStakeEqualToCollateral() public {
        _register(worker, 0.1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _claim(worker, t);
        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, START + 2 hours);
        _assertStake(worker, 0.1 ether, 0.1 ether);
    }

    function test_claimJob_locksCollateralPerJob() public {
        JobParams memory p = _params(JobMode.Claim);
        (, JobTerms memory first) = _open(p);
        p.salt = 1;
        (, JobTerms memory second) = _post(p);
        _claim(worker, first);
        _claim(worker, second);
        _assertStake(worker, 1 ether, 0.2 ether);
    }

    function test_claimJob_acceptsMatchingRequirements() public {
        JobParams memory p = _params(JobMode.Claim);
        p.minGpuCount = 2;
        p.minVramMiB = 81_920;
        p.gpuModel = H100;
        (bytes32 jobId, JobTerms memory t) = _open(p);
        _claim(worker, t);
        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, START + 2 hours);
    }

    function test_claimJob_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _open(_params(JobMode.Claim));
        t.salt = 1;
        _expectJobNotFound(t);
        _claim(worker, t);
    }

    function test_claimJob_revertsIfWrongMode() public {
        (bytes32 jobId, JobTerms memory t) = _open(_params(JobMode.Auction));
        vm.expectRevert(abi.encodeWithSelector(WrongMode.selector, jobId, JobMode.Auction));
        _claim(worker, t);
    }

    function test_claimJob_revertsIfAlreadyClaimed() public {
        (bytes32 jobId, JobTerms memory t) = _open(_params(JobMode.Claim));
        _register(worker2, 1 ether);
        _claim(worker, t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Assigned);
        _claim(worker2, t);
    }

    function test_claimJob_revertsIfSubmitted() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _submitFor(t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Submitted);
        _claim(worker, t);
    }

    function test_claimJob_revertsIfClosed() public {
        (bytes32 jobId, JobTerms memory t) = _open(_params(JobMode.Claim));
        vm.prank(client);
        market.cancelJob(t);
        _expectUnexpectedStatus(jobId, JobStatus.Open, JobStatus.Closed);
        _claim(worker, t);
    }

    function test_claimJob_revertsIfDeadlinePassed() public {
        (bytes32 jobId, JobTerms memory t) = _open(_params(JobMode.Claim));
        vm.warp(uint256(t.openUntil) + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, t.openUntil, uint256(t.openUntil) + 1));
        _claim(worker, t);
    }

    function test_claimJob_revertsIfNotRegistered() public {
        (, JobTerms memory t) = _open(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, stranger));
        _claim(stranger, t);
    }

    function test_claimJob_revertsIfWorkerUnavailable() public {
        (, JobTerms memory t) = _open(_params(JobMode.Claim));
        vm.prank(worker);
        registry.setAvailability(false);
        vm.expectRevert(abi.encodeWithSelector(WorkerUnavailable.selector, worker));
        _claim(worker, t);
    }

    function test_claimJob_revertsIfTooFewGpus() public {
        JobParams memory p = _params(JobMode.Claim);
        p.minGpuCount = 3;
        _expectClaimRefused(p);
    }

    function test_claimJob_revertsIfTooLittleVram() public {
        JobParams memory p = _params(JobMode.Claim);
        p.minVramMiB = 81_921;
        _expectClaimRefused(p);
    }

    function test_claimJob_revertsIfWrongGpuModel() public {
        JobParams memory p = _params(JobMode.Claim);
        p.gpuModel = bytes32("NVIDIA A100-SXM4-80GB");
        _expectClaimRefused(p);
    }

    function test_claimJob_revertsIfInsufficientFreeStake() public {
        _register(worker, 0.1 ether - 1);
        (, JobTerms memory t) = _post(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0.1 ether - 1, 0.1 ether));
        _claim(worker, t);
    }

    function test_claimJob_revertsIfStakeLockedInAnotherJob() public {
        JobParams memory p = _params(JobMode.Claim);
        _register(worker, 0.15 ether);
        (, JobTerms memory first) = _post(p);
        p.salt = 1;
        (, JobTerms memory second) = _post(p);
        _claim(worker, first);
        vm.expectRevert(abi.encodeWithSelector(InsufficientFreeStake.selector, worker, 0.05 ether, 0.1 ether));
        _claim(worker, second);
    }
}
