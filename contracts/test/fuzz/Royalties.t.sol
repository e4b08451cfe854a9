// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelsFixture} from "../utils/ModelsFixture.sol";
import {JobMode, JobParams, JobTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice Fuzzed model fees, budgets and rulings: whatever the job's end, each creator is credited its
/// fee times the worker's share of the price (rounded down), the client gets back every wei of the fees
/// that was not earned, and the hub holds exactly what it credited.
contract RoyaltiesFuzzTest is ModelsFixture {
    uint256 internal constant MAX_ETH_BUDGET = 500 ether;
    /// @dev With three fees at most, within the client's 1,000,000 USDC.
    uint256 internal constant MAX_USDC_BUDGET = 500_000e6;
    uint256 internal constant MAX_ETH_FEE = 10 ether;
    uint256 internal constant MAX_USDC_FEE = 100_000e6;

    /// @dev Ways a single job closes, and what they pay the worker out of the price.
    enum End {
        Release,
        Ruling,
        TimedOut,
        Cancel,
        Expire,
        Return,
        Reclaim
    }

    function testFuzz_resolveDispute_royaltiesFollowTheRuling(
        uint256[3] memory fees,
        uint256 budget,
        uint256 workerAmount,
        bool useUsdc
    ) public {
        (uint32[] memory ids, uint256[3] memory f) = _fuzzModels(fees, useUsdc);
        JobParams memory p = _fuzzParams(budget, useUsdc);
        workerAmount = _bound(workerAmount, 0, p.budget);
        (, JobTerms memory t) = _submittedWithModels(p, ids);
        _disputeFor(t);
        vm.prank(arbiter);
        market.resolveDispute(t, uint96(workerAmount), 0);
        _assertShares(p.token, f, workerAmount, p.budget);
    }

    function testFuzz_anyEnd_creatorsGetTheWorkersShareAndTheClientTheRest(
        uint256[3] memory fees,
        uint256 budget,
        uint8 endSeed,
        bool useUsdc
    ) public {
        (uint32[] memory ids, uint256[3] memory f) = _fuzzModels(fees, useUsdc);
        JobParams memory p = _fuzzParams(budget, useUsdc);
        End end = End(endSeed % 7);
        uint256 paid;
        if (end == End.Cancel || end == End.Expire) {
            (, JobTerms memory open) = _postWithModels(p, ids);
            vm.prank(client);
            if (end == End.Cancel) {
                market.cancelJob(open);
            } else {
                vm.warp(uint256(open.openUntil) + 1);
                market.expire(open);
            }
        } else if (end == End.Return || end == End.Reclaim) {
            (, JobTerms memory assigned) = _claimedWithModels(p, ids);
            vm.prank(worker);
            if (end == End.Return) {
                market.returnJob(assigned);
            } else {
                vm.warp(block.timestamp + assigned.executionTimeout + 1);
                market.reclaim(assigned);
            }
        } else {
            (, JobTerms memory t) = _submittedWithModels(p, ids);
            if (end == End.Release) {
                paid = p.budget;
                vm.prank(client);
                market.release(t);
            } else {
                // The neutral split (the ruling's own test covers any other).
                paid = p.budget / 2;
                _disputeFor(t);
                if (end == End.Ruling) {
                    vm.prank(arbiter);
                    market.resolveDispute(t, uint96(paid), 0);
                } else {
                    vm.warp(block.timestamp + market.ARBITRATION_PERIOD() + 1);
                    market.settleTimedOutDispute(t);
                }
            }
        }
        _assertShares(p.token, f, paid, p.budget);
    }

    // ---- helpers ----

    /// @dev Three models by the three creators with fuzzed fees (some may be zero) in the job's token.
    function _fuzzModels(uint256[3] memory fees, bool useUsdc) internal returns (uint32[] memory ids, uint256[3] memory f) {
        address token = useUsdc ? address(usdc) : address(0);
        address[3] memory creators = [creator, creator2, creator3];
        ids = new uint32[](3);
        for (uint256 i; i < 3; i++) {
            f[i] = _bound(fees[i], 0, useUsdc ? MAX_USDC_FEE : MAX_ETH_FEE);
            ids[i] = _publish(creators[i], uint96(f[i]), token);
        }
    }

    function _fuzzParams(uint256 budget, bool useUsdc) internal view returns (JobParams memory p) {
        p = useUsdc ? _usdcParams(JobMode.Claim) : _params(JobMode.Claim);
        p.budget = uint96(_bound(budget, 1, useUsdc ? MAX_USDC_BUDGET : MAX_ETH_BUDGET));
    }

    /// @dev Each creator has fee * paid / price, the client the rest of the fees, the hub exactly both.
    function _assertShares(address token, uint256[3] memory f, uint256 paid, uint256 price) internal view {
        address[3] memory creators = [creator, creator2, creator3];
        uint256 toCreators;
        uint256 fees;
        for (uint256 i; i < 3; i++) {
            assertEq(_royalty(token, creators[i]), f[i] * paid / price, "creator's share of its fee");
            toCreators += _royalty(token, creators[i]);
            fees += f[i];
        }
        assertEq(toCreators + _royalty(token, client), fees, "creators + refund == fees");
        uint256 held = token == address(0) ? address(models).balance : usdc.balanceOf(address(models));
        assertEq(held, fees, "the hub holds the fees, now credits");
    }
}
