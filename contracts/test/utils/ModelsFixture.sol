// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReplicatedFixture} from "./ReplicatedFixture.sol";
import {LoomModels} from "../../src/LoomModels.sol";
import {
    JobParams,
    JobTerms,
    ModelFile,
    ModelKind,
    ModelParams,
    ReplicatedParams,
    ReplicatedTerms
} from "../../src/interfaces/ILoomTypes.sol";

/// @notice ReplicatedFixture plus the model hub the market created: three creators, helpers that
/// publish models and post jobs through the hub, paying the budget and the models' fees at once.
abstract contract ModelsFixture is ReplicatedFixture {
    LoomModels internal models;

    address internal creator = makeAddr("creator");
    address internal creator2 = makeAddr("creator2");
    address internal creator3 = makeAddr("creator3");

    function setUp() public virtual override {
        super.setUp();
        models = market.models();
        address[5] memory actors = [client, worker, worker2, stranger, arbiter];
        for (uint256 i; i < actors.length; i++) {
            vm.prank(actors[i]);
            usdc.approve(address(models), type(uint256).max);
        }
    }

    // ---- publishing ----

    /// @dev A Weights model with one file, its fee in `token`, following no version.
    function _modelParams(uint96 fee, address token) internal pure returns (ModelParams memory m) {
        m.name = "llama-3-8b";
        m.version = "1.0";
        m.kind = ModelKind.Weights;
        m.files = new ModelFile[](1);
        m.files[0] = ModelFile(sha256("weights"), 16_000_000_000, "model.safetensors");
        m.licenseURI = "https://example.org/license";
        m.token = token;
        m.fee = fee;
    }

    /// @dev `who` publishes `m`; returns its id.
    function _publish(address who, ModelParams memory m) internal returns (uint32 modelId) {
        vm.prank(who);
        modelId = models.publish(m);
    }

    /// @dev `who` publishes a Weights model with `fee` in `token`.
    function _publish(address who, uint96 fee, address token) internal returns (uint32) {
        return _publish(who, _modelParams(fee, token));
    }

    /// @dev Three ETH models by the three creators, with fees of 0.01, 0.02 and 0.03 ETH.
    function _threeEthModels() internal returns (uint32[] memory ids) {
        uint32 a = _publish(creator, 0.01 ether, address(0));
        uint32 b = _publish(creator2, 0.02 ether, address(0));
        ids = _ids(a, b, _publish(creator3, 0.03 ether, address(0)));
    }

    function _ids(uint32 a) internal pure returns (uint32[] memory ids) {
        ids = new uint32[](1);
        ids[0] = a;
    }

    function _ids(uint32 a, uint32 b) internal pure returns (uint32[] memory ids) {
        ids = new uint32[](2);
        (ids[0], ids[1]) = (a, b);
    }

    function _ids(uint32 a, uint32 b, uint32 c) internal pure returns (uint32[] memory ids) {
        ids = new uint32[](3);
        (ids[0], ids[1], ids[2]) = (a, b, c);
    }

    /// @dev The fees of `ids` as the hub stores them, and their sum.
    function _feesOf(uint32[] memory ids) internal view returns (uint96[] memory fees, uint256 total) {
        fees = new uint96[](ids.length);
        for (uint256 i; i < ids.length; i++) {
            (, fees[i],,) = models.models(ids[i]);
            total += fees[i];
        }
    }

    // ---- posting through the hub ----

    /// @dev The client posts `p` through the hub using `ids`, sending budget + fees in ETH (or approving USDC).
    function _postWithModels(JobParams memory p, uint32[] memory ids) internal returns (bytes32 jobId, JobTerms memory t) {
        t = _terms(p, client, spec);
        (, uint256 fees) = _feesOf(ids);
        vm.prank(client);
        jobId = models.postJobWithModels{value: p.token == address(0) ? p.budget + fees : 0}(p, spec, ids);
        assertEq(jobId, keccak256(abi.encode(t)), "job id is the hash of the terms, the client's");
    }

    /// @dev `_postWithModels`, then `worker` (registered with 1 ETH stake) claims it.
    function _claimedWithModels(JobParams memory p, uint32[] memory ids) internal returns (bytes32 jobId, JobTerms memory t) {
        _register(worker, 1 ether);
        (jobId, t) = _postWithModels(p, ids);
        vm.prank(worker);
        market.claimJob(t);
    }

    /// @dev `_claimedWithModels`, then `worker` submits RESULT_HASH.
    function _submittedWithModels(JobParams memory p, uint32[] memory ids)
        internal
        returns (bytes32 jobId, JobTerms memory t)
    {
        (jobId, t) = _claimedWithModels(p, ids);
        _submitFor(t);
    }

    /// @dev The client posts replicated `p` through the hub using `ids`.
    function _postRepWithModels(ReplicatedParams memory p, uint32[] memory ids)
        internal
        returns (bytes32 jobId, ReplicatedTerms memory t)
    {
        t = _repTerms(p, client, spec);
        (, uint256 fees) = _feesOf(ids);
        vm.prank(client);
        jobId = models.postReplicatedJobWithModels{value: p.token == address(0) ? _budget(p) + fees : 0}(
            replicated, p, spec, ids
        );
        assertEq(jobId, keccak256(abi.encode(t)), "replicated job id is the hash of the terms, the client's");
    }

    /// @dev The hub's credit of `token` for `who`.
    function _royalty(address token, address who) internal view returns (uint256) {
        return models.credits(token, who);
    }
}
