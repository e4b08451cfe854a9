// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IMarketBase} from "../interfaces/IMarketBase.sol";

/// @notice The owner's settings every market shares, and the limits common to all of them. The owner can
/// tune the fee (within MAX_FEE_BPS), the treasury and the token allow-list; no function lets it touch
/// escrow, credits or stake.
abstract contract MarketConfig is IMarketBase, Ownable2Step {
    /// @notice Hard cap on the protocol fee: 10%.
    uint16 public constant MAX_FEE_BPS = 1_000;
    /// @notice Largest job spec accepted by `postJob`.
    uint256 public constant MAX_SPEC_BYTES = 8 * 1024;
    /// @notice Largest result URI, dispute reason, evidence or metadata URI.
    uint256 public constant MAX_TEXT_BYTES = 1024;
    uint256 public constant MAX_OPEN_PERIOD = 90 days;

    uint16 public feeBps;
    address public treasury;
    mapping(address token => bool) public tokenAllowed;

    constructor(address owner_, address treasury_, uint16 feeBps_) Ownable(owner_) {
        _setFee(feeBps_);
        _setTreasury(treasury_);
    }

    /// @inheritdoc IMarketBase
    function setFee(uint16 feeBps_) external onlyOwner {
        _setFee(feeBps_);
    }

    /// @inheritdoc IMarketBase
    function setTreasury(address treasury_) external onlyOwner {
        _setTreasury(treasury_);
    }

    /// @inheritdoc IMarketBase
    function setTokenAllowed(address token, bool allowed) external onlyOwner {
        if (token == address(0)) revert ZeroAddress();
        tokenAllowed[token] = allowed;
        emit TokenAllowed(token, allowed);
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
}
