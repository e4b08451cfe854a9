// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ILoomErrors} from "../interfaces/ILoomErrors.sol";

/// @notice Passing on a token's refusal of an EIP-3009 authorization.
library TokenRefusal {
    /// @dev Reverts with the token's own error (bad signature, expired, used nonce) as it gave it. A
    /// refusal with no data means the token lacks the function: that is AuthorizationUnsupported.
    function raise(address token, bytes memory reason) internal pure {
        if (reason.length == 0) revert ILoomErrors.AuthorizationUnsupported(token);
        assembly ("memory-safe") {
            revert(add(reason, 32), mload(reason))
        }
    }
}
