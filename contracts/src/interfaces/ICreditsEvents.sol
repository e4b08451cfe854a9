// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The event of every ledger of credits (markets, models).
interface ICreditsEvents {
    /// @notice An account withdrew its whole credited balance of `token` (address(0): ETH) to `to`.
    event Withdrawn(address indexed account, address indexed token, address to, uint256 amount);
}
