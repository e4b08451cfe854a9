// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {
    ReplicatedParams,
    ReplicatedStatus,
    ReplicatedTerms,
    Requirements,
    SlotState
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice takeSlot: distinct eligible workers fill the slots until openUntil, each locking the collateral.
contract ReplicatedTakeSlotTest is ReplicatedFixture {
    function test_takeSlot_fillsSlotsInOrderAndLocksCollateral() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());

        _takeSlots(t, 3);

        _assertRepJob(jobId, ReplicatedStatus.Running, 3, 0, 0, 0);
        for (uint256 i; i < 3; i++) {
            _assertSlot(jobId, i, replicaWorkers[i], SlotState.Taken, bytes32(0));
            _assertReplicaStake(i, REPLICA_STAKE, 0.1 ether);
        }
        assertEq(address(registry).balance, 3 * REPLICA_STAKE, "stake stays in the registry");
        assertEq(address(replicated).balance, 3 ether, "only the budget in the market");
    }

    function test_takeSlot_emitsSlotTaken() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());
        _registerReplica(0);
        _registerReplica(1);

        vm.expectEmit(true, true, true, true, address(replicated));
        emit SlotTaken(jobId, replicaWorkers[0], 0, 1);
        vm.prank(replicaWorkers[0]);
        replicated.takeSlot(t);

        vm.expectEmit(true, true, true, true, address(replicated));
        emit SlotTaken(jobId, replicaWorkers[1], 1, 2);
        vm.prank(replicaWorkers[1]);
        replicated.takeSlot(t);
    }

    function test_takeSlot_withoutCollateralLocksNothing() public {
        ReplicatedParams memory p = _repParams();
        p.collateral = 0;
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(p);

        _takeSlots(t, 2);

        _assertRepJob(jobId, ReplicatedStatus.Running, 2, 0, 0, 0);
        _assertReplicaStake(0, REPLICA_STAKE, 0);
        _assertReplicaStake(1, REPLICA_STAKE, 0);
    }

    function test_takeSlot_worksAtOpenUntil() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());
        vm.warp(t.openUntil);

        _takeSlots(t, 1);

        _assertRepJob(jobId, ReplicatedStatus.Running, 1, 0, 0, 0);
    }

    function test_takeSlot_revertsOneSecondAfterOpenUntil() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());
        _registerReplica(0);
        vm.warp(uint256(t.openUntil) + 1);

        _expectTakeRefused(
            t,
            replicaWorkers[0],
            abi.encodeWithSelector(DeadlinePassed.selector, jobId, t.openUntil, uint256(t.openUntil) + 1)
        );
    }

    function test_takeSlot_revertsIfSlotAlreadyHeld() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 2);

        _expectTakeRefused(
            t, replicaWorkers[1], abi.encodeWithSelector(SlotAlreadyHeld.selector, jobId, replicaWorkers[1])
        );
        _expectTakeRefused(
            t, replicaWorkers[0], abi.encodeWithSelector(SlotAlreadyHeld.selector, jobId, replicaWorkers[0])
        );
        _assertRepJob(jobId, ReplicatedStatus.Running, 2, 0, 0, 0);
        _assertReplicaStake(0, REPLICA_STAKE, 0.1 ether);
    }

    function test_takeSlot_revertsIfNoFreeSlot() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 3);
        _registerReplica(3);

        _expectTakeRefused(t, replicaWorkers[3], abi.encodeWithSelector(NoFreeSlot.selector, jobId));
        _assertReplicaStake(3, REPLICA_STAKE, 0);
    }

    function test_takeSlot_revertsIfJobNotFound() public {
        ReplicatedTerms memory t = _repTerms(_repParams(), client, spec);
        _registerReplica(0);

        _expectTakeRefused(t, replicaWorkers[0], abi.encodeWithSelector(JobNotFound.selector, keccak256(abi.encode(t))));
    }

    function test_takeSlot_revertsIfNotRegistered() public {
        (, ReplicatedTerms memory t) = _postRep(_repParams());

        _expectTakeRefused(t, stranger, abi.encodeWithSelector(NotRegistered.selector, stranger));
    }

    function test_takeSlot_revertsIfWorkerUnavailable() public {
        (, ReplicatedTerms memory t) = _postRep(_repParams());
        _registerReplica(0);
        vm.prank(replicaWorkers[0]);
        registry.setAvailability(false);

        _expectTakeRefused(t, replicaWorkers[0], abi.encodeWithSelector(WorkerUnavailable.selector, replicaWorkers[0]));
    }

    function test_takeSlot_revertsIfRequirementsNotMet() public {
        ReplicatedParams memory p = _repParams();
        p.gpuModel = bytes32("NVIDIA A100 40GB");
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(p);
        _registerReplica(0);
        _expectTakeRefused(
            t, replicaWorkers[0], abi.encodeWithSelector(RequirementsNotMet.selector, jobId, replicaWorkers[0])
        );

        p = _repParams();
        p.minGpuCount = 3;
        (jobId, t) = _postRep(p);
        _expectTakeRefused(
            t, replicaWorkers[0], abi.encodeWithSelector(RequirementsNotMet.selector, jobId, replicaWorkers[0])
        );

        p = _repParams();
        p.minVramMiB = 81_921;
        (jobId, t) = _postRep(p);
        _expectTakeRefused(
            t, replicaWorkers[0], abi.encodeWithSelector(RequirementsNotMet.selector, jobId, replicaWorkers[0])
        );
    }

    function test_takeSlot_revertsIfFreeStakeShort() public {
        ReplicatedParams memory p = _repParams();
        p.collateral = REPLICA_STAKE + 1;
        (, ReplicatedTerms memory t) = _postRep(p);
        _registerReplica(0);

        _expectTakeRefused(
            t,
            replicaWorkers[0],
            abi.encodeWithSelector(InsufficientFreeStake.selector, replicaWorkers[0], REPLICA_STAKE, REPLICA_STAKE + 1)
        );
    }

    function test_takeSlot_countsCollateralLockedByTheOtherMarket() public {
        // 0.95 ETH of replica 0's 1 ETH is locked by a single-worker job: 0.05 ETH is free.
        _registerReplica(0);
        vm.prank(address(market));
        registry.lock(bytes32(0), replicaWorkers[0], Requirements(0, 0, bytes32(0)), 0.95 ether);
        (, ReplicatedTerms memory t) = _postRep(_repParams());

        _expectTakeRefused(
            t,
            replicaWorkers[0],
            abi.encodeWithSelector(InsufficientFreeStake.selector, replicaWorkers[0], 0.05 ether, 0.1 ether)
        );
    }

    function test_takeSlot_revertsIfMarketNoLongerTrusted() public {
        _registerReplica(0);
        vm.prank(owner);
        registry.proposeTrust(address(replicated), false);
        vm.warp(START + registry.TRUST_DELAY());
        registry.applyTrust(address(replicated));
        (, ReplicatedTerms memory t) = _postRep(_repParams());
        ReplicatedParams memory free = _repParams();
        free.collateral = 0;
        (bytes32 freeId, ReplicatedTerms memory tFree) = _postRep(free);

        _expectTakeRefused(t, replicaWorkers[0], abi.encodeWithSelector(MarketNotTrusted.selector, address(replicated)));
        // A job without collateral needs no trust: the registry only checks eligibility.
        vm.prank(replicaWorkers[0]);
        replicated.takeSlot(tFree);
        _assertRepJob(freeId, ReplicatedStatus.Running, 1, 0, 0, 0);
        _assertReplicaStake(0, REPLICA_STAKE, 0);
    }

    function test_takeSlot_revertsIfJobClosed() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());
        vm.prank(client);
        replicated.cancelReplicatedJob(t);
        _registerReplica(0);

        _expectTakeRefused(t, replicaWorkers[0], abi.encodeWithSelector(JobAlreadyClosed.selector, jobId));
    }

    // ---- helpers ----

    function _expectTakeRefused(ReplicatedTerms memory t, address who, bytes memory revertData) internal {
        _expectRepRefused(who, abi.encodeCall(replicated.takeSlot, (t)), revertData);
    }
}
