// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ILoomMarket} from "../../src/interfaces/ILoomMarket.sol";

/// @notice An account that calls back into the market whenever the market pays it ETH. Tests act as
/// it with `vm.prank`. On every payout it tries to re-enter `withdraw` and `withdrawStake`, which the
/// market's guard must refuse, and then one unguarded call armed beforehand (for example `release`
/// or `claimJob`), which may go through: state is settled before the market sends anything.
contract ReentrantActor {
    ILoomMarket public immutable market;

    /// @notice Calldata tried once on the next payout, then cleared.
    bytes public armedCall;
    /// @notice Whether the last armed call went through.
    bool public armedCallSucceeded;
    /// @notice Re-entries into `withdraw` or `withdrawStake` that the guard refused.
    uint256 public reentriesBlocked;
    /// @notice Re-entries into `withdraw` or `withdrawStake` that got through: must stay zero.
    uint256 public reentriesSucceeded;

    constructor(ILoomMarket market_) {
        market = market_;
    }

    function arm(bytes calldata data) external {
        armedCall = data;
        armedCallSucceeded = false;
    }

    receive() external payable {
        if (msg.sender != address(market)) return;
        _tryGuarded(abi.encodeCall(ILoomMarket.withdraw, (address(0), address(this))));
        _tryGuarded(abi.encodeCall(ILoomMarket.withdrawStake, (address(this))));
        bytes memory data = armedCall;
        if (data.length != 0) {
            delete armedCall;
            (armedCallSucceeded,) = address(market).call(data);
        }
    }

    /// @dev Never reverts: a refused re-entry must not turn into a refused payout.
    function _tryGuarded(bytes memory data) private {
        (bool ok, bytes memory ret) = address(market).call(data);
        if (ok) {
            reentriesSucceeded++;
        } else if (bytes4(ret) == ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector) {
            reentriesBlocked++;
        }
    }
}
