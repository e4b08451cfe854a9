// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {ICredits} from "../interfaces/ICredits.sol";

/// @notice Money in and out of a contract that escrows: payouts are credits their owners pull with
/// `withdraw` (a recipient that reverts on receipt blocks only itself; it can withdraw to another
/// address). Tokens are measured by balance delta on the way in: a token that delivers less than asked
/// (fee-on-transfer) is rejected. Rebasing tokens must not be allow-listed.
abstract contract Credits is ICredits, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @dev address(0) stands for ETH.
    mapping(address token => mapping(address account => uint256)) public credits;

    /// @inheritdoc ICredits
    function withdraw(address token, address to) external nonReentrant {
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = credits[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender, token);
        delete credits[token][msg.sender];
        emit Withdrawn(msg.sender, token, to, amount);
        _send(token, to, amount);
    }

    /// @dev Takes `amount` of `token` from the caller: `msg.value` for ETH, else a measured transferFrom.
    function _receive(address token, uint256 amount) internal {
        if (token == address(0)) {
            if (msg.value != amount) revert ValueMismatch(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert ValueMismatch(0, msg.value);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert TransferAmountMismatch(token, amount, received);
    }

    function _send(address token, address to, uint256 amount) internal {
        if (token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert EthTransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    function _credit(address token, address account, uint256 amount) internal {
        if (amount != 0) credits[token][account] += amount;
    }
}
