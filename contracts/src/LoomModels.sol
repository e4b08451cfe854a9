// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {JobParams, ModelKind, ModelParams, ReplicatedParams} from "./interfaces/ILoomTypes.sol";
import {ILoomMarket} from "./interfaces/ILoomMarket.sol";
import {ILoomModels} from "./interfaces/ILoomModels.sol";
import {ILoomRegistry} from "./interfaces/ILoomRegistry.sol";
import {ILoomReplicatedMarket} from "./interfaces/ILoomReplicatedMarket.sol";
import {Credits} from "./base/Credits.sol";

/// @title Loom models
/// @notice See ILoomModels. Per model only the creator, the fee and its token are stored; per job only
/// the ids of its models, packed in one slot: the fees are re-read at settlement, which is sound
/// because a published version's fee never changes.
/// @dev Created by LoomMarket's constructor (its code is the market's creation code, not its runtime).
contract LoomModels is ILoomModels, Credits {
    using SafeERC20 for IERC20;

    /// @notice Most models one job may use (their ids fill one storage slot).
    uint256 public constant MAX_MODELS_PER_JOB = 8;
    /// @notice Most files a model may have.
    uint256 public constant MAX_MODEL_FILES = 64;
    /// @notice Longest name, version, image, license URI or file path.
    uint256 public constant MAX_TEXT_BYTES = 256;

    /// @dev Two slots: 20 + 12, 20 + 1.
    struct Model {
        address creator;
        uint96 fee;
        address token;
        bool retired;
    }

    ILoomMarket public immutable market;
    ILoomRegistry public immutable registry;

    uint32 public modelCount;
    mapping(uint32 modelId => Model) public models;
    /// @notice The ids of a job's models, 32 bits each from the lowest, until settlement.
    mapping(address market => mapping(bytes32 jobId => uint256 packedIds)) public jobModels;

    constructor(ILoomRegistry registry_) {
        market = ILoomMarket(msg.sender);
        registry = registry_;
    }

    /// @inheritdoc ILoomModels
    function publish(ModelParams calldata m) external returns (uint32 modelId) {
        if (bytes(m.name).length == 0) revert EmptyName();
        _checkText(bytes(m.name).length);
        _checkText(bytes(m.version).length);
        _checkText(bytes(m.image).length);
        _checkText(bytes(m.licenseURI).length);
        bool isImage = m.kind == ModelKind.Image;
        if (isImage != (m.files.length == 0) || isImage != (bytes(m.image).length != 0) || m.files.length > MAX_MODEL_FILES) {
            revert InvalidModelContent(uint8(m.kind), m.files.length, bytes(m.image).length);
        }
        for (uint256 i; i < m.files.length; i++) {
            _checkText(bytes(m.files[i].path).length);
        }
        if (m.previous != 0 && _model(m.previous).creator != msg.sender) revert NotModelCreator(m.previous, msg.sender);
        modelId = ++modelCount;
        models[modelId] = Model(msg.sender, m.fee, m.token, false);
        emit ModelPublished(modelId, msg.sender, m.previous, m);
    }

    /// @inheritdoc ILoomModels
    function retire(uint32 modelId) external {
        Model storage model = _model(modelId);
        if (model.creator != msg.sender) revert NotModelCreator(modelId, msg.sender);
        if (model.retired) revert ModelIsRetired(modelId);
        model.retired = true;
        emit ModelRetired(modelId);
    }

    /// @inheritdoc ILoomModels
    function postJobWithModels(JobParams calldata p, bytes calldata spec, uint32[] calldata modelIds)
        external
        payable
        nonReentrant
        returns (bytes32 jobId)
    {
        (uint256 packed, uint96[] memory fees) = _escrow(p.token, p.budget, modelIds);
        _approve(p.token, address(market), p.budget);
        jobId = market.postJobPaidBy{value: p.token == address(0) ? p.budget : 0}(p, spec, msg.sender);
        _record(address(market), jobId, p.token, packed, modelIds, fees);
    }

    /// @inheritdoc ILoomModels
    function postReplicatedJobWithModels(
        ILoomReplicatedMarket replicated,
        ReplicatedParams calldata p,
        bytes calldata spec,
        uint32[] calldata modelIds
    ) external payable nonReentrant returns (bytes32 jobId) {
        if (!registry.trusted(address(replicated))) revert UntrustedMarket(address(replicated));
        uint256 budget = uint256(p.price) * p.replicas;
        (uint256 packed, uint96[] memory fees) = _escrow(p.token, budget, modelIds);
        _approve(p.token, address(replicated), budget);
        jobId = replicated.postReplicatedJobPaidBy{value: p.token == address(0) ? budget : 0}(p, spec, msg.sender);
        _record(address(replicated), jobId, p.token, packed, modelIds, fees);
    }

    /// @inheritdoc ILoomModels
    function settle(bytes32 jobId, address client, uint256 paid, uint256 total) external {
        uint256 packed = jobModels[msg.sender][jobId];
        if (packed == 0) return;
        delete jobModels[msg.sender][jobId];
        address token;
        uint256 refund;
        for (; packed != 0; packed >>= 32) {
            uint32 modelId = uint32(packed);
            Model memory model = models[modelId];
            if (model.fee == 0) continue;
            token = model.token;
            uint96 earned = uint96((uint256(model.fee) * paid) / total);
            refund += model.fee - earned;
            if (earned != 0) {
                _credit(token, model.creator, earned);
                emit RoyaltyPaid(msg.sender, jobId, modelId, model.creator, token, earned);
            }
        }
        if (refund != 0) {
            _credit(token, client, refund);
            emit RoyaltyRefunded(msg.sender, jobId, client, token, refund);
        }
    }

    /// @dev Checks the models a job paid in `token` uses and takes the budget and their fees from the caller.
    function _escrow(address token, uint256 budget, uint32[] calldata modelIds)
        private
        returns (uint256 packed, uint96[] memory fees)
    {
        if (modelIds.length == 0 || modelIds.length > MAX_MODELS_PER_JOB) {
            revert InvalidModelCount(modelIds.length, MAX_MODELS_PER_JOB);
        }
        fees = new uint96[](modelIds.length);
        uint256 total;
        for (uint256 i; i < modelIds.length; i++) {
            uint32 modelId = modelIds[i];
            Model memory model = _model(modelId);
            if (model.retired) revert ModelIsRetired(modelId);
            if (model.fee != 0 && model.token != token) revert ModelTokenMismatch(modelId, model.token, token);
            for (uint256 j; j < i; j++) {
                if (modelIds[j] == modelId) revert DuplicateModel(modelId);
            }
            fees[i] = model.fee;
            total += model.fee;
            packed |= uint256(modelId) << (32 * i);
        }
        _receive(token, budget + total);
    }

    /// @dev Keeps the job's models for settlement and says what was escrowed for each.
    function _record(
        address to,
        bytes32 jobId,
        address token,
        uint256 packed,
        uint32[] calldata modelIds,
        uint96[] memory fees
    ) private {
        jobModels[to][jobId] = packed;
        emit ModelsUsed(to, jobId, token, modelIds, fees);
    }

    /// @dev The market takes an ERC-20 budget with transferFrom from this contract.
    function _approve(address token, address spender, uint256 amount) private {
        if (token != address(0)) IERC20(token).forceApprove(spender, amount);
    }

    function _model(uint32 modelId) private view returns (Model storage model) {
        model = models[modelId];
        if (model.creator == address(0)) revert ModelNotFound(modelId);
    }

    function _checkText(uint256 length) private pure {
        if (length > MAX_TEXT_BYTES) revert TextTooLong(length, MAX_TEXT_BYTES);
    }
}
