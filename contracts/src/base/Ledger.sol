// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IMarketBase} from "../interfaces/IMarketBase.sol";
import {PaymentAuthorization} from "../interfaces/ILoomTypes.sol";
import {ILoomRegistry} from "../interfaces/ILoomRegistry.sol";
import {TokenRefusal} from "../libraries/TokenRefusal.sol";

/// @notice Money in and out. Every payout is a credit that its owner pulls with `withdraw`, so a
/// recipient that reverts on receipt blocks only itself (it can withdraw to another address).
/// Tokens are measured by balance delta on the way in: a token that delivers less than asked
/// (fee-on-transfer) is rejected. Rebasing tokens must not be allow-listed. Slashed stake arrives
/// from the registry as ETH (`unlock` sends it) and is credited at once.
abstract contract Ledger is IMarketBase, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IMarketBase
    ILoomRegistry public immutable registry;

    /// @dev address(0) stands for ETH.
    mapping(address token => mapping(address account => uint256)) public credits;

    constructor(ILoomRegistry registry_) {
        if (address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
    }

    /// @notice Slashed stake from the registry; nobody else may send ETH outside a call that takes it.
    receive() external payable {
        if (msg.sender != address(registry)) revert UnexpectedSender(msg.sender);
    }

    /// @inheritdoc IMarketBase
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

    /// @dev Takes `amount` of `token` from `from` with its EIP-3009 authorization for `nonce`. Only
    /// this contract can redeem a receive-authorization to itself, so whoever submits it, the money
    /// can only arrive here, for the job the nonce names. A token without the function reverts with
    /// no data: that becomes AuthorizationUnsupported; the token's own errors (bad signature, expired,
    /// used nonce) are passed on as they are.
    function _receiveAuthorized(address token, address from, uint256 amount, bytes32 nonce, PaymentAuthorization calldata a)
        internal
    {
        if (token == address(0)) revert AuthorizationUnsupported(token);
        uint256 before = IERC20(token).balanceOf(address(this));
        try IReceiveWithAuthorization(token).receiveWithAuthorization(
            from, address(this), amount, a.validAfter, a.validBefore, nonce, a.signature
        ) {} catch (bytes memory reason) {
            TokenRefusal.raise(token, reason);
        }
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

/// @dev EIP-3009's receive-with-authorization, in the bytes-signature form of USDC v2.2.
interface IReceiveWithAuthorization {
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external;
}
