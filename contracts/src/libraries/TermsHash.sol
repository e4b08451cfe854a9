// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Job ids: keccak256(abi.encode(terms)) for terms structs whose fields are all static, hashed
/// where the terms lie. The ABI encoding of such a struct is its words as they are, so the copy and
/// per-field cleanup that abi.encode spends (about 1,500 gas for a 15-word struct in calldata) are
/// skipped on every call that passes terms back. Calldata terms with dirty high bits hash to an id no
/// job has (ids are taken from clean memory when a job is posted), so every call that uses them
/// reverts as for an unknown job. The markets' tests check both forms against abi.encode.
library TermsHash {
    /// @dev `offset`: where a calldata struct of `words` static fields starts.
    function ofCalldata(uint256 offset, uint256 words) internal pure returns (bytes32 id) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := mul(words, 32)
            calldatacopy(ptr, offset, size)
            id := keccak256(ptr, size)
        }
    }

    /// @dev `ptr`: a memory struct of `words` static fields (laid out as its words, each clean).
    function ofMemory(uint256 ptr, uint256 words) internal pure returns (bytes32 id) {
        assembly ("memory-safe") {
            id := keccak256(ptr, mul(words, 32))
        }
    }
}
