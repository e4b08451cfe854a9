// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICreditsEvents} from "./ICreditsEvents.sol";

/// @notice The events every market emits: its owner's settings, pool fees and withdrawals.
interface IMarketBaseEvents is ICreditsEvents {
    // ---- configuration (the constructor emits the initial values too) ----

    /// @notice The protocol fee for jobs posted from now on.
    event FeeSet(uint16 feeBps);
    /// @notice Where protocol fees are credited from now on.
    event TreasurySet(address indexed treasury);
    /// @notice An ERC-20 was added to or removed from the allow-list.
    event TokenAllowed(address indexed token, bool allowed);

    // ---- funds ----

    /// @notice A pool member's job paid out: `amount` of `token` (the pool's fee, as it stood at
    /// assignment, of the member's payout after the protocol fee) was credited to the pool's operator.
    event PoolFeePaid(bytes32 indexed jobId, uint64 indexed pool, address indexed operator, address token, uint96 amount);
}
