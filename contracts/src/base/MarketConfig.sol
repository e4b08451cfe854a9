// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ILoomMarket} from "../interfaces/ILoomMarket.sol";

/// @notice The owner's settings and the protocol's fixed limits. The owner can tune the fee (within
/// MAX_FEE_BPS), the treasury and the allow-lists; no function lets it touch escrow or stake.
abstract contract MarketConfig is ILoomMarket, Ownable2Step {
    /// @notice Hard cap on the protocol fee: 10%.
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Largest job spec accepted by `postJob`.
    uint256 public constant MAX_SPEC_BYTES = 8 * 1024;
    /// @notice Largest result URI, dispute reason, evidence or metadata URI.
    uint256 public constant MAX_TEXT_BYTES = 1024;
    uint256 public constant MAX_OPEN_PERIOD = 90 days;
    uint256 public constant MAX_EXECUTION_TIMEOUT = 30 days;
    uint256 public constant MAX_CHALLENGE_WINDOW = 30 days;
    /// @notice How long the client of an auction may still accept a bid after bidding closed.
    uint256 public constant ACCEPT_WINDOW = 1 days;
    /// @notice How long an arbiter has to rule once a dispute is raised.
    uint256 public constant ARBITRATION_PERIOD = 7 days;
    /// @notice Cooldown between an unstake request and the withdrawal.
    uint256 public constant UNBONDING_PERIOD = 2 days;

    uint16 public feeBps;
    address public treasury;
    address public defaultArbiter;
    mapping(address token => bool) public tokenAllowed;
    mapping(address arbiter => bool) public arbiterAllowed;

    constructor(address owner_, address treasury_, address defaultArbiter_, uint16 feeBps_) Ownable(owner_) {
        _setFee(feeBps_);
        _setTreasury(treasury_);
        _setArbiter(defaultArbiter_, true);
        _setDefaultArbiter(defaultArbiter_);
    }

    /// @inheritdoc ILoomMarket
    function setFee(uint16 feeBps_) external onlyOwner {
        _setFee(feeBps_);
    }

    /// @inheritdoc ILoomMarket
    function setTreasury(address treasury_) external onlyOwner {
        _setTreasury(treasury_);
    }

    /// @inheritdoc ILoomMarket
    function setTokenAllowed(address token, bool allowed) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        tokenAllowed[token] = allowed;
        emit TokenAllowed(token, allowed);
    }

    /// @inheritdoc ILoomMarket
    function setArbiter(address arbiter, bool allowed) external onlyOwner {
        if (!allowed && arbiter == defaultArbiter) revert DefaultArbiterRequired(arbiter);
        _setArbiter(arbiter, allowed);
    }

    /// @inheritdoc ILoomMarket
    function setDefaultArbiter(address arbiter) external onlyOwner {
        if (!arbiterAllowed[arbiter]) revert ArbiterNotAllowed(arbiter);
        _setDefaultArbiter(arbiter);
    }

    function _setFee(uint16 feeBps_) private {
        if (feeBps_ > MAX_FEE_BPS) revert FeeTooHigh(feeBps_, MAX_FEE_BPS);
        feeBps = feeBps_;
        emit FeeSet(feeBps_);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert ZeroAddress();
        treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    function _setArbiter(address arbiter, bool allowed) private {
        if (arbiter == address(0)) revert ZeroAddress();
        arbiterAllowed[arbiter] = allowed;
        emit ArbiterAllowed(arbiter, allowed);
    }

    function _setDefaultArbiter(address arbiter) private {
        defaultArbiter = arbiter;
        emit DefaultArbiterSet(arbiter);
    }
}
