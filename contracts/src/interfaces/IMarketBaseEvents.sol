// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The events every market emits: its owner's settings and withdrawals of credits.
interface IMarketBaseEvents {
    // ---- configuration (the constructor emits the initial values too) ----

    /// @notice The protocol fee for jobs posted from now on.
    event FeeSet(uint16 feeBps);
    /// @notice Where protocol fees are credited from now on.
    event TreasurySet(address indexed treasury);
    /// @notice An ERC-20 was added to or removed from the allow-list.
    event TokenAllowed(address indexed token, bool allowed);

    // ---- funds ----

    /// @notice An account withdrew its whole credited balance of `token` (address(0): ETH) to `to`.
    event Withdrawn(address indexed account, address indexed token, address to, uint256 amount);
}
