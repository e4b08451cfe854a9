// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {PoolsFixture} from "../utils/PoolsFixture.sol";
import {Payouts} from "../../src/libraries/Payouts.sol";
import {JobParams, JobTerms, ReplicatedParams, ReplicatedTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice Fuzzed budgets, protocol fees, pool fees and rulings: the operator gets the pool's fee of the
/// member's payout after the protocol fee, and operator + worker + treasury + client is, to the wei,
/// what the job escrowed.
contract PoolFeesFuzzTest is PoolsFixture {
    uint256 internal constant MAX_ETH_BUDGET = 500 ether;
    uint256 internal constant MAX_USDC_BUDGET = 1_000_000e6;

    function testFuzz_singleJob_everyWeiOfTheBudgetIsAccountedFor(
        uint256 budget,
        uint256 protocolFeeBps,
        uint256 poolFeeBps,
        uint256 workerAmount,
        bool dispute,
        bool useUsdc
    ) public {
        uint16 protocolFee = uint16(_bound(protocolFeeBps, 0, market.MAX_FEE_BPS()));
        vm.prank(owner);
        market.setFee(protocolFee);
        uint64 pool = _createPool(uint16(_bound(poolFeeBps, 0, registry.MAX_POOL_FEE_BPS())), false);
        (, uint16 poolFee,) = registry.pools(pool);
        JobParams memory p = _poolParams(pool);
        if (useUsdc) p.token = address(usdc);
        p.budget = uint96(_bound(budget, 1, useUsdc ? MAX_USDC_BUDGET : MAX_ETH_BUDGET));
        p.collateral = 0;

        _joinPool(worker, pool);
        (, JobTerms memory t) = _post(p);
        vm.prank(worker);
        market.claimJob(t);
        _submitFor(t);
        uint96 gross = p.budget;
        if (dispute) {
            gross = uint96(_bound(workerAmount, 0, p.budget));
            _disputeFor(t);
            vm.prank(arbiter);
            market.resolveDispute(t, gross, 0);
        } else {
            vm.prank(client);
            market.release(t);
        }

        uint96 net = gross - Payouts.fee(gross, protocolFee);
        uint256 toOperator = market.credits(p.token, operator);
        assertEq(toOperator, Payouts.fee(net, poolFee), "operator: the pool's fee of the net payout");
        assertEq(market.credits(p.token, worker), net - toOperator, "worker: the net payout less the pool's fee");
        assertEq(
            toOperator + market.credits(p.token, worker) + market.credits(p.token, treasury) + market.credits(p.token, client),
            p.budget,
            "operator + worker + treasury + client == budget"
        );
    }

    function testFuzz_replicatedJob_everyWeiOfTheBudgetIsAccountedFor(
        uint256 price,
        uint256 protocolFeeBps,
        uint256[3] memory poolFees,
        bool dissent,
        bool useUsdc
    ) public {
        uint16 protocolFee = uint16(_bound(protocolFeeBps, 0, replicated.MAX_FEE_BPS()));
        vm.prank(owner);
        replicated.setFee(protocolFee);
        uint64 pool = _createPool(0, false);
        ReplicatedParams memory p = _repParams();
        p.pool = pool;
        p.collateral = 0;
        if (useUsdc) p.token = address(usdc);
        p.price = uint96(_bound(price, 1, (useUsdc ? MAX_USDC_BUDGET : MAX_ETH_BUDGET) / 3));
        (, ReplicatedTerms memory t) = _postRep(p);
        // Each slot is taken at its own pool fee.
        for (uint256 i; i < 3; i++) {
            poolFees[i] = _bound(poolFees[i], 0, registry.MAX_POOL_FEE_BPS());
            _joinPool(replicaWorkers[i], pool);
            vm.prank(operator);
            registry.setPoolFee(pool, uint16(poolFees[i]));
            _takeSlots(t, i + 1);
        }
        _commitAndReveal(t, _hashes(AGREED, dissent ? DISSENT : AGREED, AGREED), _flags(true, true, true));
        vm.warp(_revealDeadlineOf(keccak256(abi.encode(t)), t) + 1);
        _finalize(t);
        _assertReplicatedPay(t, poolFees, dissent);
    }

    /// @dev Each winner got the equal share less the protocol fee less its slot's pool fee, the operator
    /// those pool fees, and everyone together the budget.
    function _assertReplicatedPay(ReplicatedTerms memory t, uint256[3] memory poolFees, bool dissent) internal view {
        uint256 total = _repCredit(t.token, operator) + _repCredit(t.token, treasury) + _repCredit(t.token, client);
        uint256 toOperator;
        uint96 gross = uint96(uint256(t.price) * 3 / (dissent ? 2 : 3));
        uint96 net = gross - Payouts.fee(gross, t.feeBps);
        for (uint256 i; i < 3; i++) {
            total += _repCredit(t.token, replicaWorkers[i]);
            if (dissent && i == 1) continue;
            uint96 cut = Payouts.fee(net, uint16(poolFees[i]));
            toOperator += cut;
            assertEq(_repCredit(t.token, replicaWorkers[i]), net - cut, "winner: net less its slot's pool fee");
        }
        assertEq(_repCredit(t.token, operator), toOperator, "operator: each winner's fee");
        assertEq(total, uint256(t.price) * 3, "operator + workers + treasury + client == budget");
    }
}
