// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "../utils/ReplicatedFixture.sol";
import {LoomModels} from "../../src/LoomModels.sol";
import {LoomReplicatedMarket} from "../../src/LoomReplicatedMarket.sol";
import {ILoomRegistry} from "../../src/interfaces/ILoomRegistry.sol";
import {ReplicatedParams, ReplicatedStatus, ReplicatedTerms} from "../../src/interfaces/ILoomTypes.sol";

/// @notice postReplicatedJob: escrow of price * replicas, the terms it completes, and every rule it enforces.
contract ReplicatedPostTest is ReplicatedFixture {
    // ---- happy paths ----

    function test_postReplicatedJob_escrowsPriceTimesReplicasInEth() public {
        (bytes32 jobId,) = _postRep(_repParams());

        _assertRepJob(jobId, ReplicatedStatus.Running, 0, 0, 0, 0);
        assertEq(address(replicated).balance, 3 ether, "3 replicas at 1 ETH escrowed");
        assertEq(client.balance, 997 ether, "client paid the budget");
        assertEq(address(market).balance, 0, "the single-worker market is not involved");
        assertEq(_repCredit(address(0), client), 0, "nothing credited");
    }

    function test_postReplicatedJob_escrowsPriceTimesReplicasInUsdc() public {
        ReplicatedParams memory p = _repParams(5, 3);
        p.token = address(usdc);
        p.price = 100e6;

        (bytes32 jobId,) = _postRep(p);

        _assertRepJob(jobId, ReplicatedStatus.Running, 0, 0, 0, 0);
        assertEq(usdc.balanceOf(address(replicated)), 500e6, "5 replicas at 100 USDC escrowed");
        assertEq(usdc.balanceOf(client), 1_000_000e6 - 500e6, "client paid the budget");
        assertEq(address(replicated).balance, 0, "no ETH moved");
    }

    function test_postReplicatedJob_emitsReplicatedJobPosted() public {
        ReplicatedParams memory p = _repParams();
        ReplicatedTerms memory t = _repTerms(p, client, spec);
        bytes32 jobId = keccak256(abi.encode(t));

        vm.expectEmit(true, true, true, true, address(replicated));
        emit ReplicatedJobPosted(jobId, client, address(0), t, spec);
        vm.prank(client);
        assertEq(replicated.postReplicatedJob{value: 3 ether}(p, spec), jobId, "returns the id");
    }

    function test_postReplicatedJob_emitsReplicatedJobPostedForUsdc() public {
        ReplicatedParams memory p = _repParams();
        p.token = address(usdc);
        p.price = 10e6;
        ReplicatedTerms memory t = _repTerms(p, client, spec);
        bytes32 jobId = keccak256(abi.encode(t));

        vm.expectEmit(true, true, true, true, address(replicated));
        emit ReplicatedJobPosted(jobId, client, address(usdc), t, spec);
        vm.prank(client);
        replicated.postReplicatedJob(p, spec);
    }

    function test_postReplicatedJob_completesTermsWithCurrentFeeAndSpecHash() public {
        vm.prank(owner);
        replicated.setFee(250);
        ReplicatedParams memory p = _repParams();
        ReplicatedTerms memory t = _repTerms(p, client, spec);

        (bytes32 jobId,) = _postRep(p);

        assertEq(t.feeBps, 250, "the replicated market's fee at posting");
        assertEq(t.specHash, keccak256(spec), "spec hash");
        assertEq(t.client, client, "client");
        assertEq(replicated.replicatedJobIdOf(t), jobId, "the id of exactly these terms");
    }

    function test_postReplicatedJob_acceptsEveryValidReplication() public {
        uint8[2][5] memory valid = [[2, 2], [3, 3], [4, 3], [7, 4], [7, 7]];
        for (uint256 i; i < valid.length; i++) {
            ReplicatedParams memory p = _repParams(valid[i][0], valid[i][1]);
            p.salt = uint64(i);
            (bytes32 jobId,) = _postRep(p);
            _assertRepJob(jobId, ReplicatedStatus.Running, 0, 0, 0, 0);
        }
    }

    function test_postReplicatedJob_acceptsBoundaryWindowsAndOpenUntil() public {
        ReplicatedParams memory p = _repParams();
        p.commitWindow = 1;
        p.revealWindow = uint32(MAX_PHASE_WINDOW);
        p.openUntil = uint40(block.timestamp);
        _postRep(p);

        p.commitWindow = uint32(MAX_PHASE_WINDOW);
        p.revealWindow = 1;
        p.openUntil = uint40(block.timestamp + replicated.MAX_OPEN_PERIOD());
        _postRep(p);
    }

    function test_postReplicatedJob_acceptsLargestBudget() public {
        ReplicatedParams memory p = _repParams();
        p.price = type(uint96).max / 3;
        vm.deal(client, _budget(p));

        _postRep(p);

        assertEq(address(replicated).balance, uint256(type(uint96).max / 3) * 3, "escrowed");
    }

    // ---- reverts ----

    function test_postReplicatedJob_revertsIfTooFewReplicas() public {
        _expectRepPostReverts(_repParams(1, 1), 1 ether, _invalidReplication(1, 1));
        _expectRepPostReverts(_repParams(0, 0), 0, _invalidReplication(0, 0));
    }

    function test_postReplicatedJob_revertsIfTooManyReplicas() public {
        _expectRepPostReverts(_repParams(8, 5), 8 ether, _invalidReplication(8, 5));
        _expectRepPostReverts(_repParams(8, 8), 8 ether, _invalidReplication(8, 8));
    }

    function test_postReplicatedJob_revertsIfQuorumIsNoMajority() public {
        _expectRepPostReverts(_repParams(2, 1), 2 ether, _invalidReplication(2, 1));
        _expectRepPostReverts(_repParams(4, 2), 4 ether, _invalidReplication(4, 2));
        _expectRepPostReverts(_repParams(7, 3), 7 ether, _invalidReplication(7, 3));
        _expectRepPostReverts(_repParams(3, 0), 3 ether, _invalidReplication(3, 0));
    }

    function test_postReplicatedJob_revertsIfQuorumAboveReplicas() public {
        _expectRepPostReverts(_repParams(3, 4), 3 ether, _invalidReplication(3, 4));
        _expectRepPostReverts(_repParams(7, 255), 7 ether, _invalidReplication(7, 255));
    }

    function test_postReplicatedJob_revertsIfWindowZero() public {
        ReplicatedParams memory p = _repParams();
        p.commitWindow = 0;
        _expectRepPostReverts(p, 3 ether, abi.encodeWithSelector(InvalidWindow.selector, 0, 1 hours));
        p = _repParams();
        p.revealWindow = 0;
        _expectRepPostReverts(p, 3 ether, abi.encodeWithSelector(InvalidWindow.selector, 2 hours, 0));
    }

    function test_postReplicatedJob_revertsIfWindowTooLong() public {
        ReplicatedParams memory p = _repParams();
        p.commitWindow = uint32(MAX_PHASE_WINDOW + 1);
        _expectRepPostReverts(p, 3 ether, abi.encodeWithSelector(InvalidWindow.selector, MAX_PHASE_WINDOW + 1, 1 hours));
        p = _repParams();
        p.revealWindow = uint32(MAX_PHASE_WINDOW + 1);
        _expectRepPostReverts(p, 3 ether, abi.encodeWithSelector(InvalidWindow.selector, 2 hours, MAX_PHASE_WINDOW + 1));
    }

    function test_postReplicatedJob_revertsIfBudgetOverflows() public {
        ReplicatedParams memory p = _repParams();
        p.price = type(uint96).max / 3 + 1;
        _expectRepPostReverts(p, 0, abi.encodeWithSelector(BudgetOverflow.selector, p.price, 3));
        p = _repParams(7, 4);
        p.price = type(uint96).max;
        _expectRepPostReverts(p, 0, abi.encodeWithSelector(BudgetOverflow.selector, p.price, 7));
    }

    function test_postReplicatedJob_revertsIfZeroPrice() public {
        ReplicatedParams memory p = _repParams();
        p.price = 0;
        _expectRepPostReverts(p, 0, abi.encodeWithSelector(ZeroBudget.selector));
    }

    function test_postReplicatedJob_revertsIfTokenNotAllowed() public {
        ReplicatedParams memory p = _repParams();
        p.token = makeAddr("someToken");
        _expectRepPostReverts(p, 0, abi.encodeWithSelector(TokenNotAllowed.selector, p.token));
    }

    function test_postReplicatedJob_revertsIfTokenAllowedOnlyInTheOtherMarket() public {
        vm.prank(owner);
        replicated.setTokenAllowed(address(usdc), false);
        ReplicatedParams memory p = _repParams();
        p.token = address(usdc);

        assertTrue(market.tokenAllowed(address(usdc)), "allowed in the single-worker market");
        _expectRepPostReverts(p, 0, abi.encodeWithSelector(TokenNotAllowed.selector, address(usdc)));
    }

    function test_postReplicatedJob_revertsIfOpenUntilInThePast() public {
        ReplicatedParams memory p = _repParams();
        p.openUntil = uint40(block.timestamp - 1);
        _expectRepPostReverts(p, 3 ether, abi.encodeWithSelector(InvalidOpenUntil.selector, p.openUntil, START));
    }

    function test_postReplicatedJob_revertsIfOpenUntilTooFar() public {
        ReplicatedParams memory p = _repParams();
        p.openUntil = uint40(block.timestamp + replicated.MAX_OPEN_PERIOD() + 1);
        _expectRepPostReverts(p, 3 ether, abi.encodeWithSelector(InvalidOpenUntil.selector, p.openUntil, START));
    }

    function test_postReplicatedJob_revertsIfSpecTooLarge() public {
        ReplicatedParams memory p = _repParams();
        vm.expectRevert(abi.encodeWithSelector(SpecTooLarge.selector, 8 * 1024 + 1, 8 * 1024));
        vm.prank(client);
        replicated.postReplicatedJob{value: 3 ether}(p, new bytes(8 * 1024 + 1));
    }

    function test_postReplicatedJob_acceptsSpecAtLimit() public {
        vm.prank(client);
        replicated.postReplicatedJob{value: 3 ether}(_repParams(), new bytes(8 * 1024));

        assertEq(address(replicated).balance, 3 ether, "posted");
    }

    function test_postReplicatedJob_revertsIfJobExists() public {
        ReplicatedParams memory p = _repParams();
        (bytes32 jobId,) = _postRep(p);

        _expectRepPostReverts(p, 3 ether, abi.encodeWithSelector(JobExists.selector, jobId));

        p.salt = 1;
        _postRep(p);
        assertEq(address(replicated).balance, 6 ether, "a new salt makes a new job");
    }

    function test_postReplicatedJob_revertsIfJobExistsEvenClosed() public {
        ReplicatedParams memory p = _repParams();
        (bytes32 jobId, ReplicatedTerms memory t) = _postRep(p);
        vm.prank(client);
        replicated.cancelReplicatedJob(t);

        _expectRepPostReverts(p, 3 ether, abi.encodeWithSelector(JobExists.selector, jobId));
    }

    function test_postReplicatedJob_revertsIfEthValueMismatch() public {
        ReplicatedParams memory p = _repParams();
        _expectRepPostReverts(p, 1 ether, abi.encodeWithSelector(ValueMismatch.selector, 3 ether, 1 ether));
        _expectRepPostReverts(p, 3 ether + 1, abi.encodeWithSelector(ValueMismatch.selector, 3 ether, 3 ether + 1));
    }

    function test_postReplicatedJob_revertsIfEthSentWithToken() public {
        ReplicatedParams memory p = _repParams();
        p.token = address(usdc);
        p.price = 1e6;
        _expectRepPostReverts(p, 1, abi.encodeWithSelector(ValueMismatch.selector, 0, 1));
    }

    // ---- constructor ----

    function test_constructor_setsRegistryAndConfig() public {
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        vm.expectEmit(true, true, true, true, predicted);
        emit FeeSet(250);
        vm.expectEmit(true, true, true, true, predicted);
        emit TreasurySet(treasury);
        LoomReplicatedMarket fresh = new LoomReplicatedMarket(registry, owner, treasury, 250, market.models());

        assertEq(address(fresh.registry()), address(registry), "registry");
        assertEq(fresh.owner(), owner, "owner");
        assertEq(fresh.feeBps(), 250, "fee");
        assertEq(fresh.treasury(), treasury, "treasury");
        assertEq(fresh.MAX_REPLICAS(), MAX_REPLICAS, "most replicas");
        assertEq(fresh.MAX_PHASE_WINDOW(), MAX_PHASE_WINDOW, "longest phase");
    }

    function test_constructor_revertsIfRegistryZero() public {
        LoomModels models = market.models();
        vm.expectRevert(abi.encodeWithSelector(ZeroAddress.selector));
        new LoomReplicatedMarket(ILoomRegistry(address(0)), owner, treasury, FEE_BPS, models);
    }

    function test_constructor_revertsIfFeeTooHigh() public {
        LoomModels models = market.models();
        vm.expectRevert(abi.encodeWithSelector(FeeTooHigh.selector, 1_001, 1_000));
        new LoomReplicatedMarket(registry, owner, treasury, 1_001, models);
    }

    // ---- views ----

    function test_replicatedJobIdOf_isTheHashOfTheTerms() public view {
        ReplicatedTerms memory t = _repTerms(_repParams(), client, spec);
        bytes32 id = replicated.replicatedJobIdOf(t);

        assertEq(id, keccak256(abi.encode(t)), "keccak256(abi.encode(terms))");
        t.salt = 1;
        assertTrue(replicated.replicatedJobIdOf(t) != id, "another salt, another id");
        t.salt = 0;
        t.quorum = 3;
        assertTrue(replicated.replicatedJobIdOf(t) != id, "another quorum, another id");
    }

    function test_commitmentOf_isTheHashOfJobWorkerResultAndSalt() public view {
        bytes32 jobId = keccak256("job");
        bytes32 salt = keccak256("salt");
        bytes32 c = replicated.commitmentOf(jobId, worker, AGREED, salt);

        assertEq(c, keccak256(abi.encode(jobId, worker, AGREED, salt)), "keccak256(abi.encode(...))");
        assertTrue(replicated.commitmentOf(jobId, worker2, AGREED, salt) != c, "bound to the worker");
        assertTrue(replicated.commitmentOf(keccak256("job2"), worker, AGREED, salt) != c, "bound to the job");
        assertTrue(replicated.commitmentOf(jobId, worker, DISSENT, salt) != c, "bound to the result");
        assertTrue(replicated.commitmentOf(jobId, worker, AGREED, bytes32(0)) != c, "bound to the salt");
    }

    // ---- helpers ----

    function _invalidReplication(uint256 replicas, uint256 quorum) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(InvalidReplication.selector, replicas, quorum);
    }

    /// @dev The client posts `p` with `spec`, sending `value`, and the post reverts with `revertData`.
    function _expectRepPostReverts(ReplicatedParams memory p, uint256 value, bytes memory revertData) internal {
        vm.expectRevert(revertData);
        vm.prank(client);
        replicated.postReplicatedJob{value: value}(p, spec);
    }
}
