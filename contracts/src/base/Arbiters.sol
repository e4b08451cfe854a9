// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILoomMarket} from "../interfaces/ILoomMarket.sol";
import {MarketConfig} from "./MarketConfig.sol";

/// @notice The arbiters of the single-worker market: an allow-list and the default for jobs that name
/// none. A job keeps the arbiter it was posted with.
abstract contract Arbiters is ILoomMarket, MarketConfig {
    address public defaultArbiter;
    mapping(address arbiter => bool) public arbiterAllowed;

    constructor(address defaultArbiter_) {
        _setArbiter(defaultArbiter_, true);
        _setDefaultArbiter(defaultArbiter_);
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
