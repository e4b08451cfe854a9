// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IMarketBase} from "../interfaces/IMarketBase.sol";
import {Credits} from "./Credits.sol";
import {PaymentAuthorization} from "../interfaces/ILoomTypes.sol";
import {ILoomRegistry} from "../interfaces/ILoomRegistry.sol";
import {Payouts} from "../libraries/Payouts.sol";
import {TokenRefusal} from "../libraries/TokenRefusal.sol";

/// @notice A market's money: the credits ledger (see Credits), plus slashed stake, which arrives from
/// the registry as ETH (`unlock` sends it) and is credited at once, and budgets paid by EIP-3009
/// authorization.
abstract contract Ledger is IMarketBase, Credits {
    /// @inheritdoc IMarketBase
    ILoomRegistry public immutable registry;

    constructor(ILoomRegistry registry_) {
        if (address(registry_) == address(0)) revert ZeroAddress();
        registry = registry_;
    }

    /// @notice Slashed stake from the registry; nobody else may send ETH outside a call that takes it.
    receive() external payable {
        if (msg.sender != address(registry)) revert UnexpectedSender(msg.sender);
    }

    /// @dev Credits a pool's operator its fee (`feeBps`, fixed at assignment) of a member's `payout`; returns it.
    function _payPool(bytes32 jobId, address token, uint64 pool, address operator, uint96 payout, uint16 feeBps)
        internal
        returns (uint96 cut)
    {
        cut = Payouts.fee(payout, feeBps);
        if (cut == 0) return 0;
        _credit(token, operator, cut);
        emit PoolFeePaid(jobId, pool, operator, token, cut);
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
