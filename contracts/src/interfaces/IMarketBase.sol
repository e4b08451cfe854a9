// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICredits} from "./ICredits.sol";
import {IMarketBaseEvents} from "./IMarketBaseEvents.sol";
import {ILoomRegistry} from "./ILoomRegistry.sol";

/// @notice What every Loom market shares: the owner's settings (fee, treasury, token allow-list) and
/// the ledger of credits that everyone pulls with `withdraw` (ICredits). Each market holds its own escrow and
/// credits; worker stake lives in the registry (`registry()`).
interface IMarketBase is ICredits, IMarketBaseEvents {
    // ---- owner ----

    /// @notice Sets the fee for jobs posted from now on; never above MAX_FEE_BPS.
    function setFee(uint16 feeBps) external;

    /// @notice Sets where fees are credited from now on.
    function setTreasury(address treasury) external;

    /// @notice Adds or removes an ERC-20 from the allow-list. Jobs already posted are unaffected.
    function setTokenAllowed(address token, bool allowed) external;

    /// @notice The worker registry whose stake this market locks and slashes.
    function registry() external view returns (ILoomRegistry);
}
