// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice An order's deposit address, emptied: LoomDeposits deploys this with CREATE2 (salt: the
/// order id) at the address a client paid into, and its constructor sends everything there of `token` to the
/// deployer and self-destructs. It never holds code, and since it is created and destroyed in one
/// transaction (EIP-6780) the account is cleared when that transaction ends, so the address can be
/// emptied again in a later transaction (not in the same one: CREATE2 would collide). Only the
/// deployer can deploy at its own CREATE2 addresses: nobody else can move what a deposit holds.
contract JobDeposit {
    using SafeERC20 for IERC20;

    constructor(IERC20 token) {
        uint256 balance = token.balanceOf(address(this));
        if (balance != 0) token.safeTransfer(msg.sender, balance);
        selfdestruct(payable(msg.sender));
    }
}
