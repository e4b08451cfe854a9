// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The market's payout arithmetic, kept pure so it can be tested on its own.
library Payouts {
    uint256 internal constant BPS = 10_000;

    /// @notice The protocol's cut of a worker's gross payout, rounded down (in the worker's favour).
    function fee(uint96 gross, uint16 feeBps) internal pure returns (uint96) {
        return uint96((uint256(gross) * feeBps) / BPS);
    }

    /// @notice The neutral default when an arbiter does not rule: half each, the odd wei to the client.
    function neutralSplit(uint96 price) internal pure returns (uint96 toWorker, uint96 toClient) {
        toWorker = price / 2;
        toClient = price - toWorker;
    }
}
