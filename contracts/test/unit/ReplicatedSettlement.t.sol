// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {
    ReplicatedOutcome,
    ReplicatedParams,
    ReplicatedStatus,
    ReplicatedTerms
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice What finalize pays for each outcome: the quorum shares the price of the filled slots (less
/// the fee, remainder to the client), everyone off the quorum loses its collateral (half to the quorum,
/// the rest to the client); without a quorum the client is refunded and only non-revealers are slashed;
/// an unfilled job refunds everyone. The amounts are worked out by hand in each test.
contract ReplicatedSettlementTest is ReplicatedFixture {
    // ---- quorum reached ----

    function test_finalize_allAgreePaysEveryoneMinusFee() public {
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(), _hashes(AGREED, AGREED, AGREED), _flags(true, true, true));

        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(3),
            _amounts(0.99 ether, 0.99 ether, 0.99 ether),
            _amounts(0, 0, 0),
            0.03 ether,
            0,
            0,
            0
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0, 0));
        _assertRepJob(jobId, ReplicatedStatus.Closed, 3, 3, 3, START + t.revealWindow);
        _assertEthCredits(0, 0.03 ether, _amounts(0.99 ether, 0.99 ether, 0.99 ether));
        assertEq(address(replicated).balance, 3 ether, "the budget, now credits");
        assertEq(address(registry).balance, 3 * REPLICA_STAKE, "no stake moved");
    }

    function test_finalize_slashesOneDissenterToQuorumAndClient() public {
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(), _hashes(AGREED, DISSENT, AGREED), _flags(true, true, true));

        // 3 ETH shared by 2: 1.5 ETH gross, 1% fee each. 0.1 ETH slashed: 0.025 ETH to each winner, 0.05 to the client.
        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(3),
            _amounts(1.485 ether, 0, 1.485 ether),
            _amounts(0, 0.1 ether, 0),
            0.03 ether,
            0,
            0.025 ether,
            0.05 ether
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0.1 ether, 0));
        _assertEthCredits(0.05 ether, 0.03 ether, _amounts(1.51 ether, 0, 1.51 ether));
        assertEq(address(replicated).balance, 3.1 ether, "budget and the slash, as credits");
        assertEq(address(registry).balance, 2.9 ether, "the slash left the registry");
    }

    function test_finalize_slashesACommitterWhoDidNotReveal() public {
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(), _hashes(AGREED, AGREED, AGREED), _flags(true, true, false));

        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(3),
            _amounts(1.485 ether, 1.485 ether, 0),
            _amounts(0, 0, 0.1 ether),
            0.03 ether,
            0,
            0.025 ether,
            0.05 ether
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0, 0.1 ether));
        _assertEthCredits(0.05 ether, 0.03 ether, _amounts(1.51 ether, 1.51 ether, 0));
    }

    function test_finalize_slashesASlotThatNeverCommitted() public {
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(), _hashes(bytes32(0), AGREED, AGREED), _flags(false, true, true));

        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(3),
            _amounts(0, 1.485 ether, 1.485 ether),
            _amounts(0.1 ether, 0, 0),
            0.03 ether,
            0,
            0.025 ether,
            0.05 ether
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0.1 ether, 0, 0));
        _assertEthCredits(0.05 ether, 0.03 ether, _amounts(0, 1.51 ether, 1.51 ether));
    }

    function test_finalize_roundingRemaindersGoToTheClient() public {
        ReplicatedParams memory p = _repParams();
        p.price = 1 ether + 1; // 3 ETH + 3 wei shared by 2 winners: 1 wei left over
        p.collateral = 0.1 ether + 1; // half of it is 0.05 ETH + 0.5 wei: the odd wei to the client
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(p, _hashes(DISSENT, AGREED, AGREED), _flags(true, true, true));

        // gross 1.5 ETH + 1 wei each, fee floor(1% of it) = 0.015 ETH.
        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(3),
            _amounts(0, 1.485 ether + 1, 1.485 ether + 1),
            _amounts(0.1 ether + 1, 0, 0),
            0.03 ether,
            1,
            0.025 ether,
            0.05 ether + 1
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0.1 ether + 1, 0, 0));
        _assertEthCredits(0.05 ether + 2, 0.03 ether, _amounts(0, 1.51 ether + 1, 1.51 ether + 1));
        assertEq(address(replicated).balance, 3 ether + 3 + 0.1 ether + 1, "everything credited, nothing lost");
    }

    function test_finalize_partialJobRefundsEmptySlotsAndRoundsToClient() public {
        // 5 replicas, quorum 3; four slots taken, three agree, one dissents.
        ReplicatedParams memory p = _repParams(5, 3);
        bytes32[] memory commits = new bytes32[](4);
        (commits[0], commits[1], commits[2], commits[3]) = (AGREED, DISSENT, AGREED, AGREED);
        bool[] memory reveals = new bool[](4);
        (reveals[0], reveals[1], reveals[2], reveals[3]) = (true, true, true, true);
        (bytes32 jobId, ReplicatedTerms memory t) = _playedOut(p, commits, reveals);

        // 4 ETH shared by 3: 1333333333333333333 wei each, 1 wei over; fee 13333333333333333 each.
        // The empty slot's 1 ETH and the wei go back. 0.05 ETH of the slash / 3 = 16666666666666666 each.
        uint96 payout = 1_320_000_000_000_000_000;
        uint96[] memory payouts = new uint96[](4);
        (payouts[0], payouts[2], payouts[3]) = (payout, payout, payout);
        uint96[] memory slashed = new uint96[](4);
        slashed[1] = 0.1 ether;
        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(4),
            payouts,
            slashed,
            39_999_999_999_999_999,
            1 ether + 1,
            16_666_666_666_666_666,
            50_000_000_000_000_002
        );
        _finalize(t);

        _assertStakesAfter(slashed);
        uint96 winner = payout + 16_666_666_666_666_666;
        assertEq(_repCredit(address(0), client), 1 ether + 1 + 50_000_000_000_000_002, "client: empty slot, wei, slash");
        assertEq(_repCredit(address(0), treasury), 39_999_999_999_999_999, "treasury: three fees");
        assertEq(_repCredit(address(0), replicaWorkers[0]), winner, "winner 0");
        assertEq(_repCredit(address(0), replicaWorkers[1]), 0, "dissenter");
        assertEq(_repCredit(address(0), replicaWorkers[2]), winner, "winner 2");
        assertEq(_repCredit(address(0), replicaWorkers[3]), winner, "winner 3");
        assertEq(address(replicated).balance, 5 ether + 0.1 ether, "everything credited, nothing lost");
    }

    function test_finalize_partialJobWithExactlyQuorumSlots() public {
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(), _hashes(AGREED, AGREED), _flags(true, true));

        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(2),
            _amounts(0.99 ether, 0.99 ether),
            _amounts(0, 0),
            0.02 ether,
            1 ether,
            0,
            0
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0));
        assertEq(_repCredit(address(0), client), 1 ether, "the empty slot's price");
    }

    function test_finalize_sharesSeveralSlashesAmongWinners() public {
        ReplicatedParams memory p = _repParams(5, 3);
        bytes32[] memory commits = new bytes32[](5);
        (commits[0], commits[1], commits[2], commits[3], commits[4]) = (AGREED, DISSENT, AGREED, AGREED, OTHER);
        bool[] memory reveals = new bool[](5);
        (reveals[0], reveals[1], reveals[2], reveals[3]) = (true, true, true, true);
        (bytes32 jobId, ReplicatedTerms memory t) = _playedOut(p, commits, reveals);

        // 5 ETH by 3 winners: 1666666666666666666 each, 2 wei over; fee 16666666666666666 each.
        // 0.2 ETH slashed: 0.1 ETH / 3 = 33333333333333333 each, 100000000000000001 to the client.
        uint96 payout = 1_650_000_000_000_000_000;
        uint96[] memory payouts = new uint96[](5);
        (payouts[0], payouts[2], payouts[3]) = (payout, payout, payout);
        uint96[] memory slashed = new uint96[](5);
        (slashed[1], slashed[4]) = (0.1 ether, 0.1 ether);
        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(5),
            payouts,
            slashed,
            49_999_999_999_999_998,
            2,
            33_333_333_333_333_333,
            100_000_000_000_000_001
        );
        _finalize(t);

        _assertStakesAfter(slashed);
        assertEq(_repCredit(address(0), client), 2 + 100_000_000_000_000_001, "client");
        assertEq(_repCredit(address(0), replicaWorkers[3]), payout + 33_333_333_333_333_333, "a winner");
    }

    function test_finalize_paysUsdcAndSlashesInEth() public {
        ReplicatedParams memory p = _repParams();
        p.token = address(usdc);
        p.price = 100e6;
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(p, _hashes(AGREED, AGREED, DISSENT), _flags(true, true, true));

        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(3),
            _amounts(148.5e6, 148.5e6, 0),
            _amounts(0, 0, 0.1 ether),
            3e6,
            0,
            0.025 ether,
            0.05 ether
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0, 0.1 ether));
        assertEq(_repCredit(address(usdc), replicaWorkers[0]), 148.5e6, "winner paid in USDC");
        assertEq(_repCredit(address(usdc), replicaWorkers[1]), 148.5e6, "the other winner too");
        assertEq(_repCredit(address(usdc), replicaWorkers[2]), 0, "nothing for the dissenter");
        assertEq(_repCredit(address(usdc), treasury), 3e6, "fee in USDC");
        assertEq(_repCredit(address(usdc), client), 0, "no USDC refund");
        _assertEthCredits(0.05 ether, 0, _amounts(0.025 ether, 0.025 ether, 0));
        assertEq(usdc.balanceOf(address(replicated)), 300e6, "the USDC budget, now credits");
    }

    function test_finalize_chargesTheFeeFixedAtPosting() public {
        vm.prank(owner);
        replicated.setFee(0);
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(), _hashes(AGREED, AGREED, AGREED), _flags(true, true, true));
        vm.prank(owner);
        replicated.setFee(1_000);

        _expectClosed(
            jobId,
            ReplicatedOutcome.QuorumReached,
            AGREED,
            _replicaList(3),
            _amounts(1 ether, 1 ether, 1 ether),
            _amounts(0, 0, 0),
            0,
            0,
            0,
            0
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0, 0));
        _assertEthCredits(0, 0, _amounts(1 ether, 1 ether, 1 ether));
    }

    // ---- no quorum ----

    function test_finalize_noQuorumRefundsClientAndSlashesOnlyNonRevealers() public {
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(), _hashes(AGREED, DISSENT, OTHER), _flags(true, true, false));

        _expectClosed(
            jobId,
            ReplicatedOutcome.NoQuorum,
            bytes32(0),
            _replicaList(3),
            _amounts(0, 0, 0),
            _amounts(0, 0, 0.1 ether),
            0,
            3 ether,
            0,
            0.1 ether
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0, 0.1 ether));
        _assertEthCredits(3.1 ether, 0, _amounts(0, 0, 0));
    }

    function test_finalize_noQuorumWhenAllDisagreeSlashesNobody() public {
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(), _hashes(AGREED, DISSENT, OTHER), _flags(true, true, true));

        _expectClosed(
            jobId,
            ReplicatedOutcome.NoQuorum,
            bytes32(0),
            _replicaList(3),
            _amounts(0, 0, 0),
            _amounts(0, 0, 0),
            0,
            3 ether,
            0,
            0
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0, 0));
        _assertEthCredits(3 ether, 0, _amounts(0, 0, 0));
    }

    function test_finalize_noQuorumBelowAStrictQuorumSparesTheMajority() public {
        // Quorum 3 of 3: two agreeing workers are no quorum, and a revealed dissent is not slashed.
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(_repParams(3, 3), _hashes(AGREED, AGREED, DISSENT), _flags(true, true, true));

        _expectClosed(
            jobId,
            ReplicatedOutcome.NoQuorum,
            bytes32(0),
            _replicaList(3),
            _amounts(0, 0, 0),
            _amounts(0, 0, 0),
            0,
            3 ether,
            0,
            0
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0, 0));
        _assertEthCredits(3 ether, 0, _amounts(0, 0, 0));
    }

    function test_finalize_noQuorumInUsdcRefundsTokenAndCreditsSlashInEth() public {
        ReplicatedParams memory p = _repParams();
        p.token = address(usdc);
        p.price = 100e6;
        (bytes32 jobId, ReplicatedTerms memory t) =
            _playedOut(p, _hashes(AGREED, bytes32(0), DISSENT), _flags(true, false, true));

        _expectClosed(
            jobId,
            ReplicatedOutcome.NoQuorum,
            bytes32(0),
            _replicaList(3),
            _amounts(0, 0, 0),
            _amounts(0, 0.1 ether, 0),
            0,
            300e6,
            0,
            0.1 ether
        );
        _finalize(t);

        _assertStakesAfter(_amounts(0, 0.1 ether, 0));
        assertEq(_repCredit(address(usdc), client), 300e6, "whole budget back in USDC");
        assertEq(_repCredit(address(0), client), 0.1 ether, "the slash in ETH");
    }

    // ---- expired unfilled ----

    function test_finalize_expiredUnfilledRefundsAndSlashesNobody() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(), 1);
        _commit(t, 0, AGREED);
        vm.warp(uint256(t.openUntil) + 1);

        _expectClosed(
            jobId,
            ReplicatedOutcome.ExpiredUnfilled,
            bytes32(0),
            _replicaList(1),
            new uint96[](1),
            new uint96[](1),
            0,
            3 ether,
            0,
            0
        );
        _finalize(t);

        _assertStakesAfter(new uint96[](1));
        _assertRepJob(jobId, ReplicatedStatus.Closed, 1, 1, 0, 0);
        assertEq(_repCredit(address(0), client), 3 ether, "whole budget back");
        assertEq(_repCredit(address(0), replicaWorkers[0]), 0, "nothing for the lone worker");
        assertEq(address(registry).balance, REPLICA_STAKE, "no stake moved");
    }

    function test_finalize_expiredWithNoSlotTaken() public {
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(_repParams());
        vm.warp(uint256(t.openUntil) + 1);

        _expectClosed(
            jobId,
            ReplicatedOutcome.ExpiredUnfilled,
            bytes32(0),
            new address[](0),
            new uint96[](0),
            new uint96[](0),
            0,
            3 ether,
            0,
            0
        );
        _finalize(t);

        assertEq(_repCredit(address(0), client), 3 ether, "whole budget back");
    }

    function test_finalize_expiredUnfilledOfALargerQuorum() public {
        // 5 replicas, quorum 4: three slots are not enough.
        (bytes32 jobId, ReplicatedTerms memory t) = _postAndTake(_repParams(5, 4), 3);
        vm.warp(uint256(t.openUntil) + 1);

        _expectClosed(
            jobId,
            ReplicatedOutcome.ExpiredUnfilled,
            bytes32(0),
            _replicaList(3),
            new uint96[](3),
            new uint96[](3),
            0,
            5 ether,
            0,
            0
        );
        _finalize(t);

        _assertStakesAfter(new uint96[](3));
    }

    // ---- helpers ----

    /// @dev After settlement: each replica's stake lost exactly `slashed[i]` and none of it is locked any more.
    function _assertStakesAfter(uint96[] memory slashed) internal view {
        for (uint256 i; i < slashed.length; i++) {
            _assertReplicaStake(i, REPLICA_STAKE - slashed[i], 0);
        }
    }

    /// @dev ETH credits in the replicated market of the client, the treasury and replicaWorkers[0..).
    function _assertEthCredits(uint256 toClient, uint256 toTreasury, uint96[] memory toReplicas) internal view {
        assertEq(_repCredit(address(0), client), toClient, "client ETH credit");
        assertEq(_repCredit(address(0), treasury), toTreasury, "treasury ETH credit");
        for (uint256 i; i < toReplicas.length; i++) {
            assertEq(_repCredit(address(0), replicaWorkers[i]), toReplicas[i], "replica ETH credit");
        }
    }
}
