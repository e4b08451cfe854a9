// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PoolsFixture} from "../utils/PoolsFixture.sol";
import {
    CloseReason,
    JobMode,
    JobParams,
    JobStatus,
    JobTerms,
    PoolMemberState,
    ReplicatedOutcome,
    ReplicatedParams,
    ReplicatedTerms
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice Worker pools: the registry's pools and memberships, jobs restricted to a pool in both
/// markets, and the operator's fee, fixed at assignment and paid out of the member's payout after
/// the protocol fee only when the member is paid.
contract PoolsTest is PoolsFixture {
    uint16 internal constant POOL_FEE = 1_000; // 10%

    // ---- createPool and setPoolFee ----

    function test_createPool_storesTheOperatorFeeAndApproval() public {
        vm.expectEmit(address(registry));
        emit PoolCreated(1, operator, "h100-collective", "ipfs://pool", 2_000, true);
        assertEq(_createPool(2_000, true), 1, "first pool");
        (address op, uint16 feeBps, bool approval) = registry.pools(1);
        assertEq(op, operator);
        assertEq(feeBps, 2_000);
        assertTrue(approval);
        assertEq(registry.poolCount(), 1);
        assertEq(_createPool(0, false), 2, "ids count up");
    }

    function test_createPool_revertsOnABadFeeOrName() public {
        bytes memory call = abi.encodeCall(registry.createPool, ("p", "", 2_001, false));
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(FeeTooHigh.selector, 2_001, 2_000));
        call = abi.encodeCall(registry.createPool, ("", "", 100, false));
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(EmptyName.selector));
        call = abi.encodeCall(registry.createPool, (string(new bytes(65)), "", 100, false));
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(TextTooLong.selector, 65, 64));
        call = abi.encodeCall(registry.createPool, ("p", string(new bytes(1025)), 100, false));
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(TextTooLong.selector, 1025, 1024));
        vm.prank(operator);
        registry.createPool(string(new bytes(64)), "", 2_000, false);
    }

    function test_setPoolFee_onlyTheOperatorUpToTheCap() public {
        uint64 pool = _createPool(POOL_FEE, false);
        vm.expectEmit(address(registry));
        emit PoolFeeSet(pool, 1_500);
        vm.prank(operator);
        registry.setPoolFee(pool, 1_500);
        (, uint16 feeBps,) = registry.pools(pool);
        assertEq(feeBps, 1_500);

        bytes memory call = abi.encodeCall(registry.setPoolFee, (pool, 100));
        _expectRefusedBy(address(registry), stranger, call, abi.encodeWithSelector(NotPoolOperator.selector, pool, stranger));
        call = abi.encodeCall(registry.setPoolFee, (pool, 2_001));
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(FeeTooHigh.selector, 2_001, 2_000));
        call = abi.encodeCall(registry.setPoolFee, (9, 100));
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(PoolNotFound.selector, 9));
    }

    // ---- membership ----

    function test_joinPool_anOpenPoolTakesAMemberAtOnce() public {
        uint64 pool = _createPool(POOL_FEE, false);
        _register(worker, 1 ether);
        vm.expectEmit(address(registry));
        emit PoolMemberAdded(pool, worker);
        vm.prank(worker);
        registry.joinPool(pool);
        _assertMembership(worker, pool, PoolMemberState.Member, 0);
    }

    function test_joinPool_aPoolWithApprovalTakesARequestTheOperatorApproves() public {
        uint64 pool = _createPool(POOL_FEE, true);
        _register(worker, 1 ether);
        vm.expectEmit(address(registry));
        emit PoolJoinRequested(pool, worker);
        vm.prank(worker);
        registry.joinPool(pool);
        _assertMembership(worker, pool, PoolMemberState.Requested, 0);

        bytes memory approve = abi.encodeCall(registry.approveMember, (pool, worker));
        _expectRefusedBy(address(registry), stranger, approve, abi.encodeWithSelector(NotPoolOperator.selector, pool, stranger));
        vm.expectEmit(address(registry));
        emit PoolMemberAdded(pool, worker);
        vm.prank(operator);
        registry.approveMember(pool, worker);
        _assertMembership(worker, pool, PoolMemberState.Member, 0);
        _expectRefusedBy(address(registry), operator, approve, abi.encodeWithSelector(NoJoinRequest.selector, pool, worker));
    }

    function test_approveMember_revertsWithoutARequestToThatPool() public {
        uint64 pool = _createPool(POOL_FEE, true);
        uint64 other = _createPool(POOL_FEE, true);
        _joinPool(worker, other);
        bytes memory call = abi.encodeCall(registry.approveMember, (pool, worker));
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(NoJoinRequest.selector, pool, worker));
        call = abi.encodeCall(registry.approveMember, (pool, worker2));
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(NoJoinRequest.selector, pool, worker2));
    }

    function test_joinPool_revertsForAnUnregisteredWorkerOrAnUnknownPool() public {
        uint64 pool = _createPool(POOL_FEE, false);
        bytes memory call = abi.encodeCall(registry.joinPool, (pool));
        _expectRefusedBy(address(registry), stranger, call, abi.encodeWithSelector(NotRegistered.selector, stranger));
        _register(worker, 1 ether);
        call = abi.encodeCall(registry.joinPool, (7));
        _expectRefusedBy(address(registry), worker, call, abi.encodeWithSelector(PoolNotFound.selector, 7));
    }

    function test_joinPool_revertsForAWorkerInAPoolAlready() public {
        uint64 pool = _createPool(POOL_FEE, false);
        uint64 gated = _createPool(POOL_FEE, true);
        _joinPool(worker, pool);
        bytes memory call = abi.encodeCall(registry.joinPool, (gated));
        _expectRefusedBy(address(registry), worker, call, abi.encodeWithSelector(PoolMembershipExists.selector, worker, pool));
        _joinPool(worker2, gated);
        call = abi.encodeCall(registry.joinPool, (pool));
        _expectRefusedBy(address(registry), worker2, call, abi.encodeWithSelector(PoolMembershipExists.selector, worker2, gated));
    }

    function test_joinPool_revertsWhileARemovedMemberStillHoldsPoolJobs() public {
        uint64 pool = _createPool(POOL_FEE, false);
        uint64 other = _createPool(POOL_FEE, false);
        (, JobTerms memory t) = _claimedPoolJob(pool);
        vm.prank(operator);
        registry.removeMember(pool, worker);
        bytes memory call = abi.encodeCall(registry.joinPool, (other));
        _expectRefusedBy(address(registry), worker, call, abi.encodeWithSelector(PoolJobsActive.selector, worker, 1));

        _submitFor(t);
        vm.prank(client);
        market.release(t);
        vm.prank(worker);
        registry.joinPool(other);
        _assertMembership(worker, other, PoolMemberState.Member, 0);
    }

    function test_removeMember_onlyTheOperatorAndOnlyAMemberOrRequest() public {
        uint64 pool = _createPool(POOL_FEE, true);
        _joinPool(worker, pool);
        bytes memory call = abi.encodeCall(registry.removeMember, (pool, worker));
        _expectRefusedBy(address(registry), stranger, call, abi.encodeWithSelector(NotPoolOperator.selector, pool, stranger));
        // Refusing a request.
        vm.expectEmit(address(registry));
        emit PoolMemberRemoved(pool, worker);
        vm.prank(operator);
        registry.removeMember(pool, worker);
        _assertMembership(worker, pool, PoolMemberState.None, 0);
        _expectRefusedBy(address(registry), operator, call, abi.encodeWithSelector(NotPoolMember.selector, pool, worker));

        vm.prank(worker);
        registry.joinPool(pool);
        vm.prank(operator);
        registry.approveMember(pool, worker);
        vm.prank(operator);
        registry.removeMember(pool, worker);
        _assertMembership(worker, pool, PoolMemberState.None, 0);
    }

    function test_leavePool_leavesAtOnceWithoutPoolJobs() public {
        uint64 pool = _createPool(POOL_FEE, false);
        _joinPool(worker, pool);
        vm.expectEmit(address(registry));
        emit PoolMemberLeft(pool, worker);
        vm.prank(worker);
        registry.leavePool();
        _assertMembership(worker, pool, PoolMemberState.None, 0);
        bytes memory call = abi.encodeCall(registry.leavePool, ());
        _expectRefusedBy(address(registry), worker, call, abi.encodeWithSelector(NotPoolMember.selector, pool, worker));
        _expectRefusedBy(address(registry), worker2, call, abi.encodeWithSelector(NotPoolMember.selector, 0, worker2));
    }

    function test_leavePool_withdrawsARequest() public {
        uint64 pool = _createPool(POOL_FEE, true);
        _joinPool(worker, pool);
        vm.expectEmit(address(registry));
        emit PoolMemberLeft(pool, worker);
        vm.prank(worker);
        registry.leavePool();
        _assertMembership(worker, pool, PoolMemberState.None, 0);
    }

    function test_leavePool_withAPoolJobLeavesWhenTheJobCloses() public {
        uint64 pool = _createPool(POOL_FEE, false);
        (bytes32 jobId, JobTerms memory t) = _claimedPoolJob(pool);
        vm.expectEmit(address(registry));
        emit PoolLeaveRequested(pool, worker);
        vm.prank(worker);
        registry.leavePool();
        _assertMembership(worker, pool, PoolMemberState.Leaving, 1);
        bytes memory call = abi.encodeCall(registry.leavePool, ());
        _expectRefusedBy(address(registry), worker, call, abi.encodeWithSelector(NotPoolMember.selector, pool, worker));

        // A leaving member takes no new pool job.
        JobParams memory p = _poolParams(pool);
        p.salt = 1;
        (, JobTerms memory next) = _post(p);
        _expectRefused(worker, abi.encodeCall(market.claimJob, (next)), abi.encodeWithSelector(NotPoolMember.selector, pool, worker));

        _submitFor(t);
        vm.expectEmit(address(registry));
        emit PoolMemberLeft(pool, worker);
        vm.expectEmit(address(market));
        emit PoolFeePaid(jobId, pool, operator, address(0), 0.099 ether);
        vm.prank(client);
        market.release(t);
        _assertMembership(worker, pool, PoolMemberState.None, 0);
    }

    // ---- Pool-mode jobs in the single market ----

    function test_postJob_poolModeNamesAnExistingPoolThatFitsSixtyFourBits() public {
        uint64 pool = _createPool(POOL_FEE, false);
        JobParams memory p = _poolParams(pool);
        JobTerms memory t = _terms(p, client, spec);
        vm.expectEmit(address(market));
        emit JobPosted(keccak256(abi.encode(t)), client, address(0), t, spec);
        _post(p);

        p.offeredTo = address(0);
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(InvalidOffer.selector, JobMode.Pool, address(0)));
        p.offeredTo = address(uint160(type(uint64).max) + 1);
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(InvalidOffer.selector, JobMode.Pool, p.offeredTo));
        p.offeredTo = address(uint160(type(uint64).max));
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(PoolNotFound.selector, type(uint64).max));
        p.offeredTo = address(2);
        _expectPostReverts(p, 1 ether, abi.encodeWithSelector(PoolNotFound.selector, 2));
    }

    function test_claimJob_onlyAMemberOfThePool() public {
        uint64 pool = _createPool(POOL_FEE, false);
        uint64 gated = _createPool(POOL_FEE, true);
        (bytes32 jobId, JobTerms memory t) = _post(_poolParams(pool));
        _register(worker, 1 ether);
        bytes memory claim = abi.encodeCall(market.claimJob, (t));
        _expectRefused(worker, claim, abi.encodeWithSelector(NotPoolMember.selector, pool, worker));
        _joinPool(worker2, gated);
        _expectRefused(worker2, claim, abi.encodeWithSelector(NotPoolMember.selector, pool, worker2));
        _expectRefused(worker, abi.encodeCall(market.placeBid, (t, 1)), abi.encodeWithSelector(WrongMode.selector, jobId, JobMode.Pool));

        vm.prank(worker);
        registry.joinPool(pool);
        vm.expectEmit(address(market));
        emit JobAssigned(jobId, worker, 1 ether, 0, 0.1 ether, uint40(block.timestamp + t.executionTimeout));
        vm.prank(worker);
        market.claimJob(t);
        _assertMembership(worker, pool, PoolMemberState.Member, 1);
        assertEq(_poolFeeOf(jobId), POOL_FEE, "the fee fixed at assignment");
    }

    function test_release_paysTheOperatorItsFeeOfTheNetPayout() public {
        uint64 pool = _createPool(POOL_FEE, false);
        (bytes32 jobId, JobTerms memory t) = _claimedPoolJob(pool);
        _submitFor(t);
        // 1 ETH, 1% protocol fee: 0.99 ETH; 10% of that to the operator, the rest to the worker.
        vm.expectEmit(address(market));
        emit PoolFeePaid(jobId, pool, operator, address(0), 0.099 ether);
        vm.expectEmit(address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, 0.891 ether, 0.01 ether, 0, 0);
        vm.prank(client);
        market.release(t);
        _assertCredits(address(0), 0, 0.891 ether, 0.01 ether);
        assertEq(market.credits(address(0), operator), 0.099 ether, "operator's fee");
        _assertMembership(worker, pool, PoolMemberState.Member, 0);
    }

    function test_release_inUsdc() public {
        uint64 pool = _createPool(POOL_FEE, false);
        JobParams memory p = _poolParams(pool);
        (p.token, p.budget) = (address(usdc), 1_000e6);
        _joinPool(worker, pool);
        (bytes32 jobId, JobTerms memory t) = _post(p);
        vm.prank(worker);
        market.claimJob(t);
        _submitFor(t);
        vm.expectEmit(address(market));
        emit PoolFeePaid(jobId, pool, operator, address(usdc), 99e6);
        vm.prank(client);
        market.release(t);
        _assertCredits(address(usdc), 0, 891e6, 10e6);
        assertEq(market.credits(address(usdc), operator), 99e6);
    }

    function test_release_paysTheFeeFixedAtAssignmentNotTheNewOne() public {
        uint64 pool = _createPool(POOL_FEE, false);
        (bytes32 jobId, JobTerms memory t) = _claimedPoolJob(pool);
        vm.prank(operator);
        registry.setPoolFee(pool, 2_000);
        _submitFor(t);
        vm.expectEmit(address(market));
        emit PoolFeePaid(jobId, pool, operator, address(0), 0.099 ether);
        vm.prank(client);
        market.release(t);

        JobParams memory p = _poolParams(pool);
        p.salt = 1;
        (bytes32 nextId, JobTerms memory next) = _post(p);
        vm.prank(worker);
        market.claimJob(next);
        assertEq(_poolFeeOf(nextId), 2_000, "a later assignment takes the new fee");
        vm.prank(operator);
        registry.setPoolFee(pool, 0);
        _submitFor(next);
        vm.expectEmit(address(market));
        emit PoolFeePaid(nextId, pool, operator, address(0), 0.198 ether);
        vm.prank(client);
        market.release(next);
        assertEq(market.credits(address(0), operator), 0.297 ether);
    }

    function test_release_aZeroFeePoolPaysTheOperatorNothing() public {
        uint64 pool = _createPool(0, false);
        (, JobTerms memory t) = _claimedPoolJob(pool);
        _submitFor(t);
        vm.recordLogs();
        vm.prank(client);
        market.release(t);
        assertEq(_recordedCount(address(market), PoolFeePaid.selector), 0, "no fee event");
        _assertCredits(address(0), 0, 0.99 ether, 0.01 ether);
    }

    function test_returnJob_paysTheOperatorNothing() public {
        uint64 pool = _createPool(POOL_FEE, false);
        (, JobTerms memory t) = _claimedPoolJob(pool);
        vm.recordLogs();
        vm.prank(worker);
        market.returnJob(t);
        _assertNoPoolFee();
        _assertCredits(address(0), 1 ether, 0, 0);
    }

    function test_reclaim_paysTheOperatorNothing() public {
        uint64 pool = _createPool(POOL_FEE, false);
        (, JobTerms memory t) = _claimedPoolJob(pool);
        vm.warp(block.timestamp + t.executionTimeout + 1);
        vm.recordLogs();
        market.reclaim(t);
        _assertNoPoolFee();
        _assertCredits(address(0), 1.1 ether, 0, 0);
    }

    function test_resolveDispute_allToTheClientPaysTheOperatorNothing() public {
        uint64 pool = _createPool(POOL_FEE, false);
        (, JobTerms memory t) = _claimedPoolJob(pool);
        _submitFor(t);
        _disputeFor(t);
        vm.recordLogs();
        vm.prank(arbiter);
        market.resolveDispute(t, 0, 0);
        _assertNoPoolFee();
    }

    function test_release_aRemovedMembersRunningJobStillPaysTheOperator() public {
        uint64 pool = _createPool(POOL_FEE, false);
        (bytes32 jobId, JobTerms memory t) = _claimedPoolJob(pool);
        vm.prank(operator);
        registry.removeMember(pool, worker);
        _assertMembership(worker, pool, PoolMemberState.None, 1);
        _submitFor(t);
        vm.expectEmit(address(market));
        emit PoolFeePaid(jobId, pool, operator, address(0), 0.099 ether);
        vm.prank(client);
        market.release(t);
        _assertMembership(worker, pool, PoolMemberState.None, 0);
    }

    // ---- the registry's pool-job counts ----

    function test_startPoolJob_revertsForAnUntrustedCaller() public {
        uint64 pool = _createPool(POOL_FEE, false);
        _joinPool(worker, pool);
        bytes memory call = abi.encodeCall(registry.startPoolJob, (pool, worker));
        _expectRefusedBy(address(registry), stranger, call, abi.encodeWithSelector(MarketNotTrusted.selector, stranger));
        _assertMembership(worker, pool, PoolMemberState.Member, 0);
    }

    function test_endPoolJob_fromAnUntrustedCallerChangesNoCount() public {
        uint64 pool = _createPool(POOL_FEE, false);
        _claimedPoolJob(pool);
        vm.prank(worker);
        registry.leavePool();
        vm.prank(stranger);
        assertEq(registry.endPoolJob(pool, worker), operator, "it only names the operator");
        _assertMembership(worker, pool, PoolMemberState.Leaving, 1);
    }

    // ---- pooled replicated jobs ----

    function test_postReplicatedJob_restrictedToAPool() public {
        uint64 pool = _createPool(POOL_FEE, false);
        ReplicatedParams memory p = _repParams();
        p.pool = pool;
        ReplicatedTerms memory t = _repTerms(p, client, spec);
        bytes32 jobId = keccak256(abi.encode(t));
        vm.expectEmit(address(replicated));
        emit ReplicatedJobPosted(jobId, client, address(0), t, spec);
        vm.expectEmit(address(replicated));
        emit ReplicatedJobPooled(jobId, pool);
        _postRep(p);
        (,,,,, uint64 stored,) = replicated.replicatedJobs(jobId);
        assertEq(stored, pool);

        p.pool = 5;
        p.salt = 1;
        vm.prank(client);
        vm.expectRevert(abi.encodeWithSelector(PoolNotFound.selector, 5));
        replicated.postReplicatedJob{value: 3 ether}(p, spec);
    }

    function test_postReplicatedJob_withoutAPoolEmitsNoPooledEvent() public {
        vm.recordLogs();
        _postRep(_repParams());
        assertEq(_recordedCount(address(replicated), ReplicatedJobPooled.selector), 0);
    }

    function test_takeSlot_onlyAMemberOfThePool() public {
        uint64 pool = _createPool(POOL_FEE, false);
        (, ReplicatedTerms memory t) = _postPooledRep(pool);
        _registerReplica(0);
        _expectRepRefused(
            replicaWorkers[0], abi.encodeCall(replicated.takeSlot, (t)), abi.encodeWithSelector(NotPoolMember.selector, pool, replicaWorkers[0])
        );
        _joinPool(replicaWorkers[0], pool);
        _takeSlots(t, 1);
        _assertMembership(replicaWorkers[0], pool, PoolMemberState.Member, 1);
    }

    function test_finalize_eachWinnerPaysTheFeeItsSlotWasTakenWith() public {
        uint64 pool = _createPool(POOL_FEE, false);
        _joinReplicas(pool, 3);
        (bytes32 jobId, ReplicatedTerms memory t) = _postPooledRep(pool);
        _takeSlots(t, 1);
        vm.prank(operator);
        registry.setPoolFee(pool, 2_000);
        _takeSlots(t, 3);
        _commitAndReveal(t, _hashes(AGREED, AGREED, AGREED), _flags(true, true, true));

        // Each winner: 1 ETH less the 1% fee, 0.99 ETH; slot 0 pays 10% of it, slots 1 and 2 pay 20%.
        vm.expectEmit(address(replicated));
        emit PoolFeePaid(jobId, pool, operator, address(0), 0.099 ether);
        vm.expectEmit(address(replicated));
        emit PoolFeePaid(jobId, pool, operator, address(0), 0.198 ether);
        vm.expectEmit(address(replicated));
        emit PoolFeePaid(jobId, pool, operator, address(0), 0.198 ether);
        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(3),
            _amounts(0.891 ether, 0.792 ether, 0.792 ether),
            _amounts(0, 0, 0),
            0.03 ether,
            0,
            0,
            0
        );
        _finalize(t);
        assertEq(_repCredit(address(0), operator), 0.495 ether, "operator's fees");
        for (uint256 i; i < 3; i++) {
            _assertMembership(replicaWorkers[i], pool, PoolMemberState.Member, 0);
        }
    }

    function test_finalize_aDissenterPaysTheOperatorNothing() public {
        uint64 pool = _createPool(POOL_FEE, false);
        _joinReplicas(pool, 3);
        (, ReplicatedTerms memory t) = _postPooledRep(pool);
        _takeSlots(t, 3);
        _commitAndReveal(t, _hashes(AGREED, DISSENT, AGREED), _flags(true, true, true));
        vm.recordLogs();
        _finalize(t);
        assertEq(_recordedCount(address(replicated), PoolFeePaid.selector), 2, "one fee per winner");
        // 1.5 ETH each for two winners, less 1%: 1.485 ETH, of which 10% to the operator.
        assertEq(_repCredit(address(0), operator), 0.297 ether);
        assertEq(_repCredit(address(0), replicaWorkers[0]), 1.3365 ether + 0.025 ether, "net pay and slash share");
        assertEq(_repCredit(address(0), replicaWorkers[1]), 0, "the dissenter");
    }

    function test_finalize_noQuorumPaysTheOperatorNothingAndEndsThePoolJobs() public {
        uint64 pool = _createPool(POOL_FEE, false);
        _joinReplicas(pool, 3);
        (, ReplicatedTerms memory t) = _postPooledRep(pool);
        _takeSlots(t, 3);
        _commitAndReveal(t, _hashes(AGREED, DISSENT, OTHER), _flags(true, true, true));
        vm.recordLogs();
        _finalize(t);
        assertEq(_recordedCount(address(replicated), PoolFeePaid.selector), 0, "no fee");
        assertEq(_repCredit(address(0), operator), 0);
        for (uint256 i; i < 3; i++) {
            _assertMembership(replicaWorkers[i], pool, PoolMemberState.Member, 0);
        }
    }

    function test_finalize_expiredUnfilledEndsThePoolJobs() public {
        uint64 pool = _createPool(POOL_FEE, false);
        _joinReplicas(pool, 1);
        (, ReplicatedTerms memory t) = _postPooledRep(pool);
        _takeSlots(t, 1);
        _assertMembership(replicaWorkers[0], pool, PoolMemberState.Member, 1);
        vm.warp(uint256(t.openUntil) + 1);
        _finalize(t);
        _assertMembership(replicaWorkers[0], pool, PoolMemberState.Member, 0);
        assertEq(_repCredit(address(0), operator), 0);
    }

    // ---- helpers ----

    /// @dev A Pool-mode job of `pool` claimed by `worker`, who joins the pool first.
    function _claimedPoolJob(uint64 pool) internal returns (bytes32 jobId, JobTerms memory t) {
        _joinPool(worker, pool);
        (jobId, t) = _post(_poolParams(pool));
        vm.prank(worker);
        market.claimJob(t);
        assertEq(uint8(_status(jobId)), uint8(JobStatus.Assigned));
    }

    function _postPooledRep(uint64 pool) internal returns (bytes32, ReplicatedTerms memory) {
        ReplicatedParams memory p = _repParams();
        p.pool = pool;
        return _postRep(p);
    }

    function _joinReplicas(uint64 pool, uint256 count) internal {
        for (uint256 i; i < count; i++) {
            _joinPool(replicaWorkers[i], pool);
        }
    }

    /// @dev No PoolFeePaid among the recorded logs and no credit for the operator.
    function _assertNoPoolFee() internal {
        assertEq(_recordedCount(address(market), PoolFeePaid.selector), 0, "no pool fee");
        assertEq(market.credits(address(0), operator), 0, "operator credited nothing");
    }
}
