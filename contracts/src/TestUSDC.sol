// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC3009} from "@openzeppelin/contracts/token/ERC20/extensions/draft-ERC3009.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";

/// @notice A 6-decimal stand-in for USDC on local chains. Anyone can mint: never deploy it where
/// the token should have value.
/// @dev Signed transfers as Circle's USDC (FiatToken v2.2) offers them, so gasless payment (x402's
/// `exact` scheme) can be tested locally: EIP-2612 `permit` and EIP-3009 transfer/receive/cancel
/// with authorization, each with a (v, r, s) signature and, as v2.2 added, a `bytes` signature that
/// may also be a contract wallet's (ERC-1271). Both come from OpenZeppelin; only the `bytes` forms
/// are written here. The EIP-712 domain is this token's name and version "1" (ERC20Permit's).
contract TestUSDC is ERC20, ERC20Permit, ERC3009 {
    constructor() ERC20("Test USD Coin", "tUSDC") ERC20Permit("Test USD Coin") {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` to `to`; a faucet for local development and tests.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice EIP-3009 transfer signed by `from`, with a `bytes` signature (EOA or ERC-1271).
    function transferWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external {
        _requireSigned(from, TRANSFER_WITH_AUTHORIZATION_TYPEHASH, to, value, validAfter, validBefore, nonce, signature);
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    /// @notice EIP-3009 transfer that only its payee (`to`) may submit, so nobody can front-run it
    /// into a transfer the payee did not expect; `bytes` signature form.
    function receiveWithAuthorization(
        address from,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) external {
        _requireSigned(from, RECEIVE_WITH_AUTHORIZATION_TYPEHASH, to, value, validAfter, validBefore, nonce, signature);
        if (to != _msgSender()) revert ERC20InvalidReceiver(to);
        _transferWithAuthorization(from, to, value, validAfter, validBefore, nonce);
    }

    function _requireSigned(
        address from,
        bytes32 typehash,
        address to,
        uint256 value,
        uint256 validAfter,
        uint256 validBefore,
        bytes32 nonce,
        bytes memory signature
    ) private view {
        bytes32 hash = _hashTypedDataV4(keccak256(abi.encode(typehash, from, to, value, validAfter, validBefore, nonce)));
        if (!SignatureChecker.isValidSignatureNow(from, hash, signature)) revert ERC3009InvalidSignature();
    }
}
