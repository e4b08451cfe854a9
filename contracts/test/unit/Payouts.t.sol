// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketFixture} from "../utils/MarketFixture.sol";
import {Payouts} from "../../src/libraries/Payouts.sol";
import {CloseReason, JobMode, JobParams, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice The payout arithmetic on its own, then as the market applies it.
contract PayoutsTest is MarketFixture {
    /// @dev MarketConfig.MAX_FEE_BPS, repeated here so the library tests stay pure.
    uint16 internal constant MAX_FEE_BPS = 1_000;

    // ---- fee ----

    function test_fee_takesBasisPointsOfGross() public pure {
        assertEq(Payouts.fee(1 ether, 100), 0.01 ether, "1% of 1 ETH");
        assertEq(Payouts.fee(100e6, 250), 2.5e6, "2.5% of 100 USDC");
        assertEq(Payouts.fee(1 ether, MAX_FEE_BPS), 0.1 ether, "10% cap");
        assertEq(Payouts.fee(1 ether, 10_000), 1 ether, "100% is the whole gross");
    }

    function test_fee_roundsDownInWorkersFavour() public pure {
        assertEq(Payouts.fee(99, 100), 0, "0.99 wei rounds to 0");
        assertEq(Payouts.fee(100, 100), 1, "exactly 1 wei");
        assertEq(Payouts.fee(199, 100), 1, "1.99 wei rounds to 1");
        assertEq(Payouts.fee(9_999, 1), 0, "just under one wei of fee");
        assertEq(Payouts.fee(10_000, 1), 1, "one wei of fee");
    }

    function test_fee_isZeroForZeroFeeOrGross() public pure {
        assertEq(Payouts.fee(1 ether, 0), 0, "no fee rate");
        assertEq(Payouts.fee(0, MAX_FEE_BPS), 0, "nothing to take from");
    }

    function test_fee_doesNotOverflowAtMaxGross() public pure {
        uint96 gross = type(uint96).max;
        assertEq(Payouts.fee(gross, MAX_FEE_BPS), gross / 10, "10% of the largest amount");
        assertEq(Payouts.fee(gross, 10_000), gross, "100% of the largest amount");
    }

    function testFuzz_fee_neverExceedsGross(uint96 gross, uint16 feeBps) public pure {
        feeBps = uint16(bound(feeBps, 0, 10_000));

        uint96 f = Payouts.fee(gross, feeBps);

        assertLe(f, gross, "fee <= gross");
        assertEq(f, uint256(gross) * feeBps / 10_000, "floor(gross * bps / 10000)");
    }

    function testFuzz_fee_withinCapIsAtMostATenth(uint96 gross, uint16 feeBps) public pure {
        feeBps = uint16(bound(feeBps, 0, MAX_FEE_BPS));

        assertLe(Payouts.fee(gross, feeBps), gross / 10, "fee <= 10% of gross");
    }

    function testFuzz_fee_growsWithRate(uint96 gross, uint16 lowBps, uint16 highBps) public pure {
        lowBps = uint16(bound(lowBps, 0, 10_000));
        highBps = uint16(bound(highBps, lowBps, 10_000));

        assertLe(Payouts.fee(gross, lowBps), Payouts.fee(gross, highBps), "monotone in the rate");
    }

    // ---- neutralSplit ----

    function test_neutralSplit_halvesEvenPrice() public pure {
        (uint96 toWorker, uint96 toClient) = Payouts.neutralSplit(2 ether);
        assertEq(toWorker, 1 ether, "worker half");
        assertEq(toClient, 1 ether, "client half");
    }

    function test_neutralSplit_givesOddWeiToClient() public pure {
        (uint96 toWorker, uint96 toClient) = Payouts.neutralSplit(3);
        assertEq(toWorker, 1, "worker rounds down");
        assertEq(toClient, 2, "client gets the odd wei");

        (toWorker, toClient) = Payouts.neutralSplit(1);
        assertEq(toWorker, 0, "worker gets nothing of 1 wei");
        assertEq(toClient, 1, "client gets the 1 wei");
    }

    function test_neutralSplit_ofZero() public pure {
        (uint96 toWorker, uint96 toClient) = Payouts.neutralSplit(0);
        assertEq(toWorker, 0, "worker");
        assertEq(toClient, 0, "client");
    }

    function test_neutralSplit_ofMaxPrice() public pure {
        uint96 price = type(uint96).max; // odd
        (uint96 toWorker, uint96 toClient) = Payouts.neutralSplit(price);
        assertEq(toWorker, price / 2, "worker");
        assertEq(toClient, price / 2 + 1, "client");
    }

    function testFuzz_neutralSplit_sumsToPrice(uint96 price) public pure {
        (uint96 toWorker, uint96 toClient) = Payouts.neutralSplit(price);

        assertEq(uint256(toWorker) + toClient, price, "toWorker + toClient == price");
        assertGe(toClient, toWorker, "client never gets less");
        assertLe(toClient - toWorker, 1, "at most the odd wei apart");
    }

    // ---- quorumShare ----

    function test_quorumShare_splitsEvenlyWithoutRemainder() public pure {
        (uint96 each, uint96 toClient) = Payouts.quorumShare(3 ether, 3);
        assertEq(each, 1 ether, "a third each");
        assertEq(toClient, 0, "nothing left over");
    }

    function test_quorumShare_givesRemainderToClient() public pure {
        (uint96 each, uint96 toClient) = Payouts.quorumShare(4 ether, 3);
        assertEq(each, 1_333_333_333_333_333_333, "floor of a third");
        assertEq(toClient, 1, "the wei left over");
        (each, toClient) = Payouts.quorumShare(11, 4);
        assertEq(each, 2, "floor(11 / 4)");
        assertEq(toClient, 3, "11 - 4 * 2");
    }

    function testFuzz_quorumShare_sumsToPot(uint96 pot, uint8 winners) public pure {
        winners = uint8(bound(winners, 1, 7));

        (uint96 each, uint96 toClient) = Payouts.quorumShare(pot, winners);

        assertEq(uint256(each) * winners + toClient, pot, "every wei accounted for");
        assertLt(toClient, winners, "the remainder is under one wei per winner");
    }

    // ---- slashSplit ----

    function test_slashSplit_halfToWinnersRestToClient() public pure {
        (uint96 each, uint96 toClient) = Payouts.slashSplit(0.1 ether, 2);
        assertEq(each, 0.025 ether, "a quarter each");
        assertEq(toClient, 0.05 ether, "half to the client");
    }

    function test_slashSplit_roundingToClient() public pure {
        (uint96 each, uint96 toClient) = Payouts.slashSplit(0.2 ether, 3);
        assertEq(each, 33_333_333_333_333_333, "floor of a sixth");
        assertEq(toClient, 100_000_000_000_000_001, "half and the rounding");
        (each, toClient) = Payouts.slashSplit(1, 1);
        assertEq(each, 0, "half a wei rounds down");
        assertEq(toClient, 1, "the odd wei to the client");
    }

    function test_slashSplit_allToClientWithoutWinners() public pure {
        (uint96 each, uint96 toClient) = Payouts.slashSplit(0.3 ether, 0);
        assertEq(each, 0, "nobody to share with");
        assertEq(toClient, 0.3 ether, "all to the client");
    }

    function testFuzz_slashSplit_sumsToSlashed(uint96 slashed, uint8 winners) public pure {
        winners = uint8(bound(winners, 0, 7));

        (uint96 each, uint96 toClient) = Payouts.slashSplit(slashed, winners);

        assertEq(uint256(each) * winners + toClient, slashed, "every wei accounted for");
        assertLe(uint256(each) * winners, slashed / 2, "winners get at most half");
    }

    // ---- as the market applies them ----

    function testFuzz_fee_isWhatReleaseCharges(uint96 budget) public {
        budget = uint96(bound(budget, 1, 100 ether));
        JobParams memory p = _params(JobMode.Claim);
        p.budget = budget;
        (bytes32 jobId, JobTerms memory t) = _submittedWith(p);
        uint96 fee = Payouts.fee(budget, FEE_BPS);

        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.Completed, worker, budget - fee, fee, 0, 0);
        vm.prank(client);
        market.release(t);

        assertEq(market.credits(address(0), treasury), fee, "treasury gets the fee");
        assertEq(market.credits(address(0), worker), budget - fee, "worker gets the rest");
    }

    function test_neutralSplit_isWhatTimedOutDisputePays() public {
        uint96 budget = 1 ether + 1; // odd, so the rounding shows
        JobParams memory p = _params(JobMode.Claim);
        p.budget = budget;
        (bytes32 jobId, JobTerms memory t) = _submittedWith(p);
        vm.prank(client);
        market.dispute(t, "output is empty");
        vm.warp(block.timestamp + market.ARBITRATION_PERIOD() + 1);

        (uint96 toWorker, uint96 toClient) = Payouts.neutralSplit(budget);
        uint96 fee = Payouts.fee(toWorker, FEE_BPS);
        assertEq(toClient, toWorker + 1, "odd wei to the client");

        vm.expectEmit(true, true, true, true, address(market));
        emit JobClosed(jobId, CloseReason.ArbitrationTimedOut, worker, toWorker - fee, fee, toClient, 0);
        market.settleTimedOutDispute(t);

        assertEq(market.credits(address(0), worker), toWorker - fee, "worker's half less the fee");
        assertEq(market.credits(address(0), treasury), fee, "fee on the worker's half only");
        assertEq(market.credits(address(0), client), toClient, "client's half");
    }
}
