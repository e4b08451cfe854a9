// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

contract SubmitResultTest is MarketFixture {
    function _submit(address who, JobTerms memory t, bytes32 resultHash, string memory uri) internal {
        vm.prank(who);
        market.submitResult(t, resultHash, uri);
    }

    function test_submitResult_startsChallengeWindow() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(START + 1 hours);
        _submit(worker, t, RESULT_HASH, RESULT_URI);

        _assertJob(jobId, worker, JobStatus.Submitted, CloseReason.None, START + 1 hours + 1 days);
        _assertStake(worker, 1 ether, 0.1 ether);
        _assertCredits(address(0), 0, 0, 0);
    }

    function test_submitResult_emitsResultSubmitted() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(START + 1 hours);
        vm.expectEmit(true, true, true, true, address(market));
        emit ResultSubmitted(jobId, worker, RESULT_HASH, RESULT_URI, uint40(START + 1 hours + 1 days));
        _submit(worker, t, RESULT_HASH, RESULT_URI);
    }

    function test_submitResult_forAcceptedBid() public {
        (bytes32 jobId, JobTerms memory t) = _acceptedWith(_usdcParams(JobMode.Auction), 600e6);
        vm.expectEmit(true, true, true, true, address(market));
        emit ResultSubmitted(jobId, worker, RESULT_HASH, RESULT_URI, uint40(START + 1 days));
        _submit(worker, t, RESULT_HASH, RESULT_URI);
        _assertJob(jobId, worker, JobStatus.Submitted, CloseReason.None, START + 1 days);
    }

    function test_submitResult_worksAtExecutionDeadline() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(START + 2 hours);
        _submit(worker, t, RESULT_HASH, RESULT_URI);
        _assertJob(jobId, worker, JobStatus.Submitted, CloseReason.None, START + 2 hours + 1 days);
    }

    function test_submitResult_withoutChallengeWindowEndsItAtOnce() public {
        JobParams memory p = _params(JobMode.Claim);
        p.challengeWindow = 0;
        (bytes32 jobId, JobTerms memory t) = _claimedWith(p);
        _submit(worker, t, RESULT_HASH, "");
        _assertJob(jobId, worker, JobStatus.Submitted, CloseReason.None, START);
    }

    function test_submitResult_acceptsUriOfMaxLength() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        string memory uri = string(new bytes(1024));
        vm.expectEmit(true, true, true, true, address(market));
        emit ResultSubmitted(jobId, worker, RESULT_HASH, uri, uint40(START + 1 days));
        _submit(worker, t, RESULT_HASH, uri);
    }

    function test_submitResult_revertsIfJobNotFound() public {
        (, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        t.salt = 1;
        _expectJobNotFound(t);
        _submit(worker, t, RESULT_HASH, RESULT_URI);
    }

    function test_submitResult_revertsIfOpen() public {
        _register(worker, 1 ether);
        (bytes32 jobId, JobTerms memory t) = _post(_params(JobMode.Claim));
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Open);
        _submit(worker, t, RESULT_HASH, RESULT_URI);
    }

    function test_submitResult_revertsIfSubmittedAlready() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _submitFor(t);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Submitted);
        _submit(worker, t, keccak256("another result"), RESULT_URI);
    }

    function test_submitResult_revertsIfDisputed() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _submitFor(t);
        _disputeFor(t);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Disputed);
        _submit(worker, t, RESULT_HASH, RESULT_URI);
    }

    function test_submitResult_revertsIfClosed() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(START + 2 hours + 1);
        market.reclaim(t);
        _expectUnexpectedStatus(jobId, JobStatus.Assigned, JobStatus.Closed);
        _submit(worker, t, RESULT_HASH, RESULT_URI);
    }

    function test_submitResult_revertsIfNotAssignedWorker() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        _register(worker2, 1 ether);
        vm.expectRevert(abi.encodeWithSelector(NotAssignedWorker.selector, jobId, worker2));
        _submit(worker2, t, RESULT_HASH, RESULT_URI);
        vm.expectRevert(abi.encodeWithSelector(NotAssignedWorker.selector, jobId, client));
        _submit(client, t, RESULT_HASH, RESULT_URI);
    }

    function test_submitResult_revertsIfDeadlinePassed() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.warp(START + 2 hours + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, START + 2 hours, START + 2 hours + 1));
        _submit(worker, t, RESULT_HASH, RESULT_URI);
    }

    function test_submitResult_revertsIfZeroResultHash() public {
        (bytes32 jobId, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(ZeroResultHash.selector, jobId));
        _submit(worker, t, bytes32(0), RESULT_URI);
    }

    function test_submitResult_revertsIfUriTooLong() public {
        (, JobTerms memory t) = _claimedWith(_params(JobMode.Claim));
        vm.expectRevert(abi.encodeWithSelector(TextTooLong.selector, 1025, 1024));
        _submit(worker, t, RESULT_HASH, string(new bytes(1025)));
    }
}
