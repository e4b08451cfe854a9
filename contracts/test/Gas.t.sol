// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ModelsFixture} from "./utils/ModelsFixture.sol";
import {JobMode, JobParams, JobTerms, ReplicatedParams, ReplicatedTerms} from "../src/interfaces/ILoomTypes.sol";

/// @notice Full lifecycles whose per-step gas is recorded in contracts/snapshots/GasTest.json and,
/// per lifecycle, in contracts/.gas-snapshot (`npm run contracts:snapshot`; `npm test` checks it).
/// One warm-up job per market runs first so that first-ever account storage is not what is measured.
/// bench/gas.ts measures the same steps from transaction receipts on anvil.
contract GasTest is ModelsFixture {
    /// @dev Three ETH models with fees, for `postJobWithModels`.
    uint32[] internal modelIds;

    function setUp() public override {
        super.setUp();
        _register(worker, 1 ether);
        _register(worker2, 1 ether);
        (, JobTerms memory t) = _postWith(_claimParams(1));
        vm.prank(worker);
        market.claimJob(t);
        vm.prank(worker);
        market.submitResult(t, keccak256("warm-up"), "http://127.0.0.1/artifacts/warm-up");
        vm.prank(client);
        market.release(t);

        (, ReplicatedTerms memory rt) = _postAndTake(_replicatedParams(1), 3);
        _commitAll(rt, _hashes(AGREED, AGREED, AGREED));
        _revealAll(rt, _hashes(AGREED, AGREED, AGREED), _flags(true, true, true));
        _finalize(rt);

        modelIds = _threeEthModels();
        _postWithModels(_claimParams(5), modelIds);
    }

    function test_gas_claimLifecycle() public {
        (, JobTerms memory t) = _postWith(_claimParams(2));
        vm.snapshotGasLastCall("postJob");
        vm.prank(worker);
        market.claimJob(t);
        vm.snapshotGasLastCall("claimJob");
        _submitAndRelease(t);
        vm.prank(worker);
        market.withdraw(address(0), worker);
        vm.snapshotGasLastCall("withdraw");
    }

    function test_gas_auctionLifecycle() public {
        JobParams memory p = _claimParams(3);
        p.mode = JobMode.Auction;
        (, JobTerms memory t) = _postWith(p);
        vm.prank(worker);
        market.placeBid(t, 0.8 ether);
        vm.snapshotGasLastCall("placeBid");
        vm.prank(worker2);
        market.placeBid(t, 0.9 ether);
        vm.prank(client);
        market.acceptBid(t, worker);
        vm.snapshotGasLastCall("acceptBid");
        vm.prank(worker);
        market.submitResult(t, keccak256("result"), "http://127.0.0.1/artifacts/result");
        vm.prank(client);
        market.release(t);
    }

    function test_gas_disputeLifecycle() public {
        (, JobTerms memory t) = _postWith(_claimParams(4));
        vm.prank(worker);
        market.claimJob(t);
        vm.prank(worker);
        market.submitResult(t, keccak256("result"), "http://127.0.0.1/artifacts/result");
        vm.prank(client);
        market.dispute(t, "output does not match the spec");
        vm.snapshotGasLastCall("dispute");
        vm.prank(arbiter);
        market.resolveDispute(t, 0.5 ether, 0);
        vm.snapshotGasLastCall("resolveDispute");
    }

    /// @dev The benchmark job posted through the model hub naming three models with fees (ETH: budget
    /// plus fees sent); the issue's goal is gas.postJob + 3 x 25,000 (bench/gas.ts measures it).
    function test_gas_postJobWithModels() public {
        JobParams memory p = _claimParams(6);
        vm.prank(client);
        models.postJobWithModels{value: p.budget + 0.06 ether}(p, spec, modelIds);
        vm.snapshotGasLastCall("postJobWithModels");
    }

    /// @dev Each step is measured at its last call of the job, the dearest: the last slot taken scans
    /// the taken ones, the last commit opens the reveal phase, the last reveal lets finalize run at once.
    function test_gas_replicatedLifecycle() public {
        ReplicatedParams memory p = _replicatedParams(2);
        ReplicatedTerms memory t = _repTerms(p, client, spec);
        vm.prank(client);
        replicated.postReplicatedJob{value: _budget(p)}(p, spec);
        vm.snapshotGasLastCall("postReplicatedJob");
        _takeSlots(t, 3);
        vm.snapshotGasLastCall("takeSlot");
        _commitAll(t, _hashes(AGREED, AGREED, AGREED));
        vm.snapshotGasLastCall("commitResult");
        _revealAll(t, _hashes(AGREED, AGREED, AGREED), _flags(true, true, true));
        vm.snapshotGasLastCall("revealResult");
        _finalize(t);
        vm.snapshotGasLastCall("finalize");
    }

    function _submitAndRelease(JobTerms memory t) internal {
        vm.prank(worker);
        market.submitResult(t, keccak256("result"), "http://127.0.0.1/artifacts/result");
        vm.snapshotGasLastCall("submitResult");
        vm.prank(client);
        market.release(t);
        vm.snapshotGasLastCall("release");
    }

    /// @dev The benchmark job: ETH, no collateral, a 256-byte spec.
    function _claimParams(uint64 salt) internal view returns (JobParams memory p) {
        p = _params(JobMode.Claim);
        p.collateral = 0;
        p.salt = salt;
    }

    /// @dev The replicated benchmark job: 3 replicas, quorum 2, ETH, no collateral, the same 256-byte spec.
    function _replicatedParams(uint64 salt) internal view returns (ReplicatedParams memory p) {
        p = _repParams(3, 2);
        p.collateral = 0;
        p.salt = salt;
    }

    function _postWith(JobParams memory p) internal returns (bytes32 jobId, JobTerms memory t) {
        return _post(p);
    }
}
