// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {HardwareClaim, Requirements} from "./interfaces/ILoomTypes.sol";
import {ILoomRegistry} from "./interfaces/ILoomRegistry.sol";
import {WorkerPools} from "./base/WorkerPools.sol";

/// @title Loom worker registry
/// @notice See ILoomRegistry. Every market of the set (single-worker, replicated, and those to come)
/// locks and slashes stake here, so a worker stakes once for all of them.
contract LoomRegistry is ILoomRegistry, WorkerPools, Ownable2Step, ReentrancyGuardTransient {
    /// @notice Cooldown between an unstake request and the withdrawal.
    uint256 public constant UNBONDING_PERIOD = 2 days;
    /// @notice Delay before a change of trusted markets takes effect: longer than the unbonding period,
    /// so a worker can leave with its whole stake before a market it distrusts can lock any of it.
    uint256 public constant TRUST_DELAY = UNBONDING_PERIOD + 1 days;
    /// @notice Largest metadata URI of a hardware claim.
    uint256 public constant MAX_TEXT_BYTES = 1024;
    /// @notice Largest sealed bundle carried in an event; a larger one is stored and sent by URI.
    uint256 public constant MAX_INLINE_SEALED_BYTES = 4096;

    /// @dev One slot: 12 + 12 + 2 + 4 + 1 + 1 = 32 bytes. Holds everything an eligibility check reads
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

    /// @dev One slot: a change of trust waiting for its delay.
    struct TrustChange {
        bool trusted;
        uint40 effectiveAt;
    }

    mapping(address worker => Worker) public workers;
    mapping(address worker => Unbonding) public unbonding;
    /// @dev Stored apart from `Worker`: read only for jobs that require a model.
    mapping(address worker => bytes32) public gpuModelOf;
    /// @notice The public key clients seal job secrets to (X25519), zero when none is published.
    mapping(address worker => bytes32) public encryptionKeyOf;
    mapping(address market => bool) public trusted;
    mapping(address market => TrustChange) public pendingTrust;
    mapping(address market => mapping(address worker => uint96)) public lockedBy;

    /// @param markets The markets trusted from the start (their addresses are known before they are
    /// deployed: the deploy script computes them from the deployer's nonce).
    constructor(address owner_, address[] memory markets) Ownable(owner_) {
        for (uint256 i; i < markets.length; i++) {
            if (markets[i] == address(0)) revert ZeroAddress();
            trusted[markets[i]] = true;
            emit MarketTrustSet(markets[i], true);
        }
    }

    // ---- workers ----

    /// @inheritdoc ILoomRegistry
    function register(HardwareClaim calldata claim) external payable {
        Worker storage w = workers[msg.sender];
        if (w.registered) revert AlreadyRegistered(msg.sender);
        _storeClaim(w, claim);
        w.registered = true;
        w.available = true;
        w.stake += _toUint96(msg.value);
        emit WorkerRegistered(msg.sender, claim, w.stake);
    }

    /// @inheritdoc ILoomRegistry
    function updateClaim(HardwareClaim calldata claim) external {
        Worker storage w = _registered(msg.sender);
        _storeClaim(w, claim);
        emit WorkerClaimUpdated(msg.sender, claim);
    }

    /// @inheritdoc ILoomRegistry
    function setAvailability(bool available) external {
        _registered(msg.sender).available = available;
        emit WorkerAvailabilitySet(msg.sender, available);
    }

    /// @inheritdoc ILoomRegistry
    function setEncryptionKey(bytes32 key) external {
        _registered(msg.sender);
        encryptionKeyOf[msg.sender] = key;
        emit EncryptionKeySet(msg.sender, key);
    }

    /// @inheritdoc ILoomRegistry
    /// @dev Kept in the registry (no storage, one event) rather than a contract of its own: it is
    /// deployed and indexed everywhere, and a bundle concerns a worker's key that lives here.
    function sendSealed(bytes32 jobId, address worker, bytes32 bundleHash, bytes calldata inlineBundle, string calldata uri)
        external
    {
        if (worker == address(0)) revert ZeroAddress();
        if (bundleHash == bytes32(0) || (inlineBundle.length == 0 && bytes(uri).length == 0)) {
            revert SealedBundleMissing(jobId);
        }
        if (inlineBundle.length > MAX_INLINE_SEALED_BYTES) {
            revert SealedBundleTooLarge(inlineBundle.length, MAX_INLINE_SEALED_BYTES);
        }
        if (bytes(uri).length > MAX_TEXT_BYTES) revert TextTooLong(bytes(uri).length, MAX_TEXT_BYTES);
        if (inlineBundle.length != 0 && sha256(inlineBundle) != bundleHash) {
            revert SealedBundleHashMismatch(bundleHash, sha256(inlineBundle));
        }
        emit SealedBundleSent(jobId, msg.sender, worker, bundleHash, inlineBundle, uri);
    }

    /// @inheritdoc ILoomRegistry
    function addStake() external payable {
        Worker storage w = _registered(msg.sender);
        uint96 amount = _toUint96(msg.value);
        w.stake += amount;
        emit StakeAdded(msg.sender, amount, w.stake);
    }

    /// @inheritdoc ILoomRegistry
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

    /// @inheritdoc ILoomRegistry
    function withdrawStake(address to) external nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        Unbonding memory u = unbonding[msg.sender];
        if (u.amount == 0 || block.timestamp < u.unlockAt) {
            revert UnbondingNotReady(msg.sender, u.amount, u.unlockAt);
        }
        delete unbonding[msg.sender];
        emit StakeWithdrawn(msg.sender, to, u.amount);
        _sendEth(to, u.amount);
    }

    /// @inheritdoc ILoomRegistry
    function deregister() external {
        Worker storage w = _registered(msg.sender);
        if (w.locked != 0) revert StakeLocked(msg.sender, w.locked);
        Unbonding storage u = unbonding[msg.sender];
        u.amount += w.stake;
        u.unlockAt = uint40(block.timestamp + UNBONDING_PERIOD);
        delete workers[msg.sender];
        delete gpuModelOf[msg.sender];
        delete encryptionKeyOf[msg.sender];
        emit WorkerDeregistered(msg.sender, u.amount, u.unlockAt);
    }

    // ---- markets ----

    /// @inheritdoc ILoomRegistry
    function lock(bytes32 jobId, address worker, Requirements calldata req, uint96 collateral) external {
        Worker storage w = _eligible(jobId, worker, req, collateral);
        if (collateral == 0) return;
        if (!trusted[msg.sender]) revert MarketNotTrusted(msg.sender);
        w.locked += collateral;
        lockedBy[msg.sender][worker] += collateral;
    }

    /// @inheritdoc ILoomRegistry
    function checkEligible(bytes32 jobId, address worker, Requirements calldata req, uint96 collateral)
        external
        view
    {
        _eligible(jobId, worker, req, collateral);
    }

    /// @inheritdoc ILoomRegistry
    function unlock(address worker, uint96 collateral, uint96 slash) external nonReentrant {
        uint96 held = lockedBy[msg.sender][worker];
        if (collateral > held || slash > collateral) revert LockNotHeld(msg.sender, worker, held, collateral);
        lockedBy[msg.sender][worker] = held - collateral;
        Worker storage w = workers[worker];
        w.locked -= collateral;
        if (slash == 0) return;
        w.stake -= slash;
        _sendEth(msg.sender, slash);
    }

    // ---- owner ----

    /// @inheritdoc ILoomRegistry
    function proposeTrust(address market, bool trusted_) external onlyOwner {
        if (market == address(0)) revert ZeroAddress();
        uint40 effectiveAt = uint40(block.timestamp + TRUST_DELAY);
        pendingTrust[market] = TrustChange(trusted_, effectiveAt);
        emit MarketTrustProposed(market, trusted_, effectiveAt);
    }

    /// @inheritdoc ILoomRegistry
    function applyTrust(address market) external {
        TrustChange memory change = pendingTrust[market];
        if (change.effectiveAt == 0) revert NoTrustChangePending(market);
        if (block.timestamp < change.effectiveAt) {
            revert TrustChangeNotReady(market, change.effectiveAt, block.timestamp);
        }
        delete pendingTrust[market];
        trusted[market] = change.trusted;
        emit MarketTrustSet(market, change.trusted);
    }

    // ---- internals ----

    /// @dev Reverts unless `worker` may take `jobId` now: registered, available, meeting the hardware
    /// requirements, with free stake covering the collateral. Returns its storage for locking.
    function _eligible(bytes32 jobId, address worker, Requirements calldata req, uint96 collateral)
        private
        view
        returns (Worker storage w)
    {
        w = workers[worker];
        if (!w.registered) revert NotRegistered(worker);
        if (!w.available) revert WorkerUnavailable(worker);
        if (
            w.gpuCount < req.minGpuCount || w.vramMiB < req.minVramMiB
                || (req.gpuModel != bytes32(0) && gpuModelOf[worker] != req.gpuModel)
        ) revert RequirementsNotMet(jobId, worker);
        uint256 free = w.stake - w.locked;
        if (free < collateral) revert InsufficientFreeStake(worker, free, collateral);
    }

    function _registered(address worker) private view returns (Worker storage w) {
        w = workers[worker];
        if (!w.registered) revert NotRegistered(worker);
    }

    function _isTrusted(address market) internal view override returns (bool) {
        return trusted[market];
    }

    function _requireRegistered(address worker) internal view override {
        _registered(worker);
    }

    function _checkText(uint256 length) internal pure override {
        if (length > MAX_TEXT_BYTES) revert TextTooLong(length, MAX_TEXT_BYTES);
    }

    function _storeClaim(Worker storage w, HardwareClaim calldata claim) private {
        _checkText(bytes(claim.metadataURI).length);
        w.gpuCount = claim.gpuCount;
        w.vramMiB = claim.vramMiB;
        if (gpuModelOf[msg.sender] != claim.gpuModel) gpuModelOf[msg.sender] = claim.gpuModel;
    }

    function _sendEth(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert EthTransferFailed(to, amount);
    }

    function _toUint96(uint256 value) private pure returns (uint96) {
        if (value > type(uint96).max) revert ValueMismatch(type(uint96).max, value);
        return uint96(value);
    }
}
