// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Create2} from "@openzeppelin/contracts/utils/Create2.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {JobParams, TransferAuthorization} from "./interfaces/ILoomTypes.sol";
import {ILoomErrors} from "./interfaces/ILoomErrors.sol";
import {ILoomMarket} from "./interfaces/ILoomMarket.sol";
import {JobDeposit} from "./JobDeposit.sol";
import {TokenRefusal} from "./libraries/TokenRefusal.sol";

/// @title Loom deposits: x402 payments into jobs
/// @notice An x402 "exact" payment is an EIP-3009 `TransferWithAuthorization` to the `payTo` the
/// server names, with a nonce the payer picks: nothing in it names a job. So each order (a job's
/// parameters, spec and client) gets its own deposit address, a CREATE2 address of this contract that
/// holds no code and that only this contract can empty (see JobDeposit). A gateway names it as
/// `payTo`; `postJob` submits the transfer, empties the deposit and posts the job for the payer
/// through LoomMarket.postJobPaidBy. If anyone submits the transfer first, the money waits at the
/// deposit address for that order: `postJob` still posts it, and `refund` returns it to the payer.
/// Never lost, never anyone else's. Holds nothing between calls and emits nothing: what it moves are
/// the token's Transfer events, and the job it posts is the market's JobPosted.
/// @dev Created by LoomMarket's constructor (its code is the market's creation code, not its runtime).
contract LoomDeposits is ILoomErrors, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    ILoomMarket public immutable market;

    constructor(ILoomMarket market_) {
        market = market_;
    }

    /// @notice Posts the order's job for `client` with what its deposit address holds: the budget must
    /// be there, or arrive by `payment` (submitted here unless its signature is empty). More than the
    /// budget goes back to the client; less reverts (with the token's refusal, when it refused).
    function postJob(JobParams calldata p, bytes calldata spec, address client, TransferAuthorization calldata payment)
        external
        nonReentrant
        returns (bytes32 jobId)
    {
        if (p.token == address(0)) revert AuthorizationUnsupported(p.token);
        bytes32 order = orderId(p, keccak256(spec), client);
        address deposit = depositAddress(order, p.token);
        bool refused;
        bytes memory refusal;
        if (payment.signature.length != 0) {
            try IERC3009Transfer(p.token).transferWithAuthorization(
                client, deposit, p.budget, payment.validAfter, payment.validBefore, payment.nonce, payment.signature
            ) {} catch (bytes memory reason) {
                // Not raised yet: someone may have submitted the transfer already, and then the
                // deposit holds the money and the job can still be posted.
                (refused, refusal) = (true, reason);
            }
        }
        uint256 received = _empty(order, p.token);
        if (received < p.budget) {
            if (refused) TokenRefusal.raise(p.token, refusal);
            revert DepositShort(deposit, received, p.budget);
        }
        IERC20(p.token).forceApprove(address(market), p.budget);
        jobId = market.postJobPaidBy(p, spec, client);
        if (received > p.budget) IERC20(p.token).safeTransfer(client, received - p.budget);
    }

    /// @notice Returns what an order's deposit address holds to the order's client: for a payment
    /// whose job was never posted (the gateway gave up, the terms went stale), or anything sent after.
    /// Anyone may call it; the money can only go to the client the order names.
    function refund(JobParams calldata p, bytes32 specHash, address client) external nonReentrant {
        if (p.token == address(0)) revert AuthorizationUnsupported(p.token);
        bytes32 order = orderId(p, specHash, client);
        uint256 received = _empty(order, p.token);
        if (received == 0) revert NothingDeposited(depositAddress(order, p.token));
        IERC20(p.token).safeTransfer(client, received);
    }

    /// @notice An order's id: its parameters, the hash of its spec and its client. The salt in the
    /// parameters makes each order's deposit address its own.
    function orderId(JobParams calldata p, bytes32 specHash, address client) public pure returns (bytes32) {
        return keccak256(abi.encode(p, specHash, client));
    }

    /// @notice Where the client pays an order in `token` (the x402 `payTo`).
    function depositAddress(bytes32 order, address token) public view returns (address) {
        return Create2.computeAddress(order, keccak256(abi.encodePacked(type(JobDeposit).creationCode, abi.encode(token))));
    }

    /// @dev Moves everything the order's deposit address holds of `token` here; returns how much arrived.
    function _empty(bytes32 order, address token) private returns (uint256 received) {
        uint256 before = IERC20(token).balanceOf(address(this));
        new JobDeposit{salt: order}(IERC20(token));
        received = IERC20(token).balanceOf(address(this)) - before;
    }
}

/// @dev EIP-3009's transfer with authorization, in the bytes-signature form of USDC v2.2: what an x402
/// "exact" payment signs.
interface IERC3009Transfer {
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external;
}
