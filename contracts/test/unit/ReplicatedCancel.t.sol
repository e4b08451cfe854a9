// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {
    ReplicatedOutcome,
    ReplicatedParams,
    ReplicatedStatus,
    ReplicatedTerms
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice cancelReplicatedJob: the client takes its budget back while no slot is taken.
contract ReplicatedCancelTest is ReplicatedFixture {
    function test_cancelReplicatedJob_creditsBudgetAndCloses() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());

        _expectClosed(
            jobId,
            ReplicatedOutcome.Cancelled,
            bytes32(0),
            new address[](0),
            new uint96[](0),
            new uint96[](0),
            0,
            3 ether,
            0,
            0
        );
        vm.prank(client);
        replicated.cancelReplicatedJob(t);

        _assertRepJob(jobId, ReplicatedStatus.Closed, 0, 0, 0, 0);
        assertEq(_repCredit(address(0), client), 3 ether, "budget credited back");
        assertEq(address(replicated).balance, 3 ether, "waits to be withdrawn");

        uint256 clientBefore = client.balance;
        vm.expectEmit(true, true, true, true, address(replicated));
        emit Withdrawn(client, address(0), client, 3 ether);
        vm.prank(client);
        replicated.withdraw(address(0), client);
        assertEq(client.balance, clientBefore + 3 ether, "withdrawn");
        assertEq(address(replicated).balance, 0, "market empty");
    }

    function test_cancelReplicatedJob_creditsUsdcBudget() public {
        ReplicatedParams memory p = _repParams(7, 5);
        p.token = address(usdc);
        p.price = 25e6;
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(p);

        _expectClosed(
            jobId,
            ReplicatedOutcome.Cancelled,
            bytes32(0),
            new address[](0),
            new uint96[](0),
            new uint96[](0),
            0,
            175e6,
            0,
            0
        );
        vm.prank(client);
        replicated.cancelReplicatedJob(t);

        assertEq(_repCredit(address(usdc), client), 175e6, "7 x 25 USDC back");
        assertEq(_repCredit(address(0), client), 0, "no ETH");
    }

    function test_cancelReplicatedJob_worksAfterOpenUntil() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());
        vm.warp(uint256(t.openUntil) + 1 days);

        vm.prank(client);
        replicated.cancelReplicatedJob(t);

        _assertRepJob(jobId, ReplicatedStatus.Closed, 0, 0, 0, 0);
        assertEq(_repCredit(address(0), client), 3 ether, "budget credited back");
    }

    function test_cancelReplicatedJob_revertsIfNotClient() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());

        _expectCancelRefused(t, stranger, abi.encodeWithSelector(NotClient.selector, jobId, stranger));
        _expectCancelRefused(t, treasury, abi.encodeWithSelector(NotClient.selector, jobId, treasury));
        _assertRepJob(jobId, ReplicatedStatus.Running, 0, 0, 0, 0);
    }

    function test_cancelReplicatedJob_revertsIfSlotsTaken() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 1);
        _expectCancelRefused(t, client, abi.encodeWithSelector(SlotsTaken.selector, jobId, 1));

        _takeSlots(t, 3);
        _expectCancelRefused(t, client, abi.encodeWithSelector(SlotsTaken.selector, jobId, 3));
        assertEq(_repCredit(address(0), client), 0, "nothing refunded");
    }

    function test_cancelReplicatedJob_revertsIfCancelledAlready() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());
        vm.prank(client);
        replicated.cancelReplicatedJob(t);

        _expectCancelRefused(t, client, abi.encodeWithSelector(JobAlreadyClosed.selector, jobId));
        _expectRepRefused(
            stranger, abi.encodeCall(replicated.finalize, (t)), abi.encodeWithSelector(JobAlreadyClosed.selector, jobId)
        );
        assertEq(_repCredit(address(0), client), 3 ether, "refunded once");
    }

    function test_cancelReplicatedJob_revertsIfJobNotFound() public {
        ReplicatedTerms memory t = _repTerms(_repParams(), client, spec);

        _expectCancelRefused(t, client, abi.encodeWithSelector(JobNotFound.selector, keccak256(abi.encode(t))));
    }

    function _expectCancelRefused(ReplicatedTerms memory t, address who, bytes memory revertData) internal {
        _expectRepRefused(who, abi.encodeCall(replicated.cancelReplicatedJob, (t)), revertData);
    }
}
