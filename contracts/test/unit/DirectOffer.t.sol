// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @dev Direct offers: a job offered to one named worker, who alone may claim it.
contract DirectOfferTest is MarketFixture {
    function _direct(address to) internal view returns (JobParams memory p) {
        p = _params(JobMode.Direct);
        p.offeredTo = to;
    }

    function test_postJob_directNamesItsWorkerInTheTerms() public {
        JobParams memory p = _direct(worker2);
        JobTerms memory t = _terms(p, client, spec);
        bytes32 jobId = keccak256(abi.encode(t));
        vm.expectEmit(address(market));
        emit JobPosted(jobId, client, address(0), t, spec);
        vm.prank(client);
        market.postJob{value: p.budget}(p, spec);
        assertEq(t.offeredTo, worker2);
        assertEq(market.jobIdOf(t), jobId);
    }

    function test_postJob_revertsIfDirectNamesNoWorker() public {
        JobParams memory p = _direct(address(0));
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(InvalidOffer.selector, JobMode.Direct, address(0)));
        market.postJob{value: p.budget}(p, spec);
    }

    function test_postJob_revertsIfAnotherModeNamesAWorker() public {
        JobParams memory claim = _params(JobMode.Claim);
        claim.offeredTo = worker;
        JobParams memory auction = _params(JobMode.Auction);
        auction.offeredTo = worker;
        vm.startPrank(client);
        vm.expectRevert(abi.encodeWithSelector(InvalidOffer.selector, JobMode.Claim, worker));
        market.postJob{value: claim.budget}(claim, spec);
        vm.expectRevert(abi.encodeWithSelector(InvalidOffer.selector, JobMode.Auction, worker));
        market.postJob{value: auction.budget}(auction, spec);
        vm.stopPrank();
    }

    function test_claimJob_theOfferedWorkerTakesItAtTheBudget() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_direct(worker));
        vm.expectEmit(address(market));
        emit JobAssigned(jobId, worker, 1 ether, 0, 0.1 ether, uint40(block.timestamp + t.executionTimeout));
        vm.prank(worker);
        market.claimJob(t);
        _assertJob(jobId, worker, JobStatus.Assigned, CloseReason.None, block.timestamp + t.executionTimeout);
        _assertStake(worker, 1 ether, 0.1 ether);

        _submitFor(t);
        vm.prank(client);
        market.release(t);
        _assertCredits(address(0), 0, 0.99 ether, 0.01 ether); // the full budget, less the 1% fee
    }

    function test_claimJob_revertsForAnyOtherWorker() public {
        _register(worker, 1 ether);
        _register(worker2, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_direct(worker2));
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(NotOfferedWorker.selector, jobId, worker));
        market.claimJob(t);
        assertTrue(_status(jobId) == JobStatus.Open, "still offered");
    }

    function test_claimJob_theOfferedWorkerMustStillBeEligible() public {
        (, JobTerms memory t) = _post(_direct(worker));
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(NotRegistered.selector, worker));
        market.claimJob(t);
    }

    function test_claimJob_revertsOneSecondAfterOpenUntil() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_direct(worker));
        vm.warp(uint256(t.openUntil) + 1);
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, t.openUntil, block.timestamp));
        market.claimJob(t);
    }

    function test_placeBid_revertsOnADirectOffer() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_direct(worker));
        vm.prank(worker);
        vm.expectRevert(abi.encodeWithSelector(WrongMode.selector, jobId, JobMode.Direct));
        market.placeBid(t, 0.5 ether);
    }

    function test_expire_refundsAnOfferNobodyTook() public {
        (bytes32 jobId, JobTerms memory t) = _post(_direct(worker));
        vm.warp(t.openUntil);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, t.openUntil, block.timestamp));
        market.expire(t);
        vm.warp(uint256(t.openUntil) + 1);
        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Expired, address(0), 0, 0, 1 ether, 0);
        vm.prank(stranger);
        market.expire(t);
        _assertCredits(address(0), 1 ether, 0, 0);
    }

    function test_cancelJob_theClientWithdrawsItsOffer() public {
        (bytes32 jobId, JobTerms memory t) = _post(_direct(worker));
        vm.prank(client);
        market.cancelJob(t);
        _assertJob(jobId, address(0), JobStatus.Closed, CloseReason.Cancelled, 0);
        _assertCredits(address(0), 1 ether, 0, 0);
    }
}
