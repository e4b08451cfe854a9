// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {JobParams, ModelParams, ReplicatedParams} from "./ILoomTypes.sol";
import {ICredits} from "./ICredits.sol";
import {ILoomReplicatedMarket} from "./ILoomReplicatedMarket.sol";

/// @title Loom models: a hub that pays its creators
/// @notice Creators publish models and datasets (content by hash, or an image by digest) with a fee per
/// job. A client posts a job that uses models through this contract: it escrows the fees, fixed at
/// posting, beside the job's budget in the market, and the market settles them when the job closes.
/// The creators are credited in proportion to what the worker was paid (all on release or quorum, the
/// ruling's share after a dispute, nothing when the job was cancelled, expired, returned, reclaimed or
/// found no quorum); the rest goes back to the client. The protocol fee does not apply to royalties.
interface ILoomModels is ICredits {
    /// @notice `creator` published model `modelId`, following version `previous` (0: a first version).
    event ModelPublished(uint32 indexed modelId, address indexed creator, uint32 indexed previous, ModelParams model);
    /// @notice The creator retired a version: no new job may use it. Jobs that use it are unaffected.
    event ModelRetired(uint32 indexed modelId);
    /// @notice Job `jobId` of `market` uses these models; `fees` (in `token`, per model) were escrowed.
    event ModelsUsed(address indexed market, bytes32 indexed jobId, address token, uint32[] modelIds, uint96[] fees);
    /// @notice A closed job credited `amount` of `token` to the creator of `modelId`.
    event RoyaltyPaid(
        address indexed market, bytes32 indexed jobId, uint32 indexed modelId, address creator, address token, uint96 amount
    );
    /// @notice A closed job's fees that were not earned went back to its client.
    event RoyaltyRefunded(address indexed market, bytes32 indexed jobId, address indexed client, address token, uint256 amount);

    /// @notice Publishes a model version. Its content and fee never change; a new version is a new id.
    function publish(ModelParams calldata model) external returns (uint32 modelId);

    /// @notice The creator retires a version.
    function retire(uint32 modelId) external;

    /// @notice Posts a job to the single-worker market for the caller, using `modelIds`: escrows the
    /// budget there and the fees here. ETH: send budget plus fees; an ERC-20: approve both to this contract.
    function postJobWithModels(JobParams calldata params, bytes calldata spec, uint32[] calldata modelIds)
        external
        payable
        returns (bytes32 jobId);

    /// @notice As `postJobWithModels`, for a replicated job on `market` (a market the registry trusts).
    function postReplicatedJobWithModels(
        ILoomReplicatedMarket market,
        ReplicatedParams calldata params,
        bytes calldata spec,
        uint32[] calldata modelIds
    ) external payable returns (bytes32 jobId);

    /// @notice The calling market closed `jobId` of `client`, paying the worker(s) `paid` of `total`:
    /// credits the creators that share of each fee and the client the rest. Only the market a job was
    /// posted to can settle it, once.
    function settle(bytes32 jobId, address client, uint256 paid, uint256 total) external;

    /// @notice What is stored of a model: its creator, fee and fee token, and whether it is retired.
    function models(uint32 modelId) external view returns (address creator, uint96 fee, address token, bool retired);

    /// @notice How many models exist; ids run from 1 to this.
    function modelCount() external view returns (uint32);
}
