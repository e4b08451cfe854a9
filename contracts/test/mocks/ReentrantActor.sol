// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ILoomRegistry} from "../../src/interfaces/ILoomRegistry.sol";
import {IMarketBase} from "../../src/interfaces/IMarketBase.sol";

/// @notice An account that calls back whenever the market or the registry pays it ETH. Tests act as
/// it with `vm.prank`. On every payout it tries to re-enter the payer's paying function (`withdraw`,
/// `withdrawStake`), which the payer's guard must refuse, and then one unguarded market call armed
/// beforehand (for example `release` or `claimJob`), which may go through: state is settled before
/// anything is sent.
contract ReentrantActor {
    IMarketBase public immutable market;
    ILoomRegistry public immutable registry;

    /// @notice Calldata tried once on the next payout, then cleared.
    bytes public armedCall;
    /// @notice Whether the last armed call went through.
    bool public armedCallSucceeded;
    /// @notice Re-entries into `withdraw` or `withdrawStake` that the guard refused.
    uint256 public reentriesBlocked;
    /// @notice Re-entries into `withdraw` or `withdrawStake` that got through: must stay zero.
    uint256 public reentriesSucceeded;

    constructor(IMarketBase market_) {
        market = market_;
        registry = market_.registry();
    }

    function arm(bytes calldata data) external {
        armedCall = data;
        armedCallSucceeded = false;
    }

    receive() external payable {
        if (msg.sender == address(market)) {
            _tryGuarded(address(market), abi.encodeCall(IMarketBase.withdraw, (address(0), address(this))));
        } else if (msg.sender == address(registry)) {
            _tryGuarded(address(registry), abi.encodeCall(ILoomRegistry.withdrawStake, (address(this))));
        } else {
            return;
        }
        bytes memory data = armedCall;
        if (data.length != 0) {
            delete armedCall;
            (armedCallSucceeded,) = address(market).call(data);
        }
    }

    /// @dev Never reverts: a refused re-entry must not turn into a refused payout.
    function _tryGuarded(address target, bytes memory data) private {
        (bool ok, bytes memory ret) = target.call(data);
        if (ok) {
            reentriesSucceeded++;
        } else if (bytes4(ret) == ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector) {
            reentriesBlocked++;
        }
    }
}
