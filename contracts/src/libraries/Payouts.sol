// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The markets' payout arithmetic, kept pure so it can be tested on its own.
library Payouts {
    uint256 internal constant BPS = 10_000;
    /// @notice Of the collateral slashed from a replicated job's dissenters, the share that goes to the
    /// quorum's workers (the rest, and every rounding remainder, goes to the client): half.
    uint256 internal constant SLASH_TO_WINNERS_BPS = 5_000;

    /// @notice The protocol's cut of a worker's gross payout, rounded down (in the worker's favour).
    function fee(uint96 gross, uint16 feeBps) internal pure returns (uint96) {
        return uint96((uint256(gross) * feeBps) / BPS);
    }

    /// @notice The neutral default when an arbiter does not rule: half each, the odd wei to the client.
    function neutralSplit(uint96 price) internal pure returns (uint96 toWorker, uint96 toClient) {
        toWorker = price / 2;
        toClient = price - toWorker;
    }

    /// @notice A replicated job's quorum shares `pot` (the price of the filled slots) equally: each of
    /// `winners` gets the floor of the share and the remainder (under `winners` wei) goes to the client.
    function quorumShare(uint256 pot, uint256 winners) internal pure returns (uint96 each, uint96 toClient) {
        each = uint96(pot / winners);
        toClient = uint96(pot - uint256(each) * winners);
    }

    /// @notice Slashed collateral of a replicated job: SLASH_TO_WINNERS_BPS of it shared equally by the
    /// `winners` (floor), the rest to the client. Without winners all of it goes to the client.
    function slashSplit(uint256 slashed, uint256 winners) internal pure returns (uint96 each, uint96 toClient) {
        if (winners != 0) each = uint96((slashed * SLASH_TO_WINNERS_BPS) / BPS / winners);
        toClient = uint96(slashed - uint256(each) * winners);
    }
}
