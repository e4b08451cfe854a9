// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {CloseReason, JobMode, JobParams, JobStatus, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice The one-second boundaries of every deadline, with fuzzed durations. A step that must
/// happen "by" a deadline works at the deadline and reverts one second later; the step that takes
/// over after it reverts at the deadline and works one second later, so no second belongs to both
/// or to neither.
/// @dev Where the late call is tried first, it reverted and changed nothing, so the test can warp
/// back to the deadline itself and show that the call goes through there.
contract DeadlinesFuzzTest is MarketFixture {
    uint256 internal constant MAX_OPEN_PERIOD = 90 days;
    uint256 internal constant MAX_EXECUTION_TIMEOUT = 30 days;
    uint256 internal constant MAX_CHALLENGE_WINDOW = 30 days;
    uint256 internal constant ACCEPT_WINDOW = 1 days;
    uint256 internal constant ARBITRATION_PERIOD = 7 days;
    uint256 internal constant UNBONDING_PERIOD = 2 days;

    function setUp() public override {
        super.setUp();
        _register(worker, 10 ether);
    }

    // ---- open period: claimJob, placeBid, acceptBid, expire ----

    function testFuzz_claimJob_closesAfterOpenUntil(uint256 openPeriod) public {
        (bytes32 jobId, JobTerms memory t) = _postTimed(JobMode.Claim, openPeriod, 1, 0);

        vm.warp(t.openUntil + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, t.openUntil, t.openUntil + 1));
        vm.prank(worker);
        market.claimJob(t);

        vm.warp(t.openUntil);
        vm.prank(worker);
        market.claimJob(t);
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Assigned), "claimable at openUntil");
    }

    function testFuzz_placeBid_closesAfterOpenUntil(uint256 openPeriod) public {
        (bytes32 jobId, JobTerms memory t) = _postTimed(JobMode.Auction, openPeriod, 1, 0);

        vm.warp(t.openUntil + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, t.openUntil, t.openUntil + 1));
        vm.prank(worker);
        market.placeBid(t, t.budget);

        vm.warp(t.openUntil);
        vm.prank(worker);
        market.placeBid(t, t.budget);
        assertEq(market.bids(jobId, worker), t.budget, "biddable at openUntil");
    }

    function testFuzz_acceptBid_closesAfterAcceptWindow(uint256 openPeriod, uint256 bidDelay) public {
        (bytes32 jobId, JobTerms memory t) = _postTimed(JobMode.Auction, openPeriod, 1, 0);
        vm.warp(_bound(bidDelay, block.timestamp, t.openUntil));
        vm.prank(worker);
        market.placeBid(t, t.budget);
        uint256 lastAccept = t.openUntil + ACCEPT_WINDOW;

        vm.warp(lastAccept + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, lastAccept, lastAccept + 1));
        vm.prank(client);
        market.acceptBid(t, worker);

        vm.warp(lastAccept);
        vm.prank(client);
        market.acceptBid(t, worker);
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Assigned), "acceptable at openUntil + ACCEPT_WINDOW");
    }

    function testFuzz_expire_claimJobOpensAfterOpenUntil(uint256 openPeriod) public {
        (bytes32 jobId, JobTerms memory t) = _postTimed(JobMode.Claim, openPeriod, 1, 0);

        vm.warp(t.openUntil);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, t.openUntil, t.openUntil));
        vm.prank(stranger);
        market.expire(t);

        vm.warp(t.openUntil + 1);
        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Expired, address(0), 0, 0, t.budget, 0);
        vm.prank(stranger);
        market.expire(t);
        assertEq(market.credits(address(0), client), t.budget, "budget credited back");
    }

    function testFuzz_expire_auctionOpensAfterAcceptWindow(uint256 openPeriod, uint256 bidDelay) public {
        (bytes32 jobId, JobTerms memory t) = _postTimed(JobMode.Auction, openPeriod, 1, 0);
        // A bid nobody accepted does not keep the job alive.
        vm.warp(_bound(bidDelay, block.timestamp, t.openUntil));
        vm.prank(worker);
        market.placeBid(t, 1);
        uint256 closesAt = t.openUntil + ACCEPT_WINDOW;

        vm.warp(closesAt);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, closesAt, closesAt));
        vm.prank(stranger);
        market.expire(t);

        vm.warp(closesAt + 1);
        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Expired, address(0), 0, 0, t.budget, 0);
        vm.prank(stranger);
        market.expire(t);
        assertEq(market.credits(address(0), client), t.budget, "budget credited back");
    }

    // ---- execution: submitResult, reclaim ----

    function testFuzz_submitResult_closesAfterExecutionDeadline(
        uint256 openPeriod,
        uint256 claimDelay,
        uint256 executionTimeout
    ) public {
        (bytes32 jobId, JobTerms memory t, uint256 deadline) = _assigned(openPeriod, claimDelay, executionTimeout);

        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, deadline, deadline + 1));
        vm.prank(worker);
        market.submitResult(t, RESULT_HASH, RESULT_URI);

        vm.warp(deadline);
        vm.prank(worker);
        market.submitResult(t, RESULT_HASH, RESULT_URI);
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Submitted), "submittable at the execution deadline");
    }

    function testFuzz_reclaim_opensAfterExecutionDeadline(
        uint256 openPeriod,
        uint256 claimDelay,
        uint256 executionTimeout
    ) public {
        (bytes32 jobId, JobTerms memory t, uint256 deadline) = _assigned(openPeriod, claimDelay, executionTimeout);

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, deadline, deadline));
        vm.prank(stranger);
        market.reclaim(t);

        vm.warp(deadline + 1);
        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Reclaimed, worker, 0, 0, t.budget, t.collateral);
        vm.prank(stranger);
        market.reclaim(t);
    }

    // ---- challenge window: dispute, release ----

    function testFuzz_dispute_closesAfterChallengeDeadline(
        uint256 executionTimeout,
        uint256 submitDelay,
        uint256 challengeWindow
    ) public {
        (bytes32 jobId, JobTerms memory t, uint256 deadline) =
            _submitted(executionTimeout, submitDelay, challengeWindow);

        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, deadline, deadline + 1));
        vm.prank(client);
        market.dispute(t, "wrong output");

        vm.warp(deadline);
        vm.prank(client);
        market.dispute(t, "wrong output");
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Disputed), "disputable at the challenge deadline");
    }

    function testFuzz_release_byStrangerOpensAfterChallengeDeadline(
        uint256 executionTimeout,
        uint256 submitDelay,
        uint256 challengeWindow
    ) public {
        (bytes32 jobId, JobTerms memory t, uint256 deadline) =
            _submitted(executionTimeout, submitDelay, challengeWindow);

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, deadline, deadline));
        vm.prank(stranger);
        market.release(t);

        vm.warp(deadline + 1);
        vm.prank(stranger);
        market.release(t);
        _assertCloseReason(jobId, CloseReason.Completed, "anyone releases after the challenge deadline");
    }

    function testFuzz_release_byClientAnyTimeAfterResult(
        uint256 executionTimeout,
        uint256 submitDelay,
        uint256 challengeWindow,
        uint256 releaseAt
    ) public {
        (bytes32 jobId, JobTerms memory t, uint256 deadline) =
            _submitted(executionTimeout, submitDelay, challengeWindow);
        vm.warp(_bound(releaseAt, block.timestamp, deadline + 365 days));

        vm.prank(client);
        market.release(t);
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Closed), "the client needs no deadline to release");
    }

    // ---- arbitration: resolveDispute, settleTimedOutDispute ----

    function testFuzz_resolveDispute_closesAfterArbitrationDeadline(
        uint256 challengeWindow,
        uint256 disputeDelay,
        uint256 workerAmount
    ) public {
        (bytes32 jobId, JobTerms memory t, uint256 deadline) = _disputed(challengeWindow, disputeDelay);
        workerAmount = _bound(workerAmount, 0, t.budget);

        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(DeadlinePassed.selector, jobId, deadline, deadline + 1));
        vm.prank(arbiter);
        market.resolveDispute(t, uint96(workerAmount), 0);

        vm.warp(deadline);
        vm.prank(arbiter);
        market.resolveDispute(t, uint96(workerAmount), 0);
        _assertCloseReason(jobId, CloseReason.DisputeResolved, "the arbiter rules at the deadline");
    }

    function testFuzz_settleTimedOutDispute_opensAfterArbitrationDeadline(uint256 challengeWindow, uint256 disputeDelay)
        public
    {
        (bytes32 jobId, JobTerms memory t, uint256 deadline) = _disputed(challengeWindow, disputeDelay);

        vm.warp(deadline);
        vm.expectRevert(abi.encodeWithSelector(DeadlineNotReached.selector, jobId, deadline, deadline));
        vm.prank(stranger);
        market.settleTimedOutDispute(t);

        vm.warp(deadline + 1);
        vm.prank(stranger);
        market.settleTimedOutDispute(t);
        _assertCloseReason(jobId, CloseReason.ArbitrationTimedOut, "anyone settles after the deadline");
    }

    // ---- unbonding: withdrawStake ----

    function testFuzz_withdrawStake_opensAtUnlockAt(uint256 amount, uint256 requestDelay) public {
        amount = _bound(amount, 1, 10 ether);
        vm.warp(block.timestamp + _bound(requestDelay, 0, 365 days));
        vm.prank(worker);
        registry.requestUnstake(uint96(amount));
        uint256 unlockAt = block.timestamp + UNBONDING_PERIOD;

        _assertWithdrawStakeOpensAt(amount, unlockAt);
    }

    function testFuzz_withdrawStake_afterDeregisterOpensAtUnlockAt(uint256 requestDelay) public {
        vm.warp(block.timestamp + _bound(requestDelay, 0, 365 days));
        vm.prank(worker);
        registry.deregister();
        uint256 unlockAt = block.timestamp + UNBONDING_PERIOD;

        _assertWithdrawStakeOpensAt(10 ether, unlockAt);
    }

    function testFuzz_requestUnstake_restartsCooldown(uint256 first, uint256 second, uint256 gap) public {
        first = _bound(first, 1, 5 ether);
        second = _bound(second, 1, 5 ether);
        vm.prank(worker);
        registry.requestUnstake(uint96(first));
        vm.warp(block.timestamp + _bound(gap, 0, 2 * UNBONDING_PERIOD));
        vm.prank(worker);
        registry.requestUnstake(uint96(second));
        uint256 unlockAt = block.timestamp + UNBONDING_PERIOD;

        _assertWithdrawStakeOpensAt(first + second, unlockAt);
    }

    // ---- posting: the durations themselves ----

    function testFuzz_postJob_acceptsOpenUntilWithinMaxOpenPeriod(uint256 openPeriod) public {
        (bytes32 jobId,) = _postTimed(JobMode.Claim, openPeriod, 1, 0);
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Open));
    }

    function testFuzz_postJob_revertsIfOpenUntilInPast(uint256 openUntil) public {
        JobParams memory p = _params(JobMode.Claim);
        p.openUntil = uint40(_bound(openUntil, 0, block.timestamp - 1));

        _expectPostReverts(p, p.budget, abi.encodeWithSelector(InvalidOpenUntil.selector, p.openUntil, block.timestamp));
    }

    function testFuzz_postJob_revertsIfOpenUntilBeyondMaxOpenPeriod(uint256 openUntil) public {
        JobParams memory p = _params(JobMode.Claim);
        p.openUntil = uint40(_bound(openUntil, block.timestamp + MAX_OPEN_PERIOD + 1, type(uint40).max));

        _expectPostReverts(p, p.budget, abi.encodeWithSelector(InvalidOpenUntil.selector, p.openUntil, block.timestamp));
    }

    function testFuzz_postJob_revertsIfExecutionTimeoutTooLong(uint256 executionTimeout) public {
        JobParams memory p = _params(JobMode.Claim);
        p.executionTimeout = uint32(_bound(executionTimeout, MAX_EXECUTION_TIMEOUT + 1, type(uint32).max));

        _expectPostReverts(p, p.budget, abi.encodeWithSelector(InvalidExecutionTimeout.selector, p.executionTimeout));
    }

    function testFuzz_postJob_revertsIfChallengeWindowTooLong(uint256 challengeWindow) public {
        JobParams memory p = _params(JobMode.Claim);
        p.challengeWindow = uint32(_bound(challengeWindow, MAX_CHALLENGE_WINDOW + 1, type(uint32).max));

        _expectPostReverts(p, p.budget, abi.encodeWithSelector(InvalidChallengeWindow.selector, p.challengeWindow));
    }

    // ---- helpers ----

    /// @dev Posts an ETH job open for `openPeriod` (bounded to the market's limits) with the given durations.
    function _postTimed(JobMode mode, uint256 openPeriod, uint256 executionTimeout, uint256 challengeWindow)
        internal
        returns (bytes32 jobId, JobTerms memory t)
    {
        JobParams memory p = _params(mode);
        p.openUntil = uint40(block.timestamp + _bound(openPeriod, 0, MAX_OPEN_PERIOD));
        p.executionTimeout = uint32(_bound(executionTimeout, 1, MAX_EXECUTION_TIMEOUT));
        p.challengeWindow = uint32(_bound(challengeWindow, 0, MAX_CHALLENGE_WINDOW));
        (jobId, t) = _post(p);
    }

    /// @dev A claim job claimed `claimDelay` into its open period; returns its execution deadline.
    function _assigned(uint256 openPeriod, uint256 claimDelay, uint256 executionTimeout)
        internal
        returns (bytes32 jobId, JobTerms memory t, uint256 deadline)
    {
        (jobId, t) = _postTimed(JobMode.Claim, openPeriod, executionTimeout, 1 days);
        vm.warp(_bound(claimDelay, block.timestamp, t.openUntil));
        vm.prank(worker);
        market.claimJob(t);
        deadline = block.timestamp + t.executionTimeout;
        assertEq(_deadline(jobId), deadline, "execution deadline = claim time + timeout");
    }

    /// @dev A job whose result came `submitDelay` into its execution time; returns its challenge deadline.
    function _submitted(uint256 executionTimeout, uint256 submitDelay, uint256 challengeWindow)
        internal
        returns (bytes32 jobId, JobTerms memory t, uint256 deadline)
    {
        (jobId, t) = _postTimed(JobMode.Claim, 1 hours, executionTimeout, challengeWindow);
        vm.prank(worker);
        market.claimJob(t);
        vm.warp(block.timestamp + _bound(submitDelay, 0, t.executionTimeout));
        vm.prank(worker);
        market.submitResult(t, RESULT_HASH, RESULT_URI);
        deadline = block.timestamp + t.challengeWindow;
        assertEq(_deadline(jobId), deadline, "challenge deadline = result time + window");
    }

    /// @dev A job disputed `disputeDelay` into its challenge window; returns its arbitration deadline.
    function _disputed(uint256 challengeWindow, uint256 disputeDelay)
        internal
        returns (bytes32 jobId, JobTerms memory t, uint256 deadline)
    {
        uint256 challengeDeadline;
        (jobId, t, challengeDeadline) = _submitted(2 hours, 1 hours, challengeWindow);
        vm.warp(_bound(disputeDelay, block.timestamp, challengeDeadline));
        vm.prank(client);
        market.dispute(t, "wrong output");
        deadline = block.timestamp + ARBITRATION_PERIOD;
        assertEq(_deadline(jobId), deadline, "arbitration deadline = dispute time + ARBITRATION_PERIOD");
    }

    /// @dev One second before `unlockAt` the stake is still bonded; at `unlockAt` it goes out whole.
    function _assertWithdrawStakeOpensAt(uint256 amount, uint256 unlockAt) internal {
        (uint96 unbonding, uint40 storedUnlockAt) = registry.unbonding(worker);
        assertEq(unbonding, amount, "unbonding amount");
        assertEq(storedUnlockAt, unlockAt, "unlockAt = request time + UNBONDING_PERIOD");

        vm.warp(unlockAt - 1);
        vm.expectRevert(abi.encodeWithSelector(UnbondingNotReady.selector, worker, amount, unlockAt));
        vm.prank(worker);
        registry.withdrawStake(worker);

        vm.warp(unlockAt);
        uint256 before = worker.balance;
        vm.prank(worker);
        registry.withdrawStake(worker);
        assertEq(worker.balance - before, amount, "the whole unbonded stake is paid out");
        (unbonding,) = registry.unbonding(worker);
        assertEq(unbonding, 0, "nothing left unbonding");
    }

    function _assertCloseReason(bytes32 jobId, CloseReason expected, string memory why) internal view {
        (,, CloseReason reason,,,) = market.jobs(jobId);
        assertEq(uint8(reason), uint8(expected), why);
    }

    function _deadline(bytes32 jobId) internal view returns (uint256 deadline) {
        (,,, deadline,,) = market.jobs(jobId);
    }
}
