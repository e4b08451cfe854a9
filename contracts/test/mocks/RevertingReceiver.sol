// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice An account that refuses every ETH transfer, like a contract wallet without `receive`.
/// Tests act as it with `vm.prank`; the market must let it withdraw its credits to another address
/// and must never let its refusal block anyone else's payout.
contract RevertingReceiver {
    error EthRefused(address from, uint256 amount);

    receive() external payable {
        revert EthRefused(msg.sender, msg.value);
    }
}
