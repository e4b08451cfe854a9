// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {
    ReplicatedOutcome,
    ReplicatedParams,
    ReplicatedStatus,
    ReplicatedTerms
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice Replicated settlement with fuzzed replicas, quorum, price, collateral, fee and worker
/// behaviour: every wei escrowed or slashed is credited to someone, exactly as the settlement rules
/// say, and the market ends empty once everyone withdrew.
contract ReplicatedAmountsFuzzTest is ReplicatedFixture {
    uint16 internal constant MAX_FEE_BPS = 1_000;
    uint256 internal constant BPS = 10_000;

    /// @dev One fuzzed job: its parameters and what each taken slot's worker does.
    struct Case {
        ReplicatedParams p;
        uint256 filled;
        /// @dev Per taken slot: the hash committed (zero: no commit) and whether it is revealed.
        bytes32[] commits;
        bool[] reveals;
        uint96 stake;
    }

    /// @dev The ReplicatedJobClosed the rules predict.
    struct Expected {
        ReplicatedOutcome outcome;
        bytes32 resultHash;
        uint96[] payouts;
        uint96[] slashed;
        uint96 fee;
        uint96 clientRefund;
        uint96 winnerSlashShare;
        uint96 clientSlashShare;
        uint256 winners;
        uint256 totalSlashed;
    }

    // ---- posting ----

    function testFuzz_postReplicatedJob_acceptsExactlyTheMajorityQuorums(uint8 replicas, uint8 quorum) public {
        ReplicatedParams memory p = _repParams(replicas, quorum);
        p.price = 1;
        bool valid = replicas >= 2 && replicas <= MAX_REPLICAS && uint256(quorum) * 2 > replicas && quorum <= replicas;

        if (valid) {
            (bytes32 jobId,) = _postRep(p);
            _assertRepJob(jobId, ReplicatedStatus.Running, 0, 0, 0, 0);
        } else {
            vm.expectRevert(abi.encodeWithSelector(InvalidReplication.selector, replicas, quorum));
            vm.prank(client);
            replicated.postReplicatedJob{value: _budget(p)}(p, spec);
        }
    }

    function testFuzz_postReplicatedJob_escrowsPriceTimesReplicas(uint256 replicas, uint256 price, bool useUsdc)
        public
    {
        ReplicatedParams memory p = _repParams();
        p.replicas = uint8(_bound(replicas, 2, MAX_REPLICAS));
        p.quorum = p.replicas;
        p.price = uint96(_bound(price, 1, type(uint96).max / p.replicas));
        uint256 budget = uint256(p.price) * p.replicas;
        if (useUsdc) p.token = address(usdc);
        _fundClient(p.token, budget);
        uint256 clientBefore = _balanceOf(p.token, client);

        _postRep(p);

        assertEq(_balanceOf(p.token, address(replicated)), budget, "price * replicas escrowed");
        assertEq(clientBefore - _balanceOf(p.token, client), budget, "paid by the client");
    }

    function testFuzz_postReplicatedJob_budgetOverflowsJustAboveTheLimit(uint256 replicas) public {
        ReplicatedParams memory p = _repParams();
        p.replicas = uint8(_bound(replicas, 2, MAX_REPLICAS));
        p.quorum = p.replicas;
        p.token = address(usdc);

        p.price = uint96(type(uint96).max / p.replicas + 1);
        vm.expectRevert(abi.encodeWithSelector(BudgetOverflow.selector, p.price, p.replicas));
        vm.prank(client);
        replicated.postReplicatedJob(p, spec);

        p.price -= 1;
        _fundClient(p.token, _budget(p));
        _postRep(p);
        assertEq(usdc.balanceOf(address(replicated)), _budget(p), "the largest budget escrowed");
    }

    // ---- settlement ----

    function testFuzz_finalize_creditsEveryEscrowedAndSlashedWei(
        uint256 replicas,
        uint256 quorum,
        uint256 filled,
        uint256 price,
        uint256 collateral,
        uint256 feeBps,
        uint256 plays,
        bool useUsdc
    ) public {
        Case memory c = _case(replicas, quorum, filled, price, collateral, plays, useUsdc);
        vm.prank(owner);
        replicated.setFee(uint16(_bound(feeBps, 0, MAX_FEE_BPS)));
        _fundClient(c.p.token, _budget(c.p));
        for (uint256 i; i < c.filled; i++) {
            vm.deal(replicaWorkers[i], c.stake);
            _register(replicaWorkers[i], c.stake);
        }
        (bytes32 jobId, ReplicatedTerms memory t) = _playedOut(c.p, c.commits, c.reveals);
        Expected memory e = _expected(c, t);
        uint256 registryBefore = address(registry).balance;

        _expectClosed(
            jobId,
            e.outcome,
            e.resultHash,
            _replicaList(c.filled),
            e.payouts,
            e.slashed,
            e.fee,
            e.clientRefund,
            e.winnerSlashShare,
            e.clientSlashShare
        );
        _finalize(t);

        _assertConserved(c, e, registryBefore);
        _assertPerParty(c, e);
        _assertStakesSettled(c, e);
        _withdrawEverything(c.p.token);
        assertEq(address(replicated).balance, 0, "no ETH left in the market");
        assertEq(usdc.balanceOf(address(replicated)), 0, "no USDC left in the market");
    }

    // ---- the fuzzed job ----

    function _case(
        uint256 replicas,
        uint256 quorum,
        uint256 filled,
        uint256 price,
        uint256 collateral,
        uint256 plays,
        bool useUsdc
    ) internal view returns (Case memory c) {
        c.p = _repParams();
        c.p.replicas = uint8(_bound(replicas, 2, MAX_REPLICAS));
        c.p.quorum = uint8(_bound(quorum, c.p.replicas / 2 + 1, c.p.replicas));
        c.p.price = uint96(_bound(price, 1, type(uint96).max / c.p.replicas));
        // At most 7 collaterals are slashed from one job and the settlement counts them in uint96:
        // an eighth of the range keeps their sum in it (real stakes are far smaller still).
        c.p.collateral = uint96(_bound(collateral, 0, type(uint96).max / 8));
        if (useUsdc) c.p.token = address(usdc);
        // Three jobs in four reach their quorum of slots; the rest expire unfilled.
        c.filled =
            filled % 4 == 0 ? _bound(filled >> 2, 0, c.p.quorum - 1) : _bound(filled >> 2, c.p.quorum, c.p.replicas);
        c.stake = c.p.collateral + 1 ether;
        c.commits = new bytes32[](c.filled);
        c.reveals = new bool[](c.filled);
        for (uint256 i; i < c.filled; i++) {
            // Three workers in four agree; the rest skip the commit, skip the reveal or reveal another hash.
            uint256 play = uint256(keccak256(abi.encode(plays, i))) % 16;
            c.commits[i] = play == 0 ? bytes32(0) : play == 2 ? DISSENT : play == 3 ? OTHER : AGREED;
            c.reveals[i] = play >= 2;
        }
    }

    /// @dev The settlement rules of LoomReplicatedMarket, applied to `c`.
    function _expected(Case memory c, ReplicatedTerms memory t) internal pure returns (Expected memory e) {
        uint256 budget = uint256(t.price) * t.replicas;
        e.payouts = new uint96[](c.filled);
        e.slashed = new uint96[](c.filled);
        if (c.filled < t.quorum) {
            e.outcome = ReplicatedOutcome.ExpiredUnfilled;
            e.clientRefund = uint96(budget);
            return e;
        }
        e.resultHash = _quorumHash(c, t.quorum);
        e.outcome = e.resultHash == bytes32(0) ? ReplicatedOutcome.NoQuorum : ReplicatedOutcome.QuorumReached;
        for (uint256 i; i < c.filled; i++) {
            bool wins = _wins(c, e, i);
            bool slashed = e.outcome == ReplicatedOutcome.QuorumReached ? !wins : !c.reveals[i];
            if (wins) e.winners++;
            if (slashed) {
                e.slashed[i] = t.collateral;
                e.totalSlashed += t.collateral;
            }
        }
        if (e.outcome == ReplicatedOutcome.NoQuorum) {
            e.clientRefund = uint96(budget);
            e.clientSlashShare = uint96(e.totalSlashed);
            return e;
        }
        uint256 pot = uint256(t.price) * c.filled;
        uint256 gross = pot / e.winners;
        uint256 feeEach = gross * t.feeBps / BPS;
        for (uint256 i; i < c.filled; i++) {
            if (_wins(c, e, i)) e.payouts[i] = uint96(gross - feeEach);
        }
        e.fee = uint96(feeEach * e.winners);
        e.clientRefund = uint96(budget - gross * e.winners);
        e.winnerSlashShare = uint96(e.totalSlashed / 2 / e.winners);
        e.clientSlashShare = uint96(e.totalSlashed - uint256(e.winnerSlashShare) * e.winners);
    }

    /// @dev The revealed hash with at least `quorum` reveals, or zero.
    function _quorumHash(Case memory c, uint256 quorum) internal pure returns (bytes32) {
        bytes32[3] memory candidates = [AGREED, DISSENT, OTHER];
        for (uint256 h; h < candidates.length; h++) {
            uint256 count;
            for (uint256 i; i < c.filled; i++) {
                if (c.reveals[i] && c.commits[i] == candidates[h]) count++;
            }
            if (count >= quorum) return candidates[h];
        }
        return bytes32(0);
    }

    // ---- checks ----

    /// @dev What was escrowed and slashed equals what was credited, and the contracts hold exactly that.
    function _assertConserved(Case memory c, Expected memory e, uint256 registryBefore) internal view {
        uint256 budget = _budget(c.p);
        uint256 tokenCredits = _sumCredits(c.p.token, c.filled);
        uint256 ethCredits = _sumCredits(address(0), c.filled);
        uint256 slashedOut = registryBefore - address(registry).balance;

        assertEq(slashedOut, e.totalSlashed, "the registry sent exactly the slashed collateral");
        if (c.p.token == address(0)) {
            assertEq(ethCredits, budget + slashedOut, "ETH credits = escrow + slashed");
        } else {
            assertEq(tokenCredits, budget, "USDC credits = escrow");
            assertEq(ethCredits, slashedOut, "ETH credits = slashed");
            assertEq(usdc.balanceOf(address(replicated)), tokenCredits, "USDC held = USDC credited");
        }
        assertEq(address(replicated).balance, ethCredits, "ETH held = ETH credited");
    }

    function _assertPerParty(Case memory c, Expected memory e) internal view {
        address token = c.p.token;
        bool eth = token == address(0);
        uint256 clientSlash = e.clientSlashShare;
        assertEq(_repCredit(token, client), e.clientRefund + (eth ? clientSlash : 0), "client credit");
        if (!eth) assertEq(_repCredit(address(0), client), clientSlash, "client ETH credit");
        assertEq(_repCredit(token, treasury), e.fee, "treasury credit");
        for (uint256 i; i < c.filled; i++) {
            uint256 slashShare = _wins(c, e, i) ? e.winnerSlashShare : 0;
            assertEq(_repCredit(token, replicaWorkers[i]), e.payouts[i] + (eth ? slashShare : 0), "worker credit");
            if (!eth) assertEq(_repCredit(address(0), replicaWorkers[i]), slashShare, "worker ETH credit");
        }
    }

    function _assertStakesSettled(Case memory c, Expected memory e) internal view {
        for (uint256 i; i < c.filled; i++) {
            _assertReplicaStake(i, c.stake - e.slashed[i], 0);
        }
    }

    /// @dev Whether slot i revealed the quorum's hash.
    function _wins(Case memory c, Expected memory e, uint256 i) internal pure returns (bool) {
        return e.outcome == ReplicatedOutcome.QuorumReached && c.reveals[i] && c.commits[i] == e.resultHash;
    }

    // ---- money ----

    function _sumCredits(address token, uint256 filled) internal view returns (uint256 sum) {
        sum = _repCredit(token, client) + _repCredit(token, treasury) + _repCredit(token, stranger);
        for (uint256 i; i < filled; i++) {
            sum += _repCredit(token, replicaWorkers[i]);
        }
    }

    function _withdrawEverything(address token) internal {
        address[] memory accounts = new address[](MAX_REPLICAS + 2);
        accounts[0] = client;
        accounts[1] = treasury;
        for (uint256 i; i < MAX_REPLICAS; i++) {
            accounts[i + 2] = replicaWorkers[i];
        }
        for (uint256 i; i < accounts.length; i++) {
            _withdrawIfAny(token, accounts[i]);
            if (token != address(0)) _withdrawIfAny(address(0), accounts[i]);
        }
    }

    function _withdrawIfAny(address token, address who) internal {
        if (_repCredit(token, who) == 0) return;
        vm.prank(who);
        replicated.withdraw(token, who);
    }

    function _fundClient(address token, uint256 amount) internal {
        if (token == address(0)) vm.deal(client, client.balance + amount);
        else usdc.mint(client, amount);
    }

    function _balanceOf(address token, address who) internal view returns (uint256) {
        return token == address(0) ? who.balance : usdc.balanceOf(who);
    }
}
