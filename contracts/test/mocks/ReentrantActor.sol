// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ILoomRegistry} from "../../src/interfaces/ILoomRegistry.sol";
import {ICredits} from "../../src/interfaces/ICredits.sol";
import {IMarketBase} from "../../src/interfaces/IMarketBase.sol";

/// @notice An account that calls back whenever the registry or one of the markets pays it ETH. Tests
/// act as it with `vm.prank`. On every payout it tries to re-enter its payer's paying function
/// (`withdrawStake` of the registry, `withdraw` of a market), which the payer's guard must refuse, and
/// then one unguarded call armed beforehand, into any of the contracts (for example `release`,
/// `claimJob`, `takeSlot`, or `finalize` of the other market), which may go through: state is settled
/// before anything is sent.
contract ReentrantActor {
    ILoomRegistry public immutable registry;
    mapping(address market => bool) public isMarket;

    /// @notice Where the armed call goes, and its calldata: tried once on the next payout, then cleared.
    address public armedTarget;
    bytes public armedCall;
    /// @notice Whether the last armed call went through.
    bool public armedCallSucceeded;
    /// @notice Re-entries into `withdraw` or `withdrawStake` that the guard refused.
    uint256 public reentriesBlocked;
    /// @notice Re-entries into `withdraw` or `withdrawStake` that got through: must stay zero.
    uint256 public reentriesSucceeded;

    constructor(ILoomRegistry registry_, address[] memory markets) {
        registry = registry_;
        for (uint256 i; i < markets.length; i++) {
            isMarket[markets[i]] = true;
        }
    }

    function arm(address target, bytes calldata data) external {
        armedTarget = target;
        armedCall = data;
        armedCallSucceeded = false;
    }

    receive() external payable {
        if (msg.sender == address(registry)) {
            _tryGuarded(address(registry), abi.encodeCall(ILoomRegistry.withdrawStake, (address(this))));
        } else if (isMarket[msg.sender]) {
            _tryGuarded(msg.sender, abi.encodeCall(ICredits.withdraw, (address(0), address(this))));
        } else {
            return;
        }
        bytes memory data = armedCall;
        if (data.length != 0) {
            delete armedCall;
            (armedCallSucceeded,) = armedTarget.call(data);
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
