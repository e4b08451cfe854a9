// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICreditsEvents} from "./ICreditsEvents.sol";
import {ILoomErrors} from "./ILoomErrors.sol";

/// @notice A ledger of credits that their owners pull: every payout of a Loom contract (markets, models)
/// is credited, never pushed, so a recipient that reverts on receipt blocks only itself.
interface ICredits is ILoomErrors, ICreditsEvents {
    /// @notice Sends the caller's whole credited balance of `token` (address(0): ETH) to `to`.
    function withdraw(address token, address to) external;

    /// @notice An account's withdrawable balance of `token` (address(0): ETH).
    function credits(address token, address account) external view returns (uint256);
}
