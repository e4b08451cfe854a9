// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {HardwareClaim, JobTerms} from "../interfaces/ILoomTypes.sol";
import {ILoomMarket} from "../interfaces/ILoomMarket.sol";
import {MarketConfig} from "./MarketConfig.sol";
import {Ledger} from "./Ledger.sol";

/// @notice Workers: hardware claims, availability and ETH stake. Stake is locked as collateral
/// while a worker holds jobs and can be slashed by their outcome.
abstract contract WorkerRegistry is ILoomMarket, MarketConfig, Ledger {
    /// @dev One slot: 12 + 12 + 2 + 4 + 1 + 1 = 32 bytes. Holds everything `_checkEligible` reads
    /// except a required GPU model. `stake` includes `locked`; unbonding stake has left `stake`.
    struct Worker {
        uint96 stake;
        uint96 locked;
        uint16 gpuCount;
        uint32 vramMiB;
        bool registered;
        bool available;
    }

    /// @dev One slot: stake on its way out, withdrawable after `unlockAt`.
    struct Unbonding {
        uint96 amount;
        uint40 unlockAt;
    }

    mapping(address worker => Worker) public workers;
    mapping(address worker => Unbonding) public unbonding;
    /// @dev Stored apart from `Worker`: read only for jobs that require a model.
    mapping(address worker => bytes32) public gpuModelOf;

    /// @inheritdoc ILoomMarket
    function register(HardwareClaim calldata claim) external payable {
        Worker storage w = workers[msg.sender];
        if (w.registered) revert AlreadyRegistered(msg.sender);
        _storeClaim(w, claim);
        w.registered = true;
        w.available = true;
        w.stake += _toUint96(msg.value);
        emit WorkerRegistered(msg.sender, claim, w.stake);
    }

    /// @inheritdoc ILoomMarket
    function updateClaim(HardwareClaim calldata claim) external {
        Worker storage w = _registered(msg.sender);
        _storeClaim(w, claim);
        emit WorkerClaimUpdated(msg.sender, claim);
    }

    /// @inheritdoc ILoomMarket
    function setAvailability(bool available) external {
        _registered(msg.sender).available = available;
        emit WorkerAvailabilitySet(msg.sender, available);
    }

    /// @inheritdoc ILoomMarket
    function addStake() external payable {
        Worker storage w = _registered(msg.sender);
        uint96 amount = _toUint96(msg.value);
        w.stake += amount;
        emit StakeAdded(msg.sender, amount, w.stake);
    }

    /// @inheritdoc ILoomMarket
    function requestUnstake(uint96 amount) external {
        Worker storage w = _registered(msg.sender);
        uint256 free = w.stake - w.locked;
        if (amount == 0 || amount > free) revert InsufficientFreeStake(msg.sender, free, amount);
        w.stake -= amount;
        Unbonding storage u = unbonding[msg.sender];
        u.amount += amount;
        u.unlockAt = uint40(block.timestamp + UNBONDING_PERIOD);
        emit UnstakeRequested(msg.sender, amount, w.stake, u.amount, u.unlockAt);
    }

    /// @inheritdoc ILoomMarket
    function withdrawStake(address to) external nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        Unbonding memory u = unbonding[msg.sender];
        if (u.amount == 0 || block.timestamp < u.unlockAt) {
            revert UnbondingNotReady(msg.sender, u.amount, u.unlockAt);
        }
        delete unbonding[msg.sender];
        emit StakeWithdrawn(msg.sender, to, u.amount);
        _send(address(0), to, u.amount);
    }

    /// @inheritdoc ILoomMarket
    function deregister() external {
        Worker storage w = _registered(msg.sender);
        if (w.locked != 0) revert StakeLocked(msg.sender, w.locked);
        Unbonding storage u = unbonding[msg.sender];
        u.amount += w.stake;
        u.unlockAt = uint40(block.timestamp + UNBONDING_PERIOD);
        delete workers[msg.sender];
        delete gpuModelOf[msg.sender];
        emit WorkerDeregistered(msg.sender, u.amount, u.unlockAt);
    }

    /// @dev Reverts unless `worker` may take `jobId` now: registered, available, meeting the hardware
    /// requirements, with free stake covering the collateral. Returns its storage for locking.
    function _checkEligible(bytes32 jobId, JobTerms calldata terms, address worker)
        internal
        view
        returns (Worker storage w)
    {
        w = workers[worker];
        if (!w.registered) revert NotRegistered(worker);
        if (!w.available) revert WorkerUnavailable(worker);
        if (
            w.gpuCount < terms.minGpuCount || w.vramMiB < terms.minVramMiB
                || (terms.gpuModel != bytes32(0) && gpuModelOf[worker] != terms.gpuModel)
        ) revert RequirementsNotMet(jobId, worker);
        uint256 free = w.stake - w.locked;
        if (free < terms.collateral) revert InsufficientFreeStake(worker, free, terms.collateral);
    }

    /// @dev Unlocks a job's collateral, taking `slash` of it out of the stake.
    function _unlock(address worker, uint96 collateral, uint96 slash) internal {
        if (collateral == 0) return;
        Worker storage w = workers[worker];
        w.locked -= collateral;
        w.stake -= slash;
    }

    function _registered(address worker) private view returns (Worker storage w) {
        w = workers[worker];
        if (!w.registered) revert NotRegistered(worker);
    }

    function _storeClaim(Worker storage w, HardwareClaim calldata claim) private {
        if (bytes(claim.metadataURI).length > MAX_TEXT_BYTES) {
            revert TextTooLong(bytes(claim.metadataURI).length, MAX_TEXT_BYTES);
        }
        w.gpuCount = claim.gpuCount;
        w.vramMiB = claim.vramMiB;
        if (gpuModelOf[msg.sender] != claim.gpuModel) gpuModelOf[msg.sender] = claim.gpuModel;
    }

    function _toUint96(uint256 value) private pure returns (uint96) {
        if (value > type(uint96).max) revert ValueMismatch(type(uint96).max, value);
        return uint96(value);
    }
}
